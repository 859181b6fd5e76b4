/**
 * The trigger's calls (Webhook and Tenant APIs, the key set) and the credential test follow the
 * node's sending rules: one deadline for the whole exchange, size limits, no redirect followed,
 * and ids from FusionAuth never move a request to another path. Against hostile servers, on the
 * wire, with n8n-core's own request helpers.
 */
import '../harness/environment';

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK, KeyLike } from 'jose';
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, IDataObject, INodeCredentialTestResult } from 'n8n-workflow';

import { useHostileServer, useServer } from '../harness/lifecycle';
import { NODE_TYPE } from '../harness/n8n';
import { loadPackage, PACKAGE_ROOT } from '../harness/package';
import type { RawHandler } from '../harness/hostileServer';
import { RecordingServer } from '../harness/recordingServer';
import { deliver, hookContext, shared, startedItems, triggerNode } from '../trigger/context';
import type { Shared } from '../trigger/context';

const API_KEY = 'shared-path-api-key-0123456789';
const trigger = triggerNode();
const methods = trigger.webhookMethods!.default!;

const server = useHostileServer();
const elsewhere = useServer(async () => await RecordingServer.start());
beforeEach(() => elsewhere.reset());

/** FusionAuth waits 2 s for a delivery's answer; the key set fetch has 1.5 s of it. */
const DELIVERY_BUDGET_MS = 2000;
/** The Key Master key the webhook signs with (its Id; FusionAuth's signature names it by its kid). */
const SIGNING_KEY_ID = '6f0c1c7e-2b1d-4c55-9a0e-0a1b2c3d4e5f';

describe("the trigger's key set fetch (signature verification with the server's keys)", () => {
	let key: { publicKey: KeyLike; privateKey: KeyLike };
	let jwk: JWK;
	const raw = JSON.stringify({
		event: {
			id: 'e0a6d1f4-2222-4d4f-9a3a-000000000001',
			type: 'user.two-factor.method.remove',
			user: { id: '00000000-0000-4000-8000-000000000002', email: 'jane@example.com' },
			method: { id: 'MX2A', method: 'authenticator' },
		},
	});

	beforeAll(async () => {
		key = await generateKeyPair('ES256');
		jwk = { ...(await exportJWK(key.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' };
	});

	/** A fresh path prefix per test: the trigger caches each server's keys. */
	let prefix = 0;
	function signatureTrigger(): Shared {
		return shared(
			{ events: ['user.two-factor.method.remove'], registration: 'manual', verification: 'signature', signingKeyId: SIGNING_KEY_ID, hmacSecret: '' },
			{ baseUrl: `${server.url}/p${++prefix}`, apiKey: API_KEY, tenantId: '' },
		);
	}

	/**
	 * The Key API answers as FusionAuth does (the signing key's kid is es-1), so that each test's
	 * delivery gets as far as the key set; `keySet` answers everything else.
	 */
	function respondWithKeySet(keySet: RawHandler): void {
		server.respondWith((request, response, socket) => {
			if (request.path.endsWith(`/api/key/${SIGNING_KEY_ID}`)) {
				response.writeHead(200, { 'Content-Type': 'application/json' });
				return response.end(JSON.stringify({ key: { id: SIGNING_KEY_ID, kid: 'es-1', algorithm: 'ES256', type: 'EC' } }));
			}
			return keySet(request, response, socket);
		});
	}

	async function signed(): Promise<string> {
		const digest = createHash('sha256').update(raw, 'utf8').digest('base64');
		return await new SignJWT({ request_body_sha256: digest }).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'es-1' }).sign(key.privateKey);
	}

	async function timedDelivery(state: Shared) {
		const token = await signed();
		const started = Date.now();
		const answer = await deliver(trigger, state, { headers: { 'X-FusionAuth-Signature-JWT': token }, raw });
		return { answer, elapsed: Date.now() - started };
	}

	const jwksRequests = () => server.requests.filter((request) => request.path.endsWith('/.well-known/jwks.json'));

	test('a key set that trickles one byte every 100 ms: the delivery is refused within the budget', async () => {
		respondWithKeySet((_, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.write(`{"keys":[${JSON.stringify(jwk)}`);
			server.every(100, () => response.write(' ') && !response.destroyed);
		});
		const { answer, elapsed } = await timedDelivery(signatureTrigger());
		expect(answer.status).toBe(401);
		expect(startedItems(answer)).toBeUndefined();
		expect(elapsed).toBeLessThan(DELIVERY_BUDGET_MS);
		expect(jwksRequests()).toHaveLength(1);
	});

	test('headers, then silence: the same', async () => {
		respondWithKeySet((_, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.flushHeaders();
		});
		const { answer, elapsed } = await timedDelivery(signatureTrigger());
		expect(answer.status).toBe(401);
		expect(elapsed).toBeLessThan(DELIVERY_BUDGET_MS);
	});

	test('a key set larger than 256 KiB is refused, even holding the right key', async () => {
		const padding = 'A'.repeat(300 * 1024);
		respondWithKeySet((_, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ keys: [jwk, { kty: 'oct', kid: 'padding', k: padding }] }));
		});
		const { answer } = await timedDelivery(signatureTrigger());
		expect(answer.status).toBe(401);
		expect(startedItems(answer)).toBeUndefined();
	});

	test('a key set under the limit (200 KiB) is read: the delivery starts the workflow', async () => {
		const padding = 'A'.repeat(200 * 1024);
		respondWithKeySet((_, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ keys: [jwk, { kty: 'oct', kid: 'padding', k: padding }] }));
		});
		const { answer } = await timedDelivery(signatureTrigger());
		expect(startedItems(answer)).toHaveLength(1);
	});

	test('a Key API answer that trickles: the delivery is refused within the budget', async () => {
		server.respondWith((_, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.write('{"key":{"kid":"es-1"');
			server.every(100, () => response.write(' ') && !response.destroyed);
		});
		const { answer, elapsed } = await timedDelivery(signatureTrigger());
		expect(answer.status).toBe(401);
		expect(startedItems(answer)).toBeUndefined();
		expect(elapsed).toBeLessThan(DELIVERY_BUDGET_MS);
		expect(server.requests.map((request) => request.path)).toEqual([`/p${prefix}/api/key/${SIGNING_KEY_ID}`]);
	});

	test('a redirecting key set is not followed: nothing reaches the redirect target', async () => {
		elsewhere.respondWith({ status: 200, body: { keys: [jwk] } });
		respondWithKeySet((_, response) => {
			response.writeHead(302, { Location: `${elsewhere.url}/.well-known/jwks.json` }).end();
		});
		const { answer } = await timedDelivery(signatureTrigger());
		expect(answer.status).toBe(401);
		expect(jwksRequests()).toHaveLength(1);
		expect(elsewhere.requests).toEqual([]);
	});
});

