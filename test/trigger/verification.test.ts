/**
 * Every delivery the trigger gets, good or forged, handed to the built node as n8n hands it.
 * Test tokens are made with `jose`, not with the node's code, so a shared mistake cannot pass.
 */
import { createHash, createHmac, sign as cryptoSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK, KeyLike } from 'jose';
import type { IDataObject } from 'n8n-workflow';

import { deliver, hookContext, shared, startedItems, triggerNode } from './context';
import type { Shared } from './context';

const node = triggerNode();
const HMAC_SECRET = 'a-long-hmac-secret-as-key-master-shows-it-1234567890';
const SHARED_SECRET = 'the-shared-secret-the-trigger-registered-0123456789';

function methodRemoved(id = 'e0a6d1f4-1111-4d4f-9a3a-000000000001'): string {
	return JSON.stringify({
		event: {
			createInstant: 1732950000000,
			id,
			info: { ipAddress: '203.0.113.7' },
			method: { id: 'MX2A', method: 'authenticator' },
			tenantId: '30663132-6464-6665-3032-326466613934',
			type: 'user.two-factor.method.remove',
			user: { id: '00000000-0000-4000-8000-000000000002', email: 'jane@example.com' },
		},
	});
}

function failedAttempt(type: string, id: string): string {
	return JSON.stringify({
		event: {
			applicationId: '3c219e58-ed0e-4b18-ad48-f4f92793ae32',
			createInstant: 1732950000000,
			id,
			info: { ipAddress: '203.0.113.7', userAgent: 'curl' },
			method: 'email',
			tenantId: '30663132-6464-6665-3032-326466613934',
			type,
			user: { id: '00000000-0000-4000-8000-000000000003', email: 'sam@example.com' },
		},
	});
}

const sha256 = (raw: string) => createHash('sha256').update(raw, 'utf8').digest('base64');

async function signed(raw: string, key: KeyLike | Uint8Array, alg: string, kid: string, claims: IDataObject = {}): Promise<string> {
	return await new SignJWT({ request_body_sha256: sha256(raw), ...claims }).setProtectedHeader({ alg, typ: 'JWT', kid }).sign(key);
}

/**
 * Key Master key Ids (what a webhook's signingKeyId names) and the kid FusionAuth gives each: the
 * two differ, as in FusionAuth, where the signature's header carries the kid.
 */
const KEY_IDS = new Map([
	['hmac-1', '0b7e1a52-0000-4000-8000-000000000001'],
	['rsa-1', '0b7e1a52-0000-4000-8000-000000000002'],
	['ec-1', '0b7e1a52-0000-4000-8000-000000000003'],
	['ec-384', '0b7e1a52-0000-4000-8000-000000000004'],
	['ed-1', '0b7e1a52-0000-4000-8000-000000000005'],
	['ed-fa', '0b7e1a52-0000-4000-8000-000000000006'],
	['rsa-2', '0b7e1a52-0000-4000-8000-000000000007'],
	['not-published', '0b7e1a52-0000-4000-8000-000000000008'],
]);
const keyIdOf = (kid: string): string => KEY_IDS.get(kid) as string;

/**
 * A server publishing a JSON Web Key Set that a test can change, counting how often it is read,
 * and answering the Key API (`GET /api/key/{keyId}`) with each key's kid, as FusionAuth does.
 */
