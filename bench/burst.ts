/**
 * The trigger under a burst (`npm run bench -- --part burst`): FusionAuth firing events for a
 * bulk operation sends deliveries in bursts. For each n8n version, one `n8n start` (one owner,
 * SQLite) holds three active workflows, each its receiver alone: n8n's own Webhook node (no
 * verification), the FusionAuth Two Factor Trigger with the shared secret, and the trigger with
 * RSA-signed deliveries (the simulator's RS256 key, its Key Master Id pinned). The triggers
 * register through the simulator, acting as FusionAuth, as in the end-to-end suite.
 *
 * Each run sends `deliveries` genuine deliveries, `concurrency` at once, to one receiver; the
 * receivers take turns run by run, so a change in the machine's load hits all alike. Bodies and
 * signatures are made before the timed window (signing is FusionAuth's work, not n8n's). Checked
 * after each run, and the bench fails when broken: every answer 200, exactly one execution per
 * delivery; after each trigger run, the last `replays` deliveries answered sent again (still among
 * the event ids the trigger remembers) are answered as repeats and run nothing; the key set and the
 * signing key are read from FusionAuth once per n8n process.
 */
import { Agent, request } from 'node:http';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import type { N8nInstall } from '../test/e2e/install';
import type { WorkflowJson } from '../test/e2e/n8n';
import { N8nInstance, startN8n } from '../test/e2e/n8n';
import type { RunningN8n } from '../test/e2e/n8n';
import { activate, executionCount, Rest, setUpOwner, SIGNING_KEY_ID, TRIGGER_NODE, until } from '../test/e2e/trigger';
import { DEMO_USERS, startSimulator } from '../test/simulator/server';
import type { PreparedDelivery, Simulator } from '../test/simulator/server';
import { fixed, median, spread } from './figures';
import { processFigures } from './processWatch';

export const BURST_HEADING = '## Trigger under a burst';

export interface BurstOptions {
	deliveries: number;
	concurrency: number;
	replays: number;
	runs: number;
	/** Where n8n's log goes, one file per version. */
	logDir: string;
	say: (line: string) => void;
	/** For experiments (bench/experiments/burstProbe.ts): n8n's further settings, the receivers measured, and calls around each run's sends. */
	settings?: Record<string, string>;
	only?: ReceiverId[];
	around?: { before(pid: number, receiver: ReceiverId): Promise<void>; after(pid: number, receiver: ReceiverId, run: number): Promise<void> };
	/** Leave n8n's user folder (its database) in place to read afterwards. */
	keepUserFolder?: boolean;
}

export type ReceiverId = 'webhook' | 'sharedSecret' | 'signature';

interface Receiver {
	id: ReceiverId;
	label: string;
	workflowId: string;
}

const RECEIVERS: Receiver[] = [
	{ id: 'webhook', label: "n8n's Webhook node (POST, respond immediately, no authentication)", workflowId: 'faBurstWebhook01' },
	{ id: 'sharedSecret', label: 'FusionAuth Two Factor Trigger, shared secret', workflowId: 'faBurstShared001' },
	{ id: 'signature', label: 'FusionAuth Two Factor Trigger, RSA signature (RS256), signing key pinned', workflowId: 'faBurstSigned001' },
];

const EVENT = 'user.two-factor.method.add';
const CREDENTIAL = { id: 'faBurstCredent01', name: 'FusionAuth (burst simulator)' };
const WEBHOOK_PATH = 'fusionauth-burst';
/** How long n8n may take to record a run's executions after the last answer. */
const RECORDED_WITHIN_MS = 300_000;
/** How long after the replays an execution they wrongly started would have been recorded. */
const REPLAY_SETTLE_MS = 5_000;
/** n8n's answer to a delivery the trigger drops as a repeat (receive.ts: `webhookResponse`). */
const REPEAT_ANSWER = JSON.stringify({ received: true });

