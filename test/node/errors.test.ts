import type { INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import type { RunResult } from '../harness/n8n';
import { runNode } from '../harness/n8n';
import { unusedPort } from '../harness/ports';

const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
const API_KEY = 'errors-test-api-key';

const enableCurrent = {
	resource: 'twoFactor',
	operation: 'enable',
	userId: USER_ID,
	method: 'authenticator',
	code: '123456',
	secret: 'c2VjcmV0c2VjcmV0',
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
