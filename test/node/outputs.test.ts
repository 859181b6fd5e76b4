import { createHmac } from 'crypto';
import type { INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';
import type { Reply } from '../harness/recordingServer';

const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
const API_KEY = 'outputs-test-api-key';
/** RFC 6238's SHA1 test key, "12345678901234567890", in the two encodings FusionAuth hands out. */
const RFC_KEY_BASE64 = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=';
const RFC_KEY_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

const server = useRecordingServer();

async function run(parameters: INodeParameters, reply: Reply = { status: 200 }, items?: Array<Record<string, unknown>>) {
	server.respondWith(reply);
	const result = await runNode({
		parameters,
		items: items as never,
		credentials: { baseUrl: server.url, apiKey: API_KEY },
	});
	expect(result.error).toBeUndefined();
	return result;
}

describe('the output item of each operation', () => {
	const empty: Array<[string, INodeParameters]> = [
		['twoFactor.disable (current)', { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: '2KSZ', code: '123456' }],
		['twoFactor.disable (legacy)', { apiVersion: 'legacy', resource: 'twoFactor', operation: 'disable', userId: USER_ID, code: '123456' }],
		['twoFactor.enable (legacy)', { apiVersion: 'legacy', resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'c2VjcmV0' }],
		['code.send (current)', { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'disable', methodId: '2KSZ' }],
		['code.send (legacy)', { apiVersion: 'legacy', resource: 'code', operation: 'send', sendTo: 'user', userId: USER_ID }],
		['code.sendForLogin (current)', { resource: 'code', operation: 'sendForLogin', twoFactorId: 'tfid-1', methodId: '2KSZ' }],
		['code.sendForLogin (legacy)', { apiVersion: 'legacy', resource: 'code', operation: 'sendForLogin', twoFactorId: 'tfid-1' }],
	];

	test.each(empty)('%s: an answer without a body is { success: true }, one per item, paired', async (_name, parameters) => {
		const result = await run(parameters, { status: 200 }, [{}, {}]);
		expect(result.output).toEqual([
			{ json: { success: true }, pairedItem: { item: 0 } },
			{ json: { success: true }, pairedItem: { item: 1 } },
		]);
		expect(server.requests).toHaveLength(2);
	});

	test('twoFactor.enable (current): the recovery codes FusionAuth returns for the first method', async () => {
		const recoveryCodes = Array.from({ length: 10 }, (_, index) => `RC${index}-XXXX`);
		const result = await run(
			{ resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'c2VjcmV0' },
			{ status: 200, body: { recoveryCodes } },
		);
		expect(result.output).toEqual([{ json: { recoveryCodes }, pairedItem: { item: 0 } }]);
	});

	test('twoFactor.enable (current): { success: true } for a further method (no body)', async () => {
		const result = await run({ resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'c2VjcmV0' });
		expect(result.output.map((item) => item.json)).toEqual([{ success: true }]);
	});

	test.each(['current', 'legacy'])('secret.generate (%s): FusionAuth\'s secret in both encodings', async (apiVersion) => {
		const result = await run(
			{ apiVersion, resource: 'secret', operation: 'generate' },
			{ status: 200, body: { secret: RFC_KEY_BASE64, secretBase32Encoded: RFC_KEY_BASE32 } },
		);
		expect(result.output.map((item) => item.json)).toEqual([{ secret: RFC_KEY_BASE64, secretBase32Encoded: RFC_KEY_BASE32 }]);
	});

	test('secret.generate with issuer and account name adds the otpauth URI an authenticator app reads', async () => {
		const result = await run(
			{ resource: 'secret', operation: 'generate', additionalFields: { issuer: 'Example Corp', accountName: 'jane@example.com' } },
			{ status: 200, body: { secret: RFC_KEY_BASE64, secretBase32Encoded: RFC_KEY_BASE32 } },
		);
		const text = String(result.output[0].json.otpauthUri);
		expect(text.startsWith('otpauth://totp/Example%20Corp:jane%40example.com?')).toBe(true);
		const uri = new URL(text);
		expect(uri.host).toBe('totp');
		expect(decodeURIComponent(uri.pathname)).toBe('/Example Corp:jane@example.com');
		expect(Object.fromEntries(uri.searchParams)).toEqual({
			secret: RFC_KEY_BASE32,
			issuer: 'Example Corp',
			algorithm: 'SHA1',
			digits: '6',
			period: '30',
		});
	});

	test('secret.generate derives the Base32 secret of the URI from the Base64 one when that is all FusionAuth sent (legacy)', async () => {
		const result = await run(
			{ apiVersion: 'legacy', resource: 'secret', operation: 'generate', additionalFields: { issuer: 'Ex', accountName: 'j' } },
			{ status: 200, body: { secret: RFC_KEY_BASE64 } },
		);
		expect(new URL(String(result.output[0].json.otpauthUri)).searchParams.get('secret')).toBe(RFC_KEY_BASE32);
	});
});

describe('code.generateTotp computes the code an authenticator app shows, without any request', () => {
	// RFC 6238 appendix B (SHA1), last six of its eight digits.
	test.each([
		['1970-01-01T00:00:59Z', '287082', '1970-01-01T00:00:30.000Z', '1970-01-01T00:01:00.000Z'],
		['2005-03-18T01:58:29Z', '081804', '2005-03-18T01:58:00.000Z', '2005-03-18T01:58:30.000Z'],
		['2009-02-13T23:31:30Z', '005924', '2009-02-13T23:31:30.000Z', '2009-02-13T23:32:00.000Z'],
		['2033-05-18T03:33:20Z', '279037', '2033-05-18T03:33:00.000Z', '2033-05-18T03:33:30.000Z'],
	])('at %s: %s', async (time, code, validFrom, validUntil) => {
		for (const [secret, secretEncoding] of [
			[RFC_KEY_BASE64, 'base64'],
			[RFC_KEY_BASE32, 'base32'],
			[RFC_KEY_BASE32.toLowerCase().replace(/(.{4})/g, '$1 '), 'base32'],
		]) {
			const result = await run({ resource: 'code', operation: 'generateTotp', secret, secretEncoding, additionalFields: { time } });
			expect(result.output).toEqual([{ json: { code, validFrom, validUntil }, pairedItem: { item: 0 } }]);
		}
		expect(server.requests).toHaveLength(0);
	});

	test('without a time: the code for now', async () => {
		const before = Date.now();
		const result = await run({ resource: 'code', operation: 'generateTotp', secret: RFC_KEY_BASE64 });
		const { code, validFrom, validUntil } = result.output[0].json as Record<string, string>;
		const from = Date.parse(validFrom);
		expect(Date.parse(validUntil) - from).toBe(30_000);
		expect(from).toBeLessThanOrEqual(Date.now());
		expect(Date.parse(validUntil)).toBeGreaterThan(before);
		// Independent HOTP (RFC 4226) for the step the node reported.
		const counter = Buffer.alloc(8);
		counter.writeBigUInt64BE(BigInt(from / 30_000));
		const mac = createHmac('sha1', Buffer.from(RFC_KEY_BASE64, 'base64')).update(counter).digest();
		const offset = mac[mac.length - 1] & 0x0f;
		const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
		expect(code).toBe(String(value).padStart(6, '0'));
	});
});

describe('the credential\'s base URL', () => {
	test('a path prefix and trailing slashes: the prefix is kept', async () => {
		server.respondWith({ status: 200 });
		const result = await runNode({
			parameters: { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'disable', methodId: '2KSZ' },
			credentials: { baseUrl: ` ${server.url}/fusionauth/// `, apiKey: API_KEY },
		});
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => request.url)).toEqual(['/fusionauth/api/two-factor/send']);
	});

	test('one that is not http(s) fails with a clear message before any request', async () => {
		const result = await runNode({
			parameters: { resource: 'secret', operation: 'generate' },
			credentials: { baseUrl: 'auth.example.com', apiKey: API_KEY },
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error!.message).toBe(
			'The Base URL in the FusionAuth credential must start with http:// or https://, for example https://auth.example.com',
		);
		expect(server.requests).toHaveLength(0);
	});
});
