import { API_KEY, APPLICATION_ID, POISONED_ANSWER, runAgainst, TENANT_ID, TWO_FACTOR_ID, USER_ID, visibleText, wire } from '../support';
import { describeOperation, failures, runOperation } from '../table';

const COMPLETE = { resource: 'login', operation: 'complete' };
const LOGIN_RESPONSE = {
	token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2dpbiJ9.dG9rZW4',
	refreshToken: 'refresh-8f2c',
	twoFactorTrustId: 'trust-1',
	user: { id: USER_ID, email: 'jane@example.com' },
};

describeOperation({
	agentRefusal: 'Complete (login) is not available to AI agents: it hands out the tokens of a completed login',
	resource: 'login',
	operation: 'complete',
	editor: {
		action: 'Complete a two factor login',
		panels: {
			current: { fields: ['twoFactorId', 'code', 'additionalFields'], required: ['twoFactorId', 'code'] },
		},
	},
	samples: { current: { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '123456' } },
	answersWithBody: true,
	requests: [
		{
			name: 'with every option = twoFactorLogin (no Authorization)',
			parameters: {
				...COMPLETE,
				twoFactorId: TWO_FACTOR_ID,
				code: '123456',
				additionalFields: { applicationId: APPLICATION_ID, trustComputer: true, ipAddress: '192.0.2.10', noJWT: false },
			},
			client: (client) =>
				client.twoFactorLogin({ twoFactorId: TWO_FACTOR_ID, code: '123456', applicationId: APPLICATION_ID, trustComputer: true, ipAddress: '192.0.2.10', noJWT: false }),
		},
		{
			name: 'with only the required fields, a recovery code = twoFactorLogin',
			parameters: { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: 'RECOV-ERY12' },
			client: (client) => client.twoFactorLogin({ twoFactorId: TWO_FACTOR_ID, code: 'RECOV-ERY12' }),
		},
		{
			name: 'an empty applicationId is left out of the body = twoFactorLogin without it',
			parameters: { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '1', additionalFields: { applicationId: '' } },
			client: (client) => client.twoFactorLogin({ twoFactorId: TWO_FACTOR_ID, code: '1' }),
		},
	],
	outputs: [
		{
			name: 'sends the code without any Authorization and outputs the login response with statusCode',
			parameters: { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '123456', additionalFields: { trustComputer: true, noJWT: false } },
			answer: { status: 200, body: LOGIN_RESPONSE },
			output: (output, requests) => {
				expect(output).toEqual([{ ...LOGIN_RESPONSE, statusCode: 200 }]);
				const sent = wire(requests[0]);
				expect(sent.authorization).toBeUndefined();
				expect(JSON.stringify(requests[0].headers)).not.toContain(API_KEY);
				expect(sent.body).toEqual({ twoFactorId: TWO_FACTOR_ID, code: '123456', trustComputer: true, noJWT: false });
			},
		},
		{
			name: 'no Authorization header, like the client, and still the tenant',
			parameters: { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '1' },
			output: (_, requests) => {
				expect(wire(requests[0]).authorization).toBeUndefined();
				expect(wire(requests[0]).tenantId).toBe(TENANT_ID);
			},
		},
		...([
			[202, /not registered for the application/],
			[203, /must change their password/],
			[212, /not verified their email address/],
			[213, /not verified their registration/],
		] as const).map(([status, meaning]) => ({
			name: `${status} is a success whose meaning is spelled out in statusMeaning`,
			parameters: { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '1' },
			answer: { status, body: { ...LOGIN_RESPONSE, changePasswordId: status === 203 ? 'cp-1' : undefined } },
			output: (output: Array<Record<string, unknown>>) => {
				const [item] = output;
				expect(item.statusCode).toBe(status);
				expect(item.statusMeaning).toMatch(meaning);
				expect(item.token).toBe(LOGIN_RESPONSE.token);
			},
		})),
		{
			name: 'a plain 200 has no statusMeaning',
			parameters: { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '1' },
			answer: { status: 200, body: LOGIN_RESPONSE },
			output: (output) => expect(output[0]).not.toHaveProperty('statusMeaning'),
		},
	],
	errors: [
		{ name: 'a blank Code', parameters: { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: ' ' }, message: 'Code is required [item 0]' },
		{ name: 'a blank Two Factor ID', parameters: { ...COMPLETE, twoFactorId: '   ', code: '1' }, message: 'Two Factor ID is required [item 0]' },
		{
			name: 'an Application ID that is not a UUID',
			parameters: { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '1', additionalFields: { applicationId: 'x' } },
			message: 'Application ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "x" [item 0]',
		},
	],
	statuses: [
		{
			name: 'complete',
			parameters: { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '123456' },
			statuses: [400, 401, 404, 409, 410, 421, 500, 503, 504],
			messages: {
				404: 'Two factor login not found: the twoFactorId is unknown or has expired, so the user must log in again',
				409: 'The user is locked: an action such as too many failed two factor attempts prevents this login',
				410: 'The user has expired: FusionAuth does not log in a user whose account has expired',
				421: 'The two factor code is invalid or expired',
			},
			// FusionAuth needs no credentials here, so a 401 is not about the API key.
			auth: 'none',
		},
	],
	more: (server) => {
		test('errors carry no code, token or key, also with the error output', async () => {
			server.respondWith({ status: 421 });
			const result = await runAgainst(server, { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '=918273' }, { onError: 'continueRegularOutput' });
			expect(result.output.map((item) => item.json.error)).toEqual(['The two factor code is invalid or expired']);
			expect(visibleText(result)).not.toContain('918273');
			expect(visibleText(result)).not.toContain(TWO_FACTOR_ID);
		});

		test('refused as a tool without sending anything, saying why', async () => {
			server.respondWith({ status: 200, body: { ...POISONED_ANSWER, token: 'eyJ.eyJ.sig' } });
			const result = await runOperation(server.url, 'current', { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '123456' }, { tool: true });
			expect(result.error?.message).toBe('Complete (login) is not available to AI agents: it hands out the tokens of a completed login');
			expect(result.output).toEqual([]);
			expect(server.requests).toHaveLength(0);
			expect(JSON.stringify(result.output.map((item) => item.json))).not.toContain('eyJ');
			// With the error output too: the error item carries nothing of the answer.
			const continued = await runOperation(server.url, 'current', { ...COMPLETE, twoFactorId: TWO_FACTOR_ID, code: '123456' }, { tool: true, onError: 'continueRegularOutput' });
			expect(server.requests).toHaveLength(0);
			expect(failures(continued)).toHaveLength(1);
			expect(JSON.stringify(continued.output)).not.toContain('LEAK');
		});

	},
});
