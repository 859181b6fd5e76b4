/** Fault injection: latency, replacement statuses with Retry-After, dropped sockets, hangs. */
import { DEFAULT_API_KEY, DEMO_USERS, FaultOptions, Simulator, startSimulator } from './server';

const { authenticator: alice } = DEMO_USERS;

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator();
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.reset();
});

type Outcome = number | 'dropped';

async function getUser(init: RequestInit = {}): Promise<Outcome> {
	try {
		const response = await fetch(`${sim.url}/api/user/${alice.id}`, { headers: { Authorization: DEFAULT_API_KEY }, ...init });
		await response.text();
		return response.status;
	} catch (error) {
		if ((error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError') {
			throw error;
		}
		return 'dropped';
	}
}

async function outcomes(count: number): Promise<Outcome[]> {
	const out: Outcome[] = [];
	for (let i = 0; i < count; i++) {
		out.push(await getUser());
	}
	return out;
}

async function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error('Condition not met in time');
		}
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

describe('faults', () => {
	it('adds latency to every request', async () => {
		sim.setFaults({ latencyMs: 120 });
		const started = Date.now();
		expect(await getUser()).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
	});

	it('answers 503 with a JSON body and Retry-After to the first N requests, then recovers', async () => {
		sim.setFaults({ status: 503, statusFirst: 2, retryAfterSeconds: 7 });
		const response = await fetch(`${sim.url}/api/user/${alice.id}`, { headers: { Authorization: DEFAULT_API_KEY } });
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('7');
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(((await response.json()) as { generalErrors: unknown[] }).generalErrors).toHaveLength(1);
		expect(await outcomes(2)).toEqual([503, 200]);
	});

	it('answers 500 with an empty body to an exact fraction of requests, spread evenly', async () => {
		sim.setFaults({ status: 500, statusRate: 0.5 });
		expect(await outcomes(6)).toEqual([200, 500, 200, 500, 200, 500]);
		sim.setFaults({ status: 500, statusRate: 0.25 });
		expect(await outcomes(8)).toEqual([200, 200, 200, 500, 200, 200, 200, 500]);
		const response = await fetch(`${sim.url}/api/user/${alice.id}`, { headers: { Authorization: DEFAULT_API_KEY } });
		expect(response.status).toBe(200);
		sim.setFaults({ status: 500 });
		const failed = await fetch(`${sim.url}/api/user/${alice.id}`, { headers: { Authorization: DEFAULT_API_KEY } });
		expect(failed.status).toBe(500);
		expect(await failed.text()).toBe('');
	});

	it('repeats the same pattern for the same seed', async () => {
		const faults: FaultOptions = { status: 503, statusRate: 0.4, seed: 1234 };
		sim.setFaults(faults);
		const first = await outcomes(12);
		sim.setFaults(faults);
		expect(await outcomes(12)).toEqual(first);
		expect(first).toContain(503);
		expect(first).toContain(200);
	});

	it('destroys the socket without an answer for dropped requests, and handles nothing', async () => {
		sim.setFaults({ dropFirst: 1 });
		const dropped = await fetch(`${sim.url}/api/user/two-factor/recovery-code/${alice.id}`, { method: 'POST', headers: { Authorization: DEFAULT_API_KEY } }).then(
			() => 'answered',
			() => 'dropped',
		);
		expect(dropped).toBe('dropped');
		const before = sim.users.get(alice.id)?.recoveryCodes;
		expect(sim.requests[0].status).toBeUndefined();
		expect(await getUser()).toBe(200);
		expect(sim.users.get(alice.id)?.recoveryCodes).toEqual(before);
	});

	it('drops a fraction of requests deterministically', async () => {
		sim.setFaults({ dropRate: 1 / 3 });
		expect(await outcomes(6)).toEqual([200, 200, 'dropped', 200, 200, 'dropped']);
	});

	it('can drop after handling, so the side effect happens but the client sees no answer', async () => {
		const before = sim.users.get(alice.id)?.recoveryCodes;
		sim.setFaults({ dropFirst: 1, dropAfterHandling: true });
		const result = await fetch(`${sim.url}/api/user/two-factor/recovery-code/${alice.id}`, { method: 'POST', headers: { Authorization: DEFAULT_API_KEY } }).then(
			() => 'answered',
			() => 'dropped',
		);
		expect(result).toBe('dropped');
		expect(sim.users.get(alice.id)?.recoveryCodes).not.toEqual(before);
	});

	it('hangs so a client timeout fires, and frees the request when the client gives up', async () => {
		sim.setFaults({ hangMs: 5_000 });
		const started = Date.now();
		await expect(getUser({ signal: AbortSignal.timeout(80) })).rejects.toThrow();
		expect(Date.now() - started).toBeLessThan(1_000);
		await waitFor(() => sim.stats.inFlight === 0);
		sim.setFaults(undefined);
		expect(await getUser()).toBe(200);
	});

	it('answers after the hang when the client waits', async () => {
		sim.setFaults({ hangMs: 100 });
		const started = Date.now();
		expect(await getUser()).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(90);
	});

	it('limits faults to some paths and changes them at runtime', async () => {
		sim.setFaults({ status: 503, paths: ['/api/two-factor/'] });
		expect(await getUser()).toBe(200);
		const secret = await fetch(`${sim.url}/api/two-factor/secret`, { headers: { Authorization: DEFAULT_API_KEY } });
		expect(secret.status).toBe(503);
		sim.setFaults();
		const again = await fetch(`${sim.url}/api/two-factor/secret`, { headers: { Authorization: DEFAULT_API_KEY } });
		expect(again.status).toBe(200);
	});

	it('counts requests and the most in flight at once', async () => {
		sim.setFaults({ latencyMs: 100 });
		const results = await Promise.all(Array.from({ length: 5 }, () => getUser()));
		expect(results).toEqual([200, 200, 200, 200, 200]);
		expect(sim.stats.requestsTotal).toBe(5);
		expect(sim.stats.maxInFlight).toBe(5);
		expect(sim.stats.inFlight).toBe(0);
		sim.resetStats();
		sim.setFaults();
		await getUser();
		expect(sim.stats).toEqual({ requestsTotal: 1, inFlight: 0, maxInFlight: 1 });
	});

	it('takes faults from the start options', async () => {
		const faulty = await startSimulator({ faults: { status: 503, statusFirst: 1 } });
		try {
			const first = await fetch(`${faulty.url}/api/two-factor/secret`, { headers: { Authorization: DEFAULT_API_KEY } });
			const second = await fetch(`${faulty.url}/api/two-factor/secret`, { headers: { Authorization: DEFAULT_API_KEY } });
			expect([first.status, second.status]).toEqual([503, 200]);
		} finally {
			await faulty.close();
		}
	});
});
