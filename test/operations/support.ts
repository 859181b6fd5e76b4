import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { RunOptions, RunResult } from '../harness/n8n';
import { runNode } from '../harness/n8n';
import type { RecordedRequest, RecordingServer } from '../harness/recordingServer';
import type { SentHeadersAndBody } from '../harness/wire';
import { headersAndBody } from '../harness/wire';

export const API_KEY = 'operations-api-key-4e7b1d';
export const TENANT_ID = '9f3b2a1c-6d5e-4f70-8a9b-0c1d2e3f4a5b';
export const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
export const APPLICATION_ID = '85a03867-dccf-4882-adde-1a79aeec50df';
export const TWO_FACTOR_ID = 'YkQY5Gsyo4RlfmDciBGRmvfj3RmatUqrbjoIZ19fmw4';
export const ACCESS_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcGVyYXRpb25zIn0.YWNjZXNzLXRva2Vu';

export interface RunWithOptions extends Omit<RunOptions, 'parameters' | 'credentials'> {
	tenantId?: string;
}

/** Runs the node with the current API by default, against the given server, with the test credential. */
export async function runAgainst(
	server: RecordingServer,
	parameters: INodeParameters,
	options: RunWithOptions = {},
): Promise<RunResult> {
	const { tenantId = TENANT_ID, ...rest } = options;
	return await runNode({
		...rest,
		parameters: { apiVersion: 'current', ...parameters },
		credentials: { baseUrl: server.url, apiKey: API_KEY, tenantId },
	});
}

/** The parts of a request that decide what FusionAuth does with it, with the query parsed. */
export interface Wire extends SentHeadersAndBody {
	method: string;
	path: string;
	query: Record<string, string>;
}

export function wire(request: RecordedRequest): Wire {
	return { method: request.method, path: request.path, query: request.query, ...headersAndBody(request) };
}

/** Everything of a run a user or a log could see: output and error items, the error's texts and data. */
export function visibleText(result: RunResult): string {
	const error = result.error;
	return JSON.stringify({
		output: result.output.map((item) => item.json),
		errorOutput: result.errorOutput.map((item) => item.json),
		message: error?.message,
		description: error?.description,
		data: (error?.context as IDataObject | undefined)?.data,
	});
}

export function outputJson(result: RunResult): IDataObject[] {
	return result.output.map((item) => item.json);
}

/** A user's JWT (its signature is never checked by the node). */
export const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIyYzFlIn0.c2lnbmF0dXJl';

// Every value an AI agent must never see starts with LEAK.
export const LEAKY_METHOD = {
	id: 'M1AB',
	method: 'authenticator',
	name: 'Phone',
	secret: 'LEAK-method-secret',
	authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30, secret: 'LEAK-authenticator-secret' },
	lastUsed: 1_700_000_000_000,
};
export const LEAKY_USER = {
	id: USER_ID,
	email: 'jane@example.com',
	username: 'jane',
	active: true,
	password: 'LEAK-password-hash',
	salt: 'LEAK-salt',
	twoFactorSecret: 'LEAK-legacy-secret',
	twoFactorEnabled: true,
	twoFactor: { methods: [LEAKY_METHOD], recoveryCodes: ['LEAK-user-recovery'] },
	data: { note: 'LEAK-custom-data' },
	registrations: [{ applicationId: APPLICATION_ID, tokens: { idp: 'LEAK-registration-token' } }],
};
/** A passkey with its key material and custom data, which an agent must never see. */
export const LEAKY_PASSKEY = {
	id: 'c0ffee00-0000-4000-8000-000000000051',
	userId: USER_ID,
	displayName: "Jane's phone",
	name: "Jane's phone",
	credentialId: 'Y3JlZGVudGlhbC1pZA',
	transports: ['internal'],
	publicKey: '-----BEGIN PUBLIC KEY-----\nLEAK-public-key\n-----END PUBLIC KEY-----\n',
	attestationType: 'LEAK-attestation',
	data: { note: 'LEAK-passkey-data' },
};
/** An answer that carries every sensitive field FusionAuth documents, besides what each endpoint needs. */
export const POISONED_ANSWER = {
	recoveryCodes: ['LEAK-recovery-1', 'LEAK-recovery-2'],
	code: 'LEAK-code',
	secret: 'LEAK-secret',
	secretBase32Encoded: 'LEAK-base32',
	token: 'LEAK-token',
	refreshToken: 'LEAK-refresh-token',
	twoFactorTrustId: 'LEAK-trust-id',
	twoFactorSecret: 'LEAK-legacy-secret',
	twoFactorId: TWO_FACTOR_ID,
	methods: [LEAKY_METHOD],
	trusts: [{ applicationId: APPLICATION_ID, expiration: 1_800_000_000_000, startInstant: 1_700_000_000_000, twoFactorTrustId: 'LEAK-trust-2' }],
	user: LEAKY_USER,
	users: [LEAKY_USER],
	total: 1,
	credential: LEAKY_PASSKEY,
	credentials: [LEAKY_PASSKEY],
	// MFA policy: a tenant's and an application's settings, beside secrets FusionAuth keeps in them.
	tenant: {
		id: TENANT_ID,
		name: 'Default',
		multiFactorConfiguration: { loginPolicy: 'Required', authenticator: { enabled: true }, sms: { enabled: true, messengerId: 'LEAK-messenger' } },
		jwtConfiguration: { accessTokenKeyId: 'LEAK-key-id' },
		data: { note: 'LEAK-tenant-data' },
	},
	application: {
		id: APPLICATION_ID,
		name: 'Portal',
		tenantId: TENANT_ID,
		oauthConfiguration: { clientSecret: 'LEAK-client-secret' },
		multiFactorConfiguration: { loginPolicy: 'Required', trustPolicy: 'None', email: { templateId: 'LEAK-template' } },
	},
};
