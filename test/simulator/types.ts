/**
 * The simulator's public types: the options startSimulator takes and the Simulator it returns.
 * Internal state lives in state.ts.
 */
import type { SeedUser, TwoFactorMethodType } from './demo';
import type { Plan, SimulatorTenants } from './tenants';
import type { PopulationOptions } from './population';
import type { SimulatorWebhooks, WebhookOptions } from './webhooks';

export type Generation = 'current' | 'legacy';
export type SearchEngine = 'database' | 'elasticsearch';

export interface ApiKeyOptions {
	key: string;
	/** A tenant-scoped key only sees that tenant and never needs X-FusionAuth-TenantId. */
	tenantId?: string;
	/**
	 * Endpoint permissions as FusionAuth stores them: endpoint URI to allowed methods, e.g.
	 * `{'/api/user/two-factor': ['POST', 'DELETE']}`. Omitted = every endpoint. A request to an
	 * endpoint the key may not call answers 401.
	 */
	permissions?: Record<string, string[]>;
}

export interface ApplicationOptions {
	id: string;
	tenantId?: string;
	name?: string;
	/** Its own MFA settings (`loginPolicy`, `trustPolicy`); default none: the tenant's apply. */
	multiFactorConfiguration?: Record<string, unknown>;
}

export interface FaultOptions {
	/** Delay before every (matching) request is handled. */
	latencyMs?: number;
	/** Answer this status instead of handling the request (500: empty body, 503: JSON body). */
	status?: number;
	/** Fraction (0..1) of requests that get `status`; defaults to 1 when neither this nor statusFirst is set. */
	statusRate?: number;
	/** The first N (matching) requests after the faults were set get `status`. */
	statusFirst?: number;
	/** Adds `Retry-After: <seconds>` to the faulted answers. */
	retryAfterSeconds?: number;
	/** Fraction (0..1) of requests whose socket is destroyed without an answer. */
	dropRate?: number;
	/** The first N (matching) requests get their socket destroyed. */
	dropFirst?: number;
	/** Handle the request (side effects happen) before dropping; default false = drop unhandled. */
	dropAfterHandling?: boolean;
	/** Handle the request, then hold the answer this long (for client timeout tests). */
	hangMs?: number;
	/**
	 * Fractions are deterministic: without a seed, request n (counted from setFaults) is hit when
	 * floor(n * rate) > floor((n - 1) * rate); with a seed, a seeded generator decides.
	 */
	seed?: number;
	/** Only requests whose path starts with one of these prefixes are affected (default: all). */
	paths?: string[];
	/** Only requests with one of these methods are affected (default: all). */
	methods?: string[];
}

export interface SimulatorOptions {
	generation?: Generation;
	/** 0 (default) picks a free port. */
	port?: number;
	/** Default: [DEFAULT_API_KEY], not tenant-scoped. */
	apiKeys?: Array<string | ApiKeyOptions>;
	/** Default: [DEFAULT_TENANT_ID]. Users and applications default to the first one. */
	tenants?: string[];
	/** Default: one application, DEFAULT_APPLICATION_ID, in the first tenant. */
	applications?: ApplicationOptions[];
	/** Default: DEMO_USER_LIST. */
	users?: readonly SeedUser[];
	/** Clock in ms since the epoch (TOTP, JWT, expiry); default Date.now. */
	now?: () => number;
	jwtSecret?: string;
	searchEngine?: SearchEngine;
	faults?: FaultOptions;
	/**
	 * `whenAmbiguous` (default, as FusionAuth): with several tenants, [TenantIdRequired] only when
	 * the tenant cannot be told from the request (login or two-factor start by loginId without an
	 * applicationId). `always`: every API-key request without a tenant-scoped key or header.
	 */
	tenantIdRequired?: 'whenAmbiguous' | 'always';
	/** Life of a twoFactorId (FusionAuth default 300). */
	twoFactorIdTtlSeconds?: number;
	/** Life of a code sent for enabling or disabling (FusionAuth default 60). */
	codeTtlSeconds?: number;
	/** Life of a twoFactorTrustId (FusionAuth default 30 days). */
	trustTtlSeconds?: number;
	/** Life of issued access tokens (FusionAuth default 3600). */
	jwtTtlSeconds?: number;
	/** Failed two-factor codes within failedAttemptWindowSeconds that lock the user (default 5). */
	failedAttemptsBeforeLock?: number;
	failedAttemptWindowSeconds?: number;
	/** How long the lock (409 on login) lasts (default 180). */
	lockSeconds?: number;
	/** Before 1.68 the retrieve endpoint returned the remaining codes; since 1.68 always []. */
	recoveryCodesRetrievable?: boolean;
	/** Elasticsearch max_result_window (default 10,000). */
	maxResultWindow?: number;
	/**
	 * Users for the user search only, derived from their index instead of stored (population.ts):
	 * the scale benchmark's million users. The other endpoints do not see them.
	 */
	population?: PopulationOptions;
	/** Event delivery to webhooks (see webhooks.ts). */
	webhooks?: Pick<WebhookOptions, 'retryDelayMs' | 'failedAttemptType'>;
	/** The licensed plan, for the MFA policies it allows (tenants.ts); default `enterprise`. */
	plan?: Plan;
}

