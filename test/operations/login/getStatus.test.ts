import { FusionAuthClient } from '@fusionauth/typescript-client';

import type { RecordedRequest } from '../../harness/recordingServer';
import { ACCESS_TOKEN, API_KEY, APPLICATION_ID, runAgainst, TENANT_ID, USER_ID, visibleText, wire } from '../support';
import { describeOperation } from '../table';

const GET_STATUS = { resource: 'login', operation: 'getStatus' };
const TRUST_ID = 'qSl6n2oU4pP7nVJWEjH0BNUjr3XgmC5fD9kE8sS0f8k';
const STATUS_BODY = { trusts: [{ applicationId: APPLICATION_ID, expiration: 1700000000000, startInstant: 1690000000000 }] };

describeOperation({
	resource: 'login',
	operation: 'getStatus',
	editor: {
		action: 'Get the two factor status of a user',
		panels: {
			current: { fields: ['userId', 'additionalFields'], required: ['userId'] },
		},
	},
	samples: { current: { ...GET_STATUS, userId: USER_ID } },
	// FusionAuth's status answers may be empty: only the status tells whether a challenge is required.
	answersWithBody: false,
	emptyAnswerOutput: { twoFactorRequired: false, statusCode: 200 },
	agentOutput: {
		// Not the twoFactorTrustId: it lets a device skip two factor.
		current: (output) =>
			expect(output).toEqual({
				statusCode: 200,
				twoFactorRequired: false,
				trusts: [{ applicationId: APPLICATION_ID, expiration: 1_800_000_000_000, startInstant: 1_700_000_000_000 }],
			}),
	},
	requests: [
		{
			name: 'GET with application and trust ID = retrieveTwoFactorStatus',
			parameters: { ...GET_STATUS, userId: USER_ID, additionalFields: { applicationId: APPLICATION_ID, twoFactorTrustId: TRUST_ID } },
			client: (client) => client.retrieveTwoFactorStatus(USER_ID, APPLICATION_ID, TRUST_ID),
		},
		{
			name: 'GET with application = retrieveTwoFactorStatus',
			parameters: { ...GET_STATUS, userId: USER_ID, additionalFields: { applicationId: APPLICATION_ID } },
			client: (client) => client.retrieveTwoFactorStatus(USER_ID, APPLICATION_ID, undefined as unknown as string),
		},
		{
			name: 'GET with a trust ID and no application = the API notes (no "applicationId=undefined" as the client sends)',
			parameters: { ...GET_STATUS, userId: USER_ID, additionalFields: { twoFactorTrustId: TRUST_ID } },
			documented: { method: 'GET', url: `/api/two-factor/status/${TRUST_ID}?userId=${USER_ID}`, authorization: 'apiKey' },
		},
		{
			name: 'POST with action and access token = retrieveTwoFactorStatusWithRequest',
			parameters: {
				...GET_STATUS,
				userId: USER_ID,
				additionalFields: { applicationId: APPLICATION_ID, twoFactorTrustId: TRUST_ID, action: 'stepUp', accessToken: ACCESS_TOKEN },
			},
			client: (client) =>
				client.retrieveTwoFactorStatusWithRequest({
					userId: USER_ID,
					applicationId: APPLICATION_ID,
					twoFactorTrustId: TRUST_ID,
					action: 'stepUp' as never,
					accessToken: ACCESS_TOKEN,
				}),
		},
		{
			name: 'POST with only an action = retrieveTwoFactorStatusWithRequest',
			parameters: { ...GET_STATUS, userId: USER_ID, additionalFields: { action: 'changePassword' } },
			client: (client) => client.retrieveTwoFactorStatusWithRequest({ userId: USER_ID, action: 'changePassword' as never }),
		},
	],
	outputs: [
		...([
			[200, false],
			[242, true],
		] as const).map(([status, required]) => ({
			name: `${status} means twoFactorRequired ${required}`,
			parameters: { ...GET_STATUS, userId: USER_ID },
			answer: { status, body: STATUS_BODY },
			output: [{ ...STATUS_BODY, twoFactorRequired: required, statusCode: status }],
		})),
		{
			name: '242 without a body still says a challenge is required',
			parameters: { ...GET_STATUS, userId: USER_ID },
			answer: { status: 242 },
			output: [{ twoFactorRequired: true, statusCode: 242 }],
		},
		{
			name: 'GET by default, the trust ID one encoded path segment, applicationId in the query',
			parameters: { ...GET_STATUS, userId: USER_ID, additionalFields: { applicationId: APPLICATION_ID, twoFactorTrustId: 'a/b?c' } },
			output: (_, requests) => {
				expect(requests[0].method).toBe('GET');
				expect(requests[0].url).toBe(`/api/two-factor/status/a%2Fb%3Fc?userId=${USER_ID}&applicationId=${APPLICATION_ID}`);
				expect(requests[0].rawBody).toBe('');
			},
		},
		...[
			[{ action: 'login' }, { userId: USER_ID, action: 'login' }],
			[{ accessToken: ACCESS_TOKEN }, { userId: USER_ID, accessToken: ACCESS_TOKEN }],
			[
				{ action: 'changePassword', twoFactorTrustId: 'trust-1', applicationId: APPLICATION_ID },
				{ userId: USER_ID, action: 'changePassword', twoFactorTrustId: 'trust-1', applicationId: APPLICATION_ID },
			],
		].map(([additionalFields, body]) => ({
			name: `POST when action or accessToken is given: ${Object.keys(additionalFields).join(', ')}`,
			parameters: { ...GET_STATUS, userId: USER_ID, additionalFields },
			answer: { status: 242, body: {} },
			output: (output: Array<Record<string, unknown>>, requests: RecordedRequest[]) => {
				expect(wire(requests[0])).toMatchObject({ method: 'POST', path: '/api/two-factor/status', query: {}, body });
				expect(output[0].twoFactorRequired).toBe(true);
			},
		})),
	],
	statuses: [
		{ name: 'GET', parameters: { ...GET_STATUS, userId: USER_ID }, statuses: [400, 401, 500] },
		{ name: 'POST', parameters: { ...GET_STATUS, userId: USER_ID, additionalFields: { action: 'stepUp', accessToken: ACCESS_TOKEN } }, statuses: [400, 401, 500] },
	],
	more: (server) => {
		test('without applicationId: the client sends "applicationId=undefined", the node leaves it out', async () => {
			server.reset();
			await new FusionAuthClient(API_KEY, server.url, TENANT_ID).retrieveTwoFactorStatus(USER_ID, undefined as unknown as string, TRUST_ID);
			expect(server.requests).toHaveLength(1);
			const fromClient = wire(server.requests[0]);
			expect(fromClient.query).toEqual({ userId: USER_ID, applicationId: 'undefined' });
			server.reset();
			const result = await runAgainst(server, { ...GET_STATUS, userId: USER_ID, additionalFields: { twoFactorTrustId: TRUST_ID } });
			expect(result.error).toBeUndefined();
			expect(server.requests).toHaveLength(1);
			const fromNode = wire(server.requests[0]);
			expect(fromNode.query).toEqual({ userId: USER_ID });
			expect(server.requests[0].url).toBe(`/api/two-factor/status/${TRUST_ID}?userId=${USER_ID}`);
			expect({ ...fromNode, query: {} }).toEqual({ ...fromClient, query: {} });
		});

		test('the access token stays out of the output and of errors', async () => {
			const parameters = { ...GET_STATUS, userId: USER_ID, additionalFields: { accessToken: ACCESS_TOKEN } };
			server.respondWith({ status: 200, body: {} });
			let result = await runAgainst(server, parameters);
			expect(visibleText(result)).not.toContain(ACCESS_TOKEN);
			server.respondWith({ status: 400, body: { fieldErrors: { accessToken: [{ code: '[invalid]accessToken', message: 'The access token is invalid.' }] } } });
			result = await runAgainst(server, parameters);
			expect(result.error?.message).toBe('FusionAuth rejected the request: The access token is invalid.');
			expect(visibleText(result)).not.toContain(ACCESS_TOKEN);
		});
	},
});
