import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';

const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
const APPLICATION_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ2YWxpZGF0aW9uIn0.validation-signature';
const API_KEY = 'validation-test-api-key';
const FROM_ITEM = '={{ $json.value }}';

interface ValidationCase {
	/** What is wrong. */
	name: string;
	/** The node's parameters; the field under test reads `$json.value`. */
	parameters: INodeParameters;
	/** A value that passes, for item 0. */
	good: unknown;
	/** A value that must fail, for item 1. */
	bad: unknown;
	/** The field's display name, as the message starts. */
	label: string;
	/** Its internal name, as the description says. */
	field: string;
	problem: RegExp;
}

const enableCurrent = { resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'c2VjcmV0' };
const enableLegacy = { ...enableCurrent, apiVersion: 'legacy', delivery: 'None' };
const disableCurrent = { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: '2KSZ', code: '123456' };
const disableLegacy = { apiVersion: 'legacy', resource: 'twoFactor', operation: 'disable', userId: USER_ID, code: '123456' };
const sendCurrent = { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'enable', method: 'email', email: 'jane@example.com' };
const sendLegacy = { apiVersion: 'legacy', resource: 'code', operation: 'send', sendTo: 'user', userId: USER_ID };
const sendForLoginCurrent = { resource: 'code', operation: 'sendForLogin', twoFactorId: 'tfid-1', methodId: '2KSZ' };
const sendForLoginLegacy = { apiVersion: 'legacy', resource: 'code', operation: 'sendForLogin', twoFactorId: 'tfid-1' };

const required = /is required/;
const notUuid = /must be a UUID/;

