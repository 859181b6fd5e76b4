/**
 * The trigger as n8n calls it, without n8n's web server: the built node from dist, and the
 * functions n8n hands to `webhook()` and to `webhookMethods`, whose HTTP helpers send real
 * requests (the credential applied by the credential class itself, redirects not followed when
 * asked). The end-to-end suite runs the same node in the real n8n app.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { Readable } from 'node:stream';

import { loadPackage } from '../harness/package';

type Authenticate = (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/** The credential's own `authenticate`, from the package as n8n loads it. */
async function authenticate(credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const credential = loadPackage().credentials.fusionAuthApi;
	return await (credential.authenticate as Authenticate).call(credential, credentials, options);
}

export const TRIGGER_TYPE = 'n8n-nodes-fusionauth.fusionAuthTwoFactorTrigger';

export function triggerNode(): INodeType {
	return loadPackage().nodes[TRIGGER_TYPE];
}

export interface SentRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: string;
	disableFollowRedirect: boolean;
}

export interface Log {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
	meta?: unknown;
}

export interface Shared {
	parameters: IDataObject;
	credential: ICredentialDataDecryptedObject;
	staticData: IDataObject;
	logs: Log[];
	/** Every request the node's helpers sent, after the credential was applied. */
	sent: SentRequest[];
	/** Unique per trigger: the node keeps recent event ids per workflow in its process. */
	workflowId: string;
}

let workflows = 0;

export function shared(parameters: IDataObject, credential: ICredentialDataDecryptedObject, staticData: IDataObject = {}): Shared {
	return { parameters, credential, staticData, logs: [], sent: [], workflowId: `wf-test-${++workflows}` };
}

/**
 * What n8n's helpers do with the options the trigger sends: redirects not followed when asked,
 * statuses not thrown when asked, n8n's own timeout and the caller's abort signal, and with
 * `encoding: 'stream'` the body handed over as a Node stream, unread.
 */
async function send(state: Shared, options: IHttpRequestOptions): Promise<unknown> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) headers[name] = String(value);
	const body = typeof options.body === 'string' ? options.body : options.body === undefined ? undefined : JSON.stringify(options.body);
	state.sent.push({ method: String(options.method ?? 'GET'), url: String(options.url), headers, body, disableFollowRedirect: options.disableFollowRedirect === true });
	const timeout = AbortSignal.timeout(Number(options.timeout ?? 10_000));
	const response = await fetch(String(options.url), {
		method: options.method ?? 'GET',
		headers,
		body,
		redirect: options.disableFollowRedirect === true ? 'manual' : 'follow',
		signal: options.abortSignal ? AbortSignal.any([options.abortSignal as AbortSignal, timeout]) : timeout,
	});
	if (response.status >= 400 && options.ignoreHttpStatusErrors !== true) {
		throw Object.assign(new Error(`Request failed with status code ${response.status}`), { httpCode: String(response.status) });
	}
	let parsed: unknown;
	if (options.encoding === 'stream') {
		parsed = response.body === null ? Readable.from([]) : Readable.fromWeb(response.body as never);
	} else {
		const text = await response.text();
		parsed = text;
		try {
			parsed = text === '' ? '' : JSON.parse(text);
		} catch {
			// Not JSON: kept as text, as n8n's helper does.
		}
	}
	if (options.returnFullResponse === true) {
		return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: parsed };
	}
	return parsed;
}

function helpers(state: Shared) {
	return {
		httpRequest: async (options: IHttpRequestOptions) => await send(state, options),
		httpRequestWithAuthentication: async (type: string, options: IHttpRequestOptions) => {
			if (type !== 'fusionAuthApi') throw new Error(`unexpected credential type ${type}`);
			return await send(state, await authenticate(state.credential, options));
		},
	};
}

function common(state: Shared) {
	return {
		getNodeParameter: (name: string, fallback?: unknown) => (name in state.parameters ? state.parameters[name] : fallback),
		getCredentials: async () => state.credential,
		getWorkflowStaticData: () => state.staticData,
		getNode: () => ({ id: 'trigger-node', name: 'FusionAuth Two Factor Trigger', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} }),
		getWorkflow: () => ({ id: state.workflowId, name: 'Trigger test', active: true }),
		logger: {
			debug: (message: string, meta?: unknown) => state.logs.push({ level: 'debug', message, meta }),
			info: (message: string, meta?: unknown) => state.logs.push({ level: 'info', message, meta }),
			warn: (message: string, meta?: unknown) => state.logs.push({ level: 'warn', message, meta }),
			error: (message: string, meta?: unknown) => state.logs.push({ level: 'error', message, meta }),
		},
		helpers: helpers(state),
	};
}

export function hookContext(state: Shared, webhookUrl: string): IHookFunctions {
	return {
		...common(state),
		getNodeWebhookUrl: () => webhookUrl,
		getMode: () => 'trigger',
		getActivationMode: () => 'activate',
	} as unknown as IHookFunctions;
}

export interface Delivery {
	headers: Record<string, string>;
	/** The body exactly as it arrived. */
	raw: string;
}

export interface Answer {
	result: IWebhookResponseData;
	/** Set when the node answered itself (401, 400). */
	status?: number;
	body?: unknown;
}

/** Hands one delivery to the node's webhook() as n8n does (headers lower-cased, rawBody a Buffer). */
export async function deliver(node: INodeType, state: Shared, delivery: Delivery): Promise<Answer> {
	const answer: Partial<Answer> = {};
	const headers = Object.fromEntries(Object.entries(delivery.headers).map(([name, value]) => [name.toLowerCase(), value]));
	let parsed: IDataObject = {};
	try {
		parsed = JSON.parse(delivery.raw) as IDataObject;
	} catch {
		parsed = {};
	}
	const response = {
		status(code: number) {
			answer.status = code;
			return response;
		},
		json(body: unknown) {
			answer.body = body;
			return response;
		},
		send(body: unknown) {
			answer.body = body;
			return response;
		},
		end() {
			return response;
		},
	};
	const context = {
		...common(state),
		getMode: () => 'webhook',
		getHeaderData: () => headers,
		getBodyData: () => parsed,
		getRequestObject: () => ({ headers, body: parsed, rawBody: Buffer.from(delivery.raw, 'utf8') }),
		getResponseObject: () => response,
		getWebhookName: () => 'default',
	} as unknown as IWebhookFunctions;
	const result = await node.webhook!.call(context);
	return { ...answer, result };
}

/** What a run would start with: the items of the first output, or undefined when nothing starts. */
export function startedItems(answer: Answer): IDataObject[] | undefined {
	return answer.result.workflowData?.[0]?.map((item) => item.json);
}
