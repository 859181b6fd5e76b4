import { existsSync, readFileSync } from 'fs';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import type { RunOptions, RunResult } from '../harness/n8n';
import { runNode } from '../harness/n8n';
import { unusedPort } from '../harness/ports';

const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
const API_KEY = 'apikey-Zq7W3xLm9Pv2Rt8N-distinctive';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrLXRlc3QifQ.jwtSig-Kd84HsQ2mVn6Yb1T-distinctive';
const BASE_URL_PASSWORD = 'baseurlpw-Hh3Jk9Qw';
const SECRETS = [API_KEY, JWT, BASE_URL_PASSWORD];

/**
 * The JWT reaches the node through an expression that builds it, so that neither the workflow
 * nor the input items hold it: wherever it shows up afterwards, it came from the node.
 */
const JWT_EXPRESSION = `={{ ${JSON.stringify(JWT.split('').reverse().join(''))}.split('').reverse().join('') }}`;

const enableWithKey = { resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'c2VjcmV0' };
const enableWithJwt = { resource: 'twoFactor', operation: 'enable', authenticateWith: 'jwt', jwt: JWT_EXPRESSION, code: '123456', secret: 'c2VjcmV0' };

/** n8n's log file for this suite (test/harness/quietLogs.ts), everything down to debug. */
function logFile(): string {
	const location = process.env.N8N_LOG_FILE_LOCATION;
	return location !== undefined && existsSync(location) ? readFileSync(location, 'utf8') : '';
}

/** Everything written to the console, the process streams and n8n's logger during a run. */
const logged: string[] = [];

const server = useRecordingServer();

beforeAll(async () => {
	const capture = (message: unknown, meta?: unknown) => logged.push(safeStringify([message, meta]));
	LoggerProxy.init({ error: capture, warn: capture, info: capture, debug: capture } as never);
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(safeStringify(args)));
	}
	for (const stream of [process.stdout, process.stderr]) {
		const write = stream.write.bind(stream);
		jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
			logged.push(String(chunk));
			return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
		}) as never);
	}
});

afterAll(() => {
	jest.restoreAllMocks();
});

beforeEach(() => {
	logged.length = 0;
});

function safeStringify(value: unknown): string {
	const seen = new WeakSet();
	return JSON.stringify(value, (_key, entry: unknown) => {
		if (typeof entry === 'object' && entry !== null) {
			if (seen.has(entry)) return '[circular]';
			seen.add(entry);
		}
		if (entry instanceof Error) return { ...entry, message: entry.message, stack: entry.stack };
		return entry;
	});
}

function expectNoSecrets(result: RunResult) {
	const places: Record<string, string> = {
		output: safeStringify(result.output),
		errorOutput: safeStringify(result.errorOutput),
		errorMessage: String(result.error?.message ?? ''),
		errorDescription: String(result.error?.description ?? ''),
		errorContext: safeStringify(result.error?.context ?? {}),
		error: safeStringify(result.error ?? {}),
		run: JSON.stringify(result.run),
		logs: logged.join('\n'),
		logFile: logFile(),
	};
	for (const [place, text] of Object.entries(places)) {
		for (const secret of SECRETS) {
			if (text.includes(secret)) throw new Error(`${place} holds a secret: ${text.slice(0, 2000)}`);
		}
	}
}

async function run(parameters: INodeParameters, options: Partial<RunOptions> = {}): Promise<RunResult> {
	const result = await runNode({
		// Retries off: each answer is seen once, and the suite stays quick.
		parameters: { ...parameters, options: { retries: 0 } },
		credentials: { baseUrl: server.url, apiKey: API_KEY },
		...options,
	});
	expectNoSecrets(result);
	return result;
}

