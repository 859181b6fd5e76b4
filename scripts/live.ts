import { randomBytes, randomUUID } from 'crypto';

import type { DemoStep } from './demo';
import { runDemo } from './demo';

/**
 * The demo's four flows against a real FusionAuth, on a user created for the run and deleted
 * afterwards. Opt-in: without FUSIONAUTH_BASE_URL and FUSIONAUTH_API_KEY it says so and stops.
 */
export async function runLive(report: (step: DemoStep) => void = () => {}): Promise<number> {
	const env = process.env;
	const baseUrl = env.FUSIONAUTH_BASE_URL?.trim().replace(/\/+$/, '');
	const apiKey = env.FUSIONAUTH_API_KEY;
	if (!baseUrl || !apiKey) {
		process.stdout.write(
			'live FusionAuth tests skipped: set FUSIONAUTH_BASE_URL and FUSIONAUTH_API_KEY (and FUSIONAUTH_TENANT_ID, FUSIONAUTH_APPLICATION_ID if needed)\n',
		);
		return 0;
	}
	const tenantId = env.FUSIONAUTH_TENANT_ID?.trim() ?? '';
	const headers: Record<string, string> = { Authorization: apiKey, 'Content-Type': 'application/json' };
	if (tenantId) headers['X-FusionAuth-TenantId'] = tenantId;

	const userId = randomUUID();
	const email = `n8n-nodes-fusionauth-live-${userId.slice(0, 8)}@example.com`;
	const created = await fetch(`${baseUrl}/api/user/${userId}`, {
		method: 'POST',
		headers,
		body: JSON.stringify({
			user: { email, password: randomBytes(18).toString('base64url'), firstName: 'Live', lastName: 'Test' },
			skipVerification: true,
			sendSetPasswordEmail: false,
		}),
	});
	if (!created.ok) {
		process.stdout.write(`live: could not create the test user (${created.status}): ${await created.text()}\n`);
		return 1;
	}
	process.stdout.write(`live: FusionAuth at ${baseUrl}, test user ${email}\n`);

	const checks: Array<[string, boolean]> = [];
	try {
		const steps = await runDemo(
			{
				credentials: { baseUrl, apiKey, tenantId },
				userId,
				userEmail: email,
				applicationId: env.FUSIONAUTH_APPLICATION_ID?.trim() || undefined,
			},
			report,
		);
		const output = (name: string) => steps.find((step) => step.step.startsWith(name))?.output ?? [];
		checks.push(
			['generate secret gives an otpauth URI', String(output('Generate Secret')[0]?.otpauthUri).startsWith('otpauth://totp/')],
			['enable hands out ten recovery codes', (output('Enable')[0]?.recoveryCodes as unknown[])?.length === 10],
			['start login gives a twoFactorId', typeof output('Start Login')[0]?.twoFactorId === 'string'],
			['complete login succeeds', [200, 202].includes(Number(output('Complete Login')[0]?.statusCode))],
			['the enrolled user is not among the users without MFA', !output('Get Many Users').some((user) => user.id === userId)],
			['a recovery code removes every method', output('Get User')[0]?.twoFactorEnabled === false],
		);
	} catch (error) {
		checks.push([`the flows run (${(error as Error).message})`, false]);
	} finally {
		await fetch(`${baseUrl}/api/user/${userId}?hardDelete=true`, { method: 'DELETE', headers });
	}
	for (const [name, passed] of checks) process.stdout.write(`${passed ? 'PASS' : 'FAIL'} ${name}\n`);
	const failed = checks.filter(([, passed]) => !passed).length;
	process.stdout.write(`${checks.length - failed} passed, ${failed} failed\n`);
	return failed === 0 ? 0 : 1;
}

if (require.main === module) {
	runLive().then(
		(code) => process.exit(code),
		(error: Error) => {
			process.stderr.write(`live: ${error.message}\n`);
			process.exit(1);
		},
	);
}
