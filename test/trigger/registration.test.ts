/**
 * Automatic registration against the simulator: the requests the trigger sends as they arrive
 * (compared with what FusionAuth's official client sends for the same webhook), what it keeps in
 * static data, and the whole loop: the simulator delivers an event and the trigger accepts it.
 */
import FusionAuthClient from '@fusionauth/typescript-client';
import type { IDataObject } from 'n8n-workflow';

import { RecordingServer } from '../harness/recordingServer';
import { DEMO_AUTHENTICATOR_SECRET, DEMO_USERS, Simulator, startSimulator } from '../simulator/server';
import { base64Decode, totp } from '../simulator/totp';
import { deliver, hookContext, shared, startedItems, triggerNode } from './context';
import type { Answer, Shared } from './context';

const node = triggerNode();
const methods = node.webhookMethods!.default!;
const { authenticator: alice, noMethods: nora } = DEMO_USERS;
const EVENTS = ['user.two-factor.method.remove', 'user.two-factor.method.add'];

let sim: Simulator;
let receiver: RecordingServer;
let state: Shared;
let answers: Answer[];

beforeAll(async () => {
	sim = await startSimulator({ webhooks: { retryDelayMs: 20 } });
	receiver = await RecordingServer.start();
});

afterAll(async () => {
	await sim.close();
	await receiver.close();
});

function trigger(parameters: IDataObject = {}, credential: IDataObject = {}): Shared {
	return shared({ events: EVENTS, ...parameters }, { baseUrl: sim.url, apiKey: sim.apiKey, tenantId: '', ...credential });
}

beforeEach(() => {
	sim.reset();
	receiver.reset();
	answers = [];
	state = trigger();
	// The receiver hands each delivery to the trigger as n8n would, and answers as n8n would.
	receiver.respondWith(async (request) => {
		const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
		const answer = await deliver(node, state, { headers, raw: request.rawBody });
		answers.push(answer);
		return { status: answer.status ?? 200, body: answer.body ?? { message: 'Workflow was started' } };
	});
});

const PRODUCTION_URL = () => `${receiver.url}/webhook/abc/webhook`;
const TEST_URL = () => `${receiver.url}/webhook-test/abc/webhook`;
const hook = (shared: Shared = state, url = PRODUCTION_URL()) => hookContext(shared, url);
/** What the trigger keeps for the webhook of a URL. */
const registered = (url = PRODUCTION_URL()) => (state.staticData.registrations as Record<string, IDataObject> | undefined)?.[url];
const apiRequests = () => sim.requests.filter((request) => request.path.startsWith('/api/'));
const code = () => totp(base64Decode(DEMO_AUTHENTICATOR_SECRET) as Buffer, Date.now());