const cases: ValidationCase[] = [
	// twoFactor.enable, current
	{ name: 'enable: blank userId', parameters: { ...enableCurrent, userId: FROM_ITEM }, good: USER_ID, bad: '   ', label: 'User ID', field: 'userId', problem: required },
	{ name: 'enable: malformed userId', parameters: { ...enableCurrent, userId: FROM_ITEM }, good: USER_ID, bad: 'not-a-uuid', label: 'User ID', field: 'userId', problem: notUuid },
	{ name: 'enable: userId that is not text', parameters: { ...enableCurrent, userId: FROM_ITEM }, good: USER_ID, bad: { id: USER_ID }, label: 'User ID', field: 'userId', problem: /must be text/ },
	{ name: 'enable: blank code', parameters: { ...enableCurrent, code: FROM_ITEM }, good: '123456', bad: ' \t ', label: 'Code', field: 'code', problem: required },
	{ name: 'enable: no secret for the authenticator', parameters: { ...enableCurrent, secret: FROM_ITEM }, good: 'c2VjcmV0', bad: '  ', label: 'Secret', field: 'secret', problem: required },
	{ name: 'enable: blank email for the email method', parameters: { ...enableCurrent, method: 'email', email: FROM_ITEM }, good: 'jane@example.com', bad: '', label: 'Email', field: 'email', problem: required },
	{ name: 'enable: blank mobilePhone for the sms method', parameters: { ...enableCurrent, method: 'sms', mobilePhone: FROM_ITEM }, good: '+15555550123', bad: ' ', label: 'Mobile Phone', field: 'mobilePhone', problem: required },
	{ name: 'enable: malformed applicationId', parameters: { ...enableCurrent, additionalFields: { applicationId: FROM_ITEM } }, good: APPLICATION_ID, bad: `${APPLICATION_ID}x`, label: 'Application ID', field: 'applicationId', problem: notUuid },
	{ name: 'enable: blank JWT', parameters: { ...enableCurrent, authenticateWith: 'jwt', jwt: FROM_ITEM }, good: JWT, bad: '  ', label: 'JWT', field: 'jwt', problem: required },
	// twoFactor.enable, legacy
	{ name: 'legacy enable: malformed userId', parameters: { ...enableLegacy, userId: FROM_ITEM }, good: USER_ID, bad: '../admin', label: 'User ID', field: 'userId', problem: notUuid },
	{ name: 'legacy enable: blank code', parameters: { ...enableLegacy, code: FROM_ITEM }, good: '123456', bad: ' ', label: 'Code', field: 'code', problem: required },
	{ name: 'legacy enable: blank secret', parameters: { ...enableLegacy, secret: FROM_ITEM }, good: 'c2VjcmV0', bad: '', label: 'Secret', field: 'secret', problem: required },
	// twoFactor.disable
	{ name: 'disable: malformed userId', parameters: { ...disableCurrent, userId: FROM_ITEM }, good: USER_ID, bad: '2c1e1e39-0ae7-4a9b-8e0d', label: 'User ID', field: 'userId', problem: notUuid },
	{ name: 'disable: blank code', parameters: { ...disableCurrent, code: FROM_ITEM }, good: '123456', bad: '   ', label: 'Code', field: 'code', problem: required },
	{ name: 'disable: malformed applicationId', parameters: { ...disableCurrent, additionalFields: { applicationId: FROM_ITEM } }, good: APPLICATION_ID, bad: 'app-1', label: 'Application ID', field: 'applicationId', problem: notUuid },
	{ name: 'disable with a JWT: blank JWT', parameters: { ...disableCurrent, authenticateWith: 'jwt', jwt: FROM_ITEM }, good: JWT, bad: '', label: 'JWT', field: 'jwt', problem: required },
	{ name: 'legacy disable: blank code', parameters: { ...disableLegacy, code: FROM_ITEM }, good: '123456', bad: ' ', label: 'Code', field: 'code', problem: required },
	{ name: 'legacy disable: blank userId', parameters: { ...disableLegacy, userId: FROM_ITEM }, good: USER_ID, bad: '', label: 'User ID', field: 'userId', problem: required },
	// secret.generate
	{ name: 'generate secret: issuer without account name', parameters: { resource: 'secret', operation: 'generate', additionalFields: { issuer: 'Example', accountName: FROM_ITEM } }, good: 'jane@example.com', bad: '  ', label: 'Account Name', field: 'accountName', problem: /is needed too/ },
	{ name: 'generate secret: blank JWT', parameters: { resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt: FROM_ITEM }, good: JWT, bad: ' ', label: 'JWT', field: 'jwt', problem: required },
	// code.send
	{ name: 'send: malformed userId', parameters: { ...sendCurrent, userId: FROM_ITEM }, good: USER_ID, bad: 'jane@example.com', label: 'User ID', field: 'userId', problem: notUuid },
	{ name: 'send: blank email', parameters: { ...sendCurrent, email: FROM_ITEM }, good: 'jane@example.com', bad: '  ', label: 'Email', field: 'email', problem: required },
	{ name: 'send: blank mobilePhone', parameters: { ...sendCurrent, method: 'sms', mobilePhone: FROM_ITEM }, good: '+15555550123', bad: '', label: 'Mobile Phone', field: 'mobilePhone', problem: required },
	{ name: 'send to disable: blank methodId', parameters: { ...sendCurrent, purpose: 'disable', methodId: FROM_ITEM }, good: '2KSZ', bad: ' ', label: 'Method ID', field: 'methodId', problem: required },
	{ name: 'send: malformed applicationId', parameters: { ...sendCurrent, additionalFields: { applicationId: FROM_ITEM } }, good: APPLICATION_ID, bad: '{{app}}', label: 'Application ID', field: 'applicationId', problem: notUuid },
	{ name: 'legacy send: malformed userId', parameters: { ...sendLegacy, userId: FROM_ITEM }, good: USER_ID, bad: 'x', label: 'User ID', field: 'userId', problem: notUuid },
	{ name: 'legacy send to a phone: blank mobilePhone', parameters: { ...sendLegacy, sendTo: 'mobilePhone', secret: 'c2VjcmV0', mobilePhone: FROM_ITEM }, good: '+15555550123', bad: ' ', label: 'Mobile Phone', field: 'mobilePhone', problem: required },
	{ name: 'legacy send to a phone: blank secret', parameters: { ...sendLegacy, sendTo: 'mobilePhone', mobilePhone: '+15555550123', secret: FROM_ITEM }, good: 'c2VjcmV0', bad: '', label: 'Secret', field: 'secret', problem: required },
	// code.sendForLogin
	{ name: 'send for login: blank twoFactorId', parameters: { ...sendForLoginCurrent, twoFactorId: FROM_ITEM }, good: 'tfid-1', bad: '  ', label: 'Two Factor ID', field: 'twoFactorId', problem: required },
	{ name: 'send for login: blank methodId', parameters: { ...sendForLoginCurrent, methodId: FROM_ITEM }, good: '2KSZ', bad: '', label: 'Method ID', field: 'methodId', problem: required },
	// Values that cannot be sent as they are
	{ name: 'enable: a JWT with a space inside', parameters: { ...enableCurrent, authenticateWith: 'jwt', jwt: FROM_ITEM }, good: JWT, bad: 'eyJ.a b.sig', label: 'JWT', field: 'jwt', problem: /must be one token/ },
	{ name: 'generate secret: a JWT with a line break inside', parameters: { resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt: FROM_ITEM }, good: JWT, bad: 'eyJ.abc\r\nX-Injected: 1', label: 'JWT', field: 'jwt', problem: /must be one token/ },
	{ name: 'send for login: a twoFactorId with an unpaired surrogate', parameters: { ...sendForLoginCurrent, twoFactorId: FROM_ITEM }, good: 'tfid-1', bad: 'tf\uD800id', label: 'Two Factor ID', field: 'twoFactorId', problem: /unpaired UTF-16 surrogate/ },
	{ name: 'disable: a methodId with an unpaired surrogate', parameters: { ...disableCurrent, methodId: FROM_ITEM }, good: '2KSZ', bad: '\uDC002KSZ', label: 'Method ID', field: 'methodId', problem: /unpaired UTF-16 surrogate/ },
	{ name: 'legacy send for login: blank twoFactorId', parameters: { ...sendForLoginLegacy, twoFactorId: FROM_ITEM }, good: 'tfid-1', bad: '', label: 'Two Factor ID', field: 'twoFactorId', problem: required },
];

