import '../harness/environment';

import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { useRecordingServer, useServer } from '../harness/lifecycle';
import { NODE_TYPE } from '../harness/n8n';
import { loadPackage } from '../harness/package';
import { unusedPort } from '../harness/ports';
import { RecordingServer } from '../harness/recordingServer';

const API_KEY = 'credential-test-api-key';
const TENANT_ID = '6b2c9a1e-0d3f-4c5b-9e8a-7f6d5c4b3a21';

const loaded = loadPackage();
const credentialType = loaded.credentials.fusionAuthApi;
const nodeType = loaded.nodes[NODE_TYPE];

/**
 * Tests the credential as n8n 1.x and 2.x do: the credential has no declarative `test`, so n8n
 * looks for a node that names it with `testedBy` and calls that node's credentialTest method with
 * a CredentialTestContext (n8n-core's own) and the decrypted credential, defaults filled in.
 */
async function testCredential(fields: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const data: ICredentialDataDecryptedObject = {};
	for (const property of credentialType.properties) data[property.name] = property.default as string;
	Object.assign(data, fields);
	const credential: ICredentialsDecrypted = { id: 'cred-1', name: 'FusionAuth', type: credentialType.name, data };
	const testedBy = nodeType.description.credentials?.find((entry) => entry.name === credentialType.name)?.testedBy;
	const method = nodeType.methods?.credentialTest?.[testedBy as string];
	if (!method) throw new Error(`no credentialTest method "${String(testedBy)}" on the node`);
	return await method.call(new CredentialTestContext() as unknown as ICredentialTestFunctions, credential);
}

const server = useRecordingServer({ status: 200, body: { secret: 'c2VjcmV0', secretBase32Encoded: 'ONSWG4TFOQ' } });
const elsewhere = useServer(async () => await RecordingServer.start());

describe('how n8n finds the test', () => {
	test('the credential has no declarative test (it would take precedence), the node names its own', () => {
		expect(credentialType.test).toBeUndefined();
		expect(nodeType.description.credentials).toEqual([
			expect.objectContaining({ name: 'fusionAuthApi', testedBy: 'fusionAuthApiTest' }),
		]);
	});
});

describe('the fusionAuthApi credential test, run as n8n runs it', () => {
	test('a good key: OK, after one GET /api/two-factor/secret with the raw key and the tenant header', async () => {
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY, tenantId: TENANT_ID });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful' });
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
		expect(Object.keys(server.requests[0].headers)).not.toContain('x-fusionauth-tenantid');
	});

	test.each([
		['a path prefix and a trailing slash', (url: string) => `${url}/fusionauth/`, '/fusionauth/api/two-factor/secret'],
		['surrounding white space', (url: string) => `  ${url}/auth/fusionauth `, '/auth/fusionauth/api/two-factor/secret'],
	])('a base URL with %s keeps the prefix', async (_name, baseUrl, path) => {
		const result = await testCredential({ baseUrl: baseUrl(server.url), apiKey: API_KEY });
		expect(result.status).toBe('OK');
		expect(server.requests.map((request) => request.url)).toEqual([path]);
	});

	test('a bad key (401): plain words about the key, one request', async () => {
		server.respondWith({ status: 401 });
		const result = await testCredential({ baseUrl: server.url, apiKey: 'wrong-key' });
		expect(result).toEqual({
			status: 'Error',
			message: 'FusionAuth rejected the API key. Check the key, and that it is allowed to call GET /api/two-factor/secret.',
		});
		expect(server.requests).toHaveLength(1);
	});

	// The code with or without brackets, as the node's own errors read it.
	test.each(['[TenantIdRequired]', 'TenantIdRequired'])('a missing tenant (400 %s): tells to set Tenant ID', async (code) => {
		server.respondWith({
			status: 400,
			body: { generalErrors: [{ code, message: 'A Tenant Id is required to complete this request.' }] },
		});
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^FusionAuth needs a tenant for this API key: set Tenant ID in the credential/);
	});

	test("another 400: FusionAuth's own words", async () => {
		server.respondWith({
			status: 400,
			body: { generalErrors: [{ code: '[TenantIdInvalid]', message: 'The Tenant Id is invalid.' }] },
		});
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY, tenantId: TENANT_ID });
		expect(result).toEqual({
			status: 'Error',
			message: 'FusionAuth refused the test request (400): The Tenant Id is invalid. Check the Tenant ID.',
		});
	});

	test('a server that is not there: says it could not reach the base URL', async () => {
		const port = await unusedPort();
		const result = await testCredential({ baseUrl: `http://127.0.0.1:${port}`, apiKey: API_KEY });
		expect(result).toEqual({
			status: 'Error',
			message: `Could not reach FusionAuth at http://127.0.0.1:${port}: nothing accepts connections there. Check the Base URL and that the server is running.`,
		});
	});

	test.each([
		['empty', '', 'The Base URL in the FusionAuth credential is empty'],
		['no scheme', 'auth.example.com', 'must start with http:// or https://'],
		['another scheme', 'ftp://auth.example.com', 'must start with http:// or https://'],
		['user info', 'http://user:pass@127.0.0.1:1', 'must not contain a user name or password'],
		['an /api suffix', 'http://127.0.0.1:1/api', 'must not end in /api'],
		['a query', 'http://127.0.0.1:1/?x=1', 'must not have a query'],
	])('a malformed base URL (%s): says what is wrong, sends nothing', async (_name, baseUrl, words) => {
		const result = await testCredential({ baseUrl, apiKey: API_KEY });
		expect(result.status).toBe('Error');
		expect(result.message).toContain(words);
		expect(server.requests).toHaveLength(0);
	});

	test('a redirect is reported, not followed: the key goes nowhere else', async () => {
		server.respondWith({ status: 302, headers: { Location: `${elsewhere.url}/api/two-factor/secret` } });
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('answered with a redirect (302)');
		expect(result.message).toContain('it was not followed');
		expect(elsewhere.requests).toHaveLength(0);
	});

	test('a 200 that is not FusionAuth (a web page): says the base URL is not FusionAuth', async () => {
		server.respondWith({ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>hello</html>' });
		const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('answered, but not as FusionAuth does');
	});

	test('a 404: no FusionAuth API at that base URL', async () => {
		server.respondWith({ status: 404 });
		const result = await testCredential({ baseUrl: `${server.url}/wrong-prefix`, apiKey: API_KEY });
		expect(result.message).toContain('There is no FusionAuth API at');
		expect(server.requests.map((request) => request.url)).toEqual(['/wrong-prefix/api/two-factor/secret']);
	});

	test('an API key with a line break: says so, sends nothing', async () => {
		const result = await testCredential({ baseUrl: server.url, apiKey: `${API_KEY}\nX-Other: 1` });
		expect(result).toEqual({
			status: 'Error',
			message:
				'The API Key in the FusionAuth credential contains control characters or line breaks (or characters a header cannot carry): paste it again without them',
		});
		expect(server.requests).toHaveLength(0);
	});

	test('no message carries the API key', async () => {
		for (const status of [400, 401, 404, 500, 302]) {
			server.respondWith({ status, headers: status === 302 ? { Location: `${elsewhere.url}/${API_KEY}` } : {} });
			const result = await testCredential({ baseUrl: server.url, apiKey: API_KEY });
			expect(result.message).not.toContain(API_KEY);
		}
	});
});