describe('activation creates the webhook', () => {
	test('POST /api/webhook as the official client sends it, with the events, all tenants and a secret header', async () => {
		expect(await methods.checkExists.call(hook())).toBe(false);
		expect(await methods.create.call(hook())).toBe(true);
		const [request] = apiRequests();
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/api/webhook');
		expect(request.headers.authorization).toBe(sim.apiKey);
		expect(request.headers['x-fusionauth-tenantid']).toBeUndefined();
		const sent = JSON.parse(request.body) as { webhook: IDataObject };
		const secret = registered()?.sharedSecret as string;
		expect(secret.length).toBeGreaterThanOrEqual(40);
		expect(sent.webhook).toEqual({
			url: `${receiver.url}/webhook/abc/webhook`,
			description: `n8n workflow "Trigger test" (${state.workflowId}): FusionAuth Two Factor Trigger`,
			connectTimeout: 1000,
			readTimeout: 10000,
			eventsEnabled: { 'user.two-factor.method.add': true, 'user.two-factor.method.remove': true },
			global: true,
			headers: { 'x-n8n-webhook-secret': secret },
		});
		// The official client sends the same webhook to the same endpoint the same way.
		sim.requests.length = 0;
		await new FusionAuthClient(sim.apiKey, sim.url).createWebhook(null as unknown as string, sent as never);
		const [byClient] = apiRequests();
		expect([byClient.method, byClient.path, byClient.headers['content-type']]).toEqual([request.method, request.path, request.headers['content-type']]);
		expect(JSON.parse(byClient.body)).toEqual(sent);

		expect(registered()?.webhookId).toBe(sim.webhooks.list()[0].id);
		expect(state.sent.every((sentRequest) => sentRequest.disableFollowRedirect)).toBe(true);
	});

	test('with a tenant in the credential: tenantIds and the tenant header', async () => {
		state = trigger({}, { tenantId: sim.tenantId });
		await methods.create.call(hook());
		const [request] = apiRequests();
		expect(request.headers['x-fusionauth-tenantid']).toBe(sim.tenantId);
		expect(JSON.parse(request.body).webhook).toMatchObject({ tenantIds: [sim.tenantId] });
		expect(JSON.parse(request.body).webhook.global).toBeUndefined();
	});

	test('signature: signatureConfiguration with the signing key, and no secret header', async () => {
		const key = sim.webhooks.generateKey('RS256');
		state = trigger({ verification: 'signature', signingKeyId: key.id });
		await methods.create.call(hook());
		const sent = JSON.parse(apiRequests()[0].body).webhook;
		expect(sent.signatureConfiguration).toEqual({ enabled: true, signingKeyId: key.id });
		expect(sent.headers).toBeUndefined();
	});

	test('basic auth: the user name and password go to the webhook', async () => {
		state = trigger({ verification: 'basicAuth', basicAuthUsername: 'fa', basicAuthPassword: 'pw' });
		await methods.create.call(hook());
		expect(JSON.parse(apiRequests()[0].body).webhook).toMatchObject({ httpAuthenticationUsername: 'fa', httpAuthenticationPassword: 'pw' });
	});

	test('no events chosen: a clear error before any request', async () => {
		state = trigger({ events: [] });
		await expect(methods.create.call(hook())).rejects.toThrow('Choose at least one event in Events');
		expect(apiRequests()).toEqual([]);
	});

	test('FusionAuth refusing the key: the error says so and never shows the key', async () => {
		state = trigger({}, { apiKey: 'a-wrong-key-0123456789abcdef' });
		const error = (await methods.create.call(hook()).catch((thrown: Error) => thrown)) as Error & { description?: string };
		expect(error.message).toMatch(/Could not create the FusionAuth webhook: FusionAuth answered 401/);
		expect(error.description).toMatch(/rejected the API key/);
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain('a-wrong-key');
	});

	test('a redirect is not followed: the key never reaches the other server', async () => {
		const elsewhere = await RecordingServer.start();
		const redirecting = await RecordingServer.start();
		redirecting.respondWith({ status: 307, headers: { Location: `${elsewhere.url}/api/webhook` } });
		try {
			state = trigger({}, { baseUrl: redirecting.url });
			await expect(methods.create.call(hook())).rejects.toThrow(/answered 307/);
			expect(elsewhere.requests).toEqual([]);
		} finally {
			await elsewhere.close();
			await redirecting.close();
		}
	});

	test('manual registration sends nothing', async () => {
		state = trigger({ registration: 'manual', sharedSecret: 'x' });
		expect(await methods.checkExists.call(hook())).toBe(true);
		expect(await methods.create.call(hook())).toBe(true);
		expect(await methods.delete.call(hook())).toBe(true);
		expect(apiRequests()).toEqual([]);
	});
});

