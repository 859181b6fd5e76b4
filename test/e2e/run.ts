/**
 * End-to-end runs of the example workflows in the real n8n application.
 *
 * For each n8n version: install n8n once into a cache outside the clone, put the packed package
 * into a fresh user folder's `.n8n/nodes` as the community installer does, import a credential
 * pointing at the FusionAuth simulator (and an SMTP credential pointing at a local sink), import
 * every example (and its variants) in one go, run each with `n8n execute`, and check the node
 * outputs and the simulator's state.
 *
 * Usage: npm run test:e2e [-- --only=<n8n version>] [--filter=<part of a title>] [--keep]
 * Cache: $N8N_E2E_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-fusionauth-e2e
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { failureDetail } from '../harness/failure';
import { startSimulator } from '../simulator/server';
import type { Simulator, SimUser } from '../simulator/server';
import { cacheRoot, cleanEnv, ensureN8n, N8nInstall, run, runSuite, TARGETS } from './install';
import { Credential, ExecutionResult, N8nInstance, tail, WorkflowJson } from './n8n';
import { pack } from './pack';
import { CheckFailure, CredentialChoice, REDIRECT_STATUS, Scenario, scenarios as allScenarios, WRONG_API_KEY } from './scenarios';
import { SmtpSink } from './smtpSink';
import { runTriggerScenarios, TRIGGER_EXAMPLE, triggerWorkflows } from './trigger';

const REPO = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(REPO, 'examples');
const LOGS = path.join(REPO, '.tmp', 'e2e');

/** The credential ids and names the examples refer to, and the e2e's variants of the FusionAuth one. */
const FUSIONAUTH_CREDENTIALS: Record<CredentialChoice, { id: string; name: string }> = {
	simulator: { id: 'faExampleCred001', name: 'FusionAuth (local simulator)' },
	wrongKey: { id: 'faE2eWrongKey001', name: 'FusionAuth (simulator, wrong key)' },
	tenant: { id: 'faE2eTenantCred1', name: 'FusionAuth (simulator, with tenant id)' },
	redirecting: { id: 'faE2eRedirect001', name: 'FusionAuth (behind a redirecting server)' },
};
const SMTP_CREDENTIAL = { id: 'faExampleSmtp001', name: 'SMTP (local outbox)' };
const FUSIONAUTH_NODE = 'n8n-nodes-fusionauth.fusionAuthTwoFactor';

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
async function scenarioWorkflows(scenarios: Scenario[], sim: Simulator): Promise<WorkflowJson[]> {
	const workflows: WorkflowJson[] = [];
	for (const [index, scenario] of scenarios.entries()) {
		const workflow = loadExample(scenario.example);
		await scenario.patch?.(workflow, sim);
		if (scenario.credential && scenario.credential !== 'simulator') {
			for (const node of workflow.nodes) {
				if (node.type === FUSIONAUTH_NODE && node.credentials) {
					node.credentials = { fusionAuthApi: FUSIONAUTH_CREDENTIALS[scenario.credential] };
				}
			}
		}
		workflows.push({ ...workflow, id: scenarioWorkflowId(index), name: `${workflow.name} [e2e ${index + 1}]`, active: false });
	}
	return workflows;
}

/** Every example must be run by at least one scenario. */
function uncoveredExamples(): string[] {
	// The trigger's example runs in `n8n start` (trigger.ts), not with `n8n execute`.
	const covered = new Set([...allScenarios.map((scenario) => scenario.example), TRIGGER_EXAMPLE]);
	return readdirSync(EXAMPLES)
		.filter((file) => file.endsWith('.json'))
		.filter((file) => !covered.has(file));
}

function snapshot(sim: Simulator): Map<string, SimUser> {
	return new Map(sim.users.list().map((entry) => [entry.id, entry]));
}

/** Checks that hold for every run: the credential behaves, and no secret reaches n8n's output. */
function commonChecks(result: ExecutionResult, sim: Simulator, scenario: Scenario): void {
	const printed = result.command.stdout + result.command.stderr;
	for (const key of [sim.apiKey, WRONG_API_KEY]) {
		if (printed.includes(key)) throw new CheckFailure('an API key appears in the output of n8n execute');
	}
	const key = scenario.credential === 'wrongKey' ? WRONG_API_KEY : sim.apiKey;
	const tenant = scenario.credential === 'tenant' ? sim.tenantId : undefined;
	for (const request of sim.requests) {
		const what = `${request.method} ${request.path}`;
		const authorizations = request.rawHeaders.filter((value, index) => index % 2 === 0 && value.toLowerCase() === 'authorization');
		if (authorizations.length > 1) throw new CheckFailure(`${what} carried ${authorizations.length} Authorization headers`);
		const noAuth = request.path === '/api/two-factor/login' || request.path.startsWith('/api/two-factor/send/');
		const authorization = request.headers.authorization;
		if (noAuth) {
			if (authorization !== undefined) throw new CheckFailure(`${what} carried an Authorization header`);
		} else if (authorization !== key && !String(authorization).startsWith('Bearer ')) {
			throw new CheckFailure(`${what} did not carry the credential's API key (or a Bearer JWT) as Authorization`);
		}
		if (request.headers['x-fusionauth-tenantid'] !== tenant) {
			throw new CheckFailure(`${what}: X-FusionAuth-TenantId was ${String(request.headers['x-fusionauth-tenantid'])}, expected ${String(tenant)}`);
		}
	}
}

