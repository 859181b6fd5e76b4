import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest } from '../../transport/request';
import { applicationIdField, onApiVersion, userOrJwtProperties } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { bodyOrSuccess } from '../operation';

export const disable: FusionAuthOperation = {
	resource: 'twoFactor',
	option: {
		name: 'Disable',
		value: 'disable',
		action: 'Disable a two factor method',
		description: "Remove a user's two factor method, confirmed by a code or a recovery code",
	},
	apiVersions: ['current', 'legacy'],
	properties: [
		...userOrJwtProperties(),
		onApiVersion('current', {
			displayName: 'Method ID',
			name: 'methodId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2KSZ',
			description:
				"The ID of the method to remove (see the user's twoFactor.methods). Leave empty when Code is a recovery code: that removes every method.",
		}),
		{
			displayName: 'Code',
			name: 'code',
			type: 'string',
			required: true,
			default: '',
			description:
				'A current code for the method (authenticator, or sent with Send Code and purpose Disable), or one of the recovery codes',
		},
		onApiVersion('current', {
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [applicationIdField],
		}),
	],

	request(parameters: ItemParameters): FusionAuthRequest {
		const authentication = parameters.authentication();
		const path: FusionAuthRequest['path'] = ['user', 'two-factor'];
		if (authentication.type === 'apiKey') {
			path.push(parameters.pathSegment('userId', parameters.requiredString('userId', { uuid: true })));
		}
		const code = parameters.requiredString('code');
		if (parameters.apiVersion === 'legacy') {
			return { method: 'DELETE', path, authentication, query: { code }, statusMessages: { 404: 'User not found' } };
		}
		return {
			method: 'DELETE',
			path,
			authentication,
			query: {
				methodId: parameters.optionalString('methodId'),
				code,
				applicationId: parameters.additionalString('applicationId', { uuid: true }),
			},
			statusMessages: { 404: 'User not found' },
		};
	},

	output: bodyOrSuccess,
};
