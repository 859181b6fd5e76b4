/**
 * The trigger in the real n8n app: `n8n start` on a free port, the owner set up through n8n's
 * REST API, the example "MFA removed: alert the security team" (listening to added methods too)
 * activated as the editor activates it; then the simulator, acting as FusionAuth, receives the
 * registration, delivers the events of a method enabled and a method removed through its API,
 * a forged delivery is sent, and the workflow is deactivated.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { failureDetail } from '../harness/failure';
import type { Simulator } from '../simulator/server';
import { DEMO_AUTHENTICATOR_SECRET, DEMO_USERS } from '../simulator/server';
import { base64Decode, totp } from '../simulator/totp';
import type { N8nInstance, RunningN8n, WorkflowJson } from './n8n';
import { startN8n } from './n8n';
import type { SmtpSink } from './smtpSink';

export const TRIGGER_EXAMPLE = 'mfa-removed-alert.json';
export const TRIGGER_WORKFLOW_ID = 'faE2eTrigger0001';
/** The second copy verifies signatures (an RSA key, its public key from the JWKS). */
export const SIGNED_WORKFLOW_ID = 'faE2eTrigger0002';
export const SIGNING_KEY_ID = '6b1f0c9e-2d4a-4c8b-9e3f-7a5d1c2b4e01';
export const TRIGGER_NODE = 'n8n-nodes-fusionauth.fusionAuthTwoFactorTrigger';
const BROWSER_ID = 'n8n-nodes-fusionauth-e2e';
const OWNER = { email: 'owner@example.com', firstName: 'E2e', lastName: 'Owner', password: 'E2e-owner-Passw0rd' };

export interface TriggerOutcome {
	title: string;
	passed: boolean;
	detail?: string;
	ms?: number;
}

export class Failure extends Error {}

/**
 * The example as the e2e imports it: also listening to added methods and enabling them in the
 * tenant; and a second copy that verifies signatures instead of the shared secret.
 */
export function triggerWorkflows(examples: string): WorkflowJson[] {
	const copy = (id: string, name: string, parameters: Record<string, unknown>, webhookId?: string): WorkflowJson => {
		const workflow = JSON.parse(readFileSync(path.join(examples, TRIGGER_EXAMPLE), 'utf8')) as WorkflowJson;
		const trigger = workflow.nodes.find((node) => node.type === TRIGGER_NODE);
		if (!trigger) throw new Error(`${TRIGGER_EXAMPLE} has no ${TRIGGER_NODE} node`);
		trigger.parameters = { ...trigger.parameters, ...parameters };
		if (webhookId) trigger.webhookId = webhookId;
		return { ...workflow, id, name: `${workflow.name} [${name}]`, active: false };
	};
	return [
		copy(TRIGGER_WORKFLOW_ID, 'e2e trigger', { events: ['user.two-factor.method.add', 'user.two-factor.method.remove'], enableEventsInTenant: true }),
		copy(SIGNED_WORKFLOW_ID, 'e2e signed', { verification: 'signature', signingKeyId: SIGNING_KEY_ID, hmacSecret: '' }, '8f3a6c2e-1b4d-4e7a-9f50-6c2d8e1a3b11'),
	];
}

/** n8n's REST API as the editor calls it, with the owner's session cookie once logged in. */
export class Rest {
	private cookie = '';

	constructor(private readonly base: string) {}

