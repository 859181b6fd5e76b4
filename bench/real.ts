/**
 * `npm run bench`: this node against n8n's HTTP Request node in the real n8n application, on each
 * n8n version the end-to-end suite installs (the same cached installs), with the packed package
 * installed as the community installer does and every workflow run by `n8n execute`.
 *
 * Throughput is items / the node's `executionTime` in n8n's run data (a server's first-to-last
 * arrival window would flatter the HTTP Request node, which prepares every request before sending
 * any). The local server counts requests and the most in flight. Each figure is the median of
 * `--runs` runs, with min and max; each run is a fresh `n8n execute`, whose peak resident memory
 * and CPU time are read from /proc.
 *
 * The scale part (`--part scale`) measures the n8n process's peak memory against a million users
 * held by the simulator (derived from their index, test/simulator/population.ts): Report > MFA
 * Coverage on both search engines' paths, a reminder campaign in batches (Get Many, Continue From
 * Last Run) over three executions, and Get Many's Return All over --users users for comparison.
 *
 * The burst part (`--part burst`, bench/burst.ts) measures the trigger in `n8n start` against n8n's
 * Webhook node under a burst of deliveries.
 *
 * Flags: --part all|throughput|scale|burst (all), --items N (2000), --users N (50000), --population N
 * (1000000), --batch N (1000), --runs N (3), --deliveries N (2000), --in-flight N (50), --replays N
 * (150: the 200 event ids the trigger remembers less those in flight), --versions 1.123.81,2.41.1, --out FILE (bench/results.md).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import { cacheRoot, ensureN8n, run, TARGETS } from '../test/e2e/install';
import type { N8nInstall } from '../test/e2e/install';
import type { Credential, WorkflowJson } from '../test/e2e/n8n';
import { N8nInstance, parseRunOutput, tail } from '../test/e2e/n8n';
import { pack } from '../test/e2e/pack';
import type { ProcessFigures } from './processWatch';
import { cpuBetween, watchProcess } from './processWatch';
import type { ServerStats } from './server';
import { benchBurst, BURST_HEADING, burstReport } from './burst';
import type { BenchServer } from './serverClient';
import { startServer } from './serverClient';
import { fixed, mb, median, spread } from './figures';
import { PACED_BATCHING } from './shared';

const REPO = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } = require(path.join(REPO, 'dist/nodes/FusionAuthTwoFactor/actions/options.js')) as {
	DEFAULT_CONCURRENCY: number;
	MAX_CONCURRENCY: number;
};

function flag(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const ITEMS = Number(flag('items', '2000'));
const USERS = Number(flag('users', '50000'));
const RUNS = Number(flag('runs', '3'));
const PART = flag('part', 'all');
const POPULATION = Number(flag('population', '1000000'));
const BATCH = Number(flag('batch', '1000'));
/** The campaign's executions, one after the other. */
const CAMPAIGN_EXECUTIONS = 3;
const VERSIONS = flag('versions', TARGETS.map((target) => target.version).join(',')).split(',');
const OUT = path.resolve(REPO, flag('out', 'bench/results.md'));
const LATENCIES = [0, 20];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { REMEMBERED_EVENTS } = require(path.join(REPO, 'dist/nodes/FusionAuthTwoFactorTrigger/receive.js')) as { REMEMBERED_EVENTS: number };
const IN_FLIGHT = Number(flag('in-flight', '50'));
/**
 * The trigger remembers the last REMEMBERED_EVENTS event ids in the order it verified them, which
 * under IN_FLIGHT deliveries at once differs a little from the order of the answers: the replays
 * are the last answered but IN_FLIGHT, all surely still remembered.
 */
const BURST = { deliveries: Number(flag('deliveries', '2000')), concurrency: IN_FLIGHT, replays: Number(flag('replays', String(REMEMBERED_EVENTS - IN_FLIGHT))) };

type RunnerId = 'node1' | 'nodeDefault' | 'node500' | 'http' | 'httpCredential' | 'httpPaced';

interface Runner {
	id: RunnerId;
	label: string;
	concurrency?: number;
}

const RUNNERS: Runner[] = [
	{ id: 'node1', label: 'FusionAuth Two Factor, concurrency 1', concurrency: 1 },
	{ id: 'nodeDefault', label: `FusionAuth Two Factor, default concurrency (${DEFAULT_CONCURRENCY})` },
	{ id: 'node500', label: `FusionAuth Two Factor, concurrency ${MAX_CONCURRENCY}`, concurrency: MAX_CONCURRENCY },
	{ id: 'http', label: 'HTTP Request, defaults, API key as a header parameter' },
	{ id: 'httpCredential', label: 'HTTP Request, Header Auth credential' },
	{ id: 'httpPaced', label: `HTTP Request, paced ${PACED_BATCHING.batchSize} per ${PACED_BATCHING.batchInterval} ms` },
];

const MEASURED = 'Measured';
const SCALE_HEADING = '## Scale: coverage report and campaigns over a large tenant';
const FUSIONAUTH_CREDENTIAL = { id: 'faBenchCredent01', name: 'FusionAuth (bench server)' };
const DIRECTORY_CREDENTIAL = { id: 'faBenchDirectory', name: 'FusionAuth (bench directory)' };
const HEADER_CREDENTIAL = { id: 'faBenchHeaderAut', name: 'Header Auth (bench server)' };

