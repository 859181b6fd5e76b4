import { useSimulator } from '../../harness/lifecycle';
import { runNode } from '../../harness/n8n';
import { DEMO_USERS } from '../../simulator/server';
import { describeOperation } from '../table';
import { USER_ID } from '../support';

const DELETE_ALL = { resource: 'passkey', operation: 'deleteAll' };

describeOperation({
	agentRefusal: 'Delete All (passkey) is not available to AI agents: it deletes every passkey of a user, their ways to sign in',
	resource: 'passkey',
	operation: 'deleteAll',
	editor: {
		action: 'Delete all passkeys of a user',
		panels: { current: { fields: ['userId'], required: ['userId'] } },
	},
	samples: { current: { ...DELETE_ALL, userId: USER_ID } },
	answersWithBody: false,
	emptyAnswerOutput: { userId: USER_ID, success: true },
	requests: [
		{ name: 'DELETE /api/webauthn?userId= = deleteWebAuthnCredentialsForUser', parameters: { ...DELETE_ALL, userId: USER_ID }, client: (client) => client.deleteWebAuthnCredentialsForUser(USER_ID) },
	],
	statuses: [
		{ name: 'delete all', parameters: { ...DELETE_ALL, userId: USER_ID }, statuses: [400, 401, 404, 500], messages: { 404: `User ${USER_ID} not found` } },
	],
	errors: [{ name: 'a malformed user ID', parameters: { ...DELETE_ALL, userId: '..' }, message: /^User ID must be a UUID/ }],
	more: () => {
		describe('against the simulator', () => {
			const simulator = useSimulator();
			test("By Email: deletes every passkey of that user, and no one else's", async () => {
				const max = DEMO_USERS.multi;
				const other = simulator.users.add({ id: '00000000-0000-4000-8000-0000000000a1', email: 'pat@example.com', passkeys: [{ displayName: 'Pixel' }] });
				const result = await runNode({
					parameters: { apiVersion: 'current', ...DELETE_ALL, userId: { __rl: true, mode: 'email', value: max.email } },
					credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
				});
				expect(result.error).toBeUndefined();
				expect(result.output.map((item) => item.json)).toEqual([{ userId: max.id, success: true }]);
				expect(simulator.users.get(max.id)?.passkeys).toEqual([]);
				expect(simulator.users.get(other.id)?.passkeys).toHaveLength(1);
				expect(simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/user', 'DELETE /api/webauthn']);
			});
		});
	},
});
