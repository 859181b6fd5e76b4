/**
 * What the e2e runs: each example workflow as it is, plus variants that change only the sample
 * input (a Set node's value) to walk the other branches, and what to check after each run, in
 * the node outputs and in the simulator's state.
 */
import type { OutboxMessage, Simulator, SimUser } from '../simulator/server';
import { DEFAULT_TENANT_MFA, DEMO_USERS } from '../simulator/server';
import { totp } from '../simulator/totp';
import type { ExecutionResult, WorkflowJson } from './n8n';
import type { SmtpSink } from './smtpSink';

export interface CheckContext {
	result: ExecutionResult;
	sim: Simulator;
	smtp: SmtpSink;
	/** The simulator's users right before the run. */
	before: Map<string, SimUser>;
	/** Every execution of the workflow, in order (`result` is the last). */
	results: ExecutionResult[];
}

/**
 * The FusionAuth credentials the e2e imports: `simulator` is the one the examples name; the
 * others let a variant run the same workflow with a wrong key or a tenant id.
 */
export type CredentialChoice = 'simulator' | 'wrongKey' | 'tenant' | 'redirecting';

/**
 * What the 'redirecting' credential's server answers to every request: a redirect to the
 * simulator, another origin, as a hostile proxy would to carry the key away.
 */
export const REDIRECT_STATUS = 307;

export const WRONG_API_KEY = 'e2e-wrong-api-key-0f9e8d7c6b5a49382716';

export interface Scenario {
	/** Shown in the summary: `<example> / <variant>`. */
	title: string;
	/** File under examples/. */
	example: string;
	/** Which FusionAuth credential every FusionAuth node uses (default: the examples' own). */
	credential?: CredentialChoice;
	/** Changes to the sample input (or, for auth variants, a node's parameters); none = the example as shipped. */
	patch?: (workflow: WorkflowJson, sim: Simulator) => void | Promise<void>;
	/** The run is meant to stop with an error; `check` then reads `result.error`. */
	expectError?: boolean;
	/** How often the same workflow runs, one `n8n execute` after the other (default 1). */
	executions?: number;
	/** Changes to the simulator's state before each execution (index from 0). */
	beforeExecution?: (sim: Simulator, index: number) => void | Promise<void>;
	check(context: CheckContext): Promise<void> | void;
}

export class CheckFailure extends Error {}

export function ensure(condition: unknown, message: string): asserts condition {
	if (!condition) throw new CheckFailure(message);
}