interface Measurement {
	ok: boolean;
	/** The ids of the measured node's output items, where asked for. */
	ids?: string[];
	/** The measured node's first output item, where asked for. */
	first?: Record<string, unknown>;
	detail?: string;
	executionMs: number;
	itemsOut: number;
	stats: ServerStats;
	process: ProcessFigures;
	/** n8n's process's CPU time within the measured node's run (from its start to its end). */
	nodeCpuMs?: number;
	load: number;
}

interface Row {
	version: string;
	runner: Runner | 'getMany' | 'baseline';
	latencyMs: number;
	runs: Measurement[];
}

const say = (line: string) => console.log(`[bench] ${line}`);

function node(name: string, type: string, typeVersion: number, position: number, parameters: Record<string, unknown>, extra = {}) {
	return { id: `b0000000-0000-4000-8000-${String(position).padStart(12, '0')}`, name, type, typeVersion, position: [position * 220, 0], parameters, ...extra };
}

function chain(names: string[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let index = 0; index + 1 < names.length; index++) {
		connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function workflow(id: string, name: string, nodes: WorkflowJson['nodes']): WorkflowJson {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections: chain(nodes.map((entry) => entry.name)),
	};
}

function runnerWorkflow(runner: Runner, url: string, apiKey: string, httpVersion: number): WorkflowJson {
	const start = node('Start', 'n8n-nodes-base.manualTrigger', 1, 1, {});
	// The items come from a fixed JSON array, split into one item per entry: no Code node, no task runner.
	const items = node('Items', 'n8n-nodes-base.set', 3.4, 2, {
		mode: 'raw',
		jsonOutput: JSON.stringify({ items: Array.from({ length: ITEMS }, (_, index) => ({ index })) }),
		options: {},
	});
	const split = node('Split', 'n8n-nodes-base.splitOut', 1, 3, { fieldToSplitOut: 'items', options: {} });
	let measured;
	if (runner.id.startsWith('node')) {
		measured = node(
			MEASURED,
			'n8n-nodes-fusionauth.fusionAuthTwoFactor',
			1,
			4,
			{
				resource: 'secret',
				operation: 'generate',
				options: runner.concurrency === undefined ? {} : { concurrency: runner.concurrency },
			},
			{ credentials: { fusionAuthApi: FUSIONAUTH_CREDENTIAL } },
		);
	} else {
		const parameters: Record<string, unknown> = {
			method: 'GET',
			url: `${url}/api/two-factor/secret`,
			options: runner.id === 'httpPaced' ? { batching: { batch: PACED_BATCHING } } : {},
		};
		const extra: Record<string, unknown> = {};
		if (runner.id === 'httpCredential') {
			Object.assign(parameters, { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' });
			extra.credentials = { httpHeaderAuth: HEADER_CREDENTIAL };
		} else {
			Object.assign(parameters, {
				sendHeaders: true,
				specifyHeaders: 'keypair',
				headerParameters: { parameters: [{ name: 'Authorization', value: apiKey }] },
			});
		}
		measured = node(MEASURED, 'n8n-nodes-base.httpRequest', httpVersion, 4, parameters, extra);
	}
	return workflow(`faBench${runner.id.padEnd(9, '0')}`.slice(0, 16), `bench ${runner.label}`, [start, items, split, measured]);
}

/** The same start and items without a measured node: what every run costs besides the node. */
function baselineWorkflow(): WorkflowJson {
	const runner = runnerWorkflow(RUNNERS[0], '', '', 1);
	return workflow('faBenchBaseline1', 'bench baseline', runner.nodes.slice(0, 3));
}

function getManyWorkflow(): WorkflowJson {
	return workflow('faBenchGetMany01', 'bench user getMany', [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, 1, {}),
		node(
			MEASURED,
			'n8n-nodes-fusionauth.fusionAuthTwoFactor',
			1,
			2,
			{ resource: 'user', operation: 'getMany', twoFactorStatus: 'any', returnAll: true },
			{ credentials: { fusionAuthApi: DIRECTORY_CREDENTIAL } },
		),
	]);
}

interface RunData {
	data?: { resultData?: { error?: { message?: string }; runData?: Record<string, Array<{ startTime?: number; executionTime?: number; data?: { main?: unknown[][] }; error?: { message?: string } }>> } };
}

/**
 * n8n prints a run's JSON and exits at once; through a pipe the end of a large run was sometimes
 * lost (exit 0, JSON cut off). Written to a file, it arrives whole: n8n runs through a wrapper
 * that sends its standard output to `outputFile`.
 */
function toFile(install: N8nInstall, dir: string): { install: N8nInstall; outputFile: string } {
	const wrapper = path.join(dir, 'n8n-output-to-file.sh');
	const outputFile = path.join(dir, `n8n-${install.version}-output.txt`);
	writeFileSync(wrapper, `#!/bin/sh\nexec '${install.node}' "$@" > '${outputFile}'\n`, { mode: 0o755 });
	return { install: { ...install, node: wrapper }, outputFile };
}

async function measure(
	n8n: N8nInstance,
	server: BenchServer,
	workflowId: string,
	latencyMs: number,
	outputFile: string,
	measuredNode = MEASURED,
	keepItems = false,
): Promise<Measurement> {
	await server.control({ type: 'reset', latencyMs });
	rmSync(outputFile, { force: true });
	const load = os.loadavg()[0];
	const watch = watchProcess(n8n.userFolder, 'execute', 25);
	const result = await n8n.execute(workflowId);
	const figures = watch.stop();
	const reply = await server.control({ type: 'stats' });
	const stats = reply.type === 'stats' ? reply.stats : { requests: 0, maxInFlight: 0, byPath: {}, heldMs: 0 };
	const data = parseRunOutput(existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : '') as RunData | undefined;
	const measured = data?.data?.resultData?.runData?.[measuredNode]?.[0];
	const itemsOut = (measured?.data?.main?.[0] ?? []).length;
	const problem =
		(data ? undefined : `no run JSON (exit ${result.command.code}): ${tail(result.command, 8)}`) ??
		data?.data?.resultData?.error?.message ??
		measured?.error?.message ??
		(measured ? undefined : `no run of "${measuredNode}"`);
	const items = (measured?.data?.main?.[0] ?? []) as Array<{ json?: Record<string, unknown> }>;
	const { startTime, executionTime } = measured ?? {};
	const nodeCpuMs =
		startTime === undefined || executionTime === undefined ? undefined : cpuBetween(figures.samples, startTime, startTime + executionTime);
	return {
		ok: problem === undefined,
		detail: problem,
		executionMs: measured?.executionTime ?? 0,
		itemsOut,
		stats,
		// The samples have served: not kept for every run.
		process: { peakRssBytes: figures.peakRssBytes, cpuMs: figures.cpuMs, samples: [] },
		nodeCpuMs,
		load,
		...(keepItems ? { ids: items.map((item) => String(item.json?.id)), first: items[0]?.json } : {}),
	};
}

async function benchVersion(install: N8nInstall, tarball: Awaited<ReturnType<typeof pack>>, api: BenchServer, directory: BenchServer): Promise<Row[]> {
	const logFile = path.join(REPO, '.tmp', 'bench', `n8n-${install.version}.log`);
	mkdirSync(path.dirname(logFile), { recursive: true });
	rmSync(logFile, { force: true });
	const scratch = mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-'));
	const { install: wrapped, outputFile } = toFile(install, scratch);
	const n8n = new N8nInstance(wrapped, logFile);
	const rows: Row[] = [];
	try {
		await n8n.prepare();
		await n8n.installPackage(tarball.tarball, tarball.name, tarball.version);
		const credentials: Credential[] = [
			{ ...FUSIONAUTH_CREDENTIAL, type: 'fusionAuthApi', data: { baseUrl: api.url, apiKey: api.apiKey } },
			{ ...DIRECTORY_CREDENTIAL, type: 'fusionAuthApi', data: { baseUrl: directory.url, apiKey: directory.apiKey } },
			{ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'Authorization', value: api.apiKey } },
		];
		await n8n.importCredentials(credentials);
		const httpVersion = await httpRequestVersion(install);
		const workflows = RUNNERS.map((runner) => runnerWorkflow(runner, api.url, api.apiKey, httpVersion));
		await n8n.importWorkflows([...workflows, baselineWorkflow(), getManyWorkflow()]);
		say(`n8n ${install.version}: package installed, workflows imported (HTTP Request ${httpVersion}); log ${logFile}`);
		const baseline: Row = { version: install.version, runner: 'baseline', latencyMs: 0, runs: [] };
		for (let attempt = 0; attempt < RUNS; attempt++) {
			const measurement = await measure(n8n, api, 'faBenchBaseline1', 0, outputFile, 'Split');
			baseline.runs.push(measurement);
			say(`n8n ${install.version} baseline (no measured node): ${fixed((measurement.process.cpuMs ?? NaN) / 1000, 1)} s CPU`);
		}
		rows.push(baseline);
		for (const latencyMs of LATENCIES) {
			for (const [index, runner] of RUNNERS.entries()) {
				const row: Row = { version: install.version, runner, latencyMs, runs: [] };
				for (let attempt = 0; attempt < RUNS; attempt++) {
					const measurement = await measure(n8n, api, workflows[index].id, latencyMs, outputFile);
					row.runs.push(measurement);
					say(`n8n ${install.version} ${latencyMs} ms ${runner.label}: ${describeRun(measurement)}`);
				}
				rows.push(row);
			}
		}
		const row: Row = { version: install.version, runner: 'getMany', latencyMs: 0, runs: [] };
		// Once: a run prints 50,000 items and takes long; its figures are counts and memory, not speed.
		for (let attempt = 0; attempt < 1; attempt++) {
			const measurement = await measure(n8n, directory, 'faBenchGetMany01', 0, outputFile);
			row.runs.push(measurement);
			say(`n8n ${install.version} getMany over ${USERS} users: ${describeRun(measurement)}`);
		}
		rows.push(row);
	} finally {
		rmSync(n8n.userFolder, { recursive: true, force: true });
		rmSync(scratch, { recursive: true, force: true });
	}
	return rows;
}

// --- scale ------------------------------------------------------------------------------------

const POPULATION_DB = { id: 'faScalePopulatDb', name: 'FusionAuth (population, database)' };
const POPULATION_ES = { id: 'faScalePopulatEs', name: 'FusionAuth (population, Elasticsearch)' };

interface ScaleCase {
	id: string;
	label: string;
	/** The credential of the search engine it runs against; none for the baseline. */
	credential?: { id: string; name: string };
	parameters?: Record<string, unknown>;
	runs: number;
}

function scaleCases(): ScaleCase[] {
	const report = { resource: 'report', operation: 'mfaCoverage' };
	const campaign = { resource: 'user', operation: 'getMany', twoFactorStatus: 'notEnabled', returnAll: false, limit: BATCH };
	return [
		{ id: 'faScaleBaseline1', label: 'Without the node (the start node alone)', runs: RUNS },
		{ id: 'faScaleReportDb1', label: 'Report > MFA Coverage, database engine: counted page by page', credential: POPULATION_DB, parameters: { ...report, searchEngine: 'database' }, runs: RUNS },
		{ id: 'faScaleReportEs1', label: 'Report > MFA Coverage, Elasticsearch: six counts', credential: POPULATION_ES, parameters: { ...report, searchEngine: 'elasticsearch' }, runs: RUNS },
		{
			id: 'faScaleReportEs2',
			label: 'Report > MFA Coverage, Elasticsearch, Group By tenant and application: page by page, nextResults',
			credential: POPULATION_ES,
			parameters: { ...report, searchEngine: 'elasticsearch', additionalFields: { groupBy: ['tenant', 'application'] } },
			runs: 1,
		},
		{ id: 'faScaleCampaDb01', label: `Campaign, database engine: Get Many, Limit ${fixed(BATCH, 0)}, Continue From Last Run`, credential: POPULATION_DB, parameters: { ...campaign, additionalFields: { continueFromLastRun: true } }, runs: CAMPAIGN_EXECUTIONS },
		{
			id: 'faScaleCampaEs01',
			label: `Campaign, Elasticsearch: the same with Server Side Filter`,
			credential: POPULATION_ES,
			parameters: { ...campaign, additionalFields: { continueFromLastRun: true, serverSideFilter: true } },
			runs: CAMPAIGN_EXECUTIONS,
		},
	];
}

function scaleWorkflow(entry: ScaleCase): WorkflowJson {
	const start = node('Start', 'n8n-nodes-base.manualTrigger', 1, 1, {});
	if (entry.credential === undefined) return workflow(entry.id, `scale ${entry.label}`, [start]);
	return workflow(entry.id, `scale ${entry.label}`, [
		start,
		node(MEASURED, 'n8n-nodes-fusionauth.fusionAuthTwoFactor', 1, 2, entry.parameters ?? {}, { credentials: { fusionAuthApi: entry.credential } }),
	]);
}

interface ScaleRow {
	version: string;
	entry: ScaleCase | 'getMany';
	runs: Measurement[];
}

async function scaleVersion(install: N8nInstall, tarball: Awaited<ReturnType<typeof pack>>, servers: { database: BenchServer; elasticsearch: BenchServer; directory: BenchServer }): Promise<ScaleRow[]> {
	const logFile = path.join(REPO, '.tmp', 'bench', `n8n-${install.version}-scale.log`);
	mkdirSync(path.dirname(logFile), { recursive: true });
	rmSync(logFile, { force: true });
	const scratch = mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-'));
	const { install: wrapped, outputFile } = toFile(install, scratch);
	const n8n = new N8nInstance(wrapped, logFile);
	const rows: ScaleRow[] = [];
	try {
		await n8n.prepare();
		await n8n.installPackage(tarball.tarball, tarball.name, tarball.version);
		await n8n.importCredentials([
			{ ...POPULATION_DB, type: 'fusionAuthApi', data: { baseUrl: servers.database.url, apiKey: servers.database.apiKey } },
			{ ...POPULATION_ES, type: 'fusionAuthApi', data: { baseUrl: servers.elasticsearch.url, apiKey: servers.elasticsearch.apiKey } },
			{ ...DIRECTORY_CREDENTIAL, type: 'fusionAuthApi', data: { baseUrl: servers.directory.url, apiKey: servers.directory.apiKey } },
		]);
		const cases = scaleCases();
		await n8n.importWorkflows([...cases.map(scaleWorkflow), getManyWorkflow()]);
		say(`n8n ${install.version}: scale workflows imported; log ${logFile}`);
		for (const entry of cases) {
			const server = entry.credential === POPULATION_ES ? servers.elasticsearch : servers.database;
			const row: ScaleRow = { version: install.version, entry, runs: [] };
			for (let attempt = 0; attempt < entry.runs; attempt++) {
				const measurement = await measure(n8n, server, entry.id, 0, outputFile, entry.credential ? MEASURED : 'Start', true);
				row.runs.push(measurement);
				say(`n8n ${install.version} ${entry.label}: ${describeRun(measurement)}${measurement.first && entry.parameters?.resource === 'report' ? ` ${JSON.stringify(measurement.first).slice(0, 160)}` : ''}`);
			}
			rows.push(row);
		}
		const row: ScaleRow = { version: install.version, entry: 'getMany', runs: [] };
		const measurement = await measure(n8n, servers.directory, 'faBenchGetMany01', 0, outputFile);
		row.runs.push(measurement);
		say(`n8n ${install.version} getMany over ${USERS} users: ${describeRun(measurement)}`);
		rows.push(row);
	} finally {
		rmSync(n8n.userFolder, { recursive: true, force: true });
		rmSync(scratch, { recursive: true, force: true });
	}
	return rows;
}

const megabytes = (entry: Measurement) => (entry.process.peakRssBytes ?? NaN) / 1024 / 1024;

function scaleReport(rows: ScaleRow[], versions: string[], context: { command: string; uptimeBefore: string; uptimeAfter: string; seconds: number }): string {
	const lines = [
		SCALE_HEADING,
		'',
		`Written by \`${context.command}\` (${new Date().toISOString()}), in ${fixed(context.seconds / 60, 1)} minutes. Load (uptime) before: ${context.uptimeBefore}; after: ${context.uptimeAfter}.`,
		'',
		`The simulator holds ${fixed(POPULATION, 0)} users, derived from their index (test/simulator/population.ts): three tenants, four applications, about 30% with a second factor (authenticator, email, SMS, or an authenticator and SMS). Peak memory: the n8n process's VmHWM; "above" is against the start node alone, median against median. Time: the node's executionTime. Requests: as the simulator counted them. Reports: median (min-max) of the runs; the campaign: one row per execution, one after the other with \`n8n execute\`, which saves the position.`,
		'',
	];
	for (const version of versions) {
		const ofVersion = rows.filter((row) => row.version === version);
		const baseline = ofVersion.find((row) => typeof row.entry === 'object' && row.entry.credential === undefined);
		const base = baseline ? median(baseline.runs.map(megabytes)) : NaN;
		lines.push(`### n8n ${version}`, '', '| Run | Items out | Requests | Time in the node (s) | Peak memory (MB) | Above the start node alone (MB) | Load |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
		for (const row of ofVersion) {
			if (row.entry === 'getMany') {
				const entry = row.runs[0];
				lines.push(`| Get Many, Return All, ${fixed(USERS, 0)} users (for comparison) | ${fixed(entry.itemsOut, 0)} | ${fixed(entry.stats.requests, 0)} | ${fixed(entry.executionMs / 1000, 1)} | ${fixed(megabytes(entry), 0)} | ${fixed(megabytes(entry) - base, 0)} | ${fixed(entry.load, 1)} |`);
				continue;
			}
			const entry = row.entry;
			const failed = row.runs.filter((run) => !run.ok);
			const note = failed.length ? ` (${failed.length} failed: ${failed[0].detail?.replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 120)})` : '';
			if (entry.id.startsWith('faScaleCampa')) {
				const seen = new Set<string>();
				row.runs.forEach((run, index) => {
					const repeats = (run.ids ?? []).filter((id) => seen.has(id)).length;
					for (const id of run.ids ?? []) seen.add(id);
					lines.push(
						`| ${entry.label}, execution ${index + 1}${run.ok ? '' : ` (failed: ${run.detail})`} | ${fixed(run.itemsOut, 0)} (${repeats} seen before) | ${fixed(run.stats.requests, 0)} | ${fixed(run.executionMs / 1000, 1)} | ${fixed(megabytes(run), 0)} | ${fixed(megabytes(run) - base, 0)} | ${fixed(run.load, 1)} |`,
					);
				});
				continue;
			}
			lines.push(
				`| ${entry.label}${note} | ${spread(row.runs.map((run) => run.itemsOut), 0)} | ${spread(row.runs.map((run) => run.stats.requests), 0)} | ${entry.credential ? spread(row.runs.map((run) => run.executionMs / 1000), 1) : ''} | ${spread(row.runs.map(megabytes), 0)} | ${entry.credential ? fixed(median(row.runs.map(megabytes)) - base, 0) : ''} | ${spread(row.runs.map((run) => run.load), 1)} |`,
			);
			const first = row.runs.find((run) => run.ok)?.first;
			if (entry.parameters?.resource === 'report' && first) {
				const { users, withTwoFactor, percentWithTwoFactor, byMethod } = first;
				lines.push(`| &nbsp;&nbsp;its item | users ${String(users)}, withTwoFactor ${String(withTwoFactor)} (${String(percentWithTwoFactor)}%), byMethod ${JSON.stringify(byMethod)} | | | | | |`);
			}
		}
		lines.push('');
	}
	return lines.join('\n');
}

/** The HTTP Request node's default version in this n8n, as the editor adds it. */
async function httpRequestVersion(install: N8nInstall): Promise<number> {
	const script = "const {HttpRequest}=require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js');console.log(new HttpRequest().description.defaultVersion)";
	const result = await run(install.node, ['-e', script], { cwd: install.dir, env: { ...process.env, NODE_PATH: path.join(install.dir, 'node_modules') } });
	const version = Number(result.stdout.trim());
	if (!Number.isFinite(version) || version <= 0) throw new Error(`could not read the HTTP Request node's version: ${result.stderr.trim()}`);
	return version;
}

function perSecond(measurement: Measurement): number {
	return measurement.executionMs > 0 ? (measurement.itemsOut * 1000) / measurement.executionMs : 0;
}

function describeRun(measurement: Measurement): string {
	if (!measurement.ok) return `FAILED: ${measurement.detail}`;
	return `${fixed(perSecond(measurement), 0)} items/s (${measurement.itemsOut} items in ${measurement.executionMs} ms), ${measurement.stats.requests} requests, ${measurement.stats.maxInFlight} in flight (the first ${Math.min(500, measurement.stats.requests)} arrived over ${fixed(measurement.stats.firstWaveMs ?? NaN, 0)} ms), CPU in the node ${fixed((measurement.nodeCpuMs ?? NaN) / Math.max(1, measurement.itemsOut), 2)} ms per item, peak ${mb(measurement.process.peakRssBytes)} MB`;
}


function find(rows: Row[], version: string, id: RunnerId, latencyMs: number): Row | undefined {
	return rows.find((row) => row.version === version && typeof row.runner === 'object' && row.runner.id === id && row.latencyMs === latencyMs);
}

function throughput(row: Row | undefined): number {
	const ok = row?.runs.filter((entry) => entry.ok) ?? [];
	return ok.length > 0 ? median(ok.map(perSecond)) : NaN;
}

function maxInFlight(row: Row | undefined): number {
	return Math.max(...(row?.runs ?? []).map((entry) => entry.stats.maxInFlight));
}

/** The goal for requests in flight at concurrency 500: nearly all of them. */
const IN_FLIGHT_GOAL = 475;

function medianStat(row: Row | undefined, name: 'firstWaveMs' | 'firstAnswerMs'): number {
	const values = (row?.runs ?? []).map((entry) => entry.stats[name]).filter((value): value is number => value !== undefined);
	return values.length ? median(values) : NaN;
}

function minInFlight(row: Row | undefined): number {
	return Math.min(...(row?.runs ?? []).map((entry) => entry.stats.maxInFlight));
}

/** How long the server held a request, on average (median over the runs). */
function heldMs(row: Row | undefined): number {
	const values = (row?.runs ?? []).filter((entry) => entry.stats.requests > 0).map((entry) => entry.stats.heldMs / entry.stats.requests);
	return values.length ? median(values) : NaN;
}

/**
 * What the measured node cost n8n's process: its CPU time from the node's start to its end (read
 * from /proc every 25 ms), per item and as a share of the node's execution time (100% = one core
 * busy for the whole node; above 100%, work off the main thread, such as the garbage collector's).
 * Median over the runs.
 */
function cpuCost(row: Row | undefined): string {
	const runs = (row?.runs ?? []).filter((entry) => entry.nodeCpuMs !== undefined && entry.executionMs > 0);
	if (runs.length === 0) return 'CPU n/a';
	const perItem = median(runs.map((entry) => entry.nodeCpuMs! / ITEMS));
	const busy = median(runs.map((entry) => (100 * entry.nodeCpuMs!) / entry.executionMs));
	const executionMs = median(runs.map((entry) => entry.executionMs));
	return `${fixed(perItem, 2)} ms CPU per item, n8n's process busy ${fixed(busy, 0)}% of the node's ${fixed(executionMs / 1000, 1)} s`;
}

interface Goal {
	version: string;
	text: string;
	measured: string;
	met: boolean;
	why?: string;
}

function goals(rows: Row[], versions: string[]): Goal[] {
	const list: Goal[] = [];
	for (const version of versions) {
		for (const latencyMs of LATENCIES) {
			const node500 = find(rows, version, 'node500', latencyMs);
			const http = find(rows, version, 'http', latencyMs);
			const ratio = throughput(node500) / throughput(http);
			// The goals: at least 1.2x where FusionAuth takes its time (20 ms), at least even at 0 ms.
			const wanted = latencyMs > 0 ? 1.2 : 1;
			list.push({
				version,
				text: `${latencyMs} ms: concurrency ${MAX_CONCURRENCY} at least ${fixed(wanted, 1)}x HTTP Request (defaults)`,
				measured: `${fixed(ratio, 2)}x (${fixed(throughput(node500), 0)} vs ${fixed(throughput(http), 0)} items/s)`,
				met: ratio >= wanted,
				why:
					ratio >= wanted
						? undefined
						: `this node ${cpuCost(node500)}; HTTP Request ${cpuCost(http)}; in flight ${maxInFlight(node500)} vs ${maxInFlight(http)}`,
			});
			const nodeDefault = find(rows, version, 'nodeDefault', latencyMs);
			const paced = find(rows, version, 'httpPaced', latencyMs);
			const pacedRatio = throughput(nodeDefault) / throughput(paced);
			list.push({
				version,
				text: `${latencyMs} ms: default concurrency (${DEFAULT_CONCURRENCY}) at least 1.5x HTTP Request paced`,
				measured: `${fixed(pacedRatio, 2)}x (${fixed(throughput(nodeDefault), 0)} vs ${fixed(throughput(paced), 0)} items/s)`,
				met: pacedRatio >= 1.5,
				why:
					pacedRatio >= 1.5
						? undefined
						: `each request took ${fixed((DEFAULT_CONCURRENCY * 1000) / throughput(nodeDefault), 1)} ms as the node saw it (${DEFAULT_CONCURRENCY} in flight / throughput), ${fixed(heldMs(nodeDefault), 1)} ms of it at the server (set to ${latencyMs} ms); the paced HTTP Request node sends ${PACED_BATCHING.batchSize} every ${PACED_BATCHING.batchInterval} ms whether answers came or not, so it had up to ${maxInFlight(paced)} in flight; this node ${cpuCost(nodeDefault)}; HTTP Request paced ${cpuCost(paced)}`,
			});
			// At 0 ms every request is answered before the next goes out: in-flight targets say nothing there.
			if (latencyMs > 0) {
				list.push({
					version,
					text: `${latencyMs} ms: concurrency ${MAX_CONCURRENCY}: at least ${IN_FLIGHT_GOAL} requests in flight in every run`,
					measured: `${minInFlight(node500)}-${maxInFlight(node500)} in flight over the runs`,
					met: minInFlight(node500) >= IN_FLIGHT_GOAL,
					why:
						minInFlight(node500) >= IN_FLIGHT_GOAL
							? undefined
							: `at the server, the first ${MAX_CONCURRENCY} requests arrived over ${fixed(medianStat(node500, 'firstWaveMs'), 0)} ms (median of the runs) and the first answer ended ${fixed(medianStat(node500, 'firstAnswerMs'), 0)} ms after the first arrival: each answer frees a slot before the last of the first ${MAX_CONCURRENCY} is in; n8n's process ${cpuCost(node500)}`,
				});
				list.push({
					version,
					text: `${latencyMs} ms: default concurrency never more than ${DEFAULT_CONCURRENCY} in flight`,
					measured: `at most ${maxInFlight(nodeDefault)}`,
					met: maxInFlight(nodeDefault) <= DEFAULT_CONCURRENCY,
				});
			}
		}
	}
	return list;
}

function report(rows: Row[], versions: string[], context: { command: string; uptimeBefore: string; uptimeAfter: string; seconds: number; installs: N8nInstall[] }): string {
	const lines = [
		'# Benchmark: the real n8n application',
		'',
		`Written by \`${context.command}\` (${new Date().toISOString()}), in ${fixed(context.seconds / 60, 1)} minutes.`,
		'',
		'| | |',
		'| --- | --- |',
		...context.installs.map((install) => `| n8n ${install.version} | ${install.node === process.execPath ? `Node ${process.version}` : `Node 24 (${install.node})`} |`),
		`| Package | packed with npm pack, installed as the community installer does, run with \`n8n execute\` |`,
		`| Machine | ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${fixed(os.totalmem() / 1024 ** 3, 0)} GB, ${os.platform()} ${os.release()} |`,
		`| Load (uptime) before | ${context.uptimeBefore} |`,
		`| Load (uptime) after | ${context.uptimeAfter} |`,
		`| Items | ${ITEMS} per run; Secret > Generate (GET /api/two-factor/secret) against a local server answering after the latency |`,
		`| Runs | ${RUNS} per figure: median (min-max) |`,
		'',
		'Throughput is items / the measured node\'s `executionTime` in n8n\'s run data. In flight: the most',
		'requests the server held at once (highest over the runs). Held at the server: the mean time from a',
		'request\'s arrival to its answer\'s end (the set latency plus the server\'s own delays). Peak memory: the n8n process\'s',
		'resident-set high-water mark (VmHWM), median over the runs; CPU: its user+system time for the',
		'whole `n8n execute` (start-up included), median; CPU per item in the node: its user+system time',
		'from the measured node\'s start to its end (read from /proc every 25 ms) over the items, median.',
		'Load average of the minute before each run in',
		'the last column: the machine is shared, so compare figures measured side by side, not across runs of the benchmark.',
		'',
	];
	for (const version of versions) {
		lines.push(`## n8n ${version}`, '', '| Runner | Latency | Items/s | Requests | In flight | Held at the server (ms) | Peak memory (MB) | CPU (s) | CPU per item in the node (ms) | Load |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
		for (const row of rows.filter((entry) => entry.version === version && typeof entry.runner === 'object')) {
			const runner = row.runner as Runner;
			const failed = row.runs.filter((entry) => !entry.ok);
			const ok = row.runs.filter((entry) => entry.ok);
			lines.push(
				`| ${runner.label} | ${row.latencyMs} ms | ${spread(ok.map(perSecond), 0)}${failed.length ? `; ${failed.length} of ${row.runs.length} runs failed: ${failed[0].detail?.replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 160)}` : ''} | ${spread(row.runs.map((entry) => entry.stats.requests), 0)} | ${maxInFlight(row)} | ${fixed(heldMs(row), 1)} | ${spread(row.runs.map((entry) => (entry.process.peakRssBytes ?? NaN) / 1024 / 1024), 0)} | ${spread(row.runs.map((entry) => (entry.process.cpuMs ?? NaN) / 1000), 1)} | ${spread(row.runs.map((entry) => (entry.nodeCpuMs ?? NaN) / ITEMS), 2)} | ${spread(row.runs.map((entry) => entry.load), 1)} |`,
			);
		}
		const baseline = rows.find((entry) => entry.version === version && entry.runner === 'baseline');
		if (baseline) {
			lines.push(
				'',
				`Baseline, the same start and ${ITEMS} items without a measured node: CPU ${spread(baseline.runs.map((entry) => (entry.process.cpuMs ?? NaN) / 1000), 1)} s, peak memory ${spread(baseline.runs.map((entry) => (entry.process.peakRssBytes ?? NaN) / 1024 / 1024), 0)} MB.`,
			);
		}
		const getMany = rows.find((entry) => entry.version === version && entry.runner === 'getMany');
		if (getMany) {
			const ok = getMany.runs.filter((entry) => entry.ok);
			lines.push(
				'',
				`User > Get Many (Return All) over ${fixed(USERS, 0)} users: ${ok.length < getMany.runs.length ? `${getMany.runs.length - ok.length} runs failed: ${getMany.runs.find((entry) => !entry.ok)?.detail}; ` : ''}` +
					`${spread(ok.map((entry) => entry.itemsOut), 0)} items out, ${spread(getMany.runs.map((entry) => entry.stats.requests), 0)} requests, ` +
					`${spread(ok.map((entry) => entry.executionMs / 1000), 1)} s in the node, peak memory of the n8n process ${spread(getMany.runs.map((entry) => (entry.process.peakRssBytes ?? NaN) / 1024 / 1024), 0)} MB ` +
					`(n8n holds every output item and prints them all with --rawOutput).`,
			);
		}
		lines.push('');
	}
	lines.push('## Ratios and goals', '', '| n8n | Goal | Measured | Met |', '| --- | --- | --- | --- |');
	const list = goals(rows, versions);
	for (const goal of list) lines.push(`| ${goal.version} | ${goal.text} | ${goal.measured} | ${goal.met ? 'yes' : 'no'} |`);
	const missed = list.filter((goal) => !goal.met && goal.why);
	if (missed.length) {
		lines.push('', 'Where a goal is missed, measured in the same runs:', '');
		for (const goal of missed) lines.push(`- n8n ${goal.version}, ${goal.text}: ${goal.why}.`);
	}
	return `${lines.join('\n')}\n`;
}

async function uptime(): Promise<string> {
	const result = await run('uptime', [], { cwd: REPO, env: process.env });
	return result.stdout.trim() || `load average ${os.loadavg().map((value) => fixed(value, 2)).join(', ')}`;
}

async function main(): Promise<void> {
	const started = Date.now();
	const command = ['npm run bench', ...(process.argv.slice(2).length ? ['--', ...process.argv.slice(2)] : [])].join(' ');
	const uptimeBefore = await uptime();
	say(`${uptimeBefore}`);
	const targets = TARGETS.filter((target) => VERSIONS.includes(target.version));
	const installs: N8nInstall[] = [];
	for (const target of targets) installs.push(await ensureN8n(target, cacheRoot(), say));
	const tarball = await pack(REPO);
	const directory = await startServer(['directory', String(USERS)]);
	const versions = installs.map((install) => install.version);
	// The file keeps the parts not run this time: `--part scale` leaves the throughput and burst figures.
	let [throughputText, scaleText, burstText] = sections(existsSync(OUT) ? readFileSync(OUT, 'utf8') : '');
	let burstProblems: string[] = [];
	try {
		if (PART === 'all' || PART === 'throughput') {
			const api = await startServer(['api']);
			const rows: Row[] = [];
			try {
				for (const install of installs) rows.push(...(await benchVersion(install, tarball, api, directory)));
			} finally {
				api.close();
			}
			throughputText = report(rows, versions, { command, uptimeBefore, uptimeAfter: await uptime(), seconds: (Date.now() - started) / 1000, installs });
		}
		if (PART === 'all' || PART === 'scale') {
			const scaleStarted = Date.now();
			const scaleUptime = await uptime();
			const database = await startServer(['population', String(POPULATION), 'database']);
			const elasticsearch = await startServer(['population', String(POPULATION), 'elasticsearch']);
			const rows: ScaleRow[] = [];
			try {
				for (const install of installs) rows.push(...(await scaleVersion(install, tarball, { database, elasticsearch, directory })));
			} finally {
				database.close();
				elasticsearch.close();
			}
			scaleText = scaleReport(rows, versions, { command, uptimeBefore: scaleUptime, uptimeAfter: await uptime(), seconds: (Date.now() - scaleStarted) / 1000 });
		}
		if (PART === 'all' || PART === 'burst') {
			const burstStarted = Date.now();
			const burstUptime = await uptime();
			const options = { ...BURST, runs: RUNS, logDir: path.join(REPO, '.tmp', 'bench'), say };
			const { results, problems } = await benchBurst(installs, tarball, options);
			burstProblems = problems;
			burstText = burstReport(results, options, { command, uptimeBefore: burstUptime, uptimeAfter: await uptime(), seconds: (Date.now() - burstStarted) / 1000 });
		}
	} finally {
		directory.close();
		rmSync(path.dirname(tarball.tarball), { recursive: true, force: true });
	}
	const text = `${[throughputText, scaleText, burstText].map((part) => part.trim()).filter(Boolean).join('\n\n')}\n`;
	writeFileSync(OUT, text);
	console.log(`\n${text}`);
	say(`written to ${path.relative(REPO, OUT)}`);
	if (burstProblems.length) {
		// Figures of a broken trigger are no figures: the bench fails, with what broke.
		throw new Error(`the burst part found ${burstProblems.length} problem(s):\n${burstProblems.join('\n')}`);
	}
}

/** The file's throughput, scale and burst sections, each empty when absent. */
function sections(text: string): [string, string, string] {
	const at = (heading: string) => {
		const index = text.indexOf(`\n${heading}\n`);
		return index >= 0 ? index + 1 : -1;
	};
	const scaleAt = at(SCALE_HEADING);
	const burstAt = at(BURST_HEADING);
	const starts = [scaleAt, burstAt].filter((index) => index >= 0);
	const throughputEnd = starts.length ? Math.min(...starts) : text.length;
	const cut = (start: number) => (start < 0 ? '' : text.slice(start, [scaleAt, burstAt, text.length].filter((index) => index > start).reduce((a, b) => Math.min(a, b))));
	return [text.slice(0, throughputEnd), cut(scaleAt), cut(burstAt)];
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