	async call(method: string, route: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
		const response = await fetch(`${this.base}/rest${route}`, {
			method,
			headers: { 'Content-Type': 'application/json', 'browser-id': BROWSER_ID, ...(this.cookie ? { Cookie: this.cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const setCookie = response.headers.get('set-cookie');
		const auth = setCookie?.match(/n8n-auth=[^;]+/)?.[0];
		if (auth) this.cookie = auth;
		const text = await response.text();
		let json: Record<string, unknown> = {};
		try {
			json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
		} catch {
			json = { text };
		}
		return { status: response.status, json };
	}

	async ok(method: string, route: string, body?: unknown): Promise<Record<string, unknown>> {
		let { status, json } = await this.call(method, route, body);
		// Right after start, n8n 2.x may answer before every controller is mounted (Express's "Cannot POST").
		for (const deadline = Date.now() + 30_000; status === 404 && String(json.text ?? '').includes('Cannot ') && Date.now() < deadline; ) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			({ status, json } = await this.call(method, route, body));
		}
		if (status !== 200) throw new Failure(`${method} /rest${route} answered ${status}: ${JSON.stringify(json).slice(0, 400)}`);
		return (json.data ?? json) as Record<string, unknown>;
	}
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, withinMs = 30_000): Promise<T> {
	const deadline = Date.now() + withinMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Failure(`timed out after ${withinMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** The owner set up through n8n's REST API, as the first visit to the editor does; the session is kept in `rest`. */
export async function setUpOwner(rest: Rest): Promise<void> {
	const owner = await rest.ok('POST', '/owner/setup', OWNER);
	if (owner.email !== OWNER.email) throw new Failure(`POST /rest/owner/setup did not set up the owner: ${JSON.stringify(owner).slice(0, 300)}`);
}

/** Activates a workflow as the editor does (its current version). */
export async function activate(rest: Rest, workflowId: string): Promise<void> {
	const workflow = await rest.ok('GET', `/workflows/${workflowId}`);
	await rest.ok('POST', `/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
}

/** Text of a mail body, quoted-printable soft line breaks undone. */
function mailText(body: string): string {
	return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The executions n8n lists for a workflow. */
export async function executionCount(rest: Rest, workflowId = TRIGGER_WORKFLOW_ID): Promise<number | undefined> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { status, json } = await rest.call('GET', `/executions?filter=${filter}`);
	const data = (json.data ?? {}) as { count?: number; results?: unknown[] };
	if (status !== 200) return undefined;
	return typeof data.count === 'number' ? data.count : data.results?.length;
}

async function apiCall(sim: Simulator, method: string, route: string, body: unknown): Promise<number> {
	const response = await fetch(`${sim.url}${route}`, {
		method,
		headers: { Authorization: sim.apiKey, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return response.status;
}

export async function runTriggerScenarios(n8n: N8nInstance, sim: Simulator, smtp: SmtpSink): Promise<TriggerOutcome[]> {
	const outcomes: TriggerOutcome[] = [];
	let running: RunningN8n | undefined;
	let rest: Rest | undefined;
	let hookUrl = '';
	let secret = '';
	let step = Date.now();
	const record = (title: string, check: () => Promise<void>) => ({ title, run: async (): Promise<boolean> => {
		step = Date.now();
		try {
			await check();
			outcomes.push({ title, passed: true, ms: Date.now() - step });
			return true;
		} catch (error) {
			const detail = error instanceof Failure ? failureDetail(error) : ((error as Error).stack ?? String(error));
			outcomes.push({ title, passed: false, detail, ms: Date.now() - step });
			return false;
		}
	} });
	const code = () => totp(base64Decode(DEMO_AUTHENTICATOR_SECRET) as Buffer, Date.now());
	const { authenticator: alice, noMethods: nora } = DEMO_USERS;

	const steps = [
		record('trigger: activating the workflow in `n8n start` registers its webhook in FusionAuth (and enables the events in the tenant)', async () => {
			sim.reset();
			smtp.clear();
			running = await startN8n(n8n);
			rest = new Rest(running.url);
			await setUpOwner(rest);
			await activate(rest, TRIGGER_WORKFLOW_ID);
			// n8n 2.x publishes through an outbox: the trigger's webhook is created shortly after the answer.
			const webhooks = await until('the trigger to register its webhook', () => (sim.webhooks.list().length > 0 ? sim.webhooks.list() : undefined));
			await new Promise((resolve) => setTimeout(resolve, 500));
			if (sim.webhooks.list().length !== 1) throw new Failure(`FusionAuth holds ${sim.webhooks.list().length} webhooks after activation, expected 1`);
			const [webhook] = webhooks;
			hookUrl = String(webhook.url);
			const expectedUrl = `${running.url}/webhook/8f3a6c2e-1b4d-4e7a-9f50-6c2d8e1a3b01/webhook`;
			if (hookUrl !== expectedUrl) throw new Failure(`the webhook was registered for ${hookUrl}, expected the production URL ${expectedUrl}`);
			const events = webhook.eventsEnabled as Record<string, boolean>;
			if (!events['user.two-factor.method.add'] || !events['user.two-factor.method.remove']) throw new Failure(`eventsEnabled: ${JSON.stringify(events)}`);
			secret = String((webhook.headers as Record<string, string>)['x-n8n-webhook-secret'] ?? '');
			if (secret.length < 32) throw new Failure('the webhook carries no shared secret header');
			const tenant = sim.webhooks.tenantEvents();
			if (tenant['user.two-factor.method.remove']?.enabled !== true || tenant['user.two-factor.method.remove']?.transactionType !== 'None') {
				throw new Failure(`the tenant's events after activation: ${JSON.stringify(tenant)}`);
			}
			const register = sim.requests.find((request) => request.method === 'POST' && request.path === '/api/webhook');
			if (register?.headers.authorization !== sim.apiKey) throw new Failure('POST /api/webhook did not carry the credential\'s API key');
		}),
		record('trigger: a method enabled and a method removed through FusionAuth each run the workflow with the event', async () => {
			const enabled = await apiCall(sim, 'POST', `/api/user/two-factor/${nora.id}`, { method: 'authenticator', secret: DEMO_AUTHENTICATOR_SECRET, code: code() });
			const removed = await apiCall(sim, 'DELETE', `/api/user/two-factor/${alice.id}`, { methodId: '2KSZ', code: code() });
			if (enabled !== 200 || removed !== 200) throw new Failure(`the simulator answered ${enabled} and ${removed} to enable and disable`);
			await sim.webhooks.idle();
			// Both deliveries run at once; the first call of a webhook may take n8n longer.
			const attempts = sim.webhooks.deliveries.map((attempt) => `${attempt.eventType}: ${attempt.status ?? attempt.error}`).sort();
			if (attempts.join('\n') !== 'user.two-factor.method.add: 200\nuser.two-factor.method.remove: 200') {
				throw new Failure(`deliveries as FusionAuth saw them:\n${attempts.join('\n')}`);
			}
			const mails = await until('two alert emails', () => (smtp.messages.length >= 2 ? smtp.messages : undefined));
			const texts = mails.map((mail) => mailText(mail.body));
			const added = texts.find((text) => text.includes('FusionAuth reported user.two-factor.method.add.'));
			const gone = texts.find((text) => text.includes('FusionAuth reported user.two-factor.method.remove.'));
			if (!added?.includes(`User: ${nora.email} (${nora.id})`) || !added.includes('Method: authenticator')) throw new Failure(`the add alert:\n${added ?? texts.join('\n---\n')}`);
			if (!gone?.includes(`User: ${alice.email} (${alice.id})`) || !gone.includes('Method: authenticator (id 2KSZ)')) throw new Failure(`the remove alert:\n${gone ?? texts.join('\n---\n')}`);
			if (mails.some((mail) => !mail.to.includes('security@example.com'))) throw new Failure('an alert went elsewhere than security@example.com');
			const count = await until('two executions listed', async () => ((await executionCount(rest as Rest)) === 2 ? 2 : undefined), 10_000);
			void count;
		}),
		record('trigger: forged deliveries get 401 and start no execution; the log says why without the secret', async () => {
			const forged = JSON.stringify({ event: { id: 'forged-1', type: 'user.two-factor.method.remove', user: { id: alice.id, email: alice.email } } });
			const attempts: Array<Record<string, string>> = [{ 'x-n8n-webhook-secret': 'a-guess' }, {}, { 'x-n8n-webhook-secret': secret.slice(0, -2) }];
			for (const headers of attempts) {
				const response = await fetch(hookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: forged });
				if (response.status !== 401) throw new Failure(`a forged delivery was answered ${response.status}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 1500));
			if (smtp.messages.length !== 2) throw new Failure(`${smtp.messages.length} alert emails after the forged deliveries, expected still 2`);
			const count = await executionCount(rest as Rest);
			if (count !== 2) throw new Failure(`${String(count)} executions after the forged deliveries, expected still 2`);
			const output = (running as RunningN8n).output();
			if (!output.includes('FusionAuth Two Factor Trigger refused a delivery')) throw new Failure('n8n\'s log does not say why the delivery was refused');
			if (output.includes(secret) || output.includes(sim.apiKey)) throw new Failure('the shared secret or the API key appears in n8n\'s log');
		}),
		record('trigger: signed deliveries (RSA key, public key from the JWKS) run the workflow; tampered ones and a JWT with alg "constructor" get 401 and store no execution, a replayed one starts nothing', async () => {
			sim.webhooks.generateKey('RS256', { id: SIGNING_KEY_ID });
			await activate(rest as Rest, SIGNED_WORKFLOW_ID);
			const signedHook = await until('the signed trigger to register its webhook', () =>
				sim.webhooks.list().find((webhook) => (webhook.signatureConfiguration as { signingKeyId?: string } | undefined)?.signingKeyId === SIGNING_KEY_ID),
			);
			const signedUrl = String(signedHook.url);
			const methodId = sim.users.get(nora.id)?.methods[0]?.id;
			const removed = await apiCall(sim, 'DELETE', `/api/user/two-factor/${nora.id}`, { methodId, code: code() });
			if (removed !== 200) throw new Failure(`the simulator answered ${removed} to disable`);
			await sim.webhooks.idle();
			const delivery = sim.webhooks.deliveries.find((attempt) => attempt.url === signedUrl);
			if (delivery?.status !== 200 || !delivery.headers['X-FusionAuth-Signature-JWT']) throw new Failure(`the signed delivery: ${JSON.stringify(delivery?.status ?? delivery?.error)}`);
			await until('one run of the signed workflow', async () => ((await executionCount(rest as Rest, SIGNED_WORKFLOW_ID)) === 1 ? true : undefined), 15_000);
			await until('four alert emails', () => (smtp.messages.length >= 4 ? true : undefined), 15_000);
			const tampered = delivery.body.replace(nora.email, 'someone.else@example.com');
			const tamperedAnswer = await fetch(signedUrl, { method: 'POST', headers: delivery.headers, body: tampered });
			if (tamperedAnswer.status !== 401) throw new Failure(`a tampered signed delivery was answered ${tamperedAnswer.status}`);
			const replay = await fetch(signedUrl, { method: 'POST', headers: delivery.headers, body: delivery.body });
			if (replay.status !== 200) throw new Failure(`the replayed delivery was answered ${replay.status}, expected 200 (already received)`);
			// A JWT header whose alg names a member of Object.prototype: refused, never an error (n8n's 500 and a failed execution).
			const signatureKid = (JSON.parse(Buffer.from(delivery.headers['X-FusionAuth-Signature-JWT'].split('.')[0], 'base64url').toString('utf8')) as { kid: string }).kid;
			for (const alg of ['constructor', 'toString', '__proto__']) {
				const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
				const forgedJwt = `${part({ alg, typ: 'JWT', kid: signatureKid })}.${part({ request_body_sha256: 'x' })}.c2lnbmF0dXJl`;
				const answer = await fetch(signedUrl, { method: 'POST', headers: { ...delivery.headers, 'X-FusionAuth-Signature-JWT': forgedJwt }, body: delivery.body });
				if (answer.status !== 401) throw new Failure(`a signature JWT with alg ${JSON.stringify(alg)} was answered ${answer.status}, expected 401: ${(await answer.text()).slice(0, 300)}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const runs = await executionCount(rest as Rest, SIGNED_WORKFLOW_ID);
			if (runs !== 1) throw new Failure(`${String(runs)} executions of the signed workflow after tampered, replayed and forged deliveries, expected still 1 (none stored for a refused delivery)`);
			if (smtp.messages.length !== 4) throw new Failure(`${smtp.messages.length} alert emails, expected 4`);
			await (rest as Rest).ok('POST', `/workflows/${SIGNED_WORKFLOW_ID}/deactivate`, {});
			await until('the signed trigger\'s webhook to be deleted', () => (sim.webhooks.list().length === 1 ? true : undefined));
		}),
		record('trigger: "Listen for test event" on the active workflow registers the test URL too; an event runs both; then only the test webhook is removed', async () => {
			const production = sim.webhooks.list().map((webhook) => String(webhook.id));
			const mails = smtp.messages.length;
			const workflowData = await (rest as Rest).ok('GET', `/workflows/${TRIGGER_WORKFLOW_ID}`);
			const trigger = (workflowData.nodes as Array<{ name: string; type: string }>).find((node) => node.type === TRIGGER_NODE);
			const started = await (rest as Rest).ok('POST', `/workflows/${TRIGGER_WORKFLOW_ID}/run`, { workflowData, triggerToStartFrom: { name: trigger?.name } });
			if (started.waitingForWebhook !== true) throw new Failure(`the manual run did not wait for the webhook: ${JSON.stringify(started).slice(0, 300)}`);
			const testHook = await until('the test URL to be registered', () => sim.webhooks.list().find((webhook) => String(webhook.url).includes('/webhook-test/')));
			if (sim.webhooks.list().length !== production.length + 1) throw new Failure(`${sim.webhooks.list().length} webhooks while listening, expected the production one(s) and the test one`);
			const enabled = await apiCall(sim, 'POST', `/api/user/two-factor/${alice.id}`, { method: 'authenticator', secret: DEMO_AUTHENTICATOR_SECRET, code: code() });
			if (enabled !== 200) throw new Failure(`the simulator answered ${enabled} to enable`);
			await sim.webhooks.idle();
			const toTest = sim.webhooks.deliveries.filter((attempt) => attempt.url === testHook.url).map((attempt) => attempt.status);
			if (toTest.join() !== '200') throw new Failure(`deliveries to the test URL: ${JSON.stringify(toTest)}`);
			await until('an alert from the test run and one from production', () => (smtp.messages.length >= mails + 2 ? true : undefined), 15_000);
			await until('the test webhook to be removed after the test run', () =>
				sim.webhooks.list().map((webhook) => String(webhook.id)).sort().join() === [...production].sort().join() ? true : undefined,
			);
		}),
		record('trigger: deactivating the workflow deletes its webhook in FusionAuth', async () => {
			const id = String(sim.webhooks.list()[0]?.id);
			await (rest as Rest).ok('POST', `/workflows/${TRIGGER_WORKFLOW_ID}/deactivate`, {});
			await until('the webhook to be deleted', () => (sim.webhooks.list().length === 0 ? true : undefined));
			if (!sim.requests.some((request) => request.method === 'DELETE' && request.path === `/api/webhook/${id}`)) throw new Failure(`no DELETE /api/webhook/${id}`);
			const after = await fetch(hookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-n8n-webhook-secret': secret }, body: '{"event":{}}' });
			if (after.status !== 404) throw new Failure(`the production URL answered ${after.status} after deactivation, expected 404`);
		}),
	];
	try {
		for (const [index, current] of steps.entries()) {
			if (!(await current.run())) {
				for (const skipped of steps.slice(index + 1)) {
					outcomes.push({ title: skipped.title, passed: false, detail: 'not run: an earlier trigger step failed' });
				}
				break;
			}
		}
	} finally {
		await running?.stop();
	}
	return outcomes;
}