export interface OutboxMessage {
	to: string;
	method: 'email' | 'sms';
	messageType?: 'SMS' | 'Voice';
	code: string;
	/** Absent only for the legacy send to a phone number before the secret is enabled. */
	userId?: string;
	purpose: 'enable' | 'disable' | 'login';
	methodId?: string;
	twoFactorId?: string;
	time: number;
}

export interface RecordedRequest {
	method: string;
	/** Raw path as received (still percent-encoded). */
	path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string | string[] | undefined>;
	/** Header names and values exactly as received, duplicates included. */
	rawHeaders: string[];
	body: string;
	time: number;
	/** Filled in when the answer was written; undefined when dropped or aborted. */
	status?: number;
}

export interface SimulatorStats {
	requestsTotal: number;
	inFlight: number;
	maxInFlight: number;
}

export interface SimTwoFactorMethod {
	id: string;
	method: TwoFactorMethodType;
	/** Base64 (authenticator only). */
	secret?: string;
	secretBase32Encoded?: string;
	email?: string;
	mobilePhone?: string;
	name?: string;
	lastUsed?: boolean;
}

/** Who a user is: the fields FusionAuth's user holds besides its two factor and login state. */
export interface UserProfile {
	id: string;
	tenantId: string;
	email?: string;
	username?: string;
	firstName?: string;
	lastName?: string;
	mobilePhone?: string;
	password: string;
	active: boolean;
	verified: boolean;
	expiry?: number;
}

/** A snapshot of a user's whole state, secrets included (what the API never shows). */
export interface SimUser extends UserProfile {
	registrations: string[];
	methods: SimTwoFactorMethod[];
	recoveryCodes: string[];
	legacy: { twoFactorEnabled: boolean; twoFactorDelivery: 'None' | 'TextMessage'; secret?: string; secretBase32Encoded?: string };
	lockedUntil?: number;
	/** The user's passkeys as GET /api/webauthn?userId= shows them (public keys included). */
	passkeys: Array<Record<string, unknown>>;
	/** The user's refresh tokens (sessions) as GET /api/jwt/refresh?userId= shows them. */
	refreshTokens: Array<Record<string, unknown>>;
	/** The user as GET /api/user/{id} shows it. */
	json: Record<string, unknown>;
}

export interface SimulatorUsers {
	get(userId: string): SimUser | undefined;
	/** By email or username, case-insensitive. */
	find(loginId: string): SimUser | undefined;
	list(): SimUser[];
	add(seed: SeedUser): SimUser;
	/** Current TOTP code of the user's authenticator method (or legacy secret), at `atMs` or now. */
	totp(userId: string, options?: { methodId?: string; atMs?: number }): string;
}

export interface Simulator {
	readonly url: string;
	readonly port: number;
	readonly generation: Generation;
	/** The first API key. */
	readonly apiKey: string;
	/** The first tenant. */
	readonly tenantId: string;
	/** The first application. */
	readonly applicationId: string;
	readonly users: SimulatorUsers;
	/** Every code sent by email, SMS or voice, oldest first. Live array; reset() empties it. */
	readonly outbox: OutboxMessage[];
	/** Every request received, oldest first. Live array; reset() empties it. */
	readonly requests: RecordedRequest[];
	readonly stats: SimulatorStats;
	/** Webhooks, tenant event settings, Key Master keys and the events delivered. */
	readonly webhooks: SimulatorWebhooks;
	/** Tenants and applications, with their MFA settings. */
	readonly tenants: SimulatorTenants;
	now(): number;
	/** An HS256 access token for the user, signed as the simulator signs its own. */
	issueJwt(userId: string, options?: { expiresInSeconds?: number; applicationId?: string }): Promise<string>;
	setFaults(faults?: FaultOptions): void;
	/** Back to the seeded state: users, codes, twoFactorIds, trusts, outbox, tenants, applications, requests, stats, faults. */
	reset(): void;
	resetStats(): void;
	close(): Promise<void>;
}
