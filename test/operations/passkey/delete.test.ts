import { useSimulator } from '../../harness/lifecycle';
import { runNode } from '../../harness/n8n';
import { DEMO_USERS } from '../../simulator/server';
import { describeOperation } from '../table';

const DELETE = { resource: 'passkey', operation: 'delete' };
const PASSKEY_ID = '3f2c9a10-6b7d-4e8f-9a0b-1c2d3e4f5a6b';

describeOperation({
	agentRefusal: "Delete (passkey) is not available to AI agents: it deletes a user's passkey, a way to sign in",
	resource: 'passkey',
	operation: 'delete',
	editor: {
		action: 'Delete a passkey',
		panels: { current: { fields: ['passkeyId'], required: ['passkeyId'] } },
	},
	samples: { current: { ...DELETE, passkeyId: PASSKEY_ID } },
	answersWithBody: false,
	requests: [
		{ name: 'DELETE /api/webauthn/{id} = deleteWebAuthnCredential', parameters: { ...DELETE, passkeyId: PASSKEY_ID }, client: (client) => client.deleteWebAuthnCredential(PASSKEY_ID) },
	],
	statuses: [
		{ name: 'delete', parameters: { ...DELETE, passkeyId: PASSKEY_ID }, statuses: [400, 401, 404, 500], messages: { 404: `Passkey ${PASSKEY_ID} not found` } },
	],
	errors: [
		{ name: 'a Passkey ID that is not a UUID', parameters: { ...DELETE, passkeyId: 'all' }, message: /^Passkey ID must be a UUID/ },
	],
	more: () => {
		describe('against the simulator', () => {
			const simulator = useSimulator();
			test('deletes that passkey only', async () => {
				const max = DEMO_USERS.multi;
				const [phone, key] = max.passkeys;
				const result = await runNode({
					parameters: { apiVersion: 'current', ...DELETE, passkeyId: phone.id },
					credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
				});
				expect(result.error).toBeUndefined();
				expect(result.output.map((item) => item.json)).toEqual([{ success: true }]);
				expect(simulator.users.get(max.id)?.passkeys.map((passkey) => passkey.id)).toEqual([key.id]);
			});
		});
	},
});
