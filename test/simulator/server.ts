/**
 * An HTTP simulator of FusionAuth's Two Factor surface (plus the login, user and user search
 * endpoints that go with it), in its current (1.26+) or legacy (1.25 and earlier) generation.
 * It listens on 127.0.0.1 only and keeps all state in memory.
 *
 * Behaviour follows FusionAuth's API documentation; where the documentation is silent
 * (some error codes and messages), the answer is a close, plausible FusionAuth-style one.
 * Those guesses: [duplicate]method|email|mobilePhone on enable, [tooLong]name,
 * [TenantIdInvalid] for a tenant header naming no tenant (also when empty), [missing] for a
 * missing JSON body, [tooLarge]search.startRow past the search window, [invalid]search.nextResults,
 * [notEnabled]userId on the legacy send, the 409 body after too many failed codes, the 503 body,
 * and the legacy TOTP key being the Base64-decoded secret.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

import {
	DEFAULT_API_KEY,
	DEFAULT_APPLICATION_ID,
	DEFAULT_JWT_SECRET,
	DEFAULT_TENANT_ID,
	DEMO_PASSWORD,
	DEMO_USER_LIST,
	SeedTwoFactorMethod,
	SeedUser,
	TwoFactorMethodType,
} from './demo';
import { signJwt, verifyJwt, JwtClaims } from './jwt';
import { matchesQuery, parseQueryString, QueryError, QueryNode } from './query';
import { base32Decode, base32Encode, base64Decode, totp, verifyTotp } from './totp';
import { WebhookFeature } from './webhooks';
import type { SimulatorWebhooks, WebhookOptions } from './webhooks';

export * from './demo';
export type { DeliveryAttempt, KeyAlgorithm, SimKey, SimulatorWebhooks } from './webhooks';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

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
	/** Event delivery to webhooks (see webhooks.ts). */
	webhooks?: Pick<WebhookOptions, 'retryDelayMs' | 'failedAttemptType'>;
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

/** A snapshot of a user's whole state, secrets included (what the API never shows). */
export interface SimUser {
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
	registrations: string[];
	methods: SimTwoFactorMethod[];
	recoveryCodes: string[];
	legacy: { twoFactorEnabled: boolean; twoFactorDelivery: 'None' | 'TextMessage'; secret?: string; secretBase32Encoded?: string };
	lockedUntil?: number;
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
	now(): number;
	/** An HS256 access token for the user, signed as the simulator signs its own. */
	issueJwt(userId: string, options?: { expiresInSeconds?: number; applicationId?: string }): Promise<string>;
	setFaults(faults?: FaultOptions): void;
	/** Back to the seeded state: users, codes, twoFactorIds, trusts, outbox, requests, stats, faults. */
	reset(): void;
	resetStats(): void;
	close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Internal state
// ---------------------------------------------------------------------------------------------

interface MethodRecord {
	id: string;
	method: TwoFactorMethodType;
	secret?: Buffer;
	email?: string;
	mobilePhone?: string;
	name?: string;
	lastUsed?: boolean;
}

interface Registration {
	id: string;
	applicationId: string;
	insertInstant: number;
	lastLoginInstant?: number;
}

interface UserRecord {
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
	insertInstant: number;
	lastUpdateInstant: number;
	lastLoginInstant?: number;
	passwordLastUpdateInstant: number;
	registrations: Registration[];
	data?: Record<string, unknown>;
	methods: MethodRecord[];
	recoveryCodes: string[];
	emptyTwoFactorAs: 'emptyObject' | 'emptyMethods' | 'absent';
	legacy: { enabled: boolean; delivery: 'None' | 'TextMessage'; secret?: Buffer };
	failedAttempts: number[];
	lockedUntil?: number;
}

interface PendingCode {
	code: string;
	userId: string;
	purpose: 'enable' | 'disable';
	method?: TwoFactorMethodType;
	value?: string;
	methodId?: string;
	expiresAt: number;
}

interface TwoFactorLogin {
	id: string;
	userId: string;
	tenantId: string;
	applicationId?: string;
	otp?: string;
	otpMethodId?: string;
	expiresAt: number;
	state?: Record<string, unknown>;
	trustChallenge?: string;
}

interface Trust {
	id: string;
	userId: string;
	applicationId?: string;
	startInstant: number;
	expiration: number;
}

interface ApiKeyRecord {
	key: string;
	tenantId?: string;
	permissions?: Record<string, string[]>;
}

type Auth =
	| { kind: 'key'; key: ApiKeyRecord }
	| { kind: 'jwt'; user: UserRecord; claims: JwtClaims }
	| { kind: 'none' };

type Body = { kind: 'none' } | { kind: 'json'; value: Record<string, unknown> };

interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

interface Context {
	method: string;
	url: URL;
	body: Body;
	auth: Auth;
	/** The tenant the request is scoped to, when it can be told from the key, header or JWT. */
	tenantId?: string;
	now: number;
}

type Handler = (ctx: Context, params: Record<string, string | undefined>) => Reply | Promise<Reply>;

interface Route {
	method: string;
	/** Literal segments, `:name` (required) or `:name?` (optional, last only). */
	pattern: string[];
	auth: Array<'key' | 'jwt' | 'none'>;
	/** Endpoint URI for API key permissions. */
	endpoint: string;
	/** `required`: a JSON body must be sent; `optional`: used when sent. */
	json: 'required' | 'optional' | 'none';
	handler: Handler;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Letters and digits FusionAuth uses in method ids and recovery codes (no vowels, 0 or 1). */
const CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXYZ23456789';
const LOCK_ACTION_ID = '9a1e2f3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';

function isUuid(value: string): boolean {
	return UUID_PATTERN.test(value);
}

function randomFrom(alphabet: string, length: number): string {
	let out = '';
	for (let i = 0; i < length; i++) {
		out += alphabet[randomInt(alphabet.length)];
	}
	return out;
}

function randomDigits(length: number): string {
	let out = '';
	for (let i = 0; i < length; i++) {
		out += String(randomInt(10));
	}
	return out;
}

function newRecoveryCodes(): string[] {
	return Array.from({ length: 10 }, () => `${randomFrom(CODE_ALPHABET, 5)}-${randomFrom(CODE_ALPHABET, 5)}`);
}

function normalizeRecoveryCode(code: string): string {
	return code.trim().toUpperCase();
}

function opaqueId(): string {
	return randomBytes(32).toString('base64url');
}

function looksLikePhone(value: string): boolean {
	return /^\+?[0-9 ().-]{7,20}$/.test(value) && (value.match(/\d/g) ?? []).length >= 7;
}

function looksLikeEmail(value: string): boolean {
	return /^[^\s@]+@[^\s@]+$/.test(value);
}

function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface ErrorEntry {
	code: string;
	message: string;
}

/** FusionAuth's Errors object: {fieldErrors: {field: [{code, message}]}, generalErrors: [...]}. */
class Errors {
	readonly fieldErrors: Record<string, ErrorEntry[]> = {};
	readonly generalErrors: ErrorEntry[] = [];

	field(field: string, code: string, message: string): this {
		(this.fieldErrors[field] ??= []).push({ code, message });
		return this;
	}

	general(code: string, message: string): this {
		this.generalErrors.push({ code, message });
		return this;
	}

	blank(field: string): this {
		return this.field(field, `[blank]${field}`, `You must specify the [${field}] property.`);
	}

	missing(field: string, message = `You must specify the [${field}] property.`): this {
		return this.field(field, `[missing]${field}`, message);
	}

	invalid(field: string, message = `The [${field}] property is invalid.`): this {
		return this.field(field, `[invalid]${field}`, message);
	}

	invalidJson(field: string, detail: string): this {
		return this.field(
			field,
			'[invalidJSON]',
			`Invalid JSON in the request body. The property was [${field}]. The error was [Possible conversion error]. The detailed exception was [${detail}].`,
		);
	}

	has(field?: string): boolean {
		return field === undefined ? !this.empty : field in this.fieldErrors;
	}

	get empty(): boolean {
		return Object.keys(this.fieldErrors).length === 0 && this.generalErrors.length === 0;
	}

	reply(): Reply {
		return { status: 400, body: { fieldErrors: this.fieldErrors, generalErrors: this.generalErrors } };
	}
}

const EMPTY = (status: number): Reply => ({ status });
const OK = EMPTY(200);

function tenantRequired(): Reply {
	return new Errors()
		.general(
			'[TenantIdRequired]',
			'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
		)
		.reply();
}

/** Reads JSON body fields with Jackson's leniency: scalars convert to strings, structures do not. */
class BodyReader {
	constructor(
		private readonly value: Record<string, unknown>,
		private readonly errors: Errors,
		private readonly prefix = '',
	) {}

	has(name: string): boolean {
		return this.value[name] !== undefined && this.value[name] !== null;
	}

	raw(name: string): unknown {
		return this.value[name];
	}

	string(name: string): string | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		if (typeof raw === 'string') {
			return raw;
		}
		if (typeof raw === 'number' || typeof raw === 'boolean') {
			return String(raw);
		}
		this.errors.invalidJson(this.prefix + name, 'Cannot deserialize value of type `java.lang.String` from an Object or Array value');
		return undefined;
	}

	/** Non-blank trimmed string or undefined. */
	text(name: string): string | undefined {
		const value = this.string(name);
		return value === undefined || value.trim() === '' ? undefined : value.trim();
	}

	uuid(name: string): string | undefined {
		const value = this.string(name);
		if (value === undefined || value === '') {
			return undefined;
		}
		if (!isUuid(value)) {
			this.errors.invalidJson(this.prefix + name, `Cannot deserialize value of type \`java.util.UUID\` from String "${value}"`);
			return undefined;
		}
		return value.toLowerCase();
	}

	boolean(name: string): boolean | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		if (typeof raw === 'boolean') {
			return raw;
		}
		if (raw === 'true' || raw === 'false') {
			return raw === 'true';
		}
		this.errors.invalidJson(this.prefix + name, `Cannot deserialize value of type \`boolean\` from ${JSON.stringify(raw)}`);
		return undefined;
	}

	integer(name: string): number | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		const number = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
		if (typeof number === 'number' && Number.isInteger(number)) {
			return number;
		}
		this.errors.invalidJson(this.prefix + name, `Cannot deserialize value of type \`int\` from ${JSON.stringify(raw)}`);
		return undefined;
	}

	enumeration<T extends string>(name: string, allowed: readonly T[]): T | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) {
			return raw as T;
		}
		this.errors.invalidJson(
			this.prefix + name,
			`Cannot deserialize value from ${JSON.stringify(raw)}: not one of the values accepted for Enum class: [${allowed.join(', ')}]`,
		);
		return undefined;
	}

	object(name: string): Record<string, unknown> | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		if (typeof raw === 'object' && !Array.isArray(raw)) {
			return raw as Record<string, unknown>;
		}
		this.errors.invalidJson(this.prefix + name, 'Cannot deserialize value of type `java.util.Map` from a non-object value');
		return undefined;
	}

	stringArray(name: string): string[] | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		const list = Array.isArray(raw) ? raw : [raw];
		if (list.every((item) => typeof item === 'string')) {
			return list as string[];
		}
		this.errors.invalidJson(this.prefix + name, 'Cannot deserialize value of type `java.util.List<java.lang.String>`');
		return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// The simulator
// ---------------------------------------------------------------------------------------------

class FusionAuthSimulator {
	readonly generation: Generation;
	readonly outbox: OutboxMessage[] = [];
	readonly requests: RecordedRequest[] = [];
	readonly stats: SimulatorStats = { requestsTotal: 0, inFlight: 0, maxInFlight: 0 };

