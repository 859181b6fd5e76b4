/**
 * The simulator held to FusionAuth's official TypeScript client (1.69.0): every current
 * two-factor call is made through the client, and answers are checked against FusionAuth's
 * documented statuses and bodies.
 */
import FusionAuthClient, { MessageType, MultiFactorAction, Sort } from '@fusionauth/typescript-client';
import type ClientResponse from '@fusionauth/typescript-client/build/src/ClientResponse';

import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import {
	DEFAULT_API_KEY,
	DEFAULT_APPLICATION_ID,
	DEFAULT_JWT_SECRET,
	DEFAULT_TENANT_ID,
	DEMO_AUTHENTICATOR_SECRET,
	DEMO_PASSWORD,
	DEMO_USERS,
	Simulator,
	startSimulator,
} from './server';
import { base32Decode, base64Decode, totp } from './totp';

const START = Date.UTC(2026, 0, 15, 12, 0, 0);
let clock = START;
const now = (): number => clock;
const advance = (seconds: number): void => {
	clock += seconds * 1000;
};

const { noMethods: nora, authenticator: alice, email: erin, sms: sam, multi: max, emptyMethods: emma, noTwoFactorProperty: olga } = DEMO_USERS;
const ALICE_KEY = base64Decode(DEMO_AUTHENTICATOR_SECRET) as Buffer;

let sim: Simulator;
let client: FusionAuthClient;

beforeAll(async () => {
	sim = await startSimulator({ now });
	client = new FusionAuthClient(DEFAULT_API_KEY, sim.url);
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	clock = START;
	sim.reset();
});

/** The client rejects with a ClientResponse on any non-2xx status. */
async function failure<T>(promise: Promise<ClientResponse<T>>): Promise<ClientResponse<T>> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof Error) {
			throw error;
		}
		return error as ClientResponse<T>;
	}
	throw new Error('Expected the call to fail');
}

interface ErrorsBody {
	fieldErrors: Record<string, Array<{ code: string; message: string }>>;
	generalErrors: Array<{ code: string; message: string }>;
}

function errorsOf(response: ClientResponse<unknown>): ErrorsBody {
	return response.exception as unknown as ErrorsBody;
}

function fieldCodes(response: ClientResponse<unknown>): Record<string, string[]> {
	const body = errorsOf(response);
	return Object.fromEntries(Object.entries(body.fieldErrors).map(([field, list]) => [field, list.map((entry) => entry.code)]));
}

async function raw(path: string, init: RequestInit = {}): Promise<{ status: number; text: string; headers: Headers }> {
	const response = await fetch(sim.url + path, init);
	return { status: response.status, text: await response.text(), headers: response.headers };
}

function lastOutbox() {
	const message = sim.outbox[sim.outbox.length - 1];
	if (message === undefined) {
		throw new Error('Nothing was sent');
	}
	return message;
}

