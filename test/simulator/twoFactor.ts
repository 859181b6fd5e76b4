/**
 * A user's two-factor methods: a new authenticator secret (GET /api/two-factor/secret), enable
 * (POST /api/user/two-factor), disable (DELETE), rename (PUT, 1.68+), and codes sent by email
 * or SMS for enabling or disabling (POST /api/two-factor/send). The legacy generation (1.25 and
 * earlier) has one secret per user instead, delivered by an authenticator app or by SMS.
 */
import { randomBytes } from 'node:crypto';

import type { TwoFactorMethodType } from './demo';
import { BodyReader, checkApplication, EMPTY, Errors, jsonOf, NO_SUCH_USER, OK, queryText, queryUuid, subjectUser, userFromPath } from './http';
import type { Context, Reply, Route } from './http';
import { newRecoveryCodes, normalizeRecoveryCode, randomDigits } from './state';
import type { MethodRecord, PendingCode, SimulatorState, TwoFactorLogin, UserRecord } from './state';
import { base32Decode, base32Encode, base64Decode, totp, verifyTotp } from './totp';
import type { OutboxMessage } from './types';

export function twoFactorRoutes(sim: SimulatorState): Route[] {
	const secretRoute: Route = { method: 'GET', pattern: ['api', 'two-factor', 'secret'], auth: ['key', 'jwt'], endpoint: '/api/two-factor/secret', json: 'none', handler: () => secret() };
	if (sim.generation === 'legacy') {
		return [
			secretRoute,
			{ method: 'POST', pattern: ['api', 'user', 'two-factor', ':userId?'], auth: ['key', 'jwt'], endpoint: '/api/user/two-factor', json: 'required', handler: (ctx, p) => legacyEnable(sim, ctx, p.userId) },
			{ method: 'DELETE', pattern: ['api', 'user', 'two-factor', ':userId?'], auth: ['key', 'jwt'], endpoint: '/api/user/two-factor', json: 'optional', handler: (ctx, p) => legacyDisable(sim, ctx, p.userId) },
			{ method: 'POST', pattern: ['api', 'two-factor', 'send'], auth: ['key', 'jwt'], endpoint: '/api/two-factor/send', json: 'optional', handler: (ctx) => legacySend(sim, ctx) },
		];
	}
	return [
		secretRoute,
		{ method: 'POST', pattern: ['api', 'user', 'two-factor', ':userId?'], auth: ['key', 'jwt'], endpoint: '/api/user/two-factor', json: 'required', handler: (ctx, p) => enable(sim, ctx, p.userId) },
		{ method: 'DELETE', pattern: ['api', 'user', 'two-factor', ':userId?'], auth: ['key', 'jwt'], endpoint: '/api/user/two-factor', json: 'optional', handler: (ctx, p) => disable(sim, ctx, p.userId) },
		{ method: 'PUT', pattern: ['api', 'user', 'two-factor', ':userId?'], auth: ['key'], endpoint: '/api/user/two-factor', json: 'optional', handler: (ctx, p) => update(sim, ctx, p.userId) },
		{ method: 'POST', pattern: ['api', 'two-factor', 'send'], auth: ['key', 'jwt'], endpoint: '/api/two-factor/send', json: 'required', handler: (ctx) => sendForEnableDisable(sim, ctx) },
	];
}

// --- shared checks and sending ---------------------------------------------------------------

function looksLikePhone(value: string): boolean {
	return /^\+?[0-9 ().-]{7,20}$/.test(value) && (value.match(/\d/g) ?? []).length >= 7;
}

function looksLikeEmail(value: string): boolean {
	return /^[^\s@]+@[^\s@]+$/.test(value);
}

/** Where a code for a new method goes: [blank] when missing, [invalid] when malformed. */
function checkDestination(field: 'email' | 'mobilePhone', value: string | undefined, errors: Errors): value is string {
	if (value === undefined) {
		if (!errors.has(field)) {
			errors.blank(field);
		}
		return false;
	}
	if (field === 'email' && !looksLikeEmail(value)) {
		errors.invalid('email', 'The [email] property must be a valid email address.');
		return false;
	}
	if (field === 'mobilePhone' && !looksLikePhone(value)) {
		errors.invalid('mobilePhone', 'The [mobilePhone] property must be a valid phone number.');
		return false;
	}
	return true;
}

