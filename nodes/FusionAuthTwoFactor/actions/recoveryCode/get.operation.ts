import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest, FusionAuthResponse } from '../../transport/request';
import { userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';

export const get: FusionAuthOperation = {
	resource: 'recoveryCode',
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get recovery codes',
		description:
			"Retrieve a user's unused recovery codes. Deprecated by FusionAuth since 1.64: prefer Generate, which issues new ones.",
	},
	apiVersions: ['current'],
	handsOutCredentials: true,
	properties: [userIdProperty()],

	request(parameters: ItemParameters): FusionAuthRequest {
		const userId = parameters.requiredString('userId', { uuid: true });
		return {
			method: 'GET',
			path: ['user', 'two-factor', 'recovery-code', parameters.pathSegment('userId', userId)],
			authentication: { type: 'apiKey' },
			statusMessages: { 404: 'User not found' },
		};
	},

	output(response: FusionAuthResponse): IDataObject {
		const recoveryCodes = response.body?.recoveryCodes;
		return { recoveryCodes: Array.isArray(recoveryCodes) ? recoveryCodes : [] };
	},
};
