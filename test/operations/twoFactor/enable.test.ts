import type { INodeParameters } from 'n8n-workflow';

import { describeOperation, failures, runOperation } from '../table';
import type { ApiVersion } from '../table';
import { APPLICATION_ID, JWT, POISONED_ANSWER, TWO_FACTOR_ID, USER_ID } from '../support';
import type { InputCase } from '../checks';
import { answerErrors, describeInputChecks, FROM_ITEM } from '../checks';

const SECRET = 'DlOdmbsOiI4Nk7n3oUIhOw==';
const LEGACY_SECRET = 'TGVnYWN5U2VjcmV0MTIzNA==';
const NOT_FOUND = `User ${USER_ID} not found`;

const current = { resource: 'twoFactor', operation: 'enable', userId: USER_ID, method: 'authenticator', code: '123456', secret: SECRET };
const legacy = { resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: SECRET };

const required = /is required/;
const notUuid = /must be a UUID/;
const inputs: InputCase[] = [
	{ name: 'blank userId', apiVersion: 'current', parameters: { ...current, userId: FROM_ITEM }, good: USER_ID, bad: '   ', label: 'User ID', field: 'userId', problem: required },
	{ name: 'malformed userId', apiVersion: 'current', parameters: { ...current, userId: FROM_ITEM }, good: USER_ID, bad: 'not-a-uuid', label: 'User ID', field: 'userId', problem: notUuid },
	{ name: 'userId that is not text', apiVersion: 'current', parameters: { ...current, userId: FROM_ITEM }, good: USER_ID, bad: { id: USER_ID }, label: 'User ID', field: 'userId', problem: /must be text/ },
	{ name: 'blank code', apiVersion: 'current', parameters: { ...current, code: FROM_ITEM }, good: '123456', bad: ' \t ', label: 'Code', field: 'code', problem: required },
	{ name: 'no secret for the authenticator', apiVersion: 'current', parameters: { ...current, secret: FROM_ITEM }, good: SECRET, bad: '  ', label: 'Secret', field: 'secret', problem: required },
	{ name: 'blank email for the email method', apiVersion: 'current', parameters: { ...current, method: 'email', email: FROM_ITEM }, good: 'jane@example.com', bad: '', label: 'Email', field: 'email', problem: required },
	{ name: 'blank mobilePhone for the sms method', apiVersion: 'current', parameters: { ...current, method: 'sms', mobilePhone: FROM_ITEM }, good: '+15555550123', bad: ' ', label: 'Mobile Phone', field: 'mobilePhone', problem: required },
	{ name: 'malformed applicationId', apiVersion: 'current', parameters: { ...current, additionalFields: { applicationId: FROM_ITEM } }, good: APPLICATION_ID, bad: `${APPLICATION_ID}x`, label: 'Application ID', field: 'applicationId', problem: notUuid },
	{ name: 'blank JWT', apiVersion: 'current', parameters: { ...current, authenticateWith: 'jwt', jwt: FROM_ITEM }, good: JWT, bad: '  ', label: 'JWT', field: 'jwt', problem: required },
	// Values that cannot be sent as they are.
	{ name: 'a JWT with a space inside', apiVersion: 'current', parameters: { ...current, authenticateWith: 'jwt', jwt: FROM_ITEM }, good: JWT, bad: 'eyJ.a b.sig', label: 'JWT', field: 'jwt', problem: /must be one token/ },
	{ name: 'legacy: malformed userId', apiVersion: 'legacy', parameters: { ...legacy, delivery: 'None', userId: FROM_ITEM }, good: USER_ID, bad: '../admin', label: 'User ID', field: 'userId', problem: notUuid },
	{ name: 'legacy: blank code', apiVersion: 'legacy', parameters: { ...legacy, delivery: 'None', code: FROM_ITEM }, good: '123456', bad: ' ', label: 'Code', field: 'code', problem: required },
	{ name: 'legacy: blank secret', apiVersion: 'legacy', parameters: { ...legacy, delivery: 'None', secret: FROM_ITEM }, good: SECRET, bad: '', label: 'Secret', field: 'secret', problem: required },
];

