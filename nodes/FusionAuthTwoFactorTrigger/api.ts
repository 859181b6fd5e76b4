/**
 * The trigger's calls to FusionAuth: the Webhook and Tenant APIs, and the public JWKS. All go
 * through the shared `exchange` (shared/send.ts), under the node's rules: one deadline for the
 * whole exchange, size limits, no redirect followed.
 */
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { parseBaseUrl } from '../shared/baseUrl';
import { CREDENTIAL_TYPE, credentialText, credentialValueProblem } from '../shared/credentialValues';
import { errorFromConnection, listFusionAuthErrors, redirectError, tooLargeError } from '../shared/errors';
import type { FusionAuthRequest, HttpMethod, PathSegment } from '../shared/request';
import { buildUrl, describeEndpoint, unsafePathSegment } from '../shared/request';
import { isJsonObject, MAX_BODY_BYTES } from '../shared/response';
import { exchange, sendWithApiKey, sendWithoutApiKey } from '../shared/send';

/** The Webhook and Tenant API calls run on activation and deactivation, with nobody waiting on a delivery. */
const TIMEOUT_MS = 10_000;
/**
 * The key set is fetched while FusionAuth waits for the delivery's answer (see registration.ts;
 * a webhook set up by hand may allow as little as 2 s): a fetch must end before that, or
 * the delivery fails even with a good key.
 */
export const JWKS_TIMEOUT_MS = 1_500;
/** A key set holds a few public keys of a few KiB each; anything far larger is not FusionAuth's. */
export const MAX_JWKS_BYTES = 256 * 1024;

type Context = IHookFunctions | IWebhookFunctions;

export interface Credential {
	baseUrl: string;
	tenantId: string;
	ignoreSslIssues: boolean;
}

export async function readCredential(context: Context): Promise<Credential> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	let baseUrl: string;
	try {
		baseUrl = parseBaseUrl(credentials.baseUrl);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message);
	}
	const problem = credentialValueProblem(credentials);
	if (problem !== undefined) throw new NodeOperationError(context.getNode(), problem);
	return {
		baseUrl,
		tenantId: credentialText(credentials.tenantId),
		ignoreSslIssues: credentials.ignoreSslIssues === true,
	};
}

export interface ApiAnswer {
	statusCode: number;
	/** FusionAuth's JSON object, or undefined when the answer held none. */
	body: IDataObject | undefined;
}

/**
 * One API-key request to FusionAuth. Statuses come back as they are (a 404 on a webhook is an
 * answer, not a failure); a redirect, an answer too large, and no complete answer at all become
 * errors naming the server, never the key. Ids in `path` (a webhook id FusionAuth gave, a tenant
 * id) that would move the request to another path are refused before anything is sent.
 */
export async function callApi(
	context: Context,
	credential: Credential,
	method: HttpMethod,
	path: PathSegment[],
	body?: IDataObject,
	timeoutMs = TIMEOUT_MS,
): Promise<ApiAnswer> {
	const node = context.getNode();
	const request: FusionAuthRequest = { method, path, authentication: { type: 'apiKey' } };
	const unsafe = unsafePathSegment(path);
	if (unsafe !== undefined) {
		throw new NodeOperationError(node, `Refusing to send ${describeEndpoint(request)} with ${unsafe.parameter} "${unsafe.value}"`, {
			description: `As a path segment, "${unsafe.value}" would send the request to another path of FusionAuth's API. Nothing was sent.`,
		});
	}
	const url = buildUrl(credential.baseUrl, request);
	const exchanged = await exchange(
		sendWithApiKey(context),
		{
			method,
			url,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		},
		{ timeoutMs, maxBodyBytes: MAX_BODY_BYTES },
	);
	switch (exchanged.outcome) {
		case 'failed':
			throw errorFromConnection(node, request, exchanged.cause, credential.baseUrl, timeoutMs, undefined, exchanged.phase, exchanged.statusCode);
		case 'redirect':
			throw redirectError(node, request, exchanged.statusCode, exchanged.location, url, undefined);
		case 'tooLarge':
			throw tooLargeError(node, request, exchanged.statusCode, exchanged.contentType, MAX_BODY_BYTES, undefined);
		case 'answer': {
			const read = exchanged.body;
			return { statusCode: exchanged.statusCode, body: read.kind === 'json' && isJsonObject(read.value) ? read.value : undefined };
		}
	}
}

/** The error for an answer the trigger cannot go on with, in FusionAuth's words where it gave any. */
export function apiFailure(context: Context, what: string, endpoint: string, answer: ApiAnswer): NodeApiError {
	const listed = listFusionAuthErrors(answer.body);
	let hint = listed.join('\n');
	if (answer.statusCode === 401) {
		hint = `FusionAuth rejected the API key: check it, and that it is allowed to call ${endpoint}.`;
	}
	const message = `${what}: FusionAuth answered ${answer.statusCode}`;
	return new NodeApiError(context.getNode(), { message }, { message, description: hint || `${endpoint} answered ${answer.statusCode}.`, httpCode: String(answer.statusCode) });
}

/**
 * The server's public JSON Web Key Set (no API key: it is public), within JWKS_TIMEOUT_MS and
 * MAX_JWKS_BYTES. Anything but a set (an error page, a proxy's 502, a redirect, a set too large,
 * no complete answer in time) throws, so that the keys already known are kept.
 */
export async function fetchJwks(context: Context, credential: Credential): Promise<unknown[]> {
	const exchanged = await exchange(
		sendWithoutApiKey(context, { ...credential }),
		{ method: 'GET', url: `${credential.baseUrl}/.well-known/jwks.json` },
		{ timeoutMs: JWKS_TIMEOUT_MS, maxBodyBytes: MAX_JWKS_BYTES },
	);
	switch (exchanged.outcome) {
		case 'failed':
			throw new Error(`FusionAuth's key set: no complete answer within ${JWKS_TIMEOUT_MS / 1000} s (${exchanged.code ?? exchanged.phase})`);
		case 'redirect':
			throw new Error(`FusionAuth's key set answered ${exchanged.statusCode}, a redirect, which is not followed`);
		case 'tooLarge':
			throw new Error(`FusionAuth's key set answered with more than ${MAX_JWKS_BYTES / 1024} KiB: refused`);
		case 'answer': {
			const { statusCode, body } = exchanged;
			const keys = body.kind === 'json' && isJsonObject(body.value) ? body.value.keys : undefined;
			if (statusCode !== 200 || !Array.isArray(keys)) {
				throw new Error(`FusionAuth's key set answered ${statusCode} without a list of keys`);
			}
			return keys as unknown[];
		}
	}
}
