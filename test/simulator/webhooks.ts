/**
 * The simulator's webhooks, after FusionAuth's documentation: the Webhook API (create, retrieve,
 * update, patch, delete, search), the tenant's event configuration (held with the tenant, in
 * tenants.ts, which also answers its retrieve and patch), Key Master
 * keys (generate, retrieve; HMAC, RSA, EC) with the public ones at /.well-known/jwks.json, and
 * event delivery: `{"event": {...}}` POSTed to every webhook that covers the tenant and has the
 * event on, when the tenant has it enabled; signed with `X-FusionAuth-Signature-JWT` when the
 * webhook says so; a failed delivery (not 2xx, no answer, timeout) is tried up to three more
 * times. Deliveries are never transactional here: the API call that caused them does not wait.
 *
 * Guesses where the documentation is silent: the validation codes ([blank]webhook.url, ...) and the
 * pause between retries (configurable).
 *
 * The signature JWT and the published keys are made by the jose library (RFC 7515 / RFC 7517), so
 * the simulator holds no JWT code of its own.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { exportJWK, SignJWT } from 'jose';

import { merge } from './tenants';

export interface FeatureRequest {
	body: Record<string, unknown> | undefined;
	params: Record<string, string | undefined>;
	/** The tenant the request is scoped to (API key, header, or the only tenant). */
	tenantId?: string;
}

export interface FeatureReply {
	status: number;
	body?: unknown;
}

export interface FeatureRoute {
	method: string;
	pattern: string[];
	endpoint: string;
	auth: 'key' | 'none';
	json: 'required' | 'optional' | 'none';
	handle(request: FeatureRequest): FeatureReply | Promise<FeatureReply>;
}

export interface DeliveryAttempt {
	webhookId: string;
	url: string;
	eventId: string;
	eventType: string;
	/** 1 for the first try. */
	attempt: number;
	/** The status the receiver answered, or undefined when it did not. */
	status?: number;
	error?: string;
	headers: Record<string, string>;
	body: string;
	time: number;
}

/** A delivery as FusionAuth would POST it, not sent. */
export interface PreparedDelivery {
	url: string;
	eventId: string;
	headers: Record<string, string>;
	body: string;
}

export type KeyAlgorithm = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512' | 'Ed25519';

export interface SimKey {
	id: string;
	kid: string;
	algorithm: KeyAlgorithm;
	type: 'HMAC' | 'RSA' | 'EC' | 'OKP';
	name: string;
	/** HMAC keys only. */
	secret?: string;
	publicKey?: string;
}

export interface SimulatorWebhooks {
	/** Every delivery attempt, oldest first. Live array; reset() empties it. */
	readonly deliveries: DeliveryAttempt[];
	list(): Array<Record<string, unknown>>;
	get(webhookId: string): Record<string, unknown> | undefined;
	/** The tenant's `eventConfiguration.events`. */
	tenantEvents(tenantId?: string): Record<string, { enabled?: boolean; transactionType?: string }>;
	/** Turns events on in a tenant (as an administrator would), non-transactional. */
	enableEvents(events: string[], tenantId?: string): void;
	/** A Key Master key, as Settings > Key Master > Generate makes it. */
	generateKey(algorithm: KeyAlgorithm, options?: { id?: string; name?: string; kid?: string }): SimKey;
	/** Sends an event as FusionAuth would (to every webhook that should get it). */
	emit(tenantId: string, type: string, fields: Record<string, unknown>): void;
	/**
	 * The request FusionAuth would send one webhook for an event (a new event id each call), signed
	 * as that webhook says, but not sent: for load tests that time the sending themselves.
	 */
	prepareDelivery(webhookId: string, type: string, fields: Record<string, unknown>, tenantId?: string): Promise<PreparedDelivery>;
	/** Resolves when no delivery is under way or waiting for a retry. */
	idle(): Promise<void>;
}

/** Where the tenants' `eventConfiguration.events` live (tenants.ts). */
export interface TenantEvents {
	events(tenantId: string): Record<string, unknown> | undefined;
	mergeEvents(tenantId: string, events: Record<string, unknown>): void;
}

