import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { listSearch } from '../harness/listSearch';
import { runNode } from '../harness/n8n';
import type { RecordedRequest, Reply } from '../harness/recordingServer';
import { documentedAnswer } from '../harness/recordingServer';
import type { WireRequest } from '../harness/wire';
import { onTheWire } from '../harness/wire';

// The user lookups behind the resource locator must be the requests FusionAuth's own client sends.
const API_KEY = 'conformance-api-key-5f1d';
const TENANT_ID = '6b0c8d4e-1f2a-4b3c-9d8e-7f6a5b4c3d2e';
const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';

function answer(request: RecordedRequest): Reply {
	if (request.method === 'GET' && request.path === '/api/user') return { status: 200, body: { user: { id: USER_ID } } };
	return documentedAnswer(request);
}

const server = useRecordingServer(answer);

const locator = (mode: string, value: string) => ({ __rl: true, mode, value });

/** The first request of a run: the lookup, before the operation's own. */
async function lookupViaNode(parameters: INodeParameters, tenantId: string): Promise<WireRequest> {
	server.reset();
	const result = await runNode({
		parameters,
		credentials: { baseUrl: server.url, apiKey: API_KEY, tenantId },
	});
	expect(result.error).toBeUndefined();
	// The lookup first; User > Get needs nothing more, other operations send their own request after it.
	expect(server.requests.length).toBeGreaterThanOrEqual(1);
	return onTheWire(server.requests[0]);
}

async function viaClient(call: (client: FusionAuthClient) => Promise<unknown>, tenantId: string): Promise<WireRequest> {
	server.reset();
	await call(new FusionAuthClient(API_KEY, server.url, tenantId === '' ? undefined : tenantId));
	expect(server.requests).toHaveLength(1);
	return onTheWire(server.requests[0]);
}

const getUser = (apiVersion: string, userId: unknown): INodeParameters =>
	({ apiVersion, resource: 'user', operation: 'get', userId }) as INodeParameters;

const cases: Array<{ name: string; parameters: (apiVersion: string) => INodeParameters; client: (client: FusionAuthClient) => Promise<unknown> }> = [
	{
		name: 'By Email = retrieveUserByEmail',
		parameters: (apiVersion) => getUser(apiVersion, locator('email', 'jane+mfa@example.com')),
		client: (c) => c.retrieveUserByEmail('jane+mfa@example.com'),
	},
	{
		name: 'By Username = retrieveUserByUsername',
		parameters: (apiVersion) => getUser(apiVersion, locator('username', 'jane doe/ü')),
		client: (c) => c.retrieveUserByUsername('jane doe/ü'),
	},
	{
		name: 'By Login ID = retrieveUserByLoginId',
		parameters: (apiVersion) => getUser(apiVersion, locator('loginId', '+1 555 0100')),
		client: (c) => c.retrieveUserByLoginId('+1 555 0100'),
	},
];

describe('user lookups equal the official client', () => {
	for (const apiVersion of ['current', 'legacy']) {
		for (const tenantId of [TENANT_ID, '']) {
			test.each(cases)(`$name (${apiVersion} API, ${tenantId ? 'with' : 'without'} a tenant)`, async ({ parameters, client }) => {
				const expected = await viaClient(client, tenantId);
				expect(await lookupViaNode(parameters(apiVersion), tenantId)).toEqual(expected);
			});
		}
	}

	test.each([TENANT_ID, ''])('By Login ID with Login ID Types = retrieveUserByLoginIdWithLoginIdTypes (tenant %j)', async (tenantId) => {
		const expected = await viaClient((c) => c.retrieveUserByLoginIdWithLoginIdTypes('jane', ['username', 'phoneNumber']), tenantId);
		const parameters: INodeParameters = {
			apiVersion: 'current',
			resource: 'login',
			operation: 'start',
			startBy: 'userId',
			userId: locator('loginId', 'jane'),
			additionalFields: { loginIdTypes: ['username', 'phoneNumber'] },
		};
		expect(await lookupViaNode(parameters, tenantId)).toEqual(expected);
	});

	test.each([TENANT_ID, ''])('From List = searchUsersByQuery (tenant %j)', async (tenantId) => {
		const expected = await viaClient(
			(c) => c.searchUsersByQuery({ search: { queryString: '*jane*', numberOfResults: 25, startRow: 50 } }),
			tenantId,
		);
		server.reset();
		await listSearch('searchUsers', { baseUrl: server.url, apiKey: API_KEY, tenantId }, { filter: 'jane', paginationToken: '50' });
		expect(server.requests).toHaveLength(1);
		expect(onTheWire(server.requests[0])).toEqual(expected);
	});
});
