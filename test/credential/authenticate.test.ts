import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions } from 'n8n-workflow';

import { loadPackage } from '../harness/package';

const API_KEY = 'authenticate-test-api-key';
const TENANT_ID = '6b2c9a1e-0d3f-4c5b-9e8a-7f6d5c4b3a21';

const credentialType: ICredentialType = loadPackage().credentials.fusionAuthApi;

async function authenticate(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions = { url: 'https://auth.example.com/api/two-factor/secret', method: 'GET' },
): Promise<IHttpRequestOptions> {
	expect(typeof credentialType.authenticate).toBe('function');
	const authenticate = credentialType.authenticate as (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	) => Promise<IHttpRequestOptions>;
	return await authenticate.call(credentialType, credentials, requestOptions);
}

const base = { baseUrl: 'https://auth.example.com', apiKey: API_KEY, tenantId: '', ignoreSslIssues: false };

describe('fusionAuthApi authenticate()', () => {
	test('adds the raw API key as Authorization when the request has none', async () => {
		const options = await authenticate(base);
		expect(options.headers).toEqual({ Authorization: API_KEY });
	});

	test.each(['Authorization', 'authorization', 'AUTHORIZATION'])(
		'keeps an Authorization header the node set (%s), and adds no second one',
		async (name) => {
			const options = await authenticate(base, { url: 'https://x/api/user/two-factor', headers: { [name]: 'Bearer eyJ.e30.sig' } });
			expect(options.headers).toEqual({ [name]: 'Bearer eyJ.e30.sig' });
			expect(JSON.stringify(options)).not.toContain(API_KEY);
		},
	);

	test('keeps the request\'s other headers and options', async () => {
		const options = await authenticate(base, {
			url: 'https://x/api/two-factor/send',
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: '{}',
			timeout: 1234,
			returnFullResponse: true,
		});
		expect(options).toEqual({
			url: 'https://x/api/two-factor/send',
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: API_KEY },
			body: '{}',
			timeout: 1234,
			returnFullResponse: true,
		});
	});

	test('does not change the options it was given', async () => {
		const given: IHttpRequestOptions = { url: 'https://x/api/two-factor/secret', headers: { Accept: 'application/json' } };
		await authenticate({ ...base, tenantId: TENANT_ID, ignoreSslIssues: true }, given);
		expect(given).toEqual({ url: 'https://x/api/two-factor/secret', headers: { Accept: 'application/json' } });
	});

	test('adds the tenant header, trimmed, when a tenant id is set', async () => {
		expect((await authenticate({ ...base, tenantId: TENANT_ID })).headers).toEqual({
			Authorization: API_KEY,
			'X-FusionAuth-TenantId': TENANT_ID,
		});
		expect((await authenticate({ ...base, tenantId: ` ${TENANT_ID}\t` })).headers).toMatchObject({
			'X-FusionAuth-TenantId': TENANT_ID,
		});
	});

	test('adds the tenant header next to a JWT too', async () => {
		const options = await authenticate({ ...base, tenantId: TENANT_ID }, { url: 'https://x', headers: { Authorization: 'Bearer t' } });
		expect(options.headers).toEqual({ Authorization: 'Bearer t', 'X-FusionAuth-TenantId': TENANT_ID });
	});

	test.each([
		['empty', ''],
		['white space', '  \n'],
		['missing', undefined],
	])('sends no tenant header when the tenant id is %s', async (_name, tenantId) => {
		const credentials: ICredentialDataDecryptedObject = { ...base };
		if (tenantId === undefined) delete credentials.tenantId;
		else credentials.tenantId = tenantId;
		const options = await authenticate(credentials);
		expect(Object.keys(options.headers ?? {})).toEqual(['Authorization']);
	});

	test('skips certificate validation only when Ignore SSL Issues is on', async () => {
		expect((await authenticate({ ...base, ignoreSslIssues: true })).skipSslCertificateValidation).toBe(true);
		expect((await authenticate(base)).skipSslCertificateValidation).toBeUndefined();
		expect((await authenticate({ ...base, ignoreSslIssues: 'true' })).skipSslCertificateValidation).toBeUndefined();
	});
});
