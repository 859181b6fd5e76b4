/**
 * End-to-end runs of the example workflows in the real n8n application.
 *
 * For each n8n version: install n8n once into a cache outside the clone, put the packed package
 * into a fresh user folder's `.n8n/nodes` as the community installer does, import a credential
 * pointing at the FusionAuth simulator (and an SMTP credential pointing at a local sink), import
 * every example (and its variants) in one go, run each with `n8n execute`, and check the node
 * outputs and the simulator's state.
 *
 * Usage: npm run test:e2e [-- --only=<n8n version>] [-- --keep]
 * Cache: $N8N_E2E_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-fusionauth-e2e
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSimulator } from '../simulator/server';
import type { Simulator, SimUser } from '../simulator/server';
import { cacheRoot, cleanEnv, ensureN8n, N8nInstall, run, TARGETS } from './install';
import { Credential, ExecutionResult, N8nInstance, tail, WorkflowJson } from './n8n';
import { CheckFailure, Scenario, scenarios } from './scenarios';
import { SmtpSink } from './smtpSink';

const REPO = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(REPO, 'examples');
const LOGS = path.join(REPO, '.tmp', 'e2e');

/** The credential ids and names the examples refer to. */
const FUSIONAUTH_CREDENTIAL = { id: 'faExampleCred001', name: 'FusionAuth (local simulator)' };
const SMTP_CREDENTIAL = { id: 'faExampleSmtp001', name: 'SMTP (local outbox)' };

interface Outcome {
	version: string;
	title: string;
	passed: boolean;
	detail?: string;
	ms?: number;
}

const started = Date.now();
const say = (line: string) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);

function scenarioWorkflowId(index: number): string {
	return `faE2eScenario${String(index + 1).padStart(3, '0')}`;
}

function loadExample(file: string): WorkflowJson {
	return JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as WorkflowJson;
}

/** Each scenario's workflow: the example as shipped, or a copy with its sample input changed. */
function scenarioWorkflows(): WorkflowJson[] {
	return scenarios.map((scenario, index) => {
		const workflow = loadExample(scenario.example);
		scenario.patch?.(workflow);
		return { ...workflow, id: scenarioWorkflowId(index), name: `${workflow.name} [e2e ${index + 1}]`, active: false };
	});
}

/** Every example must be run by at least one scenario. */
function uncoveredExamples(): string[] {
	const covered = new Set(scenarios.map((scenario) => scenario.example));
	return readdirSync(EXAMPLES)
		.filter((file) => file.endsWith('.json'))
		.filter((file) => !covered.has(file));
}

async function pack(): Promise<{ tarball: string; name: string; version: string }> {
	const destination = mkdtempSync(path.join(tmpdir(), 'n8n-e2e-pack-'));
	const result = await run('npm', ['pack', '--json', '--ignore-scripts', `--pack-destination=${destination}`], {
		cwd: REPO,
		env: cleanEnv(),
	});
	if (result.code !== 0) throw new Error(`npm pack failed: ${result.stderr.trim()}`);
	const [packed] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Array<{
		filename: string;
		name: string;
		version: string;
		files: Array<{ path: string }>;
	}>;
	if (!packed.files.some((file) => file.path.startsWith('dist/nodes/'))) {
		throw new Error('the packed package holds no dist/nodes: run npm run build first');
	}
	return { tarball: path.join(destination, packed.filename), name: packed.name, version: packed.version };
}

function snapshot(sim: Simulator): Map<string, SimUser> {
	return new Map(sim.users.list().map((entry) => [entry.id, entry]));
}

/** Checks that hold for every run: the credential behaves, and no secret reaches n8n's output. */
function commonChecks(result: ExecutionResult, sim: Simulator): void {
	const printed = result.command.stdout + result.command.stderr;
	if (printed.includes(sim.apiKey)) throw new CheckFailure('the API key appears in n8n execute output');
	for (const request of sim.requests) {
		const noAuth = request.path === '/api/two-factor/login' || request.path.startsWith('/api/two-factor/send/');
		const authorization = request.headers.authorization;
		if (noAuth) {
			if (authorization !== undefined) {
				throw new CheckFailure(`${request.method} ${request.path} carried an Authorization header`);
			}
		} else if (authorization !== sim.apiKey) {
			throw new CheckFailure(`${request.method} ${request.path} did not carry exactly the API key as Authorization`);
		}
		if (request.headers['x-fusionauth-tenantid'] !== undefined) {
			throw new CheckFailure(`${request.method} ${request.path} carried a tenant header though the credential has none`);
		}
	}
}

