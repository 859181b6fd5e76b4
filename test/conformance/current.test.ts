import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';
import type { WireRequest } from '../harness/wire';
import { onTheWire } from '../harness/wire';

// FusionAuth 1.26+: the request the node sends must be the one FusionAuth's own client sends.
const API_KEY = 'conformance-api-key-5f1d';
const TENANT_ID = '6b0c8d4e-1f2a-4b3c-9d8e-7f6a5b4c3d2e';
const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
const APPLICATION_ID = '85a03867-dccf-4882-adde-1a79aeec50df';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIyYzFlIn0.c2lnbmF0dXJl';
const TWO_FACTOR_ID = 'YkQY5Gsyo4RlfmDciBGRmvfj3RmatUqrbjoIZ19fmw4';

const server = useRecordingServer();

async function viaNode(parameters: INodeParameters, tenantId = TENANT_ID): Promise<WireRequest> {
	server.reset();
	const result = await runNode({
		parameters: { apiVersion: 'current', ...parameters },
		credentials: { baseUrl: server.url, apiKey: API_KEY, tenantId },
	});
	expect(result.error).toBeUndefined();
	expect(server.requests).toHaveLength(1);
	return onTheWire(server.requests[0]);
}

async function viaClient(
	call: (client: FusionAuthClient) => Promise<unknown>,
	tenantId: string | null = TENANT_ID,
): Promise<WireRequest> {
	server.reset();
	await call(new FusionAuthClient(API_KEY, server.url, tenantId ?? undefined));
	expect(server.requests).toHaveLength(1);
	return onTheWire(server.requests[0]);
}

describe('requests equal the official client', () => {
	const cases: Array<{
		name: string;
		parameters: INodeParameters;
		client: (client: FusionAuthClient) => Promise<unknown>;
	}> = [
		{
			name: 'twoFactor.enable, authenticator with a Base64 secret',
			parameters: {
				resource: 'twoFactor',
				operation: 'enable',
				userId: USER_ID,
				method: 'authenticator',
				code: '123456',
				secret: 'aGVsbG8gd29ybGQgc2VjcmV0IQ==',
			},
			client: (c) =>
				c.enableTwoFactor(USER_ID, {
					method: 'authenticator',
					code: '123456',
					secret: 'aGVsbG8gd29ybGQgc2VjcmV0IQ==',
				}),
		},
		{
			name: 'twoFactor.enable, authenticator with a Base32 secret, name, application and twoFactorId',
			parameters: {
				resource: 'twoFactor',
				operation: 'enable',
				userId: USER_ID,
				method: 'authenticator',
				code: '654321',
				secret: 'NBSWY3DPEB3W64TMMQ',
				secretEncoding: 'base32',
				additionalFields: {
					name: 'Work phone',
					applicationId: APPLICATION_ID,
					twoFactorId: TWO_FACTOR_ID,
				},
			},
			client: (c) =>
				c.enableTwoFactor(USER_ID, {
					method: 'authenticator',
					code: '654321',
					secretBase32Encoded: 'NBSWY3DPEB3W64TMMQ',
					name: 'Work phone',
					applicationId: APPLICATION_ID,
					twoFactorId: TWO_FACTOR_ID,
				} as never),
		},
		{
			name: 'twoFactor.enable, email',
			parameters: {
				resource: 'twoFactor',
				operation: 'enable',
				userId: USER_ID,
				method: 'email',
				code: '998877',
				email: 'jane@example.com',
			},
			client: (c) => c.enableTwoFactor(USER_ID, { method: 'email', code: '998877', email: 'jane@example.com' }),
		},
		{
			name: 'twoFactor.enable, sms',
			parameters: {
				resource: 'twoFactor',
				operation: 'enable',
				userId: USER_ID,
				method: 'sms',
				code: '112233',
				mobilePhone: '+15555550123',
			},
			client: (c) => c.enableTwoFactor(USER_ID, { method: 'sms', code: '112233', mobilePhone: '+15555550123' }),
		},
		{
			name: 'twoFactor.disable',
			parameters: { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: '2KSZ', code: '123456' },
			client: (c) => c.disableTwoFactor(USER_ID, '2KSZ', '123456'),
		},
		{
			name: 'secret.generate with the API key',
			parameters: { resource: 'secret', operation: 'generate' },
			client: (c) => c.generateTwoFactorSecret(),
		},
		{
			name: 'secret.generate with the user JWT',
			parameters: { resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt: JWT },
			client: (c) => c.generateTwoFactorSecretUsingJWT(JWT),
		},
		{
			name: 'code.send to enable an email method',
			parameters: {
				resource: 'code',
				operation: 'send',
				userId: USER_ID,
				purpose: 'enable',
				method: 'email',
				email: 'jane@example.com',
			},
			client: (c) =>
				c.sendTwoFactorCodeForEnableDisable({ userId: USER_ID, method: 'email', email: 'jane@example.com' }),
		},
		{
			name: 'code.send to enable an SMS method, by voice, for an application',
			parameters: {
				resource: 'code',
				operation: 'send',
				userId: USER_ID,
				purpose: 'enable',
				method: 'sms',
				mobilePhone: '+15555550123',
				additionalFields: { applicationId: APPLICATION_ID, messageType: 'Voice' },
			},
			client: (c) =>
				c.sendTwoFactorCodeForEnableDisable({
					userId: USER_ID,
					method: 'sms',
					mobilePhone: '+15555550123',
					applicationId: APPLICATION_ID,
					messageType: 'Voice',
				} as never),
		},
		{
			name: 'code.send to disable a method',
			parameters: { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'disable', methodId: '2KSZ' },
			client: (c) => c.sendTwoFactorCodeForEnableDisable({ userId: USER_ID, methodId: '2KSZ' }),
		},
		{
			name: 'code.sendForLogin',
			parameters: { resource: 'code', operation: 'sendForLogin', twoFactorId: TWO_FACTOR_ID, methodId: 'K2UQ' },
			client: (c) => c.sendTwoFactorCodeForLoginUsingMethod(TWO_FACTOR_ID, { methodId: 'K2UQ' }),
		},
		{
			name: 'code.sendForLogin by voice',
			parameters: {
				resource: 'code',
				operation: 'sendForLogin',
				twoFactorId: TWO_FACTOR_ID,
				methodId: 'K2UQ',
				additionalFields: { messageType: 'Voice' },
			},
			client: (c) =>
				c.sendTwoFactorCodeForLoginUsingMethod(TWO_FACTOR_ID, { methodId: 'K2UQ', messageType: 'Voice' } as never),
		},
	];

	test.each(cases)('$name', async ({ parameters, client }) => {
		const expected = await viaClient(client);
		expect(await viaNode(parameters)).toEqual(expected);
	});

	test.each(cases)('$name, without a tenant', async ({ parameters, client }) => {
		const expected = await viaClient(client, null);
		const sent = await viaNode(parameters, '');
		expect(sent.tenantId).toBeUndefined();
		expect(sent).toEqual(expected);
	});
});

