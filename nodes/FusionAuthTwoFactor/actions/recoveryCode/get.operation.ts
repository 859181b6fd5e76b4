import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest } from '../../../shared/request';
import { userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { recoveryCodeRequest, recoveryCodesOutput } from './recoveryCodes';

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
	keptFromAgents: "it hands out a user's recovery codes",
	properties: [userIdProperty()],

	async request(parameters: ItemParameters): Promise<FusionAuthRequest> {
		return await recoveryCodeRequest('GET', parameters);
	},

	output: recoveryCodesOutput,
};
