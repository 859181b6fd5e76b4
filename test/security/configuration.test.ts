/**
 * Cases 7 and 8: the Base URL is parsed by one rule, and every value that only the editor checks
 * (options, choices, the credential's fields) is checked again at run time, before any request.
 */
import type { INodeParameters } from 'n8n-workflow';

import { baseUrlProblem, parseBaseUrl } from '../../dist/nodes/shared/baseUrl';
import { useRecordingServer } from '../harness/lifecycle';
import { header } from '../harness/wire';
import { API_KEY, errors, runAt, TENANT_ID, USER_ID } from './support';

const server = useRecordingServer();

const secretGenerate: INodeParameters = { resource: 'secret', operation: 'generate' };

describe('the Base URL (case 7)', () => {
	test.each([
		['a query', (url: string) => `${url}/auth?x=1`, 'must not have a query (?...)'],
		['an empty query', (url: string) => `${url}/auth?`, 'must not have a query (?...)'],
		['a fragment', (url: string) => `${url}/auth#`, 'must not have a fragment (#...)'],
		['user info', (url: string) => url.replace('http://', 'http://admin:pw@'), 'must not contain a user name or password'],
		['a trailing /api', (url: string) => `${url}/api`, 'must not end in /api: the node adds /api/... itself'],
		['a trailing /api/', (url: string) => `${url}/fusionauth/api/`, 'must not end in /api'],
		['no scheme', (url: string) => url.replace('http://', ''), 'must start with http:// or https://'],
		['another scheme', (url: string) => url.replace('http://', 'ftp://'), 'must start with http:// or https://'],
		['a space inside', (url: string) => `${url}/a b`, 'contains spaces or control characters'],
	])('%s is refused before any request, naming the field', async (_, make, problem) => {
		const result = await runAt(make(server.url), secretGenerate);
		expect(result.error?.message).toContain(`The Base URL in the FusionAuth credential ${problem}`);
		expect(server.requests).toHaveLength(0);
	});

	test('also on the calls that go without credentials', async () => {
		const result = await runAt(`${server.url}/auth?x=1`, { resource: 'login', operation: 'complete', twoFactorId: 'tfid', code: '1' });
		expect(result.error?.message).toContain('must not have a query');
		expect(server.requests).toHaveLength(0);
	});

	test('a path prefix is kept, trailing slashes and surrounding spaces are not', async () => {
		await runAt(`  ${server.url}/fusionauth//  `, secretGenerate);
		expect(server.requests.map((request) => request.url)).toEqual(['/fusionauth/api/two-factor/secret']);
	});

	test('the rule itself, as the credential test uses it', () => {
		expect(parseBaseUrl(' https://Auth.Example.com/fa/ ')).toBe('https://auth.example.com/fa');
		expect(parseBaseUrl('http://127.0.0.1:9011')).toBe('http://127.0.0.1:9011');
		expect(baseUrlProblem('https://auth.example.com')).toBeUndefined();
		expect(baseUrlProblem('https://auth.example.com/api')).toMatch(/must not end in \/api/);
		expect(() => parseBaseUrl('https://u:p@auth.example.com')).toThrow(/user name or password/);
	});
});

