import type { IncomingMessage } from 'http';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import type { INodeParameters } from 'n8n-workflow';

import { useServer } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';
import type { RecordedRequest } from '../harness/recordingServer';
import { documentedAnswer } from '../harness/recordingServer';

const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
const API_KEY = 'auth-test-api-key-4f1c';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdXRoLXRlc3QifQ.auth-test-signature';
const TENANT_ID = '6b2c9a1e-0d3f-4c5b-9e8a-7f6d5c4b3a21';

interface RawRequest {
	method: string;
	url: string;
	/** Every header line as it arrived, names lower-cased, duplicates kept. */
	headers: Array<[string, string]>;
}

/** A server that keeps the raw header lines, so a doubled Authorization header shows. */
async function startRawServer() {
	const requests: RawRequest[] = [];
	const server = createServer((request: IncomingMessage, response) => {
		const headers: Array<[string, string]> = [];
		for (let i = 0; i < request.rawHeaders.length; i += 2) {
			headers.push([request.rawHeaders[i].toLowerCase(), request.rawHeaders[i + 1]]);
		}
		requests.push({ method: request.method ?? '', url: request.url ?? '', headers });
		request.resume();
		request.on('end', () => {
			const reply = documentedAnswer({ method: request.method ?? 'GET', path: new URL(request.url ?? '/', 'http://x').pathname } as RecordedRequest);
			response.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json' });
			response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		requests,
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

const server = useServer(startRawServer);

beforeEach(() => {
	server.requests.length = 0;
});

function headerValues(request: RawRequest, name: string): string[] {
	return request.headers.filter(([key]) => key === name).map(([, value]) => value);
}

async function sendOne(parameters: INodeParameters, tenantId?: string): Promise<RawRequest> {
	const result = await runNode({
		parameters,
		credentials: { baseUrl: server.url, apiKey: API_KEY, ...(tenantId !== undefined ? { tenantId } : {}) },
	});
	expect(result.error).toBeUndefined();
	expect(result.output).toHaveLength(1);
	expect(server.requests).toHaveLength(1);
	return server.requests[0];
}

/** The operations that FusionAuth offers with an API key and with the user's JWT. */
const withJwtForm: Array<{ name: string; apiKey: INodeParameters; path: string; jwtPath: string }> = [
	{
		name: 'twoFactor.enable (current)',
		apiKey: { resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'c2VjcmV0' },
		path: `/api/user/two-factor/${USER_ID}`,
		jwtPath: '/api/user/two-factor',
	},
	{
		name: 'twoFactor.enable (legacy)',
		apiKey: { apiVersion: 'legacy', resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'c2VjcmV0' },
		path: `/api/user/two-factor/${USER_ID}`,
		jwtPath: '/api/user/two-factor',
	},
	{
		name: 'twoFactor.disable (current)',
		apiKey: { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: '2KSZ', code: '123456' },
		path: `/api/user/two-factor/${USER_ID}?methodId=2KSZ&code=123456`,
		jwtPath: '/api/user/two-factor?methodId=2KSZ&code=123456',
	},
	{
		name: 'twoFactor.disable (legacy)',
		apiKey: { apiVersion: 'legacy', resource: 'twoFactor', operation: 'disable', userId: USER_ID, code: '123456' },
		path: `/api/user/two-factor/${USER_ID}?code=123456`,
		jwtPath: '/api/user/two-factor?code=123456',
	},
	{
		name: 'secret.generate (current)',
		apiKey: { resource: 'secret', operation: 'generate' },
		path: '/api/two-factor/secret',
		jwtPath: '/api/two-factor/secret',
	},
	{
		name: 'secret.generate (legacy)',
		apiKey: { apiVersion: 'legacy', resource: 'secret', operation: 'generate' },
		path: '/api/two-factor/secret',
		jwtPath: '/api/two-factor/secret',
	},
	{
		name: 'code.send (current)',
		apiKey: { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'disable', methodId: '2KSZ' },
		path: '/api/two-factor/send',
		jwtPath: '/api/two-factor/send',
	},
	{
		name: 'code.send (legacy)',
		apiKey: { apiVersion: 'legacy', resource: 'code', operation: 'send', sendTo: 'user', userId: USER_ID },
		path: '/api/two-factor/send',
		jwtPath: '/api/two-factor/send',
	},
];

describe.each(withJwtForm)('$name', ({ apiKey, path, jwtPath }) => {
	test('with the API key: exactly one Authorization header, the raw key', async () => {
		const request = await sendOne(apiKey);
		expect(request.url).toBe(path);
		expect(headerValues(request, 'authorization')).toEqual([API_KEY]);
	});

	test('with a JWT: exactly one Authorization header, "Bearer <jwt>", and the API key nowhere', async () => {
		const request = await sendOne({ ...apiKey, authenticateWith: 'jwt', jwt: `  ${JWT}\n` });
		expect(request.url).toBe(jwtPath);
		expect(headerValues(request, 'authorization')).toEqual([`Bearer ${JWT}`]);
		expect(JSON.stringify(request.headers)).not.toContain(API_KEY);
	});
});

describe.each([
	{ name: 'current', parameters: { resource: 'code', operation: 'sendForLogin', twoFactorId: 'tfid-1', methodId: '2KSZ' } },
	{ name: 'legacy', parameters: { apiVersion: 'legacy', resource: 'code', operation: 'sendForLogin', twoFactorId: 'tfid-1' } },
])('code.sendForLogin ($name)', ({ parameters }) => {
	test('sends no Authorization header at all, and not the API key in any other', async () => {
		const request = await sendOne(parameters);
		expect(request.url).toBe('/api/two-factor/send/tfid-1');
		expect(headerValues(request, 'authorization')).toEqual([]);
		expect(JSON.stringify(request.headers)).not.toContain(API_KEY);
	});

	test('still sends the tenant header when a tenant is configured', async () => {
		const request = await sendOne(parameters, TENANT_ID);
		expect(headerValues(request, 'x-fusionauth-tenantid')).toEqual([TENANT_ID]);
	});

	test('sends no tenant header when the tenant is blank', async () => {
		const request = await sendOne(parameters, '  ');
		expect(headerValues(request, 'x-fusionauth-tenantid')).toEqual([]);
	});
});

describe('the tenant header', () => {
	const enable = withJwtForm[0].apiKey;

	test.each([
		['API key', enable],
		['JWT', { ...enable, authenticateWith: 'jwt', jwt: JWT }],
	])('carries the configured tenant id (%s)', async (_name, parameters) => {
		const request = await sendOne(parameters, TENANT_ID);
		expect(headerValues(request, 'x-fusionauth-tenantid')).toEqual([TENANT_ID]);
	});

	test('is trimmed', async () => {
		const request = await sendOne(enable, `  ${TENANT_ID}  `);
		expect(headerValues(request, 'x-fusionauth-tenantid')).toEqual([TENANT_ID]);
	});

	test.each([
		['not set', undefined],
		['empty', ''],
		['white space', ' \t '],
	])('is absent, not empty, when the tenant id is %s', async (_name, tenantId) => {
		const request = await sendOne(enable, tenantId);
		expect(request.headers.map(([name]) => name)).not.toContain('x-fusionauth-tenantid');
		expect(headerValues(request, 'authorization')).toEqual([API_KEY]);
	});
});
