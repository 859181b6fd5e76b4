/**
 * The simulator's tenants and applications held to FusionAuth's official TypeScript client
 * (retrieveTenant, retrieveTenants, patchTenant, retrieveApplication, patchApplication,
 * searchApplications) and to the Tenant and Application API documentation: what a PATCH merges,
 * what it leaves alone, what it refuses, by plan, and what a tenant-scoped request may see.
 */
import FusionAuthClient from '@fusionauth/typescript-client';
import type ClientResponse from '@fusionauth/typescript-client/build/src/ClientResponse';

import { DEFAULT_TENANT_ID, DEFAULT_TENANT_MFA, FUSIONAUTH_APP_ID, Simulator, startSimulator } from './server';

const DEFAULT_TENANT = DEFAULT_TENANT_ID;

const OTHER_TENANT = '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';
const ADMIN_APP = 'a0a0a0a0-0000-4000-8000-00000000a0a0';
const HR_APP = 'b1b1b1b1-0000-4000-8000-00000000b1b1';
const OTHER_APP = 'c2c2c2c2-0000-4000-8000-00000000c2c2';
const MISSING = '0b5a0d52-0000-4000-8000-000000000000';

/** FusionAuth's error body, as the client hands it over on a failed call. */
interface Errors {
	fieldErrors?: Record<string, Array<{ code: string; message: string }>>;
	generalErrors?: Array<{ code: string; message: string }>;
}
const errorsOf = (response: ClientResponse<unknown>): Errors => response.exception as unknown as Errors;

async function failure<T>(promise: Promise<ClientResponse<T>>): Promise<ClientResponse<T>> {
	try {
		await promise;
	} catch (error) {
		return error as ClientResponse<T>;
	}
	throw new Error('expected the call to fail');
}

async function simulator(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
	return await startSimulator({
		tenants: [DEFAULT_TENANT, OTHER_TENANT],
		applications: [
			{ id: ADMIN_APP, name: 'Admin Console' },
			{ id: HR_APP, name: 'HR Portal', multiFactorConfiguration: { loginPolicy: 'Required', trustPolicy: 'This' } },
			{ id: OTHER_APP, tenantId: OTHER_TENANT, name: 'Other Tenant App' },
		],
		...options,
	});
}

let sim: Simulator;
let client: FusionAuthClient;

