/**
 * `npm run bench:engine`: this node against n8n's HTTP Request node and a plain Node.js loop, side
 * by side in one run, in n8n's execution engine, against a local server with 0 ms and 20 ms
 * latency; then user.getMany over a simulated directory. Prints the figures and writes
 * bench/engine-results.md (the figures of record come from `npm run bench`, in real n8n).
 *
 * Flags: --items N (default 2000), --users N (default 50000), --runs N (default 3), --out FILE,
 * --only items|users, --full (concurrency 1 with added latency runs all items too; by default it runs
 * SEQUENTIAL_ITEMS, since one item after another at 20 ms is 20 ms an item whatever the count).
 */
import type { ChildProcess } from 'child_process';
import { fork } from 'child_process';
import { writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import type { ServerStats } from './server';
import type { BenchServer } from './serverClient';
import { startServer } from './serverClient';
import type { ChildMessage, Operation, Scenario, ScenarioInput, ScenarioResult } from './shared';
import { PACED_BATCHING } from './shared';

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const LATENCIES = [0, 20];
const OPERATIONS: Operation[] = ['secret.generate', 'code.send'];
const NODE_DIST = path.join(PACKAGE_ROOT, 'dist/nodes/FusionAuthTwoFactor');
// The node's own defaults, from the build the scenarios load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } = require(path.join(NODE_DIST, 'actions/options.js')) as {
	DEFAULT_CONCURRENCY: number;
	MAX_CONCURRENCY: number;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { USER_SEARCH_PAGE_SIZE: PAGE_SIZE } = require(path.join(NODE_DIST, 'actions/user/getMany.operation.js')) as {
	USER_SEARCH_PAGE_SIZE: number;
};

function flag(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const ITEMS = Number(flag('items', '2000'));
const USERS = Number(flag('users', '50000'));
// Not bench/results.md: that file holds the figures of record, from `npm run bench` in real n8n.
const OUT = path.resolve(PACKAGE_ROOT, flag('out', 'bench/engine-results.md'));
const FULL = process.argv.includes('--full');
/** Runs of each comparison row; the row is the median run, with the range of all runs. */
const RUNS = Math.max(1, Number(flag('runs', '3')));
const SEQUENTIAL_ITEMS = 500;
/** `items` or `users`: run only that half (the report then holds only that half). */
const ONLY = flag('only', '');

interface Row {
	label: string;
	runner: 'node' | 'httpRequest' | 'floor' | 'getMany';
	operation: Operation | 'user.getMany';
	latencyMs: number;
	concurrency?: number;
	items: number;
	result: ScenarioResult;
	stats: ServerStats;
	itemsPerSecond: number;
	/** Items/s of every run of this row, when it ran more than once. */
	runs?: number[];
}

/** Runs a row `runs` times and keeps the median run (by items/s), noting every run's figure. */
async function medianRun(runs: number, run: () => Promise<Row>): Promise<Row> {
	const all: Row[] = [];
	for (let attempt = 0; attempt < runs; attempt++) all.push(await run());
	all.sort((a, b) => a.itemsPerSecond - b.itemsPerSecond);
	return { ...all[Math.floor((all.length - 1) / 2)], runs: all.map((row) => row.itemsPerSecond) };
}

async function runScenario(server: BenchServer, scenario: Scenario, latencyMs: number, items: number): Promise<Row> {
	const input: ScenarioInput = { scenario, url: server.url, apiKey: server.apiKey, items };
	const child: ChildProcess = fork(path.join(__dirname, 'scenario.js'), [JSON.stringify(input)], {
		execArgv: ['--expose-gc'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
	});
	let stats: ServerStats | undefined;
	const result = await new Promise<ScenarioResult>((resolve, reject) => {
		child.on('message', (message: ChildMessage) => {
			void (async () => {
				if (message.type === 'warmedUp') {
					await server.control({ type: 'reset', latencyMs });
					child.send({ type: 'go' });
				} else if (message.type === 'measured') {
					const reply = await server.control({ type: 'stats' });
					if (reply.type === 'stats') stats = reply.stats;
					child.send({ type: 'go' });
				} else if (message.type === 'result') {
					resolve(message.result);
				}
			})().catch(reject);
		});
		child.on('exit', (code) => {
			if (code !== 0) reject(new Error(`scenario ${JSON.stringify(scenario)} exited with ${code}`));
		});
	});
	const done = new Promise((resolve) => child.once('exit', resolve));
	child.disconnect();
	await done;

	const { label, runner, operation, concurrency } = describe(scenario);
	const count = scenario.kind === 'getMany' ? scenario.users : items;
	const row: Row = {
		label,
		runner,
		operation,
		latencyMs,
		concurrency,
		items: count,
		result,
		stats: stats!,
		itemsPerSecond: count / (result.ms / 1000),
	};
	process.stdout.write(
		`${pad(`${operation} ${latencyMs} ms`, 22)} ${pad(label, 34)} ${pad(fixed(row.itemsPerSecond), 9, true)} items/s` +
			`  in flight ${pad(String(row.stats.maxInFlight), 4, true)}  peak ${mb(result.peakRssBytes)} MB` +
			`  requests ${row.stats.requests}${result.errorItems ? `  ERRORS ${result.errorItems}` : ''}\n`,
	);
	return row;
}

function describe(scenario: Scenario): Pick<Row, 'label' | 'runner' | 'operation' | 'concurrency'> {
	switch (scenario.kind) {
		case 'node':
			return {
				runner: 'node',
				operation: scenario.operation,
				concurrency: scenario.concurrency ?? DEFAULT_CONCURRENCY,
				label:
					scenario.concurrency === undefined
						? `this node, default (${DEFAULT_CONCURRENCY})`
						: `this node, concurrency ${scenario.concurrency}`,
			};
		case 'httpRequest':
			return {
				runner: 'httpRequest',
				operation: scenario.operation,
				label: scenario.paced
					? `HTTP Request, batching ${PACED_BATCHING.batchSize}/${PACED_BATCHING.batchInterval} ms`
					: 'HTTP Request, default',
			};
		case 'floor':
			return {
				runner: 'floor',
				operation: scenario.operation,
				concurrency: scenario.concurrency,
				label: `plain Node.js loop, ${scenario.concurrency}`,
			};
		case 'getMany':
			return { runner: 'getMany', operation: 'user.getMany', label: `${scenario.users} users` };
	}
}

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width));
/** A figure for the tables; "n/a" where a run was too small to measure it (e.g. one heap sample). */
const fixed = (value: number | null | undefined, digits = 0) =>
	typeof value === 'number' && Number.isFinite(value)
		? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
		: 'n/a';
const mb = (bytes: number) => fixed(bytes / 1024 / 1024);
const ratio = (a: number, b: number) => `${fixed(a / b, 2)}x`;

function version(name: string): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require(path.join(path.dirname(require.resolve(`${name}/package.json`)), 'package.json')) as { version: string })
		.version;
}

