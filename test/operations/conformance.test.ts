import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { documentedAnswer } from '../harness/recordingServer';
import type { Wire } from './support';
import { ACCESS_TOKEN, API_KEY, APPLICATION_ID, runAgainst, TENANT_ID, TWO_FACTOR_ID, USER_ID, wire } from './support';

// Each operation that FusionAuth's official client has must send what the client sends.
const TRUST_ID = 'qSl6n2oU4pP7nVJWEjH0BNUjr3XgmC5fD9kE8sS0f8k';

const server = useRecordingServer();

async function viaNode(parameters: INodeParameters): Promise<Wire> {
	server.reset();
	const result = await runAgainst(server, parameters);
	expect(result.error).toBeUndefined();
	expect(server.requests).toHaveLength(1);
	return wire(server.requests[0]);
}

async function viaClient(call: (client: FusionAuthClient) => Promise<unknown>): Promise<Wire> {
	server.reset();
	await call(new FusionAuthClient(API_KEY, server.url, TENANT_ID));
	expect(server.requests).toHaveLength(1);
	return wire(server.requests[0]);
}

const cases: Array<{ name: string; parameters: INodeParameters; client: (client: FusionAuthClient) => Promise<unknown> }> = [
	{
		name: 'recoveryCode.generate = generateTwoFactorRecoveryCodes',
		parameters: { resource: 'recoveryCode', operation: 'generate', userId: USER_ID },
		client: (c) => c.generateTwoFactorRecoveryCodes(USER_ID),
	},
	{
		name: 'recoveryCode.get = retrieveTwoFactorRecoveryCodes',
		parameters: { resource: 'recoveryCode', operation: 'get', userId: USER_ID },
		client: (c) => c.retrieveTwoFactorRecoveryCodes(USER_ID),
	},
	{
		name: 'login.start by userId with every option = startTwoFactorLogin',
		parameters: {
			resource: 'login',
			operation: 'start',
			startBy: 'userId',
			userId: USER_ID,
			applicationId: APPLICATION_ID,
			additionalFields: { code: 'OUT-OF-BAND-1', state: '{"redirect": "/account", "n": 1}', trustChallenge: 'challenge-7' },
		},
		client: (c) =>
			c.startTwoFactorLogin({
				userId: USER_ID,
				applicationId: APPLICATION_ID,
				code: 'OUT-OF-BAND-1',
				state: { redirect: '/account', n: 1 },
				trustChallenge: 'challenge-7',
			}),
	},
	{
		name: 'login.start by loginId with loginIdTypes = startTwoFactorLogin',
		parameters: {
			resource: 'login',
			operation: 'start',
			startBy: 'loginId',
			loginId: 'jane@example.com',
			additionalFields: { loginIdTypes: ['email', 'phoneNumber'] },
		},
		client: (c) => c.startTwoFactorLogin({ loginId: 'jane@example.com', loginIdTypes: ['email', 'phoneNumber'] }),
	},
	{
		name: 'login.complete with every option = twoFactorLogin (no Authorization)',
		parameters: {
			resource: 'login',
			operation: 'complete',
			twoFactorId: TWO_FACTOR_ID,
			code: '123456',
			additionalFields: { applicationId: APPLICATION_ID, trustComputer: true, ipAddress: '192.0.2.10', noJWT: false },
		},
		client: (c) =>
			c.twoFactorLogin({
				twoFactorId: TWO_FACTOR_ID,
				code: '123456',
				applicationId: APPLICATION_ID,
				trustComputer: true,
				ipAddress: '192.0.2.10',
				noJWT: false,
			}),
	},
	{
		name: 'login.complete with only the required fields = twoFactorLogin',
		parameters: { resource: 'login', operation: 'complete', twoFactorId: TWO_FACTOR_ID, code: 'RECOV-ERY12' },
		client: (c) => c.twoFactorLogin({ twoFactorId: TWO_FACTOR_ID, code: 'RECOV-ERY12' }),
	},
	{
		name: 'login.getStatus, GET with application and trust ID = retrieveTwoFactorStatus',
		parameters: {
			resource: 'login',
			operation: 'getStatus',
			userId: USER_ID,
			additionalFields: { applicationId: APPLICATION_ID, twoFactorTrustId: TRUST_ID },
		},
		client: (c) => c.retrieveTwoFactorStatus(USER_ID, APPLICATION_ID, TRUST_ID),
	},
	{
		name: 'login.getStatus, GET with application = retrieveTwoFactorStatus',
		parameters: { resource: 'login', operation: 'getStatus', userId: USER_ID, additionalFields: { applicationId: APPLICATION_ID } },
		client: (c) => c.retrieveTwoFactorStatus(USER_ID, APPLICATION_ID, undefined as unknown as string),
	},
	{
		name: 'login.getStatus, POST with action and access token = retrieveTwoFactorStatusWithRequest',
		parameters: {
			resource: 'login',
			operation: 'getStatus',
			userId: USER_ID,
			additionalFields: {
				applicationId: APPLICATION_ID,
				twoFactorTrustId: TRUST_ID,
				action: 'stepUp',
				accessToken: ACCESS_TOKEN,
			},
		},
		client: (c) =>
			c.retrieveTwoFactorStatusWithRequest({
				userId: USER_ID,
				applicationId: APPLICATION_ID,
				twoFactorTrustId: TRUST_ID,
				action: 'stepUp' as never,
				accessToken: ACCESS_TOKEN,
			}),
	},
	{
		name: 'login.getStatus, POST with only an action = retrieveTwoFactorStatusWithRequest',
		parameters: { resource: 'login', operation: 'getStatus', userId: USER_ID, additionalFields: { action: 'changePassword' } },
		client: (c) => c.retrieveTwoFactorStatusWithRequest({ userId: USER_ID, action: 'changePassword' as never }),
	},
	{
		name: 'user.get = retrieveUser',
		parameters: { resource: 'user', operation: 'get', userId: USER_ID },
		client: (c) => c.retrieveUser(USER_ID),
	},
	{
		name: 'user.get (legacy) = retrieveUser',
		parameters: { apiVersion: 'legacy', resource: 'user', operation: 'get', userId: USER_ID },
		client: (c) => c.retrieveUser(USER_ID),
	},
	{
		name: "user.getMany's first page = searchUsersByQuery",
		parameters: {
			resource: 'user',
			operation: 'getMany',
			twoFactorStatus: 'any',
			returnAll: false,
			limit: 25,
			additionalFields: { queryString: 'active:true' },
		},
		client: (c) => c.searchUsersByQuery({ search: { queryString: 'active:true', numberOfResults: 25, startRow: 0 } }),
	},
	{
		name: "user.getMany with Return All, first page = searchUsersByQuery",
		parameters: {
			resource: 'user',
			operation: 'getMany',
			twoFactorStatus: 'any',
			returnAll: true,
		},
		client: (c) => c.searchUsersByQuery({ search: { queryString: '*', numberOfResults: 100, startRow: 0 } }),
	},
];

