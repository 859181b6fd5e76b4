/**
 * Logins with two factors: POST /api/login (242 with a twoFactorId when a second factor is due),
 * codes sent for a twoFactorId (POST /api/two-factor/send/{twoFactorId}), POST
 * /api/two-factor/login, and, from 1.26, a two-factor start without a password (POST
 * /api/two-factor/start) and the status of a trusted device (GET and POST /api/two-factor/status).
 * Failed codes lock the user for a while; trustComputer gives a twoFactorTrustId.
 */

import {
	BodyReader,
	checkApplication,
	checkLoginIdTypes,
	EMPTY,
	Errors,
	jsonOf,
	NO_SUCH_USER,
	OK,
	queryUuid,
	tenantRequired,
} from './http';
import type { Context, Reply, Route } from './http';
import { verifyJwt } from './jwt';
import { normalizeRecoveryCode, opaqueId, randomDigits } from './state';
import type { SimulatorState, Trust, TwoFactorLogin, UserRecord } from './state';
import { verifyTotp } from './totp';
import { sendableMethod, sendLegacyCode, sendToMethod } from './twoFactor';

const LOCK_ACTION_ID = '9a1e2f3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';

export function loginRoutes(sim: SimulatorState): Route[] {
	const common: Route[] = [
		{ method: 'POST', pattern: ['api', 'login'], auth: ['key'], endpoint: '/api/login', json: 'required', handler: (ctx) => login(sim, ctx) },
		{ method: 'POST', pattern: ['api', 'two-factor', 'login'], auth: ['none'], endpoint: '/api/two-factor/login', json: 'required', handler: (ctx) => twoFactorLogin(sim, ctx) },
	];
	if (sim.generation === 'legacy') {
		return [
			...common,
			{ method: 'POST', pattern: ['api', 'two-factor', 'send', ':twoFactorId'], auth: ['none'], endpoint: '/api/two-factor/send', json: 'optional', handler: (ctx, p) => legacySendForLogin(sim, ctx, p.twoFactorId) },
		];
	}
	return [
		...common,
		{ method: 'POST', pattern: ['api', 'two-factor', 'send', ':twoFactorId'], auth: ['none'], endpoint: '/api/two-factor/send', json: 'required', handler: (ctx, p) => sendForLogin(sim, ctx, p.twoFactorId) },
		{ method: 'POST', pattern: ['api', 'two-factor', 'start'], auth: ['key'], endpoint: '/api/two-factor/start', json: 'required', handler: (ctx) => start(sim, ctx) },
		{ method: 'GET', pattern: ['api', 'two-factor', 'status', ':twoFactorTrustId?'], auth: ['key'], endpoint: '/api/two-factor/status', json: 'none', handler: (ctx, p) => statusGet(sim, ctx, p.twoFactorTrustId) },
		{ method: 'POST', pattern: ['api', 'two-factor', 'status'], auth: ['key'], endpoint: '/api/two-factor/status', json: 'required', handler: (ctx) => statusPost(sim, ctx) },
	];
}

// --- shared pieces ---------------------------------------------------------------------------

function startTwoFactorLogin(
	sim: SimulatorState,
	user: UserRecord,
	options: { applicationId?: string; code?: string; state?: Record<string, unknown>; trustChallenge?: string },
): TwoFactorLogin {
	const record: TwoFactorLogin = {
		id: opaqueId(),
		userId: user.id,
		tenantId: user.tenantId,
		applicationId: options.applicationId,
		otp: options.code,
		expiresAt: sim.now() + (sim.options.twoFactorIdTtlSeconds ?? 300) * 1000,
		state: options.state,
		trustChallenge: options.trustChallenge,
	};
	sim.twoFactorLogins.set(record.id, record);
	return record;
}

function validTrust(sim: SimulatorState, user: UserRecord, trustId: string | undefined, now: number): Trust | undefined {
	if (trustId === undefined) {
		return undefined;
	}
	const trust = sim.trusts.get(trustId);
	return trust !== undefined && trust.userId === user.id && trust.expiration > now ? trust : undefined;
}

