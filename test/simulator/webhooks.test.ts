/**
 * The simulator's webhooks held to FusionAuth's official TypeScript client (createWebhook,
 * retrieveWebhook, updateWebhook, patchWebhook, searchWebhooks, deleteWebhook, patchTenant,
 * generateKey, retrieveJsonWebKeySet), and its deliveries checked as a receiver sees them, with
 * signatures verified by `jose`.
 */
import { createHash, createPublicKey } from 'node:crypto';

import FusionAuthClient from '@fusionauth/typescript-client';
import type ClientResponse from '@fusionauth/typescript-client/build/src/ClientResponse';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

import { RecordingServer } from '../harness/recordingServer';
import { DEMO_AUTHENTICATOR_SECRET, DEMO_PASSWORD, DEMO_USERS, Simulator, startSimulator } from './server';
import { base64Decode, totp } from './totp';

const { authenticator: alice, noMethods: nora } = DEMO_USERS;
// The client types eventsEnabled as a record of every event type; FusionAuth takes any subset.
const METHOD_EVENTS = { 'user.two-factor.method.add': true, 'user.two-factor.method.remove': true } as Record<string, boolean> as never;

let sim: Simulator;
let client: FusionAuthClient;
let receiver: RecordingServer;

beforeAll(async () => {
	sim = await startSimulator({ webhooks: { retryDelayMs: 20 } });
	client = new FusionAuthClient(sim.apiKey, sim.url);
	receiver = await RecordingServer.start();
});

afterAll(async () => {
	await sim.close();
	await receiver.close();
});

beforeEach(() => {
	sim.reset();
	receiver.reset();
	receiver.respondWith({ status: 200 });
});

async function failure<T>(promise: Promise<ClientResponse<T>>): Promise<ClientResponse<T>> {
	try {
		await promise;
	} catch (error) {
		return error as ClientResponse<T>;
	}
	throw new Error('expected the call to fail');
}

function lastRequest() {
	return sim.requests[sim.requests.length - 1];
}

describe('the Webhook API, through the official client', () => {
	test('createWebhook: POST /api/webhook with {"webhook": ...}, answered with the stored webhook and its id', async () => {
		const created = await client.createWebhook(null as unknown as string, {
			webhook: { url: `${receiver.url}/hook`, connectTimeout: 1000, readTimeout: 2000, eventsEnabled: METHOD_EVENTS, global: true, description: 'by the client' },
		});
		expect(created.statusCode).toBe(200);
		const request = lastRequest();
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/api/webhook');
		expect(request.headers.authorization).toBe(sim.apiKey);
		const id = created.response.webhook?.id as string;
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		expect(created.response.webhook).toMatchObject({ url: `${receiver.url}/hook`, eventsEnabled: METHOD_EVENTS, global: true });
		expect(sim.webhooks.get(id)).toMatchObject({ url: `${receiver.url}/hook`, description: 'by the client' });
	});

	test('createWebhook with an id puts it in the path; a second create with it is refused', async () => {
		const id = '7e1b7f3c-6a10-4a5b-9a0e-4c6f0f1d2a3b';
		const request = { webhook: { url: receiver.url, connectTimeout: 1000, readTimeout: 2000 } };
		expect((await client.createWebhook(id, request)).response.webhook?.id).toBe(id);
		expect(lastRequest().path).toBe(`/api/webhook/${id}`);
		expect((await failure(client.createWebhook(id, request))).statusCode).toBe(400);
	});

	test('createWebhook without url or timeouts: 400 naming the field', async () => {
		const missingUrl = await failure(client.createWebhook(null as unknown as string, { webhook: { connectTimeout: 1000, readTimeout: 2000 } }));
		expect(Object.keys((missingUrl.exception as { fieldErrors?: object }).fieldErrors ?? {})).toEqual(['webhook.url']);
		const missingTimeout = await failure(client.createWebhook(null as unknown as string, { webhook: { url: receiver.url, connectTimeout: 1000 } }));
		expect(Object.keys((missingTimeout.exception as { fieldErrors?: object }).fieldErrors ?? {})).toEqual(['webhook.readTimeout']);
	});

	test('retrieve, update, patch, search and delete', async () => {
		const id = (await client.createWebhook(null as unknown as string, { webhook: { url: receiver.url, connectTimeout: 1000, readTimeout: 2000, description: 'n8n one' } })).response.webhook?.id as string;
		expect((await client.retrieveWebhook(id)).response.webhook?.description).toBe('n8n one');
		await client.updateWebhook(id, { webhook: { url: `${receiver.url}/b`, connectTimeout: 500, readTimeout: 500 } });
		expect(lastRequest().method).toBe('PUT');
		expect(sim.webhooks.get(id)).toMatchObject({ url: `${receiver.url}/b`, connectTimeout: 500 });
		expect(sim.webhooks.get(id)?.description).toBeUndefined();
		await client.patchWebhook(id, { webhook: { description: 'patched' } });
		expect(lastRequest().method).toBe('PATCH');
		expect(sim.webhooks.get(id)).toMatchObject({ url: `${receiver.url}/b`, description: 'patched' });
		const found = await client.searchWebhooks({ search: { description: 'patch' } });
		expect(found.response.webhooks?.map((webhook) => webhook.id)).toEqual([id]);
		expect((await client.searchWebhooks({ search: { description: 'nothing like it' } })).response.total).toBe(0);
		const deleted = await client.deleteWebhook(id);
		expect(deleted.statusCode).toBe(200);
		expect(lastRequest()).toMatchObject({ method: 'DELETE', path: `/api/webhook/${id}` });
		expect((await failure(client.retrieveWebhook(id))).statusCode).toBe(404);
		expect((await failure(client.deleteWebhook(id))).statusCode).toBe(404);
	});

	test('a key without permission for /api/webhook gets 401', async () => {
		const limited = await startSimulator({ apiKeys: [{ key: 'limited-key-0123456789', permissions: { '/api/user': ['GET'] } }] });
		try {
			const response = await failure(new FusionAuthClient('limited-key-0123456789', limited.url).createWebhook(null as unknown as string, { webhook: { url: receiver.url, connectTimeout: 1, readTimeout: 1 } }));
			expect(response.statusCode).toBe(401);
		} finally {
			await limited.close();
		}
	});
});

