/**
 * The trigger as n8n calls it, without n8n's web server: the built node from dist, and the
 * functions n8n hands to `webhook()` and to `webhookMethods`, whose HTTP helpers are n8n-core's
 * own (those of a HookContext: real requests, the credential applied by the credential class
 * itself). The end-to-end suite runs the same node in the real n8n app.
 */
import '../harness/environment';

import { HookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	INode,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper, TestNodeTypes } from '../harness/n8n';
import { loadPackage } from '../harness/package';

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
	/** How often the node asked n8n for its credential (getCredentials). */
	credentialReads: number;
}

let workflows = 0;

export function shared(parameters: IDataObject, credential: ICredentialDataDecryptedObject, staticData: IDataObject = {}): Shared {
	return { parameters, credential, staticData, logs: [], sent: [], workflowId: `wf-test-${++workflows}`, credentialReads: 0 };
}

/**
 * What n8n's helpers do with the options the trigger sends: redirects not followed when asked,
 * statuses not thrown when asked, n8n's own timeout and the caller's abort signal, and with
 * `encoding: 'stream'` the body handed over as a Node stream, unread.
 */
function record(state: Shared, options: IHttpRequestOptions): void {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) headers[name] = String(value);
	const body = typeof options.body === 'string' ? options.body : options.body === undefined ? undefined : JSON.stringify(options.body);
	state.sent.push({ method: String(options.method ?? 'GET'), url: String(options.url), headers, body, disableFollowRedirect: options.disableFollowRedirect === true });
}

/** The app's way of applying the credential, recording each request as it then goes out. */
class RecordingCredentialsHelper extends TestCredentialsHelper {
	constructor(
		credential: ICredentialDataDecryptedObject,
		private readonly state: Shared,
	) {
		super(loadPackage().credentials, { fusionAuthApi: credential });
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const authenticated = await super.authenticate(credentials, typeName, options);
		record(this.state, authenticated);
		return authenticated;
	}
}

function triggerNodeInstance(): INode {
	return {
		id: 'trigger-node',
		name: 'FusionAuth Two Factor Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { fusionAuthApi: { id: 'cred-1', name: 'FusionAuth' } },
	};
}

/** n8n-core's request helpers, as a HookContext of this trigger has them. */
function helpers(state: Shared) {
	const node = triggerNodeInstance();
	const workflow = new Workflow({
		id: state.workflowId,
		name: 'Trigger test',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: new TestNodeTypes(loadPackage()),
		staticData: {},
		settings: {},
	});
	const additionalData = { credentialsHelper: new RecordingCredentialsHelper(state.credential, state) } as unknown as IWorkflowExecuteAdditionalData;
	const context = new HookContext(workflow, node, additionalData, 'trigger', 'activate');
	return {
		httpRequest: async (options: IHttpRequestOptions) => {
			record(state, options);
			return await context.helpers.httpRequest(options);
		},
		httpRequestWithAuthentication: async (type: string, options: IHttpRequestOptions, additional?: IDataObject) => {
			if (type !== 'fusionAuthApi') throw new Error(`unexpected credential type ${type}`);
			return await context.helpers.httpRequestWithAuthentication.call(context, type, options, additional as never);
		},
	};
}

function common(state: Shared) {
	return {
		getNodeParameter: (name: string, fallback?: unknown) => (name in state.parameters ? state.parameters[name] : fallback),
		getCredentials: async () => {
			state.credentialReads++;
			return state.credential;
		},
		getWorkflowStaticData: () => state.staticData,
		getNode: () => triggerNodeInstance(),
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