/** The authenticator key from `secret` (Base64) or else `secretBase32Encoded`; [invalid] when it does not decode. */
function readSecret(secret: string | undefined, secretBase32Encoded: string | undefined, errors: Errors): Buffer | undefined {
	if (secret !== undefined) {
		const key = base64Decode(secret) ?? undefined;
		if (key === undefined) {
			errors.invalid('secret', 'The [secret] property must be a Base64 encoded value.');
		}
		return key;
	}
	if (secretBase32Encoded !== undefined) {
		const key = base32Decode(secretBase32Encoded) ?? undefined;
		if (key === undefined) {
			errors.invalid('secretBase32Encoded', 'The [secretBase32Encoded] property must be a Base32 encoded value.');
		}
		return key;
	}
	return undefined;
}

function checkName(name: string | undefined, errors: Errors): void {
	if (name !== undefined && name.length > 256) {
		errors.field('name', '[tooLong]name', 'The [name] property may not be longer than 256 characters.');
	}
}

/** The user's method methodId: [blank] without one, [invalid] when the user has no such method. */
function enabledMethod(user: UserRecord, methodId: string | undefined, errors: Errors): MethodRecord | undefined {
	if (methodId === undefined) {
		errors.blank('methodId');
		return undefined;
	}
	const method = user.methods.find((candidate) => candidate.id === methodId);
	if (method === undefined) {
		errors.invalid('methodId', 'The [methodId] is not valid. No two-factor method with this Id was found enabled for the user.');
	}
	return method;
}

/** One of the user's methods that a code can be sent to (email or SMS); a 400 otherwise. */
export function sendableMethod(user: UserRecord, methodId: string): MethodRecord | Reply {
	const errors = new Errors();
	const method = enabledMethod(user, methodId, errors);
	if (method?.method === 'authenticator') {
		errors.field('methodId', '[cannotSend]methodId', `A code cannot be sent to the method [${methodId}] of type [authenticator].`);
	}
	return method === undefined || !errors.empty ? errors.reply() : method;
}

/** Sends a code to the email address or phone of one of the user's methods. */
export function sendToMethod(
	sim: SimulatorState,
	method: MethodRecord,
	messageType: 'SMS' | 'Voice' | undefined,
	message: Pick<OutboxMessage, 'code' | 'userId' | 'purpose' | 'twoFactorId'>,
): void {
	sim.send({
		to: (method.method === 'email' ? method.email : method.mobilePhone) ?? '',
		method: method.method === 'email' ? 'email' : 'sms',
		messageType: method.method === 'sms' ? (messageType ?? 'SMS') : undefined,
		methodId: method.id,
		...message,
	});
}

/** Legacy codes go by SMS and are the current TOTP code of the user's one secret. */
export function sendLegacyCode(
	sim: SimulatorState,
	to: string,
	key: Buffer,
	now: number,
	message: Pick<OutboxMessage, 'userId' | 'purpose' | 'twoFactorId'>,
): void {
	sim.send({ to, method: 'sms', messageType: 'SMS', code: totp(key, now), ...message });
}

function newPendingCode(sim: SimulatorState, pending: Omit<PendingCode, 'code' | 'expiresAt'>): string {
	const code = randomDigits(6);
	sim.pendingCodes.push({ ...pending, code, expiresAt: sim.now() + (sim.options.codeTtlSeconds ?? 60) * 1000 });
	return code;
}

/** Uses up a pending code that matches; false when there is none (or it expired). */
function takePendingCode(sim: SimulatorState, match: (pending: PendingCode) => boolean, code: string, now: number): boolean {
	sim.pendingCodes = sim.pendingCodes.filter((pending) => pending.expiresAt > now);
	const index = sim.pendingCodes.findIndex((pending) => pending.code === code && match(pending));
	if (index < 0) {
		return false;
	}
	sim.pendingCodes.splice(index, 1);
	return true;
}

// --- both generations ------------------------------------------------------------------------

function secret(): Reply {
	const secret = randomBytes(20);
	return { status: 200, body: { secret: secret.toString('base64'), secretBase32Encoded: base32Encode(secret) } };
}

// --- current generation ----------------------------------------------------------------------

