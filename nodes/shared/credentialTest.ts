import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { baseUrlProblem, parseBaseUrl } from './baseUrl';
import { credentialText, credentialValueProblem, withCredentialSettings } from './credentialValues';
import { connectionErrorCode, firstMessage, hasErrorCode } from './errors';
import { buildUrl } from './request';
import type { Exchanged } from './send';
import { exchange, sendWithFetch } from './send';

/** The endpoint the test calls: a harmless read that needs a valid API key and nothing else. */
const TEST_PATH = ['two-factor', 'secret'];
const TEST_ENDPOINT = `/api/${TEST_PATH.join('/')}`;
const TIMEOUT_MS = 15_000;
/** FusionAuth's answer to the test is a secret in two encodings, well under a KiB. */
const MAX_TEST_BODY_BYTES = 64 * 1024;

interface TestResponse {
	statusCode: number;
	body?: unknown;
}

const error = (message: string): INodeCredentialTestResult => ({ status: 'Error', message });

/** A 400's body as FusionAuth's error object, when it is one. */
function errorBody(body: unknown): IDataObject | undefined {
	return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as IDataObject) : undefined;
}

/** The words the credential dialog shows for FusionAuth's answer to GET /api/two-factor/secret. */
export function judgeTestResponse(baseUrl: string, response: TestResponse): INodeCredentialTestResult {
	const { statusCode, body } = response;
	if (statusCode === 200) {
		const secret = typeof body === 'object' && body !== null ? (body as IDataObject).secret : undefined;
		if (typeof secret === 'string' && secret !== '') return { status: 'OK', message: 'Connection successful' };
		return error(
			`The server at ${baseUrl} answered, but not as FusionAuth does: check that the Base URL is where FusionAuth is served`,
		);
	}
	if (statusCode === 401) {
		return error(
			`FusionAuth rejected the API key. Check the key, and that it is allowed to call GET ${TEST_ENDPOINT}.`,
		);
	}
	if (statusCode === 400 && hasErrorCode(errorBody(body), 'TenantIdRequired')) {
		return error(
			'FusionAuth needs a tenant for this API key: set Tenant ID in the credential (the server has several tenants and the key is not limited to one).',
		);
	}
	if (statusCode === 400) {
		const message = firstMessage(errorBody(body));
		return error(`FusionAuth refused the test request (400)${message ? `: ${message.replace(/\.$/, '')}` : ''}. Check the Tenant ID.`);
	}
	if (statusCode >= 300 && statusCode < 400) {
		// Following it would send the API key wherever the redirect points.
		return error(
			`${baseUrl} answered with a redirect (${statusCode}), which FusionAuth's API never does; it was not followed. Check the Base URL (for example http:// instead of https://, or a missing path prefix).`,
		);
	}
	if (statusCode === 404) {
		return error(
			`There is no FusionAuth API at ${baseUrl} (404 for ${TEST_ENDPOINT}): check the Base URL and its path prefix`,
		);
	}
	return error(`FusionAuth at ${baseUrl} answered ${statusCode} to ${TEST_ENDPOINT}: try again later, or check the server`);
}

/** Why a request got no complete answer, in words that point at the Base URL. */
function unreachable(baseUrl: string, failed: Extract<Exchanged, { outcome: 'failed' }>, ignoreSslIssues: boolean): INodeCredentialTestResult {
	if (failed.phase === 'deadline') {
		return error(`Could not reach FusionAuth at ${baseUrl}: no complete answer within ${TIMEOUT_MS / 1000} seconds. Check the Base URL and that the server is running.`);
	}
	const code = failed.code ?? connectionErrorCode(failed.cause) ?? '';
	if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
		return error(
			ignoreSslIssues
				? `The TLS certificate of ${baseUrl} cannot be verified (${code}). Ignore SSL Issues applies to the node's requests, but this test cannot skip the check: save the credential and try it in a workflow.`
				: `The TLS certificate of ${baseUrl} cannot be verified (${code}). For a development server with a self-signed certificate, turn on Ignore SSL Issues.`,
		);
	}
	const reasons: Record<string, string> = {
		ECONNREFUSED: 'nothing accepts connections there',
		ENOTFOUND: 'the host name is not known',
		EAI_AGAIN: 'the host name could not be looked up',
		ECONNRESET: 'the connection was closed',
		ETIMEDOUT: 'it did not answer in time',
		UND_ERR_CONNECT_TIMEOUT: 'it did not answer in time',
		EHOSTUNREACH: 'the host cannot be reached',
		ENETUNREACH: 'the network cannot be reached',
	};
	const reason = reasons[code] ?? (code ? `error ${code}` : 'no answer');
	return error(`Could not reach FusionAuth at ${baseUrl}: ${reason}. Check the Base URL and that the server is running.`);
}

/**
 * The credential test, run by n8n 1.x and 2.x alike (a credential's declarative `test` gets its
 * rules' messages shown only on 2.x). One GET with the API key and tenant, no redirect followed.
 */
export async function fusionAuthApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const problem = baseUrlProblem(data.baseUrl);
	if (problem !== undefined) return error(problem);
	const baseUrl = parseBaseUrl(data.baseUrl);
	// The same rule as the node's requests: trimmed, and refused with control characters.
	const apiKey = credentialText(data.apiKey);
	if (apiKey === '') return error('The API Key in the FusionAuth credential is empty');
	const valueProblem = credentialValueProblem(data);
	if (valueProblem !== undefined) return error(valueProblem);
	// The test's sending function (shared/send.ts) cannot skip certificate checks: Ignore SSL
	// Issues cannot apply here (see unreachable).
	const { headers } = withCredentialSettings({ headers: { Authorization: apiKey, Accept: 'application/json' } }, data);
	const url = buildUrl(baseUrl, { path: TEST_PATH });
	const exchanged = await exchange(sendWithFetch, { method: 'GET', url, headers }, { timeoutMs: TIMEOUT_MS, maxBodyBytes: MAX_TEST_BODY_BYTES });
	switch (exchanged.outcome) {
		case 'failed':
			return unreachable(baseUrl, exchanged, data.ignoreSslIssues === true);
		case 'redirect':
			// Reported, never followed: following it would carry the key to another place.
			return judgeTestResponse(baseUrl, { statusCode: exchanged.statusCode });
		case 'tooLarge':
			return error(
				`The server at ${baseUrl} answered ${exchanged.statusCode} with more than ${MAX_TEST_BODY_BYTES / 1024} KiB, where FusionAuth answers with a few hundred bytes: check that the Base URL is where FusionAuth is served`,
			);
		case 'answer': {
			const { body } = exchanged;
			return judgeTestResponse(baseUrl, {
				statusCode: exchanged.statusCode,
				body: body.kind === 'json' ? body.value : body.kind === 'text' ? body.text : undefined,
			});
		}
	}
}
