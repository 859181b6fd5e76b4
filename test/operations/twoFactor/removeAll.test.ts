import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { INodeParameters } from 'n8n-workflow';

import { useRecordingServer, useSimulator } from '../../harness/lifecycle';
import type { RunResult } from '../../harness/n8n';
import { NODE_TYPE, runNode } from '../../harness/n8n';
import type { RecordedRequest, Reply } from '../../harness/recordingServer';
import { onTheWire } from '../../harness/wire';
import { DEMO_USERS } from '../../simulator/server';
import { describeOperation, runOperation } from '../table';
import { API_KEY, outputJson, runAgainst, TENANT_ID, USER_ID, visibleText } from '../support';

const { multi: max, noMethods: nora, authenticator: alice, emptyMethods: emma } = DEMO_USERS;

const removeAll = (userId: unknown, options: INodeParameters = {}): INodeParameters =>
	({ resource: 'twoFactor', operation: 'removeAll', userId, options: { retryDelay: 100, ...options } }) as INodeParameters;
const byEmail = (email: string) => ({ __rl: true, mode: 'email', value: email });

/** A user with one method, so that Remove All goes on after reading the user. */
const withMethod = (code: string) => (request: RecordedRequest): Reply => {
	if (request.method === 'GET') return { status: 200, body: { user: { id: USER_ID, twoFactor: { methods: [{ id: '2KSZ', method: 'authenticator' }] } } } };
	if (request.method === 'POST') return { status: 200, body: { recoveryCodes: [code, 'ZLQ45-HK5X4'] } };
	return { status: 200 };
};

