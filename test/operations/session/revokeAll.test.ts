import { useSimulator } from '../../harness/lifecycle';
import { runNode } from '../../harness/n8n';
import { DEFAULT_APPLICATION_ID, DEMO_USERS } from '../../simulator/server';
import { APPLICATION_ID, USER_ID } from '../support';
import { describeOperation } from '../table';

const REVOKE_ALL = { resource: 'session', operation: 'revokeAll' };

describeOperation({
	resource: 'session',
	operation: 'revokeAll',
	editor: {
		action: 'Sign out a user everywhere by revoking their refresh tokens',
		panels: { current: { fields: ['userId', 'additionalFields'], required: ['userId'] } },
	},
	samples: { current: { ...REVOKE_ALL, userId: USER_ID } },
	answersWithBody: false,
	emptyAnswerOutput: { userId: USER_ID, signedOut: true },
	agentOutput: { current: (output) => expect(output).toEqual({ userId: USER_ID, signedOut: true }) },
	requests: [
		{ name: 'DELETE /api/jwt/refresh?userId= = revokeRefreshTokensByUserId', parameters: { ...REVOKE_ALL, userId: USER_ID }, client: (client) => client.revokeRefreshTokensByUserId(USER_ID) },
		{
			name: 'with Application ID: DELETE /api/jwt/refresh?userId=&applicationId= = revokeRefreshTokensByUserIdForApplication',
			parameters: { ...REVOKE_ALL, userId: USER_ID, additionalFields: { applicationId: APPLICATION_ID } },
			client: (client) => client.revokeRefreshTokensByUserIdForApplication(USER_ID, APPLICATION_ID),
		},
	],
	statuses: [
		// The revoke's docs list no 400; FusionAuth may still answer one, as everywhere.
		{ name: 'revoke', parameters: { ...REVOKE_ALL, userId: USER_ID }, statuses: [400, 401, 404, 500], messages: { 404: `User ${USER_ID} not found` } },
	],
	errors: [
		{ name: 'a malformed user ID', parameters: { ...REVOKE_ALL, userId: 'jane' }, message: /^User ID must be a UUID/ },
		{
			name: 'an Application ID that is not a UUID, before any request',
			parameters: { ...REVOKE_ALL, userId: { __rl: true, mode: 'email', value: 'jane@example.com' }, additionalFields: { applicationId: 'shop' } },
			message: /^Application ID must be a UUID .*, not "shop" \[item 0\]$/,
		},
	],
	more: () => {
		describe('against the simulator', () => {
			const simulator = useSimulator();
			test("By Email: every refresh token of the user is revoked, and no one else's", async () => {
				const max = DEMO_USERS.multi;
				const other = simulator.users.add({ id: '00000000-0000-4000-8000-0000000000a1', email: 'pat@example.com', refreshTokens: [{ deviceName: 'Pixel' }] });
				expect(simulator.users.get(max.id)?.refreshTokens).toHaveLength(2);
				const result = await runNode({
					parameters: { apiVersion: 'current', ...REVOKE_ALL, userId: { __rl: true, mode: 'email', value: max.email } },
					credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
				});
				expect(result.error).toBeUndefined();
				expect(result.output.map((item) => item.json)).toEqual([{ userId: max.id, signedOut: true }]);
				expect(simulator.users.get(max.id)?.refreshTokens).toEqual([]);
				expect(simulator.users.get(other.id)?.refreshTokens).toHaveLength(1);
			});
			test('with Application ID: only that application\'s', async () => {
				const max = DEMO_USERS.multi;
				const result = await runNode({
					parameters: { apiVersion: 'current', ...REVOKE_ALL, userId: max.id, additionalFields: { applicationId: DEFAULT_APPLICATION_ID } },
					credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
				});
				expect(result.error).toBeUndefined();
				expect(simulator.requests.map((request) => request.query)).toEqual([{ userId: max.id, applicationId: DEFAULT_APPLICATION_ID }]);
				expect(simulator.users.get(max.id)?.refreshTokens).toEqual([]);
			});
		});
	},
});
