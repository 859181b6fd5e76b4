import { Secret } from 'otpauth';

import { encodeKeyUriComponent, otpauthUri } from '../../../dist/nodes/FusionAuthTwoFactor/helpers/otpauth';
import { API_KEY, JWT, visibleText } from '../support';
import { describeOperation, runOperation } from '../table';
import type { AnsweredError } from '../checks';
import { answerErrors, describeInputChecks, FROM_ITEM } from '../checks';

// "12345678901234567890" (RFC 6238's SHA1 key): Base64 as FusionAuth's secret field, Base32 as secretBase32Encoded.
const SECRET = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=';
const SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const BOTH_ENCODINGS = { status: 200, body: { secret: SECRET, secretBase32Encoded: SECRET_BASE32 } };
const GENERATE = { resource: 'secret', operation: 'generate' };
// The secret endpoint answers 401, 500 and 503 besides 200 (API notes): no 400.
const documented = (row: AnsweredError) => [401, 500, 503].includes(row.answer.status!);

/** Splits a key URI the way an authenticator app reads it. */
function readKeyUri(uri: string) {
	const url = new URL(uri);
	const label = url.pathname.replace(/^\/\//, '').replace(/^\//, '');
	const separator = label.indexOf(':');
	return {
		protocol: url.protocol,
		type: url.host,
		issuerInLabel: decodeURIComponent(label.slice(0, separator)),
		accountName: decodeURIComponent(label.slice(separator + 1)),
		labelColons: label.split(':').length - 1,
		parameters: Object.fromEntries(url.searchParams.entries()),
	};
}

describeOperation({
	agentRefusal: 'The resource "secret" is not available to AI agents: it hands out a new two-factor secret',
	resource: 'secret',
	operation: 'generate',
	editor: {
		action: 'Generate an authenticator secret',
		panels: {
			current: { fields: ['authenticateWith', 'additionalFields'], required: [] },
			legacy: { fields: ['authenticateWith', 'additionalFields'], required: [] },
		},
	},
	samples: {
		current: { resource: 'secret', operation: 'generate' },
		legacy: { resource: 'secret', operation: 'generate' },
	},
	answersWithBody: true,
	requests: [
		{
			name: 'GET /api/two-factor/secret with the API key = generateTwoFactorSecret',
			parameters: { resource: 'secret', operation: 'generate' },
			client: (client) => client.generateTwoFactorSecret(),
		},
		{
			name: 'GET /api/two-factor/secret with the user JWT = generateTwoFactorSecretUsingJWT',
			parameters: { resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt: JWT },
			client: (client) => client.generateTwoFactorSecretUsingJWT(JWT),
		},
		{
			name: 'legacy: GET /api/two-factor/secret with the API key (generate_secret)',
			apiVersion: 'legacy',
			parameters: { resource: 'secret', operation: 'generate' },
			documented: { method: 'GET', url: '/api/two-factor/secret', authorization: 'apiKey' },
		},
		{
			name: 'legacy: GET /api/two-factor/secret with the user JWT (generate_secret_for_jwt)',
			apiVersion: 'legacy',
			parameters: { resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt: JWT },
			documented: { method: 'GET', url: '/api/two-factor/secret', authorization: 'jwt' },
		},
	],
	outputs: [
		{
			name: 'without issuer and account name: FusionAuth’s secret as it is, in both encodings',
			parameters: { resource: 'secret', operation: 'generate' },
			answer: BOTH_ENCODINGS,
			output: (output, requests) => {
				expect(output).toEqual([{ secret: SECRET, secretBase32Encoded: SECRET_BASE32 }]);
				expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /api/two-factor/secret']);
			},
		},
		{
			name: 'legacy: FusionAuth’s secret in both encodings',
			apiVersion: 'legacy',
			parameters: { resource: 'secret', operation: 'generate' },
			answer: BOTH_ENCODINGS,
			output: [{ secret: SECRET, secretBase32Encoded: SECRET_BASE32 }],
		},
		{
			name: 'with issuer and account name: the otpauth URI an authenticator app reads',
			parameters: { resource: 'secret', operation: 'generate', additionalFields: { issuer: 'Example Corp', accountName: 'jane@example.com' } },
			answer: BOTH_ENCODINGS,
			output: ([item]) => {
				const text = String(item.otpauthUri);
				expect(text.startsWith('otpauth://totp/Example%20Corp:jane%40example.com?')).toBe(true);
				const uri = new URL(text);
				expect(uri.host).toBe('totp');
				expect(decodeURIComponent(uri.pathname)).toBe('/Example Corp:jane@example.com');
				expect(Object.fromEntries(uri.searchParams)).toEqual({
					secret: SECRET_BASE32,
					issuer: 'Example Corp',
					algorithm: 'SHA1',
					digits: '6',
					period: '30',
				});
			},
		},
		{
			name: 'with issuer and account name: the secret and the otpauth URI for a QR code, the issuer trimmed',
			parameters: { resource: 'secret', operation: 'generate', additionalFields: { issuer: ' Example Corp ', accountName: 'jane@example.com' } },
			answer: BOTH_ENCODINGS,
			output: [
				{
					secret: SECRET,
					secretBase32Encoded: SECRET_BASE32,
					otpauthUri: `otpauth://totp/Example%20Corp:jane%40example.com?secret=${SECRET_BASE32}&issuer=Example%20Corp&algorithm=SHA1&digits=6&period=30`,
				},
			],
		},
		{
			name: 'legacy: the Base32 secret of the URI is built from the Base64 one when FusionAuth sends no secretBase32Encoded',
			apiVersion: 'legacy',
			parameters: { resource: 'secret', operation: 'generate', additionalFields: { issuer: 'Example', accountName: 'jane' } },
			answer: { status: 200, body: { secret: SECRET } },
			output: ([item]) => {
				expect(item.secretBase32Encoded).toBeUndefined();
				const uriSecret = readKeyUri(item.otpauthUri as string).parameters.secret;
				expect(uriSecret).toBe(SECRET_BASE32);
				expect(Buffer.from(Secret.fromBase32(uriSecret).bytes)).toEqual(Buffer.from(SECRET, 'base64'));
			},
		},
		{
			name: 'one output per item, each with its own account name',
			parameters: { resource: 'secret', operation: 'generate', additionalFields: { issuer: 'Example', accountName: '={{ $json.email }}' } },
			items: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
			answer: BOTH_ENCODINGS,
			output: (output, _, items) => {
				expect(output.map((item) => readKeyUri(item.otpauthUri as string).accountName)).toEqual(['a@example.com', 'b@example.com']);
				expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			},
		},
	],
	errors: [
		{
			name: 'only an issuer fails before any request',
			parameters: { resource: 'secret', operation: 'generate', additionalFields: { issuer: 'Example' } },
			message: 'Account Name is needed too, to build the otpauth URI [item 0]',
		},
		{
			name: 'only an account name fails before any request',
			parameters: { resource: 'secret', operation: 'generate', additionalFields: { accountName: 'jane' } },
			message: 'Issuer is needed too, to build the otpauth URI [item 0]',
		},
		...answerErrors('current:', 'current', GENERATE).filter(documented),
		...answerErrors('legacy:', 'legacy', GENERATE).filter(documented),
	],
	statuses: [
		{ name: 'generate', parameters: { resource: 'secret', operation: 'generate' }, statuses: [401, 500, 503] },
		{ name: 'generate (legacy)', apiVersion: 'legacy', parameters: { resource: 'secret', operation: 'generate' }, statuses: [401, 500, 503] },
	],
	more: (server) => {
		describeInputChecks(server, [
			{
				name: 'issuer without account name',
				apiVersion: 'current',
				parameters: { resource: 'secret', operation: 'generate', additionalFields: { issuer: 'Example', accountName: FROM_ITEM } },
				good: 'jane@example.com',
				bad: '  ',
				label: 'Account Name',
				field: 'accountName',
				problem: /is needed too/,
			},
			{
				name: 'blank JWT',
				apiVersion: 'current',
				parameters: { resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt: FROM_ITEM },
				good: JWT,
				bad: ' ',
				label: 'JWT',
				field: 'jwt',
				problem: /is required/,
			},
			{
				name: 'a JWT with a line break inside',
				apiVersion: 'current',
				parameters: { resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt: FROM_ITEM },
				good: JWT,
				bad: 'eyJ.abc\r\nX-Injected: 1',
				label: 'JWT',
				field: 'jwt',
				problem: /must be one token/,
			},
		]);

		test('with a JWT, sends it as a Bearer token instead of the API key and keeps it out of errors', async () => {
			server.respondWith({ status: 401 });
			const result = await runOperation(server.url, 'current', { resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt: JWT });
			expect(server.requests[0].headers.authorization).toBe(`Bearer ${JWT}`);
			expect(result.error?.message).toBe('FusionAuth rejected the JWT');
			expect(visibleText(result)).not.toContain(JWT);
			expect(visibleText(result)).not.toContain(API_KEY);
		});

		describe('otpauth key URI', () => {
			test('has the Key URI Format shape with FusionAuth TOTP settings', () => {
				expect(otpauthUri('Example', 'jane@example.com', SECRET_BASE32)).toBe(
					`otpauth://totp/Example:jane%40example.com?secret=${SECRET_BASE32}&issuer=Example&algorithm=SHA1&digits=6&period=30`,
				);
			});

			test.each([
				['spaces', 'Example Corp', 'Jane Doe'],
				['colons', 'ACME: Production', 'ops:admin'],
				["'@' and reserved characters", 'Pay&Go (EU)', "jane+mfa@example.com/o'neil?#"],
				['unicode', 'Müller GmbH 🔐', 'jürgen@bücher.de'],
			])('percent-encodes issuer and account name with %s', (_name, issuer, accountName) => {
				const uri = otpauthUri(issuer, accountName, SECRET_BASE32);
				// Only RFC 3986 unreserved characters stay as they are; the label's one colon is the separator.
				const [, label, query] = /^otpauth:\/\/totp\/([^?]*)\?(.*)$/.exec(uri) ?? [];
				expect(label).toMatch(/^[A-Za-z0-9\-._~%]+:[A-Za-z0-9\-._~%]+$/);
				expect(query).toMatch(/^[A-Za-z0-9\-._~%=&]+$/);
				expect(uri).not.toContain(' ');
				expect(uri).not.toContain('+');
				expect(readKeyUri(uri)).toEqual({
					protocol: 'otpauth:',
					type: 'totp',
					issuerInLabel: issuer,
					accountName,
					labelColons: 1,
					parameters: { secret: SECRET_BASE32, issuer, algorithm: 'SHA1', digits: '6', period: '30' },
				});
			});

			test('spaces become %20, never +, and colons in names %3A', () => {
				expect(otpauthUri('A B', 'c:d', 'MZXW6')).toBe('otpauth://totp/A%20B:c%3Ad?secret=MZXW6&issuer=A%20B&algorithm=SHA1&digits=6&period=30');
			});

			test("encodes the characters encodeURIComponent leaves: !'()*", () => {
				expect(encodeKeyUriComponent("a!b'c(d)e*f")).toBe('a%21b%27c%28d%29e%2Af');
				expect(encodeKeyUriComponent('Ä')).toBe('%C3%84');
			});

			test('the secret goes without padding, upper case', () => {
				expect(readKeyUri(otpauthUri('I', 'a', 'mzxw6===')).parameters.secret).toBe('MZXW6');
			});
		});
	},
});