describe('authentication', () => {
	it('answers 401 with an empty body to a wrong API key', async () => {
		const wrong = new FusionAuthClient('not-the-key', sim.url);
		const response = await failure(wrong.retrieveUser(alice.id));
		expect(response.statusCode).toBe(401);
		expect(response.exception).toBeUndefined();
		const plain = await raw(`/api/user/${alice.id}`, { headers: { Authorization: 'not-the-key' } });
		expect(plain).toMatchObject({ status: 401, text: '' });
		expect(plain.headers.get('content-type')).toBeNull();
	});

	it('answers 401 with an empty body when no Authorization header is sent', async () => {
		expect(await raw('/api/two-factor/secret')).toMatchObject({ status: 401, text: '' });
	});

	it('does not accept an API key as a Bearer token, nor a JWT on an API-key-only endpoint', async () => {
		expect((await raw('/api/two-factor/secret', { headers: { Authorization: `Bearer ${DEFAULT_API_KEY}` } })).status).toBe(401);
		const jwt = await sim.issueJwt(alice.id);
		expect((await raw(`/api/user/${alice.id}`, { headers: { Authorization: `Bearer ${jwt}` } })).status).toBe(401);
	});

	it('accepts a JWT it issued on generateTwoFactorSecretUsingJWT', async () => {
		const response = await client.generateTwoFactorSecretUsingJWT(await sim.issueJwt(alice.id));
		expect(response.statusCode).toBe(200);
		expect(response.response.secret).toBeTruthy();
	});

	it('rejects an expired JWT with an empty 401', async () => {
		const jwt = await sim.issueJwt(alice.id, { expiresInSeconds: 60 });
		advance(61);
		const response = await failure(client.generateTwoFactorSecretUsingJWT(jwt));
		expect(response.statusCode).toBe(401);
		expect(response.exception).toBeUndefined();
	});

	it('issues an HS256 access token with the claims FusionAuth documents', async () => {
		const token = await sim.issueJwt(alice.id, { applicationId: DEFAULT_APPLICATION_ID });
		expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
		const claims = decodeJwt(token);
		const issuedAt = Math.floor(clock / 1000);
		expect(claims).toMatchObject({
			sub: alice.id,
			aud: DEFAULT_APPLICATION_ID,
			applicationId: DEFAULT_APPLICATION_ID,
			tid: DEFAULT_TENANT_ID,
			email: alice.email,
			iat: issuedAt,
			exp: issuedAt + 3600,
			authenticationType: 'PASSWORD',
		});
		expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('rejects a forged JWT (other signing key, alg none, tampered payload, no exp) with 401', async () => {
		const exp = Math.floor(clock / 1000) + 600;
		const sign = (claims: Record<string, unknown>, secret: string) =>
			new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
		const forged = await sign({ sub: alice.id, exp }, 'some-other-secret');
		expect((await failure(client.generateTwoFactorSecretUsingJWT(forged))).statusCode).toBe(401);

		const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
		const payload = Buffer.from(JSON.stringify({ sub: alice.id, exp })).toString('base64url');
		expect((await failure(client.generateTwoFactorSecretUsingJWT(`${header}.${payload}.`))).statusCode).toBe(401);

		const genuine = (await sim.issueJwt(alice.id)).split('.');
		const tampered = Buffer.from(JSON.stringify({ sub: nora.id, exp })).toString('base64url');
		expect((await failure(client.generateTwoFactorSecretUsingJWT(`${genuine[0]}.${tampered}.${genuine[2]}`))).statusCode).toBe(401);

		const noExpiry = await sign({ sub: alice.id }, DEFAULT_JWT_SECRET);
		expect((await failure(client.generateTwoFactorSecretUsingJWT(noExpiry))).statusCode).toBe(401);

		const valid = await sign({ sub: alice.id, exp }, DEFAULT_JWT_SECRET);
		expect((await client.generateTwoFactorSecretUsingJWT(valid)).statusCode).toBe(200);
	});

	it('answers 401 when the API key lacks permission for the endpoint', async () => {
		const limited = await startSimulator({
			apiKeys: [{ key: 'search-only', permissions: { '/api/user/search': ['POST'] } }],
		});
		try {
			const limitedClient = new FusionAuthClient('search-only', limited.url);
			expect((await limitedClient.searchUsersByQuery({ search: { queryString: '*' } })).statusCode).toBe(200);
			expect((await failure(limitedClient.retrieveUser(alice.id))).statusCode).toBe(401);
		} finally {
			await limited.close();
		}
	});
});

describe('generate a secret', () => {
	it('returns a random Base64 secret and its Base32 form of the same bytes', async () => {
		const first = await client.generateTwoFactorSecret();
		const second = await client.generateTwoFactorSecret();
		expect(first.statusCode).toBe(200);
		const bytes = base64Decode(first.response.secret as string);
		expect(bytes?.length).toBe(20);
		expect(base32Decode(first.response.secretBase32Encoded as string)).toEqual(bytes);
		expect(second.response.secret).not.toBe(first.response.secret);
	});
});

describe('enable two factor', () => {
	it('enrols an authenticator: secret, TOTP, enable, ten recovery codes, method on the user', async () => {
		const { response: secret } = await client.generateTwoFactorSecret();
		const code = totp(base64Decode(secret.secret as string) as Buffer, clock);
		const enabled = await client.enableTwoFactor(nora.id, { method: 'authenticator', code, secret: secret.secret, name: 'My phone' });
		expect(enabled.statusCode).toBe(200);
		expect(enabled.response.recoveryCodes).toHaveLength(10);
		for (const recoveryCode of enabled.response.recoveryCodes ?? []) {
			expect(recoveryCode).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
		}
		const { response } = await client.retrieveUser(nora.id);
		const methods = response.user?.twoFactor?.methods ?? [];
		expect(methods).toHaveLength(1);
		expect(methods[0]).toEqual({
			id: expect.stringMatching(/^[A-Z0-9]{4}$/),
			method: 'authenticator',
			name: 'My phone',
			authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 },
		});
		expect(JSON.stringify(response.user)).not.toContain(secret.secret as string);
		expect(JSON.stringify(response.user)).not.toContain('recoveryCodes');
	});

	it('enables with secretBase32Encoded instead of secret', async () => {
		const { response: secret } = await client.generateTwoFactorSecret();
		const key = base32Decode(secret.secretBase32Encoded as string) as Buffer;
		const enabled = await client.enableTwoFactor(nora.id, { method: 'authenticator', code: totp(key, clock), secretBase32Encoded: secret.secretBase32Encoded });
		expect(enabled.statusCode).toBe(200);
	});

	it('accepts a code one 30 s step old and refuses one two steps old with an empty 421', async () => {
		const { response: secret } = await client.generateTwoFactorSecret();
		const key = base64Decode(secret.secret as string) as Buffer;
		const stale = await failure(client.enableTwoFactor(nora.id, { method: 'authenticator', code: totp(key, clock - 60_000), secret: secret.secret }));
		expect(stale.statusCode).toBe(421);
		expect(stale.exception).toBeUndefined();
		const previous = await client.enableTwoFactor(nora.id, { method: 'authenticator', code: totp(key, clock - 30_000), secret: secret.secret });
		expect(previous.statusCode).toBe(200);
	});

	it('enrols email through a code found in the outbox, which works only once', async () => {
		expect((await client.sendTwoFactorCodeForEnableDisable({ userId: nora.id, method: 'email', email: 'nora.work@example.com' })).statusCode).toBe(200);
		const sent = lastOutbox();
		expect(sent).toMatchObject({ to: 'nora.work@example.com', method: 'email', userId: nora.id, purpose: 'enable', time: clock });
		expect(sent.code).toMatch(/^\d{6}$/);
		const enabled = await client.enableTwoFactor(nora.id, { method: 'email', email: 'nora.work@example.com', code: sent.code });
		expect(enabled.response.recoveryCodes).toHaveLength(10);
		const again = await failure(client.enableTwoFactor(nora.id, { method: 'email', email: 'nora.other@example.com', code: sent.code }));
		expect(again.statusCode).toBe(421);
	});

	it('returns no body when a further method is added', async () => {
		await client.sendTwoFactorCodeForEnableDisable({ userId: alice.id, method: 'sms', mobilePhone: '+15555550999', messageType: MessageType.Voice });
		const sent = lastOutbox();
		expect(sent).toMatchObject({ method: 'sms', messageType: 'Voice', to: '+15555550999' });
		const enabled = await client.enableTwoFactor(alice.id, { method: 'sms', mobilePhone: '+15555550999', code: sent.code });
		expect(enabled.statusCode).toBe(200);
		expect(enabled.response).toBeUndefined();
		expect(sim.users.get(alice.id)?.methods.map((method) => method.method)).toEqual(['authenticator', 'sms']);
	});

	it('refuses an emailed code after it expired (60 s) and one sent to another address', async () => {
		await client.sendTwoFactorCodeForEnableDisable({ userId: nora.id, method: 'email', email: 'a@example.com' });
		const code = lastOutbox().code;
		expect((await failure(client.enableTwoFactor(nora.id, { method: 'email', email: 'b@example.com', code }))).statusCode).toBe(421);
		advance(61);
		expect((await failure(client.enableTwoFactor(nora.id, { method: 'email', email: 'a@example.com', code }))).statusCode).toBe(421);
	});

	it('answers 400 with FusionAuth error codes for invalid requests', async () => {
		const blank = await failure(client.enableTwoFactor(nora.id, { method: 'authenticator', secret: DEMO_AUTHENTICATOR_SECRET }));
		expect(blank.statusCode).toBe(400);
		expect(fieldCodes(blank)).toEqual({ code: ['[blank]code'] });
		expect(errorsOf(blank).generalErrors).toEqual([]);

		const method = await failure(client.enableTwoFactor(nora.id, { method: 'fax', code: '123456' }));
		expect(fieldCodes(method)).toEqual({ method: ['[invalid]method'] });

		const noSecret = await failure(client.enableTwoFactor(nora.id, { method: 'authenticator', code: '123456' }));
		expect(fieldCodes(noSecret)).toEqual({ secret: ['[blank]secret'] });

		const noEmail = await failure(client.enableTwoFactor(nora.id, { method: 'email', code: '123456' }));
		expect(fieldCodes(noEmail)).toEqual({ email: ['[blank]email'] });

		const second = await failure(client.enableTwoFactor(alice.id, { method: 'authenticator', code: '123456', secret: DEMO_AUTHENTICATOR_SECRET }));
		expect(fieldCodes(second)).toEqual({ method: ['[duplicate]method'] });
	});

	it('answers 404 with an empty body for an unknown user and 400 for a malformed user id', async () => {
		const unknown = await failure(client.enableTwoFactor('9d7e6f5a-0000-4000-8000-000000000000', { method: 'authenticator', code: '123456', secret: DEMO_AUTHENTICATOR_SECRET }));
		expect(unknown.statusCode).toBe(404);
		expect(unknown.exception).toBeUndefined();
		const malformed = await failure(client.enableTwoFactor('not-a-uuid', { method: 'authenticator', code: '123456', secret: DEMO_AUTHENTICATOR_SECRET }));
		expect(malformed.statusCode).toBe(400);
		expect(fieldCodes(malformed).userId).toContain('[couldNotConvert]userId');
	});

	it('answers 400 [invalidJSON] to a body that is not JSON, and [missing] to no body', async () => {
		const broken = await raw(`/api/user/two-factor/${nora.id}`, {
			method: 'POST',
			headers: { Authorization: DEFAULT_API_KEY, 'Content-Type': 'application/json' },
			body: '{"method": "authenticator",',
		});
		expect(broken.status).toBe(400);
		expect(JSON.parse(broken.text).generalErrors[0].code).toBe('[invalidJSON]');

		const wrongType = await raw(`/api/user/two-factor/${nora.id}`, {
			method: 'POST',
			headers: { Authorization: DEFAULT_API_KEY, 'Content-Type': 'application/json' },
			body: JSON.stringify({ method: 'authenticator', code: { nested: true } }),
		});
		expect(JSON.parse(wrongType.text).fieldErrors.code[0].code).toBe('[invalidJSON]');

		const none = await raw(`/api/user/two-factor/${nora.id}`, { method: 'POST', headers: { Authorization: DEFAULT_API_KEY } });
		expect(none.status).toBe(400);
		expect(JSON.parse(none.text).generalErrors[0].code).toBe('[missing]');
	});

	it('returns a login code with the recovery codes when a twoFactorId is sent (1.42+), and that code completes the login', async () => {
		const started = await client.startTwoFactorLogin({ userId: nora.id });
		const { response: secret } = await client.generateTwoFactorSecret();
		const code = totp(base64Decode(secret.secret as string) as Buffer, clock);
		const enabled = await client.enableTwoFactor(nora.id, { method: 'authenticator', code, secret: secret.secret, twoFactorId: started.response.twoFactorId });
		expect(enabled.response.recoveryCodes).toHaveLength(10);
		expect(enabled.response.code).toMatch(/^\d{6}$/);
		const login = await client.twoFactorLogin({ twoFactorId: started.response.twoFactorId, code: enabled.response.code });
		expect(login.statusCode).toBe(200);
		const unknown = await failure(client.enableTwoFactor(alice.id, { method: 'email', email: 'x@example.com', code: '123456', twoFactorId: 'nope' }));
		expect(fieldCodes(unknown)).toEqual({ twoFactorId: ['[invalid]twoFactorId'] });
	});

	it('enables with a JWT on POST /api/user/two-factor and refuses a JWT with a user id in the path', async () => {
		const jwt = await sim.issueJwt(nora.id);
		const { response: secret } = await client.generateTwoFactorSecretUsingJWT(jwt);
		const body = JSON.stringify({ method: 'authenticator', secret: secret.secret, code: totp(base64Decode(secret.secret as string) as Buffer, clock) });
		const headers = { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' };
		expect((await raw(`/api/user/two-factor/${nora.id}`, { method: 'POST', headers, body })).status).toBe(401);
		const enabled = await raw('/api/user/two-factor', { method: 'POST', headers, body });
		expect(enabled.status).toBe(200);
		expect(JSON.parse(enabled.text).recoveryCodes).toHaveLength(10);
	});
});

describe('send a code for enabling or disabling', () => {
	it('answers 400 with [missing]userId, [invalid]userId, [invalid]methodId and [cannotSend]methodId', async () => {
		expect(fieldCodes(await failure(client.sendTwoFactorCodeForEnableDisable({ method: 'email', email: 'x@example.com' })))).toEqual({ userId: ['[missing]userId'] });
		expect(fieldCodes(await failure(client.sendTwoFactorCodeForEnableDisable({ userId: '9d7e6f5a-0000-4000-8000-000000000000', method: 'email', email: 'x@example.com' })))).toEqual({ userId: ['[invalid]userId'] });
		expect(fieldCodes(await failure(client.sendTwoFactorCodeForEnableDisable({ userId: alice.id, methodId: 'NOPE' })))).toEqual({ methodId: ['[invalid]methodId'] });
		expect(fieldCodes(await failure(client.sendTwoFactorCodeForEnableDisable({ userId: alice.id, methodId: '2KSZ' })))).toEqual({ methodId: ['[cannotSend]methodId'] });
		expect(fieldCodes(await failure(client.sendTwoFactorCodeForEnableDisable({ userId: alice.id, method: 'sms' })))).toEqual({ mobilePhone: ['[blank]mobilePhone'] });
		expect(sim.outbox).toHaveLength(0);
	});

	it('sends with a JWT and no userId', async () => {
		const response = await raw('/api/two-factor/send', {
			method: 'POST',
			headers: { Authorization: `Bearer ${await sim.issueJwt(erin.id)}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ methodId: 'EM7L' }),
		});
		expect(response).toMatchObject({ status: 200, text: '' });
		expect(lastOutbox()).toMatchObject({ to: erin.email, userId: erin.id, purpose: 'disable', methodId: 'EM7L' });
	});
});

describe('disable two factor', () => {
	it('disables an authenticator with a TOTP code (query form) and clears the recovery codes with the last method', async () => {
		const response = await client.disableTwoFactor(alice.id, '2KSZ', totp(ALICE_KEY, clock));
		expect(response.statusCode).toBe(200);
		const user = sim.users.get(alice.id);
		expect(user?.methods).toEqual([]);
		expect(user?.recoveryCodes).toEqual([]);
		expect((await client.retrieveUser(alice.id)).response.user?.twoFactor).toEqual({});
	});

	it('disables an email method with a code sent for disabling (JSON body form)', async () => {
		await client.sendTwoFactorCodeForEnableDisable({ userId: max.id, methodId: 'MX3E' });
		const sent = lastOutbox();
		expect(sent).toMatchObject({ to: max.email, method: 'email', purpose: 'disable', methodId: 'MX3E' });
		const response = await client.disableTwoFactorWithRequest(max.id, { methodId: 'MX3E', code: sent.code });
		expect(response.statusCode).toBe(200);
		expect(sim.users.get(max.id)?.methods.map((method) => method.id)).toEqual(['MX2A', 'MX4S']);
		expect(sim.users.get(max.id)?.recoveryCodes).toHaveLength(10);
	});

	it('answers an empty 421 to a wrong code and 400 [invalid]methodId to an unknown method', async () => {
		const wrong = await failure(client.disableTwoFactor(alice.id, '2KSZ', '000000'));
		expect(wrong.statusCode).toBe(421);
		expect(wrong.exception).toBeUndefined();
		const unknown = await failure(client.disableTwoFactor(alice.id, 'ZZZZ', totp(ALICE_KEY, clock)));
		expect(fieldCodes(unknown)).toEqual({ methodId: ['[invalid]methodId'] });
		const blank = await failure(client.disableTwoFactorWithRequest(alice.id, { methodId: '2KSZ' }));
		expect(fieldCodes(blank)).toEqual({ code: ['[blank]code'] });
	});

	it('removes every method when a recovery code is used, and that code works only once', async () => {
		const [recoveryCode] = sim.users.get(max.id)?.recoveryCodes ?? [];
		expect((await client.disableTwoFactor(max.id, 'MX3E', recoveryCode)).statusCode).toBe(200);
		expect(sim.users.get(max.id)?.methods).toEqual([]);
		expect((await client.retrieveUser(max.id)).response.user?.twoFactor).toEqual({});
		// Re-enrol, then the used code is worthless.
		await client.sendTwoFactorCodeForEnableDisable({ userId: max.id, method: 'email', email: max.email });
		const enabled = await client.enableTwoFactor(max.id, { method: 'email', email: max.email, code: lastOutbox().code });
		expect(enabled.response.recoveryCodes).not.toContain(recoveryCode);
		const reused = await failure(client.disableTwoFactor(max.id, sim.users.get(max.id)?.methods[0].id as string, recoveryCode));
		expect(reused.statusCode).toBe(421);
	});
});

describe('retrieve a user by email, username or login ID', () => {
	it('finds the user by email, username and login ID, ignoring case', async () => {
		expect((await client.retrieveUserByEmail(alice.email!.toUpperCase())).response.user?.id).toBe(alice.id);
		expect((await client.retrieveUserByUsername('ALICE')).response.user?.id).toBe(alice.id);
		expect((await client.retrieveUserByLoginId(alice.email!)).response.user?.id).toBe(alice.id);
		expect((await client.retrieveUserByLoginId('alice')).response.user?.id).toBe(alice.id);
		// The user as GET /api/user/{id} shows it, methods included.
		const byId = (await client.retrieveUser(max.id)).response.user;
		expect((await client.retrieveUserByEmail(max.email!)).response.user).toEqual(byId);
	});

	it('narrows a login ID to the given loginIdTypes (1.59+), sent once per type', async () => {
		expect((await client.retrieveUserByLoginIdWithLoginIdTypes('alice', ['username'])).response.user?.id).toBe(alice.id);
		expect((await failure(client.retrieveUserByLoginIdWithLoginIdTypes('alice', ['email']))).statusCode).toBe(404);
		expect((await client.retrieveUserByLoginIdWithLoginIdTypes(alice.email!, ['email', 'phoneNumber'])).response.user?.id).toBe(alice.id);
		const wrongType = await failure(client.retrieveUserByLoginIdWithLoginIdTypes('alice', ['nickname']));
		expect(wrongType.statusCode).toBe(400);
		expect(fieldCodes(wrongType)).toEqual({ loginIdTypes: ['[invalid]loginIdTypes'] });
	});

	it('answers 404 with an empty body when no user matches', async () => {
		const missing = await failure(client.retrieveUserByEmail('nobody@example.com'));
		expect(missing.statusCode).toBe(404);
		expect(missing.exception).toBeUndefined();
		expect((await failure(client.retrieveUserByUsername(alice.email!))).statusCode).toBe(404);
		expect((await failure(client.retrieveUserByLoginId('nobody'))).statusCode).toBe(404);
	});
});

describe('update a method', () => {
	it('renames a method (methodId in body) and clears the name when omitted (methodId in query)', async () => {
		expect((await client.updateTwoFactor(alice.id, { methodId: '2KSZ', name: 'Work phone' })).statusCode).toBe(200);
		expect((await client.retrieveUser(alice.id)).response.user?.twoFactor?.methods?.[0].name).toBe('Work phone');
		const cleared = await raw(`/api/user/two-factor/${alice.id}?methodId=2KSZ`, {
			method: 'PUT',
			headers: { Authorization: DEFAULT_API_KEY, 'Content-Type': 'application/json' },
			body: '{}',
		});
		expect(cleared).toMatchObject({ status: 200, text: '' });
		expect(sim.users.get(alice.id)?.methods[0].name).toBeUndefined();
	});

	it('answers 400 for an unknown method, a missing methodId or a name over 256 characters, 404 for an unknown user', async () => {
		expect(fieldCodes(await failure(client.updateTwoFactor(alice.id, { methodId: 'ZZZZ', name: 'x' })))).toEqual({ methodId: ['[invalid]methodId'] });
		expect(fieldCodes(await failure(client.updateTwoFactor(alice.id, { name: 'x' })))).toEqual({ methodId: ['[blank]methodId'] });
		expect(fieldCodes(await failure(client.updateTwoFactor(alice.id, { methodId: '2KSZ', name: 'x'.repeat(257) })))).toEqual({ name: ['[tooLong]name'] });
		expect((await failure(client.updateTwoFactor('9d7e6f5a-0000-4000-8000-000000000000', { methodId: '2KSZ', name: 'x' }))).statusCode).toBe(404);
	});
});

describe('recovery codes', () => {
	it('generates ten new codes that replace the old ones', async () => {
		const old = sim.users.get(alice.id)?.recoveryCodes ?? [];
		const generated = await client.generateTwoFactorRecoveryCodes(alice.id);
		expect(generated.statusCode).toBe(200);
		expect(generated.response.recoveryCodes).toHaveLength(10);
		expect(generated.response.recoveryCodes).not.toContain(old[0]);

		const start = await client.startTwoFactorLogin({ userId: alice.id });
		const refused = await failure(client.twoFactorLogin({ twoFactorId: start.response.twoFactorId, code: old[0] }));
		expect(refused.statusCode).toBe(421);
		const accepted = await client.twoFactorLogin({ twoFactorId: start.response.twoFactorId, code: generated.response.recoveryCodes?.[0] });
		expect(accepted.statusCode).toBe(200);
	});

	it('retrieves an empty list (FusionAuth 1.68+), or the remaining codes when configured as before 1.68', async () => {
		const retrieved = await client.retrieveTwoFactorRecoveryCodes(alice.id);
		expect(retrieved.statusCode).toBe(200);
		expect(retrieved.response).toEqual({ recoveryCodes: [] });

		const older = await startSimulator({ recoveryCodesRetrievable: true });
		try {
			const olderClient = new FusionAuthClient(DEFAULT_API_KEY, older.url);
			const codes = older.users.get(alice.id)?.recoveryCodes ?? [];
			expect((await olderClient.retrieveTwoFactorRecoveryCodes(alice.id)).response.recoveryCodes).toEqual(codes);
		} finally {
			await older.close();
		}
	});

	it('answers 404 for an unknown user', async () => {
		expect((await failure(client.generateTwoFactorRecoveryCodes('9d7e6f5a-0000-4000-8000-000000000000'))).statusCode).toBe(404);
	});
});

describe('two-factor login', () => {
	it('starts with a userId, returns code, methods and twoFactorId, and logs in with the returned code', async () => {
		const started = await client.startTwoFactorLogin({ userId: max.id, applicationId: DEFAULT_APPLICATION_ID, state: { redirect_uri: '/back' } });
		expect(started.statusCode).toBe(200);
		expect(started.response.code).toMatch(/^\d{6}$/);
		expect(started.response.methods?.map((method) => method.id)).toEqual(['MX2A', 'MX3E', 'MX4S']);
		expect(started.response.twoFactorId).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const login = await client.twoFactorLogin({ twoFactorId: started.response.twoFactorId, code: started.response.code });
		expect(login.statusCode).toBe(200);
		expect(login.response.user?.id).toBe(max.id);
		expect(login.response.state).toEqual({ redirect_uri: '/back' });
		expect(login.response.refreshToken).toBeTruthy();
		// The token is an access token the simulator accepts as a JWT.
		expect((await client.generateTwoFactorSecretUsingJWT(login.response.token as string)).statusCode).toBe(200);
	});

	it('starts with a loginId and a caller-chosen code; answers 404 to an unknown user or loginId', async () => {
		const started = await client.startTwoFactorLogin({ loginId: erin.email, code: '424242' });
		expect(started.response.code).toBe('424242');
		expect((await client.twoFactorLogin({ twoFactorId: started.response.twoFactorId, code: '424242' })).statusCode).toBe(200);
		expect((await failure(client.startTwoFactorLogin({ loginId: 'nobody@example.com' }))).statusCode).toBe(404);
		expect((await failure(client.startTwoFactorLogin({ userId: '9d7e6f5a-0000-4000-8000-000000000000' }))).statusCode).toBe(404);
		expect(fieldCodes(await failure(client.startTwoFactorLogin({})))).toEqual({ loginId: ['[blank]loginId'] });
	});

	it('omits methods when the user has none', async () => {
		const started = await client.startTwoFactorLogin({ userId: nora.id });
		expect(Object.keys(started.response).sort()).toEqual(['code', 'twoFactorId']);
	});

	it('runs /api/login 242 -> send -> complete with trustComputer, then the trust skips the challenge', async () => {
		const login = await client.login({ loginId: erin.email, password: DEMO_PASSWORD, applicationId: DEFAULT_APPLICATION_ID });
		expect(login.statusCode).toBe(242);
		expect(login.response.twoFactorId).toBeTruthy();
		expect(login.response.methods).toEqual([{ id: 'EM7L', method: 'email', email: erin.email, name: 'Work email' }]);
		expect(login.response.token).toBeUndefined();

		expect((await client.sendTwoFactorCodeForLoginUsingMethod(login.response.twoFactorId as string, { methodId: 'EM7L' })).statusCode).toBe(200);
		const sent = lastOutbox();
		expect(sent).toMatchObject({ to: erin.email, purpose: 'login', twoFactorId: login.response.twoFactorId });
		const sendRequest = sim.requests[sim.requests.length - 1];
		expect(sendRequest.headers.authorization).toBeUndefined();

		const completed = await client.twoFactorLogin({ twoFactorId: login.response.twoFactorId, code: sent.code, trustComputer: true, applicationId: DEFAULT_APPLICATION_ID });
		expect(completed.statusCode).toBe(200);
		expect(completed.response.token).toBeTruthy();
		expect(completed.response.refreshToken).toBeTruthy();
		expect(completed.response.twoFactorTrustId).toBeTruthy();
		expect(sim.users.get(erin.id)?.methods[0].lastUsed).toBe(true);

		const trusted = await client.login({ loginId: erin.email, password: DEMO_PASSWORD, applicationId: DEFAULT_APPLICATION_ID, twoFactorTrustId: completed.response.twoFactorTrustId });
		expect(trusted.statusCode).toBe(200);
		expect(trusted.response.token).toBeTruthy();
	});

	it('invalidates an earlier code when another is sent', async () => {
		const login = await client.login({ loginId: max.email, password: DEMO_PASSWORD });
		const twoFactorId = login.response.twoFactorId as string;
		await client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId: 'MX3E' });
		const first = lastOutbox().code;
		await client.sendTwoFactorCodeForLoginUsingMethod(twoFactorId, { methodId: 'MX4S', messageType: MessageType.Voice });
		const second = lastOutbox();
		expect(second).toMatchObject({ to: max.mobilePhone, method: 'sms', messageType: 'Voice' });
		if (first !== second.code) {
			expect((await failure(client.twoFactorLogin({ twoFactorId, code: first }))).statusCode).toBe(421);
		}
		expect((await client.twoFactorLogin({ twoFactorId, code: second.code })).statusCode).toBe(200);
	});

	it('accepts a recovery code once to complete a login, keeps the methods, and refuses it the second time', async () => {
		const [recoveryCode, otherCode] = sim.users.get(alice.id)?.recoveryCodes ?? [];
		const first = await client.login({ loginId: alice.email, password: DEMO_PASSWORD });
		expect((await client.twoFactorLogin({ twoFactorId: first.response.twoFactorId, code: recoveryCode })).statusCode).toBe(200);
		expect(sim.users.get(alice.id)?.recoveryCodes).toHaveLength(9);
		expect(sim.users.get(alice.id)?.methods).toHaveLength(1);
		const second = await client.login({ loginId: alice.email, password: DEMO_PASSWORD });
		expect((await failure(client.twoFactorLogin({ twoFactorId: second.response.twoFactorId, code: recoveryCode }))).statusCode).toBe(421);
		expect((await client.twoFactorLogin({ twoFactorId: second.response.twoFactorId, code: otherCode })).statusCode).toBe(200);
	});

	it('logs in with a TOTP code from the authenticator', async () => {
		const login = await client.login({ loginId: alice.email, password: DEMO_PASSWORD });
		const completed = await client.twoFactorLogin({ twoFactorId: login.response.twoFactorId, code: totp(ALICE_KEY, clock) });
		expect(completed.statusCode).toBe(200);
	});

	it('answers /api/login with 200 and a token for a user without methods, 404 for a wrong password, 202 when not registered', async () => {
		const plain = await client.login({ loginId: nora.email, password: DEMO_PASSWORD, applicationId: DEFAULT_APPLICATION_ID });
		expect(plain.statusCode).toBe(200);
		expect(plain.response.token).toBeTruthy();
		expect(plain.response.user?.id).toBe(nora.id);
		expect((await failure(client.login({ loginId: nora.email, password: 'wrong' }))).statusCode).toBe(404);

		const otherApp = await startSimulator({
			applications: [{ id: DEFAULT_APPLICATION_ID }, { id: 'b0b0b0b0-0000-4000-8000-000000000000' }],
		});
		try {
			const otherClient = new FusionAuthClient(DEFAULT_API_KEY, otherApp.url);
			const notRegistered = await otherClient.login({ loginId: nora.email, password: DEMO_PASSWORD, applicationId: 'b0b0b0b0-0000-4000-8000-000000000000' });
			expect(notRegistered.statusCode).toBe(202);
			expect(notRegistered.response.refreshToken).toBeUndefined();
		} finally {
			await otherApp.close();
		}
	});

	it('answers 404 to an unknown twoFactorId, an expired one (5 minutes), and one already used', async () => {
		expect((await failure(client.twoFactorLogin({ twoFactorId: 'unknown', code: '123456' }))).statusCode).toBe(404);

		const expired = await client.startTwoFactorLogin({ userId: alice.id });
		advance(301);
		const late = await failure(client.twoFactorLogin({ twoFactorId: expired.response.twoFactorId, code: expired.response.code }));
		expect(late.statusCode).toBe(404);
		expect(late.exception).toBeUndefined();

		const used = await client.startTwoFactorLogin({ userId: alice.id });
		await client.twoFactorLogin({ twoFactorId: used.response.twoFactorId, code: used.response.code });
		expect((await failure(client.twoFactorLogin({ twoFactorId: used.response.twoFactorId, code: used.response.code }))).statusCode).toBe(404);
	});

	it('answers 421 to a wrong code and 409 with the preventing action after five failures', async () => {
		const started = await client.startTwoFactorLogin({ userId: alice.id });
		const twoFactorId = started.response.twoFactorId;
		for (let attempt = 0; attempt < 5; attempt++) {
			const wrong = await failure(client.twoFactorLogin({ twoFactorId, code: '000000' }));
			expect(wrong.statusCode).toBe(421);
			expect(wrong.exception).toBeUndefined();
		}
		const locked = await failure(client.twoFactorLogin({ twoFactorId, code: started.response.code }));
		expect(locked.statusCode).toBe(409);
		expect((locked.exception as unknown as { actions: unknown[] }).actions).toHaveLength(1);
		expect((await failure(client.login({ loginId: alice.email, password: DEMO_PASSWORD }))).statusCode).toBe(409);
		advance(181);
		expect((await client.login({ loginId: alice.email, password: DEMO_PASSWORD })).statusCode).toBe(242);
	});

	it('answers 410 when the user has expired', async () => {
		sim.users.add({ id: '0e0e0e0e-0000-4000-8000-000000000000', email: 'gone@example.com', expiry: clock + 1000, twoFactor: { methods: [{ method: 'email', email: 'gone@example.com' }] } });
		const started = await client.startTwoFactorLogin({ userId: '0e0e0e0e-0000-4000-8000-000000000000' });
		advance(2);
		expect((await failure(client.twoFactorLogin({ twoFactorId: started.response.twoFactorId, code: started.response.code }))).statusCode).toBe(410);
	});

	it('answers 400 to a blank code and sends with no Authorization header needed', async () => {
		const started = await client.startTwoFactorLogin({ userId: alice.id });
		expect(fieldCodes(await failure(client.twoFactorLogin({ twoFactorId: started.response.twoFactorId })))).toEqual({ code: ['[blank]code'] });
		expect(fieldCodes(await failure(client.sendTwoFactorCodeForLoginUsingMethod('unknown', { methodId: 'EM7L' })))).toEqual({ twoFactorId: ['[invalid]twoFactorId'] });
		expect(fieldCodes(await failure(client.sendTwoFactorCodeForLoginUsingMethod(started.response.twoFactorId as string, { methodId: '2KSZ' })))).toEqual({ methodId: ['[cannotSend]methodId'] });
	});
});

describe('two-factor status', () => {
	it('answers 242 when a challenge is due and 200 when not, with the same body shape', async () => {
		const due = await client.retrieveTwoFactorStatus(alice.id, DEFAULT_APPLICATION_ID, undefined as unknown as string);
		expect(due.statusCode).toBe(242);
		expect(due.response).toEqual({});
		const none = await client.retrieveTwoFactorStatus(nora.id, DEFAULT_APPLICATION_ID, undefined as unknown as string);
		expect(none.statusCode).toBe(200);
		expect(none.response).toEqual({});
		const posted = await client.retrieveTwoFactorStatusWithRequest({ userId: alice.id, applicationId: DEFAULT_APPLICATION_ID, action: MultiFactorAction.login });
		expect(posted.statusCode).toBe(242);
	});

	it('answers 200 with the trust when a valid twoFactorTrustId is given, 242 once it expired', async () => {
		const started = await client.startTwoFactorLogin({ userId: alice.id });
		const login = await client.twoFactorLogin({ twoFactorId: started.response.twoFactorId, code: started.response.code, trustComputer: true });
		const trustId = login.response.twoFactorTrustId as string;
		const trusted = await client.retrieveTwoFactorStatus(alice.id, DEFAULT_APPLICATION_ID, trustId);
		expect(trusted.statusCode).toBe(200);
		expect(trusted.response.twoFactorTrustId).toBe(trustId);
		expect(trusted.response.trusts?.[0]).toMatchObject({ startInstant: clock, expiration: clock + 2_592_000_000 });
		const posted = await client.retrieveTwoFactorStatusWithRequest({ userId: alice.id, twoFactorTrustId: trustId });
		expect(posted.statusCode).toBe(200);
		advance(2_592_001);
		const expired = await client.retrieveTwoFactorStatus(alice.id, DEFAULT_APPLICATION_ID, trustId);
		expect(expired.statusCode).toBe(242);
		expect(expired.response).toEqual({ twoFactorTrustId: trustId });
	});

	it('answers 400 to a missing or unknown userId and to the literal "undefined" applicationId', async () => {
		expect(fieldCodes(await failure(client.retrieveTwoFactorStatusWithRequest({})))).toEqual({ userId: ['[missing]userId'] });
		expect(fieldCodes(await failure(client.retrieveTwoFactorStatusWithRequest({ userId: '9d7e6f5a-0000-4000-8000-000000000000' })))).toEqual({ userId: ['[invalid]userId'] });
		const literal = await failure(client.retrieveTwoFactorStatus(alice.id, undefined as unknown as string, undefined as unknown as string));
		expect(fieldCodes(literal)).toEqual({ applicationId: ['[couldNotConvert]applicationId'] });
		const request = sim.requests[sim.requests.length - 1];
		expect(request.query.applicationId).toBe('undefined');
	});
});

describe('users', () => {
	it('retrieves a user as {user}, 404 when unknown, 400 when the id is not a UUID', async () => {
		const found = await client.retrieveUser(alice.id);
		expect(found.statusCode).toBe(200);
		expect(found.response.user).toMatchObject({ id: alice.id, email: alice.email, tenantId: DEFAULT_TENANT_ID, active: true });
		expect((await failure(client.retrieveUser('9d7e6f5a-0000-4000-8000-000000000000'))).statusCode).toBe(404);
		const malformed = await failure(client.retrieveUser('not-a-uuid'));
		expect(malformed.statusCode).toBe(400);
	});

	it('shows "no methods" as {}, {"methods": []} or no twoFactor property, as seeded', async () => {
		expect((await client.retrieveUser(nora.id)).response.user?.twoFactor).toEqual({});
		expect((await client.retrieveUser(emma.id)).response.user?.twoFactor).toEqual({ methods: [] });
		expect('twoFactor' in ((await client.retrieveUser(olga.id)).response.user ?? {})).toBe(false);
	});

	it('searches with the database engine: "*" matches all, paging by startRow, no nextResults, no filtering', async () => {
		const seen: string[] = [];
		for (let startRow = 0; startRow < 9; startRow += 3) {
			const page = await client.searchUsersByQuery({ search: { queryString: '*', numberOfResults: 3, startRow } });
			expect(page.response.total).toBe(7);
			expect(page.response.nextResults).toBeUndefined();
			seen.push(...(page.response.users ?? []).map((user) => user.id as string));
		}
		expect(new Set(seen).size).toBe(7);
		expect(seen).toHaveLength(7);
		const filtered = await client.searchUsersByQuery({ search: { queryString: '!(_exists_:twoFactor.methods)' } });
		expect(filtered.response.total).toBe(0);
		const byName = await client.searchUsersByQuery({ search: { queryString: 'alice*' } });
		expect(byName.response.users?.map((user) => user.id)).toEqual([alice.id]);
	});

	it('answers 400 when no query is given', async () => {
		const response = await failure(client.searchUsersByQuery({ search: {} }));
		expect(response.statusCode).toBe(400);
		expect(errorsOf(response).generalErrors[0].code).toBe('[invalid]');
	});
});

describe('user search with the Elasticsearch engine', () => {
	let elastic: Simulator;
	let elasticClient: FusionAuthClient;

	beforeAll(async () => {
		elastic = await startSimulator({ searchEngine: 'elasticsearch', now });
		elasticClient = new FusionAuthClient(DEFAULT_API_KEY, elastic.url);
	});

	afterAll(async () => {
		await elastic.close();
	});

	beforeEach(() => elastic.reset());

	it('filters on _exists_:twoFactor.methods and active:true', async () => {
		const without = await elasticClient.searchUsersByQuery({ search: { queryString: 'active:true AND !(_exists_:twoFactor.methods)' } });
		expect(without.response.users?.map((user) => user.id).sort()).toEqual([nora.id, emma.id, olga.id].sort());
		const withMethods = await elasticClient.searchUsersByQuery({ search: { queryString: '_exists_:twoFactor.methods' } });
		expect(withMethods.response.total).toBe(4);
		elastic.users.add({ id: '0a0a0a0a-0000-4000-8000-000000000000', email: 'off@example.com', active: false });
		const inactive = await elasticClient.searchUsersByQuery({ search: { queryString: 'active:true AND !(_exists_:twoFactor.methods)' } });
		expect(inactive.response.total).toBe(3);
		const bad = await failure(elasticClient.searchUsersByQuery({ search: { queryString: '(active:true' } }));
		expect(fieldCodes(bad)).toEqual({ 'search.queryString': ['[invalid]search.queryString'] });
	});

	it("answers the queries the node builds: Get Many's (<query>) AND <two factor clause>, the picker's *text*", async () => {
		const ids = async (queryString: string) =>
			((await elasticClient.searchUsersByQuery({ search: { queryString } })).response.users ?? []).map((user) => user.id).sort();
		const withMethods = [alice.id, erin.id, sam.id, max.id].sort();
		const withoutMethods = [nora.id, emma.id, olga.id].sort();
		expect(await ids('(active:true) AND _exists_:twoFactor.methods')).toEqual(withMethods);
		expect(await ids('(email:*@example.com) AND !(_exists_:twoFactor.methods)')).toEqual(withoutMethods);
		expect(await ids('(lastName:totp) AND _exists_:twoFactor.methods')).toEqual([alice.id]);
		expect(await ids('*TOTP*')).toEqual([alice.id]);
		expect(await ids('firstName:erin')).toEqual([erin.id]);
		expect(await ids('!firstName:erin AND _exists_:twoFactor.methods')).toEqual([alice.id, sam.id, max.id].sort());
	});

	it("answers the report's method counts and the campaign's one-sided range on insertInstant", async () => {
		const count = async (queryString: string) =>
			(await elasticClient.searchUsersByQuery({ search: { queryString, numberOfResults: 1, accurateTotal: true } })).response.total;
		// The demo users: Alice an authenticator, Erin email, Sam SMS, Max all three.
		expect(await count('twoFactor.methods.method:authenticator')).toBe(2);
		expect(await count('twoFactor.methods.method:email')).toBe(2);
		expect(await count('twoFactor.methods.method:sms')).toBe(2);
		expect(await count('twoFactor.methods.method:voice')).toBe(0);
		elastic.users.add({ id: '3c000000-0000-4000-8000-000000000001', email: 'later@example.com' });
		const all = (await elasticClient.searchUsersByQuery({ search: { queryString: '*', numberOfResults: 100 } })).response.users ?? [];
		const instants = all.map((user) => user.insertInstant as number);
		const added = all.find((user) => user.email === 'later@example.com')?.insertInstant as number;
		const earliest = Math.min(...instants);
		expect(await count(`insertInstant:>=${earliest}`)).toBe(all.length);
		expect(await count(`insertInstant:>=${added}`)).toBe(instants.filter((instant) => instant >= added).length);
		expect(await count(`insertInstant:>${added}`)).toBe(0);
		expect(await count(`insertInstant:<${earliest}`)).toBe(0);
		expect(await count(`insertInstant:<=${added}`)).toBe(all.length);
		expect(await count(`(email:later*) AND insertInstant:>=${added}`)).toBe(1);
		expect(await count(`(email:later*) AND insertInstant:>${added}`)).toBe(0);
	});

	it.each([
		['OR', 'active:true OR active:false'],
		['clauses side by side (an implicit OR)', 'alice erin'],
		['NOT', 'NOT active:false'],
		['&&', 'active:true && verified:true'],
		['a quoted phrase', 'firstName:"Alice"'],
		['the ? wildcard', 'email:alice?totp*'],
		['a range', 'insertInstant:[0 TO 1]'],
		['a leading -', '-active:false'],
		['field:*', 'email:*'],
	])('answers 400 [invalid]search.queryString for %s, which it does not answer', async (_name, queryString) => {
		const response = await failure(elasticClient.searchUsersByQuery({ search: { queryString } }));
		expect(response.statusCode).toBe(400);
		expect(fieldCodes(response)).toEqual({ 'search.queryString': ['[invalid]search.queryString'] });
		expect(errorsOf(response).fieldErrors['search.queryString'][0].message).toContain('Unsupported query syntax');
	});

	it('pages with nextResults until an empty page, sorted as asked', async () => {
		for (let i = 0; i < 23; i++) {
			elastic.users.add({ id: `1a000000-0000-4000-8000-${String(i).padStart(12, '0')}`, email: `bulk${String(i).padStart(2, '0')}@example.com` });
		}
		const first = await elasticClient.searchUsersByQuery({ search: { queryString: 'email:bulk*', numberOfResults: 10, sortFields: [{ name: 'email', order: Sort.desc }] } });
		expect(first.response.total).toBe(23);
		const emails = (first.response.users ?? []).map((user) => user.email as string);
		let nextResults = first.response.nextResults;
		let pages = 1;
		while (nextResults !== undefined) {
			const page = await elasticClient.searchUsersByQuery({ search: { nextResults, numberOfResults: 10 } });
			pages++;
			emails.push(...(page.response.users ?? []).map((user) => user.email as string));
			nextResults = page.response.nextResults;
			expect(pages).toBeLessThan(10);
		}
		expect(emails).toHaveLength(23);
		expect(emails[0]).toBe('bulk22@example.com');
		expect(emails).toEqual([...emails].sort().reverse());
		expect(pages).toBe(4);
		const combined = await failure(elasticClient.searchUsersByQuery({ search: { nextResults: first.response.nextResults, queryString: '*' } }));
		expect(fieldCodes(combined)).toEqual({ 'search.nextResults': ['[invalid]search.nextResults'] });
	});

	it('caps total at 10,000 unless accurateTotal, and refuses startRow past the window', async () => {
		for (let i = 0; i < 10_000; i++) {
			elastic.users.add({ id: `2b000000-0000-4000-8000-${String(i).padStart(12, '0')}`, email: `many${i}@example.com` });
		}
		const capped = await elasticClient.searchUsersByQuery({ search: { queryString: '*', numberOfResults: 1 } });
		expect(capped.response.total).toBe(10_000);
		const accurate = await elasticClient.searchUsersByQuery({ search: { queryString: '*', numberOfResults: 1, accurateTotal: true } });
		expect(accurate.response.total).toBe(10_007);
		const beyond = await failure(elasticClient.searchUsersByQuery({ search: { queryString: '*', numberOfResults: 25, startRow: 9_990 } }));
		expect(beyond.statusCode).toBe(400);
	});
});

describe('tenants', () => {
	const SECOND_TENANT = '7e7e7e7e-0000-4000-8000-000000000000';
	let multi: Simulator;

	beforeAll(async () => {
		multi = await startSimulator({
			tenants: [DEFAULT_TENANT_ID, SECOND_TENANT],
			apiKeys: [DEFAULT_API_KEY, { key: 'second-tenant-key', tenantId: SECOND_TENANT }],
			users: [
				DEMO_USERS.authenticator,
				{ id: '3c000000-0000-4000-8000-000000000000', email: 'other@example.com', tenantId: SECOND_TENANT },
			],
		});
	});

	afterAll(async () => {
		await multi.close();
	});

	it('answers 400 [TenantIdRequired] when the tenant cannot be told from the request', async () => {
		const unscoped = new FusionAuthClient(DEFAULT_API_KEY, multi.url);
		const response = await failure(unscoped.login({ loginId: alice.email, password: DEMO_PASSWORD }));
		expect(response.statusCode).toBe(400);
		expect(errorsOf(response).generalErrors.map((error) => error.code)).toEqual(['[TenantIdRequired]']);
		expect((await failure(unscoped.startTwoFactorLogin({ loginId: alice.email }))).statusCode).toBe(400);
	});

	it('answers 400 [TenantIdRequired] to a user lookup by email, username or login ID without a tenant, and looks up within the tenant', async () => {
		const unscoped = new FusionAuthClient(DEFAULT_API_KEY, multi.url);
		for (const lookup of [
			unscoped.retrieveUserByEmail(alice.email!),
			unscoped.retrieveUserByUsername('alice'),
			unscoped.retrieveUserByLoginId(alice.email!),
		]) {
			const response = await failure(lookup);
			expect(response.statusCode).toBe(400);
			expect(errorsOf(response).generalErrors.map((error) => error.code)).toEqual(['[TenantIdRequired]']);
		}
		const withHeader = new FusionAuthClient(DEFAULT_API_KEY, multi.url, DEFAULT_TENANT_ID);
		expect((await withHeader.retrieveUserByEmail(alice.email!)).response.user?.id).toBe(alice.id);
		expect((await failure(withHeader.retrieveUserByEmail('other@example.com'))).statusCode).toBe(404);
		const scoped = new FusionAuthClient('second-tenant-key', multi.url);
		expect((await scoped.retrieveUserByEmail('other@example.com')).response.user?.id).toBe('3c000000-0000-4000-8000-000000000000');
	});

	it('resolves the tenant from the header, a tenant-scoped key or the application', async () => {
		const withHeader = new FusionAuthClient(DEFAULT_API_KEY, multi.url, DEFAULT_TENANT_ID);
		expect((await withHeader.login({ loginId: alice.email, password: DEMO_PASSWORD })).statusCode).toBe(242);
		const scoped = new FusionAuthClient('second-tenant-key', multi.url);
		expect((await scoped.login({ loginId: 'other@example.com', password: DEMO_PASSWORD })).statusCode).toBe(200);
		expect((await failure(scoped.retrieveUser(alice.id))).statusCode).toBe(404);
		expect((await failure(new FusionAuthClient('second-tenant-key', multi.url, DEFAULT_TENANT_ID).retrieveUser(alice.id))).statusCode).toBe(401);
		const unscoped = new FusionAuthClient(DEFAULT_API_KEY, multi.url);
		expect((await unscoped.login({ loginId: alice.email, password: DEMO_PASSWORD, applicationId: DEFAULT_APPLICATION_ID })).statusCode).toBe(242);
	});

	it('needs no tenant for operations scoped by a user id, unless configured to always require one', async () => {
		const unscoped = new FusionAuthClient(DEFAULT_API_KEY, multi.url);
		expect((await unscoped.retrieveUser(alice.id)).statusCode).toBe(200);
		const strict = await startSimulator({ tenants: [DEFAULT_TENANT_ID, SECOND_TENANT], tenantIdRequired: 'always' });
		try {
			const strictClient = new FusionAuthClient(DEFAULT_API_KEY, strict.url);
			const response = await failure(strictClient.retrieveUser(alice.id));
			expect(errorsOf(response).generalErrors[0].code).toBe('[TenantIdRequired]');
			expect((await new FusionAuthClient(DEFAULT_API_KEY, strict.url, DEFAULT_TENANT_ID).retrieveUser(alice.id)).statusCode).toBe(200);
		} finally {
			await strict.close();
		}
	});

	it('answers 400 to a tenant header that names no tenant', async () => {
		const bogus = new FusionAuthClient(DEFAULT_API_KEY, multi.url, '');
		expect((await failure(bogus.retrieveUser(alice.id))).statusCode).toBe(400);
	});
});

describe('anything else', () => {
	it('answers 404 to undocumented paths and methods', async () => {
		const headers = { Authorization: DEFAULT_API_KEY };
		expect((await raw('/api/nothing', { headers })).status).toBe(404);
		expect((await raw(`/api/user/${alice.id}/extra`, { headers })).status).toBe(404);
		expect((await raw(`/api/user/two-factor/${alice.id}`, { method: 'PATCH', headers })).status).toBe(404);
		expect((await raw('/api/two-factor/secret', { method: 'POST', headers })).status).toBe(404);
	});

	it('records every request with method, path, query, headers and body', async () => {
		await client.disableTwoFactor(alice.id, '2KSZ', totp(ALICE_KEY, clock));
		expect(sim.requests).toHaveLength(1);
		expect(sim.requests[0]).toMatchObject({
			method: 'DELETE',
			path: `/api/user/two-factor/${alice.id}`,
			query: { methodId: '2KSZ' },
			body: '',
			status: 200,
		});
		expect(sim.requests[0].headers.authorization).toBe(DEFAULT_API_KEY);
		expect(sim.stats.requestsTotal).toBe(1);
	});

	it('exposes the demo users, their current TOTP and snapshots', () => {
		expect(sim.users.totp(alice.id)).toBe(totp(ALICE_KEY, clock));
		expect(sim.users.find('ALICE.TOTP@example.com')?.id).toBe(alice.id);
		expect(sim.users.list()).toHaveLength(7);
		expect(sim.users.get(sam.id)?.methods[0]).toMatchObject({ id: 'SM5P', method: 'sms', mobilePhone: '+15555550123' });
	});
});
