import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest } from '../../../shared/request';
import {
	additionalFields,
	applicationIdField,
	authenticateWith,
	emailProperty,
	jwtProperty,
	messageTypeField,
	methodIdProperty,
	mobilePhoneProperty,
	onApiVersion,
	secretProperty,
	userIdProperty,
} from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { SUCCESS_ONLY } from '../toolOutput';
import { bodyOrSuccess, definedOnly } from '../operation';

export const send: FusionAuthOperation = {
	resource: 'code',
	option: {
		name: 'Send',
		value: 'send',
		action: 'Send a code to enable or disable two factor',
		description: 'Have FusionAuth send a code by email or SMS, to confirm enabling or disabling a method',
	},
	apiVersions: ['current', 'legacy'],
	toolOutput: SUCCESS_ONLY,
	properties: [
		authenticateWith,
		onApiVersion('current', userIdProperty({ authenticateWith: ['apiKey'] })),
		jwtProperty,
		onApiVersion('current', {
			displayName: 'Purpose',
			name: 'purpose',
			type: 'options',
			options: [
				{ name: 'Enable', value: 'enable', description: 'A code to confirm a new email or SMS method' },
				{ name: 'Disable', value: 'disable', description: 'A code to confirm removing a method' },
			],
			default: 'enable',
		}),
		onApiVersion('current', {
			displayName: 'Method',
			name: 'method',
			type: 'options',
			options: [
				{ name: 'Email', value: 'email' },
				{ name: 'SMS', value: 'sms' },
			],
			default: 'email',
			description: 'How the new method delivers codes',
			displayOptions: { show: { purpose: ['enable'] } },
		}),
		onApiVersion('current', emailProperty('Where to send the code', { purpose: ['enable'], method: ['email'] })),
		onApiVersion(
			'current',
			mobilePhoneProperty('Where to send the code', { purpose: ['enable'], method: ['sms'] }),
		),
		onApiVersion(
			'current',
			methodIdProperty('The ID of the method to be removed; the code goes to it', {
				show: { purpose: ['disable'] },
			}),
		),
		onApiVersion('current', additionalFields([applicationIdField, messageTypeField])),
		onApiVersion('legacy', {
			displayName: 'Send To',
			name: 'sendTo',
			type: 'options',
			options: [
				{ name: 'User', value: 'user', description: "The user's configured two factor delivery" },
				{
					name: 'Mobile Phone',
					value: 'mobilePhone',
					description: 'A phone number, with the secret being set up (before enabling)',
				},
			],
			default: 'user',
			displayOptions: { show: { authenticateWith: ['apiKey'] } },
		}),
		onApiVersion('legacy', userIdProperty({ authenticateWith: ['apiKey'], sendTo: ['user'] })),
		onApiVersion(
			'legacy',
			mobilePhoneProperty(undefined, { authenticateWith: ['apiKey'], sendTo: ['mobilePhone'] }),
		),
		onApiVersion(
			'legacy',
			secretProperty('The Base64 secret from Generate Secret that the code is computed from', {
				show: { authenticateWith: ['apiKey'], sendTo: ['mobilePhone'] },
			}),
		),
	],

	async request(parameters: ItemParameters): Promise<FusionAuthRequest> {
		const authentication = parameters.authentication();
		const path = ['two-factor', 'send'];

		if (parameters.apiVersion === 'legacy') {
			if (authentication.type === 'jwt') return { method: 'POST', path, authentication, body: {} };
			if (parameters.option<'user' | 'mobilePhone'>('sendTo', 'user') === 'mobilePhone') {
				return {
					method: 'POST',
					path,
					authentication,
					body: {
						mobilePhone: parameters.requiredString('mobilePhone'),
						secret: parameters.requiredString('secret'),
					},
				};
			}
			return {
				method: 'POST',
				path,
				authentication,
				body: { userId: await parameters.userId() },
			};
		}

		const body: IDataObject = {};
		if (parameters.option<'enable' | 'disable'>('purpose', 'enable') === 'disable') {
			body.methodId = parameters.requiredString('methodId');
		} else {
			const method = parameters.option<'email' | 'sms'>('method', 'email');
			body.method = method;
			if (method === 'email') body.email = parameters.requiredString('email');
			else body.mobilePhone = parameters.requiredString('mobilePhone');
		}
		const optional = definedOnly({
			applicationId: parameters.additionalString('applicationId', { uuid: true }),
			messageType: parameters.additionalString('messageType'),
		});
		// The user comes first in the body, as before; it is looked up once the rest is checked.
		const userId = authentication.type === 'apiKey' ? { userId: await parameters.userId() } : {};
		return { method: 'POST', path, authentication, body: { ...userId, ...body, ...optional } };
	},

	output: bodyOrSuccess,
};
