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
 * and the legacy TOTP key being the Base64-decoded secret. Passkeys and sessions: 200 with
 * `{credentials: []}` for a user without passkeys and 404 for an unknown user (list and delete),
 * [missing]userId when neither an id nor userId is given, [couldNotConvert] for ids that are not
 * UUIDs (also on the revoke, whose docs list no 400), 404 on a revoke for an unknown user or
 * application, and [invalid]refreshToken when a revoked token is exchanged.
 *
 * This file is the server: routing, authentication (API keys with their permissions, JWTs),
 * tenants, faults and the recording of requests. The endpoints are in users.ts, twoFactor.ts,
 * recoveryCodes.ts, login.ts, webauthn.ts, sessions.ts, webhooks.ts and tenants.ts; the state they share is in state.ts.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DEFAULT_API_KEY } from './demo';
import { Faults, faultReply } from './faults';
import { EMPTY, Errors, tenantRequired } from './http';
import type { ApiKeyRecord, Auth, Body, Reply, Route } from './http';
import { verifyJwt } from './jwt';
import { loginRoutes } from './login';
import { recoveryCodeRoutes } from './recoveryCodes';
import { sessionRoutes } from './sessions';
import { isUuid, SimulatorState } from './state';
import { twoFactorRoutes } from './twoFactor';
import type { FaultOptions, RecordedRequest, Simulator, SimulatorOptions, SimulatorStats, SimulatorUsers } from './types';
import { userAdminRoutes, userRoutes } from './users';
import { webAuthnRoutes } from './webauthn';

export * from './demo';
export * from './types';
export type { DeliveryAttempt, KeyAlgorithm, PreparedDelivery, SimKey, SimulatorWebhooks } from './webhooks';
export type { ApplicationSeed, Plan, SimulatorTenants } from './tenants';
export { DEFAULT_TENANT_MFA, FUSIONAUTH_APP_ID } from './tenants';

class FusionAuthSimulator {
	readonly state: SimulatorState;
	readonly apiKeys: ApiKeyRecord[];
	readonly requests: RecordedRequest[] = [];
	readonly stats: SimulatorStats = { requestsTotal: 0, inFlight: 0, maxInFlight: 0 };

	private readonly options: SimulatorOptions;
	private readonly routes: Route[];
	private readonly faults = new Faults();

	constructor(options: SimulatorOptions) {
		this.options = options;
		this.state = new SimulatorState(options);
		this.apiKeys = (options.apiKeys?.length ? options.apiKeys : [DEFAULT_API_KEY]).map((entry) =>
			typeof entry === 'string' ? { key: entry } : { ...entry, tenantId: entry.tenantId?.toLowerCase() },
		);
		// The first route that matches answers: /api/user/search before /api/user/{userId},
		// recovery-code before /api/user/two-factor/{userId}, and user create and delete last, as
		// their patterns would also match /api/user/two-factor.
		this.routes = [
			...this.webhookRoutes(),
			...userRoutes(this.state),
			...recoveryCodeRoutes(this.state),
			...twoFactorRoutes(this.state),
			...loginRoutes(this.state),
			...webAuthnRoutes(this.state),
			...sessionRoutes(this.state),
			...userAdminRoutes(this.state),
		];
		this.setFaults(options.faults);
	}

	now(): number {
		return this.state.now();
	}

	reset(): void {
		this.state.reset();
		this.requests.length = 0;
		this.resetStats();
		this.setFaults(undefined);
	}

	resetStats(): void {
		this.stats.requestsTotal = 0;
		this.stats.maxInFlight = this.stats.inFlight;
	}

	setFaults(faults?: FaultOptions): void {
		this.faults.set(faults);
	}

	async issueJwt(userId: string, options: { expiresInSeconds?: number; applicationId?: string } = {}): Promise<string> {
		const user = this.state.findUser(userId);
		if (user === undefined) {
			throw new Error(`No such user: ${userId}`);
		}
		return this.state.accessToken(user, options.applicationId, options.expiresInSeconds);
	}

	/** Webhooks and keys (webhooks.ts), tenants and applications (tenants.ts), under the same authentication. */
	private webhookRoutes(): Route[] {
		return [...this.state.webhooks.routes(), ...this.state.tenantSettings.routes()].map((route) => ({
			method: route.method,
			pattern: route.pattern,
			auth: [route.auth],
			endpoint: route.endpoint,
			json: route.json,
			handler: (ctx, params) => route.handle({ body: ctx.body.kind === 'json' ? ctx.body.value : undefined, params, tenantId: ctx.tenantId }),
		}));
	}

	/** Records the request, applies the faults, and answers it. */
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

		const faults = this.faults.current;
		const decision = this.faults.decide(url.pathname, req.method ?? 'GET');
		const faulted = decision.faulted ? faults : undefined;
		const wait = async (ms: number | undefined): Promise<boolean> => {
			if (ms !== undefined && ms > 0) {
				await delay(ms, res);
			}
			return !aborted && !res.destroyed;
		};

		if (!(await wait(faulted?.latencyMs))) {
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
		if (!(await wait(faulted?.hangMs))) {
			return;
		}
		record.status = reply.status;
		writeReply(res, reply);
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
			this.state.tenants.length > 1
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
			const claims = await verifyJwt(jwtMatch[1], this.state.jwtSecret, this.now());
			if (claims === undefined || typeof claims.sub !== 'string') {
				return undefined;
			}
			const user = this.state.findUser(claims.sub);
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
			if (!isUuid(tenantId) || !this.state.tenants.includes(tenantId)) {
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
		return this.state.tenants.length === 1 ? { tenantId: this.state.tenants[0] } : {};
	}
}

// --- Node HTTP plumbing ----------------------------------------------------------------------

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

// --- entry point -----------------------------------------------------------------------------

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
	const state = simulator.state;
	const users: SimulatorUsers = {
		get: (userId) => {
			const user = state.findUser(userId);
			return user === undefined ? undefined : state.snapshot(user);
		},
		find: (loginId) => {
			const [user] = state.findByLoginId(loginId);
			return user === undefined ? undefined : state.snapshot(user);
		},
		list: () => state.allUsers().map((user) => state.snapshot(user)),
		add: (seed) => state.snapshot(state.addUser(seed)),
		totp: (userId, totpOptions) => state.currentTotp(userId, totpOptions),
	};
	let closed = false;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		generation: state.generation,
		apiKey: simulator.apiKeys[0].key,
		tenantId: state.tenants[0],
		applicationId: state.applications[0].id,
		users,
		outbox: state.outbox,
		requests: simulator.requests,
		stats: simulator.stats,
		webhooks: state.webhooks,
		tenants: state.tenantSettings,
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
			state.webhooks.reset();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