async function runVersion(install: N8nInstall, workflows: WorkflowJson[], tarball: { tarball: string; name: string; version: string }, keep: boolean): Promise<Outcome[]> {
	const outcomes: Outcome[] = [];
	const logFile = path.join(LOGS, `n8n-${install.version}.log`);
	rmSync(logFile, { force: true });
	const sim = await startSimulator();
	const smtp = await SmtpSink.start();
	const n8n = new N8nInstance(install, logFile);
	let setupError: string | undefined;
	try {
		const setupStarted = Date.now();
		await n8n.prepare();
		await n8n.installPackage(tarball.tarball, tarball.name, tarball.version);
		const credentials: Credential[] = [
			{
				...FUSIONAUTH_CREDENTIAL,
				type: 'fusionAuthApi',
				data: { baseUrl: sim.url, apiKey: sim.apiKey, tenantId: '', allowUnauthorizedCerts: false },
			},
			{
				...SMTP_CREDENTIAL,
				type: 'smtp',
				data: { user: '', password: '', host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true },
			},
		];
		await n8n.importCredentials(credentials);
		await n8n.importWorkflows(workflows);
		say(`n8n ${install.version}: package installed, credentials and ${workflows.length} workflows imported in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s (user folder ${n8n.userFolder})`);
	} catch (error) {
		setupError = (error as Error).message;
	}

	for (const [index, scenario] of scenarios.entries()) {
		const outcome = setupError
			? { version: install.version, title: scenario.title, passed: false, detail: `setup failed: ${setupError}` }
			: await runScenario(n8n, scenario, scenarioWorkflowId(index), sim, smtp);
		outcomes.push(outcome);
		const time = outcome.ms === undefined ? '' : ` (${(outcome.ms / 1000).toFixed(1)} s)`;
		console.log(`${outcome.passed ? 'PASS' : 'FAIL'}  n8n ${install.version}  ${scenario.title}${time}`);
		if (!outcome.passed) console.log(`      ${outcome.detail?.split('\n').join('\n      ')}`);
	}

	await smtp.close();
	await sim.close();
	const failed = outcomes.some((outcome) => !outcome.passed);
	if (failed || keep) say(`n8n ${install.version}: user folder kept at ${n8n.userFolder}; log ${logFile}`);
	else rmSync(n8n.userFolder, { recursive: true, force: true });
	return outcomes;
}

async function runScenario(n8n: N8nInstance, scenario: Scenario, workflowId: string, sim: Simulator, smtp: SmtpSink): Promise<Outcome> {
	sim.reset();
	smtp.clear();
	const before = snapshot(sim);
	const version = n8n.install.version;
	let result: ExecutionResult | undefined;
	try {
		result = await n8n.execute(workflowId);
		// What n8n printed, kept for reading a failure afterwards.
		writeFileSync(path.join(LOGS, `n8n-${version}-${workflowId}.out`), result.command.stdout + result.command.stderr);
		if (result.error) {
			const failedNodes = Object.entries(result.nodes)
				.filter(([, nodeRun]) => nodeRun.error)
				.map(([name, nodeRun]) => `${name}: ${nodeRun.error?.message ?? ''} ${nodeRun.error?.description ?? ''}`.trim());
			throw new CheckFailure(`the workflow failed: ${result.error}${failedNodes.length ? `\n${failedNodes.join('\n')}` : ''}`);
		}
		if (result.command.code !== 0) throw new CheckFailure(`n8n execute exited ${result.command.code}: ${tail(result.command)}`);
		commonChecks(result, sim);
		await scenario.check({ result, sim, smtp, before });
		return { version, title: scenario.title, passed: true, ms: result.ms };
	} catch (error) {
		const detail = error instanceof CheckFailure ? error.message : (error as Error).stack ?? String(error);
		return { version, title: scenario.title, passed: false, detail, ms: result?.ms };
	}
}

async function main(): Promise<number> {
	const args = process.argv.slice(2);
	const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
	const keep = args.includes('--keep');
	const targets = TARGETS.filter((target) => !only || target.version === only);
	if (targets.length === 0) {
		console.error(`no n8n version ${only}; known: ${TARGETS.map((target) => target.version).join(', ')}`);
		return 2;
	}
	const missing = uncoveredExamples();
	if (missing.length > 0) {
		console.error(`examples without an e2e scenario: ${missing.join(', ')}`);
		return 1;
	}
	mkdirSync(LOGS, { recursive: true });
	const root = cacheRoot();
	mkdirSync(root, { recursive: true });
	say(`n8n cache: ${root}`);

	// Installs (minutes on a first run) and packing go on at the same time.
	const installs = targets.map((target) =>
		ensureN8n(target, root, say).then(
			(install) => ({ install }),
			(error: Error) => ({ error, version: target.version }),
		),
	);
	const packed = await pack();
	say(`packed ${path.basename(packed.tarball)}`);
	const workflows = scenarioWorkflows();

	const outcomes: Outcome[] = [];
	for (const pending of installs) {
		const ready = await pending;
		if ('error' in ready) {
			console.log(`FAIL  n8n ${ready.version}  install: ${ready.error.message}`);
			for (const scenario of scenarios) {
				outcomes.push({ version: ready.version, title: scenario.title, passed: false, detail: 'n8n install failed' });
			}
			continue;
		}
		say(`n8n ${ready.install.version} ready (${ready.install.dir})`);
		outcomes.push(...(await runVersion(ready.install, workflows, packed, keep)));
	}
	rmSync(path.dirname(packed.tarball), { recursive: true, force: true });

	const passed = outcomes.filter((outcome) => outcome.passed).length;
	const failed = outcomes.length - passed;
	say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	console.log(`${passed} passed, ${failed} failed`);
	return failed === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		console.error(error.stack ?? error.message);
		console.log('0 passed, 1 failed');
		process.exit(1);
	},
);