const loadAtStart = os.loadavg()[0];

async function main() {
	const started = Date.now();
	const rows: Row[] = [];

	const api = await startServer(['api']);
	try {
		if (ONLY === 'users') LATENCIES.length = 0;
		for (const latencyMs of LATENCIES) {
			for (const operation of OPERATIONS) {
				const scenarios: Scenario[] = [
					{ kind: 'node', operation, concurrency: 1 },
					{ kind: 'node', operation },
					{ kind: 'node', operation, concurrency: MAX_CONCURRENCY },
					{ kind: 'httpRequest', operation, paced: false },
					{ kind: 'httpRequest', operation, paced: true },
					{ kind: 'floor', operation, concurrency: 1 },
					{ kind: 'floor', operation, concurrency: DEFAULT_CONCURRENCY },
					{ kind: 'floor', operation, concurrency: MAX_CONCURRENCY },
				];
				for (const scenario of scenarios) {
					const sequential = 'concurrency' in scenario && scenario.concurrency === 1 && latencyMs > 0 && !FULL;
					rows.push(await medianRun(RUNS, async () => await runScenario(api, scenario, latencyMs, sequential ? Math.min(ITEMS, SEQUENTIAL_ITEMS) : ITEMS)));
				}
			}
		}
	} finally {
		api.close();
	}

	const userCounts = ONLY === 'items' ? [] : [...new Set([Math.round(USERS / 4), Math.round(USERS / 2), USERS])];
	for (const users of userCounts) {
		const directory = await startServer(['directory', String(users)]);
		try {
			rows.push(await runScenario(directory, { kind: 'getMany', users }, 0, users));
		} finally {
			directory.close();
		}
	}

	const markdown = report(rows, (Date.now() - started) / 1000);
	writeFileSync(OUT, markdown);
	process.stdout.write(`\n${markdown}\nWritten to ${path.relative(PACKAGE_ROOT, OUT)}\n`);
}

