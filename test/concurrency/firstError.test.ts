/**
 * Without Continue On Fail, the error that stops the workflow is the first failing item in input
 * order, not the first to fail in time. router.test.ts shows it with a node-side refusal racing a
 * FusionAuth answer; here both failures are FusionAuth's answers, and the server makes the later
 * item fail first: it answers the early item only after the later item's failure is out.
 */
import type { IDataObject } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';
import type { RecordedRequest, Reply } from '../harness/recordingServer';

const API_KEY = 'first-error-api-key';
const userId = (index: number) => `b1000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
const indexOf = (request: RecordedRequest) => Number(request.path.split('/').pop()!.slice(-12));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Shape {
	items: number;
	/** Fails slowly, after every fast failure has been answered: FusionAuth has no such user. */
	slow: number;
	/** Fail at once: FusionAuth refuses the request. */
	fast: number[];
}

/** The order in which the server finished answering, by item. */
let answered: number[] = [];
let fastFailuresOut: Promise<void> = Promise.resolve();

const server = useRecordingServer();

function serve(shape: Shape): void {
	answered = [];
	let release: () => void = () => {};
	let pending = shape.fast.length;
	fastFailuresOut = new Promise((resolve) => (release = resolve));
	server.respondWith(async (request): Promise<Reply> => {
		const index = indexOf(request);
		if (shape.fast.includes(index)) {
			// Counted as out just after this answer leaves.
			setTimeout(() => {
				answered.push(index);
				if (--pending === 0) release();
			}, 0);
			return { status: 400, body: { fieldErrors: { userId: [{ code: '[invalid]userId', message: `Refused for item ${index}.` }] } } };
		}
		if (index === shape.slow) {
			// Bounded, so that a router that never sends the later items fails the test instead of hanging.
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([fastFailuresOut, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
			clearTimeout(timer);
			await sleep(100);
			answered.push(index);
			return { status: 404 };
		}
		answered.push(index);
		return { status: 200, body: { user: { id: userId(index), email: `user${index}@example.com` } } };
	});
}

test.each<[string, Shape]>([
	['item 2 fails at once, item 0 later', { items: 3, slow: 0, fast: [2] }],
	['items 3, 5 and 7 fail at once, item 1 later', { items: 8, slow: 1, fast: [3, 5, 7] }],
])('%s: the workflow stops with the slow item\'s error, the first in input order', async (_name, shape) => {
	serve(shape);
	const result = await runNode({
		parameters: { resource: 'user', operation: 'get', userId: '={{ $json.userId }}', options: { concurrency: shape.items } },
		items: Array.from({ length: shape.items }, (_, index): IDataObject => ({ userId: userId(index) })),
		credentials: { baseUrl: server.url, apiKey: API_KEY },
	});

	// On the wire: every item was under way together, and the later failures were out first.
	expect(server.requests.map(indexOf).sort((a, b) => a - b)).toEqual(Array.from({ length: shape.items }, (_, index) => index));
	expect(answered.indexOf(shape.slow)).toBeGreaterThan(Math.max(...shape.fast.map((index) => answered.indexOf(index))));

	expect(result.output).toEqual([]);
	expect(result.error?.message).toBe(`User ${userId(shape.slow)} not found`);
	expect(result.error?.context?.itemIndex).toBe(shape.slow);
});