/** 410 for an expired user, 409 with the lock's action for a locked one; undefined when neither. */
function expiredOrLocked(user: UserRecord, now: number): Reply | undefined {
	if (user.expiry !== undefined && user.expiry <= now) {
		return EMPTY(410);
	}
	if (user.lockedUntil === undefined || user.lockedUntil <= now) {
		return undefined;
	}
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

/** A failed code; enough of them within the window lock the user. */
function recordFailure(sim: SimulatorState, user: UserRecord, now: number): void {
	const windowMs = (sim.options.failedAttemptWindowSeconds ?? 60) * 1000;
	user.failedAttempts = user.failedAttempts.filter((instant) => instant > now - windowMs);
	user.failedAttempts.push(now);
	if (user.failedAttempts.length >= (sim.options.failedAttemptsBeforeLock ?? 5)) {
		user.lockedUntil = now + (sim.options.lockSeconds ?? 180) * 1000;
		user.failedAttempts = [];
	}
}

/** A completed login: 200 (202 when not registered for the application) with tokens, trust and user. */
async function loginReply(
	sim: SimulatorState,
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
		body.token = await sim.accessToken(user, registration?.applicationId);
		body.tokenExpirationInstant = now + (sim.options.jwtTtlSeconds ?? 3600) * 1000;
		if (registration !== undefined) {
			// Kept, so that revoking the user's refresh tokens ends this session too.
			const issued = sim.issueRefreshToken(user, registration.applicationId, now);
			body.refreshToken = issued.token;
			body.refreshTokenId = issued.id;
		}
	}
	if (options.trustComputer) {
		const trust: Trust = {
			id: opaqueId(),
			userId: user.id,
			applicationId: options.applicationId,
			startInstant: now,
			expiration: now + (sim.options.trustTtlSeconds ?? 2_592_000) * 1000,
		};
		sim.trusts.set(trust.id, trust);
		body.twoFactorTrustId = trust.id;
	}
	if (options.state !== undefined) {
		body.state = options.state;
	}
	if (options.trustToken) {
		body.trustToken = opaqueId();
	}
	body.user = sim.renderUser(user);
	sim.emitEvent(user, 'user.login.success', { applicationId: options.applicationId, authenticationType: 'PASSWORD' });
	return { status: options.applicationId !== undefined && registration === undefined ? 202 : 200, body };
}

