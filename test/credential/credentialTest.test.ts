import '../harness/environment';

import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { TestCredentialsHelper } from '../harness/n8n';
import { loadPackage } from '../harness/package';
import { unusedPort } from '../harness/ports';

const API_KEY = 'credential-test-api-key';
const TENANT_ID = '6b2c9a1e-0d3f-4c5b-9e8a-7f6d5c4b3a21';

const credentialType: ICredentialType = loadPackage().credentials.fusionAuthApi;

/** Records the request options after the credential was applied, as they go to the HTTP client. */
class RecordingCredentialsHelper extends TestCredentialsHelper {
	readonly sent: IHttpRequestOptions[] = [];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticated = await super.authenticate(credentials, typeName, requestOptions);
		this.sent.push(authenticated);
		return authenticated;
	}
}

/**
 * Tests the credential the way the n8n app does: a temporary node type (n8n takes the No Op
 * node's description) whose only property routes the credential's `test.request`, run by
 * RoutingNode with the decrypted credential; a failed request is judged by the test's rules.
 */
async function testCredential(
	fields: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult & { sent: IHttpRequestOptions[] }> {
	const test = credentialType.test as ICredentialTestRequest;
	// The app fills in defaults for fields that were never set.
	const data: ICredentialDataDecryptedObject = {};
	for (const property of credentialType.properties) data[property.name] = property.default as string;
	Object.assign(data, fields);
	const credentialsDecrypted: ICredentialsDecrypted = { id: 'cred-1', name: 'FusionAuth', type: credentialType.name, data };

	const nodeType: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'noOp',
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' }],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [credentialType.name]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const credentialsHelper = new RecordingCredentialsHelper({ [credentialType.name]: credentialType }, { [credentialType.name]: data });
	const additionalData = {
		credentialsHelper,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const runExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const sent = credentialsHelper.sent;
	try {
		await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (caught) {
		const error = caught as { message: string; cause?: { code?: string; response?: { status: number; statusText?: string } } };
		const response = error.cause?.response;
		if (response) {
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === response.status) {
					return { status: 'Error', message: rule.properties.message, sent };
				}
			}
			return { status: 'Error', message: response.statusText || `Received HTTP status code: ${response.status}`, sent };
		}
		if (error.cause?.code) return { status: 'Error', message: error.cause.code, sent };
		return { status: 'Error', message: error.message, sent };
	}
	return { status: 'OK', message: 'Connection successful!', sent };
}

function rule(status: number): string {
	for (const entry of credentialType.test!.rules ?? []) {
		if (entry.type === 'responseCode' && entry.properties.value === status) return entry.properties.message;
	}
	throw new Error(`The credential test has no rule for ${status}`);
}

const server = useRecordingServer({ status: 200, body: { secret: 'c2VjcmV0', secretBase32Encoded: 'ONSWG4TFOQ' } });

describe('the fusionAuthApi credential test, run as n8n runs it', () => {
	test('a good key: OK, after GET /api/two-factor/secret with the raw key and the tenant header', async () => {
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY, tenantId: TENANT_ID });
		expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(server.requests).toHaveLength(1);
		const [request] = server.requests;
		expect(request.method).toBe('GET');
		expect(request.url).toBe('/api/two-factor/secret');
		expect(request.headers.authorization).toBe(API_KEY);
		expect(request.headers['x-fusionauth-tenantid']).toBe(TENANT_ID);
		expect(request.rawBody).toBe('');
	});

	test.each([
		['not set', undefined],
		['empty', ''],
		['white space', '   '],
	])('without a tenant (%s): no tenant header at all', async (_name, tenantId) => {
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY, ...(tenantId === undefined ? {} : { tenantId }) });
		expect(result.status).toBe('OK');
		expect(server.requests).toHaveLength(1);
		expect(Object.keys(server.requests[0].headers)).not.toContain('x-fusionauth-tenantid');
		expect(server.requests[0].headers.authorization).toBe(API_KEY);
	});

	test.each([
		['a path prefix and trailing slashes', (url: string) => `${url}/fusionauth//`, '/fusionauth/api/two-factor/secret'],
		['a path prefix and surrounding white space', (url: string) => `  ${url}/auth/fusionauth/ `, '/auth/fusionauth/api/two-factor/secret'],
		['a trailing slash only', (url: string) => `${url}/`, '/api/two-factor/secret'],
	])('a base URL with %s keeps the prefix', async (_name, baseUrl, path) => {
		const result = await testCredential({ baseUrl: baseUrl(server.url), apiKey: API_KEY });
		expect(result.status).toBe('OK');
		expect(server.requests.map((request) => request.url)).toEqual([path]);
	});

	test('a bad key (401): the credential\'s own message about the key', async () => {
		server.respondWith({ status: 401 });
		const result = await testCredential({ baseUrl: server.url, apiKey: 'wrong-key' });
		expect(result.status).toBe('Error');
		expect(result.message).toBe(rule(401));
		expect(result.message).toMatch(/^FusionAuth rejected the API key/);
		expect(server.requests.length).toBeGreaterThanOrEqual(1);
		expect(server.requests.every((request) => request.headers.authorization === 'wrong-key')).toBe(true);
	});

	test('a missing tenant (400 [TenantIdRequired]): tells to set Tenant ID', async () => {
		server.respondWith({
			status: 400,
			body: { generalErrors: [{ code: '[TenantIdRequired]', message: 'A tenant Id is required to complete this request.' }] },
		});
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY });
		expect(result.status).toBe('Error');
		expect(result.message).toBe(rule(400));
		expect(result.message).toMatch(/set Tenant ID/);
	});

	test('a server that is not there: the connection error code', async () => {
		const port = await unusedPort();
		const result = await testCredential({ baseUrl: `http://127.0.0.1:${port}`, apiKey: API_KEY });
		expect(result).toMatchObject({ status: 'Error', message: 'ECONNREFUSED' });
	});

	test.each([
		[true, true],
		[false, false],
	])('Ignore SSL Issues %s: the request goes out with skipSslCertificateValidation %s', async (allow, skip) => {
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY, allowUnauthorizedCerts: allow });
		expect(result.status).toBe('OK');
		expect(result.sent).toHaveLength(1);
		expect(Boolean(result.sent[0].skipSslCertificateValidation)).toBe(skip);
	});
});
