/**
 * The node (concurrency 500) and the HTTP Request node (defaults) in the real n8n app, run
 * alternately with `n8n execute`, with bench/experiments/loopwatch.cjs preloaded into n8n: per
 * 50 ms window of the measured node's run, the n8n process's CPU and its event loop's delay.
 *
 *   node .build/bench/experiments/realProbe.js --version 2.41.1 [--runs 2] [--latency 20] [--profile DIR]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import { cacheRoot, ensureN8n, TARGETS } from '../../test/e2e/install';
import { N8nInstance, parseRunOutput } from '../../test/e2e/n8n';
import { pack } from '../../test/e2e/pack';
import { startServer } from '../serverClient';

const REPO = path.resolve(__dirname, '..', '..', '..');
const flag = (name: string, fallback: string) => {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
};
const VERSION = flag('version', '2.41.1');
const RUNS = Number(flag('runs', '2'));
const LATENCY = Number(flag('latency', '20'));
/** A folder for V8 CPU profiles of every n8n process (`--cpu-prof`), one file per run. */
const PROFILE_DIR = flag('profile', '');
const ITEMS = 2000;
const CREDENTIAL = { id: 'faBenchCredent01', name: 'FusionAuth (bench server)' };

function workflow(id: string, measured: Record<string, unknown>) {
	const node = (name: string, type: string, typeVersion: number, position: number, parameters: Record<string, unknown>, extra = {}) => ({
		id: `b0000000-0000-4000-8000-${String(position).padStart(12, '0')}`, name, type, typeVersion, position: [position * 220, 0], parameters, ...extra,
	});
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, 1, {}),
		node('Items', 'n8n-nodes-base.set', 3.4, 2, { mode: 'raw', jsonOutput: JSON.stringify({ items: Array.from({ length: ITEMS }, (_, index) => ({ index })) }), options: {} }),
		node('Split', 'n8n-nodes-base.splitOut', 1, 3, { fieldToSplitOut: 'items', options: {} }),
		{ ...node('Measured', measured.type as string, measured.typeVersion as number, 4, measured.parameters as Record<string, unknown>), ...(measured.extra as object) },
	];
	const connections: Record<string, unknown> = {};
	for (let index = 0; index + 1 < nodes.length; index++) connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	return { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Self time by package and by function of the samples taken between `start` and `end` (epoch ms). */
function profileWithin(file: string, start: number, end: number, keep: string): string {
	const { epochMs, monotonicUs, profile } = JSON.parse(readFileSync(file, 'utf8')) as {
		epochMs: number;
		monotonicUs: number;
		profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
	};
	writeFileSync(keep, JSON.stringify(profile));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const place = (url: string) => {
		if (!url) return '(native)';
		const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
		if (match) return match[1];
		if (url.startsWith('node:')) return url.split('/')[0];
		return url.split('/').slice(-2).join('/');
	};
	const byPackage = new Map<string, number>();
	const byFunction = new Map<string, number>();
	let at = profile.startTime;
	let total = 0;
	profile.samples.forEach((id, index) => {
		const delta = profile.timeDeltas[index] ?? 0;
		at += delta;
		const epoch = epochMs + (at - monotonicUs) / 1000;
		if (epoch < start || epoch > end) return;
		const { callFrame } = byId.get(id)!;
		const special = ['(idle)', '(garbage collector)', '(program)'].includes(callFrame.functionName);
		const where = special ? callFrame.functionName : place(callFrame.url);
		byPackage.set(where, (byPackage.get(where) ?? 0) + delta);
		const name = `${callFrame.functionName || '(anonymous)'} ${place(callFrame.url)}:${callFrame.lineNumber + 1}`;
		byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
		total += delta;
	});
	const show = (map: Map<string, number>, count: number) =>
		[...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, us]) => `    ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`).join('\n');
	return `  profile within the node's run: ${(total / 1000).toFixed(0)} ms sampled\n  by package:\n${show(byPackage, 14)}\n  by function:\n${show(byFunction, 30)}`;
}

