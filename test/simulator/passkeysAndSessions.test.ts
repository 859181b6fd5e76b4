/**
 * Passkeys (WebAuthn API, 1.41+) and sessions (refresh tokens) in the simulator, held to
 * FusionAuth's official TypeScript client (1.69.0) and the documented statuses and bodies
 * (apis/webauthn.mdx with its _webauthn-response-body-base.mdx, apis/jwt.mdx "Revoke Refresh Tokens").
 */
import FusionAuthClient from '@fusionauth/typescript-client';
import type ClientResponse from '@fusionauth/typescript-client/build/src/ClientResponse';

import { DEFAULT_API_KEY, DEFAULT_APPLICATION_ID, DEMO_PASSWORD, DEMO_USERS, startSimulator } from './server';
import type { Simulator } from './server';

const { noMethods: nora, authenticator: alice, multi: max } = DEMO_USERS;
const [IPHONE, YUBIKEY] = max.passkeys.map((passkey) => passkey.id);
const UNKNOWN = '9d7e6f5a-0000-4000-8000-000000000000';
const SECOND_APPLICATION = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';

let sim: Simulator;
let client: FusionAuthClient;

beforeAll(async () => {
	sim = await startSimulator({ applications: [{ id: DEFAULT_APPLICATION_ID }, { id: SECOND_APPLICATION, name: 'Second' }] });
	client = new FusionAuthClient(DEFAULT_API_KEY, sim.url);
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.reset();
});

/** The client rejects with a ClientResponse on any non-2xx status. */
async function status(promise: Promise<ClientResponse<unknown>>): Promise<number> {
	try {
		return (await promise).statusCode;
	} catch (error) {
		if (error instanceof Error) throw error;
		return (error as ClientResponse<unknown>).statusCode;
	}
}

