import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../harness/lifecycle';
import { listSearch } from '../../harness/listSearch';
import { runNode } from '../../harness/n8n';
import { DEFAULT_TENANT_ID } from '../../simulator/server';
import { API_KEY, APPLICATION_ID, outputJson, TENANT_ID, wire } from '../support';
import { describeOperation, failures, runOperation } from '../table';
import { INHERITING_APP, OWN_POLICY_APP, POLICY_TENANT, policyAnswers } from './answers';

const GET = { resource: 'mfaPolicy', operation: 'get' };
const ofTenant = (tenantId: unknown): INodeParameters => ({ ...GET, target: 'tenant', tenantId }) as INodeParameters;
const ofApplication = (applicationId: unknown): INodeParameters => ({ ...GET, target: 'application', applicationId }) as INodeParameters;
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fromList = (value: string) => ({ __rl: true, mode: 'list', value });

/** The policy tenant's settings, as the node outputs them (answers.ts: Required; authenticator and SMS on). */
const TENANT_METHODS = { authenticator: true, email: false, sms: true, voice: false };

describeOperation({
	resource: 'mfaPolicy',
	operation: 'get',
	editor: {
		action: 'Get the MFA policy of a tenant or application',
		panels: {
			current: { fields: ['target', 'tenantId'], required: ['tenantId'] },
		},
	},
	samples: { current: ofTenant(TENANT_ID) },
	answersWithBody: true,
	agentOutput: {
		current: (output) => {
			expect(output).toEqual({
				target: 'tenant',
				id: TENANT_ID,
				name: 'Default',
				loginPolicy: 'Required',
				loginPolicySetBy: 'tenant',
				methods: { authenticator: true, email: false, sms: true, voice: false },
			});
		},
	},
	requests: [
		{
			name: 'a tenant: GET /api/tenant/{tenantId} = retrieveTenant',
			parameters: ofTenant(byId(POLICY_TENANT)),
			answer: policyAnswers,
			client: (client) => client.retrieveTenant(POLICY_TENANT),
		},
		{
			name: "an application: GET /api/application/{applicationId} = retrieveApplication, then its tenant's GET /api/tenant/{tenantId} = retrieveTenant",
			parameters: ofApplication(fromList(INHERITING_APP)),
			answer: policyAnswers,
			client: async (client) => {
				await client.retrieveApplication(INHERITING_APP);
				await client.retrieveTenant(POLICY_TENANT);
			},
		},
	],
	outputs: [
		{
			name: "a tenant: its policy and methods, flat, set by the tenant; none of its other settings",
			parameters: ofTenant(fromList(` ${POLICY_TENANT} `)),
			answer: policyAnswers,
			output: [{ target: 'tenant', id: POLICY_TENANT, name: 'Staff', loginPolicy: 'Required', loginPolicySetBy: 'tenant', methods: TENANT_METHODS }],
		},
		{
			name: 'an application with a policy of its own: that policy and its trust policy, set by the application; the methods its tenant has on',
			parameters: ofApplication(byId(OWN_POLICY_APP)),
			answer: policyAnswers,
			output: [
				{
					target: 'application',
					id: OWN_POLICY_APP,
					name: 'Admin Console',
					tenantId: POLICY_TENANT,
					loginPolicy: 'Disabled',
					loginPolicySetBy: 'application',
					trustPolicy: 'This',
					methods: TENANT_METHODS,
				},
			],
		},
		{
			name: "an application without a policy: its tenant's, set by the tenant, and no trust policy",
			parameters: ofApplication(INHERITING_APP),
			answer: policyAnswers,
			output: [
				{ target: 'application', id: INHERITING_APP, name: 'Shop', tenantId: POLICY_TENANT, loginPolicy: 'Required', loginPolicySetBy: 'tenant', methods: TENANT_METHODS },
			],
		},
		{
			name: 'a tenant of FusionAuth before 1.37 (no loginPolicy): Enabled, as FusionAuth then behaved',
			parameters: ofTenant(POLICY_TENANT),
			answer: { status: 200, body: { tenant: { id: POLICY_TENANT, name: 'Old', multiFactorConfiguration: { authenticator: { enabled: true } } } } },
			output: [
				{
					target: 'tenant',
					id: POLICY_TENANT,
					name: 'Old',
					loginPolicy: 'Enabled',
					loginPolicySetBy: 'tenant',
					methods: { authenticator: true, email: false, sms: false, voice: false },
				},
			],
		},
		{
			name: 'one item per input item, paired, each read with the API key and the credential tenant',
			parameters: { ...GET, target: 'application', applicationId: '={{ $json.id }}' },
			items: [{ id: OWN_POLICY_APP }, { id: INHERITING_APP }],
			answer: policyAnswers,
			output: (output, requests, items) => {
				expect(output.map((item) => [item.id, item.loginPolicySetBy])).toEqual([
					[OWN_POLICY_APP, 'application'],
					[INHERITING_APP, 'tenant'],
				]);
				expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
				expect(requests).toHaveLength(4);
				for (const request of requests) expect(wire(request)).toMatchObject({ method: 'GET', authorization: API_KEY, tenantId: TENANT_ID, body: undefined });
			},
		},
	],
	errors: [
		{ name: 'a tenant ID that is not a UUID', parameters: ofTenant(byId('={{ "default" }}')), message: 'Tenant ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "default" [item 0]' },
		{ name: 'no application picked', parameters: ofApplication(fromList('={{ " " }}')), message: 'Application ID is required [item 0]' },
		{ name: 'a path segment as an application ID', parameters: ofApplication('..'), message: /^Application ID must be a UUID/ },
		{
			name: 'a locator mode the pickers do not have',
			parameters: ofTenant({ __rl: true, mode: 'url', value: TENANT_ID }),
			message: 'Tenant ID must be picked From List or given By ID, not mode "url" [item 0]',
		},
		{
			name: 'a target that the editor does not offer (a workflow edited by hand)',
			parameters: { ...GET, target: 'user', tenantId: TENANT_ID },
			message: 'Target must be one of "application", "tenant", not "user" [item 0]',
		},
		{
			name: "an application whose answer has no valid tenantId: fails instead of reading a tenant",
			parameters: ofApplication(APPLICATION_ID),
			answer: { status: 200, body: { application: { id: APPLICATION_ID, name: 'Broken', tenantId: '../user' } } },
			message: "Application ID has no valid tenantId in FusionAuth's answer [item 0]",
		},
		{
			name: "an application whose tenant is gone: FusionAuth's 404 for the tenant, naming both",
			parameters: ofApplication(APPLICATION_ID),
			answer: (request) =>
				request.path.startsWith('/api/application/') ? { status: 200, body: { application: { id: APPLICATION_ID, name: 'Orphan', tenantId: POLICY_TENANT } } } : { status: 404 },
			message: `Tenant ${POLICY_TENANT} of application ${APPLICATION_ID} not found`,
			requests: 2,
		},
		{ name: 'is not offered for FusionAuth 1.25 and earlier', apiVersion: 'legacy', parameters: ofTenant(TENANT_ID), message: /needs FusionAuth 1\.26 or later/ },
	],
	statuses: [
		{ name: 'a tenant', parameters: ofTenant(TENANT_ID), statuses: [400, 401, 404, 500], messages: { 404: `Tenant ${TENANT_ID} not found` } },
		{ name: 'an application', parameters: ofApplication(APPLICATION_ID), statuses: [400, 401, 404, 500], messages: { 404: `Application ${APPLICATION_ID} not found` } },
	],
	more: (server) => {
		test('an answer without the tenant names what it lacks, never values', async () => {
			server.respondWith({ status: 200, body: { tenants: [{ id: TENANT_ID }] } });
			const result = await runOperation(server.url, 'current', ofTenant(TENANT_ID), { onError: 'continueRegularOutput' });
			expect(failures(result)[0].message).toBe(
				"FusionAuth's answer to GET /api/tenant/{tenantId} is not what FusionAuth sends: a JSON object without tenant (its fields: tenants), where FusionAuth sends a JSON object with tenant (object)",
			);
		});

		describe('against the simulator', () => {
			const simulator = useSimulator();
			test('the default tenant and its application, which inherits the tenant policy', async () => {
				const result = await runOperationOnSimulator(simulator, ofApplication(simulator.applicationId));
				expect(result).toEqual([
					{
						target: 'application',
						id: simulator.applicationId,
						name: 'Simulator Application',
						tenantId: DEFAULT_TENANT_ID,
						loginPolicy: 'Enabled',
						loginPolicySetBy: 'tenant',
						methods: { authenticator: true, email: true, sms: true, voice: false },
					},
				]);
				expect(simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
					`GET /api/application/${simulator.applicationId}`,
					`GET /api/tenant/${DEFAULT_TENANT_ID}`,
				]);
			});

			test("an application's own policy, set by an administrator, wins over the tenant's", async () => {
				simulator.tenants.updateApplication(simulator.applicationId, { multiFactorConfiguration: { loginPolicy: 'Required', trustPolicy: 'None' } });
				const [item] = await runOperationOnSimulator(simulator, ofApplication(simulator.applicationId));
				expect(item).toMatchObject({ loginPolicy: 'Required', loginPolicySetBy: 'application', trustPolicy: 'None' });
			});

			test('From List: the tenants (filtered by the typed text) and the applications (FusionAuth searches by name), as the editor asks', async () => {
				const credentials = { baseUrl: simulator.url, apiKey: simulator.apiKey };
				expect(await listSearch('searchTenants', credentials)).toEqual({ results: [{ name: 'Default', value: DEFAULT_TENANT_ID }] });
				expect(await listSearch('searchTenants', credentials, { filter: 'nothing like it' })).toEqual({ results: [] });
				simulator.requests.length = 0;
				expect(await listSearch('searchApplications', credentials, { filter: ' simulator ' })).toEqual({
					results: [{ name: 'Simulator Application', value: simulator.applicationId }],
				});
				expect(simulator.requests.map((request) => [request.method, request.path, JSON.parse(request.body)])).toEqual([
					['POST', '/api/application/search', { search: { numberOfResults: 25, startRow: 0, name: 'simulator' } }],
				]);
				expect(await listSearch('searchApplications', credentials, { filter: 'nothing like it' })).toEqual({ results: [] });
			});
		});

		test('From List, applications: a page at a time, the next page from where the last ended; the credential tenant goes along', async () => {
			const page = (startRow: number) => Array.from({ length: startRow === 0 ? 25 : 5 }, (_, index) => ({ id: `00000000-0000-4000-8000-${String(startRow + index).padStart(12, '0')}`, name: `App ${startRow + index}` }));
			server.respondWith((request) => ({ status: 200, body: { applications: page((request.body as { search: { startRow: number } }).search.startRow), total: 30 } }));
			const first = await listSearch('searchApplications', { baseUrl: server.url, apiKey: API_KEY, tenantId: TENANT_ID });
			expect(first.results).toHaveLength(25);
			expect(first.paginationToken).toBe('25');
			const second = await listSearch('searchApplications', { baseUrl: server.url, apiKey: API_KEY, tenantId: TENANT_ID }, { paginationToken: '25' });
			expect(second.results.map((result) => result.name)).toEqual(['App 25', 'App 26', 'App 27', 'App 28', 'App 29']);
			expect(second.paginationToken).toBeUndefined();
			expect(server.requests.map((request) => [wire(request).tenantId, (request.body as { search: unknown }).search])).toEqual([
				[TENANT_ID, { numberOfResults: 25, startRow: 0 }],
				[TENANT_ID, { numberOfResults: 25, startRow: 25 }],
			]);
			// The client's searchApplications sends the same request.
			server.reset();
			await new FusionAuthClient(API_KEY, server.url, TENANT_ID).searchApplications({ search: { numberOfResults: 25, startRow: 25 } });
			expect(wire(server.requests[0])).toMatchObject({ method: 'POST', path: '/api/application/search', contentType: 'application/json', tenantId: TENANT_ID });
		});

		test('From List, tenants: GET /api/tenant = retrieveTenants, a tenant without a name shown by its ID', async () => {
			server.respondWith({ status: 200, body: { tenants: [{ id: POLICY_TENANT, name: 'Staff' }, { id: TENANT_ID }, { name: 'no id' }] } });
			const found = await listSearch('searchTenants', { baseUrl: server.url, apiKey: API_KEY, tenantId: '' });
			expect(found).toEqual({ results: [{ name: 'Staff', value: POLICY_TENANT }, { name: TENANT_ID, value: TENANT_ID }] });
			const sent = wire(server.requests[0]);
			server.reset();
			await new FusionAuthClient(API_KEY, server.url).retrieveTenants();
			expect(sent).toEqual(wire(server.requests[0]));
		});
	},
});

/** Runs the node against the simulator with its own key and no tenant, and returns the output items. */
export async function runOperationOnSimulator(simulator: { url: string; apiKey: string }, parameters: INodeParameters) {
	const result = await runNode({ parameters: { apiVersion: 'current', ...parameters }, credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey } });
	expect(result.error).toBeUndefined();
	return outputJson(result);
}
