import { describeOperation } from '../table';
import { API_KEY, TENANT_ID, USER_ID } from '../support';

const RECOVERY_CODES = ['2XJQY-7KDL3', 'BX4QH-N8RT6', 'C9WQ2-LMK3P', 'D7TZ5-QWE2R', 'E3RT8-YUI9O', 'F6GH1-JKL4Z', 'G2XC7-VBN8M', 'H5QW3-ERT6Y', 'J8UI4-OPA1S', 'K1DF9-GHJ2K'];
const OTHER_USER = '0d8a7c6b-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

describeOperation({
	agentRefusal: "The resource \"recoveryCode\" is not available to AI agents: it hands out a user's new recovery codes; it hands out a user's recovery codes",
	resource: 'recoveryCode',
	operation: 'generate',
	editor: {
		action: 'Generate new recovery codes',
		panels: {
			current: { fields: ['userId'], required: ['userId'] },
		},
	},
	samples: { current: { resource: 'recoveryCode', operation: 'generate', userId: USER_ID } },
	answersWithBody: true,
	requests: [
		{
			name: 'POST /api/user/two-factor/recovery-code/{userId} = generateTwoFactorRecoveryCodes',
			parameters: { resource: 'recoveryCode', operation: 'generate', userId: USER_ID },
			client: (client) => client.generateTwoFactorRecoveryCodes(USER_ID),
		},
	],
	outputs: [
		{
			name: 'the ten codes FusionAuth issued',
			parameters: { resource: 'recoveryCode', operation: 'generate', userId: USER_ID },
			answer: { status: 200, body: { recoveryCodes: RECOVERY_CODES } },
			output: (output, requests) => {
				expect(output).toEqual([{ recoveryCodes: RECOVERY_CODES }]);
				expect(requests.map((request) => [request.method, request.path, request.headers.authorization, request.headers['x-fusionauth-tenantid']])).toEqual([
					['POST', `/api/user/two-factor/recovery-code/${USER_ID}`, API_KEY, TENANT_ID],
				]);
			},
		},
		{
			name: 'one request and one output per user, paired',
			parameters: { resource: 'recoveryCode', operation: 'generate', userId: '={{ $json.id }}' },
			items: [{ id: USER_ID }, { id: OTHER_USER }],
			answer: (request) => ({ status: 200, body: { recoveryCodes: [request.path.slice(-4)] } }),
			output: (_, requests, items) => {
				expect(items.map((item) => [item.json.recoveryCodes, item.pairedItem])).toEqual([
					[[USER_ID.slice(-4)], { item: 0 }],
					[[OTHER_USER.slice(-4)], { item: 1 }],
				]);
				expect(requests).toHaveLength(2);
			},
		},
	],
	statuses: [
		{
			name: 'generate',
			parameters: { resource: 'recoveryCode', operation: 'generate', userId: USER_ID },
			statuses: [400, 401, 404, 500],
			messages: { 404: `User ${USER_ID} not found` },
		},
	],
});
