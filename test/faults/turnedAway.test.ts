/**
 * Fault injection, part 2: FusionAuth (or its proxy) turns requests away with 503 or 429.
 * FusionAuth has not acted on those, so every method is sent again, after Retry-After when
 * given; other statuses (401 included) never are.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { oneItemEach } from '../harness/expectations';
import { useRecordingServer, useSimulator } from '../harness/lifecycle';
import type { RunResult } from '../harness/n8n';
import { runNode } from '../harness/n8n';
import { DEMO_USERS } from '../simulator/server';

const SEND_PATH = '/api/two-factor/send';
const emails = Array.from({ length: 10 }, (_, index) => `item-${index}@example.com`);

const sendCode = (options: INodeParameters): INodeParameters => ({
	resource: 'code',
	operation: 'send',
	userId: DEMO_USERS.noMethods.id,
	method: 'email',
	email: '={{ $json.email }}',
	options,
});
const generateSecret = (options: INodeParameters): INodeParameters => ({
	resource: 'secret',
	operation: 'generate',
	options,
});

const simulator = useSimulator();

function run(parameters: INodeParameters, count = emails.length, apiKey = simulator.apiKey): Promise<RunResult> {
	return runNode({
		parameters,
		items: emails.slice(0, count).map((email) => ({ email })),
		credentials: { baseUrl: simulator.url, apiKey },
		onError: 'continueRegularOutput',
	});
}

const description = (item: INodeExecutionData) => (item.json.details as { description: string }).description;

describe('a server that answers 503 with Retry-After', () => {
	test('waits as long as Retry-After says, with every request of the node held back, then succeeds', async () => {
		simulator.setFaults({ status: 503, statusFirst: 5, retryAfterSeconds: 1 });
		const result = await run(generateSecret({ concurrency: 5 }));

		const items = oneItemEach(result.output, emails.length);
		for (const item of items) expect(item.json.secret).toEqual(expect.any(String));
		const turnedAway = simulator.requests.filter((request) => request.status === 503);
		expect(turnedAway).toHaveLength(5);
		expect(simulator.requests).toHaveLength(emails.length + 5);
		// Nothing went out until a second after the last 503.
		const lastTurnedAway = Math.max(...turnedAway.map((request) => request.time));
		const answered = simulator.requests.filter((request) => request.status === 200);
		expect(Math.min(...answered.map((request) => request.time))).toBeGreaterThanOrEqual(lastTurnedAway + 990);
	});

	test('a POST turned away is sent again, and FusionAuth sends each code exactly once', async () => {
		simulator.setFaults({ status: 503, statusFirst: 4, retryAfterSeconds: 0, paths: [SEND_PATH] });
		const result = await run(sendCode({ concurrency: 3 }));

		const items = oneItemEach(result.output, emails.length);
		for (const item of items) expect(item.json).toEqual({ success: true });
		expect(simulator.requests).toHaveLength(emails.length + 4);
		expect(simulator.outbox.map((message) => message.to).sort()).toEqual([...emails].sort());
	});

	test('a 503 that does not go away: the item fails after its retries with FusionAuth\'s words', async () => {
		simulator.setFaults({ status: 503, retryAfterSeconds: 0 });
		const result = await run(generateSecret({ concurrency: 1, retries: 2 }), 3);

		for (const item of oneItemEach(result.output, 3)) {
			expect(item.json.error).toBe('FusionAuth is unavailable (503)');
			expect(description(item)).toContain('[ServiceUnavailable]');
			expect(description(item)).toContain('Gave up after 2 retries.');
		}
		expect(simulator.requests).toHaveLength(3 * 3);
	});

	test('a Retry-After longer than Max Retry Wait fails the item at once instead of waiting', async () => {
		simulator.setFaults({ status: 503, retryAfterSeconds: 120 });
		const result = await run(generateSecret({ maxRetryWait: 60 }), 1);

		expect(result.output[0].json.error).toBe('FusionAuth is unavailable (503)');
		expect(description(result.output[0])).toContain(
			'FusionAuth asked to wait 120 s (Retry-After), longer than Max Retry Wait (60 s): not sent again.',
		);
		expect(simulator.requests).toHaveLength(1);
	});

	test('without Continue On Fail the workflow stops with the 503 once retries are used up', async () => {
		simulator.setFaults({ status: 503, retryAfterSeconds: 0 });
		const result = await runNode({
			parameters: sendCode({ retries: 1 }),
			items: [{ email: emails[0] }],
			credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
		});
		expect(result.error?.message).toBe('FusionAuth is unavailable (503)');
		expect(result.error?.description).toContain('Gave up after 1 retry.');
		expect(simulator.requests).toHaveLength(2);
		expect(simulator.outbox).toHaveLength(0);
	});
});

describe('429 Too Many Requests, and statuses that are never retried', () => {
	test('429 without Retry-After: backs off (doubling from Retry Delay) and succeeds', async () => {
		simulator.setFaults({ status: 429, statusFirst: 2 });
		const result = await run(generateSecret({ concurrency: 1, retryDelay: 100 }), 1);

		expect(result.output[0].json.secret).toEqual(expect.any(String));
		const [first, second, third] = simulator.requests.map((request) => request.time);
		expect(simulator.requests.map((request) => request.status)).toEqual([429, 429, 200]);
		expect(second - first).toBeGreaterThanOrEqual(95);
		expect(third - second).toBeGreaterThanOrEqual(195);
	});

	test('401 is not retried', async () => {
		const result = await run(generateSecret({ retryDelay: 100 }), 2, 'not-the-key');
		for (const item of oneItemEach(result.output, 2)) {
			expect(item.json.error).toBe('FusionAuth rejected the API key');
		}
		expect(simulator.requests).toHaveLength(2);
	});

	test('500 is not retried: FusionAuth may have acted before failing', async () => {
		simulator.setFaults({ status: 500 });
		const result = await run(sendCode({ retryDelay: 100 }), 2);
		for (const item of oneItemEach(result.output, 2)) {
			expect(item.json.error).toBe('FusionAuth had an internal error (500)');
		}
		expect(simulator.requests).toHaveLength(2);
	});
});

describe('Retry-After as an HTTP date', () => {
	const server = useRecordingServer();

	function turnAwayOnce(retryAfter: string) {
		server.reset();
		server.respondWith((request) =>
			server.requests.length === 1
				? { status: 503, headers: { 'Retry-After': retryAfter } }
				: { status: 200, body: { secret: `secret-${request.path}` } },
		);
	}

	async function runAgainst(): Promise<RunResult> {
		return await runNode({
			parameters: generateSecret({ retryDelay: 5000 }),
			credentials: { baseUrl: server.url, apiKey: 'key' },
			onError: 'continueRegularOutput',
		});
	}

	test('a date already past means retry now (not the 5 s Retry Delay)', async () => {
		turnAwayOnce(new Date(Date.now() - 10_000).toUTCString());
		const started = Date.now();
		const result = await runAgainst();
		expect(result.output[0].json).toEqual({ secret: 'secret-/api/two-factor/secret' });
		expect(server.requests).toHaveLength(2);
		expect(Date.now() - started).toBeLessThan(2_000);
	});

	test('a date further away than Max Retry Wait fails the item without a second request', async () => {
		turnAwayOnce(new Date(Date.now() + 3_600_000).toUTCString());
		const result = await runAgainst();
		expect(description(result.output[0])).toMatch(/FusionAuth asked to wait 3[56]\d\d s \(Retry-After\)/);
		expect(server.requests).toHaveLength(1);
	});
});
