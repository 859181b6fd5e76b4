/**
 * The editor suite: what an n8n user sees of this package, in n8n's real editor in a real browser.
 *
 * For each n8n version: the packed package installed into a fresh user folder as the community
 * installer does, credentials imported (the FusionAuth simulator, a wrong key, a server that needs
 * a tenant, an address where nothing listens, a local SMTP sink), `n8n start` on 127.0.0.1 on free
 * ports, an owner account, then Chromium (Debian's package, driven by playwright-core) checks the
 * nodes panel, every operation's parameter panel, the credential dialog and every example, imported
 * through the editor and run from it twice. Screenshots of the main views go to .tmp/editor/.
 *
 * Usage: npm run test:editor [-- --only=<n8n version>] [--filter=<part of a check's name>] [--keep]
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium, selectors } from 'playwright-core';

import { cacheRoot, cleanEnv, ensureN8n, run, TARGETS } from '../e2e/install';
import type { N8nTarget } from '../e2e/install';
import { Credential, N8nInstance } from '../e2e/n8n';
import { SmtpSink } from '../e2e/smtpSink';
import { failureDetail } from '../harness/failure';
import { unusedPort } from '../harness/ports';
import { DEMO_AUTHENTICATOR_SECRET, DEMO_USERS, startSimulator } from '../simulator/server';
import type { Simulator } from '../simulator/server';
import { base64Decode, totp } from '../simulator/totp';
import { N8nApp } from './app';
import { ACTIONS, PANELS, TRIGGER_PANEL, TRIGGERS } from './expected';

const REPO = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(REPO, 'examples');
const OUT = path.join(REPO, '.tmp', 'editor');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NODE_TYPE = 'n8n-nodes-fusionauth.fusionAuthTwoFactor';
const NODE_NAME = 'FusionAuth Two Factor';
const SECOND_TENANT = '9d1c7e52-3a4b-4c6d-8e9f-0a1b2c3d4e5f';

const args = process.argv.slice(2);
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const filter = args.find((arg) => arg.startsWith('--filter='))?.slice('--filter='.length);
const keep = args.includes('--keep');

const started = Date.now();
const say = (line: string) => console.log(`[editor ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);

class CheckFailure extends Error {}
function ensure(condition: unknown, message: string): asserts condition {
	if (!condition) throw new CheckFailure(message);
}

interface Outcome {
	version: string;
	check: string;
	passed: boolean;
	detail?: string;
	ms: number;
}
const outcomes: Outcome[] = [];

const CREDENTIALS = {
	simulator: { id: 'faExampleCred001', name: 'FusionAuth (local simulator)' },
	wrongKey: { id: 'faEditorWrongKey', name: 'FusionAuth (wrong key)' },
	tenant: { id: 'faEditorTenant01', name: 'FusionAuth (server that needs a tenant)' },
	noServer: { id: 'faEditorNoServer', name: 'FusionAuth (nothing listens there)' },
	smtp: { id: 'faExampleSmtp001', name: 'SMTP (local outbox)' },
};

interface Version {
	app: N8nApp;
	sim: Simulator;
	tenantSim: Simulator;
	smtp: SmtpSink;
	noServerUrl: string;
	shots: string;
}

async function pack(): Promise<{ tarball: string; name: string; version: string }> {
	const destination = path.join(OUT, 'pack');
	rmSync(destination, { recursive: true, force: true });
	mkdirSync(destination, { recursive: true });
	const result = await run('npm', ['pack', '--json', '--ignore-scripts', `--pack-destination=${destination}`], { cwd: REPO, env: cleanEnv() });
	if (result.code !== 0) throw new Error(`npm pack failed: ${result.stderr.trim()}`);
	const [packed] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Array<{ filename: string; name: string; version: string }>;
	return { tarball: path.join(destination, packed.filename), name: packed.name, version: packed.version };
}

/** Installs the package, imports the credentials, starts n8n and sets up its owner. */
async function prepare(target: N8nTarget, packed: { tarball: string; name: string; version: string }): Promise<Version> {
	const install = await ensureN8n(target, cacheRoot(), say);
	const logFile = path.join(OUT, `n8n-${target.version}.log`);
	rmSync(logFile, { force: true });
	const instance = new N8nInstance(install, logFile);
	await instance.prepare();
	await instance.installPackage(packed.tarball, packed.name, packed.version);
	const sim = await startSimulator();
	const tenantSim = await startSimulator({ tenants: [sim.tenantId, SECOND_TENANT], tenantIdRequired: 'always' });
	const smtp = await SmtpSink.start();
	const noServerUrl = `http://127.0.0.1:${await unusedPort()}`;
	const fusionAuth = (which: keyof typeof CREDENTIALS, baseUrl: string, apiKey: string): Credential => ({
		...CREDENTIALS[which],
		type: 'fusionAuthApi',
		data: { baseUrl, apiKey, tenantId: '', ignoreSslIssues: false },
	});
	await instance.importCredentials([
		fusionAuth('simulator', sim.url, sim.apiKey),
		fusionAuth('wrongKey', sim.url, 'not-the-key-of-this-server'),
		fusionAuth('tenant', tenantSim.url, tenantSim.apiKey),
		fusionAuth('noServer', noServerUrl, sim.apiKey),
		{
			...CREDENTIALS.smtp,
			type: 'smtp',
			data: { user: '', password: '', host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true },
		},
	]);
	const app = new N8nApp(instance, logFile);
	const startedAt = Date.now();
	try {
		await app.start(6 * 60_000);
		await app.setUpOwner();
	} catch (error) {
		await app.stop();
		throw error;
	}
	say(`n8n ${target.version}: ready at ${app.url} after ${((Date.now() - startedAt) / 1000).toFixed(1)} s (log ${logFile})`);
	const shots = path.join(OUT, 'screenshots', target.version);
	rmSync(shots, { recursive: true, force: true });
	mkdirSync(shots, { recursive: true });
	return { app, sim, tenantSim, smtp, noServerUrl, shots };
}

