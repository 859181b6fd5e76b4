import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest } from '../../../shared/request';
import { methodIdProperty, userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { SUCCESS_ONLY } from '../toolOutput';
import { bodyOrSuccess, userNotFound } from '../operation';

export const update: FusionAuthOperation = {
	resource: 'twoFactor',
	option: {
		name: 'Update',
		value: 'update',
		action: 'Update the name of a two factor method',
		description: "Change the name of one of a user's two factor methods (FusionAuth 1.68 and later)",
	},
	apiVersions: ['current'],
	toolOutput: SUCCESS_ONLY,
	properties: [
		userIdProperty(),
		methodIdProperty("The ID of the method to rename (see the user's twoFactor.methods)"),
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. Work phone',
			description: 'The new name of the method, as the user will see it',
		},
	],

	async request(parameters: ItemParameters): Promise<FusionAuthRequest> {
		const methodId = parameters.requiredString('methodId');
		const name = parameters.requiredString('name');
		const userId = await parameters.userId();
		return {
			method: 'PUT',
			path: ['user', 'two-factor', parameters.pathSegment('userId', userId)],
			// FusionAuth's documentation puts methodId in the query, its client in the body: send both.
			query: { methodId },
			body: { methodId, name },
			authentication: { type: 'apiKey' },
			statusMessages: { 404: userNotFound(userId) },
		};
	},

	output: bodyOrSuccess,
};
