import { encodeKeyUriComponent, otpauthUri } from '../../dist/nodes/FusionAuthTwoFactor/helpers/otpauth';
import { decodeBase32 } from '../../dist/nodes/FusionAuthTwoFactor/helpers/totp';
import { useRecordingServer } from '../harness/lifecycle';
import { API_KEY, outputJson, runAgainst, visibleText } from './support';

// "12345678901234567890": Base64 as FusionAuth's secret field, Base32 as secretBase32Encoded.
const SECRET = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=';
const SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

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
		const read = readKeyUri(uri);
		expect(read).toEqual({
			protocol: 'otpauth:',
			type: 'totp',
			issuerInLabel: issuer,
			accountName,
			labelColons: 1,
			parameters: { secret: SECRET_BASE32, issuer, algorithm: 'SHA1', digits: '6', period: '30' },
		});
	});

	test('spaces become %20, never +, and colons in names %3A', () => {
		expect(otpauthUri('A B', 'c:d', 'MZXW6')).toBe(
			'otpauth://totp/A%20B:c%3Ad?secret=MZXW6&issuer=A%20B&algorithm=SHA1&digits=6&period=30',
		);
	});

	test("encodes the characters encodeURIComponent leaves: !'()*", () => {
		expect(encodeKeyUriComponent("a!b'c(d)e*f")).toBe('a%21b%27c%28d%29e%2Af');
		expect(encodeKeyUriComponent('Ä')).toBe('%C3%84');
	});

	test('the secret goes without padding, upper case', () => {
		expect(readKeyUri(otpauthUri('I', 'a', 'mzxw6===')).parameters.secret).toBe('MZXW6');
	});
});

describe('secret.generate', () => {
	const server = useRecordingServer({ status: 200, body: { secret: SECRET, secretBase32Encoded: SECRET_BASE32 } });

	test('without issuer and account name, outputs FusionAuth’s secret as it is', async () => {
		const result = await runAgainst(server, { resource: 'secret', operation: 'generate' });
		expect(outputJson(result)).toEqual([{ secret: SECRET, secretBase32Encoded: SECRET_BASE32 }]);
		expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /api/two-factor/secret']);
	});

	test('with issuer and account name, adds the otpauth URI for a QR code', async () => {
		const result = await runAgainst(server, {
			resource: 'secret',
			operation: 'generate',
			additionalFields: { issuer: ' Example Corp ', accountName: 'jane@example.com' },
		});
		expect(outputJson(result)).toEqual([
			{
				secret: SECRET,
				secretBase32Encoded: SECRET_BASE32,
				otpauthUri: `otpauth://totp/Example%20Corp:jane%40example.com?secret=${SECRET_BASE32}&issuer=Example%20Corp&algorithm=SHA1&digits=6&period=30`,
			},
		]);
	});

	test('builds the Base32 secret from the Base64 one when FusionAuth sends no secretBase32Encoded', async () => {
		server.respondWith({ status: 200, body: { secret: SECRET } });
		const result = await runAgainst(server, {
			apiVersion: 'legacy',
			resource: 'secret',
			operation: 'generate',
			additionalFields: { issuer: 'Example', accountName: 'jane' },
		});
		const item = outputJson(result)[0];
		expect(item.secretBase32Encoded).toBeUndefined();
		const uriSecret = readKeyUri(item.otpauthUri as string).parameters.secret;
		expect(uriSecret).toBe(SECRET_BASE32);
		expect(decodeBase32(uriSecret)).toEqual(Buffer.from(SECRET, 'base64'));
	});

	test('one output per item, each with its own account name', async () => {
		const result = await runAgainst(
			server,
			{
				resource: 'secret',
				operation: 'generate',
				additionalFields: { issuer: 'Example', accountName: '={{ $json.email }}' },
			},
			{ items: [{ email: 'a@example.com' }, { email: 'b@example.com' }] },
		);
		expect(outputJson(result).map((item) => readKeyUri(item.otpauthUri as string).accountName)).toEqual([
			'a@example.com',
			'b@example.com',
		]);
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test.each([
		[{ issuer: 'Example' }, 'Account Name is needed too, to build the otpauth URI [item 0]'],
		[{ accountName: 'jane' }, 'Issuer is needed too, to build the otpauth URI [item 0]'],
	])('only one of issuer and account name (%j) fails before any request', async (additionalFields, message) => {
		const result = await runAgainst(server, { resource: 'secret', operation: 'generate', additionalFields });
		expect(result.error?.message).toBe(message);
		expect(server.requests).toHaveLength(0);
	});

	test('with a JWT, sends it as a Bearer token instead of the API key and keeps it out of errors', async () => {
		const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2lnbg';
		server.respondWith({ status: 401 });
		const result = await runAgainst(server, { resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt });
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${jwt}`);
		expect(result.error?.message).toBe('FusionAuth rejected the JWT');
		expect(visibleText(result)).not.toContain(jwt);
		expect(visibleText(result)).not.toContain(API_KEY);
	});
});
