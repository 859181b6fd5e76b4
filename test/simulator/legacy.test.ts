/**
 * The legacy generation (FusionAuth 1.25 and earlier), driven with the request shapes the
 * Elixir client 0.3.0 sends: one secret per user, {code, delivery, secret}, DELETE ?code=.
 */
import { DEFAULT_API_KEY, DEMO_AUTHENTICATOR_SECRET, DEMO_PASSWORD, DEMO_USERS, Simulator, startSimulator } from './server';
import { base32Decode, base64Decode, totp } from './totp';

const START = Date.UTC(2026, 0, 15, 12, 0, 0);
let clock = START;
const now = (): number => clock;

const { noMethods: nora, authenticator: alice, sms: sam } = DEMO_USERS;
const ALICE_KEY = base64Decode(DEMO_AUTHENTICATOR_SECRET) as Buffer;

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ generation: 'legacy', now });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	clock = START;
	sim.reset();
});

interface Answer {
	status: number;
	text: string;
	json: () => Record<string, unknown>;
}

async function call(method: string, path: string, options: { body?: unknown; auth?: string | null; server?: Simulator } = {}): Promise<Answer> {
	const headers: Record<string, string> = {};
	const auth = options.auth === undefined ? DEFAULT_API_KEY : options.auth;
	if (auth !== null) {
		headers.Authorization = auth;
	}
	if (options.body !== undefined) {
		headers['Content-Type'] = 'application/json';
	}
	const response = await fetch((options.server ?? sim).url + path, {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

function codes(answer: Answer): Record<string, string[]> {
	const fieldErrors = answer.json().fieldErrors as Record<string, Array<{ code: string }>>;
	return Object.fromEntries(Object.entries(fieldErrors).map(([field, list]) => [field, list.map((entry) => entry.code)]));
}

async function newSecret(): Promise<{ secret: string; key: Buffer }> {
	const answer = await call('GET', '/api/two-factor/secret');
	const secret = answer.json().secret as string;
	return { secret, key: base64Decode(secret) as Buffer };
}

describe('legacy generation', () => {
	it('generates a secret with an API key or a JWT', async () => {
		const byKey = await call('GET', '/api/two-factor/secret');
		expect(byKey.status).toBe(200);
		const body = byKey.json();
		expect(base32Decode(body.secretBase32Encoded as string)).toEqual(base64Decode(body.secret as string));
		expect((await call('GET', '/api/two-factor/secret', { auth: `Bearer ${await sim.issueJwt(nora.id)}` })).status).toBe(200);
		expect((await call('GET', '/api/two-factor/secret', { auth: 'wrong' })).status).toBe(401);
	});

	it('enables by user id with {code, delivery, secret}; the user shows twoFactorEnabled, never the secret', async () => {
		const { secret, key } = await newSecret();
		const enabled = await call('POST', `/api/user/two-factor/${nora.id}`, { body: { code: totp(key, clock), delivery: 'None', secret } });
		expect(enabled).toMatchObject({ status: 200, text: '' });
		const user = (await call('GET', `/api/user/${nora.id}`)).json().user as Record<string, unknown>;
		expect(user.twoFactorEnabled).toBe(true);
		expect(user.twoFactorDelivery).toBe('None');
		expect(user).not.toHaveProperty('twoFactorSecret');
		expect(user).not.toHaveProperty('twoFactor');
		expect(JSON.stringify(user)).not.toContain(secret);
	});

	it('answers an empty 421 to a wrong code and 400 to missing fields or TextMessage without a phone', async () => {
		const { secret } = await newSecret();
		expect(await call('POST', `/api/user/two-factor/${nora.id}`, { body: { code: '000000', delivery: 'None', secret } })).toMatchObject({ status: 421, text: '' });
		const blank = await call('POST', `/api/user/two-factor/${nora.id}`, { body: { delivery: 'None' } });
		expect(codes(blank)).toEqual({ code: ['[blank]code'], secret: ['[blank]secret'] });
		const noPhone = await call('POST', `/api/user/two-factor/${nora.id}`, { body: { code: '123456', delivery: 'TextMessage', secret } });
		expect(codes(noPhone)).toEqual({ mobilePhone: ['[blank]mobilePhone'] });
		const badDelivery = await call('POST', `/api/user/two-factor/${nora.id}`, { body: { code: '123456', delivery: 'Pigeon', secret } });
		expect(codes(badDelivery)).toEqual({ delivery: ['[invalidJSON]'] });
	});

	it('enables and disables with a JWT on /api/user/two-factor', async () => {
		const jwt = `Bearer ${await sim.issueJwt(nora.id)}`;
		const { secret, key } = await newSecret();
		expect((await call('POST', '/api/user/two-factor', { auth: jwt, body: { code: totp(key, clock), delivery: 'None', secret } })).status).toBe(200);
		expect((await call('DELETE', `/api/user/two-factor?code=${totp(key, clock)}`, { auth: jwt })).status).toBe(200);
		expect(sim.users.get(nora.id)?.legacy.twoFactorEnabled).toBe(false);
	});

	it('disables by user id with ?code= and answers 421 to a wrong code, 400 to none', async () => {
		expect((await call('DELETE', `/api/user/two-factor/${alice.id}?code=000000`)).status).toBe(421);
		expect(codes(await call('DELETE', `/api/user/two-factor/${alice.id}`))).toEqual({ code: ['[blank]code'] });
		expect(await call('DELETE', `/api/user/two-factor/${alice.id}?code=${totp(ALICE_KEY, clock)}`)).toMatchObject({ status: 200, text: '' });
		const user = (await call('GET', `/api/user/${alice.id}`)).json().user as Record<string, unknown>;
		expect(user.twoFactorEnabled).toBe(false);
	});

	it('sends a code by text message to a user ({userId}), to a phone ({mobilePhone, secret}) and with a JWT ({})', async () => {
		expect((await call('POST', '/api/two-factor/send', { body: { userId: sam.id } })).status).toBe(200);
		const toUser = sim.outbox[sim.outbox.length - 1];
		expect(toUser).toMatchObject({ to: sam.mobilePhone, method: 'sms', userId: sam.id });
		expect(toUser.code).toBe(sim.users.totp(sam.id));
		expect((await call('DELETE', `/api/user/two-factor/${sam.id}?code=${toUser.code}`)).status).toBe(200);

		const { secret, key } = await newSecret();
		expect((await call('POST', '/api/two-factor/send', { body: { mobilePhone: '+15555550777', secret } })).status).toBe(200);
		expect(sim.outbox[sim.outbox.length - 1]).toMatchObject({ to: '+15555550777', code: totp(key, clock) });

		sim.reset();
		expect((await call('POST', '/api/two-factor/send', { auth: `Bearer ${await sim.issueJwt(sam.id)}`, body: {} })).status).toBe(200);
		expect(sim.outbox[sim.outbox.length - 1]).toMatchObject({ to: sam.mobilePhone, userId: sam.id });
	});

	it('answers 400 when sending to a user without two factor or without a phone', async () => {
		expect(codes(await call('POST', '/api/two-factor/send', { body: { userId: nora.id } }))).toEqual({ userId: ['[notEnabled]userId'] });
		expect(codes(await call('POST', '/api/two-factor/send', { body: { userId: alice.id } }))).toEqual({ mobilePhone: ['[blank]mobilePhone'] });
		expect(codes(await call('POST', '/api/two-factor/send', { body: {} }))).toEqual({ userId: ['[missing]userId'] });
	});

	it('logs in: 242 {twoFactorId} (text message sent at once for TextMessage users), send/{twoFactorId} {}, complete', async () => {
		const login = await call('POST', '/api/login', { body: { loginId: sam.email, password: DEMO_PASSWORD } });
		expect(login.status).toBe(242);
		expect(Object.keys(login.json())).toEqual(['twoFactorId']);
		const twoFactorId = login.json().twoFactorId as string;
		expect(sim.outbox).toHaveLength(1);
		expect(sim.outbox[0]).toMatchObject({ purpose: 'login', to: sam.mobilePhone, twoFactorId });

		expect(await call('POST', `/api/two-factor/send/${twoFactorId}`, { auth: null, body: {} })).toMatchObject({ status: 200, text: '' });
		expect(sim.outbox).toHaveLength(2);
		expect((await call('POST', '/api/two-factor/login', { auth: null, body: { twoFactorId, code: '000000' } })).status).toBe(421);
		const completed = await call('POST', '/api/two-factor/login', { auth: null, body: { twoFactorId, code: sim.outbox[1].code } });
		expect(completed.status).toBe(200);
		expect(completed.json().token).toBeTruthy();
	});

	it('completes an authenticator login with a TOTP code and sends nothing', async () => {
		const login = await call('POST', '/api/login', { body: { loginId: alice.email, password: DEMO_PASSWORD } });
		expect(login.status).toBe(242);
		expect(sim.outbox).toHaveLength(0);
		const completed = await call('POST', '/api/two-factor/login', { auth: null, body: { twoFactorId: login.json().twoFactorId, code: totp(ALICE_KEY, clock) } });
		expect(completed.status).toBe(200);
	});

	it('has none of the 1.26+ endpoints', async () => {
		expect((await call('POST', '/api/two-factor/start', { body: { userId: alice.id } })).status).toBe(404);
		expect((await call('GET', `/api/two-factor/status?userId=${alice.id}`)).status).toBe(404);
		expect((await call('POST', `/api/user/two-factor/recovery-code/${alice.id}`)).status).toBe(404);
		expect((await call('GET', `/api/user/two-factor/recovery-code/${alice.id}`)).status).toBe(404);
		expect((await call('PUT', `/api/user/two-factor/${alice.id}?methodId=2KSZ`, { body: { name: 'x' } })).status).toBe(404);
	});

	it('finds users by twoFactorEnabled with the Elasticsearch engine', async () => {
		const elastic = await startSimulator({ generation: 'legacy', searchEngine: 'elasticsearch' });
		try {
			const answer = await call('POST', '/api/user/search', { server: elastic, body: { search: { queryString: 'twoFactorEnabled:false' } } });
			expect(answer.json().total).toBe(3);
		} finally {
			await elastic.close();
		}
	});

	it('a current server answers the legacy enable shape with 400 [blank]method', async () => {
		const current = await startSimulator({ now });
		try {
			const { secret, key } = await newSecret();
			const answer = await call('POST', `/api/user/two-factor/${nora.id}`, { server: current, body: { code: totp(key, clock), delivery: 'None', secret } });
			expect(answer.status).toBe(400);
			expect(codes(answer)).toEqual({ method: ['[blank]method'] });
		} finally {
			await current.close();
		}
	});
});
