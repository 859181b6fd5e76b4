/**
 * Sessions as refresh tokens (JWT API): retrieve a user's (GET /api/jwt/refresh?userId=), revoke
 * them (DELETE /api/jwt/refresh?userId=, with &applicationId= for one application (1.19+), or
 * ?applicationId= for everyone's in an application, or /{tokenId}), and exchange one for a new
 * access token (POST /api/jwt/refresh), which a revoked token no longer can.
 */
import { BodyReader, EMPTY, Errors, jsonOf, userFromPath } from './http';
import type { Context, Reply, Route } from './http';
import { isUuid } from './state';
import type { RefreshTokenRecord, SimulatorState } from './state';

export function sessionRoutes(sim: SimulatorState): Route[] {
	return [
		{ method: 'GET', pattern: ['api', 'jwt', 'refresh'], auth: ['key'], endpoint: '/api/jwt/refresh', json: 'none', handler: (ctx) => retrieve(sim, ctx) },
		{ method: 'DELETE', pattern: ['api', 'jwt', 'refresh', ':tokenId?'], auth: ['key'], endpoint: '/api/jwt/refresh', json: 'none', handler: (ctx, p) => revoke(sim, ctx, p.tokenId) },
		{ method: 'POST', pattern: ['api', 'jwt', 'refresh'], auth: ['none'], endpoint: '/api/jwt/refresh', json: 'optional', handler: (ctx) => refresh(sim, ctx) },
	];
}

function inTenant(ctx: Context, record: RefreshTokenRecord): boolean {
	return ctx.tenantId === undefined || record.tenantId === ctx.tenantId;
}

function retrieve(sim: SimulatorState, ctx: Context): Reply {
	const user = userFromPath(sim, ctx, ctx.url.searchParams.get('userId') ?? undefined);
	if ('status' in user) {
		return user;
	}
	return { status: 200, body: { refreshTokens: sim.refreshTokensOf(user).map((record) => sim.renderRefreshToken(record)) } };
}

function revoke(sim: SimulatorState, ctx: Context, tokenId: string | undefined): Reply {
	const params = ctx.url.searchParams;
	if (tokenId !== undefined && tokenId !== '') {
		const record = isUuid(tokenId) ? sim.refreshTokens.get(tokenId.toLowerCase()) : undefined;
		if (record === undefined || !inTenant(ctx, record)) {
			return EMPTY(404);
		}
		sim.refreshTokens.delete(record.id);
		return EMPTY(200);
	}
	const token = params.get('token');
	if (token !== null && token !== '') {
		const record = [...sim.refreshTokens.values()].find((candidate) => candidate.token === token && inTenant(ctx, candidate));
		if (record === undefined) {
			return EMPTY(404);
		}
		sim.refreshTokens.delete(record.id);
		return EMPTY(200);
	}
	const rawUserId = params.get('userId') ?? undefined;
	const rawApplicationId = params.get('applicationId') ?? undefined;
	const errors = new Errors();
	if (rawApplicationId !== undefined && !isUuid(rawApplicationId)) {
		errors.couldNotConvert('applicationId', rawApplicationId);
	}
	if (rawUserId !== undefined && rawUserId !== '' && !isUuid(rawUserId)) {
		errors.couldNotConvert('userId', rawUserId);
	}
	if (!errors.empty) {
		return errors.reply();
	}
	if ((rawUserId === undefined || rawUserId === '') && rawApplicationId === undefined) {
		return new Errors().missing('userId', 'You must specify a [userId], an [applicationId], a [token] or the Id of the token on the URL.').reply();
	}
	let userId: string | undefined;
	if (rawUserId !== undefined && rawUserId !== '') {
		const user = userFromPath(sim, ctx, rawUserId);
		if ('status' in user) {
			return user;
		}
		userId = user.id;
	}
	const applicationId = rawApplicationId?.toLowerCase();
	if (applicationId !== undefined && sim.application(applicationId) === undefined) {
		return EMPTY(404);
	}
	for (const record of [...sim.refreshTokens.values()]) {
		if (inTenant(ctx, record) && (userId === undefined || record.userId === userId) && (applicationId === undefined || record.applicationId === applicationId)) {
			sim.refreshTokens.delete(record.id);
		}
	}
	return EMPTY(200);
}

/** A new access token for a refresh token that is still there; 400 once it was revoked. */
async function refresh(sim: SimulatorState, ctx: Context): Promise<Reply> {
	const errors = new Errors();
	const given = new BodyReader(jsonOf(ctx.body), errors).text('refreshToken');
	if (given === undefined) {
		return errors.blank('refreshToken').reply();
	}
	const record = [...sim.refreshTokens.values()].find((candidate) => candidate.token === given);
	const user = record === undefined ? undefined : sim.findUser(record.userId);
	if (record === undefined || user === undefined) {
		return errors.invalid('refreshToken', 'The refresh token is expired, was not found, or has been revoked.').reply();
	}
	return {
		status: 200,
		body: { refreshToken: record.token, refreshTokenId: record.id, token: await sim.accessToken(user, record.applicationId) },
	};
}
