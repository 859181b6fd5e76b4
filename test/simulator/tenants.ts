/**
 * The simulator's tenants and applications, after FusionAuth's Tenant and Application APIs:
 * `GET /api/tenant[/{id}]` (retrieveTenant, retrieveTenants), `PATCH /api/tenant/{id}`
 * (patchTenant), `GET /api/application[/{id}]` (retrieveApplication, retrieveApplications),
 * `PATCH /api/application/{id}` (patchApplication) and `POST /api/application/search`
 * (searchApplications, 1.45+). A tenant holds its `eventConfiguration` (the webhooks' events,
 * webhooks.ts) and its `multiFactorConfiguration`; an application its own
 * `multiFactorConfiguration`, whose `loginPolicy`, where set, overrides the tenant's.
 *
 * PATCH merges the body into what is stored as RFC 7396 describes (objects merged, `null`
 * removes, anything else replaces), for `application/json` (FusionAuth's original PATCH, which
 * the official client sends) and `application/merge-patch+json` (1.39+) alike: for the objects
 * the node sends, FusionAuth documents the two as the same. The result is then validated as
 * FusionAuth validates a PUT:
 *
 * - `loginPolicy` one of `Enabled`, `Disabled`, `Required`, `ChallengeOnMediumRisk`,
 *   `ChallengeOnHighRisk`; `trustPolicy` one of `Any`, `This`, `None` (anything else cannot be
 *   read: 400 `[invalidJSON]`, as Jackson refuses an unknown enum value);
 * - a tenant whose policy is not `Disabled` needs a method on (authenticator, email, sms or
 *   voice): 400 `[invalid]tenant.multiFactorConfiguration.loginPolicy`;
 * - the risk-based policies need a paid plan: 400 `[notLicensedFor]...loginPolicy`;
 * - an application's own policy needs the Enterprise plan, except on FusionAuth's admin
 *   application: 400 `[notLicensed]application.multiFactorConfiguration.loginPolicy` (and
 *   `.trustPolicy`);
 * - an application whose policy is not `Disabled` and has no trust policy gets `Any`.
 *
 * Guesses where the documentation is silent: the messages of those errors, the field error's
 * code for a policy without methods, and the fields the seeded tenants and applications hold
 * besides their MFA settings (a few, so that a PATCH can be seen to leave them alone).
 */
import type { FeatureReply, FeatureRequest, FeatureRoute } from './webhooks';

/** FusionAuth's plans, as far as MFA policies tell them apart. */
export type Plan = 'community' | 'starter' | 'essentials' | 'enterprise';

/** The FusionAuth admin application: its login policy may be set on every plan (1.49+). */
export const FUSIONAUTH_APP_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

const LOGIN_POLICIES = ['Enabled', 'Disabled', 'Required', 'ChallengeOnMediumRisk', 'ChallengeOnHighRisk'];
const RISK_POLICIES = ['ChallengeOnMediumRisk', 'ChallengeOnHighRisk'];
const TRUST_POLICIES = ['Any', 'This', 'None'];
const METHODS = ['authenticator', 'email', 'sms', 'voice'];

/** A seeded tenant's MFA settings: the methods the simulator's users have are on. */
export const DEFAULT_TENANT_MFA = {
	loginPolicy: 'Enabled',
	authenticator: { enabled: true, algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 },
	email: { enabled: true, templateId: '0e3f5a1c-7b2d-4c8e-9f10-2a3b4c5d6e7f' },
	sms: { enabled: true, messengerId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a', templateId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d' },
	voice: { enabled: false },
};

export interface TenantSeed {
	id: string;
	name?: string;
	/** Merged into DEFAULT_TENANT_MFA. */
	multiFactorConfiguration?: Record<string, unknown>;
}

export interface ApplicationSeed {
	id: string;
	tenantId: string;
	name: string;
	multiFactorConfiguration?: Record<string, unknown>;
}

export interface TenantOptions {
	tenants: TenantSeed[];
	applications: ApplicationSeed[];
	plan?: Plan;
	now: () => number;
}

/** What tests see and change of tenants and applications. */
export interface SimulatorTenants {
	/** A tenant as GET /api/tenant/{id} shows it (default: the first). */
	tenant(tenantId?: string): Record<string, unknown> | undefined;
	/** An application as GET /api/application/{id} shows it (default: the first). */
	application(applicationId?: string): Record<string, unknown> | undefined;
	/** Merges settings into a tenant, as an administrator would, without validation. */
	updateTenant(tenantId: string, changes: Record<string, unknown>): void;
	/** Merges settings into an application, as an administrator would, without validation. */
	updateApplication(applicationId: string, changes: Record<string, unknown>): void;
	/** Adds an application (FusionAuth's admin application, say) to a tenant. */
	addApplication(seed: ApplicationSeed): void;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7396 merge, as FusionAuth's PATCH applies a body. */
export function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = { ...target };
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete out[key];
		else if (isObject(value) && isObject(out[key])) out[key] = merge(out[key] as Record<string, unknown>, value);
		else out[key] = structuredClone(value);
	}
	return out;
}

