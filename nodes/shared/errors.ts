import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { FusionAuthRequest } from './request';
import { describeEndpoint, isRepeatable } from './request';
import type { ReadBody } from './response';
import { isJsonObject, keptBody } from './response';

interface FusionAuthErrorEntry {
	code?: string;
	message?: string;
}

/** A body's fieldErrors and generalErrors, each with its field (general errors have none). */
function errorEntries(body: IDataObject | undefined): Array<{ field?: string; entry: FusionAuthErrorEntry }> {
	if (!body || typeof body !== 'object') return [];
	const entries: Array<{ field?: string; entry: FusionAuthErrorEntry }> = [];
	const fieldErrors = body.fieldErrors;
	if (fieldErrors && typeof fieldErrors === 'object' && !Array.isArray(fieldErrors)) {
		for (const [field, list] of Object.entries(fieldErrors as IDataObject)) {
			for (const entry of Array.isArray(list) ? list : [list]) {
				if (entry && typeof entry === 'object') entries.push({ field, entry: entry as FusionAuthErrorEntry });
			}
		}
	}
	const generalErrors = body.generalErrors;
	if (Array.isArray(generalErrors)) {
		for (const entry of generalErrors) {
			if (entry && typeof entry === 'object') entries.push({ entry: entry as FusionAuthErrorEntry });
		}
	}
	return entries;
}

/** FusionAuth's codes already carry brackets (`[blank]code`, `[TenantIdRequired]`): shown as they are. */
function showCode(code: string): string {
	return code.startsWith('[') ? code : `[${code}]`;
}

/** FusionAuth's `field: message [code]` lines from a 400 body's fieldErrors and generalErrors. */
export function listFusionAuthErrors(body: IDataObject | undefined): string[] {
	return errorEntries(body).map(({ field, entry }) => {
		const text = [entry.message, entry.code ? showCode(String(entry.code)) : undefined].filter(Boolean).join(' ');
		return field === undefined ? text : `${field}: ${text}`;
	});
}

/** Whether FusionAuth's error body has the code, written `Code` or `[Code]`. */
export function hasErrorCode(body: IDataObject | undefined, code: string): boolean {
	return errorEntries(body).some(({ entry }) => entry.code === code || entry.code === `[${code}]`);
}

/** FusionAuth's first error message in a body, a general error before a field's. */
export function firstMessage(body: IDataObject | undefined): string | undefined {
	const entries = errorEntries(body);
	// A general error says what went wrong overall; a field error only about one field.
	const general = entries.find(({ field, entry }) => field === undefined && entry.message);
	const first = general ?? entries.find(({ entry }) => entry.message);
	if (first) return String(first.entry.message);
	return typeof body?.message === 'string' ? body.message : undefined;
}

export function apiError(
	node: INode,
	message: string,
	description: string | undefined,
	httpCode: string | undefined,
	/** Undefined for calls that belong to no item (the trigger's). */
	itemIndex: number | undefined,
	data?: IDataObject,
): NodeApiError {
	// A fresh error from plain data: wrapping n8n's own NodeApiError would keep its text, and
	// the request it carries holds the Authorization header.
	const error = new NodeApiError(node, { message } as JsonObject, {
		message,
		description,
		httpCode,
		itemIndex,
	});
	if (data !== undefined) error.context.data = data;
	return error;
}

