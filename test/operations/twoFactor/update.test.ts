import { FusionAuthClient } from '@fusionauth/typescript-client';

import { describeOperation, runOperation } from '../table';
import { API_KEY, TENANT_ID, USER_ID, wire } from '../support';

const parameters = { resource: 'twoFactor', operation: 'update', userId: USER_ID, methodId: 'M1AB', name: 'Work phone' };

describeOperation({
	resource: 'twoFactor',
	operation: 'update',
	editor: {
		action: 'Update the name of a two factor method',
		panels: {
			current: { fields: ['userId', 'methodId', 'name'], required: ['userId', 'methodId', 'name'] },
		},
	},
	samples: { current: parameters },
	// FusionAuth answers 200 without a body (API notes).
	answersWithBody: false,
	agentOutput: { current: (output) => expect(output).toEqual({}) },
	requests: [
		{
			// The API notes: the client sends {methodId, name}, the documentation methodId in the query; both are sent.
			name: 'PUT /api/user/two-factor/{userId}?methodId= with {methodId, name} (API notes)',
			parameters: { ...parameters, methodId: '2KSZ' },
			documented: { method: 'PUT', url: `/api/user/two-factor/${USER_ID}?methodId=2KSZ`, authorization: 'apiKey', body: { methodId: '2KSZ', name: 'Work phone' } },
		},
	],
	outputs: [
		{
			name: 'renames the method: PUT with methodId in the query and the body, empty answer = success',
			parameters: { ...parameters, methodId: ' 2KSZ ' },
			output: (output, requests) => {
				expect(output).toEqual([{ success: true }]);
				expect(wire(requests[0])).toEqual({
					method: 'PUT',
					path: `/api/user/two-factor/${USER_ID}`,
					query: { methodId: '2KSZ' },
					authorization: API_KEY,
					tenantId: TENANT_ID,
					contentType: 'application/json',
					body: { methodId: '2KSZ', name: 'Work phone' },
				});
			},
		},
	],
	statuses: [{ name: 'update', parameters, statuses: [400, 401, 404, 500, 503], messages: { 404: `User ${USER_ID} not found` } }],
	errors: [
		{ name: 'a blank name fails before any request', parameters: { ...parameters, name: '  ' }, message: 'Name is required [item 0]' },
		{ name: 'a blank methodId fails before any request', parameters: { ...parameters, methodId: ' ' }, message: 'Method ID is required [item 0]' },
		{
			name: 'a userId that is not a UUID fails before any request',
			parameters: { ...parameters, userId: 'jane' },
			message: 'User ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "jane" [item 0]',
		},
		{ name: 'is not offered for FusionAuth 1.25 and earlier', apiVersion: 'legacy', parameters, message: /needs FusionAuth 1\.26 or later/ },
	],
	more: (server) => {
		test("where it differs from the client: same body {methodId, name}; methodId also in the query, as FusionAuth's documentation has it", async () => {
			server.reset();
			const result = await runOperation(server.url, 'current', { ...parameters, methodId: '2KSZ' });
			expect(result.error).toBeUndefined();
			expect(server.requests).toHaveLength(1);
			const fromNode = wire(server.requests[0]);
			server.reset();
			await new FusionAuthClient(API_KEY, server.url, TENANT_ID).updateTwoFactor(USER_ID, { methodId: '2KSZ', name: 'Work phone' });
			expect(server.requests).toHaveLength(1);
			const fromClient = wire(server.requests[0]);
			// The documented difference: the client sends no query at all.
			expect(fromClient.query).toEqual({});
			expect(fromNode.query).toEqual({ methodId: '2KSZ' });
			expect({ ...fromNode, query: {} }).toEqual(fromClient);
			expect(fromNode.body).toEqual({ methodId: '2KSZ', name: 'Work phone' });
		});
	},
});