	private readonly clock: () => number;
	private readonly jwtSecret: string;
	private readonly searchEngine: SearchEngine;
	private readonly apiKeys: ApiKeyRecord[];
	private readonly tenants: string[];
	private readonly applications: Array<{ id: string; tenantId: string; name: string }>;
	private readonly seeds: readonly SeedUser[];
	private readonly options: SimulatorOptions;
	private readonly routes: Route[];
	readonly webhooks: WebhookFeature;

	private users = new Map<string, UserRecord>();
	private pendingCodes: PendingCode[] = [];
	private twoFactorLogins = new Map<string, TwoFactorLogin>();
	private trusts = new Map<string, Trust>();
	private faults: FaultOptions | undefined;
	private faultCounter = 0;
	private faultRandom: (() => number) | undefined;

	constructor(options: SimulatorOptions) {
		this.options = options;
		this.generation = options.generation ?? 'current';
		this.clock = options.now ?? Date.now;
		this.jwtSecret = options.jwtSecret ?? DEFAULT_JWT_SECRET;
		this.searchEngine = options.searchEngine ?? 'database';
		this.tenants = (options.tenants?.length ? options.tenants : [DEFAULT_TENANT_ID]).map((id) => id.toLowerCase());
		this.apiKeys = (options.apiKeys?.length ? options.apiKeys : [DEFAULT_API_KEY]).map((entry) =>
			typeof entry === 'string' ? { key: entry } : { ...entry, tenantId: entry.tenantId?.toLowerCase() },
		);
		this.applications = (options.applications?.length ? options.applications : [{ id: DEFAULT_APPLICATION_ID }]).map(
			(app) => ({
				id: app.id.toLowerCase(),
				tenantId: (app.tenantId ?? this.tenants[0]).toLowerCase(),
				name: app.name ?? 'Simulator Application',
			}),
		);
		this.seeds = options.users ?? DEMO_USER_LIST;
		this.webhooks = new WebhookFeature({ ...options.webhooks, tenants: this.tenants, now: () => this.now() });
		// User create and delete come last: their patterns would also match /api/user/two-factor.
		this.routes = [
			...this.webhookRoutes(),
			...(this.generation === 'current' ? this.currentRoutes() : this.legacyRoutes()),
			...this.userAdminRoutes(),
		];
		this.setFaults(options.faults);
		this.seed();
	}

	now(): number {
		return this.clock();
	}

	// --- state --------------------------------------------------------------------------------

	reset(): void {
		this.users = new Map();
		this.pendingCodes = [];
		this.twoFactorLogins = new Map();
		this.trusts = new Map();
		this.outbox.length = 0;
		this.requests.length = 0;
		this.webhooks.reset();
		this.resetStats();
		this.setFaults(undefined);
		this.seed();
	}

	resetStats(): void {
		this.stats.requestsTotal = 0;
		this.stats.maxInFlight = this.stats.inFlight;
	}

	setFaults(faults?: FaultOptions): void {
		this.faults = faults === undefined ? undefined : { ...faults };
		this.faultCounter = 0;
		this.faultRandom = faults?.seed === undefined ? undefined : seededRandom(faults.seed);
	}

	private seed(): void {
		let instant = Date.UTC(2024, 0, 1);
		for (const seed of this.seeds) {
			this.addUser(seed, (instant += 60_000));
		}
	}

	addUser(seed: SeedUser, insertInstant = this.now()): UserRecord {
		const id = seed.id.toLowerCase();
		if (!isUuid(id)) {
			throw new Error(`Seed user id must be a UUID: ${seed.id}`);
		}
		if (this.users.has(id)) {
			throw new Error(`Duplicate seed user id: ${seed.id}`);
		}
		const tenantId = (seed.tenantId ?? this.tenants[0]).toLowerCase();
		if (!this.tenants.includes(tenantId)) {
			throw new Error(`Seed user ${seed.id} names an unknown tenant`);
		}
		const methods: MethodRecord[] = [];
		for (const method of seed.twoFactor?.methods ?? []) {
			methods.push(this.seedMethod(method, methods));
		}
		const firstAuthenticator = methods.find((method) => method.method === 'authenticator');
		const firstMethod = methods[0];
		const user: UserRecord = {
			id,
			tenantId,
			email: seed.email,
			username: seed.username,
			firstName: seed.firstName,
			lastName: seed.lastName,
			mobilePhone: seed.mobilePhone,
			password: seed.password ?? DEMO_PASSWORD,
			active: seed.active ?? true,
			verified: seed.verified ?? true,
			expiry: seed.expiry,
			insertInstant,
			lastUpdateInstant: insertInstant,
			passwordLastUpdateInstant: insertInstant,
			registrations: (seed.registrations ?? [this.applications[0].id]).map((applicationId) => ({
				id: randomUUID(),
				applicationId: applicationId.toLowerCase(),
				insertInstant,
			})),
			data: seed.data,
			methods,
			recoveryCodes: methods.length > 0 ? [...(seed.twoFactor?.recoveryCodes ?? newRecoveryCodes())] : [],
			emptyTwoFactorAs: seed.emptyTwoFactorAs ?? 'emptyObject',
			legacy: {
				enabled: methods.length > 0,
				delivery: seed.legacyDelivery ?? (firstMethod?.method === 'sms' ? 'TextMessage' : 'None'),
				secret: methods.length > 0 ? (firstAuthenticator?.secret ?? randomBytes(20)) : undefined,
			},
			failedAttempts: [],
		};
		this.users.set(id, user);
		return user;
	}

	private seedMethod(seed: SeedTwoFactorMethod, existing: MethodRecord[]): MethodRecord {
		const method: MethodRecord = {
			id: seed.id ?? this.newMethodId(existing),
			method: seed.method,
			name: seed.name,
		};
		if (seed.method === 'authenticator') {
			const secret = seed.secret === undefined ? randomBytes(20) : base64Decode(seed.secret);
			if (secret === null) {
				throw new Error(`Seed authenticator secret is not Base64: method ${method.id}`);
			}
			method.secret = secret;
		} else if (seed.method === 'email') {
			method.email = seed.email;
		} else {
			method.mobilePhone = seed.mobilePhone;
		}
		return method;
	}

	private newMethodId(existing: MethodRecord[]): string {
		for (;;) {
			const id = randomFrom(CODE_ALPHABET, 4);
			if (!existing.some((method) => method.id === id)) {
				return id;
			}
		}
	}

	findUser(userId: string, tenantId?: string): UserRecord | undefined {
		const user = this.users.get(userId.toLowerCase());
		return user !== undefined && (tenantId === undefined || user.tenantId === tenantId) ? user : undefined;
	}

	findByLoginId(loginId: string, tenantId?: string): UserRecord[] {
		const wanted = loginId.trim().toLowerCase();
		return [...this.users.values()].filter(
			(user) =>
				(tenantId === undefined || user.tenantId === tenantId) &&
				(user.email?.toLowerCase() === wanted || user.username?.toLowerCase() === wanted),
		);
	}

	allUsers(): UserRecord[] {
		return [...this.users.values()];
	}

	snapshot(user: UserRecord): SimUser {
		return {
			id: user.id,
			tenantId: user.tenantId,
			email: user.email,
			username: user.username,
			firstName: user.firstName,
			lastName: user.lastName,
			mobilePhone: user.mobilePhone,
			password: user.password,
			active: user.active,
			verified: user.verified,
			expiry: user.expiry,
			registrations: user.registrations.map((registration) => registration.applicationId),
			methods: user.methods.map((method) => ({
				id: method.id,
				method: method.method,
				secret: method.secret?.toString('base64'),
				secretBase32Encoded: method.secret === undefined ? undefined : base32Encode(method.secret),
				email: method.email,
				mobilePhone: method.mobilePhone,
				name: method.name,
				lastUsed: method.lastUsed,
			})),
			recoveryCodes: [...user.recoveryCodes],
			legacy: {
				twoFactorEnabled: user.legacy.enabled,
				twoFactorDelivery: user.legacy.delivery,
				secret: user.legacy.secret?.toString('base64'),
				secretBase32Encoded: user.legacy.secret === undefined ? undefined : base32Encode(user.legacy.secret),
			},
			lockedUntil: user.lockedUntil,
			json: this.renderUser(user),
		};
	}

	currentTotp(userId: string, options: { methodId?: string; atMs?: number } = {}): string {
		const user = this.findUser(userId);
		if (user === undefined) {
			throw new Error(`No such user: ${userId}`);
		}
		let secret: Buffer | undefined;
		if (this.generation === 'legacy' && options.methodId === undefined) {
			secret = user.legacy.secret;
		} else {
			const method = user.methods.find((candidate) =>
				options.methodId === undefined ? candidate.method === 'authenticator' : candidate.id === options.methodId,
			);
			secret = method?.secret;
		}
		if (secret === undefined) {
			throw new Error(`User ${userId} has no authenticator secret`);
		}
		return totp(secret, options.atMs ?? this.now());
	}

	async issueJwt(userId: string, options: { expiresInSeconds?: number; applicationId?: string } = {}): Promise<string> {
		const user = this.findUser(userId);
		if (user === undefined) {
			throw new Error(`No such user: ${userId}`);
		}
		return this.accessToken(user, options.applicationId, options.expiresInSeconds);
	}

	private accessToken(user: UserRecord, applicationId?: string, expiresInSeconds?: number): Promise<string> {
		const issuedAt = Math.floor(this.now() / 1000);
		const claims: JwtClaims = {
			aud: applicationId,
			exp: issuedAt + (expiresInSeconds ?? this.options.jwtTtlSeconds ?? 3600),
			iat: issuedAt,
			iss: 'fusionauth.simulator.local',
			sub: user.id,
			jti: randomUUID(),
			authenticationType: 'PASSWORD',
			email: user.email,
			email_verified: user.verified,
			applicationId,
			roles: [],
			tid: user.tenantId,
		};
		return signJwt(claims, this.jwtSecret);
	}

	// --- rendering ----------------------------------------------------------------------------

	private renderMethod(method: MethodRecord): Record<string, unknown> {
		const out: Record<string, unknown> = { id: method.id, method: method.method };
		if (method.method === 'authenticator') {
			out.authenticator = { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 };
		}
		if (method.email !== undefined) {
			out.email = method.email;
		}
		if (method.mobilePhone !== undefined) {
			out.mobilePhone = method.mobilePhone;
		}
		if (method.name !== undefined) {
			out.name = method.name;
		}
		if (method.lastUsed) {
			out.lastUsed = true;
		}
		return out;
	}

	renderUser(user: UserRecord): Record<string, unknown> {
		const out = compact({
			active: user.active,
			connectorId: 'e3306678-a53a-4964-9040-1c96f36dda72',
			data: user.data === undefined ? {} : structuredClone(user.data),
			email: user.email,
			expiry: user.expiry,
			firstName: user.firstName,
			fullName:
				user.firstName !== undefined || user.lastName !== undefined
					? [user.firstName, user.lastName].filter((part) => part !== undefined).join(' ')
					: undefined,
			id: user.id,
			insertInstant: user.insertInstant,
			lastLoginInstant: user.lastLoginInstant,
			lastName: user.lastName,
			lastUpdateInstant: user.lastUpdateInstant,
			memberships: [],
			mobilePhone: user.mobilePhone,
			passwordChangeRequired: false,
			passwordLastUpdateInstant: user.passwordLastUpdateInstant,
			preferredLanguages: [],
			registrations: user.registrations.map((registration) =>
				compact({
					applicationId: registration.applicationId,
					id: registration.id,
					insertInstant: registration.insertInstant,
					lastLoginInstant: registration.lastLoginInstant,
					lastUpdateInstant: registration.insertInstant,
					preferredLanguages: [],
					roles: [],
					tokens: {},
					usernameStatus: 'ACTIVE',
					verified: true,
				}),
			),
			tenantId: user.tenantId,
			username: user.username,
			usernameStatus: 'ACTIVE',
			verified: user.verified,
		});
		if (this.generation === 'legacy') {
			out.twoFactorDelivery = user.legacy.delivery;
			out.twoFactorEnabled = user.legacy.enabled;
		} else if (user.methods.length > 0) {
			out.twoFactor = { methods: user.methods.map((method) => this.renderMethod(method)) };
		} else if (user.emptyTwoFactorAs === 'emptyMethods') {
			out.twoFactor = { methods: [] };
		} else if (user.emptyTwoFactorAs === 'emptyObject') {
			out.twoFactor = {};
		}
		return out;
	}