describe('checkExists and deactivation', () => {
	test('found again while it exists; re-created when deleted in FusionAuth; deleted on deactivation', async () => {
		await methods.create.call(hook());
		const first = registered()?.webhookId as string;
		expect(await methods.checkExists.call(hook())).toBe(true);
		await new FusionAuthClient(sim.apiKey, sim.url).deleteWebhook(first);
		expect(await methods.checkExists.call(hook())).toBe(false);
		expect(registered()).toBeUndefined();
		await methods.create.call(hook());
		const second = registered()?.webhookId as string;
		expect(second).not.toBe(first);
		sim.requests.length = 0;
		expect(await methods.delete.call(hook())).toBe(true);
		expect(apiRequests().map((request) => `${request.method} ${request.path}`)).toEqual([`DELETE /api/webhook/${second}`]);
		expect(sim.webhooks.list()).toEqual([]);
		expect(state.staticData).toEqual({ registrations: {} });
	});

	test('listening for a test event registers the test URL beside the production one, and removes only it', async () => {
		await methods.create.call(hook());
		const production = registered()?.webhookId;
		expect(await methods.checkExists.call(hook(state, TEST_URL()))).toBe(false);
		await methods.create.call(hook(state, TEST_URL()));
		expect(sim.webhooks.list().map((webhook) => webhook.url).sort()).toEqual([PRODUCTION_URL(), TEST_URL()].sort());
		// Both URLs' deliveries are accepted while both exist (the second is the same event again).
		sim.webhooks.enableEvents(EVENTS);
		await new FusionAuthClient(sim.apiKey, sim.url).disableTwoFactor(alice.id, '2KSZ', code());
		await sim.webhooks.idle();
		expect(answers.map((answer) => answer.status ?? 200)).toEqual([200, 200]);
		expect(answers.map((answer) => startedItems(answer)?.length)).toEqual([1, undefined]);
		expect(await methods.delete.call(hook(state, TEST_URL()))).toBe(true);
		expect(sim.webhooks.list().map((webhook) => webhook.id)).toEqual([production]);
		expect(await methods.checkExists.call(hook())).toBe(true);
	});

	test('changed events replace the webhook instead of leaving a stale one', async () => {
		await methods.create.call(hook());
		state.parameters.events = ['user.two-factor.method.remove'];
		expect(await methods.checkExists.call(hook())).toBe(false);
		expect(sim.webhooks.list()).toEqual([]);
		await methods.create.call(hook());
		expect(sim.webhooks.list().map((webhook) => webhook.eventsEnabled)).toEqual([{ 'user.two-factor.method.remove': true }]);
	});

	test('changed events, and the old webhook cannot be removed: activation fails rather than add a second one', async () => {
		await methods.create.call(hook());
		const [first] = sim.webhooks.list();
		state.parameters.events = ['user.two-factor.method.remove'];
		sim.setFaults({ status: 500, paths: ['/api/webhook/'], methods: ['DELETE'] });
		await expect(methods.checkExists.call(hook())).rejects.toThrow(/Could not remove the trigger's earlier FusionAuth webhook to replace it: FusionAuth answered 500/);
		sim.setFaults(undefined);
		expect(sim.webhooks.list().map((webhook) => webhook.id)).toEqual([first.id]);
		expect(registered()?.webhookId).toBe(first.id);
	});
});

describe('Enable Events in Tenant', () => {
	test('switches on only the events that are off, non-transactional, and leaves a transactional one alone', async () => {
		await new FusionAuthClient(sim.apiKey, sim.url).patchTenant(sim.tenantId, {
			tenant: { eventConfiguration: { events: { 'user.login.success': { enabled: true, transactionType: 'Any' } } } } as never,
		});
		sim.requests.length = 0;
		state = trigger({ events: ['user.login.success', 'user.two-factor.method.remove'], enableEventsInTenant: true });
		await methods.create.call(hook());
		const patch = apiRequests().find((request) => request.method === 'PATCH');
		expect(patch?.path).toBe(`/api/tenant/${sim.tenantId}`);
		expect(JSON.parse(String(patch?.body))).toEqual({
			tenant: { eventConfiguration: { events: { 'user.two-factor.method.remove': { enabled: true, transactionType: 'None' } } } },
		});
		expect(sim.webhooks.tenantEvents()).toEqual({
			'user.login.success': { enabled: true, transactionType: 'Any' },
			'user.two-factor.method.remove': { enabled: true, transactionType: 'None' },
		});
	});

	test('off by default: the tenant is not touched', async () => {
		await methods.create.call(hook());
		expect(apiRequests().filter((request) => request.path.startsWith('/api/tenant'))).toEqual([]);
	});
});

describe('the whole loop: FusionAuth delivers, the trigger verifies', () => {
	test('shared secret: adding and removing a method each start one run with the event', async () => {
		sim.webhooks.enableEvents(EVENTS);
		await methods.create.call(hook());
		const client = new FusionAuthClient(sim.apiKey, sim.url);
		await client.enableTwoFactor(nora.id, { method: 'authenticator', secret: DEMO_AUTHENTICATOR_SECRET, code: code() });
		await client.disableTwoFactor(alice.id, '2KSZ', code());
		await sim.webhooks.idle();
		const items = answers.map((answer) => startedItems(answer)?.[0]);
		expect(items.map((item) => [item?.eventType, item?.userId, item?.method]).sort()).toEqual([
			['user.two-factor.method.add', nora.id, 'authenticator'],
			['user.two-factor.method.remove', alice.id, 'authenticator'],
		]);
		expect(sim.webhooks.deliveries.map((attempt) => attempt.status)).toEqual([200, 200]);
	});

	test.each(['RS256', 'ES256', 'HS256'] as const)('signature with a %s key', async (algorithm) => {
		sim.webhooks.enableEvents(EVENTS);
		const key = sim.webhooks.generateKey(algorithm);
		state = trigger({ verification: 'signature', signingKeyId: key.id, hmacSecret: key.secret ?? '' });
		await methods.create.call(hook());
		await new FusionAuthClient(sim.apiKey, sim.url).disableTwoFactor(alice.id, '2KSZ', code());
		await sim.webhooks.idle();
		expect(answers.map((answer) => startedItems(answer)?.[0]?.eventType)).toEqual(['user.two-factor.method.remove']);
	});

	test('a forged delivery to the same URL gets 401 and starts nothing', async () => {
		await methods.create.call(hook());
		const forged = await fetch(`${receiver.url}/webhook/abc/webhook`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-N8n-Webhook-Secret': 'guess' },
			body: JSON.stringify({ event: { id: 'x', type: 'user.two-factor.method.remove', user: { id: alice.id } } }),
		});
		expect(forged.status).toBe(401);
		expect(answers.map(startedItems)).toEqual([undefined]);
	});
});