interface Answer {
	status: number;
	body: string;
	ms: number;
	/** When the answer ended, ms since the window opened. */
	at: number;
}

interface Sent {
	answers: Answer[];
	/** Indexes of the deliveries in the order their answers arrived. */
	order: number[];
	ms: number;
}

interface Replay {
	statuses: Map<number, number>;
	repeats: number;
	newExecutions: number;
}

interface BurstRun {
	receiver: ReceiverId;
	load: number;
	rate: number;
	p50: number;
	p99: number;
	statuses: Map<number, number>;
	/** Genuine deliveries answered as repeats (should be none). */
	repeats: number;
	newExecutions: number;
	/** n8n's CPU time from the first send to the last answer, and on until the executions were recorded. */
	cpuWindowMs: number;
	cpuRecordedMs: number;
	peakRssBytes?: number;
	replay?: Replay;
}

interface VersionResult {
	version: string;
	runs: BurstRun[];
	/** Requests n8n made to FusionAuth while deliveries arrived. */
	jwksFetches: number;
	keyLookups: number;
	/** The same, while the triggers were activated (registration). */
	activationJwks: number;
	activationKeyLookups: number;
	problems: string[];
}

function workflows(): WorkflowJson[] {
	const single = (receiver: Receiver, node: WorkflowJson['nodes'][number]): WorkflowJson => ({
		id: receiver.workflowId,
		name: `burst ${receiver.label}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [{ id: `c0000000-0000-4000-8000-${String(RECEIVERS.indexOf(receiver) + 1).padStart(12, '0')}`, position: [0, 0], ...node }],
		connections: {},
	});
	const trigger = (parameters: Record<string, unknown>, webhookId: string) => ({
		name: 'FusionAuth Two Factor Trigger',
		type: TRIGGER_NODE,
		typeVersion: 1.1,
		webhookId,
		parameters: { events: [EVENT], registration: 'automatic', ...parameters },
		credentials: { fusionAuthApi: CREDENTIAL },
	});
	return [
		single(RECEIVERS[0], {
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: '0d3f5a7c-9b1e-4d2f-8a6c-4e0b2d9f7a01',
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
		}),
		single(RECEIVERS[1], trigger({ verification: 'sharedSecret' }, '0d3f5a7c-9b1e-4d2f-8a6c-4e0b2d9f7a02')),
		single(RECEIVERS[2], trigger({ verification: 'signature', signingKeyId: SIGNING_KEY_ID, hmacSecret: '' }, '0d3f5a7c-9b1e-4d2f-8a6c-4e0b2d9f7a03')),
	];
}

/** Sends every delivery, `concurrency` in flight at once, each answer timed from its send. */
async function send(deliveries: PreparedDelivery[], concurrency: number): Promise<Sent> {
	// Connections of their own, kept alive within the run: between runs they would sit idle for
	// longer than n8n keeps an idle connection open.
	const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
	const answers: Answer[] = new Array<Answer>(deliveries.length);
	const order: number[] = [];
	const opened = performance.now();
	let next = 0;
	const one = (delivery: PreparedDelivery, started = performance.now(), again = false): Promise<Omit<Answer, 'at'>> =>
		new Promise((resolve) => {
			const outgoing = request(delivery.url, { method: 'POST', agent, headers: { ...delivery.headers, 'Content-Length': String(Buffer.byteLength(delivery.body)) } }, (response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
				response.on('error', (error) => resolve({ status: 0, body: error.message, ms: performance.now() - started }));
			});
			outgoing.on('error', (error: NodeJS.ErrnoException) => {
				// A kept-alive connection n8n closed while idle, just as this delivery was written on it: the
				// request never reached n8n, so it goes again on a new connection (Node's documented remedy).
				// A delivery that did reach n8n would show as an extra execution or a repeat, which the checks catch.
				if (!again && outgoing.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
					resolve(one(delivery, started, true));
					return;
				}
				// No answer at all counts as status 0: the checks then fail the run.
				resolve({ status: 0, body: error.message, ms: performance.now() - started });
			});
			outgoing.end(delivery.body);
		});
	const worker = async () => {
		while (next < deliveries.length) {
			const index = next++;
			const answer = await one(deliveries[index]);
			answers[index] = { ...answer, at: performance.now() - opened };
			order.push(index);
		}
	};
	try {
		await Promise.all(Array.from({ length: Math.min(concurrency, deliveries.length) }, worker));
		return { answers, order, ms: performance.now() - opened };
	} finally {
		agent.destroy();
	}
}

function percentile(values: number[], share: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)];
}

function countStatuses(answers: Answer[]): Map<number, number> {
	const statuses = new Map<number, number>();
	for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
	return statuses;
}

function statusText(statuses: Map<number, number>): string {
	return [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${fixed(count, 0)} x ${status === 0 ? 'no answer' : status}`).join(', ');
}

function cpuMs(pid: number): number {
	return processFigures(pid).cpuMs ?? NaN;
}

function fusionAuthReads(sim: Simulator): { jwks: number; keys: number } {
	const jwks = sim.requests.filter((entry) => entry.method === 'GET' && entry.path === '/.well-known/jwks.json').length;
	const keys = sim.requests.filter((entry) => entry.method === 'GET' && entry.path.toLowerCase() === `/api/key/${SIGNING_KEY_ID}`).length;
	return { jwks, keys };
}

/** Waits until n8n lists `expected` executions of the workflow, then once more a moment later (a doubled run shows there). */
async function recorded(rest: Rest, workflowId: string, expected: number): Promise<number> {
	let count: number | undefined;
	try {
		await until(
			`${expected} executions of ${workflowId}`,
			async () => {
				count = await executionCount(rest, workflowId);
				return count !== undefined && count >= expected ? true : undefined;
			},
			RECORDED_WITHIN_MS,
		);
	} catch {
		return count ?? NaN;
	}
	await new Promise((resolve) => setTimeout(resolve, 1000));
	return (await executionCount(rest, workflowId)) ?? NaN;
}

async function benchBurstVersion(install: N8nInstall, tarball: { tarball: string; name: string; version: string }, options: BurstOptions): Promise<VersionResult> {
	const { say } = options;
	const result: VersionResult = { version: install.version, runs: [], jwksFetches: 0, keyLookups: 0, activationJwks: 0, activationKeyLookups: 0, problems: [] };
	const logFile = path.join(options.logDir, `n8n-${install.version}-burst.log`);
	mkdirSync(options.logDir, { recursive: true });
	rmSync(logFile, { force: true });
	const sim = await startSimulator();
	// The executions of every run are counted: none may be pruned while the bench runs.
	const n8n = new N8nInstance(install, logFile, { EXECUTIONS_DATA_PRUNE: 'false', ...options.settings });
	let running: RunningN8n | undefined;
	try {
		await n8n.prepare();
		await n8n.installPackage(tarball.tarball, tarball.name, tarball.version);
		await n8n.importCredentials([{ ...CREDENTIAL, type: 'fusionAuthApi', data: { baseUrl: sim.url, apiKey: sim.apiKey, tenantId: '', ignoreSslIssues: false } }]);
		await n8n.importWorkflows(workflows());
		sim.webhooks.generateKey('RS256', { id: SIGNING_KEY_ID });
		running = await startN8n(n8n);
		const pid = running.pid;
		if (pid === undefined) throw new Error('n8n start has no process id');
		const rest = new Rest(running.url);
		await setUpOwner(rest);
		for (const receiver of RECEIVERS) await activate(rest, receiver.workflowId);
		// n8n 2.x publishes through an outbox: the triggers' webhooks are created shortly after the answer.
		const registered = await until('both triggers to register their webhooks', () => (sim.webhooks.list().length >= 2 ? sim.webhooks.list() : undefined));
		const signed = registered.find((webhook) => (webhook.signatureConfiguration as { enabled?: boolean } | undefined)?.enabled === true);
		const shared = registered.find((webhook) => webhook !== signed);
		if (signed === undefined || shared === undefined) throw new Error(`the webhooks registered: ${JSON.stringify(registered).slice(0, 400)}`);
		const activation = fusionAuthReads(sim);
		result.activationJwks = activation.jwks;
		result.activationKeyLookups = activation.keys;
		say(`n8n ${install.version}: n8n start at ${running.url} (pid ${pid}), three workflows active; log ${logFile}`);

		const user = DEMO_USERS.noMethods;
		const fields = () => ({ method: { id: Math.random().toString(36).slice(2, 6).toUpperCase(), method: 'authenticator' }, user: { id: user.id, email: user.email } });
		const prepare = async (receiver: ReceiverId): Promise<PreparedDelivery[]> => {
			const list: PreparedDelivery[] = [];
			for (let index = 0; index < options.deliveries; index++) {
				if (receiver === 'webhook') {
					const delivery = await sim.webhooks.prepareDelivery(String(shared.id), EVENT, fields());
					list.push({ ...delivery, url: `${(running as RunningN8n).url}/webhook/${WEBHOOK_PATH}`, headers: { 'Content-Type': 'application/json' } });
				} else {
					list.push(await sim.webhooks.prepareDelivery(String(receiver === 'signature' ? signed.id : shared.id), EVENT, fields()));
				}
			}
			return list;
		};

		for (let turn = 0; turn < options.runs; turn++) {
			const order = RECEIVERS.map((_, index) => RECEIVERS[(index + turn) % RECEIVERS.length]);
			for (const receiver of order) {
				if (options.only && !options.only.includes(receiver.id)) continue;
				const deliveries = await prepare(receiver.id);
				const before = (await executionCount(rest, receiver.workflowId)) ?? NaN;
				const load = os.loadavg()[0];
				const cpuBefore = cpuMs(pid);
				await options.around?.before(pid, receiver.id);
				const sent = await send(deliveries, options.concurrency);
				const cpuAnswered = cpuMs(pid);
				await options.around?.after(pid, receiver.id, turn);
				const after = await recorded(rest, receiver.workflowId, before + options.deliveries);
				const cpuRecorded = cpuMs(pid);
				const latencies = sent.answers.map((answer) => answer.ms);
				const run: BurstRun = {
					receiver: receiver.id,
					load,
					rate: (options.deliveries * 1000) / sent.ms,
					p50: percentile(latencies, 0.5),
					p99: percentile(latencies, 0.99),
					statuses: countStatuses(sent.answers),
					repeats: sent.answers.filter((answer) => answer.body === REPEAT_ANSWER).length,
					newExecutions: after - before,
					cpuWindowMs: cpuAnswered - cpuBefore,
					cpuRecordedMs: cpuRecorded - cpuBefore,
					peakRssBytes: processFigures(pid).peakRssBytes,
				};
				const where = `n8n ${install.version}, run ${turn + 1}, ${receiver.label}`;
				if ((run.statuses.get(200) ?? 0) !== options.deliveries) result.problems.push(`${where}: answers ${statusText(run.statuses)} (${sent.answers.find((answer) => answer.status !== 200)?.body.slice(0, 200) ?? ''})`);
				if (run.newExecutions !== options.deliveries) result.problems.push(`${where}: ${fixed(run.newExecutions, 0)} new executions for ${fixed(options.deliveries, 0)} deliveries`);
				if (run.repeats > 0) result.problems.push(`${where}: ${run.repeats} genuine deliveries answered as repeats`);
				say(
					`${where}: ${fixed(run.rate, 0)} deliveries/s, p50 ${fixed(run.p50, 1)} ms, p99 ${fixed(run.p99, 1)} ms, ${statusText(run.statuses)}, ${fixed(run.newExecutions, 0)} new executions, CPU ${fixed(run.cpuWindowMs / options.deliveries, 2)} ms per delivery (load ${fixed(load, 1)})`,
				);

				if (receiver.id !== 'webhook' && options.replays > 0) {
					// The last answered are the last the trigger remembered (it answers after remembering).
					const again = sent.order.slice(-options.replays).map((index) => deliveries[index]);
					const replayed = await send(again, options.concurrency);
					await new Promise((resolve) => setTimeout(resolve, REPLAY_SETTLE_MS));
					const count = (await executionCount(rest, receiver.workflowId)) ?? NaN;
					run.replay = { statuses: countStatuses(replayed.answers), repeats: replayed.answers.filter((answer) => answer.body === REPEAT_ANSWER).length, newExecutions: count - after };
					if ((run.replay.statuses.get(200) ?? 0) !== again.length || run.replay.repeats !== again.length || run.replay.newExecutions !== 0) {
						result.problems.push(`${where}: ${again.length} replayed deliveries answered ${statusText(run.replay.statuses)}, ${run.replay.repeats} as repeats, ${fixed(run.replay.newExecutions, 0)} new executions`);
					}
					say(`${where}: ${again.length} replayed: ${statusText(run.replay.statuses)}, ${run.replay.repeats} answered as repeats, ${fixed(run.replay.newExecutions, 0)} new executions`);
				}
				result.runs.push(run);
			}
		}
		const reads = fusionAuthReads(sim);
		result.jwksFetches = reads.jwks - activation.jwks;
		result.keyLookups = reads.keys - activation.keys;
		say(`n8n ${install.version}: while deliveries arrived, the key set was fetched ${result.jwksFetches} times and the signing key read ${result.keyLookups} times`);
		const jwks = result.activationJwks + result.jwksFetches;
		const keys = result.activationKeyLookups + result.keyLookups;
		if (jwks !== 1 || keys !== 1) result.problems.push(`n8n ${install.version}: the key set was fetched ${jwks} times and the signing key read ${keys} times in all, expected once each`);
	} catch (error) {
		result.problems.push(`n8n ${install.version}: ${(error as Error).stack ?? String(error)}`);
	} finally {
		await running?.stop();
		await sim.close();
		if (options.keepUserFolder) options.say(`n8n ${install.version}: user folder kept at ${n8n.userFolder}`);
		else rmSync(n8n.userFolder, { recursive: true, force: true });
	}
	return result;
}

function of(result: VersionResult, receiver: ReceiverId): BurstRun[] {
	return result.runs.filter((run) => run.receiver === receiver);
}

function medianRate(result: VersionResult, receiver: ReceiverId): number {
	const runs = of(result, receiver);
	return runs.length ? median(runs.map((run) => run.rate)) : NaN;
}

function cpuPerDelivery(result: VersionResult, receiver: ReceiverId, deliveries: number, field: 'cpuWindowMs' | 'cpuRecordedMs'): number {
	const runs = of(result, receiver);
	return runs.length ? median(runs.map((run) => run[field] / deliveries)) : NaN;
}

interface Goal {
	version: string;
	text: string;
	measured: string;
	met: boolean | undefined;
	why?: string;
}

function goals(results: VersionResult[], options: BurstOptions): Goal[] {
	const list: Goal[] = [];
	for (const result of results) {
		const webhook = medianRate(result, 'webhook');
		const cause = (receiver: ReceiverId) =>
			`n8n's CPU per delivery ${fixed(cpuPerDelivery(result, receiver, options.deliveries, 'cpuWindowMs'), 2)} ms from the first send to the last answer (${fixed(cpuPerDelivery(result, receiver, options.deliveries, 'cpuRecordedMs'), 2)} ms until the executions were recorded) against the Webhook node's ${fixed(cpuPerDelivery(result, 'webhook', options.deliveries, 'cpuWindowMs'), 2)} ms (${fixed(cpuPerDelivery(result, 'webhook', options.deliveries, 'cpuRecordedMs'), 2)} ms)${result.version.startsWith('2.') ? "; profiled, the difference is n8n 2.x's expression isolate, which it builds and disposes of for the webhook phase of every node except its own Webhook node (bench/experiments/burst.md)" : ''}`;
		for (const receiver of ['signature', 'sharedSecret'] as const) {
			const ratio = medianRate(result, receiver) / webhook;
			list.push({
				version: result.version,
				text: receiver === 'signature' ? 'RSA-signed deliveries at least 0.8x the Webhook node\'s rate' : 'Shared secret against the Webhook node\'s rate (reported)',
				measured: `${fixed(ratio, 2)}x (${fixed(medianRate(result, receiver), 0)} vs ${fixed(webhook, 0)} deliveries/s)`,
				met: receiver === 'signature' ? ratio >= 0.8 : undefined,
				why: receiver === 'signature' && !(ratio >= 0.8) ? cause(receiver) : undefined,
			});
		}
		const runs = result.runs;
		const once = runs.length === RECEIVERS.length * options.runs && runs.every((run) => run.newExecutions === options.deliveries && run.statuses.get(200) === options.deliveries);
		list.push({
			version: result.version,
			text: `Every genuine delivery answered 200 and run once (${fixed(options.deliveries, 0)} new executions per run)`,
			measured: runs.length ? `${runs.filter((run) => run.newExecutions === options.deliveries).length} of ${runs.length} runs exact; new executions ${spread(runs.map((run) => run.newExecutions), 0)}` : 'not measured',
			met: once,
		});
		const replays = runs.filter((run) => run.replay !== undefined);
		list.push({
			version: result.version,
			text: `Every replayed delivery (the last ${options.replays} of each trigger run again) answered 200 as a repeat and run none`,
			measured: replays.length ? `${replays.map((run) => run.replay?.repeats ?? 0).reduce((a, b) => a + b, 0)} of ${replays.length * options.replays} answered as repeats; new executions ${spread(replays.map((run) => run.replay?.newExecutions ?? NaN), 0)}` : 'not measured',
			met: replays.length === 2 * options.runs && replays.every((run) => run.replay?.newExecutions === 0 && run.replay.repeats === options.replays),
		});
		list.push({
			version: result.version,
			text: 'The key set (JWKS) fetched once, the signing key read once (GET /api/key/{id}), per n8n process',
			measured: `${result.activationJwks} and ${result.activationKeyLookups} at activation, ${result.jwksFetches} and ${result.keyLookups} while deliveries arrived`,
			met: result.activationJwks + result.jwksFetches === 1 && result.activationKeyLookups + result.keyLookups === 1,
		});
	}
	return list;
}

export function burstReport(results: VersionResult[], options: BurstOptions, context: { command: string; uptimeBefore: string; uptimeAfter: string; seconds: number }): string {
	const { deliveries } = options;
	const lines = [
		BURST_HEADING,
		'',
		`Written by \`${context.command}\` (${new Date().toISOString()}), in ${fixed(context.seconds / 60, 1)} minutes. Load (uptime) before: ${context.uptimeBefore}; after: ${context.uptimeAfter}.`,
		'',
		`One \`n8n start\` per version (SQLite, one owner) with three active workflows, each a receiver alone; the triggers registered their webhooks in the simulator acting as FusionAuth. A run: ${fixed(deliveries, 0)} deliveries of \`${EVENT}\` as FusionAuth sends them (a new event id each; the Webhook node gets the same bodies), ${options.concurrency} in flight at once over keep-alive connections, bodies and signatures made before the run; the receivers take turns run by run. Deliveries/s: ${fixed(deliveries, 0)} / the time from the first send to the last answer. Answer: from a delivery's send to the end of its answer. Executions: new ones n8n lists for the workflow once recorded. CPU: the n8n process's user+system time per delivery from the first send to the last answer (and until the executions were recorded). Peak memory: its VmHWM after the run. Replays: after each trigger run, its last ${options.replays} deliveries answered are sent again (${options.concurrency} at once): the trigger remembers the last 200 event ids in the order it verified them, which with ${options.concurrency} in flight may differ from the order of the answers by about as many, so the last ${options.replays} answered are surely among them. Median (min-max) of ${options.runs} runs; load average (1 min) before each run in the last column.`,
		'',
	];
	for (const result of results) {
		lines.push(`### n8n ${result.version}`, '', '| Receiver | Deliveries/s | Answer p50 (ms) | Answer p99 (ms) | Answers | New executions | Replayed: repeats, new executions | n8n CPU per delivery (ms) | Peak memory (MB) | Load |', '| --- | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: |');
		for (const receiver of RECEIVERS) {
			const runs = of(result, receiver.id);
			if (runs.length === 0) continue;
			const answers = new Map<number, number>();
			for (const run of runs) for (const [status, count] of run.statuses) answers.set(status, (answers.get(status) ?? 0) + count);
			const replays = runs.filter((run) => run.replay !== undefined);
			lines.push(
				`| ${receiver.label} | ${spread(runs.map((run) => run.rate), 0)} | ${spread(runs.map((run) => run.p50), 1)} | ${spread(runs.map((run) => run.p99), 1)} | ${statusText(answers)} | ${spread(runs.map((run) => run.newExecutions), 0)} | ${replays.length ? `${spread(replays.map((run) => run.replay?.repeats ?? NaN), 0)} of ${options.replays}, ${spread(replays.map((run) => run.replay?.newExecutions ?? NaN), 0)}` : ''} | ${spread(runs.map((run) => run.cpuWindowMs / deliveries), 2)} (${spread(runs.map((run) => run.cpuRecordedMs / deliveries), 2)}) | ${spread(runs.map((run) => (run.peakRssBytes ?? NaN) / 1024 / 1024), 0)} | ${spread(runs.map((run) => run.load), 1)} |`,
			);
		}
		lines.push('', `Read from FusionAuth while deliveries arrived: the key set (\`/.well-known/jwks.json\`) ${result.jwksFetches} times, the signing key (\`GET /api/key/{id}\`) ${result.keyLookups} times; at activation ${result.activationJwks} and ${result.activationKeyLookups}.`, '');
		if (result.problems.length) {
			lines.push('Problems:', '', ...result.problems.map((problem) => `- ${problem.replace(/\s+/g, ' ').slice(0, 600)}`), '');
		}
	}
	lines.push('### Goals', '', '| n8n | Goal | Measured | Met |', '| --- | --- | --- | --- |');
	const list = goals(results, options);
	for (const goal of list) lines.push(`| ${goal.version} | ${goal.text} | ${goal.measured} | ${goal.met === undefined ? 'reported' : goal.met ? 'yes' : 'no'} |`);
	const missed = list.filter((goal) => goal.met === false && goal.why);
	if (missed.length) {
		lines.push('', 'Where a goal is missed, measured in the same runs:', '');
		for (const goal of missed) lines.push(`- n8n ${goal.version}, ${goal.text}: ${goal.why}.`);
	}
	return `${lines.join('\n')}\n`;
}

/** Runs the part on every version; `problems` lists what broke (the caller fails the bench on any). */
export async function benchBurst(installs: N8nInstall[], tarball: { tarball: string; name: string; version: string }, options: BurstOptions): Promise<{ results: VersionResult[]; problems: string[] }> {
	const results: VersionResult[] = [];
	for (const install of installs) results.push(await benchBurstVersion(install, tarball, options));
	return { results, problems: results.flatMap((result) => result.problems) };
}
