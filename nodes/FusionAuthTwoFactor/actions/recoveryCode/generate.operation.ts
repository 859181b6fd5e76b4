import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest, FusionAuthResponse } from '../../transport/request';
import { userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';

export const generate: FusionAuthOperation = {
	resource: 'recoveryCode',
	option: {
		name: 'Generate',
		value: 'generate',
		action: 'Generate new recovery codes',
		description:
			"Issue ten new recovery codes for a user with two factor enabled; the user's previous recovery codes stop working",
	},
	apiVersions: ['current'],
	handsOutCredentials: true,
	properties: [userIdProperty()],

	request(parameters: ItemParameters): FusionAuthRequest {
		const userId = parameters.requiredString('userId', { uuid: true });
		return {
			method: 'POST',
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