describe('passkeys', () => {
	test("lists a user's passkeys with every documented field, the public key in PEM", async () => {
		const answer = await client.retrieveWebAuthnCredentialsForUser(max.id);
		expect(answer.statusCode).toBe(200);
		const credentials = answer.response.credentials ?? [];
		expect(credentials.map((credential) => [credential.id, credential.displayName, credential.transports])).toEqual([
			[IPHONE, "Max's iPhone", ['internal', 'hybrid']],
			[YUBIKEY, 'YubiKey 5C', ['usb', 'nfc']],
		]);
		for (const credential of credentials) {
			expect(Object.keys(credential).sort()).toEqual(
				[
					'algorithm', 'attestationType', 'authenticatorSupportsUserVerification', 'credentialId', 'data', 'discoverable',
					'displayName', 'id', 'insertInstant', 'lastUseInstant', 'name', 'publicKey', 'relyingPartyId', 'signCount',
					'tenantId', 'transports', 'userAgent', 'userId',
				].sort(),
			);
			expect(credential).toMatchObject({ userId: max.id, tenantId: sim.tenantId, algorithm: -7, attestationType: 'none' });
			expect(credential.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
			expect(credential.credentialId).toMatch(/^[A-Za-z0-9_-]{43}$/);
		}
		expect(credentials[1]).toMatchObject({ signCount: 17, discoverable: false });
	});

	test('a user without passkeys has an empty list; an unknown user 404, a malformed id 400', async () => {
		expect((await client.retrieveWebAuthnCredentialsForUser(nora.id)).response).toEqual({ credentials: [] });
		expect(await status(client.retrieveWebAuthnCredentialsForUser(UNKNOWN))).toBe(404);
		expect(await status(client.retrieveWebAuthnCredentialsForUser('not-a-uuid'))).toBe(400);
	});

	test('retrieves one passkey by its id; 404 for an unknown one', async () => {
		const answer = await client.retrieveWebAuthnCredential(YUBIKEY);
		expect(answer.statusCode).toBe(200);
		expect(answer.response.credential).toMatchObject({ id: YUBIKEY, userId: max.id, displayName: 'YubiKey 5C' });
		expect(await status(client.retrieveWebAuthnCredential(UNKNOWN))).toBe(404);
	});

	test('deletes one passkey; the other stays', async () => {
		const deleted = await client.deleteWebAuthnCredential(IPHONE);
		expect(deleted.statusCode).toBe(200);
		expect(deleted.response).toBeUndefined();
		expect(await status(client.retrieveWebAuthnCredential(IPHONE))).toBe(404);
		expect(sim.users.get(max.id)?.passkeys.map((passkey) => passkey.id)).toEqual([YUBIKEY]);
		expect(await status(client.deleteWebAuthnCredential(IPHONE))).toBe(404);
	});

	test("deletes every passkey of one user, no one else's", async () => {
		const pat = sim.users.add({ id: '00000000-0000-4000-8000-0000000000a1', email: 'pat@example.com', passkeys: [{ displayName: 'Pixel' }] });
		expect(await status(client.deleteWebAuthnCredentialsForUser(max.id))).toBe(200);
		expect((await client.retrieveWebAuthnCredentialsForUser(max.id)).response.credentials).toEqual([]);
		expect(sim.users.get(pat.id)?.passkeys).toHaveLength(1);
		expect(await status(client.deleteWebAuthnCredentialsForUser(UNKNOWN))).toBe(404);
	});

	test('needs the API key and, for a limited key, its /api/webauthn permission per method', async () => {
		expect(await status(new FusionAuthClient('wrong-key', sim.url).retrieveWebAuthnCredentialsForUser(max.id))).toBe(401);
		const limited = await startSimulator({ apiKeys: [{ key: 'read-only', permissions: { '/api/webauthn': ['GET'] } }] });
		try {
			const readOnly = new FusionAuthClient('read-only', limited.url);
			expect(await status(readOnly.retrieveWebAuthnCredentialsForUser(max.id))).toBe(200);
			expect(await status(readOnly.deleteWebAuthnCredentialsForUser(max.id))).toBe(401);
			expect(limited.users.get(max.id)?.passkeys).toHaveLength(2);
		} finally {
			await limited.close();
		}
	});

	test('a legacy (1.25 and earlier) server has no WebAuthn API', async () => {
		const legacy = await startSimulator({ generation: 'legacy' });
		try {
			expect(await status(new FusionAuthClient(DEFAULT_API_KEY, legacy.url).retrieveWebAuthnCredentialsForUser(max.id))).toBe(404);
		} finally {
			await legacy.close();
		}
	});
});

describe('sessions (refresh tokens)', () => {
	test("lists a user's refresh tokens, and a login with an application adds one", async () => {
		const before = await client.retrieveRefreshTokens(max.id);
		expect(before.response.refreshTokens?.map((token) => [token.applicationId, token.metaData?.device?.name])).toEqual([
			[DEFAULT_APPLICATION_ID, "Max's iPhone"],
			[DEFAULT_APPLICATION_ID, 'Work laptop'],
		]);
		const login = await client.login({ loginId: nora.email, password: DEMO_PASSWORD, applicationId: DEFAULT_APPLICATION_ID });
		const tokens = (await client.retrieveRefreshTokens(nora.id)).response.refreshTokens ?? [];
		expect(tokens.map((token) => [token.id, token.token, token.userId])).toEqual([[login.response.refreshTokenId, login.response.refreshToken, nora.id]]);
	});

	test('revokeRefreshTokensByUserId ends every session of the user: a refresh is then refused', async () => {
		const login = await client.login({ loginId: nora.email, password: DEMO_PASSWORD, applicationId: DEFAULT_APPLICATION_ID });
		const refreshToken = login.response.refreshToken as string;
		expect(await status(client.exchangeRefreshTokenForJWT({ refreshToken }))).toBe(200);
		const revoked = await client.revokeRefreshTokensByUserId(nora.id);
		expect(revoked.statusCode).toBe(200);
		expect(revoked.response).toBeUndefined();
		expect((await client.retrieveRefreshTokens(nora.id)).response.refreshTokens).toEqual([]);
		expect(await status(client.exchangeRefreshTokenForJWT({ refreshToken }))).toBe(400);
		// Max's sessions are his own.
		expect(sim.users.get(max.id)?.refreshTokens).toHaveLength(2);
	});

	test("revokeRefreshTokensByUserIdForApplication ends only that application's sessions", async () => {
		const user = sim.users.add({
			id: '00000000-0000-4000-8000-0000000000b2',
			email: 'two.apps@example.com',
			registrations: [DEFAULT_APPLICATION_ID, SECOND_APPLICATION],
			refreshTokens: [{ deviceName: 'Phone' }, { deviceName: 'Laptop', applicationId: SECOND_APPLICATION }],
		});
		expect(await status(client.revokeRefreshTokensByUserIdForApplication(user.id, SECOND_APPLICATION))).toBe(200);
		expect(sim.users.get(user.id)?.refreshTokens.map((token) => token.applicationId)).toEqual([DEFAULT_APPLICATION_ID]);
	});

	test('answers 404 for an unknown user or application, 400 for an id that is not a UUID, 401 without the key', async () => {
		expect(await status(client.revokeRefreshTokensByUserId(UNKNOWN))).toBe(404);
		expect(await status(client.revokeRefreshTokensByUserIdForApplication(max.id, UNKNOWN))).toBe(404);
		expect(await status(client.revokeRefreshTokensByUserId('not-a-uuid'))).toBe(400);
		expect(await status(new FusionAuthClient('wrong-key', sim.url).revokeRefreshTokensByUserId(max.id))).toBe(401);
		expect(sim.users.get(max.id)?.refreshTokens).toHaveLength(2);
		expect(sim.users.get(alice.id)?.refreshTokens).toEqual([]);
	});
});
