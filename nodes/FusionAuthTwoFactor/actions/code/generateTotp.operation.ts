import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import { decodeBase32, decodeBase64, totp } from '../../helpers/totp';
import type { FusionAuthOperation } from '../operation';

export const generateTotp: FusionAuthOperation = {
	resource: 'code',
	option: {
		name: 'Generate TOTP',
		value: 'generateTotp',
		action: 'Generate an authenticator code',
		description:
			'Compute the code an authenticator app shows for a secret, without calling FusionAuth (for tests and service accounts)',
	},
	apiVersions: ['current', 'legacy'],
	properties: [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The authenticator secret, as Generate Secret returns it',
		},
		{
			displayName: 'Secret Encoding',
			name: 'secretEncoding',
			type: 'options',
			options: [
				{ name: 'Base64', value: 'base64', description: 'The secret field of Generate Secret' },
				{
					name: 'Base32',
					value: 'base32',
					description: 'The secretBase32Encoded field, as authenticator apps show it',
				},
			],
			default: 'base64',
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Time',
					name: 'time',
					type: 'dateTime',
					default: '',
					description: 'The moment to compute the code for; now when empty',
				},
			],
		},
	],

	async execute(parameters: ItemParameters): Promise<IDataObject> {
		const secret = parameters.requiredString('secret');
		const encoding = parameters.option<'base64' | 'base32'>('secretEncoding', 'base64');
		const key = encoding === 'base32' ? decodeBase32(secret) : decodeBase64(secret);
		if (key === undefined || key.length === 0) {
			parameters.fail('secret', `is not valid ${encoding === 'base32' ? 'Base32' : 'Base64'}`);
		}
		const timeText = parameters.additionalString('time');
		let time = new Date();
		if (timeText !== undefined) {
			time = new Date(timeText);
			if (Number.isNaN(time.getTime())) parameters.fail('time', 'must be a date and time, such as 2026-01-31T12:00:00Z');
		}
		const result = totp(key, time);
		return {
			code: result.code,
			validFrom: result.validFrom.toISOString(),
			validUntil: result.validUntil.toISOString(),
		};
	},
};
