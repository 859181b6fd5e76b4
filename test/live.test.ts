import { runLive } from '../scripts/live';
import type { Simulator } from './simulator/server';
import { startSimulator } from './simulator/server';

// `npm run test:live` against a server that behaves like FusionAuth: the simulator.
let simulator: Simulator;
const saved = { ...process.env };
let written: string[];

beforeAll(async () => {
	simulator = await startSimulator();
});

afterAll(async () => {
	await simulator.close();
});

beforeEach(() => {
	written = [];
	jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
		written.push(String(chunk));
		return true;
	});
});

afterEach(() => {
	jest.restoreAllMocks();
	process.env = { ...saved };
});

test('without a server configured it says the live tests were skipped, and passes', async () => {
	delete process.env.FUSIONAUTH_BASE_URL;
	delete process.env.FUSIONAUTH_API_KEY;
	expect(await runLive()).toBe(0);
	expect(written.join('')).toMatch(/^live FusionAuth tests skipped: set FUSIONAUTH_BASE_URL and FUSIONAUTH_API_KEY/);
});

test('with a server it runs the four flows on a user of its own and deletes that user', async () => {
	const before = simulator.users.list().map((user) => user.id);
	process.env.FUSIONAUTH_BASE_URL = `${simulator.url}/`;
	process.env.FUSIONAUTH_API_KEY = simulator.apiKey;
	process.env.FUSIONAUTH_TENANT_ID = simulator.tenantId;
	delete process.env.FUSIONAUTH_APPLICATION_ID;
	expect(await runLive()).toBe(0);
	const text = written.join('');
	expect(text).toContain('6 passed, 0 failed');
	expect(text).not.toContain('FAIL');
	expect(text).not.toContain(simulator.apiKey);
	expect(simulator.users.list().map((user) => user.id)).toEqual(before);
	const created = simulator.requests.find((request) => request.method === 'POST' && /^\/api\/user\/[0-9a-f-]{36}$/.test(request.path));
	expect(created).toBeDefined();
	expect(simulator.requests.some((request) => request.method === 'DELETE' && request.path === created!.path)).toBe(true);
});

test('with a wrong key it fails and says why', async () => {
	process.env.FUSIONAUTH_BASE_URL = simulator.url;
	process.env.FUSIONAUTH_API_KEY = 'not-the-key';
	expect(await runLive()).toBe(1);
	expect(written.join('')).toContain('could not create the test user (401)');
});
