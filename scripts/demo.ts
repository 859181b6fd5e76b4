import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode } from '../test/harness/n8n';
import { DEMO_USERS, startSimulator } from '../test/simulator/server';
import { watchEvents } from './demoEvent';

/** Where the demo runs: the embedded simulator, or a real FusionAuth from the environment. */
export interface DemoTarget {
	credentials: ICredentialDataDecryptedObject;
	/** A user without two factor, enrolled and then cleaned up again by the flows. */
	userId: string;
	userEmail: string;
	/** The application the login is for; FusionAuth's tenant-wide settings apply without one. */
	applicationId?: string;
}

export interface DemoStep {
	flow: string;
	step: string;
	output: IDataObject[];
}

const TOKEN_FIELDS = new Set(['token', 'refreshToken', 'jwt', 'accessToken', 'id_token']);

/** What the demo prints of an item: tokens are never shown. */
export function redact(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(redact);
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [
				key,
				TOKEN_FIELDS.has(key) && typeof entry === 'string' ? '(a token, not shown)' : redact(entry),
			]),
		);
	}
	return value;
}

/**
 * The four flows, each step one run of the node through n8n's WorkflowExecute, the output of
 * one step feeding the next as items do in a workflow.
 */
export async function runDemo(target: DemoTarget, report: (step: DemoStep) => void): Promise<DemoStep[]> {
	const steps: DemoStep[] = [];
	const step = async (flow: string, name: string, parameters: INodeParameters, items: IDataObject[] = [{}]) => {
		const result = await runNode({ parameters, items, credentials: target.credentials });
		if (result.error) {
			throw new Error(`${flow} / ${name}: ${result.error.message}${result.error.description ? ` (${result.error.description})` : ''}`);
		}
		const output = result.output.map((item) => item.json);
		const entry = { flow, step: name, output };
		steps.push(entry);
		report(entry);
		return output;
	};

	// 1. Authenticator enrollment: secret with an otpauth URI -> the app's code -> enable.
	const enroll = '1. Enroll a user in authenticator MFA';
	const [secret] = await step(enroll, 'Generate Secret (with otpauth URI)', {
		resource: 'secret',
		operation: 'generate',
		additionalFields: { issuer: 'Example Corp', accountName: target.userEmail },
	});
	const [appCode] = await step(
		enroll,
		'Generate TOTP (what the authenticator app shows)',
		{ resource: 'code', operation: 'generateTotp', secret: '={{ $json.secret }}', secretEncoding: 'base64' },
		[secret],
	);
	const [enabled] = await step(
		enroll,
		'Enable (receives the recovery codes)',
		{
			resource: 'twoFactor',
			operation: 'enable',
			userId: target.userId,
			method: 'authenticator',
			code: '={{ $json.code }}',
			secret: '={{ $json.secret }}',
		},
		[{ secret: secret.secret, code: appCode.code }],
	);

	// 2. A two-factor login: start it, answer with the app's code.
	const login = '2. Complete a two-factor login';
	const [started] = await step(login, 'Start Login', {
		resource: 'login',
		operation: 'start',
		startBy: 'userId',
		userId: target.userId,
		applicationId: target.applicationId ?? '',
	});
	const [loginCode] = await step(
		login,
		'Generate TOTP',
		{ resource: 'code', operation: 'generateTotp', secret: '={{ $json.secret }}', secretEncoding: 'base64' },
		[{ secret: secret.secret }],
	);
	await step(
		login,
		'Complete Login',
		{ resource: 'login', operation: 'complete', twoFactorId: '={{ $json.twoFactorId }}', code: '={{ $json.code }}' },
		[{ twoFactorId: started.twoFactorId, code: loginCode.code }],
	);

	// 3. The enrollment-reminder list.
	await step('3. Find users without MFA', 'Get Many Users (two factor not enabled)', {
		resource: 'user',
		operation: 'getMany',
		twoFactorStatus: 'notEnabled',
		returnAll: false,
		limit: 25,
	});

	// 4. Lost phone: a recovery code removes every method.
	const recover = '4. Disable with a recovery code';
	const recoveryCodes = enabled.recoveryCodes as string[] | undefined;
	if (!recoveryCodes?.length) throw new Error('Enable returned no recovery codes: the user had a method already');
	await step(
		recover,
		'Disable (code = a recovery code)',
		{ resource: 'twoFactor', operation: 'disable', userId: target.userId, code: '={{ $json.recoveryCode }}' },
		[{ recoveryCode: recoveryCodes[0] }],
	);
	await step(recover, 'Get User (two factor is off again)', {
		resource: 'user',
		operation: 'get',
		userId: target.userId,
	});
	return steps;
}

/** A user in a line's worth of fields; the rest of FusionAuth's user object is noise here. */
function summarize(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(summarize);
	if (value && typeof value === 'object') {
		const object = value as IDataObject;
		if (typeof object.id === 'string' && 'registrations' in object) {
			const { id, email, twoFactorEnabled, twoFactorMethods } = object;
			return { id, email, twoFactorEnabled, twoFactorMethods };
		}
		return Object.fromEntries(Object.entries(object).map(([key, entry]) => [key, summarize(entry)]));
	}
	return value;
}

let lastFlow: string | undefined;

function print(step: DemoStep) {
	const shown = step.output.length > 8 ? step.output.slice(0, 8) : step.output;
	const lines = JSON.stringify(summarize(redact(shown)), null, 2);
	if (step.flow !== lastFlow) process.stdout.write(`\n${step.flow}\n`);
	lastFlow = step.flow;
	process.stdout.write(`  ${step.step}: ${step.output.length} item(s)\n`);
	process.stdout.write(`${lines.replace(/^/gm, '    ')}\n`);
	if (step.output.length > 8) process.stdout.write(`    ... and ${step.output.length - 8} more\n`);
}

async function main() {
	if (process.env.FUSIONAUTH_BASE_URL) {
		// Against a real server the flows run on a user made for the purpose: see scripts/live.ts.
		const { runLive } = await import('./live');
		process.exit(await runLive(print));
	}
	const simulator = await startSimulator();
	process.stdout.write(`FusionAuth simulator at ${simulator.url} (set FUSIONAUTH_BASE_URL to use a real server)\n`);
	try {
		// The trigger listens while the flows run: flow 4 removes the user's method.
		const watch = await watchEvents(simulator, ['user.two-factor.method.remove']);
		await runDemo(
			{
				credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey, tenantId: simulator.tenantId },
				userId: DEMO_USERS.noMethods.id,
				userEmail: DEMO_USERS.noMethods.email,
				applicationId: simulator.applicationId,
			},
			print,
		);
		print({ flow: '5. An event arrives (FusionAuth Two Factor Trigger)', step: 'user.two-factor.method.remove, verified', output: await watch.stop() });
		process.stdout.write(`\nAll four flows succeeded, and the trigger received their event.\n`);
	} finally {
		await simulator.close();
	}
}

if (require.main === module) {
	main().catch((error: Error) => {
		process.stderr.write(`\nDemo failed: ${error.message}\n`);
		process.exit(1);
	});
}
