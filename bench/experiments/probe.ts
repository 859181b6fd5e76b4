/**
 * One measured pass of the node or of the HTTP Request node in n8n's engine (this process),
 * against the bench server (its own process), with what the pass waited on: the event loop's
 * delay (perf_hooks monitorEventLoopDelay), the process's CPU time against the wall time, and
 * optionally a CPU profile of the pass (inspector).
 *
 *   node .build/bench/experiments/probe.js --runner node|http --latency 20 --concurrency 500 \
 *     [--items 2000] [--profile /tmp/x.cpuprofile] [--passes 1]
 */
import { writeFileSync } from 'fs';
import { Session } from 'inspector';
import os from 'os';
import { monitorEventLoopDelay, performance } from 'perf_hooks';

import path from 'path';

import { PACKAGE_ROOT } from '../../test/harness/package';
import { FUSIONAUTH_NODE, HTTP_REQUEST_NODE, httpRequestNodeType, runWorkflow } from '../engine';
import { benchItems } from '../scenario';
import { startServer } from '../serverClient';

function flag(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const runner = flag('runner', 'node');
const latencyMs = Number(flag('latency', '20'));
const concurrency = flag('concurrency', '');
const itemCount = Number(flag('items', '2000'));
const profile = flag('profile', '');
const passes = Number(flag('passes', '1'));
const timeline = process.argv.includes('--timeline');
/** `buffered`: the node's requests go out without `encoding: 'stream'` (n8n's helper reads the answer whole). */
const variant = flag('variant', '');

/** Per exchange: called, handed to n8n's helper, headers back, body read (ms, performance.now). */
const marks: Array<{ called: number; sent?: number; headers?: number; done?: number }> = [];

/** Wraps the node's `exchange` (dist/nodes/shared/send.js, the module the transport calls) to time each step. */
function instrument() {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const sendModule = require(path.join(PACKAGE_ROOT, 'dist/nodes/shared/send.js')) as {
		exchange: (send: (options: unknown) => Promise<unknown>, ...rest: unknown[]) => Promise<unknown>;
	};
	const original = sendModule.exchange;
	sendModule.exchange = async (send, ...rest) => {
		const mark: (typeof marks)[number] = { called: performance.now() };
		marks.push(mark);
		const timed = async (options: unknown) => {
			if (variant === 'buffered') delete (options as { encoding?: string }).encoding;
			mark.sent = performance.now();
			const answer = await send(options);
			mark.headers = performance.now();
			return answer;
		};
		const result = await original(timed, ...rest);
		mark.done = performance.now();
		return result;
	};
}

function quantiles(values: number[]): string {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(1);
	return `p10 ${at(0.1)} p50 ${at(0.5)} p90 ${at(0.9)} max ${sorted[sorted.length - 1]?.toFixed(1)} ms`;
}

function reportTimeline(started: number) {
	const valid = marks.filter((mark) => mark.done !== undefined && mark.headers !== undefined && mark.sent !== undefined);
	process.stdout.write(`  called->handed to helper: ${quantiles(valid.map((m) => m.sent! - m.called))}\n`);
	process.stdout.write(`  helper->headers: ${quantiles(valid.map((m) => m.headers! - m.sent!))}\n`);
	process.stdout.write(`  headers->body read: ${quantiles(valid.map((m) => m.done! - m.headers!))}\n`);
	const bucket = 100;
	const end = Math.max(...valid.map((m) => m.done!));
	const rows: string[] = [];
	for (let t = started; t < end; t += bucket) {
		const called = valid.filter((m) => m.called >= t && m.called < t + bucket).length;
		const handed = valid.filter((m) => m.sent! >= t && m.sent! < t + bucket).length;
		const headers = valid.filter((m) => m.headers! >= t && m.headers! < t + bucket).length;
		const done = valid.filter((m) => m.done! >= t && m.done! < t + bucket).length;
		const open = valid.filter((m) => m.called < t + bucket && m.done! >= t + bucket).length;
		rows.push(`${String(Math.round(t - started)).padStart(5)} ms: called ${called} handed ${handed} headers ${headers} done ${done} open ${open}`);
	}
	process.stdout.write(rows.map((row) => `  ${row}`).join('\n') + '\n');
	marks.length = 0;
}

async function pass(url: string, apiKey: string, count: number) {
	const items = benchItems(count);
	if (runner === 'http') {
		return await runWorkflow({
			type: HTTP_REQUEST_NODE,
			typeVersion: httpRequestNodeType().currentVersion,
			parameters: {
				method: 'GET',
				url: `${url}/api/two-factor/secret`,
				sendHeaders: true,
				specifyHeaders: 'keypair',
				headerParameters: { parameters: [{ name: 'Authorization', value: apiKey }] },
				options: {},
			},
			items,
			onError: 'continueRegularOutput',
		});
	}
	return await runWorkflow({
		type: FUSIONAUTH_NODE,
		typeVersion: 1,
		parameters: { resource: 'secret', operation: 'generate', options: concurrency ? { concurrency: Number(concurrency) } : {} },
		items,
		credentials: { baseUrl: url, apiKey },
		onError: 'continueRegularOutput',
	});
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) =>
		session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
	);
}

async function main() {
	const server = await startServer(['api']);
	try {
		process.stdout.write(`server ${server.url}\n`);
		await pass(server.url, server.apiKey, 50);
		if (timeline || variant) instrument();
		await server.control({ type: 'reset', latencyMs });
		const session = new Session();
		for (let index = 0; index < passes; index++) {
			// Only the last pass is profiled: the first ones warm the JIT up.
			if (profile && index === passes - 1) {
				session.connect();
				await post(session, 'Profiler.enable');
				await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
				await post(session, 'Profiler.start');
			}
			const load = os.loadavg()[0];
			const delay = monitorEventLoopDelay({ resolution: 1 });
			delay.enable();
			const cpu = process.cpuUsage();
			const started = performance.now();
			const result = await pass(server.url, server.apiKey, itemCount);
			const ms = performance.now() - started;
			if (timeline) reportTimeline(started);
			delay.disable();
			const used = process.cpuUsage(cpu);
			const errors = result.output.filter((item) => 'error' in item.json).length + result.errorOutput.length;
			const stats = await server.control({ type: 'stats' });
			await server.control({ type: 'reset', latencyMs });
			const s = stats.type === 'stats' ? stats.stats : undefined;
			const cpuMs = (used.user + used.system) / 1000;
			process.stdout.write(
				`${runner}${concurrency ? ` c${concurrency}` : ''}${variant ? ` ${variant}` : ''} ${latencyMs}ms: ${Math.round(itemCount / (ms / 1000))} items/s, ` +
					`${ms.toFixed(0)} ms, cpu ${cpuMs.toFixed(0)} ms (${((cpuMs / ms) * 100).toFixed(0)}% busy, ${(cpuMs / itemCount).toFixed(2)} ms/item), ` +
					`loop delay mean ${(delay.mean / 1e6).toFixed(1)} p50 ${(delay.percentile(50) / 1e6).toFixed(1)} p99 ${(delay.percentile(99) / 1e6).toFixed(1)} max ${(delay.max / 1e6).toFixed(1)} ms, ` +
					`in flight ${s?.maxInFlight}, requests ${s?.requests}, held ${s ? (s.heldMs / s.requests).toFixed(1) : '?'} ms, errors ${errors}, load ${load.toFixed(2)}\n`,
			);
		}
		if (profile) {
			const { profile: data } = await post<{ profile: object }>(session, 'Profiler.stop');
			writeFileSync(profile, JSON.stringify(data));
			session.disconnect();
		}
	} finally {
		server.close();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`probe failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
