import type { INodeParameters } from 'n8n-workflow';

import { useServer, useSimulator } from '../../harness/lifecycle';
import { runNode } from '../../harness/n8n';
import { DEFAULT_TENANT_ID, DEFAULT_TENANT_MFA, startSimulator } from '../../simulator/server';
import { API_KEY, APPLICATION_ID, outputJson, TENANT_ID, wire } from '../support';
import { describeOperation, failures } from '../table';
import { INHERITING_APP, OWN_POLICY_APP, POLICY_TENANT, policyAnswers } from './answers';

const SET = { resource: 'mfaPolicy', operation: 'setLoginPolicy' };
const onTenant = (tenantId: unknown, loginPolicy: string, more: INodeParameters = {}): INodeParameters => ({ ...SET, target: 'tenant', tenantId, loginPolicy, ...more }) as INodeParameters;
const onApplication = (applicationId: unknown, loginPolicy: string, trustPolicy?: string): INodeParameters =>
	({ ...SET, target: 'application', applicationId, loginPolicy, ...(trustPolicy === undefined ? {} : { additionalFields: { trustPolicy } }) }) as INodeParameters;
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

const TENANT_METHODS = { authenticator: true, email: false, sms: true, voice: false };

describeOperation({
	agentRefusal: 'Set Login Policy (mfaPolicy) is not available to AI agents: it changes whether users must give a second factor to log in',
	resource: 'mfaPolicy',
	operation: 'setLoginPolicy',
	editor: {
		action: 'Set the MFA login policy of a tenant or application',
		panels: {
			current: { fields: ['target', 'tenantId', 'loginPolicy'], required: ['tenantId'] },
		},
	},
	samples: { current: onTenant(TENANT_ID, 'Required') },
	answersWithBody: true,
	requests: [
		{
			name: 'a tenant: PATCH /api/tenant/{tenantId} with {tenant: {multiFactorConfiguration: {loginPolicy}}} and nothing else = patchTenant',
			parameters: onTenant(byId(POLICY_TENANT), 'Required'),
			answer: policyAnswers,
			client: (client) => client.patchTenant(POLICY_TENANT, { tenant: { multiFactorConfiguration: { loginPolicy: 'Required' as never } } }),
		},
		{
			name: "an application: PATCH /api/application/{applicationId} with {application: {multiFactorConfiguration: {loginPolicy}}} = patchApplication, then its tenant's GET = retrieveTenant",
			parameters: onApplication(INHERITING_APP, 'Enabled'),
			answer: policyAnswers,
			client: async (client) => {
				await client.patchApplication(INHERITING_APP, { application: { multiFactorConfiguration: { loginPolicy: 'Enabled' as never } } });
				await client.retrieveTenant(POLICY_TENANT);
			},
		},
		{
			name: 'an application with a trust policy: {application: {multiFactorConfiguration: {loginPolicy, trustPolicy}}} = patchApplication, then retrieveTenant',
			parameters: onApplication(OWN_POLICY_APP, 'Required', 'None'),
			answer: policyAnswers,
			client: async (client) => {
				await client.patchApplication(OWN_POLICY_APP, { application: { multiFactorConfiguration: { loginPolicy: 'Required' as never, trustPolicy: 'None' as never } } });
				await client.retrieveTenant(POLICY_TENANT);
			},
		},
	],
	outputs: [
		{
			name: 'a tenant: the body holds only the login policy; the output is the tenant after the change, as Get gives it',
			parameters: onTenant(POLICY_TENANT, 'Disabled'),
			answer: policyAnswers,
			output: (output, requests) => {
				expect(requests.map(wire)).toEqual([
					{
						method: 'PATCH',
						path: `/api/tenant/${POLICY_TENANT}`,
						query: {},
						authorization: API_KEY,
						tenantId: TENANT_ID,
						contentType: 'application/json',
						body: { tenant: { multiFactorConfiguration: { loginPolicy: 'Disabled' } } },
					},
				]);
				expect(output).toEqual([{ target: 'tenant', id: POLICY_TENANT, name: 'Staff', loginPolicy: 'Disabled', loginPolicySetBy: 'tenant', methods: TENANT_METHODS }]);
			},
		},
		{
			name: 'the risk-based policies of FusionAuth 1.68 go out as FusionAuth names them',
			parameters: onApplication(INHERITING_APP, 'ChallengeOnMediumRisk', 'This'),
			answer: policyAnswers,
			output: (output, requests) => {
				expect(requests[0].body).toEqual({ application: { multiFactorConfiguration: { loginPolicy: 'ChallengeOnMediumRisk', trustPolicy: 'This' } } });
				expect(output).toEqual([
					{
						target: 'application',
						id: INHERITING_APP,
						name: 'Shop',
						tenantId: POLICY_TENANT,
						loginPolicy: 'ChallengeOnMediumRisk',
						loginPolicySetBy: 'application',
						trustPolicy: 'This',
						methods: TENANT_METHODS,
					},
				]);
			},
		},
		{
			name: 'a trust policy set while the target is a tenant is not sent: tenants have none',
			parameters: onTenant(POLICY_TENANT, 'Enabled', { additionalFields: { trustPolicy: 'None' } }),
			answer: policyAnswers,
			output: (_, requests) => expect(requests[0].body).toEqual({ tenant: { multiFactorConfiguration: { loginPolicy: 'Enabled' } } }),
		},
	],
	errors: [
		{
			name: 'FusionAuth kept another policy: the item fails, saying so',
			parameters: onTenant(POLICY_TENANT, 'Required'),
			answer: { status: 200, body: { tenant: { id: POLICY_TENANT, name: 'Staff', multiFactorConfiguration: { loginPolicy: 'Enabled' } } } },
			message: 'Login Policy was not applied: FusionAuth answered with "Enabled" for the tenant [item 0]',
		},
		{
			name: "an application on a plan without application policies: FusionAuth's 400 in its words",
			parameters: onApplication(APPLICATION_ID, 'Required'),
			answer: {
				status: 400,
				body: {
					fieldErrors: {
						'application.multiFactorConfiguration.loginPolicy': [
							{ code: '[notLicensed]application.multiFactorConfiguration.loginPolicy', message: 'The [application.multiFactorConfiguration.loginPolicy] requires the Enterprise plan.' },
						],
					},
				},
			},
			message: /The \[application\.multiFactorConfiguration\.loginPolicy\] requires the Enterprise plan\./,
			description: 'application.multiFactorConfiguration.loginPolicy: The [application.multiFactorConfiguration.loginPolicy] requires the Enterprise plan. [notLicensed]application.multiFactorConfiguration.loginPolicy',
		},
		{
			name: 'a login policy FusionAuth does not have, from an expression',
			parameters: onTenant(TENANT_ID, '={{ "Always" }}'),
			message: 'Login Policy must be one of "ChallengeOnHighRisk", "ChallengeOnMediumRisk", "Disabled", "Enabled", "Required", not "Always" [item 0]',
		},
		{
			name: 'a trust policy FusionAuth does not have, from an expression',
			parameters: onApplication(APPLICATION_ID, 'Required', '={{ "Some" }}'),
			message: 'Trust Policy must be one of "Any", "None", "This", not "Some" [item 0]',
		},
		{ name: 'an application ID that is not a UUID', parameters: onApplication(byId('={{ "shop" }}'), 'Required'), message: /^Application ID must be a UUID/ },
		{ name: 'is not offered for FusionAuth 1.25 and earlier', apiVersion: 'legacy', parameters: onTenant(TENANT_ID, 'Required'), message: /needs FusionAuth 1\.26 or later/ },
	],
	statuses: [
		{ name: 'a tenant', parameters: onTenant(TENANT_ID, 'Required'), statuses: [400, 401, 404, 500], messages: { 404: `Tenant ${TENANT_ID} not found` } },
		{ name: 'an application', parameters: onApplication(APPLICATION_ID, 'Required'), statuses: [400, 401, 404, 500], messages: { 404: `Application ${APPLICATION_ID} not found` } },
	],
	more: (server) => {
		describe('against the simulator', () => {
			const simulator = useSimulator();
			const run = async (parameters: INodeParameters) =>
				await runNode({ parameters: { apiVersion: 'current', ...parameters }, credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey }, onError: 'continueRegularOutput' });

			test('a tenant: only its login policy changes, everything else of it stays as it was', async () => {
				const before = simulator.tenants.tenant()!;
				const result = await run(onTenant(DEFAULT_TENANT_ID, 'Required'));
				expect(failures(result)).toEqual([]);
				expect(outputJson(result)).toEqual([
					{ target: 'tenant', id: DEFAULT_TENANT_ID, name: 'Default', loginPolicy: 'Required', loginPolicySetBy: 'tenant', methods: { authenticator: true, email: true, sms: true, voice: false } },
				]);
				const after = simulator.tenants.tenant()!;
				expect(after).toEqual({ ...before, multiFactorConfiguration: { ...DEFAULT_TENANT_MFA, loginPolicy: 'Required' }, lastUpdateInstant: after.lastUpdateInstant });
				expect(simulator.requests.map((request) => [request.method, request.path, request.body])).toEqual([
					['PATCH', `/api/tenant/${DEFAULT_TENANT_ID}`, JSON.stringify({ tenant: { multiFactorConfiguration: { loginPolicy: 'Required' } } })],
				]);
			});

			test("an application: its own policy, FusionAuth's default trust policy Any, set by the application; its tenant untouched", async () => {
				const tenantBefore = simulator.tenants.tenant();
				const before = simulator.tenants.application()!;
				const result = await run(onApplication(simulator.applicationId, 'Required'));
				expect(failures(result)).toEqual([]);
				expect(outputJson(result)).toEqual([
					{
						target: 'application',
						id: simulator.applicationId,
						name: 'Simulator Application',
						tenantId: DEFAULT_TENANT_ID,
						loginPolicy: 'Required',
						loginPolicySetBy: 'application',
						trustPolicy: 'Any',
						methods: { authenticator: true, email: true, sms: true, voice: false },
					},
				]);
				const after = simulator.tenants.application()!;
				expect(after).toEqual({
					...before,
					multiFactorConfiguration: { ...(before.multiFactorConfiguration as object), loginPolicy: 'Required', trustPolicy: 'Any' },
					lastUpdateInstant: after.lastUpdateInstant,
				});
				expect(simulator.tenants.tenant()).toEqual(tenantBefore);
				// The client secret FusionAuth sends with the application never reaches the output.
				expect(JSON.stringify(outputJson(result))).not.toContain('client-secret');
			});

			test('a PATCH whose connection broke after FusionAuth acted is sent again: setting the same value twice does no more', async () => {
				simulator.setFaults({ dropFirst: 1, dropAfterHandling: true, methods: ['PATCH'] });
				const result = await run(onTenant(DEFAULT_TENANT_ID, 'Disabled', { options: { retries: 1, retryDelay: 100 } }));
				expect(failures(result)).toEqual([]);
				expect(simulator.requests.map((request) => request.method)).toEqual(['PATCH', 'PATCH']);
				expect(outputJson(result)[0]).toMatchObject({ loginPolicy: 'Disabled' });
			});

			test('a tenant policy other than Disabled with no method on: FusionAuth refuses it, in its words, naming the field', async () => {
				simulator.tenants.updateTenant(DEFAULT_TENANT_ID, { multiFactorConfiguration: { authenticator: { enabled: false }, email: { enabled: false }, sms: { enabled: false } } });
				const [failure] = failures(await run(onTenant(DEFAULT_TENANT_ID, 'Enabled')));
				expect(failure.message).toMatch(/needs at least one multi-factor method enabled/);
				expect(failure.description).toContain('[invalid]tenant.multiFactorConfiguration.loginPolicy');
			});
		});

		describe('against the simulator on the Essentials plan', () => {
			const essentials = useServer(() => startSimulator({ plan: 'essentials' }));
			beforeEach(() => essentials.reset());

			test("an application's own policy is refused by FusionAuth; nothing changes; the tenant's still works", async () => {
				const credentials = { baseUrl: essentials.url, apiKey: essentials.apiKey };
				const refused = await runNode({ parameters: { apiVersion: 'current', ...onApplication(essentials.applicationId, 'Required') }, credentials, onError: 'continueRegularOutput' });
				const [failure] = failures(refused);
				expect(failure.message).toMatch(/requires the Enterprise plan/);
				expect(failure.description).toContain('[notLicensed]application.multiFactorConfiguration.loginPolicy');
				expect((essentials.tenants.application()!.multiFactorConfiguration as { loginPolicy?: string }).loginPolicy).toBeUndefined();
				const tenant = await runNode({ parameters: { apiVersion: 'current', ...onTenant(DEFAULT_TENANT_ID, 'ChallengeOnHighRisk') }, credentials });
				expect(tenant.error).toBeUndefined();
			});
		});
	},
});
