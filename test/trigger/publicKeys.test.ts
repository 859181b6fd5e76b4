import { exportJWK, generateKeyPair } from 'jose';
import type { KeyObject } from 'node:crypto';

import { fetchJwks } from '../../dist/nodes/FusionAuthTwoFactorTrigger/api';
import { PublicKeyCache } from '../../dist/nodes/FusionAuthTwoFactorTrigger/publicKeys';

// The cache behind signature verification: which key a kid gets, and what a failed fetch keeps.
let clock = 0;
const cache = () => new PublicKeyCache(() => clock);
let jwkA: Record<string, unknown>;
let jwkB: Record<string, unknown>;

beforeAll(async () => {
	jwkA = { ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), kid: 'a', alg: 'ES256' };
	jwkB = { ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), kid: 'b', alg: 'ES256' };
});

const HOUR = 60 * 60 * 1000;
const x = (key: KeyObject | undefined) => (key?.export({ format: 'jwk' }) as { x?: string } | undefined)?.x;

test('a failed fetch (an error page, no list of keys) keeps the keys already known', async () => {
	const keys = cache();
	clock = 0;
	expect(x(await keys.get('s', 'a', async () => [jwkA]))).toBe(jwkA.x);
	clock = 2 * HOUR; // stale: the set is fetched again, and that fetch fails
	let fetches = 0;
	const failing = async () => {
		fetches++;
		throw new Error("FusionAuth's key set answered 502 without a list of keys");
	};
	expect(x(await keys.get('s', 'a', failing))).toBe(jwkA.x);
	expect(fetches).toBe(1);
});

test('a failed fetch does not mark a kid as unpublished: the next delivery asks again', async () => {
	const keys = cache();
	clock = 10 * HOUR;
	expect(await keys.get('s', 'b', async () => Promise.reject(new Error('502')))).toBeUndefined();
	clock += 2000;
	expect(x(await keys.get('s', 'b', async () => [jwkA, jwkB]))).toBe(jwkB.x);
});

test('a key the server stopped publishing is not used again', async () => {
	const keys = cache();
	clock = 20 * HOUR;
	expect(x(await keys.get('s', 'a', async () => [jwkA]))).toBe(jwkA.x);
	clock += 2 * HOUR;
	expect(await keys.get('s', 'a', async () => [jwkB])).toBeUndefined();
});

describe("fetching FusionAuth's key set", () => {
	const credential = { baseUrl: 'http://127.0.0.1:9', tenantId: '', ignoreSslIssues: false };
	const answering = (statusCode: number, body: unknown) =>
		({ helpers: { httpRequest: async () => ({ statusCode, body, headers: {} }) } }) as never;

	test.each([
		['a proxy error page', 502, '<html>Bad gateway</html>'],
		['a 429', 429, ''],
		['a 200 without keys', 200, '{"message":"maintenance"}'],
	])('%s is a failed fetch, not an empty set', async (_name, status, body) => {
		await expect(fetchJwks(answering(status, body), credential)).rejects.toThrow(/key set answered/);
	});

	test('a set is its keys', async () => {
		expect(await fetchJwks(answering(200, JSON.stringify({ keys: [jwkA] })), credential)).toEqual([jwkA]);
	});
});