	// --- HTTP ---------------------------------------------------------------------------------

	async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		this.stats.requestsTotal++;
		this.stats.inFlight++;
		this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
		let finished = false;
		const finish = (): void => {
			if (!finished) {
				finished = true;
				this.stats.inFlight--;
			}
		};
		res.on('finish', finish);
		res.on('close', finish);

		let aborted = false;
		res.on('close', () => {
			if (!res.writableFinished) {
				aborted = true;
			}
		});

		const rawBody = await readBody(req).catch(() => undefined);
		if (rawBody === undefined) {
			res.destroy();
			return;
		}
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: queryRecord(url.searchParams),
			headers: { ...req.headers },
			rawHeaders: [...req.rawHeaders],
			body: rawBody,
			time: this.now(),
		};
		this.requests.push(record);

		const faults = this.faults;
		const faulted = faults !== undefined && (faults.paths === undefined || faults.paths.some((prefix) => url.pathname.startsWith(prefix)));
		const decision = faulted ? this.decideFaults(faults) : { drop: false, status: false };
		const wait = async (ms: number | undefined): Promise<boolean> => {
			if (ms !== undefined && ms > 0) {
				await delay(ms, res);
			}
			return !aborted && !res.destroyed;
		};

		if (!(await wait(faulted ? faults.latencyMs : undefined))) {
			return;
		}
		if (decision.drop && !faults?.dropAfterHandling) {
			req.socket.destroy();
			return;
		}
		let reply: Reply;
		if (decision.status && faults?.status !== undefined) {
			reply = faultReply(faults.status, faults.retryAfterSeconds);
		} else {
			try {
				reply = await this.dispatch(req, url, rawBody);
			} catch {
				reply = { status: 500 };
			}
		}
		if (decision.drop) {
			req.socket.destroy();
			return;
		}
		if (!(await wait(faulted ? faults.hangMs : undefined))) {
			return;
		}
		record.status = reply.status;
		writeReply(res, reply);
	}

	private decideFaults(faults: FaultOptions): { drop: boolean; status: boolean } {
		this.faultCounter++;
		const n = this.faultCounter;
		const hit = (rate: number | undefined): boolean => {
			if (rate === undefined || rate <= 0) {
				return false;
			}
			if (rate >= 1) {
				return true;
			}
			if (this.faultRandom !== undefined) {
				return this.faultRandom() < rate;
			}
			return Math.floor(n * rate) > Math.floor((n - 1) * rate);
		};
		const drop = (faults.dropFirst !== undefined && n <= faults.dropFirst) || hit(faults.dropRate);
		let status = false;
		if (faults.status !== undefined) {
			if (faults.statusFirst === undefined && faults.statusRate === undefined) {
				status = true;
			} else {
				status = (faults.statusFirst !== undefined && n <= faults.statusFirst) || hit(faults.statusRate);
			}
		}
		return { drop, status };
	}

	private async dispatch(req: IncomingMessage, url: URL, rawBody: string): Promise<Reply> {
		const method = (req.method ?? 'GET').toUpperCase();
		let segments: string[];
		try {
			segments = url.pathname.split('/').slice(1).map((segment) => decodeURIComponent(segment));
		} catch {
			return EMPTY(400);
		}
		if (segments.length > 1 && segments[segments.length - 1] === '') {
			segments.pop();
		}
		let matched: { route: Route; params: Record<string, string | undefined> } | undefined;
		for (const route of this.routes) {
			if (route.method !== method) {
				continue;
			}
			const params = matchPattern(route.pattern, segments);
			if (params !== undefined) {
				matched = { route, params };
				break;
			}
		}
		if (matched === undefined) {
			return EMPTY(404);
		}
		const { route, params } = matched;

		const auth = await this.authenticate(req, route);
		if (auth === undefined) {
			return EMPTY(401);
		}
		const tenant = this.resolveTenant(req, auth);
		if ('reply' in tenant) {
			return tenant.reply;
		}
		if (
			this.options.tenantIdRequired === 'always' &&
			auth.kind === 'key' &&
			tenant.tenantId === undefined &&
			this.tenants.length > 1
		) {
			return tenantRequired();
		}

		let body: Body = { kind: 'none' };
		const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
		if (route.json !== 'none' && rawBody.trim() !== '' && contentType.includes('json')) {
			let parsed: unknown;
			try {
				parsed = JSON.parse(rawBody);
			} catch (error) {
				return new Errors()
					.general(
						'[invalidJSON]',
						`Unable to parse JSON. The error was [${error instanceof Error ? error.message : 'Unexpected input'}].`,
					)
					.reply();
			}
			if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
				return new Errors()
					.general('[invalidJSON]', 'Unable to parse JSON. The request body must be a JSON object.')
					.reply();
			}
			body = { kind: 'json', value: parsed as Record<string, unknown> };
		}
		if (route.json === 'required' && body.kind === 'none') {
			return new Errors().general('[missing]', 'Your request is missing a JSON body.').reply();
		}

		return route.handler(
			{ method, url, body, auth, tenantId: tenant.tenantId, now: this.now() },
			params,
		);
	}

	private async authenticate(req: IncomingMessage, route: Route): Promise<Auth | undefined> {
		if (route.auth.includes('none')) {
			return { kind: 'none' };
		}
		const header = req.headers.authorization;
		if (header === undefined || header.trim() === '') {
			return undefined;
		}
		const jwtMatch = /^(?:Bearer|JWT)\s+(\S+)\s*$/i.exec(header);
		if (jwtMatch !== null) {
			if (!route.auth.includes('jwt')) {
				return undefined;
			}
			const claims = await verifyJwt(jwtMatch[1], this.jwtSecret, this.now());
			if (claims === undefined || typeof claims.sub !== 'string') {
				return undefined;
			}
			const user = this.findUser(claims.sub);
			if (user === undefined || !user.active) {
				return undefined;
			}
			return { kind: 'jwt', user, claims };
		}
		if (!route.auth.includes('key')) {
			return undefined;
		}
		const key = this.apiKeys.find((candidate) => candidate.key === header);
		if (key === undefined) {
			return undefined;
		}
		if (key.permissions !== undefined) {
			const allowed = key.permissions[route.endpoint];
			if (allowed === undefined || !allowed.map((m) => m.toUpperCase()).includes(route.method)) {
				return undefined;
			}
		}
		return { kind: 'key', key };
	}

	private resolveTenant(req: IncomingMessage, auth: Auth): { tenantId?: string } | { reply: Reply } {
		const header = req.headers['x-fusionauth-tenantid'];
		const headerValue = Array.isArray(header) ? header[0] : header;
		if (auth.kind === 'none') {
			return {};
		}
		if (headerValue !== undefined) {
			const tenantId = headerValue.trim().toLowerCase();
			if (!isUuid(tenantId) || !this.tenants.includes(tenantId)) {
				return {
					reply: new Errors()
						.general(
							'[TenantIdInvalid]',
							`The value [${headerValue}] of the X-FusionAuth-TenantId header is not the Id of an existing Tenant.`,
						)
						.reply(),
				};
			}
			if (auth.kind === 'key' && auth.key.tenantId !== undefined && auth.key.tenantId !== tenantId) {
				return { reply: EMPTY(401) };
			}
			if (auth.kind === 'jwt' && auth.user.tenantId !== tenantId) {
				return { reply: EMPTY(401) };
			}
			return { tenantId };
		}
		if (auth.kind === 'key' && auth.key.tenantId !== undefined) {
			return { tenantId: auth.key.tenantId };
		}
		if (auth.kind === 'jwt') {
			return { tenantId: auth.user.tenantId };
		}
		return this.tenants.length === 1 ? { tenantId: this.tenants[0] } : {};
	}

	// --- shared pieces of handlers ----------------------------------------------------------

	private application(applicationId: string | undefined): { id: string; tenantId: string } | undefined {
		return applicationId === undefined ? undefined : this.applications.find((app) => app.id === applicationId);
	}

	/** Path {userId}: 400 when not a UUID, 404 when unknown (in the request's tenant). */
	private userFromPath(ctx: Context, raw: string | undefined): UserRecord | Reply {
		if (raw === undefined || raw === '') {
			return new Errors().missing('userId', 'The Id of the User was not specified on the URL.').reply();
		}
		if (!isUuid(raw)) {
			return new Errors()
				.field(
					'userId',
					'[couldNotConvert]userId',
					`Invalid userId [${raw}]. This must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).`,
				)
				.missing('userId', 'The Id of the User was not specified on the URL.')
				.reply();
		}
		return this.findUser(raw, ctx.tenantId) ?? EMPTY(404);
	}

	/** The user the request acts on: the JWT's user, or {userId} with an API key. */
	private subjectUser(ctx: Context, rawUserId: string | undefined): UserRecord | Reply {
		if (ctx.auth.kind === 'jwt') {
			return rawUserId === undefined ? ctx.auth.user : EMPTY(401);
		}
		return this.userFromPath(ctx, rawUserId);
	}

	private queryUuid(ctx: Context, name: string, errors: Errors): string | undefined {
		const value = ctx.url.searchParams.get(name);
		if (value === null || value === '') {
			return undefined;
		}
		if (!isUuid(value)) {
			errors.field(
				name,
				`[couldNotConvert]${name}`,
				`Invalid ${name} [${value}]. This must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).`,
			);
			return undefined;
		}
		return value.toLowerCase();
	}

	private checkApplication(applicationId: string | undefined, errors: Errors, field = 'applicationId'): void {
		if (applicationId !== undefined && this.application(applicationId) === undefined) {
			errors.invalid(field, `The [${field}] property does not identify an existing Application.`);
		}
	}

	private send(message: Omit<OutboxMessage, 'time'>): void {
		this.outbox.push({ ...message, time: this.now() });
	}

	private activeTwoFactorLogin(twoFactorId: string | undefined, now: number): TwoFactorLogin | undefined {
		if (twoFactorId === undefined) {
			return undefined;
		}
		const record = this.twoFactorLogins.get(twoFactorId);
		if (record === undefined) {
			return undefined;
		}
		if (record.expiresAt <= now) {
			this.twoFactorLogins.delete(twoFactorId);
			return undefined;
		}
		return record;
	}

	private startTwoFactorLogin(
		user: UserRecord,
		options: { applicationId?: string; code?: string; state?: Record<string, unknown>; trustChallenge?: string },
	): TwoFactorLogin {
		const record: TwoFactorLogin = {
			id: opaqueId(),
			userId: user.id,
			tenantId: user.tenantId,
			applicationId: options.applicationId,
			otp: options.code,
			expiresAt: this.now() + (this.options.twoFactorIdTtlSeconds ?? 300) * 1000,
			state: options.state,
			trustChallenge: options.trustChallenge,
		};
		this.twoFactorLogins.set(record.id, record);
		return record;
	}

	private validTrust(user: UserRecord, trustId: string | undefined, now: number): Trust | undefined {
		if (trustId === undefined) {
			return undefined;
		}
		const trust = this.trusts.get(trustId);
		return trust !== undefined && trust.userId === user.id && trust.expiration > now ? trust : undefined;
	}

	private twoFactorEnabled(user: UserRecord): boolean {
		return this.generation === 'legacy' ? user.legacy.enabled : user.methods.length > 0;
	}

	private isLocked(user: UserRecord, now: number): boolean {
		return user.lockedUntil !== undefined && user.lockedUntil > now;
	}

	private lockedReply(user: UserRecord): Reply {
		return {
			status: 409,
			body: {
				actions: [
					{
						actionId: LOCK_ACTION_ID,
						expiry: user.lockedUntil,
						localizedName: 'Prevent login',
						localizedReason: 'Too many failed authentication attempts',
						name: 'Prevent login',
						reason: 'Too many failed authentication attempts',
						reasonCode: 'failed_authentication',
					},
				],
			},
		};
	}

	private recordFailure(user: UserRecord, now: number): void {
		const windowMs = (this.options.failedAttemptWindowSeconds ?? 60) * 1000;
		user.failedAttempts = user.failedAttempts.filter((instant) => instant > now - windowMs);
		user.failedAttempts.push(now);
		if (user.failedAttempts.length >= (this.options.failedAttemptsBeforeLock ?? 5)) {
			user.lockedUntil = now + (this.options.lockSeconds ?? 180) * 1000;
			user.failedAttempts = [];
		}
	}

	private async loginReply(
		user: UserRecord,
		now: number,
		options: {
			applicationId?: string;
			noJWT?: boolean;
			trustComputer?: boolean;
			state?: Record<string, unknown>;
			trustToken?: boolean;
		},
	): Promise<Reply> {
		const registration =
			options.applicationId === undefined
				? undefined
				: user.registrations.find((candidate) => candidate.applicationId === options.applicationId);
		user.lastLoginInstant = now;
		if (registration !== undefined) {
			registration.lastLoginInstant = now;
		}
		const body: Record<string, unknown> = {};
		if (!options.noJWT) {
			body.token = await this.accessToken(user, registration?.applicationId);
			body.tokenExpirationInstant = now + (this.options.jwtTtlSeconds ?? 3600) * 1000;
			if (registration !== undefined) {
				body.refreshToken = randomBytes(36).toString('base64url');
				body.refreshTokenId = randomUUID();
			}
		}
		if (options.trustComputer) {
			const trust: Trust = {
				id: opaqueId(),
				userId: user.id,
				applicationId: options.applicationId,
				startInstant: now,
				expiration: now + (this.options.trustTtlSeconds ?? 2_592_000) * 1000,
			};
			this.trusts.set(trust.id, trust);
			body.twoFactorTrustId = trust.id;
		}
		if (options.state !== undefined) {
			body.state = options.state;
		}
		if (options.trustToken) {
			body.trustToken = opaqueId();
		}
		body.user = this.renderUser(user);
		this.emitEvent(user, 'user.login.success', { applicationId: options.applicationId, authenticationType: 'PASSWORD' });
		return { status: options.applicationId !== undefined && registration === undefined ? 202 : 200, body };
	}

	/** Checks a code for a two-factor login; consumes what is single-use. Returns the method used. */
	private acceptLoginCode(user: UserRecord, record: TwoFactorLogin, code: string, now: number): { ok: boolean; methodId?: string } {
		if (this.generation === 'legacy') {
			return { ok: user.legacy.secret !== undefined && verifyTotp(user.legacy.secret, code, now) };
		}
		if (record.otp !== undefined && record.otp === code) {
			return { ok: true, methodId: record.otpMethodId };
		}
		for (const method of user.methods) {
			if (method.method === 'authenticator' && method.secret !== undefined && verifyTotp(method.secret, code, now)) {
				return { ok: true, methodId: method.id };
			}
		}
		const index = user.recoveryCodes.indexOf(normalizeRecoveryCode(code));
		if (index >= 0) {
			user.recoveryCodes.splice(index, 1);
			return { ok: true };
		}
		return { ok: false };
	}

	private markLastUsed(user: UserRecord, methodId: string | undefined): void {
		if (methodId === undefined) {
			return;
		}
		for (const method of user.methods) {
			method.lastUsed = method.id === methodId ? true : undefined;
		}
	}

	private takePendingCode(match: (pending: PendingCode) => boolean, code: string, now: number): boolean {
		this.pendingCodes = this.pendingCodes.filter((pending) => pending.expiresAt > now);
		const index = this.pendingCodes.findIndex((pending) => pending.code === code && match(pending));
		if (index < 0) {
			return false;
		}
		this.pendingCodes.splice(index, 1);
		return true;
	}

	private newPendingCode(pending: Omit<PendingCode, 'code' | 'expiresAt'>): string {
		const code = randomDigits(6);
		this.pendingCodes.push({ ...pending, code, expiresAt: this.now() + (this.options.codeTtlSeconds ?? 60) * 1000 });
		return code;
	}

	// --- routes -------------------------------------------------------------------------------

	private commonRoutes(): Route[] {
		return [
			{ method: 'GET', pattern: ['api', 'two-factor', 'secret'], auth: ['key', 'jwt'], endpoint: '/api/two-factor/secret', json: 'none', handler: () => this.secret() },
			{ method: 'POST', pattern: ['api', 'login'], auth: ['key'], endpoint: '/api/login', json: 'required', handler: (ctx) => this.login(ctx) },
			{ method: 'POST', pattern: ['api', 'two-factor', 'login'], auth: ['none'], endpoint: '/api/two-factor/login', json: 'required', handler: (ctx) => this.twoFactorLogin(ctx) },
			{ method: 'POST', pattern: ['api', 'user', 'search'], auth: ['key'], endpoint: '/api/user/search', json: 'required', handler: (ctx) => this.search(ctx) },
			{ method: 'GET', pattern: ['api', 'user', 'search'], auth: ['key'], endpoint: '/api/user/search', json: 'none', handler: (ctx) => this.search(ctx) },
			{ method: 'GET', pattern: ['api', 'user', ':userId'], auth: ['key'], endpoint: '/api/user', json: 'none', handler: (ctx, p) => this.retrieveUser(ctx, p.userId) },
			{ method: 'GET', pattern: ['api', 'user'], auth: ['key'], endpoint: '/api/user', json: 'none', handler: (ctx) => this.retrieveUserBy(ctx) },
		];
	}

	private currentRoutes(): Route[] {
		return [
			...this.commonRoutes(),
			{ method: 'POST', pattern: ['api', 'user', 'two-factor', 'recovery-code', ':userId?'], auth: ['key'], endpoint: '/api/user/two-factor/recovery-code', json: 'none', handler: (ctx, p) => this.generateRecoveryCodes(ctx, p.userId) },
			{ method: 'GET', pattern: ['api', 'user', 'two-factor', 'recovery-code', ':userId?'], auth: ['key'], endpoint: '/api/user/two-factor/recovery-code', json: 'none', handler: (ctx, p) => this.retrieveRecoveryCodes(ctx, p.userId) },
			{ method: 'POST', pattern: ['api', 'user', 'two-factor', ':userId?'], auth: ['key', 'jwt'], endpoint: '/api/user/two-factor', json: 'required', handler: (ctx, p) => this.enable(ctx, p.userId) },
			{ method: 'DELETE', pattern: ['api', 'user', 'two-factor', ':userId?'], auth: ['key', 'jwt'], endpoint: '/api/user/two-factor', json: 'optional', handler: (ctx, p) => this.disable(ctx, p.userId) },
			{ method: 'PUT', pattern: ['api', 'user', 'two-factor', ':userId?'], auth: ['key'], endpoint: '/api/user/two-factor', json: 'optional', handler: (ctx, p) => this.update(ctx, p.userId) },
			{ method: 'POST', pattern: ['api', 'two-factor', 'send'], auth: ['key', 'jwt'], endpoint: '/api/two-factor/send', json: 'required', handler: (ctx) => this.sendForEnableDisable(ctx) },
			{ method: 'POST', pattern: ['api', 'two-factor', 'send', ':twoFactorId'], auth: ['none'], endpoint: '/api/two-factor/send', json: 'required', handler: (ctx, p) => this.sendForLogin(ctx, p.twoFactorId) },
			{ method: 'POST', pattern: ['api', 'two-factor', 'start'], auth: ['key'], endpoint: '/api/two-factor/start', json: 'required', handler: (ctx) => this.start(ctx) },
			{ method: 'GET', pattern: ['api', 'two-factor', 'status', ':twoFactorTrustId?'], auth: ['key'], endpoint: '/api/two-factor/status', json: 'none', handler: (ctx, p) => this.statusGet(ctx, p.twoFactorTrustId) },
			{ method: 'POST', pattern: ['api', 'two-factor', 'status'], auth: ['key'], endpoint: '/api/two-factor/status', json: 'required', handler: (ctx) => this.statusPost(ctx) },
		];
	}

	private legacyRoutes(): Route[] {
		return [
			...this.commonRoutes(),
			{ method: 'POST', pattern: ['api', 'user', 'two-factor', ':userId?'], auth: ['key', 'jwt'], endpoint: '/api/user/two-factor', json: 'required', handler: (ctx, p) => this.legacyEnable(ctx, p.userId) },
			{ method: 'DELETE', pattern: ['api', 'user', 'two-factor', ':userId?'], auth: ['key', 'jwt'], endpoint: '/api/user/two-factor', json: 'optional', handler: (ctx, p) => this.legacyDisable(ctx, p.userId) },
			{ method: 'POST', pattern: ['api', 'two-factor', 'send'], auth: ['key', 'jwt'], endpoint: '/api/two-factor/send', json: 'optional', handler: (ctx) => this.legacySend(ctx) },
			{ method: 'POST', pattern: ['api', 'two-factor', 'send', ':twoFactorId'], auth: ['none'], endpoint: '/api/two-factor/send', json: 'optional', handler: (ctx, p) => this.legacySendForLogin(ctx, p.twoFactorId) },
		];
	}

	/** Webhooks, tenants' event settings and keys (webhooks.ts), under the same authentication. */
	private webhookRoutes(): Route[] {
		return this.webhooks.routes().map((route) => ({
			method: route.method,
			pattern: route.pattern,
			auth: [route.auth],
			endpoint: route.endpoint,
			json: route.json,
			handler: (ctx, params) => route.handle({ body: ctx.body.kind === 'json' ? ctx.body.value : undefined, params, tenantId: ctx.tenantId }),
		}));
	}

	/** An event about the user, to the webhooks that should get it. */
	private emitEvent(user: UserRecord, type: string, fields: Record<string, unknown> = {}): void {
		this.webhooks.emit(user.tenantId, type, { ...fields, user: this.renderUser(user) });
	}

	/** Creating and deleting users, so a run can bring its own user (as the live tests do). */
	private userAdminRoutes(): Route[] {
		return [
			{ method: 'POST', pattern: ['api', 'user', ':userId?'], auth: ['key'], endpoint: '/api/user', json: 'required', handler: (ctx, p) => this.createUser(ctx, p.userId) },
			{ method: 'DELETE', pattern: ['api', 'user', ':userId'], auth: ['key'], endpoint: '/api/user', json: 'none', handler: (ctx, p) => this.deleteUser(ctx, p.userId) },
		];
	}

	private createUser(ctx: Context, rawUserId: string | undefined): Reply {
		const id = (rawUserId ?? randomUUID()).toLowerCase();
		const user = (jsonOf(ctx.body) as { user?: Record<string, unknown> } | undefined)?.user;
		const errors = new Errors();
		if (rawUserId !== undefined && !isUuid(id)) {
			errors.field('userId', '[couldNotConvert]userId', `Invalid userId [${rawUserId}].`);
		}
		if (!user || typeof user !== 'object') {
			errors.missing('user', 'You must specify the [user] property.');
		} else {
			if (typeof user.email !== 'string' && typeof user.username !== 'string') {
				errors.field('user.email', '[blank]user.email', 'You must specify either the [user.email] or [user.username] property.');
			}
			if (typeof user.password !== 'string' || user.password === '') {
				errors.field('user.password', '[blank]user.password', 'You must specify the [user.password] property.');
			}
		}
		if (!errors.empty) return errors.reply();
		if (this.users.has(id)) {
			return new Errors().field('userId', '[duplicate]userId', 'A User with Id [' + id + '] already exists.').reply();
		}
		const created = this.addUser({
			id,
			email: user!.email as string | undefined,
			username: user!.username as string | undefined,
			firstName: user!.firstName as string | undefined,
			lastName: user!.lastName as string | undefined,
			password: user!.password as string,
			tenantId: ctx.tenantId,
		});
		return { status: 200, body: { user: this.renderUser(created) } };
	}

	private deleteUser(ctx: Context, rawUserId: string | undefined): Reply {
		const user = this.userFromPath(ctx, rawUserId);
		if ('status' in user) return user;
		this.users.delete(user.id);
		return EMPTY(200);
	}

	// --- handlers: shared -------------------------------------------------------------------

	private secret(): Reply {
		const secret = randomBytes(20);
		return { status: 200, body: { secret: secret.toString('base64'), secretBase32Encoded: base32Encode(secret) } };
	}

	private retrieveUser(ctx: Context, rawUserId: string | undefined): Reply {
		const user = this.userFromPath(ctx, rawUserId);
		return 'status' in user ? user : { status: 200, body: { user: this.renderUser(user) } };
	}

	/**
	 * GET /api/user?email=, ?username=, ?loginId= (with repeated loginIdTypes, 1.59+): one user of
	 * the request's tenant; without a tenant on a server with several, FusionAuth cannot tell which.
	 */
	private retrieveUserBy(ctx: Context): Reply {
		const params = ctx.url.searchParams;
		const given = (name: string): string | undefined => {
			const value = params.get(name);
			return value === null || value.trim() === '' ? undefined : value.trim();
		};
		const email = given('email');
		const username = given('username');
		const loginId = given('loginId');
		if (email === undefined && username === undefined && loginId === undefined) {
			// Nothing to look up by: answered as a retrieve without the Id on the URL.
			return new Errors().missing('userId', 'The Id of the User was not specified on the URL.').reply();
		}
		const loginIdTypes = params.getAll('loginIdTypes').filter((type) => type !== '');
		if (loginIdTypes.some((type) => !['email', 'username', 'phoneNumber'].includes(type))) {
			return new Errors().invalid('loginIdTypes', 'The [loginIdTypes] values must be one of [email, phoneNumber, username].').reply();
		}
		if (ctx.tenantId === undefined && this.tenants.length > 1) {
			return tenantRequired();
		}
		const same = (value: string | undefined, wanted: string) => value !== undefined && value.toLowerCase() === wanted.toLowerCase();
		const types = loginIdTypes.length > 0 ? loginIdTypes : ['email', 'username'];
		const user = this.allUsers().find(
			(candidate) =>
				(ctx.tenantId === undefined || candidate.tenantId === ctx.tenantId) &&
				(email !== undefined
					? same(candidate.email, email)
					: username !== undefined
						? same(candidate.username, username)
						: (types.includes('email') && same(candidate.email, loginId as string)) ||
							(types.includes('username') && same(candidate.username, loginId as string))),
		);
		return user === undefined ? EMPTY(404) : { status: 200, body: { user: this.renderUser(user) } };
	}

	private async login(ctx: Context): Promise<Reply> {
		const errors = new Errors();
		const body = new BodyReader(jsonOf(ctx.body), errors);
		const loginId = body.text('loginId');
		const password = body.string('password');
		const applicationId = body.uuid('applicationId');
		const twoFactorTrustId = body.text('twoFactorTrustId');
		const noJWT = body.boolean('noJWT');
		body.string('ipAddress');
		if (loginId === undefined && !errors.has('loginId')) {
			errors.blank('loginId');
		}
		if ((password === undefined || password === '') && !errors.has('password')) {
			errors.blank('password');
		}
		this.checkApplication(applicationId, errors);
		if (!errors.empty) {
			return errors.reply();
		}
		const tenantId = ctx.tenantId ?? this.application(applicationId)?.tenantId;
		if (tenantId === undefined && this.tenants.length > 1) {
			return tenantRequired();
		}
		const [user] = this.findByLoginId(loginId as string, tenantId);
		if (user === undefined || user.password !== password) {
			if (user !== undefined) this.emitEvent(user, 'user.login.failed', { applicationId, authenticationType: 'PASSWORD' });
			return EMPTY(404);
		}
		if (!user.active) {
			return EMPTY(423);
		}
		if (user.expiry !== undefined && user.expiry <= ctx.now) {
			return EMPTY(410);
		}
		if (this.isLocked(user, ctx.now)) {
			return this.lockedReply(user);
		}
		if (this.twoFactorEnabled(user) && this.validTrust(user, twoFactorTrustId, ctx.now) === undefined) {
			const record = this.startTwoFactorLogin(user, { applicationId });
			this.emitEvent(user, 'user.two-factor.challenge', { applicationId });
			if (this.generation === 'legacy') {
				if (user.legacy.delivery === 'TextMessage' && user.mobilePhone !== undefined && user.legacy.secret !== undefined) {
					this.send({ to: user.mobilePhone, method: 'sms', messageType: 'SMS', code: totp(user.legacy.secret, ctx.now), userId: user.id, purpose: 'login', twoFactorId: record.id });
				}
				return { status: 242, body: { twoFactorId: record.id } };
			}
			return {
				status: 242,
				body: { methods: user.methods.map((method) => this.renderMethod(method)), twoFactorId: record.id },
			};
		}
		return this.loginReply(user, ctx.now, { applicationId, noJWT });
	}

	private async twoFactorLogin(ctx: Context): Promise<Reply> {
		const errors = new Errors();
		const body = new BodyReader(jsonOf(ctx.body), errors);
		const twoFactorId = body.text('twoFactorId');
		const code = body.text('code');
		const applicationId = body.uuid('applicationId');
		const trustComputer = body.boolean('trustComputer');
		const noJWT = body.boolean('noJWT');
		body.string('ipAddress');
		body.object('metaData');
		if (code === undefined && !errors.has('code')) {
			errors.blank('code');
		}
		if (twoFactorId === undefined && !errors.has('twoFactorId')) {
			errors.blank('twoFactorId');
		}
		this.checkApplication(applicationId, errors);
		if (!errors.empty) {
			return errors.reply();
		}
		const record = this.activeTwoFactorLogin(twoFactorId, ctx.now);
		const user = record === undefined ? undefined : this.findUser(record.userId);
		if (record === undefined || user === undefined) {
			return EMPTY(404);
		}
		if (user.expiry !== undefined && user.expiry <= ctx.now) {
			return EMPTY(410);
		}
		if (this.isLocked(user, ctx.now)) {
			return this.lockedReply(user);
		}
		const accepted = this.acceptLoginCode(user, record, code as string, ctx.now);
		if (!accepted.ok) {
			this.recordFailure(user, ctx.now);
			this.emitEvent(user, 'user.two-factor.failed-attempt', { applicationId: applicationId ?? record.applicationId });
			return EMPTY(421);
		}
		this.twoFactorLogins.delete(record.id);
		const usedMethod = user.methods.find((candidate) => candidate.id === accepted.methodId);
		this.emitEvent(user, 'user.two-factor.success', { applicationId: applicationId ?? record.applicationId, method: usedMethod?.method ?? 'recoveryCode' });
		user.failedAttempts = [];
		this.markLastUsed(user, accepted.methodId);
		return this.loginReply(user, ctx.now, {
			applicationId: applicationId ?? record.applicationId,
			noJWT,
			trustComputer,
			state: record.state,
			trustToken: record.trustChallenge !== undefined,
		});
	}

	private search(ctx: Context): Reply {
		const errors = new Errors();
		let criteria: BodyReader;
		let prefix: string;
		if (ctx.method === 'GET') {
			const params: Record<string, unknown> = {};
			for (const [key, value] of ctx.url.searchParams) {
				if (key === 'ids') {
					params.ids = [...((params.ids as string[] | undefined) ?? []), value];
				} else {
					params[key] = value;
				}
			}
			criteria = new BodyReader(params, errors);
			prefix = '';
		} else {
			const root = new BodyReader(jsonOf(ctx.body), errors);
			const search = root.object('search');
			if (!errors.empty) {
				return errors.reply();
			}
			criteria = new BodyReader(search ?? {}, errors, 'search.');
			prefix = 'search.';
		}
		const queryString = criteria.string('queryString');
		const query = criteria.string('query');
		const ids = criteria.stringArray('ids');
		const nextResults = criteria.string('nextResults');
		const numberOfResults = criteria.integer('numberOfResults') ?? 25;
		const startRow = criteria.integer('startRow') ?? 0;
		const accurateTotal = criteria.boolean('accurateTotal') ?? false;
		const sortFields = this.sortFields(criteria.raw('sortFields'), errors, prefix);
		if (!errors.empty) {
			return errors.reply();
		}
		if (numberOfResults < 0) {
			errors.invalid(`${prefix}numberOfResults`);
		}
		if (startRow < 0) {
			errors.invalid(`${prefix}startRow`);
		}
		if (!errors.empty) {
			return errors.reply();
		}
		const elastic = this.searchEngine === 'elasticsearch';
		const inTenant = (user: UserRecord): boolean => ctx.tenantId === undefined || user.tenantId === ctx.tenantId;

		if (ids !== undefined && ids.length > 0) {
			const users = ids
				.filter((id) => isUuid(id))
				.map((id) => this.findUser(id))
				.filter((user): user is UserRecord => user !== undefined && inTenant(user));
			return { status: 200, body: { total: users.length, users: users.map((user) => this.renderUser(user)) } };
		}

		let node: QueryNode | undefined;
		let after: unknown[] | undefined;
		let sort = sortFields;
		if (elastic && nextResults !== undefined && nextResults !== '') {
			if (queryString !== undefined || query !== undefined || sortFields.length > 0 || startRow > 0) {
				return new Errors()
					.invalid(
						`${prefix}nextResults`,
						`The [${prefix}nextResults] property may not be combined with [${prefix}queryString], [${prefix}query], [${prefix}ids], [${prefix}sortFields] or a [${prefix}startRow] other than 0.`,
					)
					.reply();
			}
			const token = decodeNextResults(nextResults);
			if (token === undefined) {
				return new Errors().invalid(`${prefix}nextResults`, `The [${prefix}nextResults] token is invalid.`).reply();
			}
			try {
				node = parseQueryString(token.queryString);
			} catch {
				return new Errors().invalid(`${prefix}nextResults`, `The [${prefix}nextResults] token is invalid.`).reply();
			}
			sort = token.sortFields;
			after = token.after;
			return this.searchPage(node, token.queryString, sort, 0, numberOfResults, token.accurateTotal, after, inTenant);
		}
		if (query !== undefined && query !== '') {
			if (!elastic) {
				return new Errors()
					.general('[invalid]', `The [${prefix}query] property requires the Elasticsearch search engine.`)
					.reply();
			}
			return new Errors()
				.invalid(`${prefix}query`, `The [${prefix}query] field is invalid. Raw Elasticsearch queries are not supported by this server; use [${prefix}queryString].`)
				.reply();
		}
		if (queryString === undefined || queryString.trim() === '') {
			return new Errors()
				.general(
					'[invalid]',
					`You must specify either the [${prefix}ids], [${prefix}query], [${prefix}queryString] or [${prefix}nextResults] property.`,
				)
				.reply();
		}
		if (elastic) {
			try {
				node = parseQueryString(queryString);
			} catch (error) {
				const reason = error instanceof QueryError ? error.message : 'Failed to parse query';
				return new Errors()
					.invalid(`${prefix}queryString`, `The [${prefix}queryString] field is invalid. Explanation [${reason}]`)
					.reply();
			}
			const window = this.options.maxResultWindow ?? 10_000;
			if (startRow + numberOfResults > window) {
				return new Errors()
					.field(
						`${prefix}startRow`,
						`[tooLarge]${prefix}startRow`,
						`The sum of [${prefix}startRow] and [${prefix}numberOfResults] may not exceed ${window}. Use [${prefix}nextResults] to page further.`,
					)
					.reply();
			}
		}
		return this.searchPage(node, queryString, sort, startRow, numberOfResults, accurateTotal, undefined, inTenant);
	}

	private sortFields(raw: unknown, errors: Errors, prefix: string): Array<{ name: string; order: 'asc' | 'desc'; missing: '_first' | '_last' }> {
		if (raw === undefined || raw === null) {
			return [];
		}
		if (!Array.isArray(raw)) {
			errors.invalidJson(`${prefix}sortFields`, 'Cannot deserialize value of type `java.util.List<SortField>`');
			return [];
		}
		const out: Array<{ name: string; order: 'asc' | 'desc'; missing: '_first' | '_last' }> = [];
		raw.forEach((entry, index) => {
			const field = new BodyReader(typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {}, errors, `${prefix}sortFields[${index}].`);
			const name = field.text('name');
			const order = field.enumeration('order', ['asc', 'desc'] as const) ?? 'asc';
			const missing = field.string('missing') === '_first' ? '_first' : '_last';
			if (name === undefined) {
				errors.blank(`${prefix}sortFields[${index}].name`);
			} else {
				out.push({ name, order, missing });
			}
		});
		return out;
	}

	private searchPage(
		node: QueryNode | undefined,
		queryString: string,
		sortFields: Array<{ name: string; order: 'asc' | 'desc'; missing: '_first' | '_last' }>,
		startRow: number,
		numberOfResults: number,
		accurateTotal: boolean,
		after: unknown[] | undefined,
		inTenant: (user: UserRecord) => boolean,
	): Reply {
		const elastic = this.searchEngine === 'elasticsearch';
		const candidates = this.allUsers().filter(inTenant);
		const documents = candidates.map((user) => ({ user, json: this.renderUser(user) }));
		const matched = documents.filter(({ user, json }) =>
			elastic ? matchesQuery(node as QueryNode, json) : databaseMatch(queryString, user),
		);
		const keyOf = (json: Record<string, unknown>): unknown[] => [
			...sortFields.map((field) => sortValue(json, field.name)),
			json.insertInstant,
			json.id,
		];
		const keys = new Map(matched.map(({ json }) => [json, keyOf(json)]));
		const compare = (a: unknown[], b: unknown[]): number => {
			for (let i = 0; i < a.length; i++) {
				const field = sortFields[i];
				const result = compareValues(a[i], b[i], field?.missing ?? '_last');
				if (result !== 0) {
					return field?.order === 'desc' ? -result : result;
				}
			}
			return 0;
		};
		matched.sort((a, b) => compare(keys.get(a.json) as unknown[], keys.get(b.json) as unknown[]));
		let remaining = matched;
		if (after !== undefined) {
			remaining = matched.filter(({ json }) => compare(keys.get(json) as unknown[], after) > 0);
		}
		const page = remaining.slice(startRow, startRow + numberOfResults);
		const body: Record<string, unknown> = {
			total: elastic && !accurateTotal ? Math.min(matched.length, 10_000) : matched.length,
			users: page.map(({ json }) => json),
		};
		if (elastic && page.length > 0) {
			body.nextResults = encodeNextResults({
				queryString,
				sortFields,
				accurateTotal,
				after: keyOf(page[page.length - 1].json),
			});
		}
		return { status: 200, body };
	}

	// --- handlers: current generation --------------------------------------------------------

	private enable(ctx: Context, rawUserId: string | undefined): Reply {
		const user = this.subjectUser(ctx, rawUserId);
		if ('status' in user) {
			return user;
		}
		const errors = new Errors();
		const body = new BodyReader(jsonOf(ctx.body), errors);
		const code = body.text('code');
		const method = body.text('method');
		const secret = body.text('secret');
		const secretBase32Encoded = body.text('secretBase32Encoded');
		const email = body.text('email');
		const mobilePhone = body.text('mobilePhone');
		const name = body.string('name');
		const applicationId = body.uuid('applicationId');
		const twoFactorId = body.text('twoFactorId');
		body.string('authenticatorId');
		if (code === undefined && !errors.has('code')) {
			errors.blank('code');
		}
		let key: Buffer | undefined;
		if (method === undefined) {
			if (!errors.has('method')) {
				errors.blank('method');
			}
		} else if (method === 'authenticator') {
			if (secret !== undefined) {
				key = base64Decode(secret) ?? undefined;
				if (key === undefined) {
					errors.invalid('secret', 'The [secret] property must be a Base64 encoded value.');
				}
			} else if (secretBase32Encoded !== undefined) {
				key = base32Decode(secretBase32Encoded) ?? undefined;
				if (key === undefined) {
					errors.invalid('secretBase32Encoded', 'The [secretBase32Encoded] property must be a Base32 encoded value.');
				}
			} else if (!errors.has('secret') && !errors.has('secretBase32Encoded')) {
				errors.blank('secret');
			}
			if (user.methods.some((existing) => existing.method === 'authenticator')) {
				errors.field('method', '[duplicate]method', 'The User already has an [authenticator] method. Only one may be enabled.');
			}
		} else if (method === 'email') {
			if (email === undefined) {
				if (!errors.has('email')) {
					errors.blank('email');
				}
			} else if (!looksLikeEmail(email)) {
				errors.invalid('email', 'The [email] property must be a valid email address.');
			} else if (user.methods.some((existing) => existing.method === 'email' && existing.email?.toLowerCase() === email.toLowerCase())) {
				errors.field('email', '[duplicate]email', `The email [${email}] is already enabled for the User.`);
			}
		} else if (method === 'sms') {
			if (mobilePhone === undefined) {
				if (!errors.has('mobilePhone')) {
					errors.blank('mobilePhone');
				}
			} else if (!looksLikePhone(mobilePhone)) {
				errors.invalid('mobilePhone', 'The [mobilePhone] property must be a valid phone number.');
			} else if (user.methods.some((existing) => existing.method === 'sms' && existing.mobilePhone === mobilePhone)) {
				errors.field('mobilePhone', '[duplicate]mobilePhone', `The mobile phone [${mobilePhone}] is already enabled for the User.`);
			}
		} else {
			errors.invalid('method', `The [method] property must be one of [authenticator, email, sms]. The value was [${method}].`);
		}
		if (name !== undefined && name.length > 256) {
			errors.field('name', '[tooLong]name', 'The [name] property may not be longer than 256 characters.');
		}
		this.checkApplication(applicationId, errors);
		let record: TwoFactorLogin | undefined;
		if (twoFactorId !== undefined) {
			record = this.activeTwoFactorLogin(twoFactorId, ctx.now);
			if (record === undefined || record.userId !== user.id) {
				errors.invalid('twoFactorId', 'The [twoFactorId] is invalid or expired.');
			}
		}
		if (!errors.empty) {
			return errors.reply();
		}

		let valid: boolean;
		if (method === 'authenticator') {
			valid = verifyTotp(key as Buffer, code as string, ctx.now);
		} else {
			const value = method === 'email' ? (email as string).toLowerCase() : (mobilePhone as string);
			valid = this.takePendingCode(
				(pending) => pending.userId === user.id && pending.purpose === 'enable' && pending.method === method && pending.value === value,
				code as string,
				ctx.now,
			);
		}
		if (!valid) {
			return EMPTY(421);
		}

		const added: MethodRecord = { id: this.newMethodId(user.methods), method: method as TwoFactorMethodType };
		if (method === 'authenticator') {
			added.secret = key;
		} else if (method === 'email') {
			added.email = email;
		} else {
			added.mobilePhone = mobilePhone;
		}
		if (name !== undefined && name !== '') {
			added.name = name;
		}
		const first = user.methods.length === 0;
		user.methods.push(added);
		user.lastUpdateInstant = ctx.now;
		this.emitEvent(user, 'user.two-factor.method.add', { method: this.renderMethod(added) });
		const response: Record<string, unknown> = {};
		if (first) {
			user.recoveryCodes = newRecoveryCodes();
			response.recoveryCodes = [...user.recoveryCodes];
		}
		if (record !== undefined) {
			record.otp = randomDigits(6);
			record.otpMethodId = added.id;
			response.code = record.otp;
		}
		return Object.keys(response).length > 0 ? { status: 200, body: response } : OK;
	}

	private disable(ctx: Context, rawUserId: string | undefined): Reply {
		const user = this.subjectUser(ctx, rawUserId);
		if ('status' in user) {
			return user;
		}
		const errors = new Errors();
		let methodId: string | undefined;
		let code: string | undefined;
		let applicationId: string | undefined;
		if (ctx.body.kind === 'json') {
			const body = new BodyReader(ctx.body.value, errors);
			methodId = body.text('methodId');
			code = body.text('code');
			applicationId = body.uuid('applicationId');
		}
		methodId ??= ctx.url.searchParams.get('methodId')?.trim() || undefined;
		code ??= ctx.url.searchParams.get('code')?.trim() || undefined;
		applicationId ??= this.queryUuid(ctx, 'applicationId', errors);
		if (code === undefined && !errors.has('code')) {
			errors.blank('code');
		}
		this.checkApplication(applicationId, errors);
		if (!errors.empty) {
			return errors.reply();
		}
		const recoveryIndex = user.recoveryCodes.indexOf(normalizeRecoveryCode(code as string));
		if (recoveryIndex >= 0 && user.methods.length > 0) {
			for (const removed of user.methods) this.emitEvent(user, 'user.two-factor.method.remove', { method: this.renderMethod(removed) });
			user.methods = [];
			user.recoveryCodes = [];
			user.lastUpdateInstant = ctx.now;
			return OK;
		}
		const method = methodId === undefined ? undefined : user.methods.find((candidate) => candidate.id === methodId);
		if (methodId === undefined) {
			errors.blank('methodId');
		} else if (method === undefined) {
			errors.invalid('methodId', `The [methodId] is not valid. No two-factor method with this Id was found enabled for the user.`);
		}
		if (!errors.empty || method === undefined) {
			return errors.reply();
		}
		const valid =
			method.method === 'authenticator'
				? method.secret !== undefined && verifyTotp(method.secret, code as string, ctx.now)
				: this.takePendingCode(
						(pending) => pending.userId === user.id && pending.purpose === 'disable' && pending.methodId === method.id,
						code as string,
						ctx.now,
					);
		if (!valid) {
			return EMPTY(421);
		}
		user.methods = user.methods.filter((candidate) => candidate.id !== method.id);
		this.emitEvent(user, 'user.two-factor.method.remove', { method: this.renderMethod(method) });
		if (user.methods.length === 0) {
			user.recoveryCodes = [];
		}
		user.lastUpdateInstant = ctx.now;
		return OK;
	}

	private update(ctx: Context, rawUserId: string | undefined): Reply {
		const user = this.userFromPath(ctx, rawUserId);
		if ('status' in user) {
			return user;
		}
		const errors = new Errors();
		let name: string | undefined;
		let bodyMethodId: string | undefined;
		if (ctx.body.kind === 'json') {
			const body = new BodyReader(ctx.body.value, errors);
			name = body.string('name');
			bodyMethodId = body.text('methodId');
		}
		const queryMethodId = ctx.url.searchParams.get('methodId')?.trim() || undefined;
		const methodId = queryMethodId ?? bodyMethodId;
		if (methodId === undefined) {
			errors.blank('methodId');
		}
		if (name !== undefined && name.length > 256) {
			errors.field('name', '[tooLong]name', 'The [name] property may not be longer than 256 characters.');
		}
		const method = methodId === undefined ? undefined : user.methods.find((candidate) => candidate.id === methodId);
		if (methodId !== undefined && method === undefined) {
			errors.invalid('methodId', `The [methodId] is not valid. No two-factor method with this Id was found enabled for the user.`);
		}
		if (!errors.empty || method === undefined) {
			return errors.reply();
		}
		method.name = name === undefined || name === '' ? undefined : name;
		user.lastUpdateInstant = ctx.now;
		return OK;
	}

	private sendForEnableDisable(ctx: Context): Reply {
		const errors = new Errors();
		const body = new BodyReader(jsonOf(ctx.body), errors);
		const userIdValue = ctx.auth.kind === 'jwt' ? undefined : body.uuid('userId');
		const method = body.text('method');
		const methodId = body.text('methodId');
		const email = body.text('email');
		const mobilePhone = body.text('mobilePhone');
		const applicationId = body.uuid('applicationId');
		const messageType = body.enumeration('messageType', ['SMS', 'Voice'] as const);
		if (!errors.empty) {
			return errors.reply();
		}
		let user: UserRecord | undefined;
		if (ctx.auth.kind === 'jwt') {
			user = ctx.auth.user;
		} else if (userIdValue === undefined) {
			errors.missing('userId');
		} else {
			user = this.findUser(userIdValue, ctx.tenantId);
			if (user === undefined) {
				errors.invalid('userId', `The [userId] property does not identify an existing User.`);
			}
		}
		this.checkApplication(applicationId, errors);
		if (!errors.empty || user === undefined) {
			return errors.reply();
		}
		if (methodId !== undefined) {
			const existing = user.methods.find((candidate) => candidate.id === methodId);
			if (existing === undefined) {
				return errors
					.invalid('methodId', 'The [methodId] is not valid. No two-factor method with this Id was found enabled for the user.')
					.reply();
			}
			if (existing.method === 'authenticator') {
				return errors
					.field('methodId', '[cannotSend]methodId', `A code cannot be sent to the method [${methodId}] of type [authenticator].`)
					.reply();
			}
			const code = this.newPendingCode({ userId: user.id, purpose: 'disable', methodId: existing.id });
			this.send({
				to: (existing.method === 'email' ? existing.email : existing.mobilePhone) ?? '',
				method: existing.method,
				messageType: existing.method === 'sms' ? (messageType ?? 'SMS') : undefined,
				code,
				userId: user.id,
				purpose: 'disable',
				methodId: existing.id,
			});
			return OK;
		}
		if (method === undefined) {
			errors.blank('method');
		} else if (method === 'email') {
			if (email === undefined) {
				errors.blank('email');
			} else if (!looksLikeEmail(email)) {
				errors.invalid('email', 'The [email] property must be a valid email address.');
			}
		} else if (method === 'sms') {
			if (mobilePhone === undefined) {
				errors.blank('mobilePhone');
			} else if (!looksLikePhone(mobilePhone)) {
				errors.invalid('mobilePhone', 'The [mobilePhone] property must be a valid phone number.');
			}
		} else {
			errors.invalid('method', `The [method] property must be one of [email, sms]. The value was [${method}].`);
		}
		if (!errors.empty) {
			return errors.reply();
		}
		const value = method === 'email' ? (email as string).toLowerCase() : (mobilePhone as string);
		const code = this.newPendingCode({ userId: user.id, purpose: 'enable', method: method as TwoFactorMethodType, value });
		this.send({
			to: method === 'email' ? (email as string) : (mobilePhone as string),
			method: method as 'email' | 'sms',
			messageType: method === 'sms' ? (messageType ?? 'SMS') : undefined,
			code,
			userId: user.id,
			purpose: 'enable',
		});
		return OK;
	}

	private sendForLogin(ctx: Context, twoFactorId: string | undefined): Reply {
		const errors = new Errors();
		const body = new BodyReader(jsonOf(ctx.body), errors);
		const methodId = body.text('methodId');
		const messageType = body.enumeration('messageType', ['SMS', 'Voice'] as const);
		if (!errors.empty) {
			return errors.reply();
		}
		const record = this.activeTwoFactorLogin(twoFactorId, ctx.now);
		const user = record === undefined ? undefined : this.findUser(record.userId);
		if (record === undefined || user === undefined) {
			return errors.invalid('twoFactorId', 'The [twoFactorId] is invalid or expired.').reply();
		}
		if (methodId === undefined) {
			return errors.blank('methodId').reply();
		}
		const method = user.methods.find((candidate) => candidate.id === methodId);
		if (method === undefined) {
			return errors
				.invalid('methodId', 'The [methodId] is not valid. No two-factor method with this Id was found enabled for the user.')
				.reply();
		}
		if (method.method === 'authenticator') {
			return errors
				.field('methodId', '[cannotSend]methodId', `A code cannot be sent to the method [${methodId}] of type [authenticator].`)
				.reply();
		}
		// Sending replaces every earlier code of this twoFactorId.
		record.otp = randomDigits(6);
		record.otpMethodId = method.id;
		this.send({
			to: (method.method === 'email' ? method.email : method.mobilePhone) ?? '',
			method: method.method,
			messageType: method.method === 'sms' ? (messageType ?? 'SMS') : undefined,
			code: record.otp,
			userId: user.id,
			purpose: 'login',
			methodId: method.id,
			twoFactorId: record.id,
		});
		return OK;
	}

	private generateRecoveryCodes(ctx: Context, rawUserId: string | undefined): Reply {
		const user = this.userFromPath(ctx, rawUserId);
		if ('status' in user) {
			return user;
		}
		user.recoveryCodes = newRecoveryCodes();
		user.lastUpdateInstant = ctx.now;
		return { status: 200, body: { recoveryCodes: [...user.recoveryCodes] } };
	}

	private retrieveRecoveryCodes(ctx: Context, rawUserId: string | undefined): Reply {
		const user = this.userFromPath(ctx, rawUserId);
		if ('status' in user) {
			return user;
		}
		return {
			status: 200,
			body: { recoveryCodes: this.options.recoveryCodesRetrievable ? [...user.recoveryCodes] : [] },
		};
	}

	private start(ctx: Context): Reply {
		const errors = new Errors();
		const body = new BodyReader(jsonOf(ctx.body), errors);
		const userId = body.uuid('userId');
		const loginId = body.text('loginId');
		const applicationId = body.uuid('applicationId');
		const code = body.text('code');
		const state = body.object('state');
		const trustChallenge = body.text('trustChallenge');
		const loginIdTypes = body.stringArray('loginIdTypes');
		if (!errors.empty) {
			return errors.reply();
		}
		if (userId === undefined && loginId === undefined) {
			errors.blank('loginId');
		}
		if (loginIdTypes !== undefined && loginIdTypes.some((type) => !['email', 'username', 'phoneNumber'].includes(type))) {
			errors.invalid('loginIdTypes', 'The [loginIdTypes] values must be one of [email, phoneNumber, username].');
		}
		this.checkApplication(applicationId, errors);
		if (!errors.empty) {
			return errors.reply();
		}
		const tenantId = ctx.tenantId ?? this.application(applicationId)?.tenantId;
		let user: UserRecord | undefined;
		if (userId !== undefined) {
			user = this.findUser(userId, tenantId);
		} else {
			if (tenantId === undefined && this.tenants.length > 1) {
				return tenantRequired();
			}
			user = this.findByLoginId(loginId as string, tenantId).find(
				(candidate) =>
					loginIdTypes === undefined ||
					(loginIdTypes.includes('email') && candidate.email?.toLowerCase() === (loginId as string).toLowerCase()) ||
					(loginIdTypes.includes('username') && candidate.username?.toLowerCase() === (loginId as string).toLowerCase()),
			);
		}
		if (user === undefined) {
			return EMPTY(404);
		}
		const record = this.startTwoFactorLogin(user, { applicationId, code: code ?? randomDigits(6), state, trustChallenge });
		const response: Record<string, unknown> = { code: record.otp };
		if (user.methods.length > 0) {
			response.methods = user.methods.map((method) => this.renderMethod(method));
		}
		response.twoFactorId = record.id;
		return { status: 200, body: response };
	}

	private status(ctx: Context, userId: string | undefined, applicationId: string | undefined, trustId: string | undefined, errors: Errors): Reply {
		if (userId === undefined && !errors.has('userId')) {
			errors.missing('userId');
		}
		this.checkApplication(applicationId, errors);
		const user = userId === undefined ? undefined : this.findUser(userId, ctx.tenantId);
		if (userId !== undefined && user === undefined) {
			errors.invalid('userId', 'The [userId] property does not identify an existing User.');
		}
		if (!errors.empty || user === undefined) {
			return errors.reply();
		}
		const trust = this.validTrust(user, trustId, ctx.now);
		const body: Record<string, unknown> = {};
		if (trust !== undefined) {
			body.trusts = [{ applicationId: trust.applicationId, expiration: trust.expiration, startInstant: trust.startInstant }];
		}
		if (trustId !== undefined) {
			body.twoFactorTrustId = trustId;
		}
		const challenge = this.twoFactorEnabled(user) && trust === undefined;
		return { status: challenge ? 242 : 200, body: JSON.parse(JSON.stringify(body)) };
	}

	private statusGet(ctx: Context, trustId: string | undefined): Reply {
		const errors = new Errors();
		const userId = this.queryUuid(ctx, 'userId', errors);
		const applicationId = this.queryUuid(ctx, 'applicationId', errors);
		return this.status(ctx, userId, applicationId, trustId, errors);
	}

	private async statusPost(ctx: Context): Promise<Reply> {
		const errors = new Errors();
		const body = new BodyReader(jsonOf(ctx.body), errors);
		const userId = body.uuid('userId');
		const applicationId = body.uuid('applicationId');
		const trustId = body.text('twoFactorTrustId');
		body.enumeration('action', ['login', 'changePassword', 'stepUp'] as const);
		const accessToken = body.text('accessToken');
		if (accessToken !== undefined && (await verifyJwt(accessToken, this.jwtSecret, ctx.now)) === undefined) {
			errors.invalid('accessToken', 'The [accessToken] is not a valid access token issued by FusionAuth.');
		}
		return this.status(ctx, userId, applicationId, trustId, errors);
	}

	// --- handlers: legacy generation ---------------------------------------------------------

	private legacyEnable(ctx: Context, rawUserId: string | undefined): Reply {
		const user = this.subjectUser(ctx, rawUserId);
		if ('status' in user) {
			return user;
		}
		const errors = new Errors();
		const body = new BodyReader(jsonOf(ctx.body), errors);
		const code = body.text('code');
		const secret = body.text('secret');
		const secretBase32Encoded = body.text('secretBase32Encoded');
		const delivery = body.enumeration('delivery', ['None', 'TextMessage'] as const) ?? 'None';
		if (code === undefined && !errors.has('code')) {
			errors.blank('code');
		}
		let key: Buffer | undefined;
		if (secret !== undefined) {
			key = base64Decode(secret) ?? undefined;
			if (key === undefined) {
				errors.invalid('secret', 'The [secret] property must be a Base64 encoded value.');
			}
		} else if (secretBase32Encoded !== undefined) {
			key = base32Decode(secretBase32Encoded) ?? undefined;
			if (key === undefined) {
				errors.invalid('secretBase32Encoded', 'The [secretBase32Encoded] property must be a Base32 encoded value.');
			}
		} else if (!errors.has('secret')) {
			errors.blank('secret');
		}
		if (delivery === 'TextMessage' && user.mobilePhone === undefined) {
			errors.field('mobilePhone', '[blank]mobilePhone', 'The User must have a [mobilePhone] to use [TextMessage] delivery.');
		}
		if (!errors.empty) {
			return errors.reply();
		}
		if (!verifyTotp(key as Buffer, code as string, ctx.now)) {
			return EMPTY(421);
		}
		user.legacy = { enabled: true, delivery, secret: key };
		user.lastUpdateInstant = ctx.now;
		return OK;
	}

	private legacyDisable(ctx: Context, rawUserId: string | undefined): Reply {
		const user = this.subjectUser(ctx, rawUserId);
		if ('status' in user) {
			return user;
		}
		const errors = new Errors();
		let code = ctx.url.searchParams.get('code')?.trim() || undefined;
		if (code === undefined && ctx.body.kind === 'json') {
			code = new BodyReader(ctx.body.value, errors).text('code');
		}
		if (code === undefined && !errors.has('code')) {
			errors.blank('code');
		}
		if (!errors.empty) {
			return errors.reply();
		}
		if (!user.legacy.enabled || user.legacy.secret === undefined || !verifyTotp(user.legacy.secret, code as string, ctx.now)) {
			return EMPTY(421);
		}
		user.legacy = { enabled: false, delivery: 'None' };
		user.lastUpdateInstant = ctx.now;
		return OK;
	}

	private legacySend(ctx: Context): Reply {
		const errors = new Errors();
		const body = new BodyReader(jsonOf(ctx.body), errors);
		const userId = ctx.auth.kind === 'jwt' ? undefined : body.uuid('userId');
		const mobilePhone = body.text('mobilePhone');
		const secret = body.text('secret');
		if (!errors.empty) {
			return errors.reply();
		}
		if (ctx.auth.kind === 'key' && userId === undefined) {
			// Send to a phone while enabling: {mobilePhone, secret}.
			if (mobilePhone === undefined && secret === undefined) {
				return errors.missing('userId').reply();
			}
			if (mobilePhone === undefined) {
				errors.blank('mobilePhone');
			} else if (!looksLikePhone(mobilePhone)) {
				errors.invalid('mobilePhone', 'The [mobilePhone] property must be a valid phone number.');
			}
			const key = secret === undefined ? undefined : (base64Decode(secret) ?? undefined);
			if (secret === undefined) {
				errors.blank('secret');
			} else if (key === undefined) {
				errors.invalid('secret', 'The [secret] property must be a Base64 encoded value.');
			}
			if (!errors.empty || key === undefined) {
				return errors.reply();
			}
			this.send({ to: mobilePhone as string, method: 'sms', messageType: 'SMS', code: totp(key, ctx.now), purpose: 'enable' });
			return OK;
		}
		let user: UserRecord | undefined;
		if (ctx.auth.kind === 'jwt') {
			user = ctx.auth.user;
		} else {
			user = this.findUser(userId as string, ctx.tenantId);
			if (user === undefined) {
				return errors.invalid('userId', 'The [userId] property does not identify an existing User.').reply();
			}
		}
		if (!user.legacy.enabled || user.legacy.secret === undefined) {
			return errors.field('userId', '[notEnabled]userId', 'Two Factor authentication is not enabled for the User.').reply();
		}
		if (user.mobilePhone === undefined) {
			return errors.field('mobilePhone', '[blank]mobilePhone', 'The User does not have a [mobilePhone].').reply();
		}
		this.send({ to: user.mobilePhone, method: 'sms', messageType: 'SMS', code: totp(user.legacy.secret, ctx.now), userId: user.id, purpose: 'disable' });
		return OK;
	}

	private legacySendForLogin(ctx: Context, twoFactorId: string | undefined): Reply {
		const errors = new Errors();
		const record = this.activeTwoFactorLogin(twoFactorId, ctx.now);
		const user = record === undefined ? undefined : this.findUser(record.userId);
		if (record === undefined || user === undefined) {
			return errors.invalid('twoFactorId', 'The [twoFactorId] is invalid or expired.').reply();
		}
		if (user.mobilePhone === undefined || user.legacy.secret === undefined) {
			return errors.field('mobilePhone', '[blank]mobilePhone', 'The User does not have a [mobilePhone].').reply();
		}
		this.send({ to: user.mobilePhone, method: 'sms', messageType: 'SMS', code: totp(user.legacy.secret, ctx.now), userId: user.id, purpose: 'login', twoFactorId: record.id });
		return OK;
	}
}