describe('the tenant event configuration, through patchTenant', () => {
	test('patchTenant merges events into eventConfiguration and keeps the others', async () => {
		sim.webhooks.enableEvents(['user.login.success']);
		const patched = await client.patchTenant(sim.tenantId, {
			tenant: { eventConfiguration: { events: { 'user.two-factor.method.remove': { enabled: true, transactionType: 'None' } } } } as never,
		});
		expect(patched.statusCode).toBe(200);
		expect(lastRequest()).toMatchObject({ method: 'PATCH', path: `/api/tenant/${sim.tenantId}` });
		expect(sim.webhooks.tenantEvents()).toEqual({
			'user.login.success': { enabled: true, transactionType: 'None' },
			'user.two-factor.method.remove': { enabled: true, transactionType: 'None' },
		});
		expect((await client.retrieveTenant(sim.tenantId)).response.tenant?.eventConfiguration?.events).toEqual(sim.webhooks.tenantEvents());
	});

	test('an unknown tenant: 404', async () => {
		expect((await failure(client.patchTenant('0b5a0d52-0000-4000-8000-000000000000', { tenant: {} }))).statusCode).toBe(404);
	});
});

describe('Key Master keys and the JWKS, through generateKey and retrieveJsonWebKeySet', () => {
	test('RSA and EC public keys are published by kid; HMAC secrets never are', async () => {
		const rsa = (await client.generateKey(null as unknown as string, { key: { algorithm: 'RS256' as never, name: 'rsa' } })).response.key;
		const ec = (await client.generateKey(null as unknown as string, { key: { algorithm: 'ES256' as never, name: 'ec' } })).response.key;
		const hmac = (await client.generateKey(null as unknown as string, { key: { algorithm: 'HS256' as never, name: 'hmac' } })).response.key;
		expect(hmac?.secret).toEqual(expect.any(String));
		const jwks = await client.retrieveJsonWebKeySet();
		expect(lastRequest()).toMatchObject({ method: 'GET', path: '/.well-known/jwks.json' });
		expect(lastRequest().headers.authorization).toBeUndefined();
		const keys = jwks.response.keys ?? [];
		expect(keys.map((key) => key.kid).sort()).toEqual([rsa?.kid, ec?.kid].sort());
		expect(JSON.stringify(keys)).not.toContain(String(hmac?.secret));
		for (const key of keys) expect(key).not.toHaveProperty('d');
	});

	test.each([
		['RS256', 'RSA'],
		['ES384', 'EC'],
		['Ed25519', 'OKP'],
	])('a %s key is published as a %s JWK with its alg, kid and use, the same public key the Key API shows', async (algorithm, kty) => {
		const key = (await client.generateKey(null as unknown as string, { key: { algorithm: algorithm as never, name: algorithm } })).response.key;
		const [jwk] = (await client.retrieveJsonWebKeySet()).response.keys ?? [];
		expect(jwk).toMatchObject({ kty, alg: algorithm, kid: key?.kid, use: 'sig' });
		const fromJwk = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
		expect(fromJwk).toBe(createPublicKey(String(key?.publicKey)).export({ type: 'spki', format: 'pem' }));
	});
});

