/**
 * One delivery from FusionAuth: verified before anything runs, answered 401 when it fails, 200
 * and ignored when it repeats an event already received or carries an event not chosen, and
 * otherwise one item for the workflow (n8n answers 200 before the workflow runs). Whatever a
 * sender puts in a delivery, it ends in 200, 400 or 401: never in an error out of webhook(),
 * which n8n would answer 500 and store as a failed execution.
 */
import { createHash } from 'node:crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { eventItem, normalizeEventType } from './events';
import { registeredSecrets } from './registration';
import type { RegistrationData } from './registration';
import { keyIdProblem, keySources, signingKeyIdParameter } from './signingKey';
import { own, quoted, verifyBasicAuth, verifySharedSecret, verifySignature } from './verification';
import type { Verdict } from './verification';

/** How many recent event ids the trigger remembers to drop repeated deliveries. */
export const REMEMBERED_EVENTS = 200;
const REMEMBERED_TRIGGERS = 1000;
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest entry the replay store holds: a UUID. */
const LONGEST_REMEMBERED = 36;

/**
 * An event id as the replay store keeps it. FusionAuth's ids are UUIDs, kept as sent; any other
 * id is kept as a 16-byte digest, so that a repeated delivery is still recognised while the store
 * stays a few KiB whatever length of id arrives.
 */
export function rememberedId(id: string): string {
	return EVENT_ID.test(id) ? id : `sha256:${createHash('sha256').update(id, 'utf8').digest().subarray(0, 16).toString('base64url')}`;
}

/**
 * Recent event ids per trigger (workflow and node) in this n8n process. The workflow's static
 * data keeps them too, but not reliably: n8n 2.41.1 keeps none of them, and 1.123.81 loses most
 * when deliveries arrive at once, as they write over each other (bench/experiments/burst.md).
 */
const recentInProcess = new Map<string, string[]>();

function remember(key: string, id: string): void {
	const list = recentInProcess.get(key) ?? [];
	recentInProcess.delete(key);
	if (recentInProcess.size >= REMEMBERED_TRIGGERS) recentInProcess.delete(recentInProcess.keys().next().value as string);
	recentInProcess.set(key, [...list, id].slice(-REMEMBERED_EVENTS));
}

interface ReceiveData extends RegistrationData {
	recentEventIds?: string[];
}

async function verifyDelivery(context: IWebhookFunctions, rawBody: Buffer | undefined, data: ReceiveData): Promise<Verdict> {
	const headers = context.getHeaderData() as Record<string, string | string[] | undefined>;
	const verification = context.getNodeParameter('verification', 'sharedSecret') as string;
	switch (verification) {
		case 'none':
			return { ok: true };
		case 'basicAuth':
			return verifyBasicAuth(
				headers,
				String(context.getNodeParameter('basicAuthUsername', '')),
				String(context.getNodeParameter('basicAuthPassword', '')),
			);
		case 'signature': {
			const hmacSecret = String(context.getNodeParameter('hmacSecret', ''));
			const keyId = signingKeyIdParameter(context);
			const problem = keyIdProblem(keyId);
			if (problem !== undefined) return { ok: false, reason: problem };
			return await verifySignature(headers, rawBody, { hmacSecret, now: Math.floor(Date.now() / 1000), ...keySources(context, keyId) });
		}
		default: {
			if (context.getNodeParameter('registration', 'automatic') === 'manual') {
				return verifySharedSecret(headers, String(context.getNodeParameter('sharedSecret', '')));
			}
			// The secret of the production URL's webhook, or of the test URL's while listening.
			const secrets = registeredSecrets(data);
			if (secrets.length === 0) return verifySharedSecret(headers, '');
			const verdicts = secrets.map((secret) => verifySharedSecret(headers, secret));
			return verdicts.find((verdict) => verdict.ok) ?? verdicts[0];
		}
	}
}

function parseEvent(rawBody: Buffer | undefined, parsed: IDataObject): IDataObject | undefined {
	let body: unknown = parsed;
	if (rawBody !== undefined) {
		// The bytes that were verified, not n8n's parse of them.
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			return undefined;
		}
	}
	const event = own(body, 'event');
	return event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as IDataObject) : undefined;
}

/** Answers the delivery itself (n8n then sends nothing more), 400 or 401. */
function answer(context: IWebhookFunctions, status: 400 | 401, message: string): IWebhookResponseData {
	try {
		context.getResponseObject().status(status).json({ message });
	} catch {
		// The connection is gone: nothing more to answer.
	}
	return { noWebhookResponse: true };
}

export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	let verified = false;
	let where: IDataObject = {};
	try {
		where = { workflowId: this.getWorkflow().id, node: this.getNode().name };
		return await receiveVerified.call(this, where, () => {
			verified = true;
		});
	} catch (error) {
		// A cause not foreseen: refused all the same, and said in the log (bounded, as a sender may have shaped it).
		const message = error instanceof Error ? error.message : String(error);
		this.logger.warn(`FusionAuth Two Factor Trigger refused a delivery: an unexpected error (${quoted(message)})`, where);
		return verified ? answer(this, 400, 'Expected a FusionAuth event: {"event": {...}}') : answer(this, 401, 'Unauthorized');
	}
}

async function receiveVerified(this: IWebhookFunctions, where: IDataObject, onVerified: () => void): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as unknown as { rawBody?: Buffer };
	const rawBody = Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
	const data = this.getWorkflowStaticData('node') as ReceiveData & IDataObject;

	const verdict = await verifyDelivery(this, rawBody, data);
	if (!verdict.ok) {
		this.logger.warn(`FusionAuth Two Factor Trigger refused a delivery: ${verdict.reason}`, where);
		return answer(this, 401, 'Unauthorized');
	}
	onVerified();

	const event = parseEvent(rawBody, this.getBodyData());
	if (event === undefined) {
		this.logger.warn('FusionAuth Two Factor Trigger refused a delivery: the body is not {"event": {...}}', where);
		return answer(this, 400, 'Expected a FusionAuth event: {"event": {...}}');
	}

	const type = normalizeEventType(own(event, 'type'));
	const chosen = this.getNodeParameter('events', []) as unknown;
	if (type === undefined || !Array.isArray(chosen) || !chosen.includes(type)) {
		this.logger.debug(`FusionAuth Two Factor Trigger ignored an event it was not set to start on (${type === undefined ? 'no type' : quoted(type)})`, where);
		return { webhookResponse: { received: true } };
	}

	const id = own(event, 'id');
	if (typeof id === 'string' && id !== '') {
		const remembered = rememberedId(id);
		// Entries of an older version may be longer: kept out, so the store stays bounded.
		const recent = Array.isArray(data.recentEventIds)
			? data.recentEventIds.filter((entry): entry is string => typeof entry === 'string' && entry.length <= LONGEST_REMEMBERED)
			: [];
		// Per run mode too: while listening for a test event, the test URL's webhook gets the same events.
		const key = `${String(where.workflowId)} ${String(where.node)} ${this.getMode()}`;
		if (recent.includes(remembered) || recentInProcess.get(key)?.includes(remembered)) {
			this.logger.debug(`FusionAuth Two Factor Trigger ignored a repeated delivery of event ${quoted(id)}`, where);
			return { webhookResponse: { received: true } };
		}
		data.recentEventIds = [...recent, remembered].slice(-REMEMBERED_EVENTS);
		remember(key, remembered);
	}

	return { workflowData: [[{ json: eventItem(event) }]] };
}
