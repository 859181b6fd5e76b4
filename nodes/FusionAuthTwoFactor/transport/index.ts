import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { ExecutionCredentials } from './credentials';
import { connectionErrorCode, errorFromConnection, errorFromResponse } from './errors';
import type { FusionAuthRequest, FusionAuthResponse } from './request';

export const CREDENTIAL_TYPE = 'fusionAuthApi';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Further attempts after the first, for failures FusionAuth cannot have acted on. */
export const DEFAULT_RETRIES = 3;
/** Wait before the first retry; it doubles for each further one. */
export const DEFAULT_RETRY_DELAY_MS = 1_000;
/** The longest single wait, also the most a Retry-After header may ask for. */
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

export interface TransportOptions {
	timeoutMs?: number;
	retries?: number;
	retryDelayMs?: number;
	maxRetryWaitMs?: number;
}

/*
 * Retry policy: a request is sent again only where FusionAuth cannot have acted on it, or where
 * acting twice is harmless.
 * - No connection was made (refused, host or network unreachable, DNS try-again): any method.
 * - 429 and 503: any method; FusionAuth (or its proxy) turned the request away. Retry-After is
 *   honoured, and while it runs no request of this node goes out.
 * - The connection broke before an answer (reset, broken pipe): only requests that are
 *   repeatable (GET and PUT, or marked `repeatable`). A POST or DELETE may have been carried out:
 *   a second code by SMS, a second enable or a disable with a used code is worse than an error.
 * - Never: timeouts (FusionAuth has the request and may still act on it), any other status
 *   (401 included), TLS and DNS-not-found errors, a cancelled execution.
 */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const TURNED_AWAY = new Set([429, 503]);

/** Whether sending the request twice does no more than sending it once. */
export function isRepeatable(request: Pick<FusionAuthRequest, 'method' | 'repeatable'>): boolean {
	return request.repeatable ?? (request.method === 'GET' || request.method === 'PUT');
}

/** Whether a failed connection may be tried again: never sent, or sent but harmless to repeat. */
export function mayRetryConnection(request: Pick<FusionAuthRequest, 'method' | 'repeatable'>, code: string | undefined): boolean {
	if (code === undefined) return false;
	if (NOT_CONNECTED.has(code)) return true;
	return CONNECTION_LOST.has(code) && isRepeatable(request);
}

/** A Retry-After value (seconds or an HTTP date) in milliseconds from `nowMs`; undefined if unreadable. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const text = (Array.isArray(value) ? value[0] : value)?.toString().trim();
	if (!text) return undefined;
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	// An HTTP date names its month; this keeps lenient date parsing from reading "1.5" as a year.
	if (!/[A-Za-z]{3}/.test(text)) return undefined;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

/** The wait before retry number `retry` (1 for the first): doubling, with up to 25% jitter, capped. */
export function backoffMs(retry: number, baseMs: number, maxMs: number, random = Math.random()): number {
	const doubled = baseMs * 2 ** (retry - 1);
	return Math.min(maxMs, Math.round(doubled * (1 + random / 4)));
}

function appendDescription(error: NodeApiError, text: string): NodeApiError {
	error.description = [error.description, text].filter(Boolean).join('\n');
	return error;
}

function retryCount(count: number): string {
	return `${count} ${count === 1 ? 'retry' : 'retries'}`;
}

/** The credential's base URL without trailing slashes; a path prefix is kept. */
export function normalizeBaseUrl(baseUrl: string): string {
	return baseUrl.trim().replace(/\/+$/, '');
}

/** A path segment that the URL parser would resolve instead of sending as it is. */
export function isUnsafePathSegment(value: string): boolean {
	return value === '' || value === '.' || value === '..';
}

/** The full URL of a request: base URL, `/api/`, encoded segments, the non-empty query values. */
export function buildUrl(baseUrl: string, request: FusionAuthRequest): string {
	const segments = request.path.map((segment) => {
		const value = typeof segment === 'string' ? segment : segment.value;
		if (isUnsafePathSegment(value)) {
			const name = typeof segment === 'string' ? 'path' : segment.parameter;
			throw new Error(`Refusing to send ${name} "${value}" as a path segment`);
		}
		return encodeURIComponent(value);
	});
	const query = Object.entries(request.query ?? {})
		.filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
	return `${normalizeBaseUrl(baseUrl)}/api/${segments.join('/')}${query ? `?${query}` : ''}`;
}

function parseBody(body: unknown): IDataObject | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	if (typeof body === 'string') {
		try {
			return parseBody(JSON.parse(body));
		} catch {
			return { body };
		}
	}
	if (typeof body === 'object') return body as IDataObject;
	return { body: body as string };
}

/** Shows a URL without any user name or password it may hold. */
function displayUrl(baseUrl: string): string {
	try {
		const url = new URL(baseUrl);
		url.username = '';
		url.password = '';
		return normalizeBaseUrl(url.toString());
	} catch {
		return baseUrl;
	}
}

/** The one place that talks HTTP to FusionAuth. */
export class FusionAuthTransport {
	private constructor(
		private readonly context: IExecuteFunctions,
		private readonly baseUrl: string,
		private readonly tenantId: string,
		private readonly allowUnauthorizedCerts: boolean,
		private readonly timeoutMs: number,
		private readonly retries: number,
		private readonly retryDelayMs: number,
		private readonly maxRetryWaitMs: number,
		private readonly credentials: ExecutionCredentials,
	) {}

	/** Until when (ms since the epoch) FusionAuth asked, with a 429 or 503, not to be called. */
	private pausedUntil = 0;

