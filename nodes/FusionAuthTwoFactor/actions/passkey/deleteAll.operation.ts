import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthTransport } from '../../transport';
import { userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { PASSKEY_REQUIREMENT, userPasskeysRequest } from './passkeys';

export const deleteAll: FusionAuthOperation = {
	resource: 'passkey',
	option: {
		name: 'Delete All',
		value: 'deleteAll',
		action: 'Delete all passkeys of a user',
		description: `Delete every passkey (WebAuthn) of a user, for example after a lost device. Needs ${PASSKEY_REQUIREMENT}.`,
	},
	apiVersions: ['current'],
	keptFromAgents: 'it deletes every passkey of a user, their ways to sign in',
	properties: [userIdProperty()],

	async execute(parameters: ItemParameters, transport: () => Promise<FusionAuthTransport>): Promise<IDataObject> {
		const userId = await parameters.userId();
		await (await transport()).send(userPasskeysRequest('DELETE', userId), parameters.itemIndex);
		return { userId, success: true };
	},
};