function report(rows: Row[], seconds: number): string {
	const cpus = os.cpus();
	const httpVersion = rows.find((row) => row.result.typeVersion !== undefined)?.result.typeVersion;
	const lines: string[] = [];
	const find = (latencyMs: number, operation: string, runner: Row['runner'], concurrency?: number, label?: RegExp) =>
		rows.find(
			(row) =>
				row.latencyMs === latencyMs &&
				row.operation === operation &&
				row.runner === runner &&
				(concurrency === undefined || row.concurrency === concurrency) &&
				(label === undefined || label.test(row.label)),
		)!;
	const targets: string[] = [];

	lines.push('# Benchmark results', '');
	lines.push(
		`Written by \`${['npm run bench:engine', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ')}\` ` +
			`on ${new Date().toISOString().slice(0, 10)}, ${fixed(seconds)} s in all, in n8n's engine in this process tree: ` +
			`each comparison row is the median of ${RUNS} run${RUNS === 1 ? '' : 's'} (items/s with the range of all runs; the other columns are the median run's), the user directory runs once. ` +
			'A quick check while changing the node; the figures of record (real n8n, medians of several runs) come from `npm run bench`.',
		'',
	);
	lines.push('| | |', '| --- | --- |');
	lines.push(`| Machine | ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${fixed(os.totalmem() / 1024 ** 3, 1)} GB, ${os.type()} ${os.release()} |`);
	lines.push(`| Node.js | ${process.version} |`);
	lines.push(
		`| Load average (1 min) | ${fixed(loadAtStart, 2)} at the start, ${fixed(os.loadavg()[0], 2)} at the end (other processes on the machine share its cores) |`,
	);
	lines.push(`| n8n | n8n-core ${version('n8n-core')}, n8n-workflow ${version('n8n-workflow')}, n8n-nodes-base ${version('n8n-nodes-base')}${httpVersion === undefined ? '' : ` (HTTP Request typeVersion ${httpVersion})`} |`);
	if (LATENCIES.length > 0) {
		const sequentialNote = FULL ? '' : `, except concurrency 1 with latency: ${Math.min(ITEMS, SEQUENTIAL_ITEMS)} (latency-bound; \`--full\` runs all)`;
		lines.push(`| Items | ${ITEMS} per run${sequentialNote}; latency added by the server: ${LATENCIES.join(' ms and ')} ms |`);
	}
	lines.push('');
	if (LATENCIES.length > 0) lines.push(
		'Each row is a child process of its own: it loads n8n, warms up on 50 items, then runs the items once through ' +
			"n8n-core's WorkflowExecute (Items Source -> node). The server runs in another process and counts the requests " +
			'in flight. Peak RSS is the child\'s maxRSS (n8n and its modules included; "base" is its RSS before the measured pass). ' +
			'The floor is a plain loop with the same number of workers, one `http.request` per item, one connection per request as ' +
			"n8n's request helpers use. HTTP Request sends the same calls (API key header, the same JSON body from the item) with " +
			`default settings, and paced with Batching (Items per Batch ${PACED_BATCHING.batchSize}, Batch Interval ${PACED_BATCHING.batchInterval} ms).`,
		'',
	);

	for (const latencyMs of LATENCIES) {
		for (const operation of OPERATIONS) {
			lines.push(`## ${operation}, ${latencyMs} ms latency`, '');
			lines.push('| Runner | Items | Items/s | Most in flight | Requests | Errors | Peak RSS (MB) | Base RSS (MB) | Time (s) |');
			lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
			for (const row of rows.filter((entry) => entry.latencyMs === latencyMs && entry.operation === operation)) {
				lines.push(
					`| ${row.label} | ${row.items} | ${fixed(row.itemsPerSecond)}${row.runs && row.runs.length > 1 ? ` (${fixed(Math.min(...row.runs))}-${fixed(Math.max(...row.runs))})` : ''} | ${row.stats.maxInFlight} | ${row.stats.requests} | ${row.result.errorItems} | ` +
						`${mb(row.result.peakRssBytes)} | ${mb(row.result.baselineRssBytes)} | ${fixed(row.result.ms / 1000, 2)} |`,
				);
			}
			const node = (concurrency: number) => find(latencyMs, operation, 'node', concurrency);
			const floorAt = (concurrency: number) => find(latencyMs, operation, 'floor', concurrency);
			const httpDefault = find(latencyMs, operation, 'httpRequest', undefined, /default/);
			const httpPaced = find(latencyMs, operation, 'httpRequest', undefined, /batching/);
			const overheadMs = 1000 / node(1).itemsPerSecond - 1000 / floorAt(1).itemsPerSecond;
			lines.push('');
			lines.push(
				`Ratios: node ${MAX_CONCURRENCY} / HTTP Request default **${ratio(node(MAX_CONCURRENCY).itemsPerSecond, httpDefault.itemsPerSecond)}**; ` +
					`node default / HTTP Request paced **${ratio(node(DEFAULT_CONCURRENCY).itemsPerSecond, httpPaced.itemsPerSecond)}**; ` +
					`node / floor at 1, ${DEFAULT_CONCURRENCY}, ${MAX_CONCURRENCY}: ` +
					[1, DEFAULT_CONCURRENCY, MAX_CONCURRENCY].map((c) => ratio(node(c).itemsPerSecond, floorAt(c).itemsPerSecond)).join(', ') +
					`; overhead at concurrency 1: **${fixed(overheadMs, 2)} ms per item** over the floor.`,
				'',
			);

			const fast = node(MAX_CONCURRENCY).itemsPerSecond / httpDefault.itemsPerSecond;
			targets.push(
				`| ${operation}, ${latencyMs} ms | node at ${MAX_CONCURRENCY} >= 0.8x HTTP Request default | ${ratio(node(MAX_CONCURRENCY).itemsPerSecond, httpDefault.itemsPerSecond)} | ${fast >= 0.8 ? 'met' : '**not met**'} |`,
			);
			const inFlight = node(DEFAULT_CONCURRENCY).stats.maxInFlight;
			if (latencyMs > 0) {
				// Only with latency can requests overlap: at 0 ms each is answered before the next goes out,
				// so a cap or a comparison with paced sending would hold by construction.
				const capped = inFlight <= DEFAULT_CONCURRENCY && inFlight > 1;
				const beatsPaced = node(DEFAULT_CONCURRENCY).itemsPerSecond > httpPaced.itemsPerSecond;
				targets.push(
					`| ${operation}, ${latencyMs} ms | default: more than 1 and at most ${DEFAULT_CONCURRENCY} in flight, faster than paced HTTP Request | ` +
						`${inFlight} in flight, ${ratio(node(DEFAULT_CONCURRENCY).itemsPerSecond, httpPaced.itemsPerSecond)} | ${capped && beatsPaced ? 'met' : '**not met**'} |`,
				);
			} else {
				lines.push(`At 0 ms the default setting had ${inFlight} in flight at most: requests barely overlap without latency, so no in-flight goal is set here.`, '');
			}
		}
	}

	const directory = rows.filter((row) => row.runner === 'getMany');
	if (directory.length > 0) {
		lines.push('## user.getMany, Return All', '');
		lines.push(
			`One input item, Two Factor Status "Any", page size ${PAGE_SIZE}, against a user directory in its own process ` +
				"(users shaped as the FusionAuth simulator renders them; pages prepared once, since the simulator's own search " +
				'renders and sorts every user per page, about 250 ms a page at 50,000 users). Time and requests are from the ' +
				'measured pass. A second pass samples the live heap (after a forced GC) every 5 pages, with the page just ' +
				'received in hand, against the users already in the output; a straight line through the samples gives the bytes ' +
				'each output user costs (slope) and what is held besides the output (height above the heap before the run). ' +
				'"Drift" is the largest distance of a sample from that line: memory that piled up page after page would show there.',
			'',
		);
		lines.push(
			'| Users | Time (s) | Users/s | Search requests | ceil(users / page) | Peak RSS (MB) | Output bytes per user | Held besides the output (MB) | = pages of output | Drift (MB) |',
		);
		lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
		for (const row of directory) {
			const heap = row.result.heap!;
			lines.push(
				`| ${row.items} | ${fixed(row.result.ms / 1000, 2)} | ${fixed(row.itemsPerSecond)} | ${row.stats.byPath['/api/user/search'] ?? 0} | ` +
					`${Math.ceil(row.items / PAGE_SIZE)} | ${mb(row.result.peakRssBytes)} | ${fixed(heap.bytesPerUser)} | ` +
					`${fixed(heap.heldBesidesOutput / 1024 / 1024, 2)} | ${fixed(heap.heldBesidesOutput / (heap.bytesPerUser * PAGE_SIZE), 1)} | ` +
					`${fixed(heap.largestDeviation / 1024 / 1024, 2)} |`,
			);
		}
		lines.push('');
		const largest = directory[directory.length - 1];
		const heap = largest.result.heap!;
		const pages = heap.heldBesidesOutput / (heap.bytesPerUser * PAGE_SIZE);
		const requestsExact = directory.every(
			(row) => (row.stats.byPath['/api/user/search'] ?? 0) === Math.ceil(row.items / PAGE_SIZE),
		);
		const perUser = directory.map((row) => row.result.heap!.bytesPerUser);
		const spread = Math.max(...perUser) / Math.min(...perUser);
		targets.push(
			`| user.getMany | exactly ceil(users / ${PAGE_SIZE}) search requests | ${directory.map((row) => row.stats.byPath['/api/user/search']).join(', ')} | ${requestsExact ? 'met' : '**not met**'} |`,
		);
		targets.push(
			`| user.getMany, ${largest.items} users | memory flat per page: the same cost per output user at every size, at most two pages held besides the output | ` +
				`${perUser.map((value) => fixed(value)).join(' / ')} bytes per user (spread ${fixed(spread, 2)}x); ${fixed(pages, 1)} pages held | ` +
				`${spread <= 1.25 && pages <= 2 ? 'met' : '**not met**'} |`,
		);
	}

	lines.push('## Targets', '');
	lines.push('| Where | Target | Measured | |', '| --- | --- | --- | --- |', ...targets, '');
	return lines.join('\n');
}

main().catch((error: unknown) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