describe("the trigger's Webhook and Tenant API calls", () => {
	const WEBHOOK_URL = 'http://127.0.0.1:5678/webhook/abc/webhook';
	const EVENTS = ['user.two-factor.method.add'];

	function registering(parameters: IDataObject = {}, staticData: IDataObject = {}): Shared {
		return shared({ events: EVENTS, ...parameters }, { baseUrl: server.url, apiKey: API_KEY, tenantId: '' }, staticData);
	}

	/** Answers like FusionAuth's Webhook API, with `webhookId` as the id of every webhook. */
	function webhookApi(webhookId: string): void {
		server.respondWith((request, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ webhook: { id: webhookId, url: WEBHOOK_URL } }));
		});
	}

	test.each([
		[301, 'GET'],
		[302, 'POST'],
		[307, 'POST'],
		[308, 'DELETE'],
	])('a %i answer is not followed: no request and no API key reaches the redirect target', async (status) => {
		server.respondWith((_, response) => {
			response.writeHead(status, { Location: `${elsewhere.url}/api/webhook` }).end();
		});
		const state = registering({}, { registrations: { [WEBHOOK_URL]: { webhookId: 'c1e3b4a2-0000-4000-8000-000000000001', fingerprint: 'x' } } });
		const hook = hookContext(state, WEBHOOK_URL);
		await expect(methods.checkExists.call(hook)).rejects.toThrow(new RegExp(`FusionAuth answered ${status}, a redirect to ${elsewhere.url}/api/webhook, which the node does not follow`));
		await expect(methods.create.call(hook)).rejects.toThrow(/a redirect/);
		await expect(methods.delete.call(hook)).rejects.toThrow(/a redirect/);
		expect(server.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'DELETE']);
		expect(server.requests.every((request) => request.headers.authorization === API_KEY)).toBe(true);
		expect(elsewhere.requests).toEqual([]);
	});

	test.each(['..', '.', ''])('a webhook id %j from FusionAuth sends no DELETE and no GET, and says why', async (webhookId) => {
		webhookApi(webhookId);
		const state = registering();
		const hook = hookContext(state, WEBHOOK_URL);
		expect(await methods.create.call(hook)).toBe(true);
		expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /api/webhook']);

		const refused = `Refusing to send DELETE /api/webhook/{webhookId} with webhookId "${webhookId}"`;
		const error = (await methods.delete.call(hook).catch((thrown: Error) => thrown)) as Error & { description?: string };
		expect(error.message).toBe(refused);
		expect(error.description).toContain('Nothing was sent');
		await expect(methods.checkExists.call(hook)).rejects.toThrow('Refusing to send GET /api/webhook/{webhookId} with webhookId');
		expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /api/webhook']);
	});

	test('a tenant id ".." from the tenant list is not sent in a path', async () => {
		server.respondWith((request, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify(request.path === '/api/tenant' ? { tenants: [{ id: '..' }] } : { tenant: {} }));
		});
		const hook = hookContext(registering({ enableEventsInTenant: true }), WEBHOOK_URL);
		await expect(methods.create.call(hook)).rejects.toThrow('Refusing to send GET /api/tenant/{tenantId} with tenantId ".."');
		expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/tenant']);
	});

	test('an error answer that never ends is read only as far as its start: the error comes at once', async () => {
		server.respondWith((_, response) => {
			response.writeHead(400, { 'Content-Type': 'application/json' });
			response.write(JSON.stringify({ fieldErrors: { 'webhook.url': [{ code: '[invalid]webhook.url', message: 'The url is invalid.' }] } }).slice(0, -1));
			response.write(`,"padding":"`);
			const chunk = 'x'.repeat(16 * 1024);
			const pump = () => {
				while (!response.destroyed && response.write(chunk));
				if (!response.destroyed) response.once('drain', pump);
			};
			pump();
		});
		const started = Date.now();
		const error = (await methods.create.call(hookContext(registering(), WEBHOOK_URL)).catch((thrown: Error) => thrown)) as Error & { description?: string };
		// Not JSON once cut: FusionAuth's lists cannot be read, the status still says what happened.
		expect(error.message).toBe('Could not create the FusionAuth webhook: FusionAuth answered 400');
		expect(Date.now() - started).toBeLessThan(5000);
	});
});

