import { APPLICATION_ID, JWT, USER_ID } from '../support';
import { describeOperation } from '../table';
import { answerErrors, describeInputChecks, FROM_ITEM } from '../checks';

// The Base64 secret a legacy SMS code is computed from, before the method is enabled.
const SECRET = 'TGVnYWN5U2VjcmV0MTIzNA==';

const ENABLE_EMAIL = { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'enable', method: 'email', email: 'jane@example.com' };
const LEGACY_TO_USER = { resource: 'code', operation: 'send', sendTo: 'user', userId: USER_ID };
const SUCCESS_PER_ITEM = [
	{ json: { success: true }, pairedItem: { item: 0 } },
	{ json: { success: true }, pairedItem: { item: 1 } },
];

const required = /is required/;
const notUuid = /must be a UUID/;

describeOperation({
	resource: 'code',
	operation: 'send',
	editor: {
		action: 'Send a code to enable or disable two factor',
		panels: {
			current: { fields: ['authenticateWith', 'userId', 'purpose', 'method', 'email', 'additionalFields'], required: ['userId', 'email'] },
			legacy: { fields: ['authenticateWith', 'sendTo', 'userId'], required: ['userId'] },
		},
	},
	samples: {
		current: { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'disable', methodId: 'M1AB' },
		legacy: { resource: 'code', operation: 'send', userId: USER_ID },
	},
	// FusionAuth answers 200 without a body (API notes).
	answersWithBody: false,
	agentOutput: {
		current: (output) => expect(output).toEqual({}),
		legacy: (output) => expect(output).toEqual({}),
	},
	requests: [
		{
			name: 'to enable an email method = sendTwoFactorCodeForEnableDisable',
			parameters: ENABLE_EMAIL,
			client: (client) => client.sendTwoFactorCodeForEnableDisable({ userId: USER_ID, method: 'email', email: 'jane@example.com' }),
		},
		{
			name: 'to enable an SMS method, by voice, for an application = sendTwoFactorCodeForEnableDisable',
			parameters: {
				resource: 'code',
				operation: 'send',
				userId: USER_ID,
				purpose: 'enable',
				method: 'sms',
				mobilePhone: '+15555550123',
				additionalFields: { applicationId: APPLICATION_ID, messageType: 'Voice' },
			},
			client: (client) =>
				client.sendTwoFactorCodeForEnableDisable({
					userId: USER_ID,
					method: 'sms',
					mobilePhone: '+15555550123',
					applicationId: APPLICATION_ID,
					messageType: 'Voice',
				} as never),
		},
		{
			name: 'to disable a method = sendTwoFactorCodeForEnableDisable',
			parameters: { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'disable', methodId: '2KSZ' },
			client: (client) => client.sendTwoFactorCodeForEnableDisable({ userId: USER_ID, methodId: '2KSZ' }),
		},
		{
			// The official client has no JWT form: the API notes give the API-key body without userId.
			name: 'by JWT: POST /api/two-factor/send, the API-key body without userId, Bearer and no key',
			parameters: { resource: 'code', operation: 'send', authenticateWith: 'jwt', jwt: JWT, purpose: 'enable', method: 'email', email: 'jane@example.com' },
			documented: { method: 'POST', url: '/api/two-factor/send', authorization: 'jwt', body: { method: 'email', email: 'jane@example.com' } },
		},
		{
			name: 'legacy: to the user (send_two_factor_code_by_user_id)',
			apiVersion: 'legacy',
			parameters: LEGACY_TO_USER,
			documented: { method: 'POST', url: '/api/two-factor/send', authorization: 'apiKey', body: { userId: USER_ID } },
		},
		{
			name: 'legacy: to a mobile phone, with the secret (send_two_factor_code_to_mobile_phone)',
			apiVersion: 'legacy',
			parameters: { resource: 'code', operation: 'send', sendTo: 'mobilePhone', mobilePhone: '+15555550123', secret: SECRET },
			documented: { method: 'POST', url: '/api/two-factor/send', authorization: 'apiKey', body: { mobilePhone: '+15555550123', secret: SECRET } },
		},
		{
			name: 'legacy: by JWT (send_two_factor_code_by_jwt)',
			apiVersion: 'legacy',
			parameters: { resource: 'code', operation: 'send', authenticateWith: 'jwt', jwt: JWT },
			documented: { method: 'POST', url: '/api/two-factor/send', authorization: 'jwt', body: {} },
		},
	],
	outputs: [
		{
			name: 'an answer without a body is { success: true }, one per item, paired',
			parameters: { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'disable', methodId: '2KSZ' },
			items: [{}, {}],
			answer: { status: 200 },
			output: (_, requests, items) => {
				expect(items).toEqual(SUCCESS_PER_ITEM);
				expect(requests).toHaveLength(2);
			},
		},
		{
			name: 'legacy: an answer without a body is { success: true }, one per item, paired',
			apiVersion: 'legacy',
			parameters: LEGACY_TO_USER,
			items: [{}, {}],
			answer: { status: 200 },
			output: (_, requests, items) => {
				expect(items).toEqual(SUCCESS_PER_ITEM);
				expect(requests).toHaveLength(2);
			},
		},
	],
	// The send endpoint answers 400, 401, 500 and 503 besides 200 (API notes).
	errors: [...answerErrors('current:', 'current', ENABLE_EMAIL), ...answerErrors('legacy:', 'legacy', LEGACY_TO_USER)],
	statuses: [
		{ name: 'send', parameters: ENABLE_EMAIL, statuses: [400, 401, 500, 503] },
		{ name: 'send (legacy)', apiVersion: 'legacy', parameters: LEGACY_TO_USER, statuses: [400, 401, 500, 503] },
	],
	more: (server) => {
		describeInputChecks(server, [
			{ name: 'malformed userId', apiVersion: 'current', parameters: { ...ENABLE_EMAIL, userId: FROM_ITEM }, good: USER_ID, bad: 'jane@example.com', label: 'User ID', field: 'userId', problem: notUuid },
			{ name: 'blank email', apiVersion: 'current', parameters: { ...ENABLE_EMAIL, email: FROM_ITEM }, good: 'jane@example.com', bad: '  ', label: 'Email', field: 'email', problem: required },
			{ name: 'blank mobilePhone', apiVersion: 'current', parameters: { ...ENABLE_EMAIL, method: 'sms', mobilePhone: FROM_ITEM }, good: '+15555550123', bad: '', label: 'Mobile Phone', field: 'mobilePhone', problem: required },
			{ name: 'to disable: blank methodId', apiVersion: 'current', parameters: { ...ENABLE_EMAIL, purpose: 'disable', methodId: FROM_ITEM }, good: '2KSZ', bad: ' ', label: 'Method ID', field: 'methodId', problem: required },
			{ name: 'malformed applicationId', apiVersion: 'current', parameters: { ...ENABLE_EMAIL, additionalFields: { applicationId: FROM_ITEM } }, good: APPLICATION_ID, bad: '{{app}}', label: 'Application ID', field: 'applicationId', problem: notUuid },
			{ name: 'legacy: malformed userId', apiVersion: 'legacy', parameters: { ...LEGACY_TO_USER, userId: FROM_ITEM }, good: USER_ID, bad: 'x', label: 'User ID', field: 'userId', problem: notUuid },
			{
				name: 'legacy, to a phone: blank mobilePhone',
				apiVersion: 'legacy',
				parameters: { ...LEGACY_TO_USER, sendTo: 'mobilePhone', secret: 'c2VjcmV0', mobilePhone: FROM_ITEM },
				good: '+15555550123',
				bad: ' ',
				label: 'Mobile Phone',
				field: 'mobilePhone',
				problem: required,
			},
			{
				name: 'legacy, to a phone: blank secret',
				apiVersion: 'legacy',
				parameters: { ...LEGACY_TO_USER, sendTo: 'mobilePhone', mobilePhone: '+15555550123', secret: FROM_ITEM },
				good: 'c2VjcmV0',
				bad: '',
				label: 'Secret',
				field: 'secret',
				problem: required,
			},
		]);
	},
});