async function check(version: Version, name: string, work: () => Promise<void>): Promise<void> {
	if (filter && !name.includes(filter)) return;
	const begun = Date.now();
	try {
		await work();
		outcomes.push({ version: version.app.version, check: name, passed: true, ms: Date.now() - begun });
		console.log(`PASS  n8n ${version.app.version}  ${name}  (${((Date.now() - begun) / 1000).toFixed(1)} s)`);
	} catch (error) {
		const detail = error instanceof CheckFailure ? failureDetail(error) : String((error as Error).stack ?? error);
		outcomes.push({ version: version.app.version, check: name, passed: false, detail, ms: Date.now() - begun });
		console.log(`FAIL  n8n ${version.app.version}  ${name}\n      ${detail.split('\n').slice(0, 12).join('\n      ')}`);
	}
}

async function screenshot(page: Page, version: Version, name: string): Promise<void> {
	// Transitions run to their end first: a panel still fading in would show the canvas through it.
	await page.screenshot({ path: path.join(version.shots, `${name}.jpg`), type: 'jpeg', quality: 70, animations: 'disabled' });
}

async function newContext(browser: Browser, app: N8nApp): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const [name, ...value] = app.cookie.split('=');
	await context.addCookies([{ name, value: value.join('='), url: app.url }]);
	// Light theme, so screenshots look the same on every machine.
	await context.addInitScript(() => window.localStorage.setItem('N8N_THEME', 'light'));
	context.setDefaultTimeout(30_000);
	return context;
}

/** A blank workflow in the editor, ready for the nodes panel or an import. */
async function openNewWorkflow(page: Page, app: N8nApp): Promise<void> {
	await page.goto(`${app.url}/workflow/new`);
	await page.getByTestId('canvas-plus-button').waitFor();
}

