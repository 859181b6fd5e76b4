/**
 * The simulator's in-memory FusionAuth: tenants, applications, users with their two-factor
 * methods and recovery codes, pending codes, two-factor logins and trusted devices; how users are
 * seeded, found and shown (as GET /api/user/{userId} shows them), the access tokens they get,
 * and the codes and events sent on their behalf.
 */
import { generateKeyPairSync, randomBytes, randomInt, randomUUID } from 'node:crypto';

import { DEFAULT_APPLICATION_ID, DEFAULT_JWT_SECRET, DEFAULT_TENANT_ID, DEMO_PASSWORD, DEMO_USER_LIST } from './demo';
import type { SeedPasskey, SeedRefreshToken, SeedTwoFactorMethod, SeedUser, TwoFactorMethodType } from './demo';
import { signJwt } from './jwt';
import { Population } from './population';
import type { JwtClaims } from './jwt';
import { base32Encode, base64Decode, totp } from './totp';
import type { Generation, OutboxMessage, SearchEngine, SimulatorOptions, SimUser, UserProfile } from './types';
import { TenantFeature } from './tenants';
import { WebhookFeature } from './webhooks';

export interface MethodRecord {
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

export interface UserRecord extends UserProfile {
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

/** A code sent by email or SMS for enabling or disabling a method, until used or expired. */
export interface PendingCode {
	code: string;
	userId: string;
	purpose: 'enable' | 'disable';
	method?: TwoFactorMethodType;
	value?: string;
	methodId?: string;
	expiresAt: number;
}

/** A twoFactorId: a login (or a two-factor start) waiting for its second factor. */
export interface TwoFactorLogin {
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

/** A twoFactorTrustId: a device that need not give a second factor again until it expires. */
export interface Trust {
	id: string;
	userId: string;
	applicationId?: string;
	startInstant: number;
	expiration: number;
}

/** A passkey (WebAuthn credential, 1.41+), with the fields FusionAuth's WebAuthn API documents. */
export interface PasskeyRecord {
	id: string;
	userId: string;
	tenantId: string;
	algorithm: number;
	attestationType: string;
	authenticatorSupportsUserVerification: boolean;
	credentialId: string;
	data: Record<string, unknown>;
	discoverable: boolean;
	displayName: string;
	name: string;
	insertInstant: number;
	lastUseInstant: number;
	publicKey: string;
	relyingPartyId: string;
	signCount: number;
	transports: string[];
	userAgent: string;
}

/** A refresh token: a session of the user in one application, until revoked. */
export interface RefreshTokenRecord {
	id: string;
	token: string;
	userId: string;
	tenantId: string;
	applicationId: string;
	insertInstant: number;
	startInstant: number;
	device?: { name: string; type: string };
}

/** The Relying Party Id the simulator's passkeys were registered for. */
export const RELYING_PARTY_ID = 'auth.example.com';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Letters and digits FusionAuth uses in method ids and recovery codes (no vowels, 0 or 1). */
const CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXYZ23456789';

export function isUuid(value: string): boolean {
	return UUID_PATTERN.test(value);
}

function randomFrom(alphabet: string, length: number): string {
	let out = '';
	for (let i = 0; i < length; i++) {
		out += alphabet[randomInt(alphabet.length)];
	}
	return out;
}

export function randomDigits(length: number): string {
	return randomFrom('0123456789', length);
}

export function newRecoveryCodes(): string[] {
	return Array.from({ length: 10 }, () => `${randomFrom(CODE_ALPHABET, 5)}-${randomFrom(CODE_ALPHABET, 5)}`);
}

export function normalizeRecoveryCode(code: string): string {
	return code.trim().toUpperCase();
}

/** An id FusionAuth does not show as a UUID (twoFactorId, twoFactorTrustId, trust token). */
export function opaqueId(): string {
	return randomBytes(32).toString('base64url');
}

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

export class SimulatorState {
	readonly options: SimulatorOptions;
	readonly generation: Generation;
	readonly searchEngine: SearchEngine;
	readonly jwtSecret: string;
	readonly tenants: string[];
	readonly applications: Array<{ id: string; tenantId: string; name: string }>;
	/** Tenants and applications with their settings (tenants.ts). */
	readonly tenantSettings: TenantFeature;
	readonly webhooks: WebhookFeature;
	/** Search-only users derived from their index (the scale benchmark's). */
	readonly population?: Population;
	/** Every code sent by email, SMS or voice, oldest first. */
	readonly outbox: OutboxMessage[] = [];

