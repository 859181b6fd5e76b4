/**
 * Passkeys, FusionAuth's WebAuthn API (1.41+): retrieve one (GET /api/webauthn/{id}) or all of a
 * user's (GET /api/webauthn?userId=), delete one (DELETE /api/webauthn/{id}) or all of a user's
 * (DELETE /api/webauthn?userId=). Answers `{credential}` and `{credentials: [...]}` as the docs and
 * the client's WebAuthnCredentialResponse have them; deletes answer 200 without a body.
 */
import { EMPTY, Errors, userFromPath } from './http';
import type { Context, Reply, Route } from './http';
import { isUuid } from './state';
import type { PasskeyRecord, SimulatorState, UserRecord } from './state';

export function webAuthnRoutes(sim: SimulatorState): Route[] {
	if (sim.generation === 'legacy') {
		return [];
	}
	return [
		{ method: 'GET', pattern: ['api', 'webauthn', ':id?'], auth: ['key'], endpoint: '/api/webauthn', json: 'none', handler: (ctx, p) => retrieve(sim, ctx, p.id) },
		{ method: 'DELETE', pattern: ['api', 'webauthn', ':id?'], auth: ['key'], endpoint: '/api/webauthn', json: 'none', handler: (ctx, p) => remove(sim, ctx, p.id) },
	];
}

/** {id} in the path: 400 when not a UUID, 404 when no passkey of the request's tenant has it. */
function passkeyFromPath(sim: SimulatorState, ctx: Context, raw: string): PasskeyRecord | Reply {
	if (!isUuid(raw)) {
		return new Errors().couldNotConvert('id', raw).reply();
	}
	const passkey = sim.passkeys.get(raw.toLowerCase());
	return passkey === undefined || (ctx.tenantId !== undefined && passkey.tenantId !== ctx.tenantId) ? EMPTY(404) : passkey;
}

/** ?userId= without an id in the path: the user, or 400 when it is missing or not a UUID, 404 when unknown. */
function userFromQuery(sim: SimulatorState, ctx: Context): UserRecord | Reply {
	const userId = ctx.url.searchParams.get('userId');
	if (userId === null || userId.trim() === '') {
		return new Errors().missing('userId', 'You must specify the [userId] or the Id of the passkey on the URL.').reply();
	}
	return userFromPath(sim, ctx, userId);
}

function retrieve(sim: SimulatorState, ctx: Context, id: string | undefined): Reply {
	if (id !== undefined && id !== '') {
		const passkey = passkeyFromPath(sim, ctx, id);
		return 'status' in passkey ? passkey : { status: 200, body: { credential: sim.renderPasskey(passkey) } };
	}
	const user = userFromQuery(sim, ctx);
	if ('status' in user) {
		return user;
	}
	return { status: 200, body: { credentials: sim.passkeysOf(user).map((passkey) => sim.renderPasskey(passkey)) } };
}

function remove(sim: SimulatorState, ctx: Context, id: string | undefined): Reply {
	if (id !== undefined && id !== '') {
		const passkey = passkeyFromPath(sim, ctx, id);
		if ('status' in passkey) {
			return passkey;
		}
		sim.passkeys.delete(passkey.id);
		return EMPTY(200);
	}
	const user = userFromQuery(sim, ctx);
	if ('status' in user) {
		return user;
	}
	for (const passkey of sim.passkeysOf(user)) {
		sim.passkeys.delete(passkey.id);
	}
	return EMPTY(200);
}