async function dismissToasts(page: Page): Promise<void> {
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------

async function nodesPanel(version: Version, page: Page): Promise<void> {
	await openNewWorkflow(page, version.app);
	await page.getByTestId('canvas-plus-button').click();
	const search = page.getByTestId('node-creator-search-bar').locator('input').or(page.getByTestId('node-creator-search-bar')).first();
	for (const term of ['FusionAuth', 'MFA', '2FA', 'TOTP']) {
		await search.fill(term);
		const found = page.getByTestId('node-creator').getByText(NODE_NAME, { exact: true });
		await found.first().waitFor({ timeout: 10_000 }).catch(() => {
			throw new CheckFailure(`searching "${term}" in the nodes panel does not show "${NODE_NAME}"`);
		});
		if (term === 'MFA') await screenshot(page, version, 'nodes-panel-search');
	}
	// n8n lists the action node and its trigger as one entry; its view shows the trigger's events
	// under "Triggers (n)" and the actions, folded, under "Actions (n)".
	await page.getByTestId('node-creator').getByText(NODE_NAME, { exact: true }).first().click();
	const creator = page.getByTestId('node-creator');
	await creator.getByText(TRIGGERS[0], { exact: true }).first().waitFor({ timeout: 15_000 }).catch(async () => {
		throw new CheckFailure(`the node's view in the nodes panel does not show its trigger "${TRIGGERS[0]}": "${(await creator.innerText()).replace(/\s+/g, ' ').slice(0, 600)}"`);
	});
	const actionsHeading = creator.getByText(/^Actions \(\d+\)$/).first();
	if (!(await creator.getByText(ACTIONS[0][2], { exact: true }).first().isVisible().catch(() => false))) await actionsHeading.click();
	await creator.getByText(ACTIONS[0][2], { exact: true }).first().waitFor();
	const listed = async () =>
		(await creator.getByTestId('item-iterator-item').filter({ visible: true }).allInnerTexts()).map((text) => text.trim());
	// Read once the panel has settled (two reads half a second apart agree).
	let texts = await listed();
	for (let tries = 0; tries < 10; tries++) {
		await page.waitForTimeout(500);
		const again = await listed();
		if (JSON.stringify(again) === JSON.stringify(texts)) break;
		texts = again;
	}
	// While the panel slides from the search results to the node's view, the node's entry may
	// still show above its triggers and actions: only what follows it counts. The view has
	// headings ("Triggers (7)", "... ACTIONS") and, for a workflow without a trigger, n8n's own
	// trigger suggestions ("On a Schedule", ...): the trigger's events come first, then actions.
	const header = texts.map((text) => text.startsWith(NODE_NAME)).lastIndexOf(true);
	const entries = texts
		.slice(header + 1)
		.filter((text) => !/ actions$/i.test(text) && !/^(Triggers|Actions) \(\d+\)$/.test(text) && !/^On (a|an) /.test(text) && text !== '');
	const triggers = entries.slice(0, TRIGGERS.length);
	ensure(
		JSON.stringify(triggers) === JSON.stringify(TRIGGERS),
		`the node's view lists as its first entries ${JSON.stringify(triggers)}, expected the trigger's events ${JSON.stringify(TRIGGERS)} (all: ${JSON.stringify(entries)})`,
	);
	const actions = entries.slice(TRIGGERS.length);
	const expected = ACTIONS.map(([, , title]) => title);
	const twice = actions.filter((title, index) => actions.indexOf(title) !== index);
	ensure(twice.length === 0, `actions listed more than once: ${JSON.stringify([...new Set(twice)])} (the list: ${JSON.stringify(actions)})`);
	ensure(
		JSON.stringify(actions) === JSON.stringify(expected),
		`the actions listed are ${JSON.stringify(actions)}, expected the node's ${expected.length} operations ${JSON.stringify(expected)}`,
	);
	// The panel with all its actions: a taller window for this one picture.
	const size = page.viewportSize();
	await page.setViewportSize({ width: 1280, height: 1600 });
	await page.waitForTimeout(300);
	await page.getByTestId('node-creator').screenshot({ path: path.join(version.shots, 'nodes-panel-actions.jpg'), type: 'jpeg', quality: 75 });
	if (size) await page.setViewportSize(size);
}

// ---------------------------------------------------------------------------------------------

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

async function createWorkflow(app: N8nApp, name: string, nodes: WorkflowNode[], connections: Record<string, unknown> = {}): Promise<string> {
	const created = await app.rest<{ id: string }>('POST', '/workflows', { name, nodes, connections, active: false, settings: { executionOrder: 'v1' } });
	ensure(created.status === 200 && created.data?.id, `POST /rest/workflows answered ${created.status}: ${created.raw.slice(0, 300)}`);
	return created.data.id;
}

const panelNodeName = (spec: (typeof PANELS)[number]) => `${spec.apiVersion} ${spec.resource} ${spec.operation}`;

/** Opens a node's parameter panel from the canvas. */
async function openNode(page: Page, nodeName: string): Promise<void> {
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	await node.waitFor();
	await node.dblclick();
	await page.getByTestId('node-parameters').waitFor();
}

async function closeNode(page: Page): Promise<void> {
	const back = page.getByTestId('back-to-canvas');
	if (await back.isVisible()) await back.click();
	else await page.keyboard.press('Escape');
	await page.getByTestId('node-parameters').waitFor({ state: 'hidden' });
}

/**
 * The parameters the open panel shows, by internal name (each label's `for`), and those n8n marks
 * as required and missing: with the operation's defaults every required value is empty, so the
 * red frame with its warning (`parameter-issues`) is the marker a user sees.
 */
async function shownParameters(page: Page): Promise<{ fields: string[]; required: string[] }> {
	return await page.getByTestId('node-parameters').evaluate((root) => {
		const fields: string[] = [];
		const required: string[] = [];
		for (const item of Array.from(root.querySelectorAll('[data-test-id="parameter-item"]'))) {
			// Top-level parameters only, as laid out on the Parameters tab.
			if (item.parentElement?.closest('[data-test-id="parameter-item"]')) continue;
			if (!(item as HTMLElement).offsetParent) continue;
			const name = item.querySelector('label[for]')?.getAttribute('for');
			if (!name) continue;
			fields.push(name);
			if (item.querySelector('[data-test-id="parameter-issues"]')) required.push(name);
		}
		return { fields, required };
	});
}

async function parameterPanels(version: Version, page: Page): Promise<void> {
	const nodes: WorkflowNode[] = PANELS.map((spec, index) => ({
		id: `b0000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
		name: panelNodeName(spec),
		type: NODE_TYPE,
		typeVersion: 1,
		position: [(index % 6) * 260, Math.floor(index / 6) * 220],
		parameters: { apiVersion: spec.apiVersion, resource: spec.resource, operation: spec.operation },
		...(spec.operation === 'generateTotp' ? {} : { credentials: { fusionAuthApi: CREDENTIALS.simulator } }),
	}));
	const id = await createWorkflow(version.app, 'Editor check: parameter panels', nodes);
	await page.goto(`${version.app.url}/workflow/${id}`);
	await page.getByTestId('canvas-node').first().waitFor();
	await page.getByTestId('zoom-to-fit').click();
	const problems: string[] = [];
	for (const spec of PANELS) {
		const name = panelNodeName(spec);
		await openNode(page, name);
		const shown = await shownParameters(page);
		if (JSON.stringify(shown.fields) !== JSON.stringify(spec.fields)) {
			problems.push(`${name}: the panel shows ${JSON.stringify(shown.fields)}, expected ${JSON.stringify(spec.fields)}`);
		}
		const required = shown.required.filter((field) => spec.fields.includes(field));
		if (JSON.stringify(required) !== JSON.stringify(spec.required)) {
			problems.push(`${name}: required markers on ${JSON.stringify(required)}, expected ${JSON.stringify(spec.required)}`);
		}
		if (name === 'current twoFactor enable') await screenshot(page, version, 'parameters-enable');
		await closeNode(page);
	}
	ensure(problems.length === 0, problems.join('\n'));
	await version.app.rest('DELETE', `/workflows/${id}`);
}

// ---------------------------------------------------------------------------------------------

/** Opens a saved credential's dialog and returns what its test result says. */
async function credentialDialog(version: Version, page: Page, credentialId: string): Promise<string> {
	await page.goto(`${version.app.url}/home/credentials/${credentialId}`);
	const modal = page.getByTestId('editCredential-modal');
	await modal.waitFor();
	const outcome = modal.getByText(/Connection tested successfully|Couldn.t connect with these settings/).first();
	// n8n tests a saved credential when its dialog opens; saving tests it again.
	if (!(await outcome.isVisible().catch(() => false))) {
		await outcome.waitFor({ timeout: 8000 }).catch(async () => {
			await modal.getByTestId('credential-save-button').click();
			await outcome.waitFor({ timeout: 20_000 });
		});
	}
	const details = modal.getByText('More details');
	if (await details.isVisible().catch(() => false)) await details.click();
	await page.waitForTimeout(300);
	return (await modal.innerText()).replace(/\s+/g, ' ');
}

async function credentialChecks(version: Version, page: Page): Promise<void> {
	const cases: Array<{ which: keyof typeof CREDENTIALS; expect: string; shot?: string }> = [
		{ which: 'simulator', expect: 'Connection tested successfully' },
		{
			which: 'wrongKey',
			expect: 'FusionAuth rejected the API key. Check the key, and that it is allowed to call GET /api/two-factor/secret.',
			shot: 'credential-wrong-key',
		},
		{ which: 'tenant', expect: 'FusionAuth needs a tenant for this API key: set Tenant ID in the credential' },
		{
			which: 'noServer',
			expect: `Could not reach FusionAuth at ${version.noServerUrl}: nothing accepts connections there. Check the Base URL and that the server is running.`,
		},
	];
	const problems: string[] = [];
	for (const entry of cases) {
		const text = await credentialDialog(version, page, CREDENTIALS[entry.which].id);
		if (!text.includes(entry.expect)) problems.push(`${CREDENTIALS[entry.which].name}: the dialog says "${text.slice(0, 600)}", expected "${entry.expect}"`);
		if (entry.shot) await screenshot(page, version, entry.shot);
		await page.keyboard.press('Escape');
	}
	ensure(problems.length === 0, problems.join('\n'));
}

// ---------------------------------------------------------------------------------------------

interface ExampleRun {
	/** The node whose output panel shows the result, and what it must show. */
	node: string;
	shows: string[];
}

/** What each example's output panel shows on its first and on its second run against the simulator. */
const EXAMPLE_RUNS: Record<string, [ExampleRun, ExampleRun]> = {
	'mfa-enrollment-reminder.json': [
		{ node: 'Users Without Two Factor', shows: ['emma.empty@example.com', 'twoFactorEnabled', 'false'] },
		{ node: 'Users Without Two Factor', shows: ['emma.empty@example.com', 'twoFactorEnabled', 'false'] },
	],
	// Manual runs leave Continue From Last Run's position where it is: both show the first batch.
	'mfa-reminder-campaign.json': [
		{ node: 'Next Users Without Two Factor', shows: ['emma.empty@example.com', 'twoFactorEnabled', 'false'] },
		{ node: 'Next Users Without Two Factor', shows: ['emma.empty@example.com', 'twoFactorEnabled', 'false'] },
	],
	'authenticator-enrollment.json': [
		{ node: 'Enrollment Result', shows: ['twoFactorEnabled', 'true', 'recoveryCodes', 'otpauth://totp/'] },
		{ node: 'Already Enrolled', shows: ['alreadyEnrolled', 'true', 'already has an authenticator method'] },
	],
	'helpdesk-runbook.json': [
		{ node: 'Codes For The User', shows: ['HD-1042', 'recoveryCodes'] },
		{ node: 'Codes For The User', shows: ['HD-1042', 'recoveryCodes'] },
	],
	// The first run finds the tenant's policy in effect and sets the application's own; the second finds that one.
	'require-mfa-for-an-application.json': [
		{ node: 'Policy Applied', shows: ['is now Required (was Enabled, set by the tenant)', 'loginPolicySetBy', 'application'] },
		{ node: 'Policy Applied', shows: ['is now Required (was Required, set by the application)', 'trustPolicy', 'This'] },
	],
	'login-step-up-check.json': [
		{ node: 'Code Sent By Email', shows: ['stepUpRequired', 'true', 'twoFactorId'] },
		{ node: 'Code Sent By Email', shows: ['stepUpRequired', 'true', 'twoFactorId'] },
	],
};

async function runFromEditor(page: Page): Promise<void> {
	await page.getByTestId('execute-workflow-button').click();
	await runEnds(page);
}

async function runEnds(page: Page): Promise<void> {
	// Done when n8n says so; a failed run names the node in its toast.
	const done = page.getByText(/Workflow executed successfully|Problem in node|Workflow has issues|Problem executing workflow/).first();
	await done.waitFor({ timeout: 60_000 });
	const text = await done.innerText();
	ensure(/successfully/.test(text), `running the workflow from the editor ended with "${(await page.locator('.el-notification').allInnerTexts()).join(' | ').replace(/\s+/g, ' ')}"`);
	await dismissToasts(page);
}

async function outputPanelText(page: Page, nodeName: string, shows: string[]): Promise<string> {
	await openNode(page, nodeName);
	const panel = page.getByTestId('output-panel').or(page.getByTestId('ndv-output-panel')).first();
	await panel.waitFor();
	// The panel draws its header ("1 item") before the items themselves: read until they are there, or give up.
	const deadline = Date.now() + 10_000;
	for (;;) {
		const text = (await panel.innerText()).replace(/\s+/g, ' ');
		if (shows.every((value) => text.includes(value)) || Date.now() > deadline) return text;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Imports an example through the editor's import and checks the editor flags none of its nodes. */
async function importExample(version: Version, page: Page, file: string, someNode: string): Promise<void> {
	await openNewWorkflow(page, version.app);
	await page.getByTestId('workflow-import-input').setInputFiles(path.join(EXAMPLES, file));
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${someNode}"]`).waitFor();
	await page.getByTestId('zoom-to-fit').click();
	// The editor marks a node that misses a credential or a required value.
	const issues = await page.getByTestId('canvas-node').filter({ has: page.getByTestId('node-issues') }).evaluateAll((nodes) =>
		nodes.map((node) => node.getAttribute('data-node-name')),
	);
	ensure(issues.length === 0, `after importing ${file} the editor flags ${JSON.stringify(issues)}`);
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new CheckFailure(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const TRIGGER_EXAMPLE = 'mfa-removed-alert.json';
const TRIGGER_NAME = 'Two Factor Method Removed';

/**
 * The example that starts with the trigger, as a user tries it: imported, its trigger's panel,
 * then "Test workflow" twice, each time FusionAuth (the simulator) reporting a removed method to
 * the test URL the trigger registered; the trigger's output panel shows the event, the alert
 * reaches the SMTP server, and the test webhook is gone from FusionAuth afterwards.
 */
async function triggerExampleChecks(version: Version, page: Page, file: string): Promise<void> {
	const { sim, smtp } = version;
	const alice = DEMO_USERS.authenticator;
	// What the example's note asks of an administrator: the event enabled in the tenant.
	const freshFusionAuth = () => {
		sim.reset();
		sim.webhooks.enableEvents(['user.two-factor.method.remove']);
	};
	freshFusionAuth();
	await importExample(version, page, file, TRIGGER_NAME);
	await screenshot(page, version, 'alert-workflow');
	await openNode(page, TRIGGER_NAME);
	const shown = await shownParameters(page);
	ensure(
		JSON.stringify(shown) === JSON.stringify(TRIGGER_PANEL),
		`the trigger's panel shows ${JSON.stringify(shown.fields)} with required markers on ${JSON.stringify(shown.required)}, expected ${JSON.stringify(TRIGGER_PANEL)}`,
	);
	await screenshot(page, version, 'trigger-parameters');
	await closeNode(page);
	await page.keyboard.press('Control+s');
	await page.waitForURL(/\/workflow\/(?!new)[^/]+/, { timeout: 15_000 }).catch(() => undefined);
	for (const run of [1, 2]) {
		// The first run removed Alice's only method: give it back by starting FusionAuth afresh.
		if (run === 2) freshFusionAuth();
		const mailsBefore = smtp.messages.length;
		await page.getByTestId('execute-workflow-button').click();
		const testHook = await until(`run ${run}: the trigger to register its test URL in FusionAuth`, () =>
			sim.webhooks.list().find((webhook) => String(webhook.url).includes('/webhook-test/')),
		);
		const removed = await fetch(`${sim.url}/api/user/two-factor/${alice.id}`, {
			method: 'DELETE',
			headers: { Authorization: sim.apiKey, 'Content-Type': 'application/json' },
			body: JSON.stringify({ methodId: '2KSZ', code: totp(base64Decode(DEMO_AUTHENTICATOR_SECRET) as Buffer, Date.now()) }),
		});
		ensure(removed.status === 200, `run ${run}: FusionAuth answered ${removed.status} to removing Alice's method`);
		await runEnds(page);
		await sim.webhooks.idle();
		const toTest = sim.webhooks.deliveries.filter((attempt) => attempt.url === testHook.url).map((attempt) => attempt.status ?? attempt.error);
		ensure(toTest.join() === '200', `run ${run}: deliveries to the test URL: ${JSON.stringify(toTest)}`);
		const shows = ['user.two-factor.method.remove', alice.email, alice.id, 'authenticator'];
		const text = await outputPanelText(page, TRIGGER_NAME, shows);
		const missing = shows.filter((value) => !text.includes(value));
		ensure(missing.length === 0, `run ${run}: the trigger's output panel does not show ${JSON.stringify(missing)}: "${text.slice(0, 500)}"`);
		if (run === 1) await screenshot(page, version, 'trigger-output');
		await closeNode(page);
		const mail = await until(`run ${run}: the alert to reach the SMTP server`, () => smtp.messages.slice(mailsBefore)[0], 15_000);
		ensure(mail.subject.includes(alice.email), `run ${run}: the alert's subject is "${mail.subject}", expected Alice's email`);
		await until(`run ${run}: the test webhook to be deleted in FusionAuth after the test run`, () =>
			sim.webhooks.list().length === 0 ? true : undefined,
		);
	}
}

async function exampleChecks(version: Version, page: Page, file: string): Promise<void> {
	if (file === TRIGGER_EXAMPLE) return await triggerExampleChecks(version, page, file);
	const runs = EXAMPLE_RUNS[file];
	ensure(runs, `no expected output written down for ${file}`);
	const workflow = JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as { name: string };
	await importExample(version, page, file, runs[0].node);
	if (file === 'mfa-enrollment-reminder.json') await screenshot(page, version, 'reminder-workflow');
	await page.keyboard.press('Control+s');
	await page.waitForURL(/\/workflow\/(?!new)[^/]+/, { timeout: 15_000 }).catch(() => undefined);
	for (const [index, expected] of runs.entries()) {
		const mailsBefore = version.smtp.messages.length;
		await runFromEditor(page);
		const text = await outputPanelText(page, expected.node, expected.shows);
		const missing = expected.shows.filter((value) => !text.includes(value));
		ensure(missing.length === 0, `${workflow.name}, run ${index + 1}: the output panel of "${expected.node}" does not show ${JSON.stringify(missing)}: "${text.slice(0, 500)}"`);
		if (file === 'mfa-enrollment-reminder.json') {
			ensure(version.smtp.messages.length > mailsBefore, `${workflow.name}, run ${index + 1}: no reminder reached the SMTP server`);
			if (index === 0) await screenshot(page, version, 'reminder-output');
		}
		await closeNode(page);
	}
}

// ---------------------------------------------------------------------------------------------

async function checkVersion(version: Version, browser: Browser): Promise<void> {
	const context = await newContext(browser, version.app);
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(String(error.message)));
	try {
		await check(version, 'nodes panel: search finds the node, each action once, the list equals the operations', () => nodesPanel(version, page));
		await check(version, 'parameter panels: each operation in both API versions shows its fields and required markers', () => parameterPanels(version, page));
		await check(version, 'credential dialog: good key passes; wrong key, tenant needed, no server in plain words', () => credentialChecks(version, page));
		const examples = readdirSync(EXAMPLES).filter((file) => file.endsWith('.json')).sort();
		for (const file of examples) {
			const name =
				file === TRIGGER_EXAMPLE
					? `example ${file}: imported in the editor, the trigger's panel, "Test workflow" twice with FusionAuth sending the event, the output panel shows it`
					: `example ${file}: imported in the editor, run twice, the output panel shows the results`;
			await check(version, name, () => exampleChecks(version, page, file));
		}
	} finally {
		await context.close();
	}
	if (errors.length > 0) say(`n8n ${version.app.version}: page errors seen: ${[...new Set(errors)].slice(0, 5).join(' | ')}`);
}

async function main(): Promise<void> {
	selectors.setTestIdAttribute('data-test-id');
	mkdirSync(OUT, { recursive: true });
	const targets = TARGETS.filter((target) => !only || target.version === only);
	if (targets.length === 0) throw new Error(`no n8n version ${only}; known: ${TARGETS.map((target) => target.version).join(', ')}`);
	const packed = await pack();
	say(`packed ${path.basename(packed.tarball)}; starting n8n ${targets.map((target) => target.version).join(' and ')}`);
	// Both start at once: n8n 2.x spends a while on migrations while the other is checked.
	const preparing = targets.map((target) => prepare(target, packed));
	// Awaited in turn below; a failure is reported there, not as an unhandled rejection now.
	for (const preparation of preparing) preparation.catch(() => undefined);
	// headless: true passes --headless; playwright gives every launch a fresh --user-data-dir.
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--proxy-server=direct://',
			'--proxy-bypass-list=*',
		],
	});
	const versions: Version[] = [];
	try {
		for (const [index, preparation] of preparing.entries()) {
			const versionStarted = Date.now();
			let version: Version;
			try {
				version = await preparation;
			} catch (error) {
				outcomes.push({ version: targets[index].version, check: 'n8n starts with the package installed', passed: false, detail: String(error), ms: 0 });
				console.log(`FAIL  n8n ${targets[index].version}  n8n starts with the package installed\n      ${String(error)}`);
				continue;
			}
			versions.push(version);
			await checkVersion(version, browser);
			say(`n8n ${version.app.version}: checks took ${((Date.now() - versionStarted) / 1000).toFixed(1)} s`);
			if (!keep) await version.app.stop();
		}
	} finally {
		await browser.close();
		await Promise.allSettled(preparing);
		if (!keep) {
			for (const version of versions) {
				await version.app.stop();
				await version.sim.close();
				await version.tenantSim.close();
				await version.smtp.close();
			}
		}
	}
	const failed = outcomes.filter((outcome) => !outcome.passed);
	say(`${outcomes.length - failed.length} passed, ${failed.length} failed; screenshots in ${path.join(OUT, 'screenshots')}`);
	for (const outcome of failed) console.log(`  FAILED  n8n ${outcome.version}  ${outcome.check}`);
	if (keep) {
		say('--keep: n8n keeps running; stop it with Ctrl+C');
		const stop = async () => {
			for (const version of versions) await version.app.stop();
			process.exit(failed.length > 0 ? 1 : 0);
		};
		process.once('SIGINT', () => void stop());
		process.once('SIGTERM', () => void stop());
		await new Promise(() => undefined);
	}
	process.exit(failed.length > 0 || outcomes.length === 0 ? 1 : 0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
