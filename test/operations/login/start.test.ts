import { describeOperation, failures, runOperation } from '../table';
import { API_KEY, APPLICATION_ID, POISONED_ANSWER, TWO_FACTOR_ID, USER_ID, wire } from '../support';

const START = { resource: 'login', operation: 'start' };
const STARTED = { code: 'Z7KQ2P', methods: [{ id: '2KSZ', method: 'authenticator' }], twoFactorId: TWO_FACTOR_ID };

describeOperation({
	resource: 'login',
	operation: 'start',
	editor: {
		action: 'Start a two factor login',
		panels: {
			current: { fields: ['startBy', 'userId', 'applicationId', 'additionalFields'], required: ['userId'] },
		},
	},
	samples: { current: { ...START, userId: USER_ID, applicationId: APPLICATION_ID } },
	answersWithBody: true,
	agentOutput: {
		// The twoFactorId and the methods without their secrets; never the code.
		current: (output) =>
			expect(output).toEqual({
				twoFactorId: TWO_FACTOR_ID,
				methods: [{ id: 'M1AB', method: 'authenticator', name: 'Phone', lastUsed: 1_700_000_000_000, authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } }],
			}),
	},
	requests: [
		{
			name: 'by userId with every option = startTwoFactorLogin',
			parameters: {
				...START,
				startBy: 'userId',
				userId: USER_ID,
				applicationId: APPLICATION_ID,
				additionalFields: { code: 'OUT-OF-BAND-1', state: '{"redirect": "/account", "n": 1}', trustChallenge: 'challenge-7' },
			},
			client: (client) =>
				client.startTwoFactorLogin({
					userId: USER_ID,
					applicationId: APPLICATION_ID,
					code: 'OUT-OF-BAND-1',
					state: { redirect: '/account', n: 1 },
					trustChallenge: 'challenge-7',
				}),
		},
		{
			name: 'by loginId with loginIdTypes = startTwoFactorLogin',
			parameters: { ...START, startBy: 'loginId', loginId: 'jane@example.com', additionalFields: { loginIdTypes: ['email', 'phoneNumber'] } },
			client: (client) => client.startTwoFactorLogin({ loginId: 'jane@example.com', loginIdTypes: ['email', 'phoneNumber'] }),
		},
		{
			name: 'by loginId, trimmed, with state given as an object, the hidden userId left out = startTwoFactorLogin',
			parameters: {
				...START,
				startBy: 'loginId',
				loginId: ' jane@example.com ',
				userId: 'ignored, not shown for Login ID',
				applicationId: APPLICATION_ID,
				additionalFields: { state: { redirect: '/account' } },
			},
			client: (client) => client.startTwoFactorLogin({ loginId: 'jane@example.com', applicationId: APPLICATION_ID, state: { redirect: '/account' } }),
		},
		{
			name: 'a blank applicationId is left out of the body = startTwoFactorLogin without it',
			parameters: { ...START, userId: USER_ID, applicationId: '  ' },
			client: (client) => client.startTwoFactorLogin({ userId: USER_ID }),
		},
	],
	outputs: [
		{
			name: 'by user ID: code, methods and twoFactorId out, POST /api/two-factor/start with the API key',
			parameters: { ...START, userId: USER_ID },
			answer: { status: 200, body: STARTED },
			output: (output, requests) => {
				expect(output).toEqual([STARTED]);
				expect(wire(requests[0])).toMatchObject({ method: 'POST', path: '/api/two-factor/start', authorization: API_KEY, body: { userId: USER_ID } });
			},
		},
		{
			name: "people get FusionAuth's answer as it is (the allowlist is for agents only)",
			parameters: { ...START, userId: USER_ID },
			answer: { status: 200, body: POISONED_ANSWER },
			output: (output) => expect(output[0]).toMatchObject({ code: 'LEAK-code', twoFactorId: TWO_FACTOR_ID }),
		},
	],
	errors: [
		{ name: 'a blank Login ID', parameters: { ...START, startBy: 'loginId', loginId: '\t' }, message: 'Login ID is required [item 0]' },
		{ name: 'a blank User ID', parameters: { ...START, userId: '  ' }, message: 'User ID is required [item 0]' },
		{
			name: 'an Application ID that is not a UUID',
			parameters: { ...START, userId: USER_ID, applicationId: 'app' },
			message: 'Application ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "app" [item 0]',
		},
		{
			name: 'State that is not JSON',
			parameters: { ...START, userId: USER_ID, additionalFields: { state: '{redirect: x}' } },
			message: 'State must be valid JSON, such as {"redirect": "/account"} [item 0]',
		},
		{
			name: 'State that is not a JSON object',
			parameters: { ...START, userId: USER_ID, additionalFields: { state: '[1, 2]' } },
			message: 'State must be a JSON object, such as {"redirect": "/account"} [item 0]',
		},
	],
	statuses: [
		{
			name: 'start',
			parameters: { ...START, userId: USER_ID, applicationId: APPLICATION_ID },
			statuses: [400, 401, 404, 500, 503],
			messages: { 404: `User ${USER_ID} not found` },
		},
	],
	more: (server) => {
		test("keeps the login's code from agents, and gives it to people", async () => {
			server.respondWith({ status: 200, body: { code: '918273', twoFactorId: TWO_FACTOR_ID, methods: [] } });
			const parameters = { ...START, userId: USER_ID, applicationId: APPLICATION_ID };
			const asTool = await runOperation(server.url, 'current', parameters, { tool: true });
			expect(asTool.output.map((item) => item.json)).toEqual([{ twoFactorId: TWO_FACTOR_ID, methods: [] }]);
			const asNode = await runOperation(server.url, 'current', parameters);
			expect(asNode.output.map((item) => item.json)).toEqual([{ code: '918273', twoFactorId: TWO_FACTOR_ID, methods: [] }]);
		});

		test('an AI agent cannot start a login with a code of its own: refused before any request, saying why', async () => {
			server.respondWith({ status: 200, body: POISONED_ANSWER });
			const result = await runOperation(server.url, 'current', { ...START, userId: USER_ID, additionalFields: { code: '000000' } }, { tool: true, onError: 'continueRegularOutput' });
			expect(server.requests).toHaveLength(0);
			const refused = failures(result);
			expect(refused).toHaveLength(1);
			expect(refused[0].message).toMatch(/cannot be chosen by an AI agent/);
			expect(JSON.stringify(result.output)).not.toContain('LEAK');
		});
	},
});
