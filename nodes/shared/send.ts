/**
 * The one way this package talks HTTP to FusionAuth: the node's operations, the trigger's Webhook
 * and Tenant API calls, its key set fetch and the credential test all go through `exchange`, and
 * this file holds the only code that puts a request on the wire (n8n's helpers, and fetch for the
 * credential test, which n8n gives no suitable helper). The rules, written once:
 * - one deadline for the whole exchange: connecting, the headers and the whole body;
 * - a size limit on every answer (an error answer is read only as far as its start);
 * - no redirect followed: FusionAuth's API never redirects, and following one would carry the
 *   API key (or the request) to another place.
 */
import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE, withCredentialSettings } from './credentialValues';
import type { ConnectionPhase } from './errors';
import { connectionErrorCode } from './errors';
import type { ReadBody } from './response';
import { BodyReadError, discardBody, MAX_ERROR_BODY_BYTES, parseBody, readBody } from './response';

/** An answer as n8n's helpers give it with `returnFullResponse`: the body still a stream. */
export interface SentResponse {
	statusCode: number;
	headers?: IDataObject;
	body?: unknown;
}

/** A way to put one request on the wire. */
export type Send = (options: IHttpRequestOptions) => Promise<SentResponse>;

/** One request, as `exchange` sends it. */
export interface Outgoing {
	method: IHttpRequestMethods;
	url: string;
	headers?: Record<string, string>;
	/** Already serialized, so that an empty object still goes out as `{}`. */
	body?: string;
}

export interface ExchangeRules {
	/** The deadline for all of it: connecting, the headers and the whole body. */
	timeoutMs: number;
	/** The most a successful answer may hold; a larger one is refused. */
	maxBodyBytes: number;
	/** How much of an error answer (400 and above) is read; the rest is left unread. */
	maxErrorBodyBytes?: number;
	/** The execution's cancel signal, when there is one. */
	cancel?: AbortSignal;
}

/** What came of one exchange. */
export type Exchanged =
	/** An answer read to its end (an error answer to its limit). */
	| { outcome: 'answer'; statusCode: number; headers: IDataObject | undefined; body: ReadBody }
	/** A 3xx: reported, never followed; its body is not read. */
	| { outcome: 'redirect'; statusCode: number; location: string | undefined }
	/** A successful answer larger than `maxBodyBytes`: not read further. */
	| { outcome: 'tooLarge'; statusCode: number; contentType: string | undefined }
	/**
	 * No complete answer: `phase` says where it failed, `code` is the connection's error code
	 * (ETIMEDOUT past the deadline; a body that broke off counts as a lost connection).
	 */
	| { outcome: 'failed'; phase: ConnectionPhase; cause: unknown; statusCode?: number; code: string | undefined };

/** Sends one request under the rules above. Statuses come back as answers, never as throws. */
export async function exchange(send: Send, outgoing: Outgoing, rules: ExchangeRules): Promise<Exchanged> {
	const deadline = AbortSignal.timeout(rules.timeoutMs);
	const { cancel } = rules;
	const either = cancel ? AbortSignal.any([cancel, deadline]) : deadline;
	const options: IHttpRequestOptions = {
		method: outgoing.method,
		url: outgoing.url,
		headers: { ...outgoing.headers },
		returnFullResponse: true,
		// Statuses are FusionAuth's answers (242, 404, 421, ...): read them here, not as thrown errors.
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		// Read here, within the deadline and a size limit.
		encoding: 'stream',
		// n8n's own timeout only notices a silent connection; the deadline bounds the rest.
		timeout: rules.timeoutMs,
		abortSignal: either,
	};
	if (outgoing.body !== undefined) options.body = outgoing.body;

	let response: SentResponse;
	try {
		// n8n replaces the abort signal of authenticated requests with the execution's own: the
		// deadline is kept here as well.
		response = await beforeDeadline(send(options), deadline);
	} catch (caught) {
		if (deadline.aborted) return { outcome: 'failed', phase: 'deadline', cause: caught, code: 'ETIMEDOUT' };
		return { outcome: 'failed', phase: 'request', cause: caught, code: connectionErrorCode(caught) };
	}

	const { statusCode, headers } = response;
	if (statusCode >= 300 && statusCode < 400) {
		discardBody(response.body);
		return { outcome: 'redirect', statusCode, location: headerValue(headers, 'location') };
	}
	let bytes: Buffer;
	try {
		bytes = await readBody(
			response.body,
			statusCode < 300 ? rules.maxBodyBytes : (rules.maxErrorBodyBytes ?? MAX_ERROR_BODY_BYTES),
			{ deadline, cancel, either },
			// Of an error answer, its start is enough.
			statusCode >= 400,
		);
	} catch (caught) {
		// Anything else that stops the reading is a body that could not be read to its end.
		const failure = caught instanceof BodyReadError ? caught : new BodyReadError('broken');
		if (failure.reason === 'tooLarge') {
			return { outcome: 'tooLarge', statusCode, contentType: headerValue(headers, 'content-type') };
		}
		if (failure.reason === 'deadline') return { outcome: 'failed', phase: 'deadline', cause: failure, statusCode, code: 'ETIMEDOUT' };
		return { outcome: 'failed', phase: 'body', cause: failure, statusCode, code: failure.code ?? 'ECONNRESET' };
	}
	return { outcome: 'answer', statusCode, headers, body: parseBody(bytes) };
}

