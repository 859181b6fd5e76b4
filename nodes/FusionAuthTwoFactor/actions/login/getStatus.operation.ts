import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest, FusionAuthResponse } from '../../../shared/request';
import { additionalFields, applicationIdField, userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { definedOnly, userNotFound } from '../operation';

/** FusionAuth answers 242 instead of 200 when the user has to pass a two factor challenge. */
const TWO_FACTOR_REQUIRED = 242;

export const getStatus: FusionAuthOperation = {
	resource: 'login',
	option: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get the two factor status of a user',
		description:
			'Whether the user must pass a two factor challenge to log in, or is trusted (FusionAuth 1.38 and later)',
	},
	apiVersions: ['current'],
	// Not twoFactorTrustId: it lets a device skip two factor.
	toolOutput: {
		statusCode: true,
		twoFactorRequired: true,
		trusts: { applicationId: true, expiration: true, startInstant: true },
	},
	properties: [
		userIdProperty(),
		additionalFields([
			{
				displayName: 'Access Token',
				name: 'accessToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					"The user's access token (JWT), to check a step-up against the current session (FusionAuth 1.62 and later)",
			},
			{
				displayName: 'Action',
				name: 'action',
				type: 'options',
				options: [
					{ name: 'Change Password', value: 'changePassword' },
					{ name: 'Login', value: 'login' },
					{ name: 'Step Up', value: 'stepUp' },
				],
				default: 'login',
				description: 'What the user is about to do (FusionAuth 1.62 and later)',
			},
			applicationIdField,
			{
				displayName: 'Two Factor Trust ID',
				name: 'twoFactorTrustId',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'The twoFactorTrustId from an earlier login with Trust Computer, to check whether it still holds',
			},
		]),
	],

	async request(parameters: ItemParameters): Promise<FusionAuthRequest> {
		const applicationId = parameters.additionalString('applicationId', { uuid: true });
		const twoFactorTrustId = parameters.additionalString('twoFactorTrustId');
		const action = parameters.additionalString('action');
		const accessToken = parameters.additionalString('accessToken');
		const userId = await parameters.userId();
		const statusMessages = { 404: userNotFound(userId) };

		if (action !== undefined || accessToken !== undefined) {
			// Only the POST form takes an action or an access token.
			return {
				method: 'POST',
				path: ['two-factor', 'status'],
				authentication: { type: 'apiKey' },
				body: definedOnly({ userId, applicationId, twoFactorTrustId, action, accessToken }),
				statusMessages,
				// Reads the status only; asking twice does no more than asking once.
				repeatable: true,
			};
		}
		const path: FusionAuthRequest['path'] = ['two-factor', 'status'];
		if (twoFactorTrustId !== undefined) path.push(parameters.pathSegment('twoFactorTrustId', twoFactorTrustId));
		return {
			method: 'GET',
			path,
			query: { userId, applicationId },
			authentication: { type: 'apiKey' },
			statusMessages,
		};
	},

	output(response: FusionAuthResponse): IDataObject {
		return {
			...(response.body ?? {}),
			twoFactorRequired: response.statusCode === TWO_FACTOR_REQUIRED,
			statusCode: response.statusCode,
		};
	},
};