async function runVersion(
	install: N8nInstall,
	scenarios: Scenario[],
	tarball: { tarball: string; name: string; version: string },
	keep: boolean,
	withTrigger: boolean,
): Promise<Outcome[]> {
	const outcomes: Outcome[] = [];
	const logFile = path.join(LOGS, `n8n-${install.version}.log`);
	rmSync(logFile, { force: true });
	const sim = await startSimulator();
	const smtp = await SmtpSink.start();
	// Answers everything with a redirect to the simulator, another origin (another port).
	const redirector = createServer((request, response) => {
		request.resume();
		response.writeHead(REDIRECT_STATUS, { Location: `${sim.url}${request.url ?? '/'}` });
		response.end();
	});
	await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
	const redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
	const n8n = new N8nInstance(install, logFile);
	let setupError: string | undefined;
	try {
		const setupStarted = Date.now();
		await n8n.prepare();
		await n8n.installPackage(tarball.tarball, tarball.name, tarball.version);
		const fusionAuth = (choice: CredentialChoice, apiKey: string, tenantId: string, baseUrl = sim.url): Credential => ({
			...FUSIONAUTH_CREDENTIALS[choice],
			type: 'fusionAuthApi',
			data: { baseUrl, apiKey, tenantId, ignoreSslIssues: false },
		});
		const credentials: Credential[] = [
			fusionAuth('simulator', sim.apiKey, ''),
			fusionAuth('wrongKey', WRONG_API_KEY, ''),
			fusionAuth('tenant', sim.apiKey, sim.tenantId),
			fusionAuth('redirecting', sim.apiKey, '', redirectorUrl),
			{
				...SMTP_CREDENTIAL,
				type: 'smtp',
				data: { user: '', password: '', host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true },
			},
		];
		await n8n.importCredentials(credentials);
		const workflows = await scenarioWorkflows(scenarios, sim);
		if (withTrigger) workflows.push(...triggerWorkflows(EXAMPLES));
		await n8n.importWorkflows(workflows);
		say(`n8n ${install.version}: package installed, credentials and ${workflows.length} workflows imported in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s (user folder ${n8n.userFolder})`);
	} catch (error) {
		setupError = (error as Error).message;
	}

	if (!setupError) {
		const outcome = await editorCheck(install, n8n);
		outcomes.push(outcome);
		console.log(`${outcome.passed ? 'PASS' : 'FAIL'}  n8n ${install.version}  ${outcome.title}`);
		if (!outcome.passed) console.log(`      ${outcome.detail?.split('\n').join('\n      ')}`);
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

	if (withTrigger) {
		const triggerOutcomes = setupError
			? [{ title: 'trigger scenarios', passed: false, detail: `setup failed: ${setupError}` }]
			: await runTriggerScenarios(n8n, sim, smtp);
		for (const outcome of triggerOutcomes) {
			outcomes.push({ version: install.version, ...outcome });
			const time = outcome.ms === undefined ? '' : ` (${(outcome.ms / 1000).toFixed(1)} s)`;
			console.log(`${outcome.passed ? 'PASS' : 'FAIL'}  n8n ${install.version}  ${outcome.title}${time}`);
			if (!outcome.passed) console.log(`      ${outcome.detail?.split('\n').join('\n      ')}`);
		}
	}

	await smtp.close();
	redirector.closeAllConnections();
	await new Promise<void>((resolve) => redirector.close(() => resolve()));
	await sim.close();
	const failed = outcomes.some((outcome) => !outcome.passed);
	if (failed || keep) say(`n8n ${install.version}: user folder kept at ${n8n.userFolder}; log ${logFile}`);
	else rmSync(n8n.userFolder, { recursive: true, force: true });
	return outcomes;
}

/** Every example as the editor of this n8n would load it (see editorCheck.ts). */
async function editorCheck(install: N8nInstall, n8n: N8nInstance): Promise<Outcome> {
	const title = 'every example loads in the editor unchanged (node types, versions, credentials, parameters)';
	const files = readdirSync(EXAMPLES)
		.filter((file) => file.endsWith('.json'))
		.map((file) => path.join(EXAMPLES, file));
	const modules = path.join(install.dir, 'node_modules');
	const result = await run(install.node, [path.join(__dirname, 'editorCheck.js'), install.dir, n8n.packageDir, ...files], {
		cwd: REPO,
		env: { ...cleanEnv(install.binDir), NODE_PATH: modules, N8N_USER_FOLDER: n8n.userFolder },
	});
	try {
		const report = JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as { checked: number; problems: string[] };
		if (report.problems.length > 0) return { version: install.version, title, passed: false, detail: report.problems.join('\n') };
		return { version: install.version, title: `${title}: ${report.checked} nodes`, passed: true };
	} catch {
		return { version: install.version, title, passed: false, detail: tail(result) };
	}
}

async function runScenario(n8n: N8nInstance, scenario: Scenario, workflowId: string, sim: Simulator, smtp: SmtpSink): Promise<Outcome> {
	sim.reset();
	smtp.clear();
	const before = snapshot(sim);
	const version = n8n.install.version;
	let result: ExecutionResult | undefined;
	const results: ExecutionResult[] = [];
	try {
		for (let index = 0; index < (scenario.executions ?? 1); index++) {
			await scenario.beforeExecution?.(sim, index);
			result = await n8n.execute(workflowId);
			results.push(result);
			const run = `n8n-${version}-${workflowId}${index > 0 ? `-${index + 1}` : ''}`;
			// What n8n printed, kept for reading a failure afterwards.
			writeFileSync(path.join(LOGS, `${run}.out`), result.command.stdout + result.command.stderr);
			// What the simulator received so far, in order (recovery codes left out), for reading a run afterwards.
			writeFileSync(
				path.join(LOGS, `${run}.requests`),
				sim.requests.map((request) => `${request.method} ${request.path} ${JSON.stringify({ ...request.query, ...(request.query.code ? { code: '<code>' } : {}) })}`).join('\n') + '\n',
			);
			if (result.error && !scenario.expectError) break;
		}
		if (!result) throw new CheckFailure('no execution');
		if (result.error && !scenario.expectError) {
			const failedNodes = Object.entries(result.nodes)
				.filter(([, nodeRun]) => nodeRun.error)
				.map(([name, nodeRun]) => `${name}: ${nodeRun.error?.message ?? ''} ${nodeRun.error?.description ?? ''}`.trim());
			throw new CheckFailure(`the workflow failed: ${result.error}${failedNodes.length ? `\n${failedNodes.join('\n')}` : ''}`);
		}
		if (!result.data) throw new CheckFailure(result.error ?? 'no run data');
		if (result.command.code !== 0 && !scenario.expectError) {
			throw new CheckFailure(`n8n execute exited ${result.command.code}: ${tail(result.command)}`);
		}
		commonChecks(result, sim, scenario);
		await scenario.check({ result, sim, smtp, before, results });
		return { version, title: scenario.title, passed: true, ms: result.ms };
	} catch (error) {
		const detail = error instanceof CheckFailure ? failureDetail(error) : (error as Error).stack ?? String(error);
		return { version, title: scenario.title, passed: false, detail, ms: result?.ms };
	}
}

async function main(): Promise<number> {
	const args = process.argv.slice(2);
	const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
	const keep = args.includes('--keep');
	const filter = args.find((arg) => arg.startsWith('--filter='))?.slice('--filter='.length);
	const scenarios = allScenarios.filter((scenario) => !filter || scenario.title.includes(filter));
	// The trigger's steps (titles starting "trigger:") run with every full run, or alone with --filter=trigger.
	const withTrigger = !filter || 'trigger:'.startsWith(filter) || filter.startsWith('trigger');
	const targets = TARGETS.filter((target) => !only || target.version === only);
	if (targets.length === 0) {
		console.error(`no n8n version ${only}; known: ${TARGETS.map((target) => target.version).join(', ')}`);
		return 2;
	}
	if (scenarios.length === 0 && !withTrigger) {
		console.error(`no scenario title contains "${filter}"`);
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
	const packed = await pack(REPO);
	say(`packed ${path.basename(packed.tarball)}`);

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
		outcomes.push(...(await runVersion(ready.install, scenarios, packed, keep, withTrigger)));
	}
	rmSync(path.dirname(packed.tarball), { recursive: true, force: true });

	const passed = outcomes.filter((outcome) => outcome.passed).length;
	const failed = outcomes.length - passed;
	say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	console.log(`${passed} passed, ${failed} failed`);
	return failed === 0 ? 0 : 1;
}

runSuite(main);
