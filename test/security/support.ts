import type { INodeParameters } from 'n8n-workflow';

import type { RunOptions, RunResult } from '../harness/n8n';
import { runNode } from '../harness/n8n';

export const API_KEY = 'security-api-key-7Qw2';
export const TENANT_ID = 'a7d0e3c2-5b1f-4e6a-9c8d-2f4b6a8c0e1d';
export const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
export const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWN1cml0eSJ9.c2VjdXJpdHktand0';
export const TWO_FACTOR_ID = 'YkQY5Gsyo4RlfmDciBGRmvfj3RmatUqrbjoIZ19fmw4';

/** Runs the node against `baseUrl` with the test credential, no retries unless asked. */
export async function runAt(
	baseUrl: string,
	parameters: INodeParameters,
	options: Omit<RunOptions, 'parameters'> = {},
): Promise<RunResult> {
	return await runNode({
		credentials: { baseUrl, apiKey: API_KEY, tenantId: TENANT_ID },
		...options,
		parameters: { apiVersion: 'current', options: { retries: 0 }, ...parameters },
	});
}

/** The error each item failed with (Continue On Fail: the error items; else the one that stopped the run). */
export { failures as errors } from '../harness/expectations';

/** An operation the node offers, with parameters that pass its own checks. */
export interface Case {
	title: string;
	apiVersion: 'current' | 'legacy';
	parameters: INodeParameters;
}

/** Operations that send something FusionAuth acts on or that carry a credential, in both API versions. */
export const stateChanging: Case[] = [
	{
		title: 'Enable (current) with the API key: code and secret in the body',
		apiVersion: 'current',
		parameters: { resource: 'twoFactor', operation: 'enable', userId: USER_ID, method: 'authenticator', code: '123456', secret: 'DlOdmbsOiI4Nk7n3oUIhOw==' },
	},
	{
		title: "Enable (current) with the user's JWT",
		apiVersion: 'current',
		parameters: { resource: 'twoFactor', operation: 'enable', authenticateWith: 'jwt', jwt: JWT, method: 'authenticator', code: '123456', secret: 'DlOdmbsOiI4Nk7n3oUIhOw==' },
	},
	{
		title: 'Enable (legacy) with the API key',
		apiVersion: 'legacy',
		parameters: { resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', secret: 'DlOdmbsOiI4Nk7n3oUIhOw==' },
	},
	{
		title: 'Disable (current) with a recovery code in the query',
		apiVersion: 'current',
		parameters: { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: '', code: 'RECOV-ERYCD' },
	},
	{
		title: 'Disable (legacy) with a code in the query',
		apiVersion: 'legacy',
		parameters: { resource: 'twoFactor', operation: 'disable', userId: USER_ID, code: '123456' },
	},
	{
		title: 'Complete Login, sent without credentials',
		apiVersion: 'current',
		parameters: { resource: 'login', operation: 'complete', twoFactorId: TWO_FACTOR_ID, code: '123456' },
	},
];
