/** The trigger's calls to FusionAuth: the Webhook, Tenant and Key APIs, and the public JWKS. */
import type { IDataObject, IHookFunctions, IHttpRequestOptions, IN8nHttpFullResponse, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { parseBaseUrl } from '../shared/baseUrl';
import { CREDENTIAL_TYPE, credentialText, credentialValueProblem, withCredentialSettings } from '../shared/credentialValues';
import { listFusionAuthErrors } from '../shared/errors';

const TIMEOUT_MS = 10_000;
/**
 * The key set is fetched while FusionAuth waits for the delivery's answer (2 s, see
 * registration.ts): a fetch must end before that, or the delivery fails even with a good key.
 */
const JWKS_TIMEOUT_MS = 1_500;

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
	body: IDataObject | undefined;
}

function parseBody(body: unknown): IDataObject | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	if (typeof body === 'string') {
		try {
			return parseBody(JSON.parse(body));
		} catch {
			return undefined;
		}
	}
	return typeof body === 'object' ? (body as IDataObject) : undefined;
}

/**
 * One API-key request to FusionAuth. Statuses come back as they are (a 404 on a webhook is an
 * answer, not a failure); no answer at all becomes an error naming the server, never the key.
 */
export async function callApi(
	context: Context,
	credential: Credential,
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
	path: string[],
	body?: IDataObject,
): Promise<ApiAnswer> {
	const options: IHttpRequestOptions = {
		method,
		url: `${credential.baseUrl}/api/${path.map((segment) => encodeURIComponent(segment)).join('/')}`,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// FusionAuth's API never redirects; following one would carry the API key elsewhere.
		disableFollowRedirect: true,
		timeout: TIMEOUT_MS,
	};
	if (body !== undefined) options.body = JSON.stringify(body);
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options)) as IN8nHttpFullResponse;
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		throw new NodeOperationError(
			context.getNode(),
			`Could not reach FusionAuth at ${credential.baseUrl}${typeof code === 'string' ? ` (${code})` : ''}`,
			{ description: `${method} /api/${path[0]}: no answer.` },
		);
	}
	return { statusCode: response.statusCode, body: parseBody(response.body) };
}

/** The error for an answer the trigger cannot go on with, in FusionAuth's words where it gave any. */
export function apiFailure(context: Context, what: string, endpoint: string, answer: ApiAnswer): NodeApiError {
	const listed = listFusionAuthErrors(answer.body);
	let hint = listed.join('\n');
	if (answer.statusCode === 401) {
		hint = `FusionAuth rejected the API key: check it, and that it is allowed to call ${endpoint}.`;
	} else if (answer.statusCode >= 300 && answer.statusCode < 400) {
		hint = 'FusionAuth answered with a redirect, which its API never does: check the Base URL in the credential.';
	}
	const message = `${what}: FusionAuth answered ${answer.statusCode}`;
	return new NodeApiError(context.getNode(), { message }, { message, description: hint || `${endpoint} answered ${answer.statusCode}.`, httpCode: String(answer.statusCode) });
}

/**
 * The server's public JSON Web Key Set (no credential: it is public). Anything but a set (an
 * error page, a proxy's 502) throws, so that the keys already known are kept.
 */
export async function fetchJwks(context: Context, credential: Credential): Promise<unknown[]> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: `${credential.baseUrl}/.well-known/jwks.json`,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: JWKS_TIMEOUT_MS,
	};
	const response = (await context.helpers.httpRequest(
		withCredentialSettings(options, { ...credential }),
	)) as IN8nHttpFullResponse;
	const body = parseBody(response.body);
	if (response.statusCode !== 200 || !Array.isArray(body?.keys)) {
		throw new Error(`FusionAuth's key set answered ${response.statusCode} without a list of keys`);
	}
	return body.keys as unknown[];
}
