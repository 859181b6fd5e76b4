/**
 * One delivery from FusionAuth: verified before anything runs, answered 401 when it fails, 200
 * and ignored when it repeats an event already received or carries an event not chosen, and
 * otherwise one item for the workflow (n8n answers 200 before the workflow runs).
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { fetchJwks, readCredential } from './api';
import { eventItem, normalizeEventType } from './events';
import { publicKeys } from './publicKeys';
import { registeredSecrets } from './registration';
import type { RegistrationData } from './registration';
import { verifyBasicAuth, verifySharedSecret, verifySignature } from './verification';
import type { Verdict } from './verification';

/** How many recent event ids the trigger remembers to drop repeated deliveries. */
export const REMEMBERED_EVENTS = 200;
const REMEMBERED_TRIGGERS = 1000;

/**
 * Recent event ids per trigger (workflow and node) in this n8n process. The workflow's static
 * data keeps them too, but n8n 2.x does not save static data changed while a webhook is handled.
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
			const credential = hmacSecret === '' ? await readCredential(context) : undefined;
			return await verifySignature(headers, rawBody, {
				hmacSecret,
				now: Math.floor(Date.now() / 1000),
				publicKey: async (kid) =>
					credential === undefined
						? undefined
						: await publicKeys.get(`${credential.baseUrl} ${credential.tenantId}`, kid, async () => await fetchJwks(context, credential)),
			});
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
	const event = (body as IDataObject | null)?.event;
	return event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as IDataObject) : undefined;
}

export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as unknown as { rawBody?: Buffer };
	const rawBody = Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
	const data = this.getWorkflowStaticData('node') as ReceiveData & IDataObject;
	const where = { workflowId: this.getWorkflow().id, node: this.getNode().name };

	const verdict = await verifyDelivery(this, rawBody, data);
	if (!verdict.ok) {
		this.logger.warn(`FusionAuth Two Factor Trigger refused a delivery: ${verdict.reason}`, where);
		this.getResponseObject().status(401).json({ message: 'Unauthorized' });
		return { noWebhookResponse: true };
	}

	const event = parseEvent(rawBody, this.getBodyData());
	if (event === undefined) {
		this.logger.warn('FusionAuth Two Factor Trigger refused a delivery: the body is not {"event": {...}}', where);
		this.getResponseObject().status(400).json({ message: 'Expected a FusionAuth event: {"event": {...}}' });
		return { noWebhookResponse: true };
	}

	const type = normalizeEventType(event.type);
	const chosen = this.getNodeParameter('events', []) as string[];
	if (type === undefined || !chosen.includes(type)) {
		this.logger.debug(`FusionAuth Two Factor Trigger ignored an event it was not set to start on (${String(type)})`, where);
		return { webhookResponse: { received: true } };
	}

	if (typeof event.id === 'string' && event.id !== '') {
		const recent = Array.isArray(data.recentEventIds) ? data.recentEventIds : [];
		// Per run mode too: while listening for a test event, the test URL's webhook gets the same events.
		const key = `${String(where.workflowId)} ${where.node} ${this.getMode()}`;
		if (recent.includes(event.id) || recentInProcess.get(key)?.includes(event.id)) {
			this.logger.debug(`FusionAuth Two Factor Trigger ignored a repeated delivery of event ${event.id}`, where);
			return { webhookResponse: { received: true } };
		}
		data.recentEventIds = [...recent, event.id].slice(-REMEMBERED_EVENTS);
		remember(key, event.id);
	}

	return { workflowData: [[{ json: eventItem(event) }]] };
}
