import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import { asUser, userItem } from '../../helpers/user';
import type { FusionAuthRequest, FusionAuthResponse } from '../../transport/request';
import { userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { USER_FIELDS } from '../toolOutput';

export const get: FusionAuthOperation = {
	resource: 'user',
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a user',
		description: 'Retrieve a user, with twoFactorEnabled and twoFactorMethods added for either API generation',
	},
	apiVersions: ['current', 'legacy'],
	toolOutput: USER_FIELDS,
	properties: [userIdProperty()],

	async request(parameters: ItemParameters): Promise<FusionAuthRequest> {
		const userId = await parameters.userId();
		return {
			method: 'GET',
			path: ['user', parameters.pathSegment('userId', userId)],
			expectBody: { user: 'object' },
			authentication: { type: 'apiKey' },
			statusMessages: { 404: 'User not found' },
		};
	},

	output(response: FusionAuthResponse): IDataObject {
		return userItem(asUser(response.body?.user) ?? {});
	},
};
