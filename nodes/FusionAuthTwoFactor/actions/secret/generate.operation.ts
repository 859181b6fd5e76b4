import type { IDataObject } from 'n8n-workflow';

import { otpauthUri } from '../../helpers/otpauth';
import type { ItemParameters } from '../../helpers/parameters';
import { decodeBase64, encodeBase32 } from '../../helpers/totp';
import type { FusionAuthRequest, FusionAuthResponse } from '../../../shared/request';
import { additionalFields, authenticateWith, jwtProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';

export const generate: FusionAuthOperation = {
	resource: 'secret',
	option: {
		name: 'Generate',
		value: 'generate',
		action: 'Generate an authenticator secret',
		description: 'Get a new secret to set up an authenticator app with, optionally as an otpauth:// URI',
	},
	apiVersions: ['current', 'legacy'],
	// A secret sets up an authenticator: whoever holds it can make the user's codes.
	keptFromAgents: 'it hands out a new two-factor secret',
	properties: [
		authenticateWith,
		jwtProperty,
		additionalFields([
			{
				displayName: 'Account Name',
				name: 'accountName',
				type: 'string',
				default: '',
				placeholder: 'e.g. jane@example.com',
				description:
					'The account the authenticator app shows under the issuer; with Issuer, adds otpauthUri to the output',
			},
			{
				displayName: 'Issuer',
				name: 'issuer',
				type: 'string',
				default: '',
				placeholder: 'e.g. Example Corp',
				description:
					'The service name the authenticator app shows; with Account Name, adds otpauthUri to the output',
			},
		]),
	],

	request(parameters: ItemParameters): FusionAuthRequest {
		// Checked before the request, so a half-filled pair fails without asking FusionAuth.
		const issuer = parameters.additionalString('issuer');
		const accountName = parameters.additionalString('accountName');
		if ((issuer === undefined) !== (accountName === undefined)) {
			parameters.fail(issuer === undefined ? 'issuer' : 'accountName', 'is needed too, to build the otpauth URI');
		}
		return {
			method: 'GET',
			path: ['two-factor', 'secret'],
			expectBody: { secret: 'string' },
			authentication: parameters.authentication(),
		};
	},

	output(response: FusionAuthResponse, parameters: ItemParameters): IDataObject {
		const body = response.body ?? {};
		const issuer = parameters.additionalString('issuer');
		const accountName = parameters.additionalString('accountName');
		if (issuer === undefined || accountName === undefined) return body;
		let base32 =
			typeof body.secretBase32Encoded === 'string' && body.secretBase32Encoded.trim() !== ''
				? body.secretBase32Encoded
				: undefined;
		// Servers that return only the Base64 secret: authenticator apps want Base32.
		if (base32 === undefined && typeof body.secret === 'string') {
			const bytes = decodeBase64(body.secret);
			if (bytes) base32 = encodeBase32(bytes);
		}
		if (base32 === undefined) return body;
		return { ...body, otpauthUri: otpauthUri(issuer, accountName, base32) };
	},
};
