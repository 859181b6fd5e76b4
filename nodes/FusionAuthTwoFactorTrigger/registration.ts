/**
 * Automatic registration: the trigger's own FusionAuth webhook, created on activation (and on
 * "Listen for test event"), found again by checkExists, deleted on deactivation. What was
 * registered lives in the workflow's static data, per URL: the test URL's webhook (while
 * listening for a test event) and the production URL's are separate and never replace each other.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PathSegment } from '../shared/request';
import { apiFailure, callApi, readCredential } from './api';
import type { ApiAnswer, Credential } from './api';
import { signingKeyIdParameter } from './signingKey';
import { SHARED_VALUE_HEADER } from './verification';

/**
 * n8n answers as soon as a delivery is verified, before the workflow runs; still, under a burst
 * n8n 2.41.1 took 2.6 to 2.8 s for the median answer and up to 4.2 s (bench/results.md), and a delivery
 * FusionAuth stops waiting for counts as failed and is sent again, adding to the load.
 */
const CONNECT_TIMEOUT_MS = 1000;
const READ_TIMEOUT_MS = 10_000;

export interface Registration extends IDataObject {
	webhookId: string;
	/** The shared secret sent by FusionAuth in SHARED_VALUE_HEADER (verification `sharedSecret`). */
	sharedSecret?: string;
	/** What was registered (URL, events, tenant, verification), to tell when it must change. */
	fingerprint: string;
}

export interface RegistrationData {
	/** By the URL each webhook was registered for. */
	registrations?: Record<string, Registration>;
}

function registrations(context: IHookFunctions): Record<string, Registration> {
	const data = context.getWorkflowStaticData('node') as RegistrationData & IDataObject;
	data.registrations ??= {};
	return data.registrations;
}

/** The shared secrets of every webhook registered for this trigger (test and production URL). */
export function registeredSecrets(data: RegistrationData): string[] {
	return Object.values(data.registrations ?? {})
		.map((registration) => registration.sharedSecret)
		.filter((secret): secret is string => typeof secret === 'string' && secret !== '');
}

function isManual(context: IHookFunctions): boolean {
	return context.getNodeParameter('registration', 'automatic') === 'manual';
}

export function selectedEvents(context: IHookFunctions): string[] {
	const events = context.getNodeParameter('events', []) as string[];
	if (!Array.isArray(events) || events.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Choose at least one event in Events');
	}
	return [...new Set(events)].sort();
}

/** The webhook as the trigger registers it, without the shared secret. */
function webhookBody(context: IHookFunctions, credential: Credential, url: string, events: string[]): IDataObject {
	const verification = context.getNodeParameter('verification', 'sharedSecret') as string;
	const workflow = context.getWorkflow();
	const webhook: IDataObject = {
		url,
		description: `n8n workflow "${workflow.name ?? ''}" (${workflow.id ?? ''}): FusionAuth Two Factor Trigger`,
		connectTimeout: CONNECT_TIMEOUT_MS,
		readTimeout: READ_TIMEOUT_MS,
		eventsEnabled: Object.fromEntries(events.map((event) => [event, true])),
	};
	if (credential.tenantId === '') webhook.global = true;
	else webhook.tenantIds = [credential.tenantId];
	if (verification === 'signature') {
		const signingKeyId = signingKeyIdParameter(context);
		if (signingKeyId === '') {
			throw new NodeOperationError(context.getNode(), 'Signing Key ID is empty', {
				description: 'Give the ID of the Key Master key FusionAuth signs this webhook with (Settings > Key Master).',
			});
		}
		webhook.signatureConfiguration = { enabled: true, signingKeyId };
	} else if (verification === 'basicAuth') {
		const username = String(context.getNodeParameter('basicAuthUsername', ''));
		const password = String(context.getNodeParameter('basicAuthPassword', ''));
		if (username === '' || password === '') {
			throw new NodeOperationError(context.getNode(), 'Basic Auth User Name and Basic Auth Password must both be set');
		}
		webhook.httpAuthenticationUsername = username;
		webhook.httpAuthenticationPassword = password;
	}
	return webhook;
}

/** The webhook id FusionAuth gave, as a path segment the shared rule checks before it is sent. */
function webhookIdSegment(registration: Registration): PathSegment {
	return { parameter: 'webhookId', value: String(registration.webhookId) };
}

function fingerprintOf(webhook: IDataObject): string {
	return createHash('sha256').update(JSON.stringify(webhook)).digest('base64url');
}

function webhookUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default');
	if (url === undefined || url === '') throw new NodeOperationError(context.getNode(), 'n8n gave no webhook URL for this trigger');
	return url;
}

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	if (isManual(this)) return true;
	const url = webhookUrl(this);
	const known = registrations(this);
	const registration = known[url];
	if (registration === undefined) return false;
	const credential = await readCredential(this);
	const answer = await callApi(this, credential, 'GET', ['webhook', webhookIdSegment(registration)]);
	if (answer.statusCode === 404) {
		// Deleted in FusionAuth: registered again by create.
		delete known[url];
		return false;
	}
	if (answer.statusCode !== 200) throw apiFailure(this, 'Could not look up the trigger\'s FusionAuth webhook', 'GET /api/webhook/{webhookId}', answer);
	const wanted = fingerprintOf(webhookBody(this, credential, url, selectedEvents(this)));
	const registered = (answer.body?.webhook as IDataObject | undefined)?.url;
	const secretMissing = this.getNodeParameter('verification', 'sharedSecret') === 'sharedSecret' && !registration.sharedSecret;
	if (registered === url && registration.fingerprint === wanted && !secretMissing) return true;
	// The trigger's settings changed since: replace the webhook rather than leave a stale one. One
	// that cannot be removed stops here: a second one beside it would leave the first posting events.
	const refused = await removeWebhook(this, credential, known, url);
	if (refused !== undefined) {
		throw apiFailure(this, 'Could not remove the trigger\'s earlier FusionAuth webhook to replace it', 'DELETE /api/webhook/{webhookId}', refused);
	}
	return false;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	if (isManual(this)) return true;
	const url = webhookUrl(this);
	const credential = await readCredential(this);
	const events = selectedEvents(this);
	const webhook = webhookBody(this, credential, url, events);
	const fingerprint = fingerprintOf(webhook);
	if (this.getNodeParameter('enableEventsInTenant', false) === true) {
		await enableEventsInTenant(this, credential, events);
	}
	let sharedSecret: string | undefined;
	if (this.getNodeParameter('verification', 'sharedSecret') === 'sharedSecret') {
		sharedSecret = randomBytes(32).toString('base64url');
		webhook.headers = { [SHARED_VALUE_HEADER]: sharedSecret };
	}
	const answer = await callApi(this, credential, 'POST', ['webhook'], { webhook });
	const id = (answer.body?.webhook as IDataObject | undefined)?.id;
	if (answer.statusCode !== 200 || typeof id !== 'string') {
		throw apiFailure(this, 'Could not create the FusionAuth webhook', 'POST /api/webhook', answer);
	}
	const registration: Registration = { webhookId: id, fingerprint };
	if (sharedSecret !== undefined) registration.sharedSecret = sharedSecret;
	registrations(this)[url] = registration;
	return true;
}

/** Deletes the URL's webhook in FusionAuth; FusionAuth's answer when it could not, else undefined. */
async function removeWebhook(
	context: IHookFunctions,
	credential: Credential,
	known: Record<string, Registration>,
	url: string,
): Promise<ApiAnswer | undefined> {
	const registration = known[url];
	if (registration === undefined) return undefined;
	const answer = await callApi(context, credential, 'DELETE', ['webhook', webhookIdSegment(registration)]);
	if (answer.statusCode !== 200 && answer.statusCode !== 404) return answer;
	delete known[url];
	return undefined;
}

export async function remove(this: IHookFunctions): Promise<boolean> {
	if (isManual(this)) return true;
	const credential = await readCredential(this);
	return (await removeWebhook(this, credential, registrations(this), webhookUrl(this))) === undefined;
}

/**
 * Switches the chosen events on in the tenant, non-transactional. An event already on keeps its
 * transaction type: the trigger never makes an event transactional, nor changes one that is.
 */
async function enableEventsInTenant(context: IHookFunctions, credential: Credential, events: string[]): Promise<void> {
	let tenantId = credential.tenantId;
	if (tenantId === '') {
		const list = await callApi(context, credential, 'GET', ['tenant']);
		const tenants = list.body?.tenants;
		if (list.statusCode !== 200 || !Array.isArray(tenants)) throw apiFailure(context, 'Could not list the tenants', 'GET /api/tenant', list);
		if (tenants.length !== 1) {
			throw new NodeOperationError(context.getNode(), 'Set Tenant ID in the FusionAuth credential to enable the events in a tenant', {
				description: `The server has ${tenants.length} tenants; the trigger only changes the one the credential names.`,
			});
		}
		tenantId = String((tenants[0] as IDataObject).id);
	}
	const current = await callApi(context, credential, 'GET', ['tenant', { parameter: 'tenantId', value: tenantId }]);
	if (current.statusCode !== 200) throw apiFailure(context, 'Could not read the tenant', 'GET /api/tenant/{tenantId}', current);
	const configured = (((current.body?.tenant as IDataObject | undefined)?.eventConfiguration as IDataObject | undefined)?.events ?? {}) as IDataObject;
	const changes: IDataObject = {};
	for (const event of events) {
		const entry = configured[event] as IDataObject | undefined;
		if (entry?.enabled !== true) changes[event] = { enabled: true, transactionType: 'None' };
	}
	if (Object.keys(changes).length === 0) return;
	const patched = await callApi(context, credential, 'PATCH', ['tenant', { parameter: 'tenantId', value: tenantId }], { tenant: { eventConfiguration: { events: changes } } });
	if (patched.statusCode !== 200) throw apiFailure(context, 'Could not enable the events in the tenant', 'PATCH /api/tenant/{tenantId}', patched);
}