beforeAll(async () => {
	sim = await simulator();
	client = new FusionAuthClient(sim.apiKey, sim.url);
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => sim.reset());

const lastRequest = () => sim.requests[sim.requests.length - 1];

describe('tenants, through retrieveTenant, retrieveTenants and patchTenant', () => {
	test('retrieveTenant: the tenant with its multiFactorConfiguration (login policy and methods)', async () => {
		const answer = await client.retrieveTenant(DEFAULT_TENANT);
		expect(answer.statusCode).toBe(200);
		expect(lastRequest()).toMatchObject({ method: 'GET', path: `/api/tenant/${DEFAULT_TENANT}` });
		expect(answer.response.tenant).toMatchObject({ id: DEFAULT_TENANT, name: 'Default', multiFactorConfiguration: DEFAULT_TENANT_MFA });
	});

	test('retrieveTenants: every tenant; with a tenant header, only that one', async () => {
		expect((await client.retrieveTenants()).response.tenants?.map((tenant) => tenant.id)).toEqual([DEFAULT_TENANT, OTHER_TENANT]);
		const scoped = new FusionAuthClient(sim.apiKey, sim.url, OTHER_TENANT);
		expect((await scoped.retrieveTenants()).response.tenants?.map((tenant) => tenant.id)).toEqual([OTHER_TENANT]);
	});

	test('patchTenant with {tenant: {multiFactorConfiguration: {loginPolicy}}} changes the policy and nothing else', async () => {
		const before = sim.tenants.tenant(DEFAULT_TENANT)!;
		const patched = await client.patchTenant(DEFAULT_TENANT, { tenant: { multiFactorConfiguration: { loginPolicy: 'Required' as never } } });
		expect(patched.statusCode).toBe(200);
		expect(lastRequest().headers['content-type']).toBe('application/json');
		const after = sim.tenants.tenant(DEFAULT_TENANT)!;
		expect(after).toEqual({
			...before,
			multiFactorConfiguration: { ...DEFAULT_TENANT_MFA, loginPolicy: 'Required' },
			lastUpdateInstant: after.lastUpdateInstant,
		});
		expect(patched.response.tenant).toEqual(after);
	});

	test('application/merge-patch+json merges the same way', async () => {
		const reply = await fetch(`${sim.url}/api/tenant/${DEFAULT_TENANT}`, {
			method: 'PATCH',
			headers: { Authorization: sim.apiKey, 'Content-Type': 'application/merge-patch+json' },
			body: JSON.stringify({ tenant: { multiFactorConfiguration: { loginPolicy: 'Disabled' } } }),
		});
		expect(reply.status).toBe(200);
		expect(sim.tenants.tenant(DEFAULT_TENANT)!.multiFactorConfiguration).toEqual({ ...DEFAULT_TENANT_MFA, loginPolicy: 'Disabled' });
	});

	test('a policy that is not Disabled with no method on: 400 naming loginPolicy, nothing changed', async () => {
		sim.tenants.updateTenant(DEFAULT_TENANT, { multiFactorConfiguration: { authenticator: { enabled: false }, email: { enabled: false }, sms: { enabled: false }, loginPolicy: 'Disabled' } });
		const refused = await failure(client.patchTenant(DEFAULT_TENANT, { tenant: { multiFactorConfiguration: { loginPolicy: 'Required' as never } } }));
		expect(refused.statusCode).toBe(400);
		expect(Object.keys(errorsOf(refused).fieldErrors ?? {})).toEqual(['tenant.multiFactorConfiguration.loginPolicy']);
		expect((sim.tenants.tenant(DEFAULT_TENANT)!.multiFactorConfiguration as { loginPolicy: string }).loginPolicy).toBe('Disabled');
	});

	test('a value FusionAuth does not know: 400 [invalidJSON]', async () => {
		const refused = await failure(client.patchTenant(DEFAULT_TENANT, { tenant: { multiFactorConfiguration: { loginPolicy: 'Always' as never } } }));
		expect(refused.statusCode).toBe(400);
		expect(errorsOf(refused).generalErrors?.[0]?.code).toBe('[invalidJSON]');
	});

	test('the risk-based policies: on a paid plan yes, on the community plan 400 [notLicensedFor]', async () => {
		expect((await client.patchTenant(DEFAULT_TENANT, { tenant: { multiFactorConfiguration: { loginPolicy: 'ChallengeOnHighRisk' as never } } })).statusCode).toBe(200);
		const community = await simulator({ plan: 'community' });
		try {
			const refused = await failure(
				new FusionAuthClient(community.apiKey, community.url).patchTenant(DEFAULT_TENANT, { tenant: { multiFactorConfiguration: { loginPolicy: 'ChallengeOnMediumRisk' as never } } }),
			);
			expect(refused.statusCode).toBe(400);
			expect(errorsOf(refused).fieldErrors?.['tenant.multiFactorConfiguration.loginPolicy']?.[0]?.code).toBe('[notLicensedFor]tenant.multiFactorConfiguration.loginPolicy');
			// Enabled, Disabled and Required need no plan.
			expect((await new FusionAuthClient(community.apiKey, community.url).patchTenant(DEFAULT_TENANT, { tenant: { multiFactorConfiguration: { loginPolicy: 'Required' as never } } })).statusCode).toBe(200);
		} finally {
			await community.close();
		}
	});

	test('404 for a tenant that does not exist, or that a tenant-scoped request may not see; 401 without the key', async () => {
		expect((await failure(client.retrieveTenant(MISSING))).statusCode).toBe(404);
		expect((await failure(client.patchTenant(MISSING, { tenant: { multiFactorConfiguration: {} } }))).statusCode).toBe(404);
		const scoped = new FusionAuthClient(sim.apiKey, sim.url, OTHER_TENANT);
		expect((await failure(scoped.retrieveTenant(DEFAULT_TENANT))).statusCode).toBe(404);
		expect((await failure(new FusionAuthClient('wrong-key', sim.url).retrieveTenant(DEFAULT_TENANT))).statusCode).toBe(401);
	});

	test('a PATCH without a JSON body: 400', async () => {
		const reply = await fetch(`${sim.url}/api/tenant/${DEFAULT_TENANT}`, { method: 'PATCH', headers: { Authorization: sim.apiKey } });
		expect(reply.status).toBe(400);
	});
});

describe('applications, through retrieveApplication, patchApplication and searchApplications', () => {
	test('retrieveApplication: the application, its tenantId, and its own multiFactorConfiguration where it has one', async () => {
		const plain = (await client.retrieveApplication(ADMIN_APP)).response.application!;
		expect(plain).toMatchObject({ id: ADMIN_APP, name: 'Admin Console', tenantId: DEFAULT_TENANT });
		expect(plain.multiFactorConfiguration?.loginPolicy).toBeUndefined();
		expect((await client.retrieveApplication(HR_APP)).response.application?.multiFactorConfiguration).toMatchObject({ loginPolicy: 'Required', trustPolicy: 'This' });
	});

	test('patchApplication with {application: {multiFactorConfiguration: {loginPolicy}}}: the policy, trust policy Any by default, nothing else changed', async () => {
		const before = sim.tenants.application(ADMIN_APP)!;
		const patched = await client.patchApplication(ADMIN_APP, { application: { multiFactorConfiguration: { loginPolicy: 'Required' as never } } });
		expect(patched.statusCode).toBe(200);
		expect(lastRequest()).toMatchObject({ method: 'PATCH', path: `/api/application/${ADMIN_APP}` });
		const after = sim.tenants.application(ADMIN_APP)!;
		expect(after).toEqual({
			...before,
			multiFactorConfiguration: { email: {}, sms: {}, voice: {}, loginPolicy: 'Required', trustPolicy: 'Any' },
			lastUpdateInstant: after.lastUpdateInstant,
		});
		expect(patched.response.application).toEqual(after);
		// The tenant is untouched.
		expect(sim.tenants.tenant(DEFAULT_TENANT)!.multiFactorConfiguration).toEqual(DEFAULT_TENANT_MFA);
	});

	test('a trust policy given is kept; one FusionAuth does not know is 400 [invalidJSON]', async () => {
		await client.patchApplication(ADMIN_APP, { application: { multiFactorConfiguration: { loginPolicy: 'Enabled' as never, trustPolicy: 'None' as never } } });
		expect(sim.tenants.application(ADMIN_APP)!.multiFactorConfiguration).toMatchObject({ loginPolicy: 'Enabled', trustPolicy: 'None' });
		const refused = await failure(client.patchApplication(ADMIN_APP, { application: { multiFactorConfiguration: { trustPolicy: 'Some' as never } } }));
		expect(errorsOf(refused).generalErrors?.[0]?.code).toBe('[invalidJSON]');
	});

	test("below the Enterprise plan: an application's own policy is 400 [notLicensed], except on FusionAuth's admin application", async () => {
		const essentials = await simulator({ plan: 'essentials' });
		try {
			const other = new FusionAuthClient(essentials.apiKey, essentials.url);
			const refused = await failure(other.patchApplication(ADMIN_APP, { application: { multiFactorConfiguration: { loginPolicy: 'Required' as never } } }));
			expect(refused.statusCode).toBe(400);
			expect(errorsOf(refused).fieldErrors?.['application.multiFactorConfiguration.loginPolicy']?.[0]?.code).toBe('[notLicensed]application.multiFactorConfiguration.loginPolicy');
			essentials.tenants.addApplication({ id: FUSIONAUTH_APP_ID, tenantId: DEFAULT_TENANT, name: 'FusionAuth' });
			expect((await other.patchApplication(FUSIONAUTH_APP_ID, { application: { multiFactorConfiguration: { loginPolicy: 'Required' as never } } })).statusCode).toBe(200);
		} finally {
			await essentials.close();
		}
	});

	test('an application of another tenant: 404 to a request scoped to this one; 404 for one that does not exist', async () => {
		const scoped = new FusionAuthClient(sim.apiKey, sim.url, DEFAULT_TENANT);
		expect((await failure(scoped.retrieveApplication(OTHER_APP))).statusCode).toBe(404);
		expect((await failure(scoped.patchApplication(OTHER_APP, { application: { multiFactorConfiguration: { loginPolicy: 'Required' as never } } }))).statusCode).toBe(404);
		expect(sim.tenants.application(OTHER_APP)!.multiFactorConfiguration).toEqual({ email: {}, sms: {}, voice: {} });
		expect((await failure(client.retrieveApplication(MISSING))).statusCode).toBe(404);
	});

	test('searchApplications: by name anywhere and case-insensitive, ordered by name, paged, within the request tenant', async () => {
		const all = await client.searchApplications({ search: { numberOfResults: 25, startRow: 0 } });
		expect(all.response.applications?.map((application) => application.name)).toEqual(['Admin Console', 'HR Portal', 'Other Tenant App']);
		expect(all.response.total).toBe(3);
		expect((await client.searchApplications({ search: { name: 'portal' } })).response.applications?.map((application) => application.id)).toEqual([HR_APP]);
		expect((await client.searchApplications({ search: { name: 'a*' } })).response.applications?.map((application) => application.id)).toEqual([ADMIN_APP]);
		const page = await client.searchApplications({ search: { numberOfResults: 1, startRow: 1 } });
		expect(page.response).toMatchObject({ total: 3, applications: [expect.objectContaining({ id: HR_APP })] });
		const scoped = new FusionAuthClient(sim.apiKey, sim.url, OTHER_TENANT);
		expect((await scoped.searchApplications({ search: {} })).response.applications?.map((application) => application.id)).toEqual([OTHER_APP]);
		expect(lastRequest()).toMatchObject({ method: 'POST', path: '/api/application/search' });
	});
});
