import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest, FusionAuthResponse } from '../../../shared/request';
import { additionalFields, applicationIdField, codeProperty, twoFactorIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { definedOnly } from '../operation';

/** Successful statuses that still ask something of the user (FusionAuth's Login API). */
export const loginStatusMeanings: Record<number, string> = {
	202: 'The user is logged in but not registered for the application given as applicationId',
	203: 'The user is logged in but must change their password first; see changePasswordId and changePasswordReason',
	212: "The user is logged in but has not verified their email address; see emailVerificationId",
	213: "The user is logged in but has not verified their registration for the application; see registrationVerificationId",
};

export const complete: FusionAuthOperation = {
	resource: 'login',
	option: {
		name: 'Complete',
		value: 'complete',
		action: 'Complete a two factor login',
		description:
			'Finish a login that waits for two factor with a code or a recovery code; returns the login response with its tokens',
	},
	apiVersions: ['current'],
	keptFromAgents: 'it hands out the tokens of a completed login',
	properties: [
		twoFactorIdProperty,
		codeProperty(
			'The code from the authenticator app or the one sent by email or SMS, or one of the recovery codes',
		),
		additionalFields([
			applicationIdField,
			{
				displayName: 'IP Address',
				name: 'ipAddress',
				type: 'string',
				default: '',
				placeholder: 'e.g. 192.0.2.10',
				description: "The end user's IP address, for FusionAuth's login records",
			},
			{
				displayName: 'No JWT',
				name: 'noJWT',
				type: 'boolean',
				default: false,
				description: 'Whether to complete the login without FusionAuth issuing a JWT',
			},
			{
				displayName: 'Trust Computer',
				name: 'trustComputer',
				type: 'boolean',
				default: false,
				description:
					'Whether FusionAuth should trust this device and skip two factor for a while; the response then carries a twoFactorTrustId',
			},
		]),
	],

	request(parameters: ItemParameters): FusionAuthRequest {
		const body = definedOnly({
			twoFactorId: parameters.requiredString('twoFactorId'),
			code: parameters.requiredString('code'),
			applicationId: parameters.additionalString('applicationId', { uuid: true }),
			trustComputer: parameters.additionalBoolean('trustComputer'),
			ipAddress: parameters.additionalString('ipAddress'),
			noJWT: parameters.additionalBoolean('noJWT'),
		});
		return {
			method: 'POST',
			path: ['two-factor', 'login'],
			// A login response, for every successful status.
			expectBody: {},
			// FusionAuth needs no credentials here, and its own client sends none.
			authentication: { type: 'none' },
			body,
			statusMessages: {
				404: 'Two factor login not found: the twoFactorId is unknown or has expired, so the user must log in again',
				409: 'The user is locked: an action such as too many failed two factor attempts prevents this login',
				410: 'The user has expired: FusionAuth does not log in a user whose account has expired',
				421: 'The two factor code is invalid or expired',
			},
		};
	},

	output(response: FusionAuthResponse): IDataObject {
		const meaning = loginStatusMeanings[response.statusCode];
		return {
			...(response.body ?? {}),
			statusCode: response.statusCode,
			...(meaning ? { statusMeaning: meaning } : {}),
		};
	},
};
