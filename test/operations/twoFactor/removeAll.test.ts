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
/** Remove All as the lost-device runbook: also the passkeys, and Sign Out Everywhere. */
const runbook = (userId: unknown, options: INodeParameters = {}): INodeParameters => ({
	...removeAll(userId, options),
	additionalFields: { deletePasskeys: true, signOut: true },
});
const PASSKEY = { id: '3f2c9a10-6b7d-4e8f-9a0b-1c2d3e4f5a6b', userId: USER_ID, displayName: 'Phone', publicKey: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n' };
/** FusionAuth for the runbook: a user with one method and one passkey; `refuse` answers one step with a status. */
const runbookAnswers = (refuse?: { method: string; path: string; status: number }) => (request: RecordedRequest): Reply => {
	if (refuse !== undefined && request.method === refuse.method && request.path.startsWith(refuse.path)) return { status: refuse.status };
	if (request.path === '/api/webauthn') return request.method === 'GET' ? { status: 200, body: { credentials: [PASSKEY] } } : { status: 200 };
	return withMethod('3VKPR-YNTGQ')(request);
};

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
			current: { fields: ['userId', 'additionalFields'], required: ['userId'] },
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

		describe('as the lost-device runbook (Also Delete Passkeys, Sign Out Everywhere)', () => {
			test('each new request equals the official client\'s, with and without a tenant: retrieveWebAuthnCredentialsForUser, deleteWebAuthnCredentialsForUser, revokeRefreshTokensByUserId', async () => {
				for (const tenantId of [TENANT_ID, '']) {
					server.reset();
					server.respondWith(runbookAnswers());
					const result = await runAgainst(server, runbook(USER_ID), { tenantId });
					expect(result.error).toBeUndefined();
					const sent = server.requests.map(onTheWire);
					expect(sent.map((request) => `${request.method} ${request.url.replace(/\?.*/, '')}`)).toEqual([
						`GET /api/user/${USER_ID}`,
						'GET /api/webauthn',
						'DELETE /api/webauthn',
						`POST /api/user/two-factor/recovery-code/${USER_ID}`,
						`DELETE /api/user/two-factor/${USER_ID}`,
						'DELETE /api/jwt/refresh',
					]);

					server.reset();
					const client = new FusionAuthClient(API_KEY, server.url, tenantId === '' ? undefined : tenantId);
					await client.retrieveWebAuthnCredentialsForUser(USER_ID);
					await client.deleteWebAuthnCredentialsForUser(USER_ID);
					await client.revokeRefreshTokensByUserId(USER_ID);
					expect([sent[1], sent[2], sent[5]]).toEqual(server.requests.map(onTheWire));
				}
			});

			test('outputs what it did: the methods removed, the number of passkeys deleted, signedOut', async () => {
				server.respondWith(runbookAnswers());
				const result = await runAgainst(server, runbook(USER_ID));
				expect(outputJson(result)).toEqual([{ userId: USER_ID, removedMethods: [{ id: '2KSZ', method: 'authenticator' }], deletedPasskeys: 1, signedOut: true }]);
				expect(visibleText(result)).not.toContain('BEGIN PUBLIC KEY');
			});

			test('without the options (as saved workflows have it) it sends nothing to the passkeys or sessions', async () => {
				server.respondWith(runbookAnswers());
				const result = await runAgainst(server, { ...removeAll(USER_ID), additionalFields: { deletePasskeys: false, signOut: false } });
				expect(outputJson(result)).toEqual([{ userId: USER_ID, removedMethods: [{ id: '2KSZ', method: 'authenticator' }] }]);
				expect(server.requests.map((request) => request.path)).toEqual([`/api/user/${USER_ID}`, `/api/user/two-factor/recovery-code/${USER_ID}`, `/api/user/two-factor/${USER_ID}`]);
			});

			test('the passkeys refused (a license FusionAuth needs): nothing changed, and the error lists every step as not done', async () => {
				server.respondWith(runbookAnswers({ method: 'DELETE', path: '/api/webauthn', status: 400 }));
				const result = await runAgainst(server, runbook(USER_ID));
				expect(result.error?.message).toBe('FusionAuth rejected the request');
				expect(result.error?.description).toContain(
					"Done: nothing.\nFailed: delete the user's passkeys (Passkey > Delete All).\nNot done: remove the two factor methods (Remove All without its options); sign the user out everywhere (Session > Sign Out Everywhere).",
				);
				expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET /api/user/${USER_ID}`, 'GET /api/webauthn', 'DELETE /api/webauthn']);
			});

			test('the methods refused: the passkeys were deleted, the codes issued, the user not signed out, and the error says so', async () => {
				server.respondWith(runbookAnswers({ method: 'DELETE', path: '/api/user/two-factor/', status: 421 }));
				const result = await runAgainst(server, runbook(USER_ID));
				expect(result.error?.message).toBe('deleted 1 passkey; then: New recovery codes were issued and no method was removed: The two factor code is invalid or expired');
				expect(result.error?.description).toContain(
					'Done: deleted 1 passkey.\nFailed: remove the two factor methods (Remove All without its options).\nNot done: sign the user out everywhere (Session > Sign Out Everywhere).',
				);
				expect(server.requests.filter((request) => request.path === '/api/jwt/refresh')).toEqual([]);
				expect(visibleText(result)).not.toContain('3VKPR-YNTGQ');
			});

			test('no passkeys: no DELETE of them, and a later failure says none was found', async () => {
				server.respondWith((request) =>
					request.path === '/api/webauthn' ? { status: 200, body: { credentials: [] } } : runbookAnswers({ method: 'DELETE', path: '/api/user/two-factor/', status: 421 })(request),
				);
				const result = await runAgainst(server, runbook(USER_ID));
				expect(result.error?.message).toBe('found no passkey to delete; then: New recovery codes were issued and no method was removed: The two factor code is invalid or expired');
				expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
					`GET /api/user/${USER_ID}`,
					'GET /api/webauthn',
					`POST /api/user/two-factor/recovery-code/${USER_ID}`,
					`DELETE /api/user/two-factor/${USER_ID}`,
				]);
			});

			test('the sign-out refused (a key without /api/jwt/refresh DELETE): everything else was done, and the error says what is left', async () => {
				server.respondWith(runbookAnswers({ method: 'DELETE', path: '/api/jwt/refresh', status: 401 }));
				const result = await runAgainst(server, runbook(USER_ID));
				expect(result.error?.message).toBe('deleted 1 passkey; removed the two factor method; then: FusionAuth rejected the API key');
				expect(result.error?.description).toContain('Failed: sign the user out everywhere (Session > Sign Out Everywhere).');
				expect(result.error?.description).not.toContain('Not done');
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

			test('the runbook By Email: deletes the passkeys, removes every method, signs the user out, in that order', async () => {
				const result = await run(runbook(byEmail(max.email!)));
				expect(result.error).toBeUndefined();
				expect(outputJson(result)).toEqual([
					{
						userId: max.id,
						removedMethods: [
							{ id: 'MX2A', method: 'authenticator', name: 'Authy', authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } },
							{ id: 'MX3E', method: 'email', email: 'max.multi@example.com' },
							{ id: 'MX4S', method: 'sms', mobilePhone: '+15555550100', name: 'Mobile' },
						],
						deletedPasskeys: 2,
						signedOut: true,
					},
				]);
				// The recovery code stands as <code>: a new one each run.
				const shown = (query: Record<string, unknown>) => JSON.stringify(query).replace(/"code":"[A-Z0-9]{5}-[A-Z0-9]{5}"/, '"code":<code>');
				expect(simulator.requests.map((request) => `${request.method} ${request.path} ${shown(request.query)}`)).toEqual([
					`GET /api/user {"email":"${max.email}"}`,
					`GET /api/webauthn {"userId":"${max.id}"}`,
					`DELETE /api/webauthn {"userId":"${max.id}"}`,
					`POST /api/user/two-factor/recovery-code/${max.id} {}`,
					`DELETE /api/user/two-factor/${max.id} {"code":<code>}`,
					`DELETE /api/jwt/refresh {"userId":"${max.id}"}`,
				]);
				const after = simulator.users.get(max.id);
				expect([after?.methods, after?.passkeys, after?.refreshTokens]).toEqual([[], [], []]);
			});

			test('the runbook for a user without methods or passkeys: signs out only, and says so', async () => {
				const result = await run(runbook(byEmail(nora.email!)));
				expect(outputJson(result)).toEqual([{ userId: nora.id, removedMethods: [], deletedPasskeys: 0, signedOut: true, message: 'The user has no two factor method: none was removed' }]);
				expect(simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/user', 'GET /api/webauthn', 'DELETE /api/jwt/refresh']);
			});

			test('the runbook run again: nothing left to delete or remove, the user signed out again', async () => {
				expect((await run(runbook(max.id))).error).toBeUndefined();
				simulator.requests.length = 0;
				const again = await run(runbook(max.id));
				expect(outputJson(again)).toEqual([{ userId: max.id, removedMethods: [], deletedPasskeys: 0, signedOut: true, message: 'The user has no two factor method: none was removed' }]);
				expect(simulator.requests.map((request) => request.method)).toEqual(['GET', 'GET', 'DELETE']);
			});

			test.each([
				['DELETE /api/webauthn', '/api/webauthn', 'DELETE'],
				['DELETE /api/jwt/refresh', '/api/jwt/refresh', 'DELETE'],
			])('a broken connection on %s is not sent again; the error says FusionAuth may have acted', async (_name, path, method) => {
				simulator.setFaults({ dropFirst: 1, dropAfterHandling: true, paths: [path], methods: [method] });
				const result = await run(runbook(max.id));
				expect(result.error?.description).toMatch(/Not sent again/);
				expect(simulator.requests.filter((request) => request.method === method && request.path === path)).toHaveLength(1);
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
