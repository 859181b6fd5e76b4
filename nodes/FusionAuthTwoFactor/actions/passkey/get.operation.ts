import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest, FusionAuthResponse } from '../../../shared/request';
import { isJsonObject } from '../../../shared/response';
import { additionalFields } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { includeKeyMaterialField, PASSKEY_FIELDS, PASSKEY_REQUIREMENT, passkeyIdProperty, passkeyItem, passkeyRequest } from './passkeys';

export const get: FusionAuthOperation = {
	resource: 'passkey',
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a passkey',
		description: `Retrieve one passkey (WebAuthn) by its ID. Needs ${PASSKEY_REQUIREMENT}.`,
	},
	apiVersions: ['current'],
	toolOutput: PASSKEY_FIELDS,
	properties: [passkeyIdProperty, additionalFields([includeKeyMaterialField])],

	request(parameters: ItemParameters): FusionAuthRequest {
		return passkeyRequest('GET', parameters.requiredString('passkeyId', { uuid: true }));
	},

	output(response: FusionAuthResponse, parameters: ItemParameters): IDataObject {
		const credential = response.body?.credential;
		return passkeyItem(isJsonObject(credential) ? credential : {}, parameters.additionalBoolean('includeKeyMaterial') ?? false);
	},
};
