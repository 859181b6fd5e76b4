/**
 * Case 5: a successful status with something that is not FusionAuth's answer (a proxy's login
 * page, an empty body where FusionAuth always sends one, a JSON array) fails the item and says what
 * came back, never a value from it; and every input item gives exactly one output item.
 */
import type { INodeParameters } from 'n8n-workflow';

import { oneItemEach } from '../harness/expectations';
import { useHostileServer } from '../harness/lifecycle';
import { errors, runAt, USER_ID } from './support';

const server = useHostileServer();

const LOGIN_PAGE = '<html><head><title>Sign in to the proxy</title></head><body>...</body></html>';

function answer(status: number, contentType: string | undefined, body: string) {
	server.respondWith((_, response) => {
		response.writeHead(status, contentType ? { 'Content-Type': contentType } : {});
		response.end(body);
	});
}

const operations: Array<[string, 'current' | 'legacy', INodeParameters]> = [
	['Enable', 'current', { resource: 'twoFactor', operation: 'enable', userId: USER_ID, method: 'authenticator', code: '123456', secret: 'DlOdmbsOiI4Nk7n3oUIhOw==' }],
	['Enable (legacy)', 'legacy', { resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'DlOdmbsOiI4Nk7n3oUIhOw==' }],
	['Disable', 'current', { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: 'M1AB', code: '123456' }],
	['Disable (legacy)', 'legacy', { resource: 'twoFactor', operation: 'disable', userId: USER_ID, code: '123456' }],
	['Generate Secret', 'current', { resource: 'secret', operation: 'generate' }],
	['Generate Secret (legacy)', 'legacy', { resource: 'secret', operation: 'generate' }],
	['Get User', 'current', { resource: 'user', operation: 'get', userId: USER_ID }],
	['Get User (legacy)', 'legacy', { resource: 'user', operation: 'get', userId: USER_ID }],
	['Get Many Users', 'current', { resource: 'user', operation: 'getMany', returnAll: true }],
	['Get Many Users (legacy)', 'legacy', { resource: 'user', operation: 'getMany', returnAll: true }],
	['Start Login', 'current', { resource: 'login', operation: 'start', userId: USER_ID }],
	['Complete Login', 'current', { resource: 'login', operation: 'complete', twoFactorId: 'tfid', code: '123456' }],
	['Generate Recovery Codes', 'current', { resource: 'recoveryCode', operation: 'generate', userId: USER_ID }],
];

const run = async (apiVersion: 'current' | 'legacy', parameters: INodeParameters, items = [{}]) =>
	await runAt(server.url, { ...parameters, apiVersion }, { items, onError: 'continueRegularOutput' });

test.each(operations)('%s: a 200 HTML page fails the item, naming status, type and its start', async (_, apiVersion, parameters) => {
	answer(200, 'text/html; charset=utf-8', LOGIN_PAGE);
	const result = await run(apiVersion, parameters);
	const [error] = errors(result);
	expect(error.message).toMatch(/^FusionAuth's answer to (GET|POST|DELETE) \/api\/\S+ is not what FusionAuth sends: text that is not JSON, where FusionAuth sends /);
	expect(error.description).toContain('Status 200, Content-Type text/html, starting "<html><head><title>Sign in to the proxy</title>');
	expect(result.output).toHaveLength(1);
});

test.each(operations.filter(([title]) => /Secret|User|Login|Recovery/.test(title)))(
	'%s: an empty 200, where FusionAuth always sends a body, fails the item',
	async (_, apiVersion, parameters) => {
		answer(200, undefined, '');
		const result = await run(apiVersion, parameters);
		expect(errors(result)[0].message).toMatch(/is not what FusionAuth sends: an empty body, where FusionAuth sends a JSON object/);
	},
);

test.each(operations)('%s: a JSON array for 3 items gives exactly 3 items, each an error', async (_, apiVersion, parameters) => {
	answer(200, 'application/json', JSON.stringify([{ id: 'a' }, { id: 'b' }]));
	const result = await run(apiVersion, parameters, [{}, {}, {}]);
	const items = oneItemEach(result.output, 3);
	for (const item of items) expect(String(item.json.error)).toMatch(/is not what FusionAuth sends: a JSON array/);
});

test('an answer without the fields FusionAuth sends names what it lacks and its field names, never their values', async () => {
	answer(200, 'application/json', JSON.stringify({ users: [{ secret: 'VALUE-NOT-SHOWN' }], token: 'TOKEN-NOT-SHOWN' }));
	const result = await run('current', { resource: 'user', operation: 'get', userId: USER_ID });
	const [error] = errors(result);
	expect(error.message).toBe(
		"FusionAuth's answer to GET /api/user/{userId} is not what FusionAuth sends: a JSON object without user (its fields: users, token), where FusionAuth sends a JSON object with user (object)",
	);
	expect(error.description).toContain('Status 200, Content-Type application/json, JSON.');
	expect(JSON.stringify(result.output)).not.toMatch(/NOT-SHOWN/);
});

test('a body FusionAuth may leave empty stays a success: Disable answers 200 without a body', async () => {
	answer(200, undefined, '');
	const result = await run('current', { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: 'M1AB', code: '123456' });
	expect(result.output.map((item) => item.json)).toEqual([{ success: true }]);
});
