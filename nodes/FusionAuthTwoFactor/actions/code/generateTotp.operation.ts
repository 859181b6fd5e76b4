import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import { decodeBase32, decodeBase64, totp } from '../../helpers/totp';
import { additionalFields, secretEncodingProperty, secretProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';

const ISO_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** The `time` field as a Date: an ISO text (UTC when it has no offset), a Date or a Luxon DateTime. */
function readTime(parameters: ItemParameters): Date {
	const value = parameters.collection().time as unknown;
	if (value === undefined || value === null || value === '') return new Date();
	let time: Date | undefined;
	if (value instanceof Date) {
		time = new Date(value.getTime());
	} else if (typeof value === 'string') {
		const text = value.trim();
		time = new Date(ISO_WITHOUT_ZONE.test(text) ? `${text}Z` : text);
	} else if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		// A Luxon DateTime, as expressions such as {{ $now }} produce.
		time = new Date((value as { toMillis: () => number }).toMillis());
	}
	if (time === undefined || Number.isNaN(time.getTime())) {
		parameters.fail('time', 'must be a date and time, such as 2026-01-31T12:00:00Z');
	}
	if (time.getTime() < 0) parameters.fail('time', 'must not be before 1970-01-01T00:00:00Z');
	return time;
}

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
	// A code from a secret is a second factor: agents neither give secrets nor get codes.
	keptFromAgents: 'it computes login codes from a two-factor secret',
	properties: [
		secretProperty('The authenticator secret, as Generate Secret returns it'),
		secretEncodingProperty(),
		additionalFields([
			{
				displayName: 'Time',
				name: 'time',
				type: 'dateTime',
				default: '',
				description:
					'The moment to compute the code for; now when empty. A time without a zone offset is read as UTC.',
			},
		]),
	],

	async execute(parameters: ItemParameters): Promise<IDataObject> {
		const secret = parameters.requiredString('secret');
		const encoding = parameters.option<'base64' | 'base32'>('secretEncoding', 'base64');
		const key = encoding === 'base32' ? decodeBase32(secret) : decodeBase64(secret);
		if (key === undefined || key.length === 0) {
			parameters.fail('secret', `is not valid ${encoding === 'base32' ? 'Base32' : 'Base64'}`);
		}
		const time = readTime(parameters);
		const result = totp(key, time);
		return {
			code: result.code,
			validFrom: result.validFrom.toISOString(),
			validUntil: result.validUntil.toISOString(),
		};
	},
};