	static async create(
		context: IExecuteFunctions,
		options: TransportOptions = {},
	): Promise<FusionAuthTransport> {
		const source = await ExecutionCredentials.read(context, CREDENTIAL_TYPE);
		const credentials = source.first;
		const baseUrl = normalizeBaseUrl(String(credentials.baseUrl ?? ''));
		if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
			throw new NodeOperationError(
				context.getNode(),
				'The Base URL in the FusionAuth credential must start with http:// or https://',
			);
		}
		return new FusionAuthTransport(
			context,
			baseUrl,
			String(credentials.tenantId ?? '').trim(),
			credentials.allowUnauthorizedCerts === true,
			options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			Math.max(0, Math.floor(options.retries ?? DEFAULT_RETRIES)),
			Math.max(0, options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS),
			Math.max(0, options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS),
			source,
		);
	}

	/**
	 * Sends one request, again where the retry policy above allows; any status of 400 or more
	 * becomes a NodeApiError for that item.
	 */
	async send(request: FusionAuthRequest, itemIndex: number): Promise<FusionAuthResponse> {
		const signal = this.context.getExecutionCancelSignal?.();
		for (let retry = 0; ; retry++) {
			// Re-checked after each wait: another item's 429 or 503 may have moved the pause on.
			for (let pause = this.pausedUntil - Date.now(); pause > 0; pause = this.pausedUntil - Date.now()) {
				await sleep(pause, signal);
			}
			const outcome = await this.attempt(request, itemIndex);
			const left = this.retries - retry;
			if ('response' in outcome) {
				const { statusCode, body, retryAfter } = outcome.response;
				if (statusCode < 400) return { statusCode, body };
				const error = errorFromResponse(this.context.getNode(), request, statusCode, body, itemIndex);
				if (!TURNED_AWAY.has(statusCode)) throw error;
				const asked = parseRetryAfter(retryAfter, Date.now());
				if (asked !== undefined && asked > this.maxRetryWaitMs) {
					throw appendDescription(
						error,
						`FusionAuth asked to wait ${Math.ceil(asked / 1000)} s (Retry-After), longer than Max Retry Wait (${this.maxRetryWaitMs / 1000} s): not sent again${retry > 0 ? ` after ${retryCount(retry)}` : ''}.`,
					);
				}
				if (left <= 0) throw this.gaveUp(error, retry);
				const wait = asked ?? backoffMs(retry + 1, this.retryDelayMs, this.maxRetryWaitMs);
				// Every request of this node holds back, not only this one: FusionAuth is overloaded.
				this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
				continue;
			}
			const { error, code } = outcome;
			if (signal?.aborted || !mayRetryConnection(request, code)) {
				if (code !== undefined && CONNECTION_LOST.has(code) && !isRepeatable(request)) {
					throw appendDescription(
						error,
						`Not sent again: FusionAuth may already have acted on this ${request.method}. Check the user's state before running this item again.`,
					);
				}
				throw error;
			}
			if (left <= 0) throw this.gaveUp(error, retry);
			await sleep(backoffMs(retry + 1, this.retryDelayMs, this.maxRetryWaitMs), signal);
		}
	}

	private gaveUp(error: NodeApiError, count: number): NodeApiError {
		return count === 0 ? error : appendDescription(error, `Gave up after ${retryCount(count)}.`);
	}

	/** One request on the wire: FusionAuth's answer, or the error for a request without one. */
	private async attempt(
		request: FusionAuthRequest,
		itemIndex: number,
	): Promise<
		| { response: FusionAuthResponse & { retryAfter: unknown } }
		| { error: NodeApiError; code: string | undefined }
	> {
		const headers: Record<string, string> = {};
		const options: IHttpRequestOptions = {
			method: request.method,
			url: buildUrl(this.baseUrl, request),
			headers,
			returnFullResponse: true,
			// Statuses are FusionAuth's answers (242, 421, ...): read them here, not as thrown errors.
			ignoreHttpStatusErrors: true,
			timeout: this.timeoutMs,
		};
		if (request.body !== undefined) {
			headers['Content-Type'] = 'application/json';
			// Serialized here so that an empty object still goes out as `{}`.
			options.body = JSON.stringify(request.body);
		}

		// Read once per execution (or per item where it depends on the item): see credentials.ts.
		const credentialsDecrypted =
			request.authentication.type === 'none' ? undefined : await this.credentials.forItem(itemIndex);
		let response: IN8nHttpFullResponse;
		try {
			if (request.authentication.type === 'none') {
				// No Authorization header at all, as FusionAuth's own client sends these calls.
				if (this.tenantId !== '') headers['X-FusionAuth-TenantId'] = this.tenantId;
				if (this.allowUnauthorizedCerts) options.skipSslCertificateValidation = true;
				const signal = this.context.getExecutionCancelSignal?.();
				if (signal) options.abortSignal = signal;
				response = (await this.context.helpers.httpRequest(options)) as IN8nHttpFullResponse;
			} else {
				if (request.authentication.type === 'jwt') {
					headers.Authorization = `Bearer ${request.authentication.jwt}`;
				}
				response = (await this.context.helpers.httpRequestWithAuthentication.call(
					this.context,
					CREDENTIAL_TYPE,
					options,
					{ credentialsDecrypted },
				)) as IN8nHttpFullResponse;
			}
		} catch (caught) {
			const error = errorFromConnection(
				this.context.getNode(),
				request,
				caught,
				displayUrl(this.baseUrl),
				this.timeoutMs,
				itemIndex,
			);
			return { error, code: connectionErrorCode(caught) };
		}

		return {
			response: {
				statusCode: response.statusCode,
				body: parseBody(response.body),
				retryAfter: response.headers?.['retry-after'],
			},
		};
	}
}
