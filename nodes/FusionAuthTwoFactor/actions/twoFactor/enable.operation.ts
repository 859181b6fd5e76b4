import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest } from '../../../shared/request';
import {
	additionalFields,
	applicationIdField,
	codeProperty,
	emailProperty,
	mobilePhoneProperty,
	onApiVersion,
	secretEncodingProperty,
	secretProperty,
	userOrJwtProperties,
} from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { bodyOrSuccess, definedOnly } from '../operation';
import { userTwoFactorPath } from './userTwoFactorPath';

export const enable: FusionAuthOperation = {
	resource: 'twoFactor',
	option: {
		name: 'Enable',
		value: 'enable',
		action: 'Enable a two factor method',
		description: 'Add a two factor method to a user, confirmed by a code',
	},
	apiVersions: ['current', 'legacy'],
	// Its output holds recovery codes or a login-completing code, and a secret or an address
	// chosen by an agent would give the agent a second factor of the user's.
	keptFromAgents: 'it would let an agent give a user a second factor whose secret or code the agent chose',
	properties: [
		...userOrJwtProperties(),
		onApiVersion('current', {
			displayName: 'Method',
			name: 'method',
			type: 'options',
			options: [
				{ name: 'Authenticator', value: 'authenticator', description: 'A TOTP authenticator app' },
				{ name: 'Email', value: 'email', description: 'Codes sent by email (paid FusionAuth plans)' },
				{ name: 'SMS', value: 'sms', description: 'Codes sent by SMS (paid FusionAuth plans)' },
			],
			default: 'authenticator',
		}),
		codeProperty(
			'The current code from the authenticator app, or the code FusionAuth sent by email or SMS (Send Code with purpose Enable)',
		),
		onApiVersion(
			'current',
			secretProperty('The secret the authenticator app was set up with', {
				show: { method: ['authenticator'] },
				hint: 'The secret field of Generate Secret (Base64); for its secretBase32Encoded field, set Secret Encoding to Base32',
			}),
		),
		onApiVersion('current', secretEncodingProperty({ method: ['authenticator'] })),
		onApiVersion('current', emailProperty('The address the code was sent to', { method: ['email'] })),
		onApiVersion('current', mobilePhoneProperty('The phone number the code was sent to', { method: ['sms'] })),
		onApiVersion('legacy', {
			displayName: 'Delivery',
			name: 'delivery',
			type: 'options',
			options: [
				{ name: 'None', value: 'None', description: 'Codes come from an authenticator app' },
				{ name: 'Text Message', value: 'TextMessage', description: 'FusionAuth sends codes by SMS' },
			],
			default: 'None',
		}),
		onApiVersion(
			'legacy',
			secretProperty('The secret the authenticator app was set up with', {
				hint: 'The secret field of Generate Secret (Base64)',
			}),
		),
		onApiVersion('current', additionalFields([
			applicationIdField,
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'A name for the method that the user recognises (FusionAuth 1.68 and later)',
			},
			{
				displayName: 'Two Factor ID',
				name: 'twoFactorId',
				type: 'string',
				default: '',
				description:
					'Enable during a login that is waiting for two factor (FusionAuth 1.42 and later); the response then carries a code to finish the login',
			},
		])),
	],

	async request(parameters: ItemParameters): Promise<FusionAuthRequest> {
		const authentication = parameters.authentication();
		const code = parameters.requiredString('code');

		if (parameters.apiVersion === 'legacy') {
			const legacyBody = {
				code,
				delivery: parameters.option('delivery', 'None'),
				secret: parameters.requiredString('secret'),
			};
			const { path, notFound } = await userTwoFactorPath(parameters, authentication);
			return {
				method: 'POST',
				path,
				authentication,
				body: legacyBody,
				statusMessages: { 404: notFound },
			};
		}

		const method = parameters.option<'authenticator' | 'email' | 'sms'>('method', 'authenticator');
		const body: IDataObject = { method, code };
		if (method === 'authenticator') {
			const secret = parameters.requiredString('secret');
			if (parameters.option<'base64' | 'base32'>('secretEncoding', 'base64') === 'base32') {
				body.secretBase32Encoded = secret;
			} else {
				body.secret = secret;
			}
		} else if (method === 'email') {
			body.email = parameters.requiredString('email');
		} else {
			body.mobilePhone = parameters.requiredString('mobilePhone');
		}
		Object.assign(
			body,
			definedOnly({
				name: parameters.additionalString('name', { raw: true }),
				applicationId: parameters.additionalString('applicationId', { uuid: true }),
				twoFactorId: parameters.additionalString('twoFactorId'),
			}),
		);
		const { path, notFound } = await userTwoFactorPath(parameters, authentication);
		return {
			method: 'POST',
			path,
			authentication,
			body,
			statusMessages: { 404: notFound },
		};
	},

	output: bodyOrSuccess,
};
