/**
 * Items run side by side, up to the Concurrency option, and nothing a user sees depends on it:
 * output order, pairing, Continue On Fail, the error output and the error that stops the
 * workflow are the same as one item after another. The server counts requests in flight.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import type { RunResult } from '../harness/n8n';
import { runNode } from '../harness/n8n';
import type { RecordedRequest, Reply } from '../harness/recordingServer';

const API_KEY = 'concurrency-api-key';
const userId = (index: number) => `a0000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

/** What FusionAuth does with item i's enable: answers, refusals, errors, and node-side rejects. */
function itemFor(index: number): IDataObject {
	if (index % 11 === 5) return { userId: 'not-a-uuid', code: '111111' };
	if (index % 7 === 3) return { userId: userId(index), code: '000000' };
	if (index % 13 === 8) return { userId: userId(index), code: '404404' };
	if (index % 17 === 9) return { userId: userId(index), code: '400400' };
	return { userId: userId(index), code: '111111' };
}
const items = Array.from({ length: 40 }, (_, index) => itemFor(index));

const enable = (options: INodeParameters): INodeParameters => ({
	resource: 'twoFactor',
	operation: 'enable',
	userId: '={{ $json.userId }}',
	code: '={{ $json.code }}',
	secret: 'c2VjcmV0c2VjcmV0',
	options,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers by user; later items answer sooner, so completion order is unlike input order. */
async function answer(request: RecordedRequest, latency: (index: number) => number): Promise<Reply> {
	const id = request.path.split('/').pop()!;
	const index = Number(id.slice(-12));
	await sleep(latency(index));
	const code = (request.body as IDataObject | undefined)?.code;
	if (code === '000000') return { status: 421 };
	if (code === '404404') return { status: 404 };
	if (code === '400400') {
		return { status: 400, body: { fieldErrors: { code: [{ code: '[invalid]code', message: 'Invalid code.' }] } } };
	}
	return { status: 200, body: { recoveryCodes: [`codes-${index}`] } };
}

const server = useRecordingServer(async (request) => await answer(request, (index) => (index * 7919) % 13));

async function run(
	options: INodeParameters,
	onError?: 'continueRegularOutput' | 'continueErrorOutput',
	input: IDataObject[] = items,
): Promise<RunResult> {
	return await runNode({
		parameters: enable(options),
		items: input,
		credentials: { baseUrl: server.url, apiKey: API_KEY },
		onError,
	});
}

/** What a user sees of a run: the items on both outputs and the error, nothing else. */
function seen(result: RunResult) {
	return {
		output: result.output.map(({ json, pairedItem }) => ({ json, pairedItem })),
		errorOutput: result.errorOutput.map(({ json, pairedItem }) => ({ json, pairedItem })),
		error: result.error && {
			message: result.error.message,
			description: result.error.description,
			itemIndex: result.error.context?.itemIndex,
		},
	};
}

describe('the same results at every concurrency', () => {
	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'%s: items, order, pairing and error items equal those of concurrency 1',
		async (onError) => {
			const sequential = seen(await run({ concurrency: 1 }, onError));
			const sentSequentially = server.requests.length;
			// Sanity: the mix has successes and each kind of failure.
			const all = [...sequential.output, ...sequential.errorOutput];
			expect(all).toHaveLength(items.length);
			expect(new Set(all.map((item) => String(item.json.error ?? 'ok')))).toEqual(
				new Set([
					'ok',
					'User ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "not-a-uuid" [item 5]',
					'User ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "not-a-uuid" [item 16]',
					'User ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "not-a-uuid" [item 27]',
					'User ID must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not "not-a-uuid" [item 38]',
					'The two factor code is invalid or expired',
					...[8, 21, 34].map((index) => `User ${userId(index)} not found`),
					'FusionAuth rejected the request: Invalid code.',
				]),
			);

			for (const concurrency of [5, 500]) {
				server.reset();
				expect(seen(await run({ concurrency }, onError))).toEqual(sequential);
				// Each item that passed the node's own checks was sent exactly once.
				expect(server.requests).toHaveLength(sentSequentially);
			}
		},
	);

	test('the default concurrency gives the same items too', async () => {
		const sequential = seen(await run({ concurrency: 1 }, 'continueRegularOutput'));
		expect(seen(await run({}, 'continueRegularOutput'))).toEqual(sequential);
	});

	test('without Continue On Fail, the error that stops the workflow is the first failing item in input order', async () => {
		// Item 3 (421) fails after item 5 (a node-side reject, at once) has failed.
		const sequential = seen(await run({ concurrency: 1 }));
		expect(sequential.error).toEqual({
			message: 'The two factor code is invalid or expired',
			description: expect.any(String),
			itemIndex: 3,
		});
		for (const concurrency of [2, 5, 500]) {
			expect(seen(await run({ concurrency }))).toEqual(sequential);
		}
	});

	test('without Continue On Fail, no item starts after a failure: none at concurrency 1, fewer than Concurrency otherwise', async () => {
		const failing = 3;
		await run({ concurrency: 1 });
		expect(server.requests.map((request) => request.path.split('/').pop())).toEqual(
			Array.from({ length: failing + 1 }, (_, index) => userId(index)),
		);
		for (const concurrency of [4, 10]) {
			server.reset();
			await run({ concurrency });
			// Items 0..3 ran; at most concurrency - 1 others were already under way.
			expect(server.requests.length).toBeLessThanOrEqual(failing + concurrency);
		}
	});
});

describe('requests in flight', () => {
	const plain = Array.from({ length: 30 }, (_, index) => ({ userId: userId(index), code: '111111' }));

	/**
	 * The first answers are held until `target` requests have arrived (or 2 s pass): with a fixed
	 * latency alone, a loaded machine let the first answers come back before the last request of
	 * the first round left, and "exactly" failed for the machine's sake, not the node's.
	 */
	let target = 0;
	let reached = false;
	const held: Array<() => void> = [];
	beforeEach(() => {
		reached = false;
		server.respondWith(async (request) => {
			if (!reached) {
				if (held.length + 1 >= target) {
					reached = true;
					for (const release of held.splice(0)) release();
				} else {
					await new Promise<void>((resolve) => {
						const timer = setTimeout(resolve, 2000);
						held.push(() => {
							clearTimeout(timer);
							resolve();
						});
					});
				}
			}
			return await answer(request, () => 30);
		});
	});

	test.each([
		[1, 1],
		[3, 3],
		[undefined, 10],
		[25, 25],
	])('concurrency %s: at most (and, with enough items, exactly) %s at once', async (concurrency, expected) => {
		target = expected;
		const input = expected === 1 ? plain.slice(0, 8) : plain;
		await run(concurrency === undefined ? {} : { concurrency }, undefined, input);
		expect(server.requests).toHaveLength(input.length);
		expect(server.maxInFlight).toBe(expected);
	});

	test('concurrency 1 is strict sequence: each request starts after the previous answer, in input order', async () => {
		const input = plain.slice(0, 10);
		await run({ concurrency: 1 }, undefined, input);
		expect(server.maxInFlight).toBe(1);
		expect(server.requests.map((request) => request.path.split('/').pop())).toEqual(input.map((item) => item.userId));
	});

	test('the highest setting, 500, has 500 in flight', async () => {
		const many = Array.from({ length: 520 }, (_, index) => ({ userId: userId(index), code: '111111' }));
		// Long enough that, even on a busy machine, all 500 are sent before the first answer comes back.
		server.respondWith(async (request) => await answer(request, () => 2_000));
		const result = await run({ concurrency: 500 }, undefined, many);
		expect(result.output).toHaveLength(many.length);
		expect(server.maxInFlight).toBe(500);
	});
});