/** The NodeApiError for a status FusionAuth answered with, in FusionAuth's terms. */
export function errorFromResponse(
	node: INode,
	request: FusionAuthRequest,
	statusCode: number,
	answer: ReadBody,
	itemIndex: number,
): NodeApiError {
	const endpoint = describeEndpoint(request);
	// FusionAuth's error lists come from its JSON; what else came back is kept short.
	const body = answer.kind === 'json' && isJsonObject(answer.value) ? answer.value : undefined;
	const kept = keptBody(answer);
	const listed = listFusionAuthErrors(body);
	const details = listed.length > 0 ? listed.join('\n') : undefined;
	const own = request.statusMessages?.[statusCode];
	const code = String(statusCode);
	switch (statusCode) {
		case 400: {
			if (hasErrorCode(body, 'TenantIdRequired')) {
				return apiError(
					node,
					'FusionAuth needs a tenant: set Tenant ID in the FusionAuth credential',
					`The server has several tenants and the API key is not limited to one.\n${details ?? ''}`.trim(),
					code,
					itemIndex,
					kept,
				);
			}
			const first = firstMessage(body);
			return apiError(
				node,
				own ?? `FusionAuth rejected the request${first ? `: ${first}` : ''}`,
				details ?? `${endpoint} answered 400 without details.`,
				code,
				itemIndex,
				kept,
			);
		}
		case 401: {
			if (request.authentication.type === 'jwt') {
				return apiError(
					node,
					'FusionAuth rejected the JWT',
					"The user's access token is expired, revoked, malformed or was issued for another tenant.",
					code,
					itemIndex,
				);
			}
			if (request.authentication.type === 'none') {
				return apiError(node, own ?? 'FusionAuth refused the request (401)', endpoint, code, itemIndex);
			}
			return apiError(
				node,
				'FusionAuth rejected the API key',
				`Check the API key in the FusionAuth credential, and that the key is allowed to call ${endpoint}.`,
				code,
				itemIndex,
			);
		}
		case 404:
			return apiError(node, own ?? 'FusionAuth found nothing to act on (404)', endpoint, code, itemIndex);
		case 421:
			return apiError(
				node,
				own ?? 'The two factor code is invalid or expired',
				'FusionAuth did not accept the code. Codes from an authenticator app change every 30 seconds; codes sent by email or SMS can be used once.',
				code,
				itemIndex,
			);
		case 500:
		case 502:
		case 503:
		case 504: {
			const titles: Record<number, string> = {
				500: 'FusionAuth had an internal error (500)',
				502: 'FusionAuth is not reachable behind its proxy (502)',
				503: 'FusionAuth is unavailable (503)',
				504: 'FusionAuth timed out (504)',
			};
			return apiError(
				node,
				own ?? titles[statusCode],
				[details ?? firstMessage(body), `${endpoint}. This is on the server's side: try again later or check its logs.`]
					.filter(Boolean)
					.join('\n'),
				code,
				itemIndex,
				kept,
			);
		}
		default:
			return apiError(
				node,
				own ?? `FusionAuth answered ${statusCode}${firstMessage(body) ? `: ${firstMessage(body)}` : ''}`,
				details ?? endpoint,
				code,
				itemIndex,
				kept,
			);
	}
}

const connectionMessages: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused; check the Base URL and that FusionAuth is running',
	ECONNRESET: 'the connection was closed before FusionAuth answered',
	ENOTFOUND: 'the host name does not resolve; check the Base URL',
	EAI_AGAIN: 'the host name could not be resolved right now',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EPIPE: 'the connection was closed while sending',
	CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
	DEPTH_ZERO_SELF_SIGNED_CERT:
		"the server's TLS certificate is self-signed; turn on Ignore SSL Issues in the credential for a development server",
	SELF_SIGNED_CERT_IN_CHAIN:
		"the server's TLS certificate chain is self-signed; turn on Ignore SSL Issues in the credential for a development server",
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate cannot be verified",
};

/** The error code (ECONNREFUSED, ETIMEDOUT, ...) of a failed request, looked up through its causes. */
export function connectionErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const candidate = current as { code?: unknown; cause?: unknown; message?: unknown };
		if (typeof candidate.code === 'string' && /^[A-Z_]+$/.test(candidate.code)) return candidate.code;
		current = candidate.cause;
	}
	const message = String((error as { message?: unknown })?.message ?? '');
	const match = /\b(E[A-Z]{3,}|timeout of \d+ms exceeded)\b/.exec(message);
	if (match) return match[1].startsWith('timeout') ? 'ETIMEDOUT' : match[1];
	return undefined;
}

/**
 * Where a request without an answer failed: sending it (`request`: before any status came back),
 * past the deadline (`deadline`), or while its answer's body was read (`body`).
 */
export type ConnectionPhase = 'request' | 'deadline' | 'body';

