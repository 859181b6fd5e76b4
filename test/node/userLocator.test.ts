import { useRecordingServer } from '../harness/lifecycle';
import type { RecordedRequest, Reply } from '../harness/recordingServer';
import { documentedAnswer } from '../harness/recordingServer';
import { API_KEY, outputJson, runAgainst, USER_ID, visibleText } from '../operations/support';

const EMAIL = 'jane.doe@example.com';
const USERNAME = 'jane';

/** FusionAuth's GET /api/user?email=|username=|loginId=: Jane, or an empty 404. */
function lookups(request: RecordedRequest): Reply {
	if (request.method === 'GET' && request.path === '/api/user') {
		const wanted = request.query.email ?? request.query.username ?? request.query.loginId;
		if (wanted?.toLowerCase() === EMAIL || wanted?.toLowerCase() === USERNAME) {
			return { status: 200, body: { user: { id: USER_ID, email: EMAIL, username: USERNAME, twoFactor: { methods: [] } } } };
		}
		return { status: 404 };
	}
	return documentedAnswer(request);
}

const server = useRecordingServer(lookups);

const locator = (mode: string, value: string) => ({ __rl: true, mode, value });

// Each operation's table checks By ID, From List, By Email, By Username and By Login ID on its
// own request (test/operations/table.ts, "the user picker"). Here: what the locator does wherever it is.
describe('lookups that fail', () => {
	const getUser = { resource: 'user', operation: 'get' };

	test('a user that does not exist fails the item with what was looked for, and nothing else is sent', async () => {
		const cases: Array<[string, string, string]> = [
			['email', 'nobody@example.com', 'No user with email "nobody@example.com"'],
			['username', 'nobody', 'No user with username "nobody"'],
			['loginId', '+15555550123', 'No user with login ID "+15555550123"'],
		];
		for (const [mode, value, message] of cases) {
			server.reset();
			const result = await runAgainst(server, { resource: 'recoveryCode', operation: 'generate', userId: locator(mode, value) });
			expect(result.error?.message).toBe(message);
			expect(result.error?.httpCode).toBe('404');
			expect(server.requests.map((request) => request.method)).toEqual(['GET']);
		}
	});

	test('a lookup that needs a tenant says so (400 [TenantIdRequired])', async () => {
		server.respondWith({
			status: 400,
			body: {
				generalErrors: [
					{
						code: '[TenantIdRequired]',
						message: 'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
					},
				],
			},
		});
		const result = await runAgainst(server, { ...getUser, userId: locator('email', EMAIL) }, { tenantId: '' });
		expect(result.error?.message).toBe('FusionAuth needs a tenant: set Tenant ID in the FusionAuth credential');
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].headers['x-fusionauth-tenantid']).toBeUndefined();
	});

	test('a lookup goes through the transport: turned away with 503, it is sent again', async () => {
		let calls = 0;
		server.respondWith((request) => (request.path === '/api/user' && calls++ === 0 ? { status: 503, headers: { 'Retry-After': '0' } } : lookups(request)));
		const result = await runAgainst(server, { ...getUser, userId: locator('email', EMAIL) });
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/user', 'GET /api/user']);
		expect(outputJson(result)).toEqual([expect.objectContaining({ id: USER_ID, email: EMAIL })]);
	});

	test('a looked-up value cannot add query parameters or change the path: it is sent as one encoded value', async () => {
		const hostile = 'jane@example.com&username=admin/../../x?y=#z';
		const result = await runAgainst(server, { resource: 'recoveryCode', operation: 'get', userId: locator('email', hostile) });
		expect(result.error?.message).toBe(`No user with email ${JSON.stringify(hostile)}`);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].path).toBe('/api/user');
		expect(server.requests[0].query).toEqual({ email: hostile });
	});

	test.each([
		['an ID that is not a UUID', { user: { id: '../../admin' } }],
		['no ID', { user: { email: EMAIL } }],
	])("an answer with %s fails the item: the next request's path takes only a UUID", async (_name, body) => {
		server.respondWith((request) => (request.path === '/api/user' ? { status: 200, body } : documentedAnswer(request)));
		const result = await runAgainst(server, { resource: 'recoveryCode', operation: 'generate', userId: locator('email', EMAIL) });
		expect(result.error?.message).toBe(`User email matched a user without a valid ID in FusionAuth's answer ("${EMAIL}") [item 0]`);
		expect(server.requests).toHaveLength(1);
	});

	test('an answer without a user object fails the item as not what FusionAuth sends', async () => {
		server.respondWith((request) => (request.path === '/api/user' ? { status: 200, body: { users: [] } } : documentedAnswer(request)));
		const result = await runAgainst(server, { resource: 'recoveryCode', operation: 'generate', userId: locator('email', EMAIL) });
		expect(result.error?.message).toMatch(/^FusionAuth's answer to GET \/api\/user is not what FusionAuth sends/);
		expect(server.requests).toHaveLength(1);
	});

	test('the other parameters are checked before the lookup: a bad item sends nothing', async () => {
		const result = await runAgainst(server, {
			resource: 'twoFactor',
			operation: 'disable',
			userId: locator('email', EMAIL),
			code: ' ',
		});
		expect(result.error?.message).toBe('Code is required [item 0]');
		expect(server.requests).toHaveLength(0);
	});

	test.each([
		['id', 'jane@example.com', 'User ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "jane@example.com" [item 0]'],
		['list', '', 'User ID is required [item 0]'],
		['email', '  ', 'User email is required [item 0]'],
		['username', ['jane'], 'User username must be text, not a list [item 0]'],
	])('mode %s with %j from an expression fails before any request', async (mode, value, message) => {
		const result = await runAgainst(server, { ...getUser, userId: locator(mode, '={{ $json.user }}') }, { items: [{ user: value }] });
		expect(result.error?.message).toBe(message);
		expect(server.requests).toHaveLength(0);
	});

	test('a fixed value that is not a UUID By ID, or an empty one, is refused by n8n before the run, with the field named', async () => {
		await expect(runAgainst(server, { ...getUser, userId: locator('id', 'jane@example.com') })).rejects.toThrow(
			'Not a user ID: a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52',
		);
		await expect(runAgainst(server, { ...getUser, userId: locator('list', '') })).rejects.toThrow('Parameter "User" is required');
		expect(server.requests).toHaveLength(0);
	});

	test('a mode the node does not have fails before any request', async () => {
		const result = await runAgainst(server, { ...getUser, userId: locator('url', 'https://example.com') });
		expect(result.error?.message).toBe(
			'User must be picked From List or given By ID, By Email, By Username or By Login ID, not mode "url" [item 0]',
		);
		expect(server.requests).toHaveLength(0);
	});

	test('with a user JWT the locator is not used: no lookup, the JWT names the user', async () => {
		const result = await runAgainst(server, {
			resource: 'twoFactor',
			operation: 'disable',
			authenticateWith: 'jwt',
			jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2ln',
			userId: locator('email', EMAIL),
			methodId: '2KSZ',
			code: '123456',
		});
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['DELETE /api/user/two-factor']);
	});

	test('each item is looked up on its own, and one that is not found does not stop the others (Continue On Fail)', async () => {
		const result = await runAgainst(
			server,
			{ ...getUser, userId: locator('email', '={{ $json.email }}') },
			{ items: [{ email: EMAIL }, { email: 'nobody@example.com' }, { email: EMAIL.toUpperCase() }], onError: 'continueRegularOutput' },
		);
		expect(result.error).toBeUndefined();
		const json = outputJson(result);
		expect(json[0]).toMatchObject({ id: USER_ID });
		expect(json[1]).toEqual({ error: 'No user with email "nobody@example.com"', details: expect.any(Object) });
		expect(json[2]).toMatchObject({ id: USER_ID });
		expect(server.requests.filter((request) => request.path === '/api/user')).toHaveLength(3);
	});

	test('Start Login: the Login ID Types narrow a lookup By Login ID, sent once per type as FusionAuth 1.59 reads them', async () => {
		const result = await runAgainst(server, {
			resource: 'login',
			operation: 'start',
			startBy: 'userId',
			userId: locator('loginId', USERNAME),
			additionalFields: { loginIdTypes: ['username', 'email'] },
		});
		expect(result.error).toBeUndefined();
		expect(server.requests[0].url).toBe('/api/user?loginId=jane&loginIdTypes=username&loginIdTypes=email');
		expect(server.requests[1].body).toEqual({ userId: USER_ID });
		expect(visibleText(result)).not.toContain(API_KEY);
	});
});
