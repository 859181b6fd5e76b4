import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthTransport } from '../../transport';
import { additionalFields, userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { includeKeyMaterialField, PASSKEY_FIELDS, PASSKEY_REQUIREMENT, passkeyItem, passkeysIn, userPasskeysRequest } from './passkeys';

export const getMany: FusionAuthOperation = {
	resource: 'passkey',
	option: {
		name: 'Get Many',
		value: 'getMany',
		action: 'Get many passkeys of a user',
		description: `List a user's passkeys (WebAuthn), one item each, none for a user without passkeys. Needs ${PASSKEY_REQUIREMENT}.`,
	},
	apiVersions: ['current'],
	outputsList: true,
	toolOutput: PASSKEY_FIELDS,
	properties: [userIdProperty(), additionalFields([includeKeyMaterialField])],

	async execute(parameters: ItemParameters, transport: () => Promise<FusionAuthTransport>): Promise<IDataObject[]> {
		const includeKeyMaterial = parameters.additionalBoolean('includeKeyMaterial') ?? false;
		const userId = await parameters.userId();
		const response = await (await transport()).send(userPasskeysRequest('GET', userId), parameters.itemIndex);
		// A user without passkeys gives no item: n8n's Always Output Data is the workflow's choice.
		return passkeysIn(response.body).map((credential) => passkeyItem(credential, includeKeyMaterial));
	},
};
