import { describeOperation } from '../table';
import { APPLICATION_ID, JWT, USER_ID } from '../support';
import type { InputCase } from '../checks';
import { answerErrors, describeInputChecks, FROM_ITEM } from '../checks';

const NOT_FOUND = `User ${USER_ID} not found`;

const current = { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: 'M1AB', code: '123456' };
const legacy = { resource: 'twoFactor', operation: 'disable', userId: USER_ID, code: '123456' };

const required = /is required/;
const notUuid = /must be a UUID/;
const inputs: InputCase[] = [
	{ name: 'malformed userId', apiVersion: 'current', parameters: { ...current, userId: FROM_ITEM }, good: USER_ID, bad: '2c1e1e39-0ae7-4a9b-8e0d', label: 'User ID', field: 'userId', problem: notUuid },
	{ name: 'blank code', apiVersion: 'current', parameters: { ...current, code: FROM_ITEM }, good: '123456', bad: '   ', label: 'Code', field: 'code', problem: required },
	{ name: 'malformed applicationId', apiVersion: 'current', parameters: { ...current, additionalFields: { applicationId: FROM_ITEM } }, good: APPLICATION_ID, bad: 'app-1', label: 'Application ID', field: 'applicationId', problem: notUuid },
	{ name: 'with a JWT: blank JWT', apiVersion: 'current', parameters: { ...current, authenticateWith: 'jwt', jwt: FROM_ITEM }, good: JWT, bad: '', label: 'JWT', field: 'jwt', problem: required },
	// A value that cannot be sent as it is.
	{ name: 'a methodId with an unpaired surrogate', apiVersion: 'current', parameters: { ...current, methodId: FROM_ITEM }, good: '2KSZ', bad: '\uDC002KSZ', label: 'Method ID', field: 'methodId', problem: /unpaired UTF-16 surrogate/ },
	{ name: 'legacy: blank code', apiVersion: 'legacy', parameters: { ...legacy, code: FROM_ITEM }, good: '123456', bad: ' ', label: 'Code', field: 'code', problem: required },
	{ name: 'legacy: blank userId', apiVersion: 'legacy', parameters: { ...legacy, userId: FROM_ITEM }, good: USER_ID, bad: '', label: 'User ID', field: 'userId', problem: required },
];

/** An answer without a body, for two items: one `{ success: true }` each, paired, one request each. */
const successPerItem = (_: unknown, requests: unknown[], items: unknown[]) => {
	expect(items).toEqual([
		{ json: { success: true }, pairedItem: { item: 0 } },
		{ json: { success: true }, pairedItem: { item: 1 } },
	]);
	expect(requests).toHaveLength(2);
};

describeOperation({
	resource: 'twoFactor',
	operation: 'disable',
	editor: {
		action: 'Disable a two factor method',
		panels: {
			current: { fields: ['authenticateWith', 'userId', 'methodId', 'code', 'additionalFields'], required: ['userId', 'code'] },
			legacy: { fields: ['authenticateWith', 'userId', 'code'], required: ['userId', 'code'] },
		},
	},
	samples: { current, legacy },
	// FusionAuth answers 200 without a body (API notes).
	answersWithBody: false,
	agentOutput: {
		current: (output) => expect(output).toEqual({}),
		legacy: (output) => expect(output).toEqual({}),
	},
	requests: [
		{
			name: 'DELETE /api/user/two-factor/{userId}?methodId=&code= = disableTwoFactor',
			parameters: { ...current, methodId: '2KSZ' },
			client: (client) => client.disableTwoFactor(USER_ID, '2KSZ', '123456'),
		},
		{
			name: 'by JWT: DELETE /api/user/two-factor?methodId=&code=, Bearer and no key (API notes)',
			parameters: { resource: 'twoFactor', operation: 'disable', authenticateWith: 'jwt', jwt: JWT, methodId: '2KSZ', code: '123456' },
			documented: { method: 'DELETE', url: '/api/user/two-factor?methodId=2KSZ&code=123456', authorization: 'jwt' },
		},
		{
			// The client sends no applicationId at all; FusionAuth 1.44+ reads it from the query.
			name: 'an unset applicationId is left out',
			parameters: { ...current, methodId: '2KSZ', additionalFields: { applicationId: '' } },
			documented: { method: 'DELETE', url: `/api/user/two-factor/${USER_ID}?methodId=2KSZ&code=123456`, authorization: 'apiKey' },
		},
		{
			name: 'a set applicationId goes in the query (FusionAuth 1.44+)',
			parameters: { ...current, methodId: '2KSZ', additionalFields: { applicationId: APPLICATION_ID } },
			documented: { method: 'DELETE', url: `/api/user/two-factor/${USER_ID}?methodId=2KSZ&code=123456&applicationId=${APPLICATION_ID}`, authorization: 'apiKey' },
		},
		{
			name: 'with a recovery code and no method id, only the code',
			parameters: { ...current, methodId: '', code: 'XK7PD-2LQ9W' },
			documented: { method: 'DELETE', url: `/api/user/two-factor/${USER_ID}?code=XK7PD-2LQ9W`, authorization: 'apiKey' },
		},
		{
			name: 'a userId and code with surrounding white space go out trimmed',
			parameters: { ...current, methodId: '2KSZ', userId: `  ${USER_ID.toUpperCase()}\n`, code: ' 123456 ' },
			documented: { method: 'DELETE', url: `/api/user/two-factor/${USER_ID.toUpperCase()}?methodId=2KSZ&code=123456`, authorization: 'apiKey' },
		},
		{
			name: 'legacy: disable_two_factor_by_user_id, DELETE /api/user/two-factor/{userId}?code=',
			apiVersion: 'legacy',
			parameters: legacy,
			documented: { method: 'DELETE', url: `/api/user/two-factor/${USER_ID}?code=123456`, authorization: 'apiKey' },
		},
		{
			name: 'legacy: disable_two_factor_by_jwt, DELETE /api/user/two-factor?code= with Bearer',
			apiVersion: 'legacy',
			parameters: { resource: 'twoFactor', operation: 'disable', authenticateWith: 'jwt', jwt: JWT, code: '123456' },
			documented: { method: 'DELETE', url: '/api/user/two-factor?code=123456', authorization: 'jwt' },
		},
	],
	outputs: [
		{
			name: 'an answer without a body is { success: true }, one per item, paired',
			parameters: { ...current, methodId: '2KSZ' },
			items: [{}, {}],
			answer: { status: 200 },
			output: successPerItem,
		},
		{
			name: 'legacy: an answer without a body is { success: true }, one per item, paired',
			apiVersion: 'legacy',
			parameters: legacy,
			items: [{}, {}],
			answer: { status: 200 },
			output: successPerItem,
		},
	],
	statuses: [
		{ name: 'disable', parameters: current, statuses: [400, 401, 404, 421, 500, 503], messages: { 404: NOT_FOUND } },
		{ name: 'disable (legacy)', apiVersion: 'legacy', parameters: legacy, statuses: [400, 401, 404, 421, 500, 503], messages: { 404: NOT_FOUND } },
	],
	errors: [...answerErrors('current:', 'current', current), ...answerErrors('legacy:', 'legacy', legacy)],
	more: (server) => describeInputChecks(server, inputs),
});
