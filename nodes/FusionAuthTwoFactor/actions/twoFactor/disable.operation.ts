import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest } from '../../../shared/request';
import {
	additionalFields,
	applicationIdField,
	codeProperty,
	methodIdProperty,
	onApiVersion,
	userOrJwtProperties,
} from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { SUCCESS_ONLY } from '../toolOutput';
import { bodyOrSuccess } from '../operation';
import { userTwoFactorPath } from './userTwoFactorPath';

export const disable: FusionAuthOperation = {
	resource: 'twoFactor',
	option: {
		name: 'Disable',
		value: 'disable',
		action: 'Disable a two factor method',
		description: "Remove a user's two factor method, confirmed by a code or a recovery code",
	},
	apiVersions: ['current', 'legacy'],
	toolOutput: SUCCESS_ONLY,
	properties: [
		...userOrJwtProperties(),
		onApiVersion(
			'current',
			methodIdProperty("The ID of the method to remove (see the user's twoFactor.methods)", {
				required: false,
				hint: 'Leave empty when Code is a recovery code: FusionAuth then removes every method of the user',
			}),
		),
		codeProperty(
			'A current code for the method (authenticator, or sent with Send Code and purpose Disable), or one of the recovery codes',
		),
		onApiVersion('current', additionalFields([applicationIdField])),
	],

	async request(parameters: ItemParameters): Promise<FusionAuthRequest> {
		const authentication = parameters.authentication();
		const code = parameters.requiredString('code');
		if (parameters.apiVersion === 'legacy') {
			const { path, notFound } = await userTwoFactorPath(parameters, authentication);
			return { method: 'DELETE', path, authentication, query: { code }, statusMessages: { 404: notFound } };
		}
		const query = {
			methodId: parameters.optionalString('methodId'),
			code,
			applicationId: parameters.additionalString('applicationId', { uuid: true }),
		};
		const { path, notFound } = await userTwoFactorPath(parameters, authentication);
		return {
			method: 'DELETE',
			path,
			authentication,
			query,
			statusMessages: { 404: notFound },
		};
	},

	output: bodyOrSuccess,
};