/** Failures that happen before anything of the request reaches FusionAuth. */
const NOT_SENT = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** For a request that is harmless to repeat; the transport says more of one that is not (it is not sent again). */
function mayHaveActed(request: FusionAuthRequest): string {
	return isRepeatable(request) ? ' FusionAuth may already have acted on it.' : '';
}

/** The NodeApiError for a request that got no complete answer. */
export function errorFromConnection(
	node: INode,
	request: FusionAuthRequest,
	error: unknown,
	baseUrl: string,
	timeoutMs: number,
	itemIndex: number | undefined,
	phase: ConnectionPhase = 'request',
	statusCode?: number,
): NodeApiError {
	const code = phase === 'request' ? connectionErrorCode(error) : undefined;
	const endpoint = describeEndpoint(request);
	const seconds = timeoutMs / 1000;
	if (phase === 'deadline' || code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT') {
		return apiError(
			node,
			statusCode === undefined
				? `FusionAuth at ${baseUrl} did not answer within ${seconds} s`
				: `FusionAuth at ${baseUrl} answered ${statusCode} but did not finish its answer within ${seconds} s`,
			`${endpoint} timed out. The request may still have been carried out by FusionAuth.`,
			undefined,
			itemIndex,
		);
	}
	if (phase === 'body') {
		return apiError(
			node,
			`The answer of FusionAuth at ${baseUrl} broke off after status ${statusCode}`,
			`${endpoint}: the connection closed in the middle of the answer.${mayHaveActed(request)}`,
			undefined,
			itemIndex,
		);
	}
	if (code !== undefined && NOT_SENT.has(code)) {
		const reason = connectionMessages[code] ?? 'the connection could not be made';
		return apiError(
			node,
			`Could not connect to FusionAuth at ${baseUrl}`,
			`${endpoint}: ${reason} (${code}). Nothing was sent.`,
			undefined,
			itemIndex,
		);
	}
	const reason = (code && connectionMessages[code]) ?? 'the request failed';
	return apiError(
		node,
		`The connection to FusionAuth at ${baseUrl} broke before it answered`,
		`${endpoint}: ${reason}${code ? ` (${code})` : ''}, after the request was sent.${mayHaveActed(request)}`,
		undefined,
		itemIndex,
	);
}

/** Where a redirect pointed, without its query, fragment or any user name: for the error only. */
function redirectTarget(location: string | undefined, requestUrl: string): string | undefined {
	if (location === undefined || location.trim() === '') return undefined;
	try {
		const url = new URL(location.trim(), requestUrl);
		return `${url.protocol}//${url.host}${url.pathname}`;
	} catch {
		return undefined;
	}
}

/** The NodeApiError for a 3xx answer: FusionAuth's API never redirects, so none is followed. */
export function redirectError(
	node: INode,
	request: FusionAuthRequest,
	statusCode: number,
	location: string | undefined,
	requestUrl: string,
	itemIndex: number | undefined,
): NodeApiError {
	const target = redirectTarget(location, requestUrl);
	return apiError(
		node,
		target === undefined
			? `FusionAuth answered ${statusCode}, a redirect, which the node does not follow`
			: `FusionAuth answered ${statusCode}, a redirect to ${target}, which the node does not follow: nothing was sent there`,
		`${describeEndpoint(request)}: FusionAuth's API never redirects, so the Base URL probably points at something else (a proxy, http:// instead of https://, a wrong path prefix). Neither the API key nor the request went to the redirect's address.`,
		String(statusCode),
		itemIndex,
	);
}

/** The NodeApiError for a successful answer larger than `limitBytes`: it was not read further. */
export function tooLargeError(
	node: INode,
	request: Pick<FusionAuthRequest, 'method' | 'path'>,
	statusCode: number,
	contentType: string | undefined,
	limitBytes: number,
	itemIndex: number | undefined,
): NodeApiError {
	return apiError(
		node,
		`FusionAuth's answer to ${describeEndpoint(request)} was larger than ${limitBytes / 1024 / 1024} MiB: not read further`,
		`Status ${statusCode}, ${contentType ? `Content-Type ${contentType}` : 'no Content-Type'}. FusionAuth's answers are far smaller: check the Base URL.`,
		String(statusCode),
		itemIndex,
	);
}