export interface WebhookOptions {
	tenants: string[];
	tenantEvents: TenantEvents;
	now: () => number;
	/** Pause before each retry (FusionAuth's own is not documented); default 1000 ms. */
	retryDelayMs?: number;
	/** How the failed-attempt event is spelled on the wire; default as the event list and the client spell it. */
	failedAttemptType?: string;
}

interface KeyRecord extends SimKey {
	/** RSA and EC keys only. */
	privateKey?: KeyObject;
	publicKeyObject?: KeyObject;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RETRIES = 3;

function fieldError(field: string, code: string, message: string): FeatureReply {
	return { status: 400, body: { fieldErrors: { [field]: [{ code, message }] } } };
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export class WebhookFeature implements SimulatorWebhooks {
	readonly deliveries: DeliveryAttempt[] = [];
	private webhooks = new Map<string, Record<string, unknown>>();
	private keys = new Map<string, KeyRecord>();
	private pending = new Set<Promise<void>>();
	private generation = 0;

	constructor(private readonly options: WebhookOptions) {
		this.reset();
	}

	reset(): void {
		this.generation++;
		this.deliveries.length = 0;
		this.webhooks = new Map();
		this.keys = new Map();
	}

	// --- state for tests ----------------------------------------------------------------------

	list(): Array<Record<string, unknown>> {
		return [...this.webhooks.values()].map((webhook) => structuredClone(webhook));
	}

	get(webhookId: string): Record<string, unknown> | undefined {
		const webhook = this.webhooks.get(webhookId.toLowerCase());
		return webhook === undefined ? undefined : structuredClone(webhook);
	}

	tenantEvents(tenantId = this.options.tenants[0]): Record<string, { enabled?: boolean; transactionType?: string }> {
		return structuredClone((this.options.tenantEvents.events(tenantId) ?? {}) as Record<string, { enabled?: boolean }>);
	}

	enableEvents(events: string[], tenantId = this.options.tenants[0]): void {
		if (this.options.tenantEvents.events(tenantId) === undefined) throw new Error(`No tenant ${tenantId}`);
		this.options.tenantEvents.mergeEvents(tenantId, Object.fromEntries(events.map((event) => [event, { enabled: true, transactionType: 'None' }])));
	}

	generateKey(algorithm: KeyAlgorithm, options: { id?: string; name?: string; kid?: string } = {}): SimKey {
		const id = (options.id ?? randomUUID()).toLowerCase();
		const name = options.name ?? `Simulator ${algorithm} key`;
		const kid = options.kid ?? randomBytes(20).toString('base64url').slice(0, 27);
		let record: KeyRecord;
		if (algorithm.startsWith('HS')) {
			record = { id, kid, algorithm, type: 'HMAC', name, secret: randomBytes(32).toString('base64') };
		} else if (algorithm.startsWith('RS')) {
			const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
			record = { id, kid, algorithm, type: 'RSA', name, privateKey: pair.privateKey, publicKeyObject: pair.publicKey, publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
		} else if (algorithm === 'Ed25519') {
			// Key Master's Ed25519 keys are of type OKP; FusionAuth's JWT library then writes "alg": "Ed25519".
			const pair = generateKeyPairSync('ed25519');
			record = { id, kid, algorithm, type: 'OKP', name, privateKey: pair.privateKey, publicKeyObject: pair.publicKey, publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
		} else {
			const curve = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' }[algorithm as 'ES256'];
			const pair = generateKeyPairSync('ec', { namedCurve: curve });
			record = { id, kid, algorithm, type: 'EC', name, privateKey: pair.privateKey, publicKeyObject: pair.publicKey, publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
		}
		this.keys.set(id, record);
		return this.renderKey(record) as unknown as SimKey;
	}

	async idle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	// --- routes -------------------------------------------------------------------------------

	routes(): FeatureRoute[] {
		return [
			{ method: 'POST', pattern: ['api', 'webhook', 'search'], endpoint: '/api/webhook/search', auth: 'key', json: 'required', handle: (r) => this.search(r) },
			{ method: 'POST', pattern: ['api', 'webhook', ':webhookId?'], endpoint: '/api/webhook', auth: 'key', json: 'required', handle: (r) => this.create(r) },
			{ method: 'GET', pattern: ['api', 'webhook', ':webhookId?'], endpoint: '/api/webhook', auth: 'key', json: 'none', handle: (r) => this.retrieve(r) },
			{ method: 'PUT', pattern: ['api', 'webhook', ':webhookId'], endpoint: '/api/webhook', auth: 'key', json: 'required', handle: (r) => this.update(r, false) },
			{ method: 'PATCH', pattern: ['api', 'webhook', ':webhookId'], endpoint: '/api/webhook', auth: 'key', json: 'required', handle: (r) => this.update(r, true) },
			{ method: 'DELETE', pattern: ['api', 'webhook', ':webhookId'], endpoint: '/api/webhook', auth: 'key', json: 'none', handle: (r) => this.remove(r) },
			{ method: 'POST', pattern: ['api', 'key', 'generate', ':keyId?'], endpoint: '/api/key/generate', auth: 'key', json: 'required', handle: (r) => this.generate(r) },
			{ method: 'GET', pattern: ['api', 'key', ':keyId'], endpoint: '/api/key', auth: 'key', json: 'none', handle: (r) => this.retrieveKey(r) },
			{ method: 'GET', pattern: ['.well-known', 'jwks.json'], endpoint: '/.well-known/jwks.json', auth: 'none', json: 'none', handle: () => this.jwks() },
		];
	}

	private validate(webhook: unknown): FeatureReply | Record<string, unknown> {
		if (!isObject(webhook)) return fieldError('webhook', '[missing]webhook', 'You must specify the [webhook] property.');
		if (typeof webhook.url !== 'string' || webhook.url.trim() === '') return fieldError('webhook.url', '[blank]webhook.url', 'You must specify the [webhook.url] property.');
		try {
			const url = new URL(webhook.url);
			if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
		} catch {
			return fieldError('webhook.url', '[invalid]webhook.url', 'The [webhook.url] property is not a valid URL.');
		}
		for (const field of ['connectTimeout', 'readTimeout']) {
			const value = webhook[field];
			if (value === undefined || value === null) return fieldError(`webhook.${field}`, `[blank]webhook.${field}`, `You must specify the [webhook.${field}] property.`);
			if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
				return fieldError(`webhook.${field}`, `[invalid]webhook.${field}`, `The [webhook.${field}] property must be greater than 0.`);
			}
		}
		if (webhook.tenantIds !== undefined && webhook.tenantIds !== null) {
			if (!Array.isArray(webhook.tenantIds) || webhook.tenantIds.some((id) => typeof id !== 'string' || !this.options.tenants.includes(id.toLowerCase()))) {
				return fieldError('webhook.tenantIds', '[invalid]webhook.tenantIds', 'The [webhook.tenantIds] property contains an Id that is not a Tenant.');
			}
		}
		const signature = webhook.signatureConfiguration;
		if (isObject(signature) && signature.enabled === true) {
			if (typeof signature.signingKeyId !== 'string' || !this.keys.has(signature.signingKeyId.toLowerCase())) {
				return fieldError('webhook.signatureConfiguration.signingKeyId', '[invalid]webhook.signatureConfiguration.signingKeyId', 'The [webhook.signatureConfiguration.signingKeyId] is not a Key that can sign.');
			}
		}
		return webhook;
	}

	private create(request: FeatureRequest): FeatureReply {
		const valid = this.validate(request.body?.webhook);
		if ('status' in valid && typeof valid.status === 'number') return valid as FeatureReply;
		const webhook = valid as Record<string, unknown>;
		const id = (request.params.webhookId ?? randomUUID()).toLowerCase();
		if (!UUID.test(id)) return { status: 404 };
		if (this.webhooks.has(id)) return fieldError('webhookId', '[duplicate]webhookId', 'A Webhook with Id [' + id + '] already exists.');
		const now = this.options.now();
		const stored: Record<string, unknown> = {
			eventsEnabled: {},
			global: false,
			headers: {},
			tenantIds: [],
			...structuredClone(webhook),
			id,
			insertInstant: now,
			lastUpdateInstant: now,
		};
		this.webhooks.set(id, stored);
		return { status: 200, body: { webhook: structuredClone(stored) } };
	}

	private retrieve(request: FeatureRequest): FeatureReply {
		if (request.params.webhookId === undefined) return { status: 200, body: { webhooks: this.list() } };
		const webhook = this.get(request.params.webhookId);
		return webhook === undefined ? { status: 404 } : { status: 200, body: { webhook } };
	}

	private update(request: FeatureRequest, patch: boolean): FeatureReply {
		const id = String(request.params.webhookId).toLowerCase();
		const existing = this.webhooks.get(id);
		if (existing === undefined) return { status: 404 };
		const given = request.body?.webhook;
		const next = patch && isObject(given) ? merge(existing, given) : given;
		const valid = this.validate(next);
		if ('status' in valid && typeof valid.status === 'number') return valid as FeatureReply;
		const stored = { ...(valid as Record<string, unknown>), id, insertInstant: existing.insertInstant, lastUpdateInstant: this.options.now() };
		this.webhooks.set(id, stored);
		return { status: 200, body: { webhook: structuredClone(stored) } };
	}

	private remove(request: FeatureRequest): FeatureReply {
		return this.webhooks.delete(String(request.params.webhookId).toLowerCase()) ? { status: 200 } : { status: 404 };
	}

	private search(request: FeatureRequest): FeatureReply {
		const search = isObject(request.body?.search) ? (request.body?.search as Record<string, unknown>) : {};
		const contains = (value: unknown, wanted: unknown) =>
			typeof wanted !== 'string' || wanted === '' || String(value ?? '').toLowerCase().includes(wanted.replace(/\*/g, '').toLowerCase());
		const matches = this.list().filter((webhook) => contains(webhook.description, search.description) && contains(webhook.url, search.url));
		const startRow = typeof search.startRow === 'number' ? search.startRow : 0;
		const numberOfResults = typeof search.numberOfResults === 'number' ? search.numberOfResults : 25;
		return { status: 200, body: { total: matches.length, webhooks: matches.slice(startRow, startRow + numberOfResults) } };
	}

	private renderKey(key: KeyRecord): Record<string, unknown> {
		const { privateKey, publicKeyObject, ...shown } = key;
		void privateKey;
		void publicKeyObject;
		return { ...shown, insertInstant: this.options.now() };
	}

	private generate(request: FeatureRequest): FeatureReply {
		const key = request.body?.key;
		if (!isObject(key)) return fieldError('key', '[missing]key', 'You must specify the [key] property.');
		const algorithms: KeyAlgorithm[] = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'Ed25519'];
		if (!algorithms.includes(key.algorithm as KeyAlgorithm)) return fieldError('key.algorithm', '[invalid]key.algorithm', 'The [key.algorithm] property is invalid.');
		const generated = this.generateKey(key.algorithm as KeyAlgorithm, { id: request.params.keyId, name: typeof key.name === 'string' ? key.name : undefined });
		return { status: 200, body: { key: generated } };
	}

	private retrieveKey(request: FeatureRequest): FeatureReply {
		const key = this.keys.get(String(request.params.keyId).toLowerCase());
		return key === undefined ? { status: 404 } : { status: 200, body: { key: this.renderKey(key) } };
	}

	private async jwks(): Promise<FeatureReply> {
		const published = [...this.keys.values()].filter((key) => key.publicKeyObject !== undefined);
		const keys = await Promise.all(
			published.map(async (key) => ({ ...(await exportJWK(key.publicKeyObject as KeyObject)), alg: key.algorithm, kid: key.kid, use: 'sig' })),
		);
		return { status: 200, body: { keys } };
	}

	// --- delivery -----------------------------------------------------------------------------

	private event(tenantId: string, type: string, fields: Record<string, unknown>): Record<string, unknown> {
		const wireType = type === 'user.two-factor.failed-attempt' ? (this.options.failedAttemptType ?? type) : type;
		return { ...fields, createInstant: this.options.now(), id: randomUUID(), tenantId, type: wireType };
	}

	emit(tenantId: string, type: string, fields: Record<string, unknown>): void {
		const setting = (this.options.tenantEvents.events(tenantId) as Record<string, { enabled?: boolean }> | undefined)?.[type];
		if (setting?.enabled !== true) return;
		const event = this.event(tenantId, type, fields);
		for (const webhook of this.webhooks.values()) {
			const covers = webhook.global === true || (Array.isArray(webhook.tenantIds) && webhook.tenantIds.map((id) => String(id).toLowerCase()).includes(tenantId));
			if (!covers || (webhook.eventsEnabled as Record<string, boolean> | undefined)?.[type] !== true) continue;
			const delivery = this.deliver(structuredClone(webhook), event, this.generation);
			this.pending.add(delivery);
			void delivery.finally(() => this.pending.delete(delivery));
		}
	}

	/** `X-FusionAuth-Signature-JWT`: the Base64 SHA-256 of the raw body, signed with the webhook's key, named by its kid. */
	private async signature(webhook: Record<string, unknown>, raw: string): Promise<string | undefined> {
		const config = webhook.signatureConfiguration;
		if (!isObject(config) || config.enabled !== true) return undefined;
		const key = this.keys.get(String(config.signingKeyId).toLowerCase());
		if (key === undefined) return undefined;
		// An HMAC key signs with the bytes of its secret as Key Master shows it (not Base64-decoded).
		const signingKey = key.type === 'HMAC' ? new TextEncoder().encode(String(key.secret)) : (key.privateKey as KeyObject);
		return new SignJWT({ request_body_sha256: createHash('sha256').update(raw).digest('base64') })
			.setProtectedHeader({ alg: key.algorithm, typ: 'JWT', kid: key.kid })
			.sign(signingKey);
	}

	/** The body and headers of a delivery of `event` to `webhook`. */
	private async request(webhook: Record<string, unknown>, event: Record<string, unknown>): Promise<{ raw: string; headers: Record<string, string> }> {
		const raw = JSON.stringify({ event });
		const headers: Record<string, string> = { 'Content-Type': 'application/json' };
		for (const [name, value] of Object.entries(isObject(webhook.headers) ? webhook.headers : {})) headers[name] = String(value);
		if (typeof webhook.httpAuthenticationUsername === 'string' && webhook.httpAuthenticationUsername !== '') {
			headers.Authorization = `Basic ${Buffer.from(`${webhook.httpAuthenticationUsername}:${String(webhook.httpAuthenticationPassword ?? '')}`).toString('base64')}`;
		}
		const signature = await this.signature(webhook, raw);
		if (signature !== undefined) headers['X-FusionAuth-Signature-JWT'] = signature;
		return { raw, headers };
	}

	async prepareDelivery(webhookId: string, type: string, fields: Record<string, unknown>, tenantId = this.options.tenants[0]): Promise<PreparedDelivery> {
		const webhook = this.webhooks.get(webhookId.toLowerCase());
		if (webhook === undefined) throw new Error(`No webhook ${webhookId}`);
		const event = this.event(tenantId, type, fields);
		const { raw, headers } = await this.request(webhook, event);
		return { url: String(webhook.url), eventId: String(event.id), headers, body: raw };
	}

	private async deliver(webhook: Record<string, unknown>, event: Record<string, unknown>, generation: number): Promise<void> {
		const { raw, headers } = await this.request(webhook, event);
		const timeout = Number(webhook.connectTimeout ?? 1000) + Number(webhook.readTimeout ?? 2000);
		for (let attempt = 1; attempt <= 1 + RETRIES; attempt++) {
			if (generation !== this.generation) return;
			const record: DeliveryAttempt = {
				webhookId: String(webhook.id),
				url: String(webhook.url),
				eventId: String(event.id),
				eventType: String(event.type),
				attempt,
				headers,
				body: raw,
				time: this.options.now(),
			};
			try {
				const response = await fetch(String(webhook.url), { method: 'POST', headers, body: raw, redirect: 'manual', signal: AbortSignal.timeout(timeout) });
				await response.arrayBuffer().catch(() => undefined);
				record.status = response.status;
			} catch (error) {
				record.error = (error as Error).name === 'TimeoutError' ? 'timeout' : String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
			}
			if (generation !== this.generation) return;
			this.deliveries.push(record);
			if (record.status !== undefined && record.status >= 200 && record.status < 300) return;
			if (attempt <= RETRIES) await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 1000));
		}
	}
}
