import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest } from '../../../shared/request';
import { userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { recoveryCodeRequest, recoveryCodesOutput } from './recoveryCodes';

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
	keptFromAgents: "it hands out a user's new recovery codes",
	properties: [userIdProperty()],

	async request(parameters: ItemParameters): Promise<FusionAuthRequest> {
		return await recoveryCodeRequest('POST', parameters);
	},

	output: recoveryCodesOutput,
};