async function main() {
	const target = TARGETS.find((entry) => entry.version === VERSION)!;
	const install = await ensureN8n(target, cacheRoot(), () => undefined);
	const tarball = await pack(REPO);
	const api = await startServer(['api']);
	const scratch = mkdtempSync(path.join(os.tmpdir(), 'n8n-probe-'));
	const outputFile = path.join(scratch, 'out.json');
	const watchFile = path.join(scratch, 'watch.txt');
	const wrapper = path.join(scratch, 'n8n-to-file.sh');
	writeFileSync(wrapper, `#!/bin/sh\nexec '${install.node}' "$@" > '${outputFile}'\n`, { mode: 0o755 });
	const n8n = new N8nInstance({ ...install, node: wrapper }, path.join(scratch, 'n8n.log'), {
		NODE_OPTIONS: `--require ${path.join(REPO, 'bench/experiments/loopwatch.cjs')}${PROFILE_DIR ? ` --require ${path.join(REPO, 'bench/experiments/profwatch.cjs')}` : ''}`,
		H7_WATCH_OUT: watchFile,
		...(PROFILE_DIR ? { H7_PROFILE_OUT: path.join(PROFILE_DIR, 'current.json') } : {}),
	});
	try {
		await n8n.prepare();
		await n8n.installPackage(tarball.tarball, tarball.name, tarball.version);
		await n8n.importCredentials([{ ...CREDENTIAL, type: 'fusionAuthApi', data: { baseUrl: api.url, apiKey: api.apiKey } }]);
		// The HTTP Request node's default version in each n8n, as the editor adds it (real.ts reads it the same way).
		const httpVersion = VERSION.startsWith('1.') ? 4.3 : 4.5;
		const flows = {
			node500: workflow('faProbeNode50001', {
				type: 'n8n-nodes-fusionauth.fusionAuthTwoFactor', typeVersion: 1,
				parameters: { resource: 'secret', operation: 'generate', options: { concurrency: 500 } },
				extra: { credentials: { fusionAuthApi: CREDENTIAL } },
			}),
			http: workflow('faProbeHttp00001', {
				type: 'n8n-nodes-base.httpRequest', typeVersion: httpVersion,
				parameters: { method: 'GET', url: `${api.url}/api/two-factor/secret`, sendHeaders: true, specifyHeaders: 'keypair', headerParameters: { parameters: [{ name: 'Authorization', value: api.apiKey }] }, options: {} },
				extra: {},
			}),
		};
		await n8n.importWorkflows(Object.values(flows));
		for (let run = 0; run < RUNS; run++) {
			for (const [name, flow] of Object.entries(flows)) {
				await api.control({ type: 'reset', latencyMs: LATENCY });
				rmSync(watchFile, { force: true });
				const load = os.loadavg()[0];
				await n8n.execute(flow.id);
				const reply = await api.control({ type: 'stats' });
				const stats = reply.type === 'stats' ? reply.stats : undefined;
				const data = parseRunOutput(readFileSync(outputFile, 'utf8')) as { data?: { resultData?: { runData?: Record<string, Array<{ startTime: number; executionTime: number; data?: { main?: unknown[][] } }>> } } };
				const measured = data?.data?.resultData?.runData?.Measured?.[0];
				if (!measured) { console.log(`${name}: no run data`); continue; }
				const start = measured.startTime;
				const end = start + measured.executionTime;
				// Lines: end (epoch ms), length, CPU ms, mean delay, max delay. A window counts when it overlaps the node's run.
				const windows = readFileSync(watchFile, 'utf8').trim().split('\n').map((line) => line.split(' ').map(Number))
					.filter(([t, length]) => t > start && t - length < end);
				const cpu = windows.reduce((sum, w) => sum + w[2], 0);
				const wall = windows.reduce((sum, w) => sum + w[1], 0);
				const maxDelay = Math.max(...windows.map((w) => w[4]));
				const blocked = windows.filter((w) => w[4] > 100).reduce((sum, w) => sum + w[4], 0);
				const idleWindows = windows.filter((w) => w[2] < w[1] / 2).length;
				console.log(
					`n8n ${VERSION} ${name} run ${run + 1}: ${Math.round(ITEMS / (measured.executionTime / 1000))} items/s (${measured.executionTime} ms), ` +
						`cpu ${cpu.toFixed(0)} ms over ${wall} ms of windows (${((cpu / wall) * 100).toFixed(0)}%), windows under 50% CPU ${idleWindows}/${windows.length}, ` +
						`loop delay max ${maxDelay.toFixed(0)} ms, blocked over 100 ms at a time: ${blocked.toFixed(0)} ms in all, in flight ${stats?.maxInFlight}, held ${stats ? (stats.heldMs / stats.requests).toFixed(1) : '?'} ms, load ${load.toFixed(2)}`,
				);
				const arrivals = stats?.arrivals ?? [];
				if (arrivals.length > 0) {
					const at = (share: number) => arrivals[Math.min(arrivals.length - 1, Math.floor(share * arrivals.length))];
					console.log(`  the first ${arrivals.length} arrived (ms after the first): 10% ${at(0.1)}, 50% ${at(0.5)}, 90% ${at(0.9)}, all ${arrivals[arrivals.length - 1]}; first answer ended at ${stats?.firstAnswerMs?.toFixed(0)} ms`);
				}
				if (PROFILE_DIR) console.log(profileWithin(path.join(PROFILE_DIR, 'current.json'), start, end, path.join(PROFILE_DIR, `${VERSION}-${name}-${run + 1}.json`)));
				console.log(`  windows (length ms / cpu ms / max delay ms): ${windows.map((w) => `${w[1]}/${w[2].toFixed(0)}/${w[4].toFixed(0)}`).join(' ')}`);
			}
		}
	} finally {
		api.close();
		rmSync(n8n.userFolder, { recursive: true, force: true });
		rmSync(scratch, { recursive: true, force: true });
		rmSync(path.dirname(tarball.tarball), { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