function enable(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): Reply {
	const user = subjectUser(sim, ctx, rawUserId);
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
	errors.required('code', code);
	let key: Buffer | undefined;
	if (method === undefined) {
		if (!errors.has('method')) {
			errors.blank('method');
		}
	} else if (method === 'authenticator') {
		key = readSecret(secret, secretBase32Encoded, errors);
		if (secret === undefined && secretBase32Encoded === undefined && !errors.has('secret') && !errors.has('secretBase32Encoded')) {
			errors.blank('secret');
		}
		if (user.methods.some((existing) => existing.method === 'authenticator')) {
			errors.field('method', '[duplicate]method', 'The User already has an [authenticator] method. Only one may be enabled.');
		}
	} else if (method === 'email') {
		if (checkDestination('email', email, errors) && user.methods.some((existing) => existing.method === 'email' && existing.email?.toLowerCase() === email.toLowerCase())) {
			errors.field('email', '[duplicate]email', `The email [${email}] is already enabled for the User.`);
		}
	} else if (method === 'sms') {
		if (checkDestination('mobilePhone', mobilePhone, errors) && user.methods.some((existing) => existing.method === 'sms' && existing.mobilePhone === mobilePhone)) {
			errors.field('mobilePhone', '[duplicate]mobilePhone', `The mobile phone [${mobilePhone}] is already enabled for the User.`);
		}
	} else {
		errors.invalid('method', `The [method] property must be one of [authenticator, email, sms]. The value was [${method}].`);
	}
	checkName(name, errors);
	checkApplication(sim, applicationId, errors);
	let record: TwoFactorLogin | undefined;
	if (twoFactorId !== undefined) {
		record = sim.twoFactorLogin(twoFactorId, ctx.now)?.record;
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
		valid = takePendingCode(
			sim,
			(pending) => pending.userId === user.id && pending.purpose === 'enable' && pending.method === method && pending.value === value,
			code as string,
			ctx.now,
		);
	}
	if (!valid) {
		return EMPTY(421);
	}

	const added: MethodRecord = { id: sim.newMethodId(user.methods), method: method as TwoFactorMethodType };
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
	sim.emitEvent(user, 'user.two-factor.method.add', { method: sim.renderMethod(added) });
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

function disable(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): Reply {
	const user = subjectUser(sim, ctx, rawUserId);
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
	methodId ??= queryText(ctx, 'methodId');
	code ??= queryText(ctx, 'code');
	applicationId ??= queryUuid(ctx, 'applicationId', errors);
	errors.required('code', code);
	checkApplication(sim, applicationId, errors);
	if (!errors.empty) {
		return errors.reply();
	}
	// A recovery code removes every method.
	const recoveryIndex = user.recoveryCodes.indexOf(normalizeRecoveryCode(code as string));
	if (recoveryIndex >= 0 && user.methods.length > 0) {
		for (const removed of user.methods) sim.emitEvent(user, 'user.two-factor.method.remove', { method: sim.renderMethod(removed) });
		user.methods = [];
		user.recoveryCodes = [];
		user.lastUpdateInstant = ctx.now;
		return OK;
	}
	const method = enabledMethod(user, methodId, errors);
	if (!errors.empty || method === undefined) {
		return errors.reply();
	}
	const valid =
		method.method === 'authenticator'
			? method.secret !== undefined && verifyTotp(method.secret, code as string, ctx.now)
			: takePendingCode(
					sim,
					(pending) => pending.userId === user.id && pending.purpose === 'disable' && pending.methodId === method.id,
					code as string,
					ctx.now,
				);
	if (!valid) {
		return EMPTY(421);
	}
	user.methods = user.methods.filter((candidate) => candidate.id !== method.id);
	sim.emitEvent(user, 'user.two-factor.method.remove', { method: sim.renderMethod(method) });
	if (user.methods.length === 0) {
		user.recoveryCodes = [];
	}
	user.lastUpdateInstant = ctx.now;
	return OK;
}

/** PUT: renames a method (its only changeable property). */
function update(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): Reply {
	const user = userFromPath(sim, ctx, rawUserId);
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
	const method = enabledMethod(user, queryText(ctx, 'methodId') ?? bodyMethodId, errors);
	checkName(name, errors);
	if (!errors.empty || method === undefined) {
		return errors.reply();
	}
	method.name = name === undefined || name === '' ? undefined : name;
	user.lastUpdateInstant = ctx.now;
	return OK;
}

/** A code for disabling one of the user's methods (methodId), or for enabling a new email or phone. */
function sendForEnableDisable(sim: SimulatorState, ctx: Context): Reply {
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
		user = sim.findUser(userIdValue, ctx.tenantId);
		if (user === undefined) {
			errors.invalid('userId', NO_SUCH_USER);
		}
	}
	checkApplication(sim, applicationId, errors);
	if (!errors.empty || user === undefined) {
		return errors.reply();
	}
	if (methodId !== undefined) {
		const existing = sendableMethod(user, methodId);
		if ('status' in existing) {
			return existing;
		}
		const code = newPendingCode(sim, { userId: user.id, purpose: 'disable', methodId: existing.id });
		sendToMethod(sim, existing, messageType, { code, userId: user.id, purpose: 'disable' });
		return OK;
	}
	if (method === undefined) {
		errors.blank('method');
	} else if (method === 'email') {
		checkDestination('email', email, errors);
	} else if (method === 'sms') {
		checkDestination('mobilePhone', mobilePhone, errors);
	} else {
		errors.invalid('method', `The [method] property must be one of [email, sms]. The value was [${method}].`);
	}
	if (!errors.empty) {
		return errors.reply();
	}
	const value = method === 'email' ? (email as string).toLowerCase() : (mobilePhone as string);
	const code = newPendingCode(sim, { userId: user.id, purpose: 'enable', method: method as TwoFactorMethodType, value });
	sim.send({
		to: method === 'email' ? (email as string) : (mobilePhone as string),
		method: method as 'email' | 'sms',
		messageType: method === 'sms' ? (messageType ?? 'SMS') : undefined,
		code,
		userId: user.id,
		purpose: 'enable',
	});
	return OK;
}

