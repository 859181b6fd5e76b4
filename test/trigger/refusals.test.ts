/**
 * Two refusals, each also tested in verification.test.ts through a stand-in context; here by
 * another route: deliveries over HTTP to the built trigger called through n8n-core's own
 * WebhookContext (parameters with n8n's defaults, the workflow's static data, n8n's logger), in
 * the production URL's run mode and the test URL's.
 */
import { createHash } from 'node:crypto';

import { SignJWT } from 'jose';
import type { IDataObject } from 'n8n-workflow';

import { useServer } from '../harness/lifecycle';
import { RecordingServer } from '../harness/recordingServer';
import type { Delivered } from '../harness/webhook';
import { TriggerEndpoint } from '../harness/webhook';

const endpoint = useServer(() => TriggerEndpoint.start());

const MODES = ['webhook', 'manual'] as const;
const EVENTS = ['user.two-factor.method.add', 'user.two-factor.method.remove'];
/** A credential whose server is never reached: a refusal needs nothing from FusionAuth (the HMAC test's good signature reads its key's kid from keyApi). */
const CREDENTIAL = { baseUrl: 'http://127.0.0.1:9', apiKey: 'refusals-api-key-0123456789', tenantId: '' };

let events = 0;
/** A FusionAuth event as it is delivered, a new id each time (a repeated id would be ignored, not refused). */
function methodAdded(): string {
	return JSON.stringify({
		event: {
			createInstant: 1732950000000,
			id: `5f0e3c2a-2222-4d4f-9a3a-${String(++events).padStart(12, '0')}`,
			method: { id: 'QW3E', method: 'authenticator' },
			tenantId: '30663132-6464-6665-3032-326466613934',
			type: 'user.two-factor.method.add',
			user: { id: '00000000-0000-4000-8000-000000000004', email: 'lee@example.com' },
		},
	});
}

function expectRefused(delivered: Delivered, reason: RegExp): void {
	expect(delivered.status).toBe(401);
	expect(delivered.started).toBeUndefined();
	const warnings = delivered.logs.filter((log) => log.level === 'warn').map((log) => log.message);
	expect(warnings).toHaveLength(1);
	expect(warnings[0]).toMatch(reason);
}

describe('signature verification: a delivery without X-FusionAuth-Signature-JWT is refused', () => {
	const HMAC_SECRET = 'refusals-hmac-secret-as-key-master-shows-it-0123456789';
	const SIGNING_KEY_ID = '7d2b54b4-8a43-4ad1-9a8e-6c6f3f0c1a11';
	const MISSING = /X-FusionAuth-Signature-JWT header is missing/i;
	/** The kid FusionAuth's Key API gives the signing key: what the trigger accepts in a signature. */
	const KID = 'refusals-hmac-kid';
	const keyApi = useServer(async () => await RecordingServer.start());
	beforeEach(() => keyApi.respondWith({ status: 200, body: { key: { id: SIGNING_KEY_ID, kid: KID, algorithm: 'HS256', type: 'HMAC' } } }));

	/** A good signature for `raw`: FusionAuth's claims, signed with the trigger's HMAC secret under its key id. */
	async function signature(raw: string): Promise<string> {
		return await new SignJWT({ request_body_sha256: createHash('sha256').update(raw, 'utf8').digest('base64') })
			.setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: KID })
			.setIssuedAt()
			.sign(new TextEncoder().encode(HMAC_SECRET));
	}

	test.each(MODES)('HMAC key (%s): no header, or the good signature in another header, gets 401 and starts nothing', async (mode) => {
		endpoint.configure({
			parameters: { events: EVENTS, registration: 'manual', verification: 'signature', signingKeyId: SIGNING_KEY_ID, hmacSecret: HMAC_SECRET },
			credentials: { ...CREDENTIAL, baseUrl: keyApi.url },
			mode,
		});
		const bare = await endpoint.deliver({}, methodAdded());
		expectRefused(bare, MISSING);
		expect(bare.body).toEqual({ message: 'Unauthorized' });

		// The same token is accepted in FusionAuth's header: what is refused is its absence there.
		const raw = methodAdded();
		const token = await signature(raw);
		const elsewhere: Array<Record<string, string>> = [{ Authorization: `Bearer ${token}` }, { 'X-FusionAuth-Signature': token }, { 'X-FusionAuth-Signature-JWT-': token }];
		for (const headers of elsewhere) {
			expectRefused(await endpoint.deliver(headers, raw), MISSING);
		}
		const accepted = await endpoint.deliver({ 'X-FusionAuth-Signature-JWT': token }, raw);
		expect(accepted.status).toBe(200);
		expect(accepted.started).toHaveLength(1);

		const logged = JSON.stringify([bare, accepted].map((delivered) => delivered.logs));
		expect(logged).not.toContain(HMAC_SECRET);
	});

	test.each(MODES)('public key (%s): no header gets 401 and starts nothing', async (mode) => {
		endpoint.configure({
			parameters: { events: EVENTS, registration: 'manual', verification: 'signature', signingKeyId: SIGNING_KEY_ID },
			credentials: CREDENTIAL,
			mode,
		});
		expectRefused(await endpoint.deliver({}, methodAdded()), MISSING);
	});
});