describe('JWT forms, which the official client does not have (API notes)', () => {
	const bearer = `Bearer ${JWT}`;

	test('twoFactor.enable by JWT: POST /api/user/two-factor, the API-key body, Bearer and no key', async () => {
		const byKey = await viaClient((c) =>
			c.enableTwoFactor(USER_ID, { method: 'authenticator', code: '123456', secret: 'c2VjcmV0' }),
		);
		const sent = await viaNode({
			resource: 'twoFactor',
			operation: 'enable',
			authenticateWith: 'jwt',
			jwt: JWT,
			method: 'authenticator',
			code: '123456',
			secret: 'c2VjcmV0',
		});
		expect(sent).toEqual({ ...byKey, url: '/api/user/two-factor', authorization: bearer });
	});

	test('twoFactor.disable by JWT: DELETE /api/user/two-factor?methodId=&code=', async () => {
		const sent = await viaNode({
			resource: 'twoFactor',
			operation: 'disable',
			authenticateWith: 'jwt',
			jwt: JWT,
			methodId: '2KSZ',
			code: '123456',
		});
		expect(sent).toEqual({
			method: 'DELETE',
			url: '/api/user/two-factor?methodId=2KSZ&code=123456',
			authorization: bearer,
			tenantId: TENANT_ID,
			contentType: undefined,
			body: undefined,
		});
	});

	test('code.send by JWT: POST /api/two-factor/send, the API-key body without userId', async () => {
		const byKey = await viaClient((c) =>
			c.sendTwoFactorCodeForEnableDisable({ userId: USER_ID, method: 'email', email: 'jane@example.com' }),
		);
		const sent = await viaNode({
			resource: 'code',
			operation: 'send',
			authenticateWith: 'jwt',
			jwt: JWT,
			purpose: 'enable',
			method: 'email',
			email: 'jane@example.com',
		});
		const { userId: _userId, ...bodyWithoutUser } = byKey.body as IDataObject;
		expect(sent).toEqual({ ...byKey, authorization: bearer, body: bodyWithoutUser });
	});
});

describe('where the official client has a bug not to copy', () => {
	test('twoFactor.disable leaves an unset applicationId out and sends a set one (FusionAuth 1.44+)', async () => {
		const without = await viaNode({
			resource: 'twoFactor',
			operation: 'disable',
			userId: USER_ID,
			methodId: '2KSZ',
			code: '123456',
			additionalFields: { applicationId: '' },
		});
		expect(without.url).toBe(`/api/user/two-factor/${USER_ID}?methodId=2KSZ&code=123456`);
		const withApplication = await viaNode({
			resource: 'twoFactor',
			operation: 'disable',
			userId: USER_ID,
			methodId: '2KSZ',
			code: '123456',
			additionalFields: { applicationId: APPLICATION_ID },
		});
		expect(withApplication.url).toBe(
			`/api/user/two-factor/${USER_ID}?methodId=2KSZ&code=123456&applicationId=${APPLICATION_ID}`,
		);
	});

	test('twoFactor.disable with a recovery code and no method id sends only the code', async () => {
		const sent = await viaNode({
			resource: 'twoFactor',
			operation: 'disable',
			userId: USER_ID,
			methodId: '',
			code: 'XK7PD-2LQ9W',
		});
		expect(sent.url).toBe(`/api/user/two-factor/${USER_ID}?code=XK7PD-2LQ9W`);
	});
});
