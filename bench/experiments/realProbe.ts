/**
 * The node (concurrency 500) and the HTTP Request node (defaults) in the real n8n app, run
 * alternately with `n8n execute`, with bench/experiments/loopwatch.cjs preloaded into n8n: per
 * 50 ms window of the measured node's run, the n8n process's CPU and its event loop's delay.
 *
 *   node .build/bench/experiments/realProbe.js --version 2.41.1 [--runs 2] [--latency 20]
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
		NODE_OPTIONS: `--require ${path.join(REPO, 'bench/experiments/loopwatch.cjs')}`,
		H7_WATCH_OUT: watchFile,
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