// ---------------------------------------------------------------------------------------------
// Module helpers
// ---------------------------------------------------------------------------------------------

/** Drops undefined properties, as FusionAuth's JSON leaves out null fields. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key in object) {
		if (object[key] !== undefined) {
			out[key] = object[key];
		}
	}
	return out;
}

function jsonOf(body: Body): Record<string, unknown> {
	return body.kind === 'json' ? body.value : {};
}

function matchPattern(pattern: string[], segments: string[]): Record<string, string | undefined> | undefined {
	const params: Record<string, string | undefined> = {};
	const optionalLast = pattern.length > 0 && pattern[pattern.length - 1].endsWith('?');
	if (segments.length !== pattern.length && !(optionalLast && segments.length === pattern.length - 1)) {
		return undefined;
	}
	for (let i = 0; i < pattern.length; i++) {
		const part = pattern[i];
		const segment = segments[i];
		if (part.startsWith(':')) {
			params[part.replace(/^:/, '').replace(/\?$/, '')] = segment;
			continue;
		}
		if (segment !== part) {
			return undefined;
		}
	}
	return params;
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [key, value] of params) {
		const existing = out[key];
		out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
	}
	return out;
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > 5 * 1024 * 1024) {
				reject(new Error('Request body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Waits ms, or less when the client goes away first. */