function fieldError(field: string, code: string, message: string): FeatureReply {
	return { status: 400, body: { fieldErrors: { [field]: [{ code, message }] } } };
}

function unreadable(message: string): FeatureReply {
	return { status: 400, body: { generalErrors: [{ code: '[invalidJSON]', message: `Unable to parse JSON. The error was [${message}].` }] } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class TenantFeature implements SimulatorTenants {
	private tenants = new Map<string, Record<string, unknown>>();
	private applications = new Map<string, Record<string, unknown>>();

	constructor(private readonly options: TenantOptions) {
		this.reset();
	}

	private get plan(): Plan {
		return this.options.plan ?? 'enterprise';
	}

	reset(): void {
		const instant = Date.UTC(2024, 0, 1);
		this.tenants = new Map(
			this.options.tenants.map((seed, index) => {
				const id = seed.id.toLowerCase();
				const tenant: Record<string, unknown> = {
					id,
					name: seed.name ?? (index === 0 ? 'Default' : `Tenant ${id.slice(0, 8)}`),
					issuer: 'acme.com',
					state: 'Active',
					data: {},
					eventConfiguration: { events: {} },
					externalIdentifierConfiguration: { twoFactorTrustIdTimeToLiveInSeconds: 2592000, twoFactorIdTimeToLiveInSeconds: 300 },
					jwtConfiguration: { timeToLiveInSeconds: 3600, refreshTokenTimeToLiveInMinutes: 43200 },
					multiFactorConfiguration: merge(structuredClone(DEFAULT_TENANT_MFA), seed.multiFactorConfiguration ?? {}),
					insertInstant: instant,
					lastUpdateInstant: instant,
				};
				return [id, tenant];
			}),
		);
		this.applications = new Map();
		for (const seed of this.options.applications) this.addApplication(seed, instant);
	}

	addApplication(seed: ApplicationSeed, instant = this.options.now()): void {
		const id = seed.id.toLowerCase();
		this.applications.set(id, {
			id,
			name: seed.name,
			tenantId: seed.tenantId.toLowerCase(),
			active: true,
			state: 'Active',
			data: {},
			roles: [],
			loginConfiguration: { allowTokenRefresh: false, generateRefreshTokens: false, requireAuthentication: true },
			// FusionAuth sends the client secret with the application: the node must never pass it on.
			oauthConfiguration: { clientId: id, clientSecret: `sim-client-secret-${id.slice(0, 8)}`, enabledGrants: ['authorization_code'] },
			multiFactorConfiguration: merge({ email: {}, sms: {}, voice: {} }, seed.multiFactorConfiguration ?? {}),
			insertInstant: instant,
			lastUpdateInstant: instant,
		});
	}

	// --- for tests and the webhooks -----------------------------------------------------------

	tenant(tenantId = this.options.tenants[0].id): Record<string, unknown> | undefined {
		const tenant = this.tenants.get(tenantId.toLowerCase());
		return tenant === undefined ? undefined : structuredClone(tenant);
	}

	application(applicationId = this.options.applications[0].id): Record<string, unknown> | undefined {
		const application = this.applications.get(applicationId.toLowerCase());
		return application === undefined ? undefined : structuredClone(application);
	}

	updateTenant(tenantId: string, changes: Record<string, unknown>): void {
		const tenant = this.tenants.get(tenantId.toLowerCase());
		if (tenant === undefined) throw new Error(`No tenant ${tenantId}`);
		this.tenants.set(tenantId.toLowerCase(), merge(tenant, changes));
	}

	updateApplication(applicationId: string, changes: Record<string, unknown>): void {
		const application = this.applications.get(applicationId.toLowerCase());
		if (application === undefined) throw new Error(`No application ${applicationId}`);
		this.applications.set(applicationId.toLowerCase(), merge(application, changes));
	}

	hasTenant(tenantId: string): boolean {
		return this.tenants.has(tenantId.toLowerCase());
	}

	/** The tenant's `eventConfiguration.events` (live: webhooks.ts reads and merges it). */
	events(tenantId: string): Record<string, unknown> | undefined {
		const configuration = this.tenants.get(tenantId.toLowerCase())?.eventConfiguration;
		return isObject(configuration) && isObject(configuration.events) ? configuration.events : undefined;
	}

	mergeEvents(tenantId: string, events: Record<string, unknown>): void {
		this.updateTenant(tenantId, { eventConfiguration: { events } });
	}

	// --- routes -------------------------------------------------------------------------------

	routes(): FeatureRoute[] {
		return [
			{ method: 'GET', pattern: ['api', 'tenant', ':tenantId?'], endpoint: '/api/tenant', auth: 'key', json: 'none', handle: (r) => this.retrieveTenant(r) },
			{ method: 'PATCH', pattern: ['api', 'tenant', ':tenantId'], endpoint: '/api/tenant', auth: 'key', json: 'required', handle: (r) => this.patchTenant(r) },
			{ method: 'POST', pattern: ['api', 'application', 'search'], endpoint: '/api/application/search', auth: 'key', json: 'required', handle: (r) => this.searchApplications(r) },
			{ method: 'GET', pattern: ['api', 'application', ':applicationId?'], endpoint: '/api/application', auth: 'key', json: 'none', handle: (r) => this.retrieveApplication(r) },
			{ method: 'PATCH', pattern: ['api', 'application', ':applicationId'], endpoint: '/api/application', auth: 'key', json: 'required', handle: (r) => this.patchApplication(r) },
		];
	}

	/** A tenant the request may see: it exists and is the request's tenant, where it has one. */
	private visibleTenant(request: FeatureRequest): Record<string, unknown> | undefined {
		const id = String(request.params.tenantId).toLowerCase();
		if (request.tenantId !== undefined && request.tenantId !== id) return undefined;
		return this.tenants.get(id);
	}

	private visibleApplication(request: FeatureRequest): Record<string, unknown> | undefined {
		const application = this.applications.get(String(request.params.applicationId).toLowerCase());
		if (application === undefined || (request.tenantId !== undefined && application.tenantId !== request.tenantId)) return undefined;
		return application;
	}

	private retrieveTenant(request: FeatureRequest): FeatureReply {
		if (request.params.tenantId === undefined) {
			const visible = [...this.tenants.values()].filter((tenant) => request.tenantId === undefined || tenant.id === request.tenantId);
			return { status: 200, body: { tenants: structuredClone(visible) } };
		}
		const tenant = this.visibleTenant(request);
		return tenant === undefined ? { status: 404 } : { status: 200, body: { tenant: structuredClone(tenant) } };
	}

	private patchTenant(request: FeatureRequest): FeatureReply {
		const existing = this.visibleTenant(request);
		if (existing === undefined) return { status: 404 };
		const given = request.body?.tenant;
		if (!isObject(given)) return fieldError('tenant', '[missing]tenant', 'You must specify the [tenant] property.');
		const next = merge(existing, given);
		const invalid = this.validateTenant(next);
		if (invalid !== undefined) return invalid;
		next.id = existing.id;
		next.insertInstant = existing.insertInstant;
		next.lastUpdateInstant = this.options.now();
		this.tenants.set(String(existing.id), next);
		return { status: 200, body: { tenant: structuredClone(next) } };
	}

	private validateTenant(tenant: Record<string, unknown>): FeatureReply | undefined {
		const events = isObject(tenant.eventConfiguration) ? tenant.eventConfiguration.events : undefined;
		if (events !== undefined && !isObject(events)) {
			return fieldError('tenant.eventConfiguration.events', '[invalid]tenant.eventConfiguration.events', 'The [tenant.eventConfiguration.events] property is invalid.');
		}
		for (const [event, setting] of Object.entries(events ?? {})) {
			const type = isObject(setting) ? setting.transactionType : undefined;
			if (type !== undefined && !['None', 'Any', 'SimpleMajority', 'SuperMajority', 'AbsoluteMajority'].includes(String(type))) {
				return fieldError(`tenant.eventConfiguration.events[${event}].transactionType`, '[invalid]transactionType', 'The transaction type is invalid.');
			}
		}
		const mfa = isObject(tenant.multiFactorConfiguration) ? tenant.multiFactorConfiguration : {};
		const policy = mfa.loginPolicy;
		if (policy !== undefined && !LOGIN_POLICIES.includes(String(policy))) return unreadable(`Cannot deserialize value of type MultiFactorLoginPolicy from String ${JSON.stringify(policy)}`);
		if (policy !== undefined && policy !== 'Disabled' && !METHODS.some((method) => isObject(mfa[method]) && mfa[method].enabled === true)) {
			return fieldError(
				'tenant.multiFactorConfiguration.loginPolicy',
				'[invalid]tenant.multiFactorConfiguration.loginPolicy',
				'The [tenant.multiFactorConfiguration.loginPolicy] needs at least one multi-factor method enabled.',
			);
		}
		if (RISK_POLICIES.includes(String(policy)) && this.plan === 'community') {
			return fieldError(
				'tenant.multiFactorConfiguration.loginPolicy',
				'[notLicensedFor]tenant.multiFactorConfiguration.loginPolicy',
				'The [tenant.multiFactorConfiguration.loginPolicy] value requires a paid plan.',
			);
		}
		return undefined;
	}

	private retrieveApplication(request: FeatureRequest): FeatureReply {
		if (request.params.applicationId === undefined) {
			const visible = [...this.applications.values()].filter((application) => request.tenantId === undefined || application.tenantId === request.tenantId);
			return { status: 200, body: { applications: structuredClone(visible) } };
		}
		const application = this.visibleApplication(request);
		return application === undefined ? { status: 404 } : { status: 200, body: { application: structuredClone(application) } };
	}

	private patchApplication(request: FeatureRequest): FeatureReply {
		const existing = this.visibleApplication(request);
		if (existing === undefined) return { status: 404 };
		const given = request.body?.application;
		if (!isObject(given)) return fieldError('application', '[missing]application', 'You must specify the [application] property.');
		const next = merge(existing, given);
		const mfa = isObject(next.multiFactorConfiguration) ? next.multiFactorConfiguration : {};
		const policy = mfa.loginPolicy;
		if (policy !== undefined && !LOGIN_POLICIES.includes(String(policy))) return unreadable(`Cannot deserialize value of type MultiFactorLoginPolicy from String ${JSON.stringify(policy)}`);
		if (mfa.trustPolicy !== undefined && !TRUST_POLICIES.includes(String(mfa.trustPolicy))) {
			return unreadable(`Cannot deserialize value of type ApplicationMultiFactorTrustPolicy from String ${JSON.stringify(mfa.trustPolicy)}`);
		}
		if (existing.id !== FUSIONAUTH_APP_ID && this.plan !== 'enterprise') {
			for (const field of ['loginPolicy', 'trustPolicy']) {
				if (mfa[field] !== undefined) {
					return fieldError(
						`application.multiFactorConfiguration.${field}`,
						`[notLicensed]application.multiFactorConfiguration.${field}`,
						`The [application.multiFactorConfiguration.${field}] requires the Enterprise plan.`,
					);
				}
			}
		}
		if (RISK_POLICIES.includes(String(policy)) && this.plan === 'community') {
			return fieldError(
				'application.multiFactorConfiguration.loginPolicy',
				'[notLicensedFor]application.multiFactorConfiguration.loginPolicy',
				'The [application.multiFactorConfiguration.loginPolicy] value requires a paid plan.',
			);
		}
		// FusionAuth's default trust policy for an application with a policy of its own.
		if (policy !== undefined && policy !== 'Disabled' && mfa.trustPolicy === undefined) mfa.trustPolicy = 'Any';
		next.multiFactorConfiguration = mfa;
		next.id = existing.id;
		next.tenantId = existing.tenantId;
		next.insertInstant = existing.insertInstant;
		next.lastUpdateInstant = this.options.now();
		this.applications.set(String(existing.id), next);
		return { status: 200, body: { application: structuredClone(next) } };
	}

	private searchApplications(request: FeatureRequest): FeatureReply {
		const search = isObject(request.body?.search) ? request.body.search : {};
		const tenantId = request.tenantId ?? (typeof search.tenantId === 'string' ? search.tenantId.toLowerCase() : undefined);
		if (tenantId !== undefined && !UUID.test(tenantId)) return fieldError('search.tenantId', '[invalid]search.tenantId', 'The [search.tenantId] property is invalid.');
		// Case-insensitive; without a `*`, the name matches anywhere (`*value*`).
		const name = typeof search.name === 'string' && search.name.trim() !== '' ? search.name.trim() : undefined;
		const pattern = name === undefined ? undefined : new RegExp(`^${(name.includes('*') ? name : `*${name}*`).split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
		const matches = [...this.applications.values()]
			.filter((application) => tenantId === undefined || application.tenantId === tenantId)
			.filter((application) => pattern === undefined || pattern.test(String(application.name)))
			.filter((application) => search.state === undefined || application.state === search.state)
			.sort((a, b) => String(a.name).localeCompare(String(b.name)));
		const startRow = typeof search.startRow === 'number' ? search.startRow : 0;
		const numberOfResults = typeof search.numberOfResults === 'number' ? search.numberOfResults : 25;
		return { status: 200, body: { applications: structuredClone(matches.slice(startRow, startRow + numberOfResults)), total: matches.length } };
	}
}