/** A header's value, whatever its case and whether it comes as a list. */
export function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((entry) => entry.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	const first = Array.isArray(value) ? value[0] : value;
	return first === undefined || first === null ? undefined : String(first);
}

/** Resolves as `sent` does, or fails when the deadline passes first (then ends the late answer's body). */
async function beforeDeadline<T extends { body?: unknown }>(sent: Promise<T>, deadline: AbortSignal): Promise<T> {
	if (deadline.aborted) {
		void sent.then((late) => discardBody(late.body), () => undefined);
		throw deadline.reason;
	}
	return await new Promise<T>((resolve, reject) => {
		const onDeadline = () => {
			void sent.then((late) => discardBody(late.body), () => undefined);
			reject(deadline.reason);
		};
		deadline.addEventListener('abort', onDeadline, { once: true });
		sent.then(
			(value) => {
				deadline.removeEventListener('abort', onDeadline);
				if (deadline.aborted) discardBody(value.body);
				resolve(value);
			},
			(error: unknown) => {
				deadline.removeEventListener('abort', onDeadline);
				reject(error);
			},
		);
	});
}

/** Any context whose n8n helpers can send a request. */
export type SendingContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

/**
 * Sends with the credential's API key, tenant and TLS setting, applied by the credential's own
 * `authenticate`. `credentialsDecrypted` spares n8n a lookup of the credential per request.
 */
export function sendWithApiKey(context: SendingContext, credentialsDecrypted?: ICredentialsDecrypted): Send {
	return async (options) =>
		(await context.helpers.httpRequestWithAuthentication.call(
			context as IExecuteFunctions,
			CREDENTIAL_TYPE,
			options,
			credentialsDecrypted === undefined ? undefined : { credentialsDecrypted },
		)) as SentResponse;
}

/**
 * Sends without an Authorization header (as FusionAuth's own client sends these calls), with
 * what the credential adds besides the key: the tenant and the TLS setting.
 */
export function sendWithoutApiKey(context: SendingContext, credentials: Record<string, unknown>): Send {
	return async (options) => (await context.helpers.httpRequest(withCredentialSettings(options, credentials))) as SentResponse;
}

/**
 * Sends with Node's fetch, for the credential test: the only helper n8n gives a credential test is
 * its deprecated `request`, which n8n's community-package scanner rejects. fetch has no switch
 * for certificate checks, so Ignore SSL Issues cannot apply to it.
 */
export const sendWithFetch: Send = async (options) => {
	const answer = await fetch(options.url, {
		method: options.method ?? 'GET',
		headers: options.headers as Record<string, string> | undefined,
		body: typeof options.body === 'string' ? options.body : undefined,
		// A redirect is reported, never followed.
		redirect: 'manual',
		signal: options.abortSignal as AbortSignal | undefined,
	});
	return {
		statusCode: answer.status,
		headers: Object.fromEntries(answer.headers),
		body: answer.body === null ? undefined : streamOf(answer.body),
	};
};

type Listener = (...args: unknown[]) => void;

/**
 * fetch's body as the stream `readBody` reads (data, end, error; destroy): read from the first
 * data listener on, so that every listener is in place before anything arrives.
 */
function streamOf(body: ReadableStream<Uint8Array>) {
	const reader = body.getReader();
	const listeners: Array<[string, Listener]> = [];
	let started = false;
	let stopped = false;
	const emit = (event: string, ...args: unknown[]) => {
		for (const [name, listener] of listeners) if (name === event) listener(...args);
	};
	const pump = async () => {
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (stopped) return;
				if (done) {
					stopped = true;
					return emit('end');
				}
				emit('data', Buffer.from(value));
			}
		} catch (error) {
			if (stopped) return;
			stopped = true;
			emit('error', error);
		}
	};
	const stream = {
		on(event: string, listener: Listener) {
			listeners.push([event, listener]);
			if (event === 'data' && !started) {
				started = true;
				void pump();
			}
			return stream;
		},
		destroy() {
			if (stopped) return;
			stopped = true;
			reader.cancel().catch(() => undefined);
		},
	};
	return stream;
}