function delay(ms: number, res: ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(done, ms);
		function done(): void {
			clearTimeout(timer);
			res.off('close', done);
			resolve();
		}
		res.on('close', done);
	});
}

function writeReply(res: ServerResponse, reply: Reply): void {
	if (res.destroyed || res.writableEnded) {
		return;
	}
	const headers: Record<string, string> = { ...(reply.headers ?? {}) };
	let payload = '';
	if (reply.body !== undefined) {
		payload = JSON.stringify(reply.body);
		headers['Content-Type'] = 'application/json; charset=UTF-8';
	}
	headers['Content-Length'] = String(Buffer.byteLength(payload));
	res.writeHead(reply.status, headers);
	res.end(payload);
}

function faultReply(status: number, retryAfterSeconds: number | undefined): Reply {
	const headers: Record<string, string> = {};
	if (retryAfterSeconds !== undefined) {
		headers['Retry-After'] = String(retryAfterSeconds);
	}
	if (status === 503) {
		return {
			status,
			headers,
			body: {
				generalErrors: [
					{
						code: '[ServiceUnavailable]',
						message: 'The search index is not available or encountered an exception so the request cannot be completed.',
					},
				],
			},
		};
	}
	return { status, headers };
}

function databaseMatch(queryString: string, user: UserRecord): boolean {
	const term = queryString.trim().toLowerCase();
	if (term === '*') {
		return true;
	}
	if (/\s/.test(term)) {
		return false;
	}
	const pattern = new RegExp(`^${term.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
	const fullName = [user.firstName, user.lastName].filter((part) => part !== undefined).join(' ');
	return [user.firstName, user.lastName, fullName, user.email, user.username, user.mobilePhone].some(
		(value) => value !== undefined && pattern.test(value.toLowerCase()),
	);
}

function sortValue(json: Record<string, unknown>, field: string): unknown {
	if (field === 'login') {
		return json.email ?? json.username;
	}
	let current: unknown = json;
	for (const key of field.split('.')) {
		if (Array.isArray(current)) {
			current = current[0];
		}
		current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
	}
	return typeof current === 'string' ? current.toLowerCase() : current;
}

function compareValues(a: unknown, b: unknown, missing: '_first' | '_last'): number {
	const aMissing = a === undefined || a === null;
	const bMissing = b === undefined || b === null;
	if (aMissing || bMissing) {
		if (aMissing && bMissing) {
			return 0;
		}
		return (aMissing ? 1 : -1) * (missing === '_first' ? -1 : 1);
	}
	if (typeof a === 'number' && typeof b === 'number') {
		return a - b;
	}
	const left = String(a);
	const right = String(b);
	return left < right ? -1 : left > right ? 1 : 0;
}

interface NextResultsToken {
	queryString: string;
	sortFields: Array<{ name: string; order: 'asc' | 'desc'; missing: '_first' | '_last' }>;
	accurateTotal: boolean;
	after: unknown[];
}

function encodeNextResults(token: NextResultsToken): string {
	return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeNextResults(text: string): NextResultsToken | undefined {
	try {
		const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<NextResultsToken>;
		if (typeof token.queryString === 'string' && Array.isArray(token.sortFields) && Array.isArray(token.after)) {
			return { queryString: token.queryString, sortFields: token.sortFields, accurateTotal: token.accurateTotal === true, after: token.after };
		}
	} catch {
		// fall through
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const simulator = new FusionAuthSimulator(options);
	const server = createServer((req, res) => {
		simulator.handle(req, res).catch(() => {
			res.destroy();
		});
	});
	server.keepAliveTimeout = 5_000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const apiKeys = options.apiKeys?.length ? options.apiKeys : [DEFAULT_API_KEY];
	const firstKey = apiKeys[0];
	const users: SimulatorUsers = {
		get: (userId) => {
			const user = simulator.findUser(userId);
			return user === undefined ? undefined : simulator.snapshot(user);
		},
		find: (loginId) => {
			const [user] = simulator.findByLoginId(loginId);
			return user === undefined ? undefined : simulator.snapshot(user);
		},
		list: () => simulator.allUsers().map((user) => simulator.snapshot(user)),
		add: (seed) => simulator.snapshot(simulator.addUser(seed)),
		totp: (userId, totpOptions) => simulator.currentTotp(userId, totpOptions),
	};
	let closed = false;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		generation: simulator.generation,
		apiKey: typeof firstKey === 'string' ? firstKey : firstKey.key,
		tenantId: (options.tenants?.[0] ?? DEFAULT_TENANT_ID).toLowerCase(),
		applicationId: (options.applications?.[0]?.id ?? DEFAULT_APPLICATION_ID).toLowerCase(),
		users,
		outbox: simulator.outbox,
		requests: simulator.requests,
		stats: simulator.stats,
		webhooks: simulator.webhooks,
		now: () => simulator.now(),
		issueJwt: (userId, jwtOptions) => simulator.issueJwt(userId, jwtOptions),
		setFaults: (faults) => simulator.setFaults(faults),
		reset: () => simulator.reset(),
		resetStats: () => simulator.resetStats(),
		close: async () => {
			if (closed) {
				return;
			}
			closed = true;
			// Deliveries waiting for a retry stop here.
			simulator.webhooks.reset();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
