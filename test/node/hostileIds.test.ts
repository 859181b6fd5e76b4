import type { INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';

const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
const API_KEY = 'hostile-ids-api-key';

const server = useRecordingServer();

async function run(parameters: INodeParameters, baseUrl = server.url) {
	return await runNode({ parameters, credentials: { baseUrl, apiKey: API_KEY } });
}

/** The request target exactly as it arrived, before any URL parser could resolve `..`. */
function rawPath(url: string): string {
	return url.split('?')[0];
}

const hostile = ['../', '..', '.', '?', '#', '%2F', 'ü', '用户', '👤', 'a b', '\\', `${USER_ID}/..`, `../${USER_ID}`, `${USER_ID}?x=1`, `${USER_ID}#x`, `${USER_ID}%2F..`];

describe('a hostile userId is refused as not a UUID, before any request', () => {
	const operations: Array<[string, INodeParameters]> = [
		['twoFactor.enable (current)', { resource: 'twoFactor', operation: 'enable', code: '123456', secret: 'c2VjcmV0' }],
		['twoFactor.enable (legacy)', { apiVersion: 'legacy', resource: 'twoFactor', operation: 'enable', code: '123456', secret: 'c2VjcmV0' }],
		['twoFactor.disable (current)', { resource: 'twoFactor', operation: 'disable', methodId: '2KSZ', code: '123456' }],
		['twoFactor.disable (legacy)', { apiVersion: 'legacy', resource: 'twoFactor', operation: 'disable', code: '123456' }],
		['code.send (current)', { resource: 'code', operation: 'send', purpose: 'disable', methodId: '2KSZ' }],
		['code.send (legacy)', { apiVersion: 'legacy', resource: 'code', operation: 'send', sendTo: 'user' }],
	];
	const cases = operations.flatMap(([name, parameters]) => hostile.map((userId) => [name, userId, parameters] as const));

	test.each(cases)('%s: %j', async (_name, userId, parameters) => {
		const result = await run({ ...parameters, userId });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error!.message).toMatch(/^User ID must be a UUID .* \[item 0\]$/);
		expect(server.requests).toHaveLength(0);
	});
});

describe('code.sendForLogin: twoFactorId stays one encoded path segment', () => {
	const encoded: Array<[string, string]> = [
		['?', '%3F'],
		['#', '%23'],
		['%2F', '%252F'],
		['a/b', 'a%2Fb'],
		['../', '..%2F'],
		['../../api/user', '..%2F..%2Fapi%2Fuser'],
		['..%2F..%2Fuser', '..%252F..%252Fuser'],
		['%2e%2e', '%252e%252e'],
		['\\..\\', '%5C..%5C'],
		['a b', 'a%20b'],
		['ü', '%C3%BC'],
		['👤', '%F0%9F%91%A4'],
		['...', '...'],
		['tfid;x=1', 'tfid%3Bx%3D1'],
	];
	const versions: Array<[string, INodeParameters]> = [
		['current', { resource: 'code', operation: 'sendForLogin', methodId: '2KSZ' }],
		['legacy', { apiVersion: 'legacy', resource: 'code', operation: 'sendForLogin' }],
	];
	const cases = versions.flatMap(([version, parameters]) =>
		encoded.map(([twoFactorId, segment]) => [version, twoFactorId, segment, parameters] as const),
	);

	test.each(cases)('%s: %j is sent as %s', async (_version, twoFactorId, segment, parameters) => {
		const result = await run({ ...parameters, twoFactorId });
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].url).toBe(`/api/two-factor/send/${segment}`);
		// FusionAuth, decoding the segment, gets back exactly the id that was given.
		expect(decodeURIComponent(rawPath(server.requests[0].url).split('/').pop()!)).toBe(twoFactorId);
	});

	test('under a base URL with a path prefix, the prefix is kept and nothing escapes it', async () => {
		const result = await run(
			{ resource: 'code', operation: 'sendForLogin', methodId: '2KSZ', twoFactorId: '../../../x' },
			`${server.url}/fusionauth//`,
		);
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => request.url)).toEqual(['/fusionauth/api/two-factor/send/..%2F..%2F..%2Fx']);
	});

	test.each(versions.flatMap(([version, parameters]) => ['.', '..', ' .. ', '\t.\n'].map((id) => [version, id, parameters] as const)))(
		'%s: %j is refused with a clear error, before any request',
		async (_version, twoFactorId, parameters) => {
			const result = await run({ ...parameters, twoFactorId });
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error!.message).toBe(`Two Factor ID cannot be "${twoFactorId.trim()}" [item 0]`);
			expect(server.requests).toHaveLength(0);
		},
	);
});

describe('methodId and code travel as encoded query values and never change the path', () => {
	const values = ['a&code=000000', '1#2', '?', '/../../api/user', '%2F', 'a b+c', 'ü👤', 'x=y;z', '..'];

	test.each(values.flatMap((value) => [['methodId', value] as const, ['code', value] as const]))(
		'twoFactor.disable (current) %s %j',
		async (field, value) => {
			const result = await run({
				resource: 'twoFactor',
				operation: 'disable',
				userId: USER_ID,
				methodId: '2KSZ',
				code: '123456',
				[field]: value,
			});
			expect(result.error).toBeUndefined();
			expect(server.requests).toHaveLength(1);
			const [request] = server.requests;
			expect(rawPath(request.url)).toBe(`/api/user/two-factor/${USER_ID}`);
			const expected = { methodId: '2KSZ', code: '123456', [field]: value };
			expect(request.query).toEqual(expected);
			expect(request.url).toBe(
				`/api/user/two-factor/${USER_ID}?methodId=${encodeURIComponent(expected.methodId)}&code=${encodeURIComponent(expected.code)}`,
			);
		},
	);

	test.each(values)('twoFactor.disable (legacy, JWT) code %j', async (code) => {
		const result = await run({
			apiVersion: 'legacy',
			resource: 'twoFactor',
			operation: 'disable',
			authenticateWith: 'jwt',
			jwt: 'eyJ.e30.sig',
			code,
		});
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => request.url)).toEqual([`/api/user/two-factor?code=${encodeURIComponent(code)}`]);
		expect(server.requests[0].query).toEqual({ code });
	});

	test.each(values)('code.sendForLogin (current) methodId %j goes in the body only', async (methodId) => {
		const result = await run({ resource: 'code', operation: 'sendForLogin', twoFactorId: 'tfid-1', methodId });
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => request.url)).toEqual(['/api/two-factor/send/tfid-1']);
		expect(server.requests[0].body).toEqual({ methodId });
	});
});
