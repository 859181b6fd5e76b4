/**
 * Workers freed in the same turn of the event loop start their next requests together, in a later
 * turn, after every answer of their turn has been read: never one by one between the answers
 * (opening a connection between answers costs n8n's process more CPU per request; see
 * bench/experiments/waits.md). The server answers each wave of requests at once; the node's calls
 * to `exchange` are logged with the loop turn they happen in.
 */
import path from 'path';

import { useRecordingServer } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';
import { PACKAGE_ROOT } from '../harness/package';
import type { Reply } from '../harness/recordingServer';

const API_KEY = 'together-api-key';
const WAVE = 5;
const ITEMS = 20;

type Exchange = (...args: unknown[]) => Promise<unknown>;
// The module the node's transport calls `exchange` from (the package is loaded from dist).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sendModule = require(path.join(PACKAGE_ROOT, 'dist/nodes/shared/send.js')) as { exchange: Exchange };
const original = sendModule.exchange;

/** Every call and every answer of `exchange`, with the loop turn it happened in. */
let log: Array<{ event: 'start' | 'answered'; turn: number }> = [];
let turn = 0;
let ticking: NodeJS.Immediate | undefined;
const tick = () => {
	turn++;
	ticking = setImmediate(tick);
};

/** Holds each request until a whole wave has come, then answers the wave in one go. */
let waiting: Array<() => void> = [];
let wave = WAVE;
const server = useRecordingServer(async (): Promise<Reply> => {
	await new Promise<void>((resolve) => {
		waiting.push(resolve);
		if (waiting.length === wave) {
			const held = waiting;
			waiting = [];
			for (const release of held) release();
		}
	});
	return { status: 200, body: { secret: 'c2VjcmV0', secretBase32Encoded: 'ONSWG4TFOQ' } };
});

beforeEach(() => {
	log = [];
	waiting = [];
	sendModule.exchange = async (...args) => {
		log.push({ event: 'start', turn });
		const result = await original(...args);
		log.push({ event: 'answered', turn });
		return result;
	};
	tick();
});

afterEach(() => {
	sendModule.exchange = original;
	clearImmediate(ticking);
});

async function generate(concurrency: number) {
	return await runNode({
		parameters: { resource: 'secret', operation: 'generate', options: { concurrency } },
		items: Array.from({ length: ITEMS }, (_, index) => ({ index })),
		credentials: { baseUrl: server.url, apiKey: API_KEY },
	});
}

test(`concurrency ${WAVE}: each wave starts together, in a turn after the answers that freed it`, async () => {
	wave = WAVE;
	const result = await generate(WAVE);
	expect(result.error).toBeUndefined();
	expect(result.output.map((item) => item.pairedItem)).toEqual(Array.from({ length: ITEMS }, (_, item) => ({ item })));

	const starts = log.filter((entry) => entry.event === 'start');
	expect(starts).toHaveLength(ITEMS);
	const answeredTurns = new Set(log.filter((entry) => entry.event === 'answered').map((entry) => entry.turn));
	// After the first wave, no request starts in a turn in which an answer was read.
	const startedAmongAnswers = starts.slice(WAVE).filter((entry) => answeredTurns.has(entry.turn));
	expect(startedAmongAnswers).toEqual([]);
	// And each wave went out in one turn.
	const wavesTurns = Array.from({ length: ITEMS / WAVE }, (_, wave) =>
		new Set(starts.slice(wave * WAVE, (wave + 1) * WAVE).map((entry) => entry.turn)).size,
	);
	expect(wavesTurns).toEqual(Array.from({ length: ITEMS / WAVE }, () => 1));
	expect(server.requests).toHaveLength(ITEMS);
});

test('concurrency 1: the next item starts in the turn its answer is read (nothing to start together)', async () => {
	wave = 1;
	const result = await generate(1);
	expect(result.error).toBeUndefined();
	expect(server.requests).toHaveLength(ITEMS);
	const sequence = log.map((entry) => `${entry.event}@${entry.turn}`);
	for (let index = 1; index < ITEMS; index++) {
		const answered = log[index * 2 - 1];
		const next = log[index * 2];
		expect([answered.event, next.event, next.turn === answered.turn]).toEqual(['answered', 'start', true]);
	}
	expect(sequence).toHaveLength(ITEMS * 2);
});
