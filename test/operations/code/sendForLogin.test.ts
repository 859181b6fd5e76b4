import { TWO_FACTOR_ID } from '../support';
import { describeOperation } from '../table';
import type { AnsweredError } from '../checks';
import { answerErrors, describeInputChecks, FROM_ITEM } from '../checks';

const CURRENT = { resource: 'code', operation: 'sendForLogin', twoFactorId: TWO_FACTOR_ID, methodId: '2KSZ' };
const LEGACY = { resource: 'code', operation: 'sendForLogin', twoFactorId: TWO_FACTOR_ID };
const LOGIN_NOT_FOUND = 'Two factor login not found: the twoFactorId is unknown or has expired';
// Sending a login's code answers 400, 404, 500 and 503 besides 200 (API notes); it needs no key, so no 401.
const documented = (row: AnsweredError) => [400, 500, 503].includes(row.answer.status!);
const SUCCESS_PER_ITEM = [
	{ json: { success: true }, pairedItem: { item: 0 } },
	{ json: { success: true }, pairedItem: { item: 1 } },
];

describeOperation({
	resource: 'code',
	operation: 'sendForLogin',
	editor: {
		action: 'Send a code to complete a login',
		panels: {
			current: { fields: ['twoFactorId', 'methodId', 'additionalFields'], required: ['twoFactorId', 'methodId'] },
			legacy: { fields: ['twoFactorId'], required: ['twoFactorId'] },
		},
	},
	samples: {
		current: { resource: 'code', operation: 'sendForLogin', twoFactorId: TWO_FACTOR_ID, methodId: 'M1AB' },
		legacy: LEGACY,
	},
	// FusionAuth answers 200 without a body (API notes).
	answersWithBody: false,
	agentOutput: {
		current: (output) => expect(output).toEqual({}),
		legacy: (output) => expect(output).toEqual({}),
	},
	requests: [
		{
			name: 'POST /api/two-factor/send/{twoFactorId}, no Authorization = sendTwoFactorCodeForLoginUsingMethod',
			parameters: { resource: 'code', operation: 'sendForLogin', twoFactorId: TWO_FACTOR_ID, methodId: 'K2UQ' },
			client: (client) => client.sendTwoFactorCodeForLoginUsingMethod(TWO_FACTOR_ID, { methodId: 'K2UQ' }),
		},
		{
			name: 'by voice = sendTwoFactorCodeForLoginUsingMethod',
			parameters: { resource: 'code', operation: 'sendForLogin', twoFactorId: TWO_FACTOR_ID, methodId: 'K2UQ', additionalFields: { messageType: 'Voice' } },
			client: (client) => client.sendTwoFactorCodeForLoginUsingMethod(TWO_FACTOR_ID, { methodId: 'K2UQ', messageType: 'Voice' } as never),
		},
		{
			// FusionAuth needs no credentials here: none are sent.
			name: 'legacy: POST /api/two-factor/send/{twoFactorId}, no Authorization (send_two_factor_code_to_complete_login)',
			apiVersion: 'legacy',
			parameters: LEGACY,
			documented: { method: 'POST', url: `/api/two-factor/send/${TWO_FACTOR_ID}`, authorization: 'none', body: {} },
		},
	],
	outputs: [
		{
			name: 'an answer without a body is { success: true }, one per item, paired',
			parameters: CURRENT,
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
			parameters: LEGACY,
			items: [{}, {}],
			answer: { status: 200 },
			output: (_, requests, items) => {
				expect(items).toEqual(SUCCESS_PER_ITEM);
				expect(requests).toHaveLength(2);
			},
		},
	],
	errors: [...answerErrors('current:', 'current', CURRENT).filter(documented), ...answerErrors('legacy:', 'legacy', LEGACY).filter(documented)],
	statuses: [
		{ name: 'sendForLogin', parameters: CURRENT, statuses: [400, 404, 500, 503], messages: { 404: LOGIN_NOT_FOUND }, auth: 'none' },
		{ name: 'sendForLogin (legacy)', apiVersion: 'legacy', parameters: LEGACY, statuses: [400, 404, 500, 503], messages: { 404: LOGIN_NOT_FOUND }, auth: 'none' },
	],
	more: (server) => {
		describeInputChecks(server, [
			{ name: 'blank twoFactorId', apiVersion: 'current', parameters: { ...CURRENT, twoFactorId: FROM_ITEM }, good: TWO_FACTOR_ID, bad: '  ', label: 'Two Factor ID', field: 'twoFactorId', problem: /is required/ },
			{ name: 'blank methodId', apiVersion: 'current', parameters: { ...CURRENT, methodId: FROM_ITEM }, good: '2KSZ', bad: '', label: 'Method ID', field: 'methodId', problem: /is required/ },
			{
				name: 'a twoFactorId with an unpaired surrogate',
				apiVersion: 'current',
				parameters: { ...CURRENT, twoFactorId: FROM_ITEM },
				good: TWO_FACTOR_ID,
				bad: 'tf\uD800id',
				label: 'Two Factor ID',
				field: 'twoFactorId',
				problem: /unpaired UTF-16 surrogate/,
			},
			{ name: 'legacy: blank twoFactorId', apiVersion: 'legacy', parameters: { ...LEGACY, twoFactorId: FROM_ITEM }, good: TWO_FACTOR_ID, bad: '', label: 'Two Factor ID', field: 'twoFactorId', problem: /is required/ },
		]);
	},
});