const server = useRecordingServer();

function items(testCase: ValidationCase): IDataObject[] {
	return [{ value: testCase.good }, { value: testCase.bad }] as IDataObject[];
}

describe.each(cases)('$name', (testCase) => {
	test('stops the workflow with a NodeOperationError naming the field and item 1, before its request', async () => {
		const result = await runNode({
			parameters: { ...testCase.parameters, options: { concurrency: 1 } },
			items: items(testCase),
			credentials: { baseUrl: server.url, apiKey: API_KEY },
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error!.message.startsWith(`${testCase.label} `)).toBe(true);
		expect(result.error!.message).toMatch(testCase.problem);
		expect(result.error!.message).toContain('[item 1]');
		expect(result.error!.description).toContain(`"${testCase.field}"`);
		expect(result.error!.context?.itemIndex).toBe(1);
		// Item 0 went out; item 1 never did.
		expect(server.requests).toHaveLength(1);
	});

	test('with Continue On Fail: item 0 is sent, item 1 fails alone without a request', async () => {
		const result = await runNode({
			parameters: testCase.parameters,
			items: items(testCase),
			credentials: { baseUrl: server.url, apiKey: API_KEY },
			onError: 'continueRegularOutput',
		});
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		expect(result.output).toHaveLength(2);
		expect(result.output[0].json).not.toHaveProperty('error');
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
		expect(result.output[1].pairedItem).toEqual({ item: 1 });
		const message = String(result.output[1].json.error);
		expect(message.startsWith(`${testCase.label} `)).toBe(true);
		expect(message).toMatch(testCase.problem);
		expect(message).toContain('[item 1]');
	});
});

describe('values that pass after trimming', () => {
	test('a userId and code with surrounding white space go out trimmed', async () => {
		const result = await runNode({
			parameters: { ...disableCurrent, userId: `  ${USER_ID.toUpperCase()}\n`, code: ' 123456 ' },
			credentials: { baseUrl: server.url, apiKey: API_KEY },
		});
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => request.url)).toEqual([
			`/api/user/two-factor/${USER_ID.toUpperCase()}?methodId=2KSZ&code=123456`,
		]);
	});
});

describe('code.generateTotp checks its inputs without any request', () => {
	const generateTotp = { resource: 'code', operation: 'generateTotp', secret: 'c2VjcmV0c2VjcmV0' };

	test.each([
		['blank secret', { ...generateTotp, secret: '   ' }, /^Secret is required \[item 0\]$/],
		['secret that is not Base64', { ...generateTotp, secret: '!!!not base64!!!' }, /^Secret is not valid Base64 \[item 0\]$/],
		['secret that is not Base32', { ...generateTotp, secretEncoding: 'base32', secret: '1189' }, /^Secret is not valid Base32 \[item 0\]$/],
		['time that is not a date', { ...generateTotp, additionalFields: { time: 'yesterday-ish' } }, /^Time must be a date/],
	])('%s', async (_name, parameters, message) => {
		const result = await runNode({ parameters, credentials: { baseUrl: server.url, apiKey: API_KEY } });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error!.message).toMatch(message);
		expect(result.error!.context?.itemIndex).toBe(0);
		expect(server.requests).toHaveLength(0);
	});
});