describe('shared secret, automatic registration: with no secret registered, every delivery is refused', () => {
	const NO_SECRET = /no shared secret is set up/i;
	const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/trigger-test/webhook';
	const TEST_URL = 'http://127.0.0.1:5678/webhook-test/trigger-test/webhook';

	/** Static data a trigger can hold without a secret. */
	const withoutSecret: Array<[string, IDataObject | undefined]> = [
		['never registered (no static data)', undefined],
		['registered nothing yet', { registrations: {} }],
		['a webhook registered without a secret', { registrations: { [PRODUCTION_URL]: { webhookId: 'w-1', fingerprint: 'f-1' } } }],
		[
			'webhooks whose secret is empty, for both URLs',
			{ registrations: { [PRODUCTION_URL]: { webhookId: 'w-1', fingerprint: 'f-1', sharedSecret: '' }, [TEST_URL]: { webhookId: 'w-2', fingerprint: 'f-2', sharedSecret: '' } } },
		],
		['only remembered event ids', { recentEventIds: ['5f0e3c2a-2222-4d4f-9a3a-ffffffffffff'] }],
	];
	/** Whatever a sender puts in the secret header, or no header at all. */
	const headers: Array<Record<string, string>> = [
		{},
		{ 'X-N8n-Webhook-Secret': '' },
		{ 'X-N8n-Webhook-Secret': 'undefined' },
		{ 'X-N8n-Webhook-Secret': 'a-guessed-secret' },
		{ Authorization: 'Basic Zm9vOmJhcg==' },
	];

	test.each(MODES.flatMap((mode) => withoutSecret.map(([name, staticData]) => [mode, name, staticData] as const)))(
		'%s, %s',
		async (mode, _name, staticData) => {
			// Only the events are set: Automatic registration and Shared Secret are the trigger's defaults.
			const node = endpoint.configure({ parameters: { events: EVENTS }, credentials: CREDENTIAL, staticData, mode });
			expect(node.parameters).toMatchObject({ registration: 'automatic', verification: 'sharedSecret' });
			for (const sent of headers) expectRefused(await endpoint.deliver(sent, methodAdded()), NO_SECRET);
		},
	);

	test.each(MODES)('%s: by the same route, once a secret is registered, the delivery carrying it starts a run', async (mode) => {
		const secret = 'a-registered-secret-0123456789abcdefghij';
		const registrations = { [mode === 'manual' ? TEST_URL : PRODUCTION_URL]: { webhookId: 'w-1', fingerprint: 'f-1', sharedSecret: secret } };
		endpoint.configure({ parameters: { events: EVENTS }, credentials: CREDENTIAL, staticData: { registrations }, mode });
		const delivered = await endpoint.deliver({ 'X-N8n-Webhook-Secret': secret }, methodAdded());
		expect(delivered.status).toBe(200);
		expect(delivered.started?.map((item) => item.eventType)).toEqual(['user.two-factor.method.add']);
		expectRefused(await endpoint.deliver({ 'X-N8n-Webhook-Secret': 'a-guessed-secret' }, methodAdded()), /does not match/);
	});
});