describe('event delivery', () => {
	async function webhook(extra: Record<string, unknown> = {}): Promise<string> {
		const response = await client.createWebhook(null as unknown as string, {
			webhook: { url: `${receiver.url}/n8n`, connectTimeout: 1000, readTimeout: 2000, eventsEnabled: METHOD_EVENTS, global: true, ...extra },
		});
		return response.response.webhook?.id as string;
	}

	const code = (secret: string) => totp(base64Decode(secret) as Buffer, Date.now());

	test('adding and removing a method POSTs {"event": ...} with the webhook headers, once each', async () => {
		sim.webhooks.enableEvents(Object.keys(METHOD_EVENTS));
		await webhook({ headers: { 'X-N8n-Webhook-Secret': 'shh' } });
		await client.enableTwoFactor(nora.id, { method: 'authenticator', secret: DEMO_AUTHENTICATOR_SECRET, code: code(DEMO_AUTHENTICATOR_SECRET) });
		const methodId = sim.users.get(nora.id)?.methods[0].id as string;
		await client.disableTwoFactor(alice.id, '2KSZ', code(DEMO_AUTHENTICATOR_SECRET));
		await sim.webhooks.idle();
		// Deliveries run at once: their order on arrival is not fixed.
		const events = receiver.requests.map((request) => (request.body as { event: Record<string, unknown> }).event);
		expect(events.map((event) => event.type).sort()).toEqual(['user.two-factor.method.add', 'user.two-factor.method.remove']);
		const added = events.find((event) => event.type === 'user.two-factor.method.add') as Record<string, unknown>;
		const removed = events.find((event) => event.type === 'user.two-factor.method.remove') as Record<string, unknown>;
		expect(added).toMatchObject({ method: { id: methodId, method: 'authenticator' }, user: { id: nora.id, email: nora.email }, tenantId: sim.tenantId });
		expect(removed).toMatchObject({ method: { id: '2KSZ', method: 'authenticator' }, user: { id: alice.id } });
		expect(added.id).not.toBe(removed.id);
		for (const request of receiver.requests) {
			expect(request.method).toBe('POST');
			expect(request.headers['x-n8n-webhook-secret']).toBe('shh');
			expect(request.headers['content-type']).toBe('application/json');
		}
	});

	test('nothing is sent when the tenant has the event off, or the webhook does not cover the tenant or the event', async () => {
		await webhook();
		await client.disableTwoFactor(alice.id, '2KSZ', code(DEMO_AUTHENTICATOR_SECRET));
		sim.webhooks.enableEvents(['user.two-factor.method.add']);
		await webhook({ global: false, tenantIds: [] });
		await client.enableTwoFactor(nora.id, { method: 'authenticator', secret: DEMO_AUTHENTICATOR_SECRET, code: code(DEMO_AUTHENTICATOR_SECRET) });
		await sim.webhooks.idle();
		// Only the global webhook got the add; the remove was off in the tenant.
		expect(receiver.requests).toHaveLength(1);
	});

	test('a two-factor login sends challenge, failed attempt and success', async () => {
		sim.webhooks.enableEvents(['user.two-factor.challenge', 'user.two-factor.failed-attempt', 'user.two-factor.success']);
		await webhook({ eventsEnabled: { 'user.two-factor.challenge': true, 'user.two-factor.failed-attempt': true, 'user.two-factor.success': true } });
		const login = await client.login({ loginId: alice.email, password: DEMO_PASSWORD });
		const twoFactorId = login.response.twoFactorId as string;
		await failure(client.twoFactorLogin({ twoFactorId, code: '000000' }));
		await client.twoFactorLogin({ twoFactorId, code: code(DEMO_AUTHENTICATOR_SECRET) });
		await sim.webhooks.idle();
		const events = receiver.requests.map((request) => (request.body as { event: Record<string, unknown> }).event);
		expect(events.map((event) => event.type).sort()).toEqual(['user.two-factor.challenge', 'user.two-factor.failed-attempt', 'user.two-factor.success']);
		expect(events.find((event) => event.type === 'user.two-factor.success')).toMatchObject({ method: 'authenticator', user: { id: alice.id } });
	});

	test('a failed delivery is tried up to three more times, then given up', async () => {
		sim.webhooks.enableEvents(['user.two-factor.method.remove']);
		await webhook();
		let calls = 0;
		receiver.respondWith(() => ({ status: ++calls <= 2 ? 500 : 200 }));
		await client.disableTwoFactor(alice.id, '2KSZ', code(DEMO_AUTHENTICATOR_SECRET));
		await sim.webhooks.idle();
		expect(sim.webhooks.deliveries.map((attempt) => [attempt.attempt, attempt.status])).toEqual([[1, 500], [2, 500], [3, 200]]);
		const ids = new Set(receiver.requests.map((request) => (request.body as { event: { id: string } }).event.id));
		expect(ids.size).toBe(1);

		sim.reset();
		receiver.reset();
		sim.webhooks.enableEvents(['user.two-factor.method.remove']);
		await webhook();
		receiver.respondWith({ status: 503 });
		await client.disableTwoFactor(alice.id, '2KSZ', code(DEMO_AUTHENTICATOR_SECRET));
		await sim.webhooks.idle();
		expect(sim.webhooks.deliveries.map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4]);
	});

	async function signedDelivery(algorithm: string) {
		sim.webhooks.enableEvents(['user.two-factor.method.remove']);
		const key = (await client.generateKey(null as unknown as string, { key: { algorithm: algorithm as never, name: algorithm } })).response.key;
		await webhook({ signatureConfiguration: { enabled: true, signingKeyId: key?.id } });
		await client.disableTwoFactor(alice.id, '2KSZ', code(DEMO_AUTHENTICATOR_SECRET));
		await sim.webhooks.idle();
		expect(receiver.requests).toHaveLength(1);
		const [request] = receiver.requests;
		return { key, request, token: String(request.headers['x-fusionauth-signature-jwt']) };
	}

	// Each key type of Key Master with each of its algorithms, checked by jose alone.
	test.each(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'Ed25519'])(
		'signed with a %s key: X-FusionAuth-Signature-JWT verifies against the published JWKS and hashes the raw body',
		async (algorithm) => {
			const { key, request, token } = await signedDelivery(algorithm);
			expect(decodeProtectedHeader(token)).toEqual({ alg: algorithm, typ: 'JWT', kid: key?.kid });
			const jwks = createLocalJWKSet({ keys: (await client.retrieveJsonWebKeySet()).response.keys as never });
			const verified = await jwtVerify(token, jwks, { algorithms: [algorithm] });
			expect(verified.payload).toEqual({ request_body_sha256: createHash('sha256').update(request.rawBody).digest('base64') });
		},
	);

	test.each(['HS256', 'HS384', 'HS512'])(
		'signed with a %s key: X-FusionAuth-Signature-JWT verifies with the secret Key Master shows and hashes the raw body',
		async (algorithm) => {
			const { key, request, token } = await signedDelivery(algorithm);
			expect(decodeProtectedHeader(token)).toEqual({ alg: algorithm, typ: 'JWT', kid: key?.kid });
			const verified = await jwtVerify(token, new TextEncoder().encode(String(key?.secret)), { algorithms: [algorithm] });
			expect(verified.payload).toEqual({ request_body_sha256: createHash('sha256').update(request.rawBody).digest('base64') });
		},
	);

	test('a prepared delivery is what FusionAuth would send (headers, signature over the body, a new event id each time) and is not sent', async () => {
		const key = (await client.generateKey(null as unknown as string, { key: { algorithm: 'RS256' as never, name: 'prepared' } })).response.key;
		const id = await webhook({ headers: { 'X-N8n-Webhook-Secret': 'shh' }, signatureConfiguration: { enabled: true, signingKeyId: key?.id } });
		const fields = { method: { id: '2KSZ', method: 'authenticator' }, user: { id: alice.id } };
		const first = await sim.webhooks.prepareDelivery(id, 'user.two-factor.method.add', fields);
		const second = await sim.webhooks.prepareDelivery(id, 'user.two-factor.method.add', fields);
		expect(first.url).toBe(`${receiver.url}/n8n`);
		const event = (JSON.parse(first.body) as { event: Record<string, unknown> }).event;
		expect(event).toMatchObject({ ...fields, id: first.eventId, type: 'user.two-factor.method.add', tenantId: sim.tenantId });
		expect(second.eventId).not.toBe(first.eventId);
		expect(first.headers).toMatchObject({ 'Content-Type': 'application/json', 'X-N8n-Webhook-Secret': 'shh' });
		const jwks = createLocalJWKSet({ keys: (await client.retrieveJsonWebKeySet()).response.keys as never });
		const verified = await jwtVerify(first.headers['X-FusionAuth-Signature-JWT'], jwks, { algorithms: ['RS256'] });
		expect(verified.payload).toEqual({ request_body_sha256: createHash('sha256').update(first.body).digest('base64') });
		await sim.webhooks.idle();
		expect(receiver.requests).toHaveLength(0);
		expect(sim.webhooks.deliveries).toHaveLength(0);
	});

	test('a webhook with basic auth sends it', async () => {
		sim.webhooks.enableEvents(['user.two-factor.method.remove']);
		await webhook({ httpAuthenticationUsername: 'fa', httpAuthenticationPassword: 'pw' });
		await client.disableTwoFactor(alice.id, '2KSZ', code(DEMO_AUTHENTICATOR_SECRET));
		await sim.webhooks.idle();
		expect(receiver.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('fa:pw').toString('base64')}`);
	});
});