describe('requests equal the official client', () => {
	test.each(cases)('$name', async ({ parameters, client }) => {
		const fromNode = await viaNode(parameters);
		const fromClient = await viaClient(client);
		if (fromNode.body === undefined) {
			// The client labels an empty POST text/plain; without a body the type says nothing.
			expect(fromClient.body === undefined || fromClient.body === '').toBe(true);
			expect({ ...fromNode, contentType: undefined, body: undefined }).toEqual({
				...fromClient,
				contentType: undefined,
				body: undefined,
			});
		} else {
			expect(fromNode).toEqual(fromClient);
		}
	});

	test('login.complete sends no Authorization header, like the client, and still the tenant', async () => {
		const fromNode = await viaNode({ resource: 'login', operation: 'complete', twoFactorId: TWO_FACTOR_ID, code: '1' });
		expect(fromNode.authorization).toBeUndefined();
		expect(fromNode.tenantId).toBe(TENANT_ID);
	});

	test('the API key goes out raw, as the client sends it', async () => {
		const fromNode = await viaNode({ resource: 'user', operation: 'get', userId: USER_ID });
		expect(fromNode.authorization).toBe(API_KEY);
	});
});

describe('user search pages', () => {
	test("user.getMany's page after a nextResults token = searchUsersByQuery with that token", async () => {
		const users = Array.from({ length: 100 }, (_, index) => ({ id: `u-${index}`, twoFactor: {} }));
		server.respondWith((request) =>
			(request.body as { search: { nextResults?: string } }).search.nextResults === undefined
				? { status: 200, body: { total: 10_000, users, nextResults: 'eyJ0b2tlbiI6MX0' } }
				: { status: 200, body: { total: 10_000, users: [] } },
		);
		try {
			server.reset();
			const result = await runAgainst(server, { resource: 'user', operation: 'getMany', twoFactorStatus: 'any', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(server.requests).toHaveLength(2);
			const fromNode = wire(server.requests[1]);
			const fromClient = await viaClient((c) =>
				c.searchUsersByQuery({ search: { nextResults: 'eyJ0b2tlbiI6MX0', numberOfResults: 100 } }),
			);
			expect(fromNode).toEqual(fromClient);
		} finally {
			server.respondWith(documentedAnswer);
		}
	});
});

describe('where the node deliberately differs from the client', () => {
	test("twoFactor.update: same body {methodId, name}; methodId also in the query, as FusionAuth's documentation has it", async () => {
		const fromNode = await viaNode({
			resource: 'twoFactor',
			operation: 'update',
			userId: USER_ID,
			methodId: '2KSZ',
			name: 'Work phone',
		});
		const fromClient = await viaClient((c) => c.updateTwoFactor(USER_ID, { methodId: '2KSZ', name: 'Work phone' }));
		// The documented difference: the client sends no query at all.
		expect(fromClient.query).toEqual({});
		expect(fromNode.query).toEqual({ methodId: '2KSZ' });
		expect({ ...fromNode, query: {} }).toEqual(fromClient);
		expect(fromNode.body).toEqual({ methodId: '2KSZ', name: 'Work phone' });
	});

	test('login.getStatus without applicationId: the client sends "applicationId=undefined", the node leaves it out', async () => {
		const fromClient = await viaClient((c) => c.retrieveTwoFactorStatus(USER_ID, undefined as unknown as string, TRUST_ID));
		expect(fromClient.query).toEqual({ userId: USER_ID, applicationId: 'undefined' });
		const fromNode = await viaNode({
			resource: 'login',
			operation: 'getStatus',
			userId: USER_ID,
			additionalFields: { twoFactorTrustId: TRUST_ID },
		});
		expect(fromNode.query).toEqual({ userId: USER_ID });
		expect(server.requests[0].url).toBe(`/api/two-factor/status/${TRUST_ID}?userId=${USER_ID}`);
		expect({ ...fromNode, query: {} }).toEqual({ ...fromClient, query: {} });
	});

	test('an empty applicationId is left out of every body', async () => {
		const start = await viaNode({ resource: 'login', operation: 'start', userId: USER_ID, applicationId: '  ' });
		expect(start.body).toEqual({ userId: USER_ID });
		const complete = await viaNode({
			resource: 'login',
			operation: 'complete',
			twoFactorId: TWO_FACTOR_ID,
			code: '1',
			additionalFields: { applicationId: '' },
		});
		expect(complete.body).toEqual({ twoFactorId: TWO_FACTOR_ID, code: '1' });
	});
});