describeOperation({
	agentRefusal: 'Enable (twoFactor) is not available to AI agents: it would let an agent give a user a second factor whose secret or code the agent chose',
	resource: 'twoFactor',
	operation: 'enable',
	editor: {
		action: 'Enable a two factor method',
		panels: {
			current: { fields: ['authenticateWith', 'userId', 'method', 'code', 'secret', 'secretEncoding', 'additionalFields'], required: ['userId', 'code', 'secret'] },
			legacy: { fields: ['authenticateWith', 'userId', 'code', 'delivery', 'secret'], required: ['userId', 'code', 'secret'] },
		},
	},
	samples: { current, legacy },
	// A further method is answered 200 without a body (API notes: `{recoveryCodes?}`).
	answersWithBody: false,
	requests: [
		{
			name: 'POST /api/user/two-factor/{userId}, authenticator with a Base64 secret = enableTwoFactor',
			parameters: { ...current, secret: 'aGVsbG8gd29ybGQgc2VjcmV0IQ==' },
			client: (client) => client.enableTwoFactor(USER_ID, { method: 'authenticator', code: '123456', secret: 'aGVsbG8gd29ybGQgc2VjcmV0IQ==' }),
		},
		{
			name: 'authenticator with a Base32 secret, name, application and twoFactorId = enableTwoFactor',
			parameters: {
				...current,
				code: '654321',
				secret: 'NBSWY3DPEB3W64TMMQ',
				secretEncoding: 'base32',
				additionalFields: { name: 'Work phone', applicationId: APPLICATION_ID, twoFactorId: TWO_FACTOR_ID },
			},
			client: (client) =>
				client.enableTwoFactor(USER_ID, {
					method: 'authenticator',
					code: '654321',
					secretBase32Encoded: 'NBSWY3DPEB3W64TMMQ',
					name: 'Work phone',
					applicationId: APPLICATION_ID,
					twoFactorId: TWO_FACTOR_ID,
				} as never),
		},
		{
			name: 'email = enableTwoFactor',
			parameters: { resource: 'twoFactor', operation: 'enable', userId: USER_ID, method: 'email', code: '998877', email: 'jane@example.com' },
			client: (client) => client.enableTwoFactor(USER_ID, { method: 'email', code: '998877', email: 'jane@example.com' }),
		},
		{
			name: 'sms = enableTwoFactor',
			parameters: { resource: 'twoFactor', operation: 'enable', userId: USER_ID, method: 'sms', code: '112233', mobilePhone: '+15555550123' },
			client: (client) => client.enableTwoFactor(USER_ID, { method: 'sms', code: '112233', mobilePhone: '+15555550123' }),
		},
		{
			// The client has no JWT form: the API notes give the API key's body on POST /api/user/two-factor, Bearer and no key.
			name: 'by JWT: POST /api/user/two-factor, the API-key body, Bearer and no key (API notes)',
			parameters: { resource: 'twoFactor', operation: 'enable', authenticateWith: 'jwt', jwt: JWT, method: 'authenticator', code: '123456', secret: 'c2VjcmV0' },
			documented: { method: 'POST', url: '/api/user/two-factor', authorization: 'jwt', body: { method: 'authenticator', code: '123456', secret: 'c2VjcmV0' } },
		},
		{
			name: 'legacy: enable_two_factor_by_user_id, POST /api/user/two-factor/{userId} {code, delivery, secret}',
			apiVersion: 'legacy',
			parameters: { ...legacy, delivery: 'None', secret: LEGACY_SECRET },
			documented: { method: 'POST', url: `/api/user/two-factor/${USER_ID}`, authorization: 'apiKey', body: { code: '123456', delivery: 'None', secret: LEGACY_SECRET } },
		},
		{
			name: 'legacy: enable_two_factor_by_jwt, POST /api/user/two-factor with Bearer',
			apiVersion: 'legacy',
			parameters: { resource: 'twoFactor', operation: 'enable', authenticateWith: 'jwt', jwt: JWT, code: '123456', delivery: 'TextMessage', secret: LEGACY_SECRET },
			documented: { method: 'POST', url: '/api/user/two-factor', authorization: 'jwt', body: { code: '123456', delivery: 'TextMessage', secret: LEGACY_SECRET } },
		},
	],
	outputs: [
		{
			name: 'the recovery codes FusionAuth returns for the first method',
			parameters: { resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'c2VjcmV0' },
			answer: { status: 200, body: { recoveryCodes: Array.from({ length: 10 }, (_, index) => `RC${index}-XXXX`) } },
			output: (_, __, items) => {
				const recoveryCodes = ['RC0-XXXX', 'RC1-XXXX', 'RC2-XXXX', 'RC3-XXXX', 'RC4-XXXX', 'RC5-XXXX', 'RC6-XXXX', 'RC7-XXXX', 'RC8-XXXX', 'RC9-XXXX'];
				expect(items).toEqual([{ json: { recoveryCodes }, pairedItem: { item: 0 } }]);
			},
		},
		{
			name: 'legacy: an answer without a body is { success: true }, one per item, paired',
			apiVersion: 'legacy',
			parameters: { resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'c2VjcmV0' },
			items: [{}, {}],
			answer: { status: 200 },
			output: (_, requests, items) => {
				expect(items).toEqual([
					{ json: { success: true }, pairedItem: { item: 0 } },
					{ json: { success: true }, pairedItem: { item: 1 } },
				]);
				expect(requests).toHaveLength(2);
			},
		},
	],
	statuses: [
		{ name: 'enable', parameters: current, statuses: [400, 401, 404, 421, 500, 503], messages: { 404: NOT_FOUND } },
		{ name: 'enable (legacy)', apiVersion: 'legacy', parameters: { ...legacy, delivery: 'None' }, statuses: [400, 401, 404, 421, 500, 503], messages: { 404: NOT_FOUND } },
	],
	errors: [...answerErrors('current:', 'current', current), ...answerErrors('legacy:', 'legacy', { ...legacy, delivery: 'None' })],
	more: (server) => {
		describeInputChecks(server, inputs);

		// Enable is refused to agents as a whole; these ask for what would hand an agent a second factor.
		test.each<[string, ApiVersion, INodeParameters]>([
			['Enable with an address of its own', 'current', { resource: 'twoFactor', operation: 'enable', userId: USER_ID, method: 'email', code: '123456', email: 'agent@example.com' }],
			[
				'Enable during a login (twoFactorId)',
				'current',
				{ resource: 'twoFactor', operation: 'enable', authenticateWith: 'jwt', jwt: JWT, method: 'authenticator', code: '1', secret: SECRET, additionalFields: { twoFactorId: TWO_FACTOR_ID } },
			],
		])('%s: refused to an AI agent before any request, saying why', async (_, apiVersion, parameters) => {
			server.respondWith({ status: 200, body: POISONED_ANSWER });
			const result = await runOperation(server.url, apiVersion, parameters, { tool: true, onError: 'continueRegularOutput' });
			expect(server.requests).toHaveLength(0);
			const refused = failures(result);
			expect(refused).toHaveLength(1);
			expect(refused[0].message).toMatch(/not available to AI agents|cannot be chosen by an AI agent/);
			expect(JSON.stringify(result.output)).not.toContain('LEAK');
		});
	},
});
