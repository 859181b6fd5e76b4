/**
 * Recovery codes (1.26+): POST /api/user/two-factor/recovery-code/{userId} makes ten new ones,
 * GET answers [] since 1.68 (the remaining codes before, with `recoveryCodesRetrievable`).
 */
import { userFromPath } from './http';
import type { Context, Reply, Route } from './http';
import { newRecoveryCodes } from './state';
import type { SimulatorState } from './state';

export function recoveryCodeRoutes(sim: SimulatorState): Route[] {
	if (sim.generation === 'legacy') {
		return [];
	}
	return [
		{ method: 'POST', pattern: ['api', 'user', 'two-factor', 'recovery-code', ':userId?'], auth: ['key'], endpoint: '/api/user/two-factor/recovery-code', json: 'none', handler: (ctx, p) => generateRecoveryCodes(sim, ctx, p.userId) },
		{ method: 'GET', pattern: ['api', 'user', 'two-factor', 'recovery-code', ':userId?'], auth: ['key'], endpoint: '/api/user/two-factor/recovery-code', json: 'none', handler: (ctx, p) => retrieveRecoveryCodes(sim, ctx, p.userId) },
	];
}

function generateRecoveryCodes(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): Reply {
	const user = userFromPath(sim, ctx, rawUserId);
	if ('status' in user) {
		return user;
	}
	user.recoveryCodes = newRecoveryCodes();
	user.lastUpdateInstant = ctx.now;
	return { status: 200, body: { recoveryCodes: [...user.recoveryCodes] } };
}

function retrieveRecoveryCodes(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): Reply {
	const user = userFromPath(sim, ctx, rawUserId);
	if ('status' in user) {
		return user;
	}
	return {
		status: 200,
		body: { recoveryCodes: sim.options.recoveryCodesRetrievable ? [...user.recoveryCodes] : [] },
	};
}
