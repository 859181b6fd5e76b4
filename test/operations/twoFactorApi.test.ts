import type { IDataObject } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { loadedPackage, NODE_TYPE } from '../harness/n8n';
import {
	ACCESS_TOKEN,
	API_KEY,
	APPLICATION_ID,
	outputJson,
	runAgainst,
	TENANT_ID,
	TWO_FACTOR_ID,
	USER_ID,
	visibleText,
	wire,
} from './support';

const RECOVERY_CODES = ['2XJQY-7KDL3', 'BX4QH-N8RT6', 'C9WQ2-LMK3P', 'D7TZ5-QWE2R', 'E3RT8-YUI9O', 'F6GH1-JKL4Z', 'G2XC7-VBN8M', 'H5QW3-ERT6Y', 'J8UI4-OPA1S', 'K1DF9-GHJ2K'];

const server = useRecordingServer();

describe('twoFactor.update', () => {
	const parameters = { resource: 'twoFactor', operation: 'update', userId: USER_ID, methodId: ' 2KSZ ', name: 'Work phone' };

	test('renames the method: PUT with methodId in the query and the body, empty answer = success', async () => {
		const result = await runAgainst(server, parameters);
		expect(outputJson(result)).toEqual([{ success: true }]);
		expect(wire(server.requests[0])).toEqual({
			method: 'PUT',
			path: `/api/user/two-factor/${USER_ID}`,
			query: { methodId: '2KSZ' },
			authorization: API_KEY,
			tenantId: TENANT_ID,
			contentType: 'application/json',
			body: { methodId: '2KSZ', name: 'Work phone' },
		});
	});

	test.each([
		[{ name: '  ' }, 'Name is required [item 0]'],
		[{ methodId: ' ' }, 'Method ID is required [item 0]'],
		[{ userId: 'jane' }, 'User ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "jane" [item 0]'],
	])('%j fails before any request', async (change, message) => {
		const result = await runAgainst(server, { ...parameters, ...change });
		expect(result.error?.message).toBe(message);
		expect(server.requests).toHaveLength(0);
	});

	test('is not offered for FusionAuth 1.25 and earlier', async () => {
		const result = await runAgainst(server, { ...parameters, apiVersion: 'legacy' });
		expect(result.error?.message).toMatch(/needs FusionAuth 1\.26 or later/);
		expect(server.requests).toHaveLength(0);
	});
});