/** Checks a code for a two-factor login; consumes what is single-use. Returns the method used. */
function acceptLoginCode(sim: SimulatorState, user: UserRecord, record: TwoFactorLogin, code: string, now: number): { ok: boolean; methodId?: string } {
	if (sim.generation === 'legacy') {
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

function markLastUsed(user: UserRecord, methodId: string | undefined): void {
	if (methodId === undefined) {
		return;
	}
	for (const method of user.methods) {
		method.lastUsed = method.id === methodId ? true : undefined;
	}
}

// --- handlers --------------------------------------------------------------------------------

async function login(sim: SimulatorState, ctx: Context): Promise<Reply> {
	const errors = new Errors();
	const body = new BodyReader(jsonOf(ctx.body), errors);
	const loginId = body.text('loginId');
	const password = body.string('password');
	const applicationId = body.uuid('applicationId');
	const twoFactorTrustId = body.text('twoFactorTrustId');
	const noJWT = body.boolean('noJWT');
	body.string('ipAddress');
	errors.required('loginId', loginId).required('password', password);
	checkApplication(sim, applicationId, errors);
	if (!errors.empty) {
		return errors.reply();
	}
	const tenantId = ctx.tenantId ?? sim.application(applicationId)?.tenantId;
	if (tenantId === undefined && sim.tenants.length > 1) {
		return tenantRequired();
	}
	const [user] = sim.findByLoginId(loginId as string, tenantId);
	if (user === undefined || user.password !== password) {
		if (user !== undefined) sim.emitEvent(user, 'user.login.failed', { applicationId, authenticationType: 'PASSWORD' });
		return EMPTY(404);
	}
	if (!user.active) {
		return EMPTY(423);
	}
	const refused = expiredOrLocked(user, ctx.now);
	if (refused !== undefined) {
		return refused;
	}
	if (sim.twoFactorEnabled(user) && validTrust(sim, user, twoFactorTrustId, ctx.now) === undefined) {
		const record = startTwoFactorLogin(sim, user, { applicationId });
		sim.emitEvent(user, 'user.two-factor.challenge', { applicationId });
		if (sim.generation === 'legacy') {
			if (user.legacy.delivery === 'TextMessage' && user.mobilePhone !== undefined && user.legacy.secret !== undefined) {
				sendLegacyCode(sim, user.mobilePhone, user.legacy.secret, ctx.now, { userId: user.id, purpose: 'login', twoFactorId: record.id });
			}
			return { status: 242, body: { twoFactorId: record.id } };
		}
		return {
			status: 242,
			body: { methods: user.methods.map((method) => sim.renderMethod(method)), twoFactorId: record.id },
		};
	}
	return loginReply(sim, user, ctx.now, { applicationId, noJWT });
}

async function twoFactorLogin(sim: SimulatorState, ctx: Context): Promise<Reply> {
	const errors = new Errors();
	const body = new BodyReader(jsonOf(ctx.body), errors);
	const twoFactorId = body.text('twoFactorId');
	const code = body.text('code');
	const applicationId = body.uuid('applicationId');
	const trustComputer = body.boolean('trustComputer');
	const noJWT = body.boolean('noJWT');
	body.string('ipAddress');
	body.object('metaData');
	errors.required('code', code).required('twoFactorId', twoFactorId);
	checkApplication(sim, applicationId, errors);
	if (!errors.empty) {
		return errors.reply();
	}
	const pending = sim.twoFactorLogin(twoFactorId, ctx.now);
	if (pending === undefined) {
		return EMPTY(404);
	}
	const { record, user } = pending;
	const refused = expiredOrLocked(user, ctx.now);
	if (refused !== undefined) {
		return refused;
	}
	const accepted = acceptLoginCode(sim, user, record, code as string, ctx.now);
	if (!accepted.ok) {
		recordFailure(sim, user, ctx.now);
		sim.emitEvent(user, 'user.two-factor.failed-attempt', { applicationId: applicationId ?? record.applicationId });
		return EMPTY(421);
	}
	sim.twoFactorLogins.delete(record.id);
	const usedMethod = user.methods.find((candidate) => candidate.id === accepted.methodId);
	sim.emitEvent(user, 'user.two-factor.success', { applicationId: applicationId ?? record.applicationId, method: usedMethod?.method ?? 'recoveryCode' });
	user.failedAttempts = [];
	markLastUsed(user, accepted.methodId);
	return loginReply(sim, user, ctx.now, {
		applicationId: applicationId ?? record.applicationId,
		noJWT,
		trustComputer,
		state: record.state,
		trustToken: record.trustChallenge !== undefined,
	});
}

/** A code for the twoFactorId by email or SMS; it replaces every earlier code of that twoFactorId. */
function sendForLogin(sim: SimulatorState, ctx: Context, twoFactorId: string | undefined): Reply {
	const errors = new Errors();
	const body = new BodyReader(jsonOf(ctx.body), errors);
	const methodId = body.text('methodId');
	const messageType = body.enumeration('messageType', ['SMS', 'Voice'] as const);
	if (!errors.empty) {
		return errors.reply();
	}
	const pending = sim.twoFactorLogin(twoFactorId, ctx.now);
	if (pending === undefined) {
		return errors.invalid('twoFactorId', 'The [twoFactorId] is invalid or expired.').reply();
	}
	if (methodId === undefined) {
		return errors.blank('methodId').reply();
	}
	const { record, user } = pending;
	const method = sendableMethod(user, methodId);
	if ('status' in method) {
		return method;
	}
	record.otp = randomDigits(6);
	record.otpMethodId = method.id;
	sendToMethod(sim, method, messageType, { code: record.otp, userId: user.id, purpose: 'login', twoFactorId: record.id });
	return OK;
}

function legacySendForLogin(sim: SimulatorState, ctx: Context, twoFactorId: string | undefined): Reply {
	const errors = new Errors();
	const pending = sim.twoFactorLogin(twoFactorId, ctx.now);
	if (pending === undefined) {
		return errors.invalid('twoFactorId', 'The [twoFactorId] is invalid or expired.').reply();
	}
	const { record, user } = pending;
	if (user.mobilePhone === undefined || user.legacy.secret === undefined) {
		return errors.field('mobilePhone', '[blank]mobilePhone', 'The User does not have a [mobilePhone].').reply();
	}
	sendLegacyCode(sim, user.mobilePhone, user.legacy.secret, ctx.now, { userId: user.id, purpose: 'login', twoFactorId: record.id });
	return OK;
}

/** A two-factor login without a password, for a user found by userId or loginId; answers the code. */
function start(sim: SimulatorState, ctx: Context): Reply {
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
	checkLoginIdTypes(loginIdTypes, errors);
	checkApplication(sim, applicationId, errors);
	if (!errors.empty) {
		return errors.reply();
	}
	const tenantId = ctx.tenantId ?? sim.application(applicationId)?.tenantId;
	let user: UserRecord | undefined;
	if (userId !== undefined) {
		user = sim.findUser(userId, tenantId);
	} else {
		if (tenantId === undefined && sim.tenants.length > 1) {
			return tenantRequired();
		}
		[user] = sim.findByLoginId(loginId as string, tenantId, loginIdTypes);
	}
	if (user === undefined) {
		return EMPTY(404);
	}
	const record = startTwoFactorLogin(sim, user, { applicationId, code: code ?? randomDigits(6), state, trustChallenge });
	const response: Record<string, unknown> = { code: record.otp };
	if (user.methods.length > 0) {
		response.methods = user.methods.map((method) => sim.renderMethod(method));
	}
	response.twoFactorId = record.id;
	return { status: 200, body: response };
}

/** 242 when the user would be asked for a second factor, 200 when not (no methods, or a valid trust). */
function status(
	sim: SimulatorState,
	ctx: Context,
	userId: string | undefined,
	applicationId: string | undefined,
	trustId: string | undefined,
	errors: Errors,
): Reply {
	if (userId === undefined && !errors.has('userId')) {
		errors.missing('userId');
	}
	checkApplication(sim, applicationId, errors);
	const user = userId === undefined ? undefined : sim.findUser(userId, ctx.tenantId);
	if (userId !== undefined && user === undefined) {
		errors.invalid('userId', NO_SUCH_USER);
	}
	if (!errors.empty || user === undefined) {
		return errors.reply();
	}
	const trust = validTrust(sim, user, trustId, ctx.now);
	const body: Record<string, unknown> = {};
	if (trust !== undefined) {
		body.trusts = [{ applicationId: trust.applicationId, expiration: trust.expiration, startInstant: trust.startInstant }];
	}
	if (trustId !== undefined) {
		body.twoFactorTrustId = trustId;
	}
	const challenge = sim.twoFactorEnabled(user) && trust === undefined;
	return { status: challenge ? 242 : 200, body: JSON.parse(JSON.stringify(body)) };
}

function statusGet(sim: SimulatorState, ctx: Context, trustId: string | undefined): Reply {
	const errors = new Errors();
	const userId = queryUuid(ctx, 'userId', errors);
	const applicationId = queryUuid(ctx, 'applicationId', errors);
	return status(sim, ctx, userId, applicationId, trustId, errors);
}

async function statusPost(sim: SimulatorState, ctx: Context): Promise<Reply> {
	const errors = new Errors();
	const body = new BodyReader(jsonOf(ctx.body), errors);
	const userId = body.uuid('userId');
	const applicationId = body.uuid('applicationId');
	const trustId = body.text('twoFactorTrustId');
	body.enumeration('action', ['login', 'changePassword', 'stepUp'] as const);
	const accessToken = body.text('accessToken');
	if (accessToken !== undefined && (await verifyJwt(accessToken, sim.jwtSecret, ctx.now)) === undefined) {
		errors.invalid('accessToken', 'The [accessToken] is not a valid access token issued by FusionAuth.');
	}
	return status(sim, ctx, userId, applicationId, trustId, errors);
}
