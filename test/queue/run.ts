/**
 * `npm run test:queue`: the package in n8n's queue mode, on each n8n version the end-to-end suite
 * installs. Redis and PostgreSQL run in temporary folders on free ports; n8n main and two workers
 * each get their own user folder with their own copy of the packed package (installed as the
 * community installer does), their own task broker port and health check port. A workflow
 * Webhook -> FusionAuth Two Factor -> Respond to Webhook, called over HTTP, looks users up in the
 * FusionAuth simulator.
 *
 * Checked: every call answered with its own user; every execution ran on a worker (their logs),
 * and on both; every request reached the simulator once with the credential's API key and tenant;
 * a worker without the package fails the execution clearly ("Unrecognized node type") and sends
 * nothing.
 *
 * Flags: --versions 1.123.81,2.41.1 (default: every version the end-to-end suite installs).
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { startSimulator } from '../simulator/server';
import type { Simulator } from '../simulator/server';
import { cacheRoot, ensureN8n, run, runSuite, TARGETS } from '../e2e/install';
import type { N8nInstall } from '../e2e/install';
import type { N8nProcess, WorkflowJson } from '../e2e/n8n';
import { freePort, N8nInstance, tail } from '../e2e/n8n';
import { pack } from '../e2e/pack';
import { failureDetail } from '../harness/failure';
import type { Service } from './services';
import { startPostgres, startRedis } from './services';

const REPO = path.resolve(__dirname, '..', '..', '..');
const LOGS = path.join(REPO, '.tmp', 'queue');
const CALLS = 20;
const WORKER_CONCURRENCY = 2;
const WEBHOOK_PATH = 'fusionauth-queue-check';
const WORKFLOW_ID = 'faQueueCheck0001';
const CREDENTIAL = { id: 'faQueueCredent01', name: 'FusionAuth (simulator, tenant)' };

const say = (line: string) => console.log(`[queue] ${line}`);

class Failure extends Error {}

function ensure(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Failure(message);
}

function queueWorkflow(): WorkflowJson {
	const at = (index: number) => [index * 240, 0];
	return {
		id: WORKFLOW_ID,
		name: 'Queue mode check',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c0000000-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: at(0),
				webhookId: 'c0000000-0000-4000-8000-0000000000aa',
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'responseNode', options: {} },
			},
			{
				id: 'c0000000-0000-4000-8000-000000000002',
				name: 'Look Up User',
				type: 'n8n-nodes-fusionauth.fusionAuthTwoFactor',
				typeVersion: 1,
				position: at(1),
				parameters: { resource: 'user', operation: 'get', userId: '={{ $json.body.userId }}' },
				credentials: { fusionAuthApi: CREDENTIAL },
			},
			{
				id: 'c0000000-0000-4000-8000-000000000003',
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: at(2),
				parameters: { respondWith: 'firstIncomingItem', options: {} },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Look Up User', type: 'main', index: 0 }]] },
			'Look Up User': { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
		},
	};
}

async function until(what: string, check: () => Promise<boolean>, processes: N8nProcess[], timeoutMs = 180_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		if (await check().catch(() => false)) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Failure(`${what}: not within ${timeoutMs / 1000} s\n${processes.map((entry) => entry.output.slice(-1500)).join('\n---\n')}`);
}

async function healthy(port: number): Promise<boolean> {
	const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
	await response.arrayBuffer();
	return response.ok;
}

async function call(mainPort: number, userId: string): Promise<{ status: number; body: unknown }> {
	const response = await fetch(`http://127.0.0.1:${mainPort}/webhook/${WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ userId }),
		signal: AbortSignal.timeout(120_000),
	});
	const text = await response.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// Not JSON: kept as text.
	}
	return { status: response.status, body };
}

/** Execution ids a process's log says it started as a worker. */
function workerExecutions(output: string): string[] {
	return [...output.matchAll(/Worker started execution (\S+) \(job/g)].map((match) => match[1]);
}

const handedOut = new Set<number>();

/** A free port not given to another process of this run (a port is free until its process listens). */
async function uniquePort(): Promise<number> {
	for (;;) {
		const port = await freePort();
		if (handedOut.has(port)) continue;
		handedOut.add(port);
		return port;
	}
}

interface Cluster {
	settings: Record<string, string>;
	instance(role: string, withPackage: boolean, extra?: Record<string, string>): Promise<N8nInstance>;
}

/** What every version's cluster shares: the packed package, Redis, PostgreSQL, the simulator. */
interface Shared {
	packed: Awaited<ReturnType<typeof pack>>;
	redis: Service;
	postgres: Awaited<ReturnType<typeof startPostgres>>;
	sim: Simulator;
}

async function runVersion(install: N8nInstall, shared: Shared): Promise<void> {
	const folders: string[] = [];
	try {
		await runCluster(install, shared, folders);
	} finally {
		for (const folder of folders) rmSync(folder, { recursive: true, force: true });
	}
}

/** Main and workers of one version; every user folder made goes into `folders`. */
async function runCluster(install: N8nInstall, { packed, redis, postgres, sim }: Shared, folders: string[]): Promise<void> {
	const tag = install.version.replace(/\W/g, '_');
	const database = `n8n_queue_${tag}`;
	await postgres.createDatabase(database);
	const cluster: Cluster = {
		settings: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_BULL_PREFIX: `bull_${tag}`,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		},
		async instance(role, withPackage, extra = {}) {
			const logFile = path.join(LOGS, `n8n-${install.version}-${role}.log`);
			rmSync(logFile, { force: true });
			const n8n: N8nInstance = new N8nInstance(install, logFile, {
				...this.settings,
				N8N_PORT: String(await uniquePort()),
				QUEUE_HEALTH_CHECK_PORT: String(await uniquePort()),
				N8N_RUNNERS_BROKER_PORT: String(await uniquePort()),
				...extra,
			});
			folders.push(n8n.userFolder);
			await n8n.prepare();
			if (withPackage) await n8n.installPackage(packed.tarball, packed.name, packed.version);
			return n8n;
		},
	};

	const mainPort = await uniquePort();
	const main = await cluster.instance('main', true, { N8N_PORT: String(mainPort) });
	await main.importCredentials([
		{ ...CREDENTIAL, type: 'fusionAuthApi', data: { baseUrl: sim.url, apiKey: sim.apiKey, tenantId: sim.tenantId, ignoreSslIssues: false } },
	]);
	await main.importWorkflows([queueWorkflow()]);
	const activate = install.version.startsWith('1.')
		? ['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true']
		: ['publish:workflow', `--id=${WORKFLOW_ID}`];
	const activated = await main.n8n(activate);
	ensure(activated.code === 0, `${activate[0]} failed: ${tail(activated)}`);

	const workers = await Promise.all(['worker-a', 'worker-b'].map((role) => cluster.instance(role, true)));
	const running: N8nProcess[] = [];
	const stopAll = async () => {
		await Promise.all(running.map((entry) => entry.stop()));
		running.length = 0;
	};
	try {
		const started = Date.now();
		const mainProcess = main.start(['start']);
		running.push(mainProcess);
		await until('n8n main answers /healthz', async () => await healthy(mainPort), running);
		await until('n8n main is ready', async () => mainProcess.output.includes('Editor is now accessible'), running);
		const workerProcesses = workers.map((worker) => worker.start(['worker', `--concurrency=${WORKER_CONCURRENCY}`]));
		running.push(...workerProcesses);
		for (const [index, worker] of workers.entries()) {
			const port = Number(worker.settings.QUEUE_HEALTH_CHECK_PORT);
			await until('worker answers /healthz', async () => await healthy(port), running);
			await until('worker is ready', async () => workerProcesses[index].output.includes('worker is now ready'), running);
		}
		say(`n8n ${install.version}: main and 2 workers up in ${((Date.now() - started) / 1000).toFixed(0)} s`);

		const users = sim.users.list().filter((user) => user.tenantId === sim.tenantId);
		ensure(users.length > 0, 'the simulator has no users in its tenant');
		const before = sim.requests.length;
		const ids = Array.from({ length: CALLS }, (_, index) => users[index % users.length].id);
		const calling = Date.now();
		const answers = await Promise.all(ids.map((id) => call(mainPort, id)));
		say(`n8n ${install.version}: ${CALLS} webhook calls answered in ${((Date.now() - calling) / 1000).toFixed(1)} s`);
		for (const [index, answer] of answers.entries()) {
			ensure(answer.status === 200, `call ${index}: status ${answer.status}, ${JSON.stringify(answer.body).slice(0, 500)}`);
			ensure((answer.body as { id?: string }).id === ids[index], `call ${index}: answered ${JSON.stringify(answer.body).slice(0, 300)}, not user ${ids[index]}`);
		}
		const sent = sim.requests.slice(before);
		ensure(sent.length === CALLS, `the simulator got ${sent.length} requests for ${CALLS} calls`);
		for (const request of sent) {
			ensure(request.method === 'GET' && request.path.startsWith('/api/user/'), `unexpected request ${request.method} ${request.path}`);
			ensure(request.headers.authorization === sim.apiKey, `a request reached the simulator with another Authorization header`);
			ensure(request.headers['x-fusionauth-tenantid'] === sim.tenantId, `a request reached the simulator with tenant ${String(request.headers['x-fusionauth-tenantid'])}`);
		}
		const perWorker = workerProcesses.map((entry) => workerExecutions(entry.output));
		const onWorkers = new Set(perWorker.flat());
		ensure(onWorkers.size === CALLS, `workers' logs show ${onWorkers.size} executions for ${CALLS} calls`);
		ensure(perWorker.every((list) => list.length > 0), `not both workers ran executions: ${perWorker.map((list) => list.length).join(' and ')}`);
		ensure(workerExecutions(mainProcess.output).length === 0, 'the main process ran executions itself');
		ensure(/Enqueued execution/.test(mainProcess.output), 'the main process did not enqueue executions');
		say(`n8n ${install.version}: PASS ${CALLS} executions on the workers (${perWorker.map((list) => list.length).join(' + ')}), every request with the key and tenant`);

		// A worker without the package: the others stop, so it takes the next job.
		await Promise.all(workerProcesses.map((entry) => entry.stop()));
		const bare = await cluster.instance('worker-without-package', false);
		const bareProcess = bare.start(['worker', `--concurrency=${WORKER_CONCURRENCY}`]);
		running.push(bareProcess);
		const barePort = Number(bare.settings.QUEUE_HEALTH_CHECK_PORT);
		await until('worker without the package answers /healthz', async () => await healthy(barePort), running);
		await until('worker without the package is ready', async () => bareProcess.output.includes('worker is now ready'), running);
		const beforeBare = sim.requests.length;
		const answer = await call(mainPort, users[0].id);
		await until('the worker without the package reports the execution', async () => /Unrecognized node type/.test(bareProcess.output) || workerExecutions(bareProcess.output).length > 0, running, 30_000);
		await until('the worker without the package names the node type', async () => /Unrecognized node type: n8n-nodes-fusionauth\.fusionAuthTwoFactor/.test(bareProcess.output), running, 30_000);
		ensure(answer.status >= 500, `the call answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
		ensure(sim.requests.length === beforeBare, 'a request reached the simulator from the worker without the package');
		say(`n8n ${install.version}: PASS a worker without the package fails the execution with "Unrecognized node type" (webhook answered ${answer.status})`);
	} finally {
		await stopAll();
	}
}

async function main(): Promise<number> {
	const started = Date.now();
	mkdirSync(LOGS, { recursive: true });
	const ensureServices = await run('bash', [path.join(REPO, 'scripts', 'ensure-queue-services.sh')], { cwd: REPO, env: process.env });
	if (ensureServices.code !== 0) throw new Error(`Redis/PostgreSQL: ${tail(ensureServices)}`);
	const only = process.argv.indexOf('--versions');
	const versions = only >= 0 ? (process.argv[only + 1] ?? '').split(',') : TARGETS.map((target) => target.version);
	const targets = TARGETS.filter((target) => versions.includes(target.version));
	const installs = await Promise.all(targets.map((target) => ensureN8n(target, cacheRoot(), say)));
	const packed = await pack(REPO);
	const redis = await startRedis();
	const postgres = await startPostgres();
	const sim = await startSimulator();
	say(`Redis on ${redis.port}, PostgreSQL on ${postgres.port}, simulator at ${sim.url}`);
	let failed = 0;
	try {
		for (const install of installs) {
			const versionStarted = Date.now();
			try {
				await runVersion(install, { packed, redis, postgres, sim });
			} catch (error) {
				failed++;
				console.log(`FAIL  n8n ${install.version}: ${error instanceof Failure ? failureDetail(error) : (error as Error).message}`);
				if (!(error instanceof Failure)) console.log((error as Error).stack);
			}
			say(`n8n ${install.version} took ${((Date.now() - versionStarted) / 1000).toFixed(0)} s (logs in ${path.relative(REPO, LOGS)})`);
		}
	} finally {
		await sim.close();
		await redis.stop();
		await postgres.stop();
		rmSync(path.dirname(packed.tarball), { recursive: true, force: true });
	}
	say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	console.log(`${installs.length - failed} passed, ${failed} failed`);
	return failed === 0 ? 0 : 1;
}

runSuite(main);
