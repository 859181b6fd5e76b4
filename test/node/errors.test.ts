import type { INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import type { RunResult } from '../harness/n8n';
import { runNode } from '../harness/n8n';
import { unusedPort } from '../harness/ports';

const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
const API_KEY = 'errors-test-api-key';

interface OperationCase {
	name: string;
	parameters: INodeParameters;
	/** The statuses the API notes list for the endpoint, besides 200. */
	statuses: number[];
	/** What a 404 means for this endpoint. */
	notFound?: string;
}

const enableCurrent = {
	resource: 'twoFactor',
	operation: 'enable',
	userId: USER_ID,
	method: 'authenticator',
	code: '123456',
	secret: 'c2VjcmV0c2VjcmV0',
};

const operations: OperationCase[] = [
	{ name: 'twoFactor.enable (current)', parameters: enableCurrent, statuses: [400, 401, 404, 421, 500, 503], notFound: `User ${USER_ID} not found` },
	{
		name: 'twoFactor.enable (legacy)',
		parameters: { apiVersion: 'legacy', resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', delivery: 'None', secret: 'c2VjcmV0' },
		statuses: [400, 401, 404, 421, 500, 503],
		notFound: `User ${USER_ID} not found`,
	},
	{
		name: 'twoFactor.disable (current)',
		parameters: { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: '2KSZ', code: '123456' },
		statuses: [400, 401, 404, 421, 500, 503],
		notFound: `User ${USER_ID} not found`,
	},
	{
		name: 'twoFactor.disable (legacy)',
		parameters: { apiVersion: 'legacy', resource: 'twoFactor', operation: 'disable', userId: USER_ID, code: '123456' },
		statuses: [400, 401, 404, 421, 500, 503],
		notFound: `User ${USER_ID} not found`,
	},
	{ name: 'secret.generate (current)', parameters: { resource: 'secret', operation: 'generate' }, statuses: [401, 500, 503] },
	{
		name: 'secret.generate (legacy)',
		parameters: { apiVersion: 'legacy', resource: 'secret', operation: 'generate' },
		statuses: [401, 500, 503],
	},
	{
		name: 'code.send (current)',
		parameters: { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'enable', method: 'email', email: 'jane@example.com' },
		statuses: [400, 401, 500, 503],
	},
	{
		name: 'code.send (legacy)',
		parameters: { apiVersion: 'legacy', resource: 'code', operation: 'send', sendTo: 'user', userId: USER_ID },
		statuses: [400, 401, 500, 503],
	},
	{
		name: 'code.sendForLogin (current)',
		parameters: { resource: 'code', operation: 'sendForLogin', twoFactorId: 'tfid-1', methodId: '2KSZ' },
		statuses: [400, 404, 500, 503],
		notFound: 'Two factor login not found: the twoFactorId is unknown or has expired',
	},
	{
		name: 'code.sendForLogin (legacy)',
		parameters: { apiVersion: 'legacy', resource: 'code', operation: 'sendForLogin', twoFactorId: 'tfid-1' },
		statuses: [400, 404, 500, 503],
		notFound: 'Two factor login not found: the twoFactorId is unknown or has expired',
	},
];

const validationBody = {
	fieldErrors: {
		code: [{ code: '[blank]code', message: 'You must specify the [code] property.' }],
		methodId: [
			{ code: '[invalid]methodId', message: 'The [methodId] property is not valid.' },
			{ code: '[missing]methodId', message: 'The method does not exist.' },
		],
	},
	generalErrors: [{ code: '[LoginPreventedException]', message: 'The user is locked.' }],
};

const server = useRecordingServer();

/** Retries off: these tests are about what an answer means, not how often it is asked for. */
function noRetries(parameters: INodeParameters): INodeParameters {
	return { ...parameters, options: { retries: 0, ...(parameters.options as object) } };
}

async function run(parameters: INodeParameters, extra: Partial<Parameters<typeof runNode>[0]> = {}): Promise<RunResult> {
	return await runNode({ parameters: noRetries(parameters), credentials: { baseUrl: server.url, apiKey: API_KEY }, ...extra });
}

function expectNodeApiError(result: RunResult, httpCode: string | undefined, itemIndex = 0) {
	expect(result.output).toEqual([]);
	expect(result.error).toBeDefined();
	expect(result.error!.name).toBe('NodeApiError');
	if (httpCode !== undefined) expect(result.error!.httpCode).toBe(httpCode);
	expect(result.error!.context?.itemIndex).toBe(itemIndex);
	// n8n keeps the same error on the node's run data, where the editor shows it.
	const taskError = result.run.data.resultData.runData.FusionAuth[0].error as unknown as RunResult['error'];
	expect(taskError?.message).toBe(result.error!.message);
	expect(taskError?.context?.itemIndex).toBe(itemIndex);
	return result.error!;
}

const serverSide: Record<number, string> = {
	500: 'FusionAuth had an internal error (500)',
	503: 'FusionAuth is unavailable (503)',
};

describe.each(operations)('$name', (operation) => {
	const has = (status: number) => operation.statuses.includes(status);
	const cases: Array<[string, () => Promise<void>]> = [];

	if (has(400)) {
		cases.push([
			'400: FusionAuth\'s first message, every field and general error listed as "field: message [code]"',
			async () => {
				server.respondWith({ status: 400, body: validationBody });
				const error = expectNodeApiError(await run(operation.parameters), '400');
				expect(error.message).toContain('The user is locked.');
				expect(error.description!.split('\n')).toEqual([
					'code: You must specify the [code] property. [blank]code',
					'methodId: The [methodId] property is not valid. [invalid]methodId',
					'methodId: The method does not exist. [missing]methodId',
					'The user is locked. [LoginPreventedException]',
				]);
				expect(server.requests).toHaveLength(1);
			},
		]);
		cases.push([
			'400 [TenantIdRequired]: tells to set the Tenant ID',
			async () => {
				server.respondWith({
					status: 400,
					body: {
						generalErrors: [
							{
								code: '[TenantIdRequired]',
								message: 'A tenant Id is required to complete this request. Specify the X-FusionAuth-TenantId HTTP request header.',
							},
						],
					},
				});
				const error = expectNodeApiError(await run(operation.parameters), '400');
				expect(error.message).toBe('FusionAuth needs a tenant: set Tenant ID in the FusionAuth credential');
				expect(error.description).toContain('[TenantIdRequired]');
			},
		]);
	}

	if (has(401)) {
		cases.push([
			'401 with the API key: "FusionAuth rejected the API key", one request, no retry',
			async () => {
				server.respondWith({ status: 401 });
				const error = expectNodeApiError(await run(operation.parameters), '401');
				expect(error.message).toBe('FusionAuth rejected the API key');
				expect(error.description).toMatch(/API key/);
				expect(server.requests).toHaveLength(1);
			},
		]);
	}

	if (has(404)) {
		cases.push([
			`404: "${operation.notFound}"`,
			async () => {
				server.respondWith({ status: 404 });
				const error = expectNodeApiError(await run(operation.parameters), '404');
				expect(error.message).toBe(operation.notFound);
			},
		]);
	}

	if (has(421)) {
		cases.push([
			'421: "The two factor code is invalid or expired"',
			async () => {
				server.respondWith({ status: 421 });
				const error = expectNodeApiError(await run(operation.parameters), '421');
				expect(error.message).toBe('The two factor code is invalid or expired');
			},
		]);
	}

	for (const status of [500, 503].filter(has)) {
		cases.push([
			`${status} with a JSON body: says it is on the server's side and shows FusionAuth's message`,
			async () => {
				server.respondWith({
					status,
					body: { generalErrors: [{ code: '[Unavailable]', message: 'The search engine is not reachable.' }] },
				});
				const error = expectNodeApiError(await run(operation.parameters), String(status));
				expect(error.message).toBe(serverSide[status]);
				expect(error.description).toContain('The search engine is not reachable. [Unavailable]');
				expect(error.description).toContain("on the server's side");
			},
		]);
	}

	test.each(cases)('%s', async (_name, body) => await body());
});

describe('statuses that do not depend on the endpoint', () => {
	test('401 with a JWT says the JWT was rejected, not the API key', async () => {
		server.respondWith({ status: 401 });
		const error = expectNodeApiError(
			await run({ ...enableCurrent, authenticateWith: 'jwt', jwt: 'eyJ.header.sig' }),
			'401',
		);
		expect(error.message).toBe('FusionAuth rejected the JWT');
		expect(`${error.message} ${error.description}`).not.toMatch(/API key/i);
		expect(server.requests).toHaveLength(1);
	});

	test('503 with a JSON body that is not a FusionAuth error list still shows its message', async () => {
		server.respondWith({ status: 503, body: { message: 'Down for maintenance' } });
		const error = expectNodeApiError(await run({ resource: 'secret', operation: 'generate' }), '503');
		expect(error.message).toBe('FusionAuth is unavailable (503)');
		expect(error.description).toContain('Down for maintenance');
	});

	test('504 from a proxy in front of FusionAuth', async () => {
		server.respondWith({ status: 504, body: '<html>Gateway Timeout</html>', headers: { 'Content-Type': 'text/html' } });
		const error = expectNodeApiError(await run(enableCurrent), '504');
		expect(error.message).toBe('FusionAuth timed out (504)');
		expect(error.description).toContain('POST /api/user/two-factor/{userId}');
	});

	test('400 without a body still says which endpoint refused', async () => {
		server.respondWith({ status: 400 });
		const error = expectNodeApiError(await run(enableCurrent), '400');
		expect(error.message).toBe('FusionAuth rejected the request');
		expect(error.description).toContain('POST /api/user/two-factor/{userId}');
	});

	test('connection refused names the base URL', async () => {
		const port = await unusedPort();

		const result = await runNode({
			parameters: noRetries(enableCurrent),
			credentials: { baseUrl: `http://127.0.0.1:${port}/fusionauth/`, apiKey: API_KEY },
		});
		const error = expectNodeApiError(result, undefined);
		expect(error.message).toBe(`Could not connect to FusionAuth at http://127.0.0.1:${port}/fusionauth`);
		expect(error.description).toContain('ECONNREFUSED');
	});

	test('a server that never answers fails after options.timeout seconds', async () => {
		server.respondWith(() => new Promise(() => undefined));
		const started = Date.now();
		const error = expectNodeApiError(
			await run({ ...enableCurrent, options: { timeout: 1 } }),
			undefined,
		);
		const elapsed = Date.now() - started;
		expect(error.message).toBe(`FusionAuth at ${server.url} did not answer within 1 s`);
		expect(error.description).toMatch(/timed out/);
		expect(elapsed).toBeGreaterThanOrEqual(900);
		expect(elapsed).toBeLessThan(5000);
		expect(server.requests).toHaveLength(1);
	});

	test('itemIndex is the index of the failing item, not the first one', async () => {
		const failing = 'c0ffee00-0000-4000-8000-000000000002';
		server.respondWith((request) => (request.path.endsWith(failing) ? { status: 421 } : { status: 200 }));
		const result = await runNode({
			parameters: { ...enableCurrent, userId: '={{ $json.userId }}' },
			items: [
				{ userId: 'c0ffee00-0000-4000-8000-000000000000' },
				{ userId: 'c0ffee00-0000-4000-8000-000000000001' },
				{ userId: failing },
			],
			credentials: { baseUrl: server.url, apiKey: API_KEY },
		});
		const error = expectNodeApiError(result, '421', 2);
		expect(error.message).toBe('The two factor code is invalid or expired');
	});
});
