import { loadedPackage, NODE_TYPE } from '../../harness/n8n';
import { API_KEY, outputJson, TENANT_ID, TWO_FACTOR_ID, USER_ID, wire } from '../support';
import { describeOperation, runOperation } from '../table';

const RECOVERY_CODES = ['2XJQY-7KDL3', 'BX4QH-N8RT6', 'C9WQ2-LMK3P', 'D7TZ5-QWE2R', 'E3RT8-YUI9O', 'F6GH1-JKL4Z', 'G2XC7-VBN8M', 'H5QW3-ERT6Y', 'J8UI4-OPA1S', 'K1DF9-GHJ2K'];
/** Codes with what other endpoints answer besides: a login's token and twoFactorId. */
const CODES_AND_MORE = { status: 200, body: { recoveryCodes: ['A'], token: 'eyJ.eyJ.sig', twoFactorId: TWO_FACTOR_ID, methods: [] } };

describeOperation({
	agentRefusal: "The resource \"recoveryCode\" is not available to AI agents: it hands out a user's new recovery codes; it hands out a user's recovery codes",
	resource: 'recoveryCode',
	operation: 'get',
	editor: {
		action: 'Get recovery codes',
		panels: {
			current: { fields: ['userId'], required: ['userId'] },
		},
	},
	samples: { current: { resource: 'recoveryCode', operation: 'get', userId: USER_ID } },
	answersWithBody: true,
	requests: [
		{
			name: 'GET /api/user/two-factor/recovery-code/{userId} = retrieveTwoFactorRecoveryCodes',
			parameters: { resource: 'recoveryCode', operation: 'get', userId: USER_ID },
			client: (client) => client.retrieveTwoFactorRecoveryCodes(USER_ID),
		},
	],
	outputs: [
		{
			name: 'the ten codes FusionAuth has, from GET with the API key and no body',
			parameters: { resource: 'recoveryCode', operation: 'get', userId: USER_ID },
			answer: { status: 200, body: { recoveryCodes: RECOVERY_CODES } },
			output: (output, requests) => {
				expect(output).toEqual([{ recoveryCodes: RECOVERY_CODES }]);
				expect(wire(requests[0])).toEqual({
					method: 'GET',
					path: `/api/user/two-factor/recovery-code/${USER_ID}`,
					query: {},
					authorization: API_KEY,
					tenantId: TENANT_ID,
					contentType: undefined,
					body: undefined,
				});
			},
		},
		{
			name: 'only the codes, when the answer carries more',
			parameters: { resource: 'recoveryCode', operation: 'get', userId: USER_ID },
			answer: CODES_AND_MORE,
			output: [{ recoveryCodes: ['A'] }],
		},
	],
	errors: [
		{
			name: 'a malformed user ID fails before any request',
			parameters: { resource: 'recoveryCode', operation: 'get', userId: '../../user' },
			message: /^User ID must be a UUID/,
		},
	],
	statuses: [
		{
			name: 'get',
			parameters: { resource: 'recoveryCode', operation: 'get', userId: USER_ID },
			statuses: [400, 401, 404, 500],
			messages: { 404: `User ${USER_ID} not found` },
		},
	],
	more: (server) => {
		test("its description says it is deprecated since FusionAuth 1.64", () => {
			const node = loadedPackage().nodes[NODE_TYPE];
			const selectors = node.description.properties.filter(
				(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes('recoveryCode'),
			);
			const get = selectors.flatMap((selector) => selector.options ?? []).find((option) => 'value' in option && option.value === 'get');
			expect((get as { description?: string }).description).toMatch(/Deprecated by FusionAuth since 1\.64/);
		});

		test('as a tool: stops before any request, saying why the resource is kept from agents, and outputs nothing', async () => {
			server.respondWith(CODES_AND_MORE);
			const result = await runOperation(server.url, 'current', { resource: 'recoveryCode', operation: 'get', userId: USER_ID }, { tool: true });
			expect(result.error).toBeDefined();
			expect(result.error?.message).toBe("The resource \"recoveryCode\" is not available to AI agents: it hands out a user's new recovery codes; it hands out a user's recovery codes");
			expect(result.output).toEqual([]);
			expect(server.requests).toHaveLength(0);
			expect(JSON.stringify(outputJson(result))).not.toContain('eyJ');
		});
	},
});