describe('the credential test', () => {
	const loaded = loadPackage();
	const credentialType = loaded.credentials.fusionAuthApi;
	const nodeType = loaded.nodes[NODE_TYPE];

	async function testCredential(fields: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
		const data: ICredentialDataDecryptedObject = {};
		for (const property of credentialType.properties) data[property.name] = property.default as string;
		Object.assign(data, fields);
		const method = nodeType.methods!.credentialTest!.fusionAuthApiTest;
		return await method.call(new CredentialTestContext() as unknown as ICredentialTestFunctions, { id: 'cred-1', name: 'FusionAuth', type: credentialType.name, data });
	}

	test(
		'an answer that trickles past the deadline (15 s) fails at it, not later',
		async () => {
			server.respondWith((_, response) => {
				response.writeHead(200, { 'Content-Type': 'application/json' });
				response.write('{"secret":"');
				server.every(200, () => response.write('A') && !response.destroyed);
			});
			const started = Date.now();
			const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY });
			const elapsed = Date.now() - started;
			expect(result).toEqual({
				status: 'Error',
				message: `Could not reach FusionAuth at ${server.url}: no complete answer within 15 seconds. Check the Base URL and that the server is running.`,
			});
			expect(elapsed).toBeGreaterThanOrEqual(14_500);
			expect(elapsed).toBeLessThan(17_000);
		},
		25_000,
	);

	test('an answer larger than 64 KiB is refused at the limit, without waiting for its end', async () => {
		server.respondWith((_, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.write('{"secret":"');
			const chunk = 'A'.repeat(16 * 1024);
			const pump = () => {
				while (!response.destroyed && response.write(chunk));
				if (!response.destroyed) response.once('drain', pump);
			};
			pump();
		});
		const started = Date.now();
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY });
		expect(result).toEqual({
			status: 'Error',
			message: `The server at ${server.url} answered 200 with more than 64 KiB, where FusionAuth answers with a few hundred bytes: check that the Base URL is where FusionAuth is served`,
		});
		expect(Date.now() - started).toBeLessThan(5000);
	});

	test.each([301, 303, 307, 308])('a %i is reported, not followed: the key goes nowhere else', async (status) => {
		server.respondWith((_, response) => {
			response.writeHead(status, { Location: `${elsewhere.url}/api/two-factor/secret` }).end();
		});
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY });
		expect(result.message).toContain(`answered with a redirect (${status})`);
		expect(server.requests).toHaveLength(1);
		expect(elsewhere.requests).toEqual([]);
	});
});

describe('one sending path', () => {
	/** Every TypeScript file under a folder of the package. */
	function sources(folder: string): string[] {
		return readdirSync(folder).flatMap((name) => {
			const file = path.join(folder, name);
			if (statSync(file).isDirectory()) return sources(file);
			return file.endsWith('.ts') ? [file] : [];
		});
	}

	test('only nodes/shared/send.ts puts requests on the wire (fetch, n8n\'s request helpers, node:http)', () => {
		const sending = /\bfetch\(|helpers\.(httpRequest|request)\b|from 'node:https?'|require\('https?'\)/;
		const files = [...sources(path.join(PACKAGE_ROOT, 'nodes')), ...sources(path.join(PACKAGE_ROOT, 'credentials'))];
		const found = files.filter((file) => sending.test(readFileSync(file, 'utf8'))).map((file) => path.relative(PACKAGE_ROOT, file));
		expect(found).toEqual([path.join('nodes', 'shared', 'send.ts')]);
	});
});
