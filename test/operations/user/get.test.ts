import type { IDataObject } from 'n8n-workflow';

import { API_KEY, runAgainst, USER_ID, wire } from '../support';
import type { OutputCase } from '../table';
import { describeOperation, failures, runOperation } from '../table';

const GET = { resource: 'user', operation: 'get' };
const METHOD = { id: '2KSZ', method: 'authenticator', authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } };
const BASE = { id: USER_ID, email: 'jane@example.com', active: true };
const MISSING_USER = '00000000-0000-0000-0000-000000000404';

/** The user FusionAuth answers, and the output: the user plus twoFactorEnabled and its methods. */
function derived(name: string, user: IDataObject, enabled: boolean, methods: IDataObject[], apiVersion: 'current' | 'legacy' = 'current'): OutputCase {
	return {
		name: `${name}: the user plus twoFactorEnabled ${enabled} and its methods`,
		apiVersion,
		parameters: { ...GET, userId: USER_ID },
		answer: { status: 200, body: { user } },
		output: (output, requests) => {
			expect(output).toEqual([{ ...user, twoFactorEnabled: enabled, twoFactorMethods: methods }]);
			expect(wire(requests[0])).toMatchObject({ method: 'GET', path: `/api/user/${USER_ID}`, authorization: API_KEY });
		},
	};
}

describeOperation({
	resource: 'user',
	operation: 'get',
	usesLookedUpUser: true,
	editor: {
		action: 'Get a user',
		panels: {
			current: { fields: ['userId'], required: ['userId'] },
			legacy: { fields: ['userId'], required: ['userId'] },
		},
	},
	samples: {
		current: { ...GET, userId: USER_ID },
		legacy: { ...GET, userId: USER_ID },
	},
	answersWithBody: true,
	agentOutput: {
		current: (output) => {
			expect(output).toMatchObject({ id: USER_ID, email: 'jane@example.com', username: 'jane', twoFactorEnabled: true });
			expect(output.twoFactorMethods).toEqual([expect.objectContaining({ id: 'M1AB', method: 'authenticator' })]);
		},
		legacy: (output) => expect(output).toMatchObject({ id: USER_ID, twoFactorEnabled: true }),
	},
	requests: [
		{ name: '= retrieveUser', parameters: { ...GET, userId: USER_ID }, client: (client) => client.retrieveUser(USER_ID) },
		{ name: 'legacy = retrieveUser', apiVersion: 'legacy', parameters: { ...GET, userId: USER_ID }, client: (client) => client.retrieveUser(USER_ID) },
	],
	outputs: [
		derived('a current user with a method', { ...BASE, twoFactor: { methods: [METHOD] } }, true, [METHOD]),
		derived('a current user without twoFactor', { ...BASE }, false, []),
		derived('a current user with twoFactor {}', { ...BASE, twoFactor: {} }, false, []),
		derived('a current user with no methods', { ...BASE, twoFactor: { methods: [], recoveryCodes: [] } }, false, []),
		derived('a legacy user with two factor on', { ...BASE, twoFactorEnabled: true, twoFactorDelivery: 'None' }, true, []),
		derived('a legacy user with two factor off', { ...BASE, twoFactorEnabled: false }, false, []),
		// Derived the same way whichever API version is selected.
		derived('the legacy API version, a current user with a method', { ...BASE, twoFactor: { methods: [METHOD] } }, true, [METHOD], 'legacy'),
		{
			name: 'the API key goes out raw, as the client sends it',
			parameters: { ...GET, userId: USER_ID },
			output: (_, requests) => expect(wire(requests[0]).authorization).toBe(API_KEY),
		},
	],
	errors: [{ name: 'a malformed user ID', parameters: { ...GET, userId: '..' }, message: /^User ID must be a UUID/ }],
	statuses: [
		{ name: 'current', parameters: { ...GET, userId: USER_ID }, statuses: [400, 401, 404, 500], messages: { 404: `User ${USER_ID} not found` } },
		{ name: 'legacy', apiVersion: 'legacy', parameters: { ...GET, userId: USER_ID }, statuses: [401, 404, 500], messages: { 404: `User ${USER_ID} not found` } },
	],
	more: (server) => {
		test('with the error output, a failing lookup becomes an error item and the next item still runs', async () => {
			server.respondWith((request) => (request.path.endsWith(MISSING_USER) ? { status: 404 } : { status: 200, body: { user: { id: USER_ID, twoFactor: {} } } }));
			const result = await runAgainst(server, { ...GET, userId: '={{ $json.id }}' }, { items: [{ id: MISSING_USER }, { id: USER_ID }], onError: 'continueErrorOutput' });
			expect(result.errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual([[`User ${MISSING_USER} not found`, { item: 0 }]]);
			expect(result.output.map((item) => [item.json.id, item.pairedItem])).toEqual([[USER_ID, { item: 1 }]]);
		});


		test('an answer without the fields FusionAuth sends names what it lacks and its field names, never their values', async () => {
			server.respondWith({ status: 200, body: { users: [{ secret: 'VALUE-NOT-SHOWN' }], token: 'TOKEN-NOT-SHOWN' } });
			const result = await runOperation(server.url, 'current', { ...GET, userId: USER_ID }, { onError: 'continueRegularOutput' });
			const [error] = failures(result);
			expect(error.message).toBe(
				"FusionAuth's answer to GET /api/user/{userId} is not what FusionAuth sends: a JSON object without user (its fields: users, token), where FusionAuth sends a JSON object with user (object)",
			);
			expect(error.description).toContain('Status 200, Content-Type application/json, JSON.');
			expect(JSON.stringify(result.output)).not.toMatch(/NOT-SHOWN/);
		});
	},
});
