/**
 * Plain http.request (one connection per request, as n8n's helpers make them), 2000 GETs against
 * the bench server: a pool of 500 workers (the node's pattern) against all 2000 started at once
 * (the HTTP Request node's pattern), and a pool of 500 whose freed slots are refilled together once per
 * turn of the event loop; CPU per request and a CPU profile's `connect` share.
 *   node .build/bench/experiments/floor-pattern.js
 */
import { request } from 'http';
import { Session } from 'inspector';
import { performance } from 'perf_hooks';

import { startServer } from '../serverClient';

function get(url: string, apiKey: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const call = request(`${url}/api/two-factor/secret`, { agent: false, headers: { Authorization: apiKey } }, (response) => {
			response.on('data', () => undefined);
			response.on('end', resolve);
			response.on('error', reject);
		});
		call.on('error', reject);
		call.end();
	});
}

/** One promise per turn of the event loop's check phase, shared by everyone waiting for it. */
let turn: Promise<void> | undefined;
function nextTurn(kind: 'check' | 'timer'): Promise<void> {
	return (turn ??= new Promise((resolve) => {
		const done = () => {
			turn = undefined;
			resolve();
		};
		if (kind === 'check') setImmediate(done);
		else setTimeout(done, 0);
	}));
}

async function pool(url: string, apiKey: string, count: number, workers: number, batched: false | 'check' | 'timer' = false) {
	let next = 0;
	const worker = async () => {
		while (next < count) {
			next++;
			await get(url, apiKey);
			// Batched: a freed slot waits for the loop's check phase, so that the requests of every
			// answer read in this poll phase go out together.
			if (batched) await nextTurn(batched);
		}
	};
	await Promise.all(Array.from({ length: workers }, worker));
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}

async function main() {
	const server = await startServer(['api']);
	const session = new Session();
	session.connect();
	await post(session, 'Profiler.enable');
	try {
		await pool(server.url, server.apiKey, 200, 50);
		await server.control({ type: 'reset', latencyMs: 20 });
		for (let round = 0; round < 3; round++) {
			for (const [workers, batched, latencyMs] of [[500, false, 20], [500, 'check', 20], [500, 'timer', 20], [2000, false, 20], [10, false, 0], [10, 'timer', 0], [1, false, 0], [1, 'timer', 0]] as const) {
				await server.control({ type: 'reset', latencyMs });
				await post(session, 'Profiler.start');
				const cpu = process.cpuUsage();
				const started = performance.now();
				await pool(server.url, server.apiKey, workers === 1 ? 500 : 2000, workers, batched);
				const ms = performance.now() - started;
				const used = process.cpuUsage(cpu);
				const { profile } = await post<{ profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>; samples: number[]; timeDeltas: number[] } }>(session, 'Profiler.stop');
				const byId = new Map(profile.nodes.map((node) => [node.id, node]));
				let connect = 0;
				let total = 0;
				profile.samples.forEach((id, index) => {
					total += profile.timeDeltas[index];
					const frame = byId.get(id)!.callFrame;
					if (frame.functionName === 'connect' && frame.url === '') connect += profile.timeDeltas[index];
				});
				const stats = await server.control({ type: 'stats' });
				await server.control({ type: 'reset', latencyMs: 20 });
				process.stdout.write(
					`${latencyMs} ms, ${workers === 2000 ? 'all at once' : `pool of ${workers}${batched ? `, refilled together (${batched === 'check' ? 'setImmediate' : 'setTimeout 0'})` : ''}`}: ${Math.round(2000 / (ms / 1000))} req/s, cpu ${((used.user + used.system) / 1000 / 2000).toFixed(3)} ms/request, ` +
						`native connect ${(connect / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled, in flight ${stats.type === 'stats' ? stats.stats.maxInFlight : '?'}\n`,
				);
			}
		}
	} finally {
		session.disconnect();
		server.close();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${String(error)}\n`);
	process.exit(1);
});