describe('the API key and the JWT never show in outputs, errors, the run or the logs', () => {
	test('the secrets did reach FusionAuth, so the checks below are not vacuous', async () => {
		server.respondWith({ status: 200, body: { recoveryCodes: ['a'] } });
		await run(enableWithKey);
		await run(enableWithJwt);
		expect(server.requests.map((request) => request.headers.authorization)).toEqual([API_KEY, `Bearer ${JWT}`]);
	});

	test("n8n's log of a failed run is read, so the check of the logs is not vacuous", async () => {
		server.respondWith({ status: 401 });
		await run(enableWithKey);
		// The file is written in the background: wait for the line.
		const deadline = Date.now() + 5000;
		const everything = () => `${logged.join('\n')}\n${logFile()}`;
		while (!everything().includes('FusionAuth rejected the API key') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
		expect(everything()).toContain('FusionAuth rejected the API key');
	});

	test.each([
		['200', { status: 200, body: { recoveryCodes: ['a', 'b'], secret: 'c2VjcmV0', secretBase32Encoded: 'ONSWG4TFOQ' } }],
		['400', { status: 400, body: { fieldErrors: { code: [{ code: '[invalid]code', message: 'Invalid code' }] } } }],
		['401', { status: 401 }],
		['404', { status: 404 }],
		['421', { status: 421 }],
		['500', { status: 500, body: { generalErrors: [{ code: '[x]', message: 'Internal' }] } }],
		['503', { status: 503, body: { message: 'Unavailable' } }],
	])('answer %s, with the API key and with the JWT, stopping the workflow', async (_status, reply) => {
		server.respondWith(reply);
		await run(enableWithKey);
		await run(enableWithJwt);
		await run({ resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt: JWT_EXPRESSION });
		await run({ resource: 'code', operation: 'sendForLogin', twoFactorId: 'tfid-1', methodId: '2KSZ' });
		expect(server.requests).toHaveLength(4);
	});

	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'error items of %s, for FusionAuth errors and refused inputs',
		async (onError) => {
			server.respondWith((request) =>
				request.path.endsWith('/send') ? { status: 401 } : request.headers.authorization === API_KEY ? { status: 421 } : { status: 200 },
			);
			const items: IDataObject[] = [{ code: '111111' }, { code: '' }, { code: '222222' }];
			const withKey = await run({ ...enableWithKey, code: '={{ $json.code }}' }, { items, onError });
			const withJwt = await run({ ...enableWithJwt, code: '={{ $json.code }}' }, { items, onError });
			const send = await run(
				{ resource: 'code', operation: 'send', authenticateWith: 'jwt', jwt: JWT_EXPRESSION, purpose: 'disable', methodId: '={{ $json.code || " " }}' },
				{ items, onError },
			);
			for (const result of [withKey, withJwt, send]) {
				expect(result.error).toBeUndefined();
				expect([...result.output, ...result.errorOutput]).toHaveLength(3);
			}
			expect([...withKey.output, ...withKey.errorOutput].filter((item) => item.json.error)).toHaveLength(3);
		},
	);

	test('a connection error names the base URL', async () => {
		const port = await unusedPort();
		for (const parameters of [enableWithKey, enableWithJwt]) {
			const result = await run(parameters, { credentials: { baseUrl: `http://127.0.0.1:${port}`, apiKey: API_KEY } });
			expect(result.error?.message).toBe(`Could not connect to FusionAuth at http://127.0.0.1:${port}`);
		}
	});

	test('a password in the base URL is refused without showing it', async () => {
		const port = await unusedPort();
		const baseUrl = `http://admin:${BASE_URL_PASSWORD}@127.0.0.1:${port}`;
		for (const parameters of [enableWithKey, enableWithJwt]) {
			const result = await run(parameters, { credentials: { baseUrl, apiKey: API_KEY } });
			expect(result.error?.message).toMatch(/^The Base URL in the FusionAuth credential must not contain a user name or password/);
		}
	});

	test('a thrown error carries no request options, headers or cause that could hold them', async () => {
		server.respondWith({ status: 401 });
		const result = await run(enableWithJwt);
		const error = result.error as unknown as IDataObject;
		expect(error.cause).toBeUndefined();
		expect(safeStringify(error)).not.toMatch(/authorization/i);
	});
	test('the whole log of the suite, written out by now, holds no secret', async () => {
		await new Promise((resolve) => setTimeout(resolve, 200));
		const text = logFile();
		for (const secret of SECRETS) expect(text.includes(secret)).toBe(false);
	});
});
