/**
 * Case 2: an AI agent running the tool variant never receives a recovery code, a code, a secret or
 * a token, whatever FusionAuth (or something posing as it) answers, and cannot choose a code,
 * secret or address that would give it a second factor of a user's.
 */
import type { INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { NODE_TYPE } from '../harness/n8n';
import type { RecordedRequest } from '../harness/recordingServer';
import { errors, JWT, runAt, TWO_FACTOR_ID, USER_ID } from './support';

const TOOL_TYPE = `${NODE_TYPE}Tool`;
const APPLICATION_ID = '85a03867-dccf-4882-adde-1a79aeec50df';

// Every value an agent must never see starts with LEAK.
const method = {
	id: 'M1AB',
	method: 'authenticator',
	name: 'Phone',
	secret: 'LEAK-method-secret',
	authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30, secret: 'LEAK-authenticator-secret' },
	lastUsed: 1_700_000_000_000,
};
const user = {
	id: USER_ID,
	email: 'jane@example.com',
	username: 'jane',
	active: true,
	password: 'LEAK-password-hash',
	salt: 'LEAK-salt',
	twoFactorSecret: 'LEAK-legacy-secret',
	twoFactorEnabled: true,
	twoFactor: { methods: [method], recoveryCodes: ['LEAK-user-recovery'] },
	data: { note: 'LEAK-custom-data' },
	registrations: [{ applicationId: APPLICATION_ID, tokens: { idp: 'LEAK-registration-token' } }],
};
/** An answer that carries every sensitive field FusionAuth documents, besides what each endpoint needs. */
const poisoned = {
	recoveryCodes: ['LEAK-recovery-1', 'LEAK-recovery-2'],
	code: 'LEAK-code',
	secret: 'LEAK-secret',
	secretBase32Encoded: 'LEAK-base32',
	token: 'LEAK-token',
	refreshToken: 'LEAK-refresh-token',
	twoFactorTrustId: 'LEAK-trust-id',
	twoFactorSecret: 'LEAK-legacy-secret',
	twoFactorId: TWO_FACTOR_ID,
	methods: [method],
	trusts: [{ applicationId: APPLICATION_ID, expiration: 1_800_000_000_000, startInstant: 1_700_000_000_000, twoFactorTrustId: 'LEAK-trust-2' }],
	user,
	users: [user],
	total: 1,
};

const server = useRecordingServer({ status: 200, body: poisoned });

const asAgent = async (apiVersion: 'current' | 'legacy', parameters: INodeParameters) =>
	await runAt(server.url, { ...parameters, apiVersion }, { nodeType: TOOL_TYPE, onError: 'continueRegularOutput' });

