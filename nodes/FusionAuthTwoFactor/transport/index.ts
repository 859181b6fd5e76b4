import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { baseUrlProblem, parseBaseUrl } from '../../shared/baseUrl';
import { CREDENTIAL_TYPE, credentialValueProblem } from '../../shared/credentialValues';
import { apiError, errorFromConnection, errorFromResponse, redirectError, tooLargeError } from '../../shared/errors';
import { ExecutionCredentials } from './credentials';
import type { FusionAuthRequest, FusionAuthResponse } from '../../shared/request';
import { buildUrl, describeEndpoint, isRepeatable } from '../../shared/request';

export { isRepeatable } from '../../shared/request';
import { describeBody, MAX_BODY_BYTES, unexpectedBody } from '../../shared/response';
import { exchange, headerValue, sendWithApiKey, sendWithoutApiKey } from '../../shared/send';


/** A run of the node, or the editor's list search (From List), which has no cancel signal. */
export type TransportContext = (IExecuteFunctions | ILoadOptionsFunctions) & {
	getExecutionCancelSignal?: () => AbortSignal | undefined;
};

/** The Options the transport works with; their defaults and limits live in actions/options.ts. */
export interface TransportOptions {
	timeoutMs: number;
	retries: number;
	retryDelayMs: number;
	maxRetryWaitMs: number;
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


/** The node's calls to FusionAuth: its retry policy around the shared `exchange` (shared/send.ts). */
export class FusionAuthTransport {
	private readonly baseUrl: string;
	private readonly timeoutMs: number;
	private readonly retries: number;
	private readonly retryDelayMs: number;
	private readonly maxRetryWaitMs: number;
	private readonly credentials: ExecutionCredentials;

	private constructor(
		private readonly context: TransportContext,
		settings: { baseUrl: string; credentials: ExecutionCredentials } & TransportOptions,
	) {
		this.baseUrl = settings.baseUrl;
		this.timeoutMs = settings.timeoutMs;
		this.retries = settings.retries;
		this.retryDelayMs = settings.retryDelayMs;
		this.maxRetryWaitMs = settings.maxRetryWaitMs;
		this.credentials = settings.credentials;
	}

	/** Until when (ms since the epoch) FusionAuth asked, with a 429 or 503, not to be called. */
	private pausedUntil = 0;

	static async create(
		context: TransportContext,
		options: TransportOptions,
	): Promise<FusionAuthTransport> {
		const source = await ExecutionCredentials.read(context, CREDENTIAL_TYPE);
		const credentials = source.first;
		const problem = baseUrlProblem(credentials.baseUrl) ?? credentialValueProblem(credentials);
		if (problem !== undefined) throw new NodeOperationError(context.getNode(), problem);
		return new FusionAuthTransport(context, {
			baseUrl: parseBaseUrl(credentials.baseUrl),
			credentials: source,
			...options,
		});
	}

	/**
	 * Sends one request, again where the retry policy above allows; any status of 300 or more,
	 * and a successful answer that is not what the endpoint sends, become a NodeApiError for that item.
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
			if ('response' in outcome) return outcome.response;
			if ('turnedAway' in outcome) {
				const { error, retryAfter } = outcome.turnedAway;
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

	/**
	 * One request on the wire, under the rules of the shared `exchange` (one deadline for all of
	 * it, a size limit, no redirect followed): FusionAuth's answer, an answer to wait for and send
	 * again (429, 503), or the error for a request that failed.
	 */
	private async attempt(
		request: FusionAuthRequest,
		itemIndex: number,
	): Promise<
		| { response: FusionAuthResponse }
		| { turnedAway: { error: NodeApiError; retryAfter: unknown } }
		| { error: NodeApiError; code: string | undefined }
	> {
		const node = this.context.getNode();
		const url = buildUrl(this.baseUrl, request);
		const headers: Record<string, string> = {};
		if (request.authentication.type === 'jwt') headers.Authorization = `Bearer ${request.authentication.jwt}`;
		if (request.body !== undefined) headers['Content-Type'] = 'application/json';

		// Read once per execution (or per item where it depends on the item): see credentials.ts.
		// Outside the exchange: a field that differs by item is the user's error, not the connection's.
		const send =
			request.authentication.type === 'none'
				? // No Authorization header at all, as FusionAuth's own client sends these calls. Only
					// the API key may differ between items (credentials.ts): the first item's settings hold.
					sendWithoutApiKey(this.context, this.credentials.first)
				: sendWithApiKey(this.context, await this.credentials.forItem(itemIndex));

		const exchanged = await exchange(
			send,
			{ method: request.method, url, headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) },
			{ timeoutMs: this.timeoutMs, maxBodyBytes: MAX_BODY_BYTES, cancel: this.context.getExecutionCancelSignal?.() },
		);

		if (exchanged.outcome === 'failed') {
			const { cause, phase, statusCode, code } = exchanged;
			return {
				error: errorFromConnection(node, request, cause, this.baseUrl, this.timeoutMs, itemIndex, phase, statusCode),
				// Never retried: a deadline, like any timeout. A body that broke off counts as a lost connection.
				code,
			};
		}
		if (exchanged.outcome === 'redirect') {
			return { error: redirectError(node, request, exchanged.statusCode, exchanged.location, url, itemIndex), code: undefined };
		}
		if (exchanged.outcome === 'tooLarge') {
			const { statusCode, contentType } = exchanged;
			return { error: tooLargeError(node, request, statusCode, contentType, MAX_BODY_BYTES, itemIndex), code: undefined };
		}

		const { statusCode, body } = exchanged;
		if (statusCode >= 400) {
			const error = errorFromResponse(node, request, statusCode, body, itemIndex);
			return TURNED_AWAY.has(statusCode)
				? { turnedAway: { error, retryAfter: headerValue(exchanged.headers, 'retry-after') } }
				: { error, code: undefined };
		}
		const problem = unexpectedBody(body, request.expectBody);
		if (problem !== undefined) {
			return {
				error: apiError(
					node,
					`FusionAuth's answer to ${describeEndpoint(request)} is not what FusionAuth sends: ${problem}`,
					`Status ${statusCode}, ${describeBody(body, headerValue(exchanged.headers, 'content-type'))}. A proxy, a login page or another server may answer at the Base URL (${this.baseUrl}): check it. FusionAuth may have acted on the request.`,
					String(statusCode),
					itemIndex,
				),
				code: undefined,
			};
		}
		return {
			response: { statusCode, body: body.kind === 'json' ? (body.value as IDataObject) : undefined },
		};
	}
}