describe('recoveryCode', () => {
	test.each([
		['generate', 'POST'],
		['get', 'GET'],
	])('%s: %s /api/user/two-factor/recovery-code/{userId}, the ten codes out', async (operation, method) => {
		server.respondWith({ status: 200, body: { recoveryCodes: RECOVERY_CODES } });
		const result = await runAgainst(server, { resource: 'recoveryCode', operation, userId: USER_ID });
		expect(outputJson(result)).toEqual([{ recoveryCodes: RECOVERY_CODES }]);
		expect(wire(server.requests[0])).toEqual({
			method,
			path: `/api/user/two-factor/recovery-code/${USER_ID}`,
			query: {},
			authorization: API_KEY,
			tenantId: TENANT_ID,
			contentType: undefined,
			body: undefined,
		});
	});

	test('one request and one output per user, paired', async () => {
		const other = '0d8a7c6b-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
		server.respondWith((request) => ({ status: 200, body: { recoveryCodes: [request.path.slice(-4)] } }));
		const result = await runAgainst(
			server,
			{ resource: 'recoveryCode', operation: 'generate', userId: '={{ $json.id }}' },
			{ items: [{ id: USER_ID }, { id: other }] },
		);
		expect(result.output.map((item) => [item.json.recoveryCodes, item.pairedItem])).toEqual([
			[[USER_ID.slice(-4)], { item: 0 }],
			[[other.slice(-4)], { item: 1 }],
		]);
	});

	test('a malformed user ID fails before any request', async () => {
		const result = await runAgainst(server, { resource: 'recoveryCode', operation: 'get', userId: '../../user' });
		expect(result.error?.message).toMatch(/^User ID must be a UUID/);
		expect(server.requests).toHaveLength(0);
	});

	test("Get's description says it is deprecated since FusionAuth 1.64", () => {
		const node = loadedPackage().nodes[NODE_TYPE];
		const selectors = node.description.properties.filter(
			(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes('recoveryCode'),
		);
		const get = selectors.flatMap((selector) => selector.options ?? []).find((option) => 'value' in option && option.value === 'get');
		expect((get as { description?: string }).description).toMatch(/Deprecated by FusionAuth since 1\.64/);
	});
});

describe('login.start', () => {
	const started = {
		code: 'Z7KQ2P',
		methods: [{ id: '2KSZ', method: 'authenticator' }],
		twoFactorId: TWO_FACTOR_ID,
	};

	test('starts by user ID and outputs code, methods and twoFactorId', async () => {
		server.respondWith({ status: 200, body: started });
		const result = await runAgainst(server, { resource: 'login', operation: 'start', userId: USER_ID });
		expect(outputJson(result)).toEqual([started]);
		expect(wire(server.requests[0])).toMatchObject({
			method: 'POST',
			path: '/api/two-factor/start',
			authorization: API_KEY,
			body: { userId: USER_ID },
		});
	});

	test('starts by login ID, with state given as an object', async () => {
		server.respondWith({ status: 200, body: started });
		await runAgainst(server, {
			resource: 'login',
			operation: 'start',
			startBy: 'loginId',
			loginId: ' jane@example.com ',
			userId: 'ignored, not shown for Login ID',
			applicationId: APPLICATION_ID,
			additionalFields: { state: { redirect: '/account' } },
		});
		expect(server.requests[0].body).toEqual({
			loginId: 'jane@example.com',
			applicationId: APPLICATION_ID,
			state: { redirect: '/account' },
		});
	});

	test.each([
		[{ startBy: 'loginId', loginId: '\t' }, 'Login ID is required [item 0]'],
		[{ userId: '  ' }, 'User ID is required [item 0]'],
		[{ userId: USER_ID, applicationId: 'app' }, 'Application ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "app" [item 0]'],
		[{ userId: USER_ID, additionalFields: { state: '{redirect: x}' } }, 'State must be valid JSON, such as {"redirect": "/account"} [item 0]'],
		[{ userId: USER_ID, additionalFields: { state: '[1, 2]' } }, 'State must be a JSON object, such as {"redirect": "/account"} [item 0]'],
	])('%j fails before any request', async (parameters, message) => {
		const result = await runAgainst(server, { resource: 'login', operation: 'start', ...parameters });
		expect(result.error?.message).toBe(message);
		expect(server.requests).toHaveLength(0);
	});
});

describe('login.complete', () => {
	const loginResponse = {
		token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2dpbiJ9.dG9rZW4',
		refreshToken: 'refresh-8f2c',
		twoFactorTrustId: 'trust-1',
		user: { id: USER_ID, email: 'jane@example.com' },
	};

	test('sends the code without any Authorization and outputs the login response with statusCode', async () => {
		server.respondWith({ status: 200, body: loginResponse });
		const result = await runAgainst(server, {
			resource: 'login',
			operation: 'complete',
			twoFactorId: TWO_FACTOR_ID,
			code: '123456',
			additionalFields: { trustComputer: true, noJWT: false },
		});
		expect(outputJson(result)).toEqual([{ ...loginResponse, statusCode: 200 }]);
		const sent = wire(server.requests[0]);
		expect(sent.authorization).toBeUndefined();
		expect(JSON.stringify(server.requests[0].headers)).not.toContain(API_KEY);
		expect(sent.body).toEqual({ twoFactorId: TWO_FACTOR_ID, code: '123456', trustComputer: true, noJWT: false });
	});

	test.each([
		[202, /not registered for the application/],
		[203, /must change their password/],
		[212, /not verified their email address/],
		[213, /not verified their registration/],
	])('%i is a success whose meaning is spelled out in statusMeaning', async (status, meaning) => {
		server.respondWith({ status, body: { ...loginResponse, changePasswordId: status === 203 ? 'cp-1' : undefined } });
		const result = await runAgainst(server, { resource: 'login', operation: 'complete', twoFactorId: TWO_FACTOR_ID, code: '1' });
		expect(result.error).toBeUndefined();
		const [item] = outputJson(result);
		expect(item.statusCode).toBe(status);
		expect(item.statusMeaning).toMatch(meaning);
		expect(item.token).toBe(loginResponse.token);
	});

	test('a plain 200 has no statusMeaning', async () => {
		server.respondWith({ status: 200, body: loginResponse });
		const result = await runAgainst(server, { resource: 'login', operation: 'complete', twoFactorId: TWO_FACTOR_ID, code: '1' });
		expect(outputJson(result)[0]).not.toHaveProperty('statusMeaning');
	});

	test.each([
		[{ code: ' ' }, 'Code is required [item 0]'],
		[{ twoFactorId: '   ' }, 'Two Factor ID is required [item 0]'],
		[{ additionalFields: { applicationId: 'x' } }, 'Application ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "x" [item 0]'],
	])('%j fails before any request', async (change, message) => {
		const result = await runAgainst(server, {
			resource: 'login',
			operation: 'complete',
			twoFactorId: TWO_FACTOR_ID,
			code: '1',
			...change,
		});
		expect(result.error?.message).toBe(message);
		expect(server.requests).toHaveLength(0);
	});
});

describe('login.getStatus', () => {
	const statusBody = { trusts: [{ applicationId: APPLICATION_ID, expiration: 1700000000000, startInstant: 1690000000000 }] };

	test.each([
		[200, false],
		[242, true],
	])('%i means twoFactorRequired %s', async (status, required) => {
		server.respondWith({ status, body: statusBody });
		const result = await runAgainst(server, { resource: 'login', operation: 'getStatus', userId: USER_ID });
		expect(outputJson(result)).toEqual([{ ...statusBody, twoFactorRequired: required, statusCode: status }]);
	});

	test('242 without a body still says a challenge is required', async () => {
		server.respondWith({ status: 242 });
		const result = await runAgainst(server, { resource: 'login', operation: 'getStatus', userId: USER_ID });
		expect(outputJson(result)).toEqual([{ twoFactorRequired: true, statusCode: 242 }]);
	});

	test('GET by default, the trust ID one encoded path segment, applicationId in the query', async () => {
		await runAgainst(server, {
			resource: 'login',
			operation: 'getStatus',
			userId: USER_ID,
			additionalFields: { applicationId: APPLICATION_ID, twoFactorTrustId: 'a/b?c' },
		});
		expect(server.requests[0].method).toBe('GET');
		expect(server.requests[0].url).toBe(
			`/api/two-factor/status/a%2Fb%3Fc?userId=${USER_ID}&applicationId=${APPLICATION_ID}`,
		);
		expect(server.requests[0].rawBody).toBe('');
	});

	test.each([
		[{ action: 'login' }, { userId: USER_ID, action: 'login' }],
		[{ accessToken: ACCESS_TOKEN }, { userId: USER_ID, accessToken: ACCESS_TOKEN }],
		[
			{ action: 'changePassword', twoFactorTrustId: 'trust-1', applicationId: APPLICATION_ID },
			{ userId: USER_ID, action: 'changePassword', twoFactorTrustId: 'trust-1', applicationId: APPLICATION_ID },
		],
	])('POST when action or accessToken is given: %j', async (additionalFields, body) => {
		server.respondWith({ status: 242, body: {} });
		const result = await runAgainst(server, { resource: 'login', operation: 'getStatus', userId: USER_ID, additionalFields });
		expect(wire(server.requests[0])).toMatchObject({ method: 'POST', path: '/api/two-factor/status', query: {}, body });
		expect(outputJson(result)[0].twoFactorRequired).toBe(true);
	});

	test('the access token stays out of the output and of errors', async () => {
		server.respondWith({ status: 200, body: {} });
		let result = await runAgainst(server, {
			resource: 'login',
			operation: 'getStatus',
			userId: USER_ID,
			additionalFields: { accessToken: ACCESS_TOKEN },
		});
		expect(visibleText(result)).not.toContain(ACCESS_TOKEN);
		server.respondWith({ status: 400, body: { fieldErrors: { accessToken: [{ code: '[invalid]accessToken', message: 'The access token is invalid.' }] } } });
		result = await runAgainst(server, {
			resource: 'login',
			operation: 'getStatus',
			userId: USER_ID,
			additionalFields: { accessToken: ACCESS_TOKEN },
		});
		expect(result.error?.message).toBe('FusionAuth rejected the request: The access token is invalid.');
		expect(visibleText(result)).not.toContain(ACCESS_TOKEN);
	});
});

describe('user.get', () => {
	const method = { id: '2KSZ', method: 'authenticator', authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } };
	const base = { id: USER_ID, email: 'jane@example.com', active: true };

	test.each<[string, IDataObject, boolean, IDataObject[]]>([
		['a current user with a method', { ...base, twoFactor: { methods: [method] } }, true, [method]],
		['a current user without twoFactor', { ...base }, false, []],
		['a current user with twoFactor {}', { ...base, twoFactor: {} }, false, []],
		['a current user with no methods', { ...base, twoFactor: { methods: [], recoveryCodes: [] } }, false, []],
		['a legacy user with two factor on', { ...base, twoFactorEnabled: true, twoFactorDelivery: 'None' }, true, []],
		['a legacy user with two factor off', { ...base, twoFactorEnabled: false }, false, []],
	])('%s: the user plus twoFactorEnabled %s and its methods', async (_name, user, enabled, methods) => {
		server.respondWith({ status: 200, body: { user } });
		const result = await runAgainst(server, { resource: 'user', operation: 'get', userId: USER_ID });
		expect(outputJson(result)).toEqual([{ ...user, twoFactorEnabled: enabled, twoFactorMethods: methods }]);
		expect(wire(server.requests[0])).toMatchObject({ method: 'GET', path: `/api/user/${USER_ID}`, authorization: API_KEY });
	});

	test('derives the same way whichever API version is selected', async () => {
		const user = { ...base, twoFactor: { methods: [method] } };
		server.respondWith({ status: 200, body: { user } });
		const current = await runAgainst(server, { resource: 'user', operation: 'get', userId: USER_ID });
		const legacy = await runAgainst(server, { apiVersion: 'legacy', resource: 'user', operation: 'get', userId: USER_ID });
		expect(outputJson(legacy)).toEqual(outputJson(current));
	});

	test('a malformed user ID fails before any request', async () => {
		const result = await runAgainst(server, { resource: 'user', operation: 'get', userId: '..' });
		expect(result.error?.message).toMatch(/^User ID must be a UUID/);
		expect(server.requests).toHaveLength(0);
	});
});