	users = new Map<string, UserRecord>();
	pendingCodes: PendingCode[] = [];
	twoFactorLogins = new Map<string, TwoFactorLogin>();
	trusts = new Map<string, Trust>();
	passkeys = new Map<string, PasskeyRecord>();
	refreshTokens = new Map<string, RefreshTokenRecord>();

	private readonly clock: () => number;
	private readonly seeds: readonly SeedUser[];

	constructor(options: SimulatorOptions) {
		this.options = options;
		this.generation = options.generation ?? 'current';
		this.searchEngine = options.searchEngine ?? 'database';
		this.jwtSecret = options.jwtSecret ?? DEFAULT_JWT_SECRET;
		this.clock = options.now ?? Date.now;
		this.tenants = (options.tenants?.length ? options.tenants : [DEFAULT_TENANT_ID]).map((id) => id.toLowerCase());
		this.applications = (options.applications?.length ? options.applications : [{ id: DEFAULT_APPLICATION_ID }]).map(
			(app) => ({
				id: app.id.toLowerCase(),
				tenantId: (app.tenantId ?? this.tenants[0]).toLowerCase(),
				name: app.name ?? 'Simulator Application',
			}),
		);
		this.seeds = options.users ?? DEMO_USER_LIST;
		this.tenantSettings = new TenantFeature({
			tenants: this.tenants.map((id) => ({ id })),
			applications: this.applications.map((app, index) => ({ ...app, multiFactorConfiguration: options.applications?.[index]?.multiFactorConfiguration })),
			plan: options.plan,
			now: () => this.now(),
		});
		this.webhooks = new WebhookFeature({ ...options.webhooks, tenants: this.tenants, tenantEvents: this.tenantSettings, now: () => this.now() });
		if (options.population !== undefined) {
			this.population = new Population(options.population, this.tenants, this.applications.map((app) => app.id));
		}
		this.seed();
	}

	now(): number {
		return this.clock();
	}

	/** Back to the seeded users, with no codes, twoFactorIds, trusts, messages or webhooks. */
	reset(): void {
		this.users = new Map();
		this.pendingCodes = [];
		this.twoFactorLogins = new Map();
		this.trusts = new Map();
		this.passkeys = new Map();
		this.refreshTokens = new Map();
		this.outbox.length = 0;
		this.tenantSettings.reset();
		this.webhooks.reset();
		this.seed();
	}

	// --- users --------------------------------------------------------------------------------

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
		for (const passkey of seed.passkeys ?? []) {
			this.addPasskey(user, passkey, insertInstant);
		}
		for (const session of seed.refreshTokens ?? []) {
			this.issueRefreshToken(user, session.applicationId ?? this.applications[0].id, insertInstant, session);
		}
		return user;
	}

	/** A passkey as a browser would have registered it: an EC P-256 key (COSE -7), attestation none. */
	addPasskey(user: UserRecord, seed: SeedPasskey, instant = this.now()): PasskeyRecord {
		const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		const sameName = [...this.passkeys.values()].filter((other) => other.userId === user.id && other.displayName === seed.displayName).length;
		const passkey: PasskeyRecord = {
			id: (seed.id ?? randomUUID()).toLowerCase(),
			userId: user.id,
			tenantId: user.tenantId,
			algorithm: -7,
			attestationType: 'none',
			authenticatorSupportsUserVerification: true,
			credentialId: randomBytes(32).toString('base64url'),
			data: {},
			discoverable: seed.discoverable ?? true,
			displayName: seed.displayName,
			// FusionAuth's name tells apart passkeys with the same display name.
			name: seed.name ?? (sameName === 0 ? seed.displayName : `${seed.displayName} (${sameName + 1})`),
			insertInstant: instant,
			lastUseInstant: instant,
			publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
			relyingPartyId: RELYING_PARTY_ID,
			signCount: seed.signCount ?? 0,
			transports: [...(seed.transports ?? ['internal'])],
			userAgent: seed.userAgent ?? 'Mozilla/5.0',
		};
		this.passkeys.set(passkey.id, passkey);
		return passkey;
	}

