import './environment';

import { createServer } from 'http';
import type { IncomingMessage, ServerResponse } from 'http';
import type { AddressInfo } from 'net';

import { WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { loadedPackage, TestCredentialsHelper, TestNodeTypes } from './n8n';

export const TRIGGER_TYPE = 'n8n-nodes-fusionauth.fusionAuthTwoFactorTrigger';
const TRIGGER_NAME = 'FusionAuth Two Factor Trigger';

export interface TriggerSetup {
	/** The trigger's parameters as a saved workflow holds them; n8n fills in the defaults. */
	parameters: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
	/** The workflow's static data for the trigger (what registration left there). */
	staticData?: IDataObject;
	/** `webhook` for the production URL, `manual` for the test URL while the editor listens. */
	mode?: Extract<WorkflowExecuteMode, 'webhook' | 'manual'>;
}

export interface Log {
	level: string;
	message: string;
}

export interface Delivered {
	/** The HTTP status the sender got. */
	status: number;
	body: unknown;
	/** The items a run starts with, or undefined when nothing starts. */
	started?: IDataObject[];
	/** What the trigger logged through n8n's logger while handling this delivery. */
	logs: Log[];
}

/**
 * The trigger behind a real HTTP endpoint, called as n8n calls a webhook node: n8n-core's
 * WebhookContext over a Workflow (parameters with their defaults, the workflow's static data,
 * the credential through a credentials helper), the request as it arrived with its raw body, and
 * n8n's own logger, whose calls are recorded. n8n's answer when the node does not answer itself:
 * 200, and the run starts with the node's items (response mode "onReceived").
 */
export class TriggerEndpoint {
	private setup: { workflow: Workflow; node: INode; credentials: ICredentialDataDecryptedObject; mode: 'webhook' | 'manual' } | undefined;
	private pending = new Map<number, { started?: IDataObject[]; logs: Log[] }>();
	private requests = 0;

	private constructor(
		private readonly server: ReturnType<typeof createServer>,
		readonly url: string,
	) {}

	static async start(): Promise<TriggerEndpoint> {
		let endpoint: TriggerEndpoint | undefined;
		const server = createServer((request, response) => {
			void endpoint!.handle(request, response);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		endpoint = new TriggerEndpoint(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/trigger-test/webhook`);
		return endpoint;
	}

	/** What the next deliveries reach; the static data lives on across them, as in one n8n process. */
	configure(setup: TriggerSetup): INode {
		const node: INode = {
			id: 'c0000000-0000-4000-8000-000000000001',
			name: TRIGGER_NAME,
			type: TRIGGER_TYPE,
			typeVersion: 1.1,
			position: [0, 0],
			parameters: setup.parameters,
			credentials: { fusionAuthApi: { id: 'cred-1', name: 'FusionAuth' } },
		};
		const workflow = new Workflow({
			id: `wf-endpoint-${Math.random().toString(36).slice(2)}`,
			name: 'Trigger endpoint',
			nodes: [node],
			connections: {},
			active: setup.mode !== 'manual',
			nodeTypes: new TestNodeTypes(loadedPackage()),
			staticData: setup.staticData === undefined ? {} : { [`node:${TRIGGER_NAME}`]: setup.staticData },
			settings: { executionOrder: 'v1' },
		});
		this.setup = { workflow, node: workflow.nodes[TRIGGER_NAME], credentials: setup.credentials ?? {}, mode: setup.mode ?? 'webhook' };
		return this.setup.node;
	}

	/** Sends one delivery over HTTP and reports what the sender got and what started. */
	async deliver(headers: Record<string, string>, raw: string): Promise<Delivered> {
		const id = ++this.requests;
		const response = await fetch(this.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers, 'x-test-delivery': String(id) },
			body: raw,
		});
		const text = await response.text();
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// Kept as text.
		}
		const seen = this.pending.get(id) ?? { logs: [] };
		this.pending.delete(id);
		return { status: response.status, body, ...seen };
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const seen: { started?: IDataObject[]; logs: Log[] } = { logs: [] };
		this.pending.set(Number(request.headers['x-test-delivery']), seen);
		const answer = (status: number, body: unknown) => {
			if (!response.headersSent) response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		try {
			const setup = this.setup;
			if (setup === undefined) throw new Error('configure() the endpoint before delivering');
			const chunks: Buffer[] = [];
			for await (const chunk of request) chunks.push(chunk as Buffer);
			const rawBody = Buffer.concat(chunks);
			let body: IDataObject = {};
			try {
				body = JSON.parse(rawBody.toString('utf8')) as IDataObject;
			} catch {
				body = {};
			}
			// As n8n's body parser leaves the request: parsed body, and the bytes as they arrived.
			const httpRequest = Object.assign(request, { body, rawBody, query: {}, params: {} });
			const httpResponse = expressResponse(response);
			const additionalData = {
				credentialsHelper: new TestCredentialsHelper(loadedPackage().credentials, { fusionAuthApi: setup.credentials }),
				httpRequest,
				httpResponse,
				executionId: undefined,
				restApiUrl: 'http://127.0.0.1:5678/rest',
				instanceBaseUrl: 'http://127.0.0.1:5678/',
				webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
				webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
				webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
				variables: {},
			} as unknown as IWorkflowExecuteAdditionalData;
			const nodeType = setup.workflow.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1) as INodeType;
			const webhookData: IWebhookData = {
				httpMethod: 'POST',
				node: setup.node.name,
				path: 'webhook',
				webhookDescription: nodeType.description.webhooks![0],
				workflowId: setup.workflow.id,
				workflowExecuteAdditionalData: additionalData,
				isTest: setup.mode === 'manual',
			};
			const context = new WebhookContext(setup.workflow, setup.node, additionalData, setup.mode, webhookData, [], null);
			recordLogs(context, seen.logs);
			const result = await nodeType.webhook!.call(context);
			if (result.noWebhookResponse === true) {
				if (!response.writableEnded) answer(500, { message: 'the node said it answered, but sent nothing' });
				return;
			}
			if (result.workflowData !== undefined) {
				seen.started = (result.workflowData[0] ?? []).map((item) => item.json);
				answer(200, { message: 'Workflow was started' });
				return;
			}
			answer(200, result.webhookResponse ?? { message: 'Webhook call received' });
		} catch (error) {
			answer(500, { message: (error as Error).message });
		}
	}
}

/** The part of Express's response a webhook node uses. */
function expressResponse(response: ServerResponse) {
	const wrapper = {
		status(code: number) {
			response.statusCode = code;
			return wrapper;
		},
		json(body: unknown) {
			response.setHeader('content-type', 'application/json');
			response.end(JSON.stringify(body));
			return wrapper;
		},
		send(body: unknown) {
			response.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
			return wrapper;
		},
		end(body?: string) {
			response.end(body);
			return wrapper;
		},
		setHeader(name: string, value: string) {
			response.setHeader(name, value);
			return wrapper;
		},
		get headersSent() {
			return response.headersSent;
		},
	};
	return wrapper;
}

/** Records the calls the node makes on n8n's logger for this context, and passes them on. */
function recordLogs(context: WebhookContext, logs: Log[]): void {
	// n8n memoizes `logger` on the context at first read, for good: read n8n's logger through the
	// getter on a stand-in, then give this context the recording one before anything reads it.
	let owner: object | null = Object.getPrototypeOf(context) as object;
	while (owner !== null && Object.getOwnPropertyDescriptor(owner, 'logger') === undefined) owner = Object.getPrototypeOf(owner) as object | null;
	const logger = Object.getOwnPropertyDescriptor(owner!, 'logger')!.get!.call({}) as WebhookContext['logger'];
	const recording = Object.create(logger) as WebhookContext['logger'];
	for (const level of ['error', 'warn', 'info', 'debug'] as const) {
		recording[level] = (message: string, meta?: Parameters<typeof logger.warn>[1]) => {
			logs.push({ level, message });
			logger[level](message, meta);
		};
	}
	Object.defineProperty(context, 'logger', { value: recording });
}