// --- legacy generation -----------------------------------------------------------------------

function legacyEnable(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): Reply {
	const user = subjectUser(sim, ctx, rawUserId);
	if ('status' in user) {
		return user;
	}
	const errors = new Errors();
	const body = new BodyReader(jsonOf(ctx.body), errors);
	const code = body.text('code');
	const secret = body.text('secret');
	const secretBase32Encoded = body.text('secretBase32Encoded');
	const delivery = body.enumeration('delivery', ['None', 'TextMessage'] as const) ?? 'None';
	errors.required('code', code);
	const key = readSecret(secret, secretBase32Encoded, errors);
	if (secret === undefined && secretBase32Encoded === undefined && !errors.has('secret')) {
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

function legacyDisable(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): Reply {
	const user = subjectUser(sim, ctx, rawUserId);
	if ('status' in user) {
		return user;
	}
	const errors = new Errors();
	let code = queryText(ctx, 'code');
	if (code === undefined && ctx.body.kind === 'json') {
		code = new BodyReader(ctx.body.value, errors).text('code');
	}
	errors.required('code', code);
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

/** With an API key and no userId: to a phone while enabling (`{mobilePhone, secret}`); else to the user's phone. */
function legacySend(sim: SimulatorState, ctx: Context): Reply {
	const errors = new Errors();
	const body = new BodyReader(jsonOf(ctx.body), errors);
	const userId = ctx.auth.kind === 'jwt' ? undefined : body.uuid('userId');
	const mobilePhone = body.text('mobilePhone');
	const secret = body.text('secret');
	if (!errors.empty) {
		return errors.reply();
	}
	if (ctx.auth.kind === 'key' && userId === undefined) {
		if (mobilePhone === undefined && secret === undefined) {
			return errors.missing('userId').reply();
		}
		checkDestination('mobilePhone', mobilePhone, errors);
		const key = secret === undefined ? undefined : (base64Decode(secret) ?? undefined);
		if (secret === undefined) {
			errors.blank('secret');
		} else if (key === undefined) {
			errors.invalid('secret', 'The [secret] property must be a Base64 encoded value.');
		}
		if (!errors.empty || key === undefined) {
			return errors.reply();
		}
		sendLegacyCode(sim, mobilePhone as string, key, ctx.now, { purpose: 'enable' });
		return OK;
	}
	let user: UserRecord | undefined;
	if (ctx.auth.kind === 'jwt') {
		user = ctx.auth.user;
	} else {
		user = sim.findUser(userId as string, ctx.tenantId);
		if (user === undefined) {
			return errors.invalid('userId', NO_SUCH_USER).reply();
		}
	}
	if (!user.legacy.enabled || user.legacy.secret === undefined) {
		return errors.field('userId', '[notEnabled]userId', 'Two Factor authentication is not enabled for the User.').reply();
	}
	if (user.mobilePhone === undefined) {
		return errors.field('mobilePhone', '[blank]mobilePhone', 'The User does not have a [mobilePhone].').reply();
	}
	sendLegacyCode(sim, user.mobilePhone, user.legacy.secret, ctx.now, { userId: user.id, purpose: 'disable' });
	return OK;
}
