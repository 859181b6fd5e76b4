import { redact, runDemo } from '../scripts/demo';
import type { DemoStep } from '../scripts/demo';
import { useSimulator } from './harness/lifecycle';
import { DEMO_USERS } from './simulator/server';

const simulator = useSimulator();

test('the demo runs its four flows against the simulator and leaves the user as it found them', async () => {
	const user = DEMO_USERS.noMethods;
	const seen: DemoStep[] = [];
	const steps = await runDemo(
		{
			credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey, tenantId: simulator.tenantId },
			userId: user.id,
			userEmail: user.email,
			applicationId: simulator.applicationId,
		},
		(step) => seen.push(step),
	);
	expect(seen).toEqual(steps);
	const output = (name: string) => steps.find((step) => step.step.startsWith(name))!.output;

	const [secret] = output('Generate Secret');
	expect(secret.otpauthUri).toBe(
		`otpauth://totp/Example%20Corp:${encodeURIComponent(user.email)}?secret=${secret.secretBase32Encoded}&issuer=Example%20Corp&algorithm=SHA1&digits=6&period=30`,
	);
	expect(output('Enable')[0].recoveryCodes).toHaveLength(10);
	const [login] = output('Complete Login');
	expect(login.statusCode).toBe(200);
	expect(typeof login.token).toBe('string');
	const withoutMfa = output('Get Many Users').map((entry) => entry.id);
	expect(withoutMfa).not.toContain(user.id);
	expect(withoutMfa).toContain(DEMO_USERS.emptyMethods.id);
	expect(output('Disable')[0]).toEqual({ success: true });
	expect(output('Get User')[0]).toMatchObject({ id: user.id, twoFactorEnabled: false, twoFactorMethods: [] });
	expect(simulator.users.get(user.id)!.methods).toEqual([]);
});

test('the demo never prints tokens', () => {
	expect(redact([{ token: 'eyJ.a.b', user: { refreshToken: 'r-1', email: 'a@b.c' } }])).toEqual([
		{ token: '(a token, not shown)', user: { refreshToken: '(a token, not shown)', email: 'a@b.c' } },
	]);
});

test("the demo's trigger receives the event of flow 4 (a method removed), verified, and removes its webhook", async () => {
	const { watchEvents } = await import('../scripts/demoEvent');
	const user = DEMO_USERS.noMethods;
	const watch = await watchEvents(simulator, ['user.two-factor.method.remove']);
	expect(simulator.webhooks.list()).toHaveLength(1);
	await runDemo(
		{
			credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey, tenantId: simulator.tenantId },
			userId: user.id,
			userEmail: user.email,
			applicationId: simulator.applicationId,
		},
		() => undefined,
	);
	const items = await watch.stop();
	expect(items).toHaveLength(1);
	expect(items[0]).toMatchObject({ eventType: 'user.two-factor.method.remove', userId: user.id, email: user.email, method: 'authenticator' });
	expect(simulator.webhooks.list()).toEqual([]);
	expect(simulator.webhooks.deliveries.map((attempt) => attempt.status)).toEqual([200]);
});