	/** A refresh token for the user in an application: a login with refresh tokens on, or a seeded session. */
	issueRefreshToken(user: UserRecord, applicationId: string, instant = this.now(), device?: SeedRefreshToken): RefreshTokenRecord {
		const record: RefreshTokenRecord = {
			id: randomUUID(),
			token: randomBytes(36).toString('base64url'),
			userId: user.id,
			tenantId: user.tenantId,
			applicationId: applicationId.toLowerCase(),
			insertInstant: instant,
			startInstant: instant,
			device: device === undefined ? undefined : { name: device.deviceName, type: device.deviceType ?? 'BROWSER' },
		};
		this.refreshTokens.set(record.id, record);
		return record;
	}

	passkeysOf(user: UserRecord): PasskeyRecord[] {
		return [...this.passkeys.values()].filter((passkey) => passkey.userId === user.id);
	}

	refreshTokensOf(user: UserRecord): RefreshTokenRecord[] {
		return [...this.refreshTokens.values()].filter((token) => token.userId === user.id);
	}

	renderPasskey(passkey: PasskeyRecord): Record<string, unknown> {
		const { id, userId, tenantId, ...fields } = passkey;
		return { ...fields, data: structuredClone(fields.data), id, tenantId, transports: [...fields.transports], userId };
	}

	renderRefreshToken(record: RefreshTokenRecord): Record<string, unknown> {
		return compact({
			applicationId: record.applicationId,
			id: record.id,
			insertInstant: record.insertInstant,
			metaData: {
				device: record.device === undefined ? {} : { name: record.device.name, type: record.device.type, lastAccessedInstant: record.startInstant },
				scopes: ['offline_access'],
			},
			startInstant: record.startInstant,
			token: record.token,
			userId: record.userId,
		});
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

	/** A four-character method id the user does not have yet. */
	newMethodId(existing: MethodRecord[]): string {
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

	/** By email or username (the loginIdTypes asked for), case-insensitive. */
	findByLoginId(loginId: string, tenantId?: string, loginIdTypes: readonly string[] = ['email', 'username']): UserRecord[] {
		const wanted = loginId.trim().toLowerCase();
		return this.allUsers().filter(
			(user) =>
				(tenantId === undefined || user.tenantId === tenantId) &&
				((loginIdTypes.includes('email') && user.email?.toLowerCase() === wanted) ||
					(loginIdTypes.includes('username') && user.username?.toLowerCase() === wanted)),
		);
	}

	allUsers(): UserRecord[] {
		return [...this.users.values()];
	}

	twoFactorEnabled(user: UserRecord): boolean {
		return this.generation === 'legacy' ? user.legacy.enabled : user.methods.length > 0;
	}

	application(applicationId: string | undefined): { id: string; tenantId: string } | undefined {
		return applicationId === undefined ? undefined : this.applications.find((app) => app.id === applicationId);
	}

	/** The twoFactorId's login and its user, unless it is unknown or expired (then forgotten). */
	twoFactorLogin(twoFactorId: string | undefined, now: number): { record: TwoFactorLogin; user: UserRecord } | undefined {
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
		const user = this.findUser(record.userId);
		return user === undefined ? undefined : { record, user };
	}

	// --- what is sent -------------------------------------------------------------------------

	/** A code "sent" by email, SMS or voice: kept in the outbox for tests to read. */
	send(message: Omit<OutboxMessage, 'time'>): void {
		this.outbox.push({ ...message, time: this.now() });
	}

	/** An event about the user, to the webhooks that should get it. */
	emitEvent(user: UserRecord, type: string, fields: Record<string, unknown> = {}): void {
		this.webhooks.emit(user.tenantId, type, { ...fields, user: this.renderUser(user) });
	}

	/** An HS256 access token with the claims FusionAuth puts in its own. */
	accessToken(user: UserRecord, applicationId?: string, expiresInSeconds?: number): Promise<string> {
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

	renderMethod(method: MethodRecord): Record<string, unknown> {
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

	/** The user as GET /api/user/{userId} shows it, in this generation's shape. */
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

	/** The user's whole state, secrets included, for sim.users. */
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
			passkeys: this.passkeysOf(user).map((passkey) => this.renderPasskey(passkey)),
			refreshTokens: this.refreshTokensOf(user).map((token) => this.renderRefreshToken(token)),
			json: this.renderUser(user),
		};
	}

	/** The user's current authenticator code (of methodId, or the first authenticator, or the legacy secret). */
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
}