describe('what agents receive', () => {
	test.each<[string, 'current' | 'legacy', INodeParameters, (output: Record<string, unknown>) => void]>([
		['Disable (current)', 'current', { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: 'M1AB', code: '123456' }, (out) => expect(out).toEqual({})],
		['Disable (legacy)', 'legacy', { resource: 'twoFactor', operation: 'disable', userId: USER_ID, code: '123456' }, (out) => expect(out).toEqual({})],
		['Update', 'current', { resource: 'twoFactor', operation: 'update', userId: USER_ID, methodId: 'M1AB', name: 'Work phone' }, (out) => expect(out).toEqual({})],
		['Send Code (current)', 'current', { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'disable', methodId: 'M1AB' }, (out) => expect(out).toEqual({})],
		['Send Code (legacy)', 'legacy', { resource: 'code', operation: 'send', userId: USER_ID }, (out) => expect(out).toEqual({})],
		['Send Code for Login (current)', 'current', { resource: 'code', operation: 'sendForLogin', twoFactorId: TWO_FACTOR_ID, methodId: 'M1AB' }, (out) => expect(out).toEqual({})],
		['Send Code for Login (legacy)', 'legacy', { resource: 'code', operation: 'sendForLogin', twoFactorId: TWO_FACTOR_ID }, (out) => expect(out).toEqual({})],
		['Start Login', 'current', { resource: 'login', operation: 'start', userId: USER_ID, applicationId: APPLICATION_ID }, (out) =>
			expect(out).toEqual({
				twoFactorId: TWO_FACTOR_ID,
				methods: [{ id: 'M1AB', method: 'authenticator', name: 'Phone', lastUsed: 1_700_000_000_000, authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } }],
			})],
		['Get Status', 'current', { resource: 'login', operation: 'getStatus', userId: USER_ID }, (out) =>
			expect(out).toEqual({
				statusCode: 200,
				twoFactorRequired: false,
				trusts: [{ applicationId: APPLICATION_ID, expiration: 1_800_000_000_000, startInstant: 1_700_000_000_000 }],
			})],
		['Get User (current)', 'current', { resource: 'user', operation: 'get', userId: USER_ID }, (out) => {
			expect(out).toMatchObject({ id: USER_ID, email: 'jane@example.com', username: 'jane', twoFactorEnabled: true });
			expect(out.twoFactorMethods).toEqual([expect.objectContaining({ id: 'M1AB', method: 'authenticator' })]);
		}],
		['Get User (legacy)', 'legacy', { resource: 'user', operation: 'get', userId: USER_ID }, (out) =>
			expect(out).toMatchObject({ id: USER_ID, twoFactorEnabled: true })],
		['Get Many Users (current)', 'current', { resource: 'user', operation: 'getMany', twoFactorStatus: 'any', returnAll: true }, (out) =>
			expect(out).toMatchObject({ id: USER_ID, email: 'jane@example.com' })],
		['Get Many Users (legacy)', 'legacy', { resource: 'user', operation: 'getMany', twoFactorStatus: 'enabled', returnAll: true }, (out) =>
			expect(out).toMatchObject({ id: USER_ID })],
	])('%s: only its allowed fields, none of the sensitive ones', async (_, apiVersion, parameters, expectOutput) => {
		const result = await asAgent(apiVersion, parameters);
		expect(errors(result)).toEqual([]);
		expect(result.output).toHaveLength(1);
		expect(server.requests).toHaveLength(1);
		expect(JSON.stringify(result.output)).not.toContain('LEAK');
		expectOutput(result.output[0].json as Record<string, unknown>);
	});

	test('people get FusionAuth\'s answer as it is (the allowlist is for agents only)', async () => {
		const result = await runAt(server.url, { resource: 'login', operation: 'start', userId: USER_ID });
		expect(result.output[0].json).toMatchObject({ code: 'LEAK-code', twoFactorId: TWO_FACTOR_ID });
	});
});

describe('what agents cannot do', () => {
	test.each<[string, 'current' | 'legacy', INodeParameters]>([
		['Enable with a secret of its own', 'current', { resource: 'twoFactor', operation: 'enable', userId: USER_ID, method: 'authenticator', code: '123456', secret: 'DlOdmbsOiI4Nk7n3oUIhOw==' }],
		['Enable with an address of its own', 'current', { resource: 'twoFactor', operation: 'enable', userId: USER_ID, method: 'email', code: '123456', email: 'agent@example.com' }],
		['Enable during a login (twoFactorId)', 'current', { resource: 'twoFactor', operation: 'enable', authenticateWith: 'jwt', jwt: JWT, method: 'authenticator', code: '1', secret: 'DlOdmbsOiI4Nk7n3oUIhOw==', additionalFields: { twoFactorId: TWO_FACTOR_ID } }],
		['Enable (legacy)', 'legacy', { resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'DlOdmbsOiI4Nk7n3oUIhOw==' }],
		['Remove All', 'current', { resource: 'twoFactor', operation: 'removeAll', userId: USER_ID }],
		['Generate Secret', 'current', { resource: 'secret', operation: 'generate' }],
		['Generate Secret (legacy)', 'legacy', { resource: 'secret', operation: 'generate' }],
		['Generate TOTP', 'current', { resource: 'code', operation: 'generateTotp', secret: 'DlOdmbsOiI4Nk7n3oUIhOw==' }],
		['Generate Recovery Codes', 'current', { resource: 'recoveryCode', operation: 'generate', userId: USER_ID }],
		['Get Recovery Codes', 'current', { resource: 'recoveryCode', operation: 'get', userId: USER_ID }],
		['Complete Login', 'current', { resource: 'login', operation: 'complete', twoFactorId: TWO_FACTOR_ID, code: '123456' }],
		['Start Login with a code of its own', 'current', { resource: 'login', operation: 'start', userId: USER_ID, additionalFields: { code: '000000' } }],
	])('%s: refused before any request, saying why', async (_, apiVersion, parameters) => {
		const result = await asAgent(apiVersion, parameters);
		expect(server.requests as RecordedRequest[]).toHaveLength(0);
		const failures = errors(result);
		expect(failures).toHaveLength(1);
		expect(failures[0].message).toMatch(/not available to AI agents|cannot be chosen by an AI agent/);
		expect(JSON.stringify(result.output)).not.toContain('LEAK');
	});
});