function show(value: unknown): string {
	const text = JSON.stringify(value);
	return text === undefined ? 'undefined' : text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

function equal(actual: unknown, expected: unknown, what: string): void {
	ensure(show(actual) === show(expected), `${what}: expected ${show(expected)}, got ${show(actual)}`);
}

type Json = Record<string, unknown>;

/** The items of `node`'s output `index`; fails when the node did not run. */
export function output(result: ExecutionResult, node: string, index = 0): Json[] {
	const run = result.nodes[node];
	ensure(run !== undefined, `node "${node}" did not run (ran: ${Object.keys(result.nodes).join(', ')})`);
	ensure(!run.error, `node "${node}" failed: ${show(run.error)}`);
	return (run.outputs[index] ?? []).map((item) => item.json);
}

function single(result: ExecutionResult, node: string, index = 0): Json {
	const items = output(result, node, index);
	equal(items.length, 1, `number of items out of "${node}"`);
	return items[0];
}

function notRun(result: ExecutionResult, node: string): void {
	ensure(result.nodes[node] === undefined, `node "${node}" ran but should not have`);
}

function user(sim: Simulator, id: string): SimUser {
	const found = sim.users.get(id);
	ensure(found !== undefined, `simulator has no user ${id}`);
	return found;
}

function requestsTo(sim: Simulator, method: string, pathPrefix: string) {
	return sim.requests.filter((request) => request.method === method && request.path.startsWith(pathPrefix));
}

/** Completes a two-factor login on the simulator the way an app would, to prove the challenge is real. */
async function completeLogin(sim: Simulator, twoFactorId: string, code: string): Promise<number> {
	const response = await fetch(`${sim.url}/api/two-factor/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ twoFactorId, code, applicationId: sim.applicationId }),
	});
	await response.arrayBuffer();
	return response.status;
}

function setParameters(workflow: WorkflowJson, nodeName: string, parameters: Record<string, unknown>): void {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`example has no node "${nodeName}"`);
	node.parameters = { ...node.parameters, ...parameters };
	for (const [key, value] of Object.entries(parameters)) if (value === undefined) delete node.parameters[key];
}

/** The failing node's name and its error, from the run's top-level error. */
function workflowError(result: ExecutionResult): { node?: string; message: string; description: string } {
	const error = result.data?.data?.resultData?.error as
		| { message?: string; description?: string; node?: { name?: string } }
		| undefined;
	ensure(error !== undefined, `the run should have failed; n8n printed: ${result.error ?? 'no error'}`);
	return { node: error.node?.name, message: error.message ?? '', description: error.description ?? '' };
}

function setSample(workflow: WorkflowJson, nodeName: string, field: string, value: string): void {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`example has no node "${nodeName}"`);
	const assignments = (node.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;
	const assignment = assignments.find((candidate) => candidate.name === field);
	if (!assignment) throw new Error(`"${nodeName}" sets no field "${field}"`);
	assignment.value = value;
}

/** The token the JWT variant puts into its workflow, to look for in n8n's output. */
let issuedJwt = '';

const REMINDER = 'mfa-enrollment-reminder.json';
const ENROLLMENT = 'authenticator-enrollment.json';
const HELPDESK = 'helpdesk-runbook.json';
const STEP_UP = 'login-step-up-check.json';
const REQUIRE_MFA = 'require-mfa-for-an-application.json';
const CAMPAIGN = 'mfa-reminder-campaign.json';

/** Users added for the campaign: no method, an email address, inserted after the demo users. */
const campaignUser = (n: number) => ({
	id: `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
	email: `campaign${n}@example.com`,
	firstName: `Campaign${n}`,
});

/** Enrolls a user with an authenticator through the API, as a person would between two batches. */
async function enrollAuthenticator(sim: Simulator, userId: string): Promise<void> {
	const key = Buffer.from('12345678901234567890');
	const response = await fetch(`${sim.url}/api/user/two-factor/${userId}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Authorization: sim.apiKey },
		body: JSON.stringify({ method: 'authenticator', secret: key.toString('base64'), code: totp(key, sim.now()) }),
	});
	await response.arrayBuffer();
	ensure(response.status === 200, `enrolling ${userId} answered ${response.status}`);
}

export const scenarios: Scenario[] = [
	{
		title: 'mfa-enrollment-reminder / users without two factor get an email',
		example: REMINDER,
		check({ result, sim, smtp, before }) {
			output(result, 'Run Now');
			notRun(result, 'Every Weekday At 9');
			const expected = [...before.values()].filter((candidate) => candidate.methods.length === 0);
			ensure(expected.length > 0, 'the simulator should start with users without two factor');
			const found = output(result, 'Users Without Two Factor');
			equal(
				found.map((item) => item.id).sort(),
				expected.map((candidate) => candidate.id).sort(),
				'users found without two factor',
			);
			for (const item of found) {
				equal(item.twoFactorEnabled, false, `twoFactorEnabled of ${String(item.email)}`);
				equal(item.twoFactorMethods, [], `twoFactorMethods of ${String(item.email)}`);
			}
			const withEmail = expected.filter((candidate) => candidate.email);
			equal(output(result, 'Send Reminder').length, withEmail.length, 'items out of "Send Reminder"');
			equal(
				smtp.messages.map((message) => message.to.join(',')).sort(),
				withEmail.map((candidate) => candidate.email).sort(),
				'reminder recipients received by the SMTP server',
			);
			for (const message of smtp.messages) {
				const recipient = withEmail.find((candidate) => candidate.email === message.to[0])!;
				equal(message.from, 'security@example.com', 'envelope sender');
				equal(message.subject, 'Please turn on two-factor authentication', 'subject');
				ensure(
					message.body.includes(`Hello ${recipient.firstName}`),
					`reminder to ${recipient.email} should greet ${recipient.firstName}: ${show(message.body)}`,
				);
			}
			const searches = requestsTo(sim, 'POST', '/api/user/search');
			ensure(searches.length > 0, 'no POST /api/user/search reached FusionAuth');
			equal(sim.requests.length, searches.length, 'requests besides the user search');
			for (const candidate of before.values()) {
				equal(user(sim, candidate.id).methods.length, candidate.methods.length, `methods of ${candidate.email}`);
			}
		},
	},
	{
		title: 'mfa-reminder-campaign / three executions of 3: an enrolled user drops out, a new one comes in, nobody twice',
		example: CAMPAIGN,
		patch(workflow) {
			setParameters(workflow, 'Next Users Without Two Factor', { limit: 3 });
		},
		executions: 3,
		async beforeExecution(sim, index) {
			// Demo users without a method: Nora, Emma, Olga; then four more, inserted after them.
			if (index === 0) for (const n of [1, 2, 3, 4]) sim.users.add(campaignUser(n));
			// Between the first and second batch: campaign2 enrolls before its turn, campaign5 arrives.
			if (index === 1) {
				await enrollAuthenticator(sim, campaignUser(2).id);
				sim.users.add(campaignUser(5));
			}
		},
		check({ results, smtp }) {
			const batches = results.map((run) => output(run, 'Next Users Without Two Factor').map((item) => item.email));
			equal(
				batches,
				[
					['nora.nomfa@example.com', 'emma.empty@example.com', 'olga.old@example.com'],
					['campaign1@example.com', 'campaign3@example.com', 'campaign4@example.com'],
					['campaign5@example.com'],
				],
				'users per execution (Limit 3, Continue From Last Run)',
			);
			// n8n saved the position after each `n8n execute`, and each execution emailed its own batch.
			equal(smtp.messages.map((message) => message.to.join(',')), batches.flat(), 'reminders in order, each once');
		},
	},
	{
		title: 'authenticator-enrollment / Nora gets an authenticator method',
		example: ENROLLMENT,
		check({ result, sim }) {
			const nora = DEMO_USERS.noMethods;
			const secret = single(result, 'Generate Secret');
			ensure(typeof secret.secret === 'string' && secret.secret.length > 0, `no secret from Generate Secret: ${show(secret)}`);
			ensure(
				typeof secret.otpauthUri === 'string' &&
					secret.otpauthUri.startsWith('otpauth://totp/Example%20Corp:nora.nomfa%40example.com?') &&
					secret.otpauthUri.includes(`secret=${String(secret.secretBase32Encoded)}`) &&
					secret.otpauthUri.includes('issuer=Example%20Corp'),
				`otpauthUri does not carry issuer, account and secret: ${show(secret.otpauthUri)}`,
			);
			const code = single(result, 'Compute Current Code');
			ensure(typeof code.code === 'string' && /^\d{6}$/.test(code.code), `Compute Current Code gave ${show(code)}`);
			const enabled = single(result, 'Enable Authenticator');
			const after = user(sim, nora.id);
			equal(after.methods.length, 1, "Nora's methods after enrollment");
			equal(after.methods[0].method, 'authenticator', "Nora's new method");
			equal(after.methods[0].secret, secret.secret, "the new method's secret");
			equal(after.methods[0].name, 'Authenticator app', "the new method's name");
			equal(enabled.recoveryCodes, after.recoveryCodes, 'recovery codes returned by Enable');
			equal(after.recoveryCodes.length, 10, 'number of recovery codes');
			const enable = requestsTo(sim, 'POST', `/api/user/two-factor/${nora.id}`);
			equal(enable.length, 1, 'enable requests');
			equal(JSON.parse(enable[0].body).code, code.code, 'code sent to FusionAuth');
			const summary = single(result, 'Enrollment Result');
			equal(summary.twoFactorEnabled, true, 'twoFactorEnabled in the result');
			equal((summary.methods as Json[]).map((method) => method.id), [after.methods[0].id], 'methods in the result');
			equal(summary.recoveryCodes, after.recoveryCodes, 'recovery codes in the result');
		},
	},
	{
		title: 'helpdesk-runbook / regenerate recovery codes',
		example: HELPDESK,
		check({ result, sim, before }) {
			const max = DEMO_USERS.multi;
			const old = before.get(max.id)!.recoveryCodes;
			const looked = single(result, 'Look Up User');
			equal((looked.twoFactorMethods as Json[]).map((method) => method.id), ['MX2A', 'MX3E', 'MX4S'], 'methods looked up');
			const codes = single(result, 'Codes For The User');
			const after = user(sim, max.id);
			equal(codes.recoveryCodes, after.recoveryCodes, 'recovery codes handed out vs. FusionAuth');
			equal(after.recoveryCodes.length, 10, 'number of new recovery codes');
			ensure(
				after.recoveryCodes.every((code) => !old.includes(code)),
				'the new recovery codes must replace the old ones',
			);
			equal(codes.deliverTo, max.email, 'deliverTo');
			equal(codes.ticket, 'HD-1042', 'ticket');
			equal(after.methods.map((method) => method.id), ['MX2A', 'MX3E', 'MX4S'], 'methods after regenerating codes');
			notRun(result, 'Remove All Methods');
			equal(requestsTo(sim, 'DELETE', '/api/user/two-factor').length, 0, 'DELETE requests');
			// The picker By Email: one lookup, then the recovery codes for the ID it found.
			equal(
				sim.requests.map((request) => `${request.method} ${request.path} ${JSON.stringify(request.query)}`),
				[`GET /api/user {"email":"${max.email}"}`, `POST /api/user/two-factor/recovery-code/${max.id} {}`],
				'requests',
			);
		},
	},
	{
		title: 'helpdesk-runbook / lost phone: the runbook deletes the passkeys, removes every method, signs the user out, in that order; the recovery codes stay hidden',
		example: HELPDESK,
		patch: (workflow) => setSample(workflow, 'Ticket', 'action', 'resetTwoFactor'),
		check({ result, sim, before }) {
			const max = DEMO_USERS.multi;
			notRun(result, 'Regenerate Recovery Codes');
			ensure(before.get(max.id)!.passkeys.length === 2 && before.get(max.id)!.refreshTokens.length === 2, 'Max should start with two passkeys and two sessions');
			const removed = single(result, 'Remove All Methods');
			equal(
				removed.removedMethods,
				[
					{ id: 'MX2A', method: 'authenticator', name: 'Authy', authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } },
					{ id: 'MX3E', method: 'email', email: 'max.multi@example.com' },
					{ id: 'MX4S', method: 'sms', name: 'Mobile', mobilePhone: '+15555550100' },
				],
				'removedMethods',
			);
			equal(removed.deletedPasskeys, 2, 'deletedPasskeys');
			equal(removed.signedOut, true, 'signedOut');
			const after = user(sim, max.id);
			equal(after.methods, [], "Max's methods after the reset");
			equal(after.passkeys, [], "Max's passkeys after the reset");
			equal(after.refreshTokens, [], "Max's refresh tokens after the reset");
			// Look Up User By Email, then Remove All by the ID it found: every read, then passkeys,
			// methods, and the sign-out last.
			equal(
				sim.requests.map((request) => `${request.method} ${request.path} ${Object.keys(request.query).join(',')}`),
				[
					'GET /api/user email',
					`GET /api/user/${max.id} `,
					'GET /api/webauthn userId',
					'DELETE /api/webauthn userId',
					`POST /api/user/two-factor/recovery-code/${max.id} `,
					`DELETE /api/user/two-factor/${max.id} code`,
					'DELETE /api/jwt/refresh userId',
				],
				'requests',
			);
			for (const request of [...requestsTo(sim, 'GET', '/api/webauthn'), ...requestsTo(sim, 'DELETE', '/api/webauthn'), ...requestsTo(sim, 'DELETE', '/api/jwt/refresh')]) {
				equal(request.query, { userId: max.id }, `the query of ${request.method} ${request.path}`);
			}
			const deletes = requestsTo(sim, 'DELETE', `/api/user/two-factor/${max.id}`);
			const code = deletes[0].query.code;
			ensure(typeof code === 'string' && code !== '', 'a recovery code was sent');
			const printed = result.command.stdout + result.command.stderr;
			ensure(!printed.includes(code), 'the recovery code must not appear in anything n8n execute printed (node outputs, errors, logs)');
			ensure(!printed.includes('BEGIN PUBLIC KEY'), "the passkeys' public keys must not appear in what n8n execute printed");
			const summary = single(result, 'Reset Result');
			equal(summary.removedMethods, 'MX2A (authenticator), MX3E (email), MX4S (sms)', 'removedMethods in the result');
			equal(summary.deletedPasskeys, 2, 'deletedPasskeys in the result');
			equal(summary.signedOut, true, 'signedOut in the result');
			equal(summary.userId, max.id, 'userId in the result');
		},
	},
	{
		title: 'helpdesk-runbook / lost phone for a user without methods or passkeys: signed out, the result says no method was removed, nothing is issued',
		example: HELPDESK,
		patch: (workflow) => {
			setSample(workflow, 'Ticket', 'action', 'resetTwoFactor');
			setSample(workflow, 'Ticket', 'email', DEMO_USERS.noMethods.email!);
		},
		check({ result, sim, before }) {
			const nora = DEMO_USERS.noMethods;
			equal(single(result, 'Reset Result').nextStep, 'The user has no two factor method: none was removed', 'nextStep');
			equal(single(result, 'Remove All Methods').deletedPasskeys, 0, 'deletedPasskeys');
			equal(user(sim, nora.id).recoveryCodes, before.get(nora.id)!.recoveryCodes, 'recovery codes afterwards');
			equal(
				sim.requests.map((request) => `${request.method} ${request.path}`),
				['GET /api/user', `GET /api/user/${nora.id}`, 'GET /api/webauthn', 'DELETE /api/jwt/refresh'],
				'requests: the lookup, the reads of methods and passkeys, the sign-out; nothing issued or deleted',
			);
		},
	},
	{
		title: 'helpdesk-runbook / a node saved with a plain-string user ID runs as before',
		example: HELPDESK,
		patch: (workflow) => {
			setParameters(workflow, 'Look Up User', { userId: DEMO_USERS.multi.id });
			setParameters(workflow, 'Regenerate Recovery Codes', { userId: "={{ $('Look Up User').item.json.id }}" });
		},
		check({ result, sim }) {
			const max = DEMO_USERS.multi;
			equal(single(result, 'Look Up User').id, max.id, 'user looked up');
			equal(single(result, 'Codes For The User').recoveryCodes, user(sim, max.id).recoveryCodes, 'recovery codes handed out');
			equal(
				sim.requests.map((request) => `${request.method} ${request.path}`),
				[`GET /api/user/${max.id}`, `POST /api/user/two-factor/recovery-code/${max.id}`],
				'requests',
			);
		},
	},
	{
		title: 'login-step-up-check / Erin gets the code by email',
		example: STEP_UP,
		async check({ result, sim }) {
			const erin = DEMO_USERS.email;
			const status = single(result, 'Check Two Factor Status');
			equal(status.twoFactorRequired, true, 'twoFactorRequired');
			equal(status.statusCode, 242, 'statusCode');
			const statusRequests = requestsTo(sim, 'POST', '/api/two-factor/status');
			equal(statusRequests.length, 1, 'POST /api/two-factor/status requests');
			equal(JSON.parse(statusRequests[0].body).action, 'stepUp', 'action sent with the status request');
			const started = single(result, 'Start Step-Up');
			ensure(typeof started.twoFactorId === 'string', `no twoFactorId from Start Step-Up: ${show(started)}`);
			const sent = single(result, 'Code Sent By Email');
			equal(sent.twoFactorId, started.twoFactorId, 'twoFactorId in the result');
			equal(sent.codeSentTo, erin.email, 'codeSentTo in the result');
			notRun(result, 'Ask For App Code');
			notRun(result, 'No Challenge Needed');
			const mails = sim.outbox.filter((message: OutboxMessage) => message.purpose === 'login');
			equal(mails.length, 1, 'login codes in the outbox');
			equal(mails[0].to, erin.email, 'outbox recipient');
			equal(mails[0].method, 'email', 'outbox channel');
			equal(mails[0].twoFactorId, started.twoFactorId, 'outbox twoFactorId');
			const send = requestsTo(sim, 'POST', `/api/two-factor/send/${String(started.twoFactorId)}`);
			equal(send.length, 1, 'send-for-login requests');
			equal(send[0].headers.authorization, undefined, 'Authorization header on send-for-login');
			equal(await completeLogin(sim, started.twoFactorId as string, mails[0].code), 200, 'login completed with the emailed code');
		},
	},
	{
		title: 'login-step-up-check / Alice is asked for her app code',
		example: STEP_UP,
		patch: (workflow) => setSample(workflow, 'Step-Up Request', 'userId', DEMO_USERS.authenticator.id),
		async check({ result, sim }) {
			const alice = DEMO_USERS.authenticator;
			equal(single(result, 'Check Two Factor Status').twoFactorRequired, true, 'twoFactorRequired');
			const ask = single(result, 'Ask For App Code');
			equal(ask.methods, ['authenticator'], 'methods in the result');
			notRun(result, 'Email The Code');
			equal(sim.outbox.length, 0, 'messages in the outbox');
			const code = sim.users.totp(alice.id);
			equal(await completeLogin(sim, ask.twoFactorId as string, code), 200, 'login completed with the authenticator code');
		},
	},
	{
		title: 'login-step-up-check / Nora without methods needs no challenge',
		example: STEP_UP,
		patch: (workflow) => setSample(workflow, 'Step-Up Request', 'userId', DEMO_USERS.noMethods.id),
		check({ result, sim }) {
			const status = single(result, 'Check Two Factor Status');
			equal(status.twoFactorRequired, false, 'twoFactorRequired');
			equal(status.statusCode, 200, 'statusCode');
			equal(single(result, 'No Challenge Needed'), { stepUpRequired: false, userId: DEMO_USERS.noMethods.id }, 'result');
			notRun(result, 'Start Step-Up');
			equal(requestsTo(sim, 'POST', '/api/two-factor/start').length, 0, 'start requests');
		},
	},
	{
		title: 'authenticator-enrollment / enabled as the user, with a JWT',
		example: ENROLLMENT,
		patch: async (workflow, sim) => {
			issuedJwt = await sim.issueJwt(DEMO_USERS.noMethods.id);
			setParameters(workflow, 'Enable Authenticator', { authenticateWith: 'jwt', jwt: issuedJwt, userId: undefined });
		},
		check({ result, sim }) {
			ensure(
				!(result.command.stdout + result.command.stderr).includes(issuedJwt),
				'the JWT appears in the output of n8n execute',
			);
			const nora = DEMO_USERS.noMethods;
			const enabled = single(result, 'Enable Authenticator');
			const enable = requestsTo(sim, 'POST', '/api/user/two-factor');
			equal(enable.map((request) => request.path), ['/api/user/two-factor'], 'enable request path (a JWT names the user)');
			const authorization = enable[0].rawHeaders.filter((_value, index, all) => index % 2 === 0 && all[index].toLowerCase() === 'authorization');
			equal(authorization.length, 1, 'Authorization headers on the JWT request');
			ensure(
				/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(String(enable[0].headers.authorization)),
				'the enable request should carry the JWT as a Bearer token, not the API key',
			);
			const after = user(sim, nora.id);
			equal(after.methods.map((method) => method.method), ['authenticator'], "Nora's methods");
			equal(enabled.recoveryCodes, after.recoveryCodes, 'recovery codes returned by Enable');
			equal(single(result, 'Enrollment Result').twoFactorEnabled, true, 'twoFactorEnabled in the result');
		},
	},
	{
		title: 'authenticator-enrollment / tenant id in the credential goes out as a header',
		example: ENROLLMENT,
		credential: 'tenant',
		check({ result, sim }) {
			equal(single(result, 'Enrollment Result').twoFactorEnabled, true, 'twoFactorEnabled in the result');
			ensure(sim.requests.length >= 3, `expected the secret, enable and user requests, got ${sim.requests.length}`);
			for (const request of sim.requests) {
				equal(request.headers['x-fusionauth-tenantid'], sim.tenantId, `tenant header on ${request.method} ${request.path}`);
			}
		},
	},
	{
		title: "helpdesk-runbook / unknown email: FusionAuth's 404 stops the run in plain words",
		example: HELPDESK,
		patch: (workflow) => setSample(workflow, 'Ticket', 'email', 'nobody@example.com'),
		expectError: true,
		check({ result, sim }) {
			const error = workflowError(result);
			equal(error.node, 'Look Up User', 'failing node');
			equal(error.message, 'No user with email "nobody@example.com"', 'error message');
			equal(sim.requests.map((request) => `${request.method} ${request.path}`), ['GET /api/user'], 'requests');
			notRun(result, 'Regenerate Recovery Codes');
		},
	},
	{
		title: 'helpdesk-runbook / an email saved as a plain-string user ID is refused before any request',
		example: HELPDESK,
		patch: (workflow) => setParameters(workflow, 'Look Up User', { userId: '={{ $json.email }}' }),
		expectError: true,
		check({ result, sim }) {
			const error = workflowError(result);
			equal(error.node, 'Look Up User', 'failing node');
			ensure(
				error.message.startsWith('User ID must be a UUID') && error.message.includes('[item 0]'),
				`the error should name the field and the item: ${show(error.message)}`,
			);
			equal(sim.requests.length, 0, 'requests sent to FusionAuth');
		},
	},
	{
		title: 'mfa-enrollment-reminder / a wrong API key stops the run before any email',
		example: REMINDER,
		credential: 'wrongKey',
		expectError: true,
		check({ result, sim, smtp }) {
			const error = workflowError(result);
			equal(error.node, 'Users Without Two Factor', 'failing node');
			equal(error.message, 'FusionAuth rejected the API key', 'error message');
			ensure(error.description.includes('/api/user/search'), `the description should name the endpoint: ${show(error.description)}`);
			ensure(sim.requests.length > 0, 'the search should have reached FusionAuth');
			equal(smtp.messages.length, 0, 'emails sent');
			notRun(result, 'Send Reminder');
		},
	},
	{
		title: 'mfa-enrollment-reminder / a server that redirects to another origin gets nothing followed',
		example: REMINDER,
		credential: 'redirecting',
		expectError: true,
		check({ result, sim, smtp }) {
			const error = workflowError(result);
			equal(error.node, 'Users Without Two Factor', 'failing node');
			equal(
				error.message,
				`FusionAuth answered ${REDIRECT_STATUS}, a redirect to ${sim.url}/api/user/search, which the node does not follow: nothing was sent there`,
				'error message',
			);
			// The redirect pointed at the simulator: had n8n followed it, the key and the search would be there.
			equal(sim.requests.length, 0, 'requests that reached the redirect target');
			equal(smtp.messages.length, 0, 'emails sent');
		},
	},
	// MFA policy: the application's own policy set with a PATCH that holds nothing else, then read back.
	{
		title: 'require-mfa-for-an-application / the application gets its own Required policy, nothing else changes',
		example: REQUIRE_MFA,
		check({ result, sim }) {
			const methods = { authenticator: true, email: true, sms: true, voice: false };
			const inherited = { target: 'application', id: sim.applicationId, name: 'Simulator Application', tenantId: sim.tenantId, loginPolicy: 'Enabled', loginPolicySetBy: 'tenant', methods };
			equal(single(result, 'Policy Before'), inherited, 'the policy before: the tenant\'s');
			const own = { target: 'application', id: sim.applicationId, name: 'Simulator Application', tenantId: sim.tenantId, loginPolicy: 'Required', loginPolicySetBy: 'application', trustPolicy: 'This', methods };
			equal(single(result, 'Require MFA'), own, 'Require MFA output');
			equal(single(result, 'Read Back Policy'), own, 'the policy read back');
			equal(
				single(result, 'Policy Applied').result,
				'The login policy of Simulator Application is now Required (was Enabled, set by the tenant)',
				'result',
			);
			notRun(result, 'Policy Not Applied');
			const patches = requestsTo(sim, 'PATCH', '/api/');
			equal(patches.map((request) => request.path), [`/api/application/${sim.applicationId}`], 'PATCH requests');
			// Exactly this body: nothing else of the application is sent, so nothing else can change.
			equal(patches[0].body, JSON.stringify({ application: { multiFactorConfiguration: { loginPolicy: 'Required', trustPolicy: 'This' } } }), 'PATCH body');
			equal(patches[0].headers['content-type'], 'application/json', 'PATCH content type');
			equal(
				sim.requests.map((request) => `${request.method} ${request.path}`),
				[
					`GET /api/application/${sim.applicationId}`,
					`GET /api/tenant/${sim.tenantId}`,
					`PATCH /api/application/${sim.applicationId}`,
					`GET /api/tenant/${sim.tenantId}`,
					`GET /api/application/${sim.applicationId}`,
					`GET /api/tenant/${sim.tenantId}`,
				],
				'requests',
			);
			const application = sim.tenants.application() as Json;
			equal(application.multiFactorConfiguration, { email: {}, sms: {}, voice: {}, loginPolicy: 'Required', trustPolicy: 'This' }, "the application's MFA settings in FusionAuth");
			equal(application.oauthConfiguration, { clientId: sim.applicationId, clientSecret: `sim-client-secret-${sim.applicationId.slice(0, 8)}`, enabledGrants: ['authorization_code'] }, "the application's other settings");
			const tenant = sim.tenants.tenant() as Json;
			equal(tenant.multiFactorConfiguration, DEFAULT_TENANT_MFA, "the tenant's MFA settings");
			equal(tenant.lastUpdateInstant, tenant.insertInstant, 'the tenant, never updated');
			ensure(!JSON.stringify(result.nodes).includes('sim-client-secret'), "the application's client secret appears in the run data");
		},
	},
	{
		title: 'require-mfa-for-an-application / an application that does not exist stops the run before any change',
		example: REQUIRE_MFA,
		patch: (workflow) => setSample(workflow, 'Policy Request', 'applicationId', '0b5a0d52-0000-4000-8000-000000000000'),
		expectError: true,
		check({ result, sim }) {
			const error = workflowError(result);
			equal(error.node, 'Policy Before', 'failing node');
			equal(error.message, 'Application 0b5a0d52-0000-4000-8000-000000000000 not found', 'error message');
			equal(requestsTo(sim, 'PATCH', '/api/').length, 0, 'PATCH requests');
			notRun(result, 'Require MFA');
		},
	},
];