describe('options and choices set by expressions (case 8)', () => {
	test.each([
		['concurrency', '={{ 0 }}', 'Options > Concurrency must be a whole number from 1 to 500, not 0'],
		['concurrency', '={{ 501 }}', 'Options > Concurrency must be a whole number from 1 to 500, not 501'],
		['concurrency', '={{ 2.5 }}', 'Options > Concurrency must be a whole number from 1 to 500, not 2.5'],
		['retries', '={{ 1000 }}', 'Options > Retries must be a whole number from 0 to 10, not 1000'],
		['retries', '={{ -1 }}', 'Options > Retries must be a whole number from 0 to 10, not -1'],
		['retryDelay', '={{ 0 }}', 'Options > Retry Delay (Ms) must be a whole number from 100 to 60,000, not 0'],
		['timeout', '={{ 0 }}', 'Options > Timeout (Seconds) must be a number from 0.1 to 600, not 0'],
		['maxRetryWait', '={{ -5 }}', 'Options > Max Retry Wait (Seconds) must be a number from 0 to 3,600, not -5'],
		['timeout', '={{ "soon" }}', 'Options > Timeout (Seconds) must be a number from 0.1 to 600, not "soon"'],
	])('%s = %s fails before any request, naming the option and its limits', async (name, value, message) => {
		const result = await runAt(server.url, { ...secretGenerate, options: { [name]: value } });
		expect(result.error?.message).toBe(message);
		expect(server.requests).toHaveLength(0);
	});

	test.each<[string, 'current' | 'legacy', INodeParameters, string]>([
		['Enable: method', 'current', { resource: 'twoFactor', operation: 'enable', userId: USER_ID, method: '={{ "bogus" }}', code: '1', secret: 'DlOdmbsOiI4Nk7n3oUIhOw==', email: 'j@example.com', mobilePhone: '+15555550100' }, 'Method must be one of "authenticator", "email", "sms", not "bogus" [item 0]'],
		['Enable (legacy): delivery', 'legacy', { resource: 'twoFactor', operation: 'enable', userId: USER_ID, delivery: '={{ "Pigeon" }}', code: '1', secret: 's' }, 'Delivery must be one of "None", "TextMessage", not "Pigeon" [item 0]'],
		['Send Code: purpose', 'current', { resource: 'code', operation: 'send', userId: USER_ID, purpose: '={{ "both" }}', email: 'j@example.com', mobilePhone: '+15555550100', methodId: 'M1AB' }, 'Purpose must be one of "enable", "disable", not "both" [item 0]'],
		['Get Status: action', 'current', { resource: 'login', operation: 'getStatus', userId: USER_ID, additionalFields: { action: '={{ "everything" }}' } }, 'Action must be one of "changePassword", "login", "stepUp", not "everything" [item 0]'],
		['Start Login: login ID types', 'current', { resource: 'login', operation: 'start', startBy: 'loginId', loginId: 'jane', additionalFields: { loginIdTypes: '={{ ["email", "pager"] }}' } }, 'Login ID Types must be one of "email", "phoneNumber", "username", not "pager" [item 0]'],
		['Get Many: two factor status', 'current', { resource: 'user', operation: 'getMany', twoFactorStatus: '={{ "half" }}' }, 'Two Factor Status must be one of "notEnabled", "enabled", "any", not "half" [item 0]'],
		['Authenticate With', 'current', { resource: 'secret', operation: 'generate', authenticateWith: 'password' }, 'Authenticate With must be one of "apiKey", "jwt", not "password" [item 0]'],
	])('%s: a value the options do not offer fails the item before any request', async (_, apiVersion, parameters, message) => {
		const result = await runAt(server.url, { ...parameters, apiVersion });
		expect(result.error?.message).toBe(message);
		expect(server.requests).toHaveLength(0);
	});
});

describe("the credential's values (case 8)", () => {
	test.each([
		['apiKey', `${API_KEY}\r\nX-Injected: 1`, 'API Key'],
		['apiKey', `${API_KEY}\u0000`, 'API Key'],
		['tenantId', `${TENANT_ID}\n`.replace('\n', '\tx'), 'Tenant ID'],
		['apiKey', `${API_KEY}\u00e9`, 'API Key'],
	])('%s with control or non-header characters is refused, naming the field, before any request', async (field, value, label) => {
		const result = await runAt(server.url, secretGenerate, {
			credentials: { baseUrl: server.url, apiKey: API_KEY, tenantId: TENANT_ID, [field]: value },
		});
		expect(result.error?.message).toBe(
			`The ${label} in the FusionAuth credential contains control characters or line breaks (or characters a header cannot carry): paste it again without them`,
		);
		expect(server.requests).toHaveLength(0);
	});

	test('surrounding spaces are trimmed from the API key and the tenant', async () => {
		await runAt(server.url, secretGenerate, { credentials: { baseUrl: server.url, apiKey: `  ${API_KEY}  `, tenantId: ` ${TENANT_ID} ` } });
		expect(header(server.requests[0], 'authorization')).toBe(API_KEY);
		expect(header(server.requests[0], 'x-fusionauth-tenantid')).toBe(TENANT_ID);
	});
});

test('errors name the failing values, never a credential', async () => {
	const result = await runAt(server.url, { ...secretGenerate, options: { retries: '={{ 99 }}' } }, { onError: 'continueRegularOutput' });
	expect(JSON.stringify(errors(result))).not.toContain(API_KEY);
});
