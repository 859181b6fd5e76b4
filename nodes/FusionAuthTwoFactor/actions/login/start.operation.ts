import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest } from '../../../shared/request';
import { additionalFields, applicationIdField, userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { METHOD_FIELDS } from '../toolOutput';
import { bodyOrSuccess, definedOnly, userNotFound } from '../operation';

/** The `state` field: a JSON object, given as an object or as JSON text. */
function readState(parameters: ItemParameters): IDataObject | undefined {
	const value = parameters.collection().state as unknown;
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return undefined;
		try {
			parsed = JSON.parse(value);
		} catch {
			parameters.fail('state', 'must be valid JSON, such as {"redirect": "/account"}');
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		parameters.fail('state', 'must be a JSON object, such as {"redirect": "/account"}');
	}
	return parsed as IDataObject;
}

/** The Code field: a code chosen by the caller completes the login, so an agent may not choose one. */
function ownCode(parameters: ItemParameters): string | undefined {
	const code = parameters.additionalString('code');
	if (code !== undefined && parameters.forTool) {
		parameters.fail('code', 'cannot be chosen by an AI agent: a code of its own would let it complete the login');
	}
	return code;
}

export const start: FusionAuthOperation = {
	resource: 'login',
	option: {
		name: 'Start',
		value: 'start',
		action: 'Start a two factor login',
		description:
			'Begin a two factor login for a user outside a password login; returns the twoFactorId and the methods to send a code to',
	},
	apiVersions: ['current'],
	// Not the code: it completes the login, so whoever holds it is the user.
	toolOutput: { twoFactorId: true, methods: METHOD_FIELDS },
	properties: [
		{
			displayName: 'Start By',
			name: 'startBy',
			type: 'options',
			options: [
				{ name: 'User ID', value: 'userId', description: "The user's ID (UUID)" },
				{
					name: 'Login ID',
					value: 'loginId',
					description: "The user's email address, username or phone number",
				},
			],
			default: 'userId',
		},
		userIdProperty({ startBy: ['userId'] }),
		{
			displayName: 'Login ID',
			name: 'loginId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. jane@example.com',
			description: "The user's email address, username or phone number",
			displayOptions: { show: { startBy: ['loginId'] } },
		},
		{
			...applicationIdField,
			description: 'The ID (UUID) of the application the user logs in to; its two factor settings apply',
		},
		additionalFields([
			{
				displayName: 'Code',
				name: 'code',
				type: 'string',
				default: '',
				description:
					'A code of your own for this login, to deliver out of band; FusionAuth generates one when empty',
			},
			{
				displayName: 'Login ID Types',
				name: 'loginIdTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Email', value: 'email' },
					{ name: 'Phone Number', value: 'phoneNumber' },
					{ name: 'Username', value: 'username' },
				],
				default: [],
				description:
					'Which kinds of identity Login ID may be (FusionAuth 1.59 and later); FusionAuth tries email and username when empty',
			},
			{
				displayName: 'State',
				name: 'state',
				type: 'json',
				default: '',
				description: 'A JSON object that FusionAuth returns with the completed login',
			},
			{
				displayName: 'Trust Challenge',
				name: 'trustChallenge',
				type: 'string',
				default: '',
				description:
					'A value to bind the login to; the same value must accompany the trust token when it is used',
			},
		]),
	],

	async request(parameters: ItemParameters): Promise<FusionAuthRequest> {
		const body: IDataObject = {};
		const byLoginId = parameters.option<'userId' | 'loginId'>('startBy', 'userId') === 'loginId';
		const loginIdTypes = parameters.additionalChoices('loginIdTypes');
		if (byLoginId) {
			body.loginId = parameters.requiredString('loginId');
			if (loginIdTypes !== undefined) body.loginIdTypes = loginIdTypes;
		}
		const fields = definedOnly({
			applicationId: parameters.optionalString('applicationId', { uuid: true }),
			code: ownCode(parameters),
			state: readState(parameters),
			trustChallenge: parameters.additionalString('trustChallenge'),
		});
		// The user's own Login ID Types also narrow a lookup By Login ID.
		if (!byLoginId) body.userId = await parameters.userId({ loginIdTypes });
		Object.assign(body, fields);
		return {
			method: 'POST',
			path: ['two-factor', 'start'],
			expectBody: { twoFactorId: 'string' },
			authentication: { type: 'apiKey' },
			body,
			statusMessages: {
				404: body.userId === undefined ? `No user with the login ID ${String(body.loginId)}` : userNotFound(String(body.userId)),
			},
		};
	},

	output: bodyOrSuccess,
};