describeOperation({
	agentRefusal: 'Remove All (twoFactor) is not available to AI agents: it removes every second factor of a user',
	resource: 'twoFactor',
	operation: 'removeAll',
	usesLookedUpUser: true,
	editor: {
		action: 'Remove all two factor methods of a user',
		panels: {
			current: { fields: ['userId'], required: ['userId'] },
		},
	},
	samples: { current: { resource: 'twoFactor', operation: 'removeAll', userId: USER_ID } },
	// Its first request reads the user, which FusionAuth always answers with a body.
	answersWithBody: true,
	requests: [
		{
			// The documented answer has a user without methods: nothing more is sent.
			name: 'first GET /api/user/{userId} = retrieveUser, to know the methods',
			parameters: { resource: 'twoFactor', operation: 'removeAll', userId: USER_ID },
			client: (client) => client.retrieveUser(USER_ID),
		},
	],
	// Its first request, reading the user, answered with each status FusionAuth documents for it.
	statuses: [
		{
			name: 'reading the user',
			parameters: { resource: 'twoFactor', operation: 'removeAll', userId: USER_ID },
			statuses: [400, 401, 404, 500],
			messages: { 404: `User ${USER_ID} not found` },
		},
	],
	errors: [
		{
			name: 'is not offered for FusionAuth 1.25 and earlier',
			apiVersion: 'legacy',
			parameters: { resource: 'twoFactor', operation: 'removeAll', userId: USER_ID },
			message: /needs FusionAuth 1\.26 or later/,
		},
	],
	more: (server) => {
		test('then POST /api/user/two-factor/recovery-code/{userId} = generateTwoFactorRecoveryCodes, and DELETE /api/user/two-factor/{userId}?code= with one of them (API notes)', async () => {
			server.respondWith(withMethod('3VKPR-YNTGQ'));
			const result = await runOperation(server.url, 'current', { resource: 'twoFactor', operation: 'removeAll', userId: USER_ID });
			expect(result.error).toBeUndefined();
			const sent = server.requests.map(onTheWire);
			expect(sent).toHaveLength(3);

			server.reset();
			const client = new FusionAuthClient(API_KEY, server.url, TENANT_ID);
			await client.retrieveUser(USER_ID);
			await client.generateTwoFactorRecoveryCodes(USER_ID);
			const fromClient = server.requests.map(onTheWire);
			// The client labels its empty POST text/plain; without a body the type says nothing.
			expect(sent.slice(0, 2)).toEqual(fromClient.map((request) => ({ ...request, contentType: undefined })));
			// The client's disableTwoFactor would send methodId=undefined: with a recovery code and no methodId, FusionAuth removes every method.
			expect(sent[2]).toEqual({
				method: 'DELETE',
				url: `/api/user/two-factor/${USER_ID}?code=3VKPR-YNTGQ`,
				authorization: API_KEY,
				tenantId: TENANT_ID,
				contentType: undefined,
				body: undefined,
			});
		});

		describe('against the simulator', () => {
			const simulator = useSimulator();

			const run = async (parameters: INodeParameters, onError?: 'continueRegularOutput'): Promise<RunResult> =>
				await runNode({ parameters, credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey }, onError });

			/** The recovery code the node disabled with, as FusionAuth received it. */
			const codeSent = () => simulator.requests.find((request) => request.method === 'DELETE')?.query.code;

			test('By Email: finds the user, issues recovery codes, removes every method with one, and outputs what was removed', async () => {
				const result = await run(removeAll(byEmail(max.email!)));
				expect(result.error).toBeUndefined();
				expect(outputJson(result)).toEqual([
					{
						userId: max.id,
						removedMethods: [
							{ id: 'MX2A', method: 'authenticator', name: 'Authy', authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } },
							{ id: 'MX3E', method: 'email', email: 'max.multi@example.com' },
							{ id: 'MX4S', method: 'sms', mobilePhone: '+15555550100', name: 'Mobile' },
						],
					},
				]);
				expect(simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
					'GET /api/user',
					`POST /api/user/two-factor/recovery-code/${max.id}`,
					`DELETE /api/user/two-factor/${max.id}`,
				]);
				// One code, no methodId: FusionAuth removes every method.
				expect(Object.keys(simulator.requests[2].query)).toEqual(['code']);
				expect(simulator.users.get(max.id)?.methods).toEqual([]);
			});

			test('never outputs the recovery codes, nor a method secret', async () => {
				const result = await run(removeAll(alice.id));
				expect(result.error).toBeUndefined();
				const code = codeSent();
				expect(code).toMatch(/\S/);
				const shown = visibleText(result);
				expect(shown).not.toContain(code);
				expect(shown).not.toContain('recoveryCodes');
				expect(shown).not.toMatch(/secret/i);
				expect(simulator.users.get(alice.id)?.methods).toEqual([]);
			});

			test('By ID: reads the user first to know the methods', async () => {
				const result = await run(removeAll(max.id));
				expect(result.error).toBeUndefined();
				expect(simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
					`GET /api/user/${max.id}`,
					`POST /api/user/two-factor/recovery-code/${max.id}`,
					`DELETE /api/user/two-factor/${max.id}`,
				]);
			});

			test.each([
				['without a twoFactor property', nora],
				['with an empty methods list', emma],
			])('a user %s: the item says so and nothing is changed or issued', async (_name, user) => {
				const result = await run(removeAll(byEmail(user.email!)));
				expect(outputJson(result)).toEqual([{ userId: user.id, removedMethods: [], message: 'The user has no two factor method: nothing was changed' }]);
				expect(simulator.requests.map((request) => request.method)).toEqual(['GET']);
			});

			test('a user that does not exist fails the item in the lookup, and nothing else is sent', async () => {
				const result = await run(removeAll(byEmail('nobody@example.com')));
				expect(result.error?.message).toBe('No user with email "nobody@example.com"');
				expect(simulator.requests).toHaveLength(1);
			});

			test('a broken connection on the recovery-code request is not sent again, and nothing is removed', async () => {
				simulator.setFaults({ dropFirst: 1, dropAfterHandling: true, paths: ['/api/user/two-factor/recovery-code'] });
				const result = await run(removeAll(max.id));
				expect(result.error?.description).toMatch(/Not sent again/);
				expect(simulator.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
				expect(simulator.requests.filter((request) => request.method === 'DELETE')).toHaveLength(0);
				expect(simulator.users.get(max.id)?.methods).toHaveLength(3);
			});

			test('a broken connection on the disable is not sent again, and the error says codes were issued and the outcome is open', async () => {
				// Only the DELETE's path: the recovery-code POST is under /api/user/two-factor/recovery-code/.
				simulator.setFaults({ dropFirst: 1, dropAfterHandling: true, paths: [`/api/user/two-factor/${max.id}`] });
				const result = await run(removeAll(max.id));
				expect(result.error?.message).toMatch(/^New recovery codes were issued; whether the methods were removed is not known: /);
				expect(result.error?.description).toMatch(/Not sent again/);
				expect(simulator.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
				expect(codeSent()).toMatch(/\S/);
				expect(visibleText(result)).not.toContain(codeSent());
			});

			test('is not available to AI agents, and the user keeps every method', async () => {
				const result = await runNode({
					parameters: removeAll(max.id),
					credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
					nodeType: `${NODE_TYPE}Tool`,
				});
				expect(result.error?.message).toMatch(/not available to AI agents/);
				expect(simulator.requests).toHaveLength(0);
				expect(simulator.users.get(max.id)?.methods).toHaveLength(3);
			});
		});

		describe('when FusionAuth refuses the disable', () => {
			const CODES = ['3VKPR-YNTGQ', 'ZLQ45-HK5X4'];
			const refusing = useRecordingServer((request: RecordedRequest): Reply => (request.method === 'DELETE' ? { status: 421 } : withMethod(CODES[0])(request)));

			test('the error says new recovery codes were issued and no method was removed, without the codes', async () => {
				const result = await runAgainst(refusing, removeAll(USER_ID));
				expect(result.error?.message).toBe('New recovery codes were issued and no method was removed: The two factor code is invalid or expired');
				expect(result.error?.description).toMatch(/earlier recovery codes no longer work/);
				expect(refusing.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'DELETE']);
				expect(refusing.requests[2].query).toEqual({ code: CODES[0] });
				const shown = visibleText(result);
				for (const code of CODES) expect(shown).not.toContain(code);
			});

			test('an answer without recovery codes fails the item before any disable', async () => {
				refusing.respondWith((request) =>
					request.method === 'GET'
						? { status: 200, body: { user: { id: USER_ID, twoFactor: { methods: [{ id: '2KSZ', method: 'email' }] } } } }
						: { status: 200, body: { recoveryCodes: [] } },
				);
				const result = await runAgainst(refusing, removeAll(USER_ID));
				expect(result.error?.message).toMatch(/got no recovery code from FusionAuth .* nothing was removed/);
				expect(refusing.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
			});
		});
	},
});