async function jwksServer(keys: JWK[]) {
	/** holdKeyLookups: the Key API takes the request and answers nothing (a FusionAuth, or an n8n, too busy). */
	const state = { keys, fetches: 0, keyLookups: 0, holdKeyLookups: false, held: [] as ServerResponse[] };
	const server = createServer((request, response) => {
		const keyId = /\/api\/key\/([^/?]+)$/.exec(request.url ?? '')?.[1];
		if (request.url?.endsWith('/.well-known/jwks.json')) {
			state.fetches++;
			response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
		} else if (keyId !== undefined && request.method === 'GET' && state.holdKeyLookups) {
			state.held.push(response);
		} else if (keyId !== undefined && request.method === 'GET') {
			state.keyLookups++;
			const kid = [...KEY_IDS].find(([, id]) => id === keyId)?.[0];
			if (kid === undefined) response.writeHead(404).end();
			else response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ key: { id: keyId, kid, name: `Key ${kid}` } }));
		} else {
			response.writeHead(404).end();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	let prefix = 0;
	return {
		state,
		/** A fresh Base URL per test (a path prefix), so the node's key cache starts empty. */
		baseUrl: () => `http://127.0.0.1:${port}/p${++prefix}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

function signatureTrigger(baseUrl: string, hmacSecret = '', signingKid = hmacSecret === '' ? 'rsa-1' : 'hmac-1'): Shared {
	return shared(
		{ events: ['user.two-factor.method.remove'], registration: 'manual', verification: 'signature', hmacSecret, signingKeyId: keyIdOf(signingKid) },
		{ baseUrl, apiKey: 'an-api-key-never-sent-to-the-jwks', tenantId: '' },
	);
}

function refusal(state: Shared): string {
	const warnings = state.logs.filter((log) => log.level === 'warn').map((log) => log.message);
	expect(warnings).toHaveLength(1);
	return warnings[0];
}

let rsa: { publicKey: KeyLike; privateKey: KeyLike };
let otherRsa: { publicKey: KeyLike; privateKey: KeyLike };
let ec: { publicKey: KeyLike; privateKey: KeyLike };
let ec384: { publicKey: KeyLike; privateKey: KeyLike };
let ed: { publicKey: KeyLike; privateKey: KeyLike };
let jwks: Awaited<ReturnType<typeof jwksServer>>;

beforeAll(async () => {
	rsa = await generateKeyPair('RS256');
	otherRsa = await generateKeyPair('RS256');
	ec = await generateKeyPair('ES256');
	ec384 = await generateKeyPair('ES384');
	ed = await generateKeyPair('EdDSA');
	jwks = await jwksServer([
		{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
		{ ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
		{ ...(await exportJWK(ec384.publicKey)), kid: 'ec-384', alg: 'ES384', use: 'sig' },
		{ ...(await exportJWK(ed.publicKey)), kid: 'ed-1', alg: 'EdDSA', use: 'sig' },
		// As FusionAuth publishes a Key Master Ed25519 key: alg named by the curve.
		{ ...(await exportJWK(ed.publicKey)), kid: 'ed-fa', alg: 'Ed25519', use: 'sig' },
	]);
});

afterAll(async () => {
	await jwks.close();
});

describe('signature: good signatures start the workflow with the event', () => {
	test('HMAC (HS256) with the secret given in the trigger', async () => {
		const raw = methodRemoved();
		const state = signatureTrigger(jwks.baseUrl(), HMAC_SECRET);
		const token = await signed(raw, new TextEncoder().encode(HMAC_SECRET), 'HS256', 'hmac-1');
		const answer = await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': token }, raw });
		expect(answer.status).toBeUndefined();
		expect(startedItems(answer)).toEqual([
			{
				eventType: 'user.two-factor.method.remove',
				userId: '00000000-0000-4000-8000-000000000002',
				email: 'jane@example.com',
				method: 'authenticator',
				event: JSON.parse(raw).event,
			},
		]);
	});

	test('HMAC HS512 too', async () => {
		const raw = methodRemoved();
		const state = signatureTrigger(jwks.baseUrl(), HMAC_SECRET);
		const token = await signed(raw, new TextEncoder().encode(HMAC_SECRET), 'HS512', 'hmac-1');
		expect(startedItems(await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': token }, raw }))).toHaveLength(1);
	});

	test.each([
		['RSA (RS256)', 'RS256', 'rsa-1', () => rsa.privateKey],
		['EC (ES256)', 'ES256', 'ec-1', () => ec.privateKey],
		['EC (ES384)', 'ES384', 'ec-384', () => ec384.privateKey],
		['EdDSA (Ed25519)', 'EdDSA', 'ed-1', () => ed.privateKey],
		['Ed25519, as FusionAuth names it', 'Ed25519', 'ed-fa', () => ed.privateKey],
	])('%s with the public key its kid names in the server JWKS', async (_name, alg, kid, key) => {
		const raw = methodRemoved();
		const state = signatureTrigger(jwks.baseUrl(), '', kid);
		const token = await signed(raw, key(), alg, kid);
		const answer = await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': token }, raw });
		expect(state.logs.filter((log) => log.level === 'warn')).toEqual([]);
		expect(startedItems(answer)?.[0]?.eventType).toBe('user.two-factor.method.remove');
		// The JWKS is public: fetched without the API key, and without following redirects.
		const jwksRequests = state.sent.filter((request) => request.url.endsWith('/.well-known/jwks.json'));
		expect(jwksRequests).toHaveLength(1);
		expect(Object.keys(jwksRequests[0].headers).map((name) => name.toLowerCase())).not.toContain('authorization');
		// The signing key's kid is read with the API key, from the Key API.
		const keyRequests = state.sent.filter((request) => request.url.includes('/api/key/'));
		expect(keyRequests.map((request) => [request.method, new URL(request.url).pathname.replace(/^\/p\d+/, '')])).toEqual([['GET', `/api/key/${keyIdOf(kid)}`]]);
		expect(keyRequests[0].headers.Authorization ?? keyRequests[0].headers.authorization).toBe('an-api-key-never-sent-to-the-jwks');
	});

	test('the key set is cached: a second delivery fetches nothing', async () => {
		const baseUrl = jwks.baseUrl();
		const state = signatureTrigger(baseUrl);
		for (const id of ['e0a6d1f4-1111-4d4f-9a3a-00000000000a', 'e0a6d1f4-1111-4d4f-9a3a-00000000000b']) {
			const raw = methodRemoved(id);
			const answer = await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': await signed(raw, rsa.privateKey, 'RS256', 'rsa-1') }, raw });
			expect(startedItems(answer)).toHaveLength(1);
		}
		expect(state.sent.filter((request) => request.url.endsWith('/.well-known/jwks.json'))).toHaveLength(1);
	});
});

describe('signature: forged or broken deliveries get 401, start nothing, and say why in the log', () => {
	async function refused(state: Shared, headers: Record<string, string>, raw: string): Promise<string> {
		const answer = await deliver(node, state, { headers, raw });
		expect(answer.status).toBe(401);
		expect(answer.result).toEqual({ noWebhookResponse: true });
		expect(startedItems(answer)).toBeUndefined();
		const reason = refusal(state);
		for (const secret of [HMAC_SECRET, state.credential.apiKey as string]) expect(JSON.stringify(state.logs)).not.toContain(secret);
		return reason;
	}

	test('HMAC signed with another secret', async () => {
		const raw = methodRemoved();
		const token = await signed(raw, new TextEncoder().encode('some-other-secret-of-the-same-size-0123456789abcdef'), 'HS256', 'hmac-1');
		expect(await refused(signatureTrigger(jwks.baseUrl(), HMAC_SECRET), { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(/HMAC secret/);
	});

	test('RSA signed with another key under a published kid', async () => {
		const raw = methodRemoved();
		const token = await signed(raw, otherRsa.privateKey, 'RS256', 'rsa-1');
		expect(await refused(signatureTrigger(jwks.baseUrl()), { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(/does not match the public key/);
	});

	test('EC signature presented under the RSA key\'s kid', async () => {
		const raw = methodRemoved();
		const token = await signed(raw, ec.privateKey, 'ES256', 'rsa-1');
		expect(await refused(signatureTrigger(jwks.baseUrl()), { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(/does not fit/);
	});

	test('a JWT whose request_body_sha256 is of another body', async () => {
		const raw = methodRemoved();
		const token = await new SignJWT({ request_body_sha256: sha256(methodRemoved('e0a6d1f4-1111-4d4f-9a3a-0000000000ff')) })
			.setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
			.sign(rsa.privateKey);
		expect(await refused(signatureTrigger(jwks.baseUrl()), { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(/request_body_sha256/);
	});

	test('a body changed after signing (one character, whitespace included)', async () => {
		const raw = methodRemoved();
		const token = await signed(raw, rsa.privateKey, 'RS256', 'rsa-1');
		const tampered = raw.replace('jane@example.com', 'jane@example.org');
		expect(await refused(signatureTrigger(jwks.baseUrl()), { 'X-FusionAuth-Signature-JWT': token }, tampered)).toMatch(/body does not match/);
		const reformatted = `${raw} `;
		expect(await refused(signatureTrigger(jwks.baseUrl()), { 'X-FusionAuth-Signature-JWT': token }, reformatted)).toMatch(/body does not match/);
	});

	test('the signing key\'s kid is not in the key set (after fetching it)', async () => {
		const raw = methodRemoved();
		const token = await signed(raw, otherRsa.privateKey, 'RS256', 'not-published');
		const state = signatureTrigger(jwks.baseUrl(), '', 'not-published');
		expect(await refused(state, { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(/no public key with kid "not-published"/);
		expect(state.sent.filter((request) => request.url.endsWith('/.well-known/jwks.json'))).toHaveLength(1);
	});

	test('an expired JWT', async () => {
		const raw = methodRemoved();
		const token = await signed(raw, rsa.privateKey, 'RS256', 'rsa-1', { exp: Math.floor(Date.now() / 1000) - 3600 });
		expect(await refused(signatureTrigger(jwks.baseUrl()), { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(/expired/);
	});

	test.each([
		['not a JWT', 'not-a-jwt', /is not a signed JWT/],
		['two parts', 'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ', /is not a signed JWT/],
		['an empty signature', 'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.', /is not a signed JWT/],
		['a header that is not JSON', `${Buffer.from('{alg').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`, /is malformed/],
		['characters outside base64url', 'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln+/==', /is not a signed JWT/],
	])('a malformed JWT: %s, refused as such before any key is tried', async (_name, token, reason) => {
		const raw = methodRemoved();
		expect(await refused(signatureTrigger(jwks.baseUrl(), HMAC_SECRET), { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(reason);
	});

	test('alg "none" is never accepted', async () => {
		const raw = methodRemoved();
		const token = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ request_body_sha256: sha256(raw) })).toString('base64url')}.x`;
		expect(await refused(signatureTrigger(jwks.baseUrl()), { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(/does not accept \("none"\)/);
		expect(await refused(signatureTrigger(jwks.baseUrl(), HMAC_SECRET), { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(/uses "none", but the trigger expects an HMAC key/);
	});

	test('an HS256 token is refused when the trigger expects an asymmetric key (no key confusion)', async () => {
		const raw = methodRemoved();
		const publicJwk = JSON.stringify(await exportJWK(rsa.publicKey));
		const token = await signed(raw, new TextEncoder().encode(publicJwk), 'HS256', 'rsa-1');
		expect(await refused(signatureTrigger(jwks.baseUrl()), { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(/no HMAC secret/);
	});

	test('an RS256 token is refused when the trigger expects an HMAC key', async () => {
		const raw = methodRemoved();
		const token = await signed(raw, rsa.privateKey, 'RS256', 'rsa-1');
		expect(await refused(signatureTrigger(jwks.baseUrl(), HMAC_SECRET), { 'X-FusionAuth-Signature-JWT': token }, raw)).toMatch(/expects an HMAC key/);
	});

	test('no X-FusionAuth-Signature-JWT header', async () => {
		expect(await refused(signatureTrigger(jwks.baseUrl(), HMAC_SECRET), {}, methodRemoved())).toMatch(/header is missing/);
	});
});

describe('signature: a rotated key is fetched again', () => {
	test('a kid the cached set does not hold fetches the set again and verifies', async () => {
		const baseUrl = jwks.baseUrl();
		const state = signatureTrigger(baseUrl);
		const first = methodRemoved('e0a6d1f4-1111-4d4f-9a3a-0000000000c1');
		expect(startedItems(await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': await signed(first, rsa.privateKey, 'RS256', 'rsa-1') }, raw: first }))).toHaveLength(1);
		const rotated = await generateKeyPair('RS256');
		const original = [...jwks.state.keys];
		jwks.state.keys = [...original, { ...(await exportJWK(rotated.publicKey)), kid: 'rsa-2', alg: 'RS256' }];
		try {
			// The webhook now signs with the new key, and the trigger names it.
			state.parameters.signingKeyId = keyIdOf('rsa-2');
			// Right after the first fetch: the cache waits out its one-second gap, then fetches.
			const second = methodRemoved('e0a6d1f4-1111-4d4f-9a3a-0000000000c2');
			const answer = await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': await signed(second, rotated.privateKey, 'RS256', 'rsa-2') }, raw: second });
			expect(startedItems(answer)).toHaveLength(1);
			expect(state.sent.filter((request) => request.url.endsWith('/.well-known/jwks.json'))).toHaveLength(2);
		} finally {
			jwks.state.keys = original;
		}
	});

	test('made-up kids never reach the key set, and the signing key is looked up once for all of them', async () => {
		const state = signatureTrigger(jwks.baseUrl());
		const wave = async (prefix: string) => {
			const raw = methodRemoved();
			// Signed first, so that the deliveries arrive together.
			const tokens = await Promise.all(Array.from({ length: 20 }, async (_, index) => await signed(raw, otherRsa.privateKey, 'RS256', `${prefix}-${index}`)));
			const answers = await Promise.all(tokens.map(async (token) => await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': token }, raw })));
			return answers.map((answer) => answer.status);
		};
		const requests = (part: string) => state.sent.filter((request) => request.url.includes(part)).length;
		expect(await wave('forged')).toEqual(Array(20).fill(401));
		expect(await wave('other')).toEqual(Array(20).fill(401));
		expect(requests('/.well-known/jwks.json')).toBe(0);
		expect(requests('/api/key/')).toBe(1);
	});
});

describe('signature: a burst of deliveries does not wait on FusionAuth', () => {
	const methods = () => (node.webhookMethods as { default: { checkExists: (this: unknown) => Promise<boolean> } }).default;

	test('activation reads the signing key and the key set ahead: the deliveries then ask FusionAuth nothing', async () => {
		const state = signatureTrigger(jwks.baseUrl());
		expect(await methods().checkExists.call(hookContext(state, 'https://n8n.example.com/webhook/x/webhook'))).toBe(true);
		const paths = () => state.sent.map((request) => new URL(request.url).pathname.replace(/^\/p\d+/, ''));
		expect(paths()).toEqual([`/api/key/${keyIdOf('rsa-1')}`, '/.well-known/jwks.json']);
		const raws = ['e0a6d1f4-1111-4d4f-9a3a-0000000000d1', 'e0a6d1f4-1111-4d4f-9a3a-0000000000d2'].map((id) => methodRemoved(id));
		const answers = await Promise.all(raws.map(async (raw) => await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': await signed(raw, rsa.privateKey, 'RS256', 'rsa-1') }, raw })));
		expect(answers.map((answer) => startedItems(answer)?.length)).toEqual([1, 1]);
		expect(paths()).toHaveLength(2);
	});

	test('50 signed deliveries at once read the credential once, not once each', async () => {
		const state = signatureTrigger(jwks.baseUrl());
		const raws = Array.from({ length: 50 }, (_, index) => methodRemoved(`e0a6d1f4-1111-4d4f-9a3a-0000000001${String(index).padStart(2, '0')}`));
		const tokens = await Promise.all(raws.map(async (raw) => await signed(raw, rsa.privateKey, 'RS256', 'rsa-1')));
		const answers = await Promise.all(raws.map(async (raw, index) => await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': tokens[index] }, raw })));
		expect(answers.filter((answer) => startedItems(answer)?.length === 1)).toHaveLength(50);
		expect(state.credentialReads).toBe(1);
	});

	test('a changed credential (another server) is read within a second', async () => {
		const state = signatureTrigger(jwks.baseUrl());
		const delivery = async (id: string) => {
			const raw = methodRemoved(id);
			return await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': await signed(raw, rsa.privateKey, 'RS256', 'rsa-1') }, raw });
		};
		expect(startedItems(await delivery('e0a6d1f4-1111-4d4f-9a3a-0000000000f1'))).toHaveLength(1);
		const moved = jwks.baseUrl();
		state.credential = { ...state.credential, baseUrl: moved };
		await new Promise((resolve) => setTimeout(resolve, 1100));
		expect(startedItems(await delivery('e0a6d1f4-1111-4d4f-9a3a-0000000000f2'))).toHaveLength(1);
		expect(state.sent.filter((request) => request.url.startsWith(moved))).toHaveLength(2);
	});

	test('activation with a shared secret, or an HMAC key, fetches no key set', async () => {
		const hmac = signatureTrigger(jwks.baseUrl(), HMAC_SECRET);
		await methods().checkExists.call(hookContext(hmac, 'https://n8n.example.com/webhook/x/webhook'));
		expect(hmac.sent.map((request) => new URL(request.url).pathname.replace(/^\/p\d+/, ''))).toEqual([`/api/key/${keyIdOf('hmac-1')}`]);
		const secret = shared({ events: ['user.two-factor.method.remove'], registration: 'manual', verification: 'sharedSecret', sharedSecret: SHARED_SECRET }, { baseUrl: jwks.baseUrl(), apiKey: 'k', tenantId: '' });
		await methods().checkExists.call(hookContext(secret, 'https://n8n.example.com/webhook/x/webhook'));
		expect(secret.sent).toEqual([]);
	});

	test('a signing key lookup FusionAuth did not answer in time refuses that delivery, and the next one a second later looks it up again (not a minute later)', async () => {
		const state = signatureTrigger(jwks.baseUrl());
		const delivery = async (id: string) => {
			const raw = methodRemoved(id);
			return await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': await signed(raw, rsa.privateKey, 'RS256', 'rsa-1') }, raw });
		};
		jwks.state.holdKeyLookups = true;
		try {
			expect((await delivery('e0a6d1f4-1111-4d4f-9a3a-0000000000e1')).status).toBe(401);
			expect(refusal(state)).toMatch(/could not reach FusionAuth at .* to read its signing key .* within 1.5 s/);
		} finally {
			jwks.state.holdKeyLookups = false;
			for (const response of jwks.state.held.splice(0)) response.destroy();
		}
		await new Promise((resolve) => setTimeout(resolve, 1100));
		expect(startedItems(await delivery('e0a6d1f4-1111-4d4f-9a3a-0000000000e2'))).toHaveLength(1);
		expect(state.sent.filter((request) => request.url.includes('/api/key/'))).toHaveLength(2);
	});
});

describe('signature: only the trigger\'s signing key is accepted', () => {
	async function refusedWith(state: Shared, token: string, raw: string): Promise<string> {
		const answer = await deliver(node, state, { headers: { 'X-FusionAuth-Signature-JWT': token }, raw });
		expect(answer.status).toBe(401);
		expect(startedItems(answer)).toBeUndefined();
		return refusal(state);
	}

	test('HMAC: the right secret under another key\'s kid is refused, and the log names the kid that came', async () => {
		const raw = methodRemoved();
		const token = await signed(raw, new TextEncoder().encode(HMAC_SECRET), 'HS256', 'hmac-other');
		expect(await refusedWith(signatureTrigger(jwks.baseUrl(), HMAC_SECRET), token, raw)).toBe(
			'FusionAuth Two Factor Trigger refused a delivery: the signature JWT\'s kid "hmac-other" is not the kid of the trigger\'s signing key',
		);
	});

	test('HMAC: a token without kid is refused', async () => {
		const raw = methodRemoved();
		const token = await new SignJWT({ request_body_sha256: sha256(raw) }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(HMAC_SECRET));
		expect(await refusedWith(signatureTrigger(jwks.baseUrl(), HMAC_SECRET), token, raw)).toMatch(/has no kid/);
	});

	test('public key: a valid signature by another key the server publishes is refused', async () => {
		const raw = methodRemoved();
		const state = signatureTrigger(jwks.baseUrl(), '', 'rsa-1');
		const token = await signed(raw, ec.privateKey, 'ES256', 'ec-1');
		expect(await refusedWith(state, token, raw)).toMatch(/kid "ec-1" is not the kid of the trigger's signing key/);
		expect(state.sent.filter((request) => request.url.endsWith('/.well-known/jwks.json'))).toHaveLength(0);
	});

	test('a very long kid is quoted in the log cut to 64 characters', async () => {
		const raw = methodRemoved();
		const kid = `${'k'.repeat(70)}\n${'x'.repeat(10_000)}`;
		const reason = await refusedWith(signatureTrigger(jwks.baseUrl(), HMAC_SECRET), await signed(raw, new TextEncoder().encode(HMAC_SECRET), 'HS256', kid), raw);
		expect(reason).toContain(`kid "${'k'.repeat(64)}..." is not`);
		expect(reason.length).toBeLessThan(200);
	});

	test.each([
		['HMAC', HMAC_SECRET, 'HS256', 'hmac-1'],
		['public key', '', 'RS256', 'rsa-1'],
	])('%s: a header with crit is refused, even with a good signature', async (_name, hmacSecret, alg, kid) => {
		const raw = methodRemoved();
		// jose will not write a crit it does not understand itself: signed with node:crypto here.
		const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const input = `${part({ alg, typ: 'JWT', kid, crit: ['exp'] })}.${part({ request_body_sha256: sha256(raw), exp: Math.floor(Date.now() / 1000) + 60 })}`;
		const signature = hmacSecret === '' ? cryptoSign('sha256', Buffer.from(input), rsa.privateKey as KeyObject) : createHmac('sha256', hmacSecret).update(input).digest();
		const token = `${input}.${signature.toString('base64url')}`;
		expect(await refusedWith(signatureTrigger(jwks.baseUrl(), hmacSecret), token, raw)).toMatch(/critical header parameters \(crit\)/);
	});

	test.each([
		['no Signing Key ID', '', /no Signing Key ID is set/],
		['a Signing Key ID that is not a key Id', 'rsa-1', /Signing Key ID "rsa-1" is not a Key Master key Id/],
	])('%s: every signature is refused', async (_name, signingKeyId, reason) => {
		const raw = methodRemoved();
		const state = signatureTrigger(jwks.baseUrl(), HMAC_SECRET);
		state.parameters.signingKeyId = signingKeyId;
		const token = await signed(raw, new TextEncoder().encode(HMAC_SECRET), 'HS256', 'hmac-1');
		expect(await refusedWith(state, token, raw)).toMatch(reason);
		expect(state.sent).toEqual([]);
	});

	test('a key FusionAuth does not know (404): refused, and not looked up again for a minute', async () => {
		const raw = methodRemoved();
		const baseUrl = jwks.baseUrl();
		const token = await signed(raw, new TextEncoder().encode(HMAC_SECRET), 'HS256', 'hmac-1');
		for (let attempt = 0; attempt < 3; attempt++) {
			const state = signatureTrigger(baseUrl, HMAC_SECRET);
			state.parameters.signingKeyId = '0b7e1a52-0000-4000-8000-0000000000ff';
			expect(await refusedWith(state, token, raw)).toMatch(/FusionAuth answered 404 to GET \/api\/key\/0b7e1a52-0000-4000-8000-0000000000ff/);
			expect(state.sent.filter((request) => request.url.includes('/api/key/'))).toHaveLength(attempt === 0 ? 1 : 0);
		}
	});
});

describe('shared secret, basic auth, none', () => {
	const automatic = (staticData: IDataObject) =>
		shared({ events: ['user.two-factor.method.remove'], verification: 'sharedSecret' }, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' }, staticData);

	test('the secret the trigger registered starts the workflow', async () => {
		const state = automatic({ registrations: { 'http://n8n.example.com/webhook/x/webhook': { webhookId: 'w1', fingerprint: 'f', sharedSecret: SHARED_SECRET } } });
		const answer = await deliver(node, state, { headers: { 'X-N8n-Webhook-Secret': SHARED_SECRET }, raw: methodRemoved() });
		expect(startedItems(answer)).toHaveLength(1);
	});

	test.each([
		['a wrong secret', { 'X-N8n-Webhook-Secret': `${SHARED_SECRET.slice(0, -1)}x` }],
		['a prefix of the secret', { 'X-N8n-Webhook-Secret': SHARED_SECRET.slice(0, 10) }],
		['no secret header', {}],
	])('%s: 401, nothing starts, the secret is not logged', async (_name, headers) => {
		const state = automatic({ registrations: { 'http://n8n.example.com/webhook/x/webhook': { webhookId: 'w1', fingerprint: 'f', sharedSecret: SHARED_SECRET } } });
		const answer = await deliver(node, state, { headers, raw: methodRemoved() });
		expect(answer.status).toBe(401);
		expect(startedItems(answer)).toBeUndefined();
		expect(refusal(state)).toMatch(/x-n8n-webhook-secret/i);
		expect(JSON.stringify(state.logs)).not.toContain(SHARED_SECRET.slice(0, 10));
	});

	test('with no secret registered yet, nothing is accepted, not even an empty header', async () => {
		const state = automatic({});
		const answer = await deliver(node, state, { headers: { 'X-N8n-Webhook-Secret': '' }, raw: methodRemoved() });
		expect(answer.status).toBe(401);
	});

	test('manual registration compares with the secret given in the trigger', async () => {
		const parameters = { events: ['user.two-factor.method.remove'], registration: 'manual', verification: 'sharedSecret', sharedSecret: SHARED_SECRET };
		const good = shared(parameters, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
		expect(startedItems(await deliver(node, good, { headers: { 'x-n8n-webhook-secret': SHARED_SECRET }, raw: methodRemoved() }))).toHaveLength(1);
		const bad = shared(parameters, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
		expect((await deliver(node, bad, { headers: { 'x-n8n-webhook-secret': 'nope' }, raw: methodRemoved() })).status).toBe(401);
	});

	test('basic auth: the right user and password start the workflow, anything else gets 401', async () => {
		const parameters = { events: ['user.two-factor.method.remove'], verification: 'basicAuth', basicAuthUsername: 'fusionauth', basicAuthPassword: 'pa:ss-word' };
		const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
		const good = shared(parameters, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
		expect(startedItems(await deliver(node, good, { headers: { Authorization: basic('fusionauth:pa:ss-word') }, raw: methodRemoved() }))).toHaveLength(1);
		for (const authorization of [basic('fusionauth:wrong'), basic('other:pa:ss-word'), 'Bearer x', '']) {
			const bad = shared(parameters, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
			expect((await deliver(node, bad, { headers: authorization ? { Authorization: authorization } : {}, raw: methodRemoved() })).status).toBe(401);
			expect(JSON.stringify(bad.logs)).not.toContain('pa:ss-word');
		}
	});

	test('none accepts a delivery without any proof', async () => {
		const state = shared({ events: ['user.two-factor.method.remove'], verification: 'none' }, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
		expect(startedItems(await deliver(node, state, { headers: {}, raw: methodRemoved() }))).toHaveLength(1);
	});
});

describe('what starts a run', () => {
	const parameters = { events: ['user.two-factor.failed-attempt', 'user.two-factor.method.remove'], verification: 'none' };

	test('a repeated event id is answered 200 and starts nothing; the memory stays bounded', async () => {
		const state = shared(parameters, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
		const raw = methodRemoved('e0a6d1f4-1111-4d4f-9a3a-0000000000d1');
		expect(startedItems(await deliver(node, state, { headers: {}, raw }))).toHaveLength(1);
		const again = await deliver(node, state, { headers: {}, raw });
		expect(again.status).toBeUndefined();
		expect(again.result.noWebhookResponse).toBeUndefined();
		expect(startedItems(again)).toBeUndefined();
		for (let index = 0; index < 250; index++) {
			await deliver(node, state, { headers: {}, raw: methodRemoved(`e0a6d1f4-1111-4d4f-9a3a-${String(index).padStart(12, '0')}`) });
		}
		expect((state.staticData.recentEventIds as string[]).length).toBeLessThanOrEqual(200);
		// Long forgotten: the first id starts a run again.
		expect(startedItems(await deliver(node, state, { headers: {}, raw }))).toHaveLength(1);
	});

	test('a repeated event is dropped also when n8n hands the trigger fresh static data each time (as n8n 2.x does)', async () => {
		const state = shared(parameters, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
		const raw = methodRemoved('e0a6d1f4-1111-4d4f-9a3a-0000000000d2');
		expect(startedItems(await deliver(node, state, { headers: {}, raw }))).toHaveLength(1);
		state.staticData = {};
		expect(startedItems(await deliver(node, state, { headers: {}, raw }))).toBeUndefined();
		// Another trigger (workflow) gets the same event for itself.
		const other = shared(parameters, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
		expect(startedItems(await deliver(node, other, { headers: {}, raw }))).toHaveLength(1);
	});

	test.each(['user.two-factor.failed-attempt', 'user.two-factor.failed.attempt'])('the failed attempt spelled %s', async (type) => {
		const state = shared(parameters, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
		const raw = failedAttempt(type, `f${type.length}a6d1f4-1111-4d4f-9a3a-000000000001`);
		expect(startedItems(await deliver(node, state, { headers: {}, raw }))).toEqual([
			{
				eventType: 'user.two-factor.failed-attempt',
				userId: '00000000-0000-4000-8000-000000000003',
				email: 'sam@example.com',
				method: 'email',
				event: JSON.parse(raw).event,
			},
		]);
	});

	test('an event the trigger was not set to start on is answered 200 and starts nothing', async () => {
		const state = shared({ ...parameters, events: ['user.two-factor.method.add'] }, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
		const answer = await deliver(node, state, { headers: {}, raw: methodRemoved() });
		expect(answer.status).toBeUndefined();
		expect(startedItems(answer)).toBeUndefined();
	});

	test('a body that is not a FusionAuth event gets 400 and starts nothing', async () => {
		for (const raw of ['{"user": {}}', 'not json', '{"event": "text"}']) {
			const state = shared(parameters, { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
			const answer = await deliver(node, state, { headers: {}, raw });
			expect(answer.status).toBe(400);
			expect(startedItems(answer)).toBeUndefined();
		}
	});
});
