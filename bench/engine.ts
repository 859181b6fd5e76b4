/**
 * Runs "Items Source -> <node>" through n8n-core's WorkflowExecute in this process, for any
 * node type: this package's node (loaded from dist as n8n loads it) or n8n's own HTTP Request
 * node from n8n-nodes-base. The same engine setup as test/harness/n8n.ts.
 */
import '../test/harness/environment';

import path from 'path';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeCredentials,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { loadedPackage, NODE_TYPE, TestCredentialsHelper } from '../test/harness/n8n';

export const FUSIONAUTH_NODE = NODE_TYPE;
export const HTTP_REQUEST_NODE = 'n8n-nodes-base.httpRequest';
const ITEMS_SOURCE = 'bench.itemsSource';
const NODE_NAME = 'Under Test';

const itemsSource: INodeType = {
	description: {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['input'],
		version: 1,
		description: 'Emits the items it is given',
		defaults: { name: 'Items Source' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		return [this.getInputData()];
	},
};

/** n8n's HTTP Request node class, from the n8n-nodes-base the engine itself resolves. */
export function httpRequestNodeType(): IVersionedNodeType {
	const file = path.join(
		path.dirname(require.resolve('n8n-nodes-base/package.json')),
		'dist/nodes/HttpRequest/HttpRequest.node.js',
	);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { HttpRequest } = require(file) as { HttpRequest: new () => IVersionedNodeType };
	return new HttpRequest();
}

class BenchNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType>;

	constructor() {
		this.types = {
			...loadedPackage().nodes,
			[HTTP_REQUEST_NODE]: httpRequestNodeType(),
			[ITEMS_SOURCE]: itemsSource,
		};
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = this.getByName(nodeType);
		if ('nodeVersions' in type) return type.nodeVersions[version ?? type.currentVersion];
		return type;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export interface WorkflowRun {
	type: string;
	typeVersion: number;
	parameters: INodeParameters;
	items: IDataObject[];
	/** The fusionAuthApi credential's fields, for this package's node. */
	credentials?: ICredentialDataDecryptedObject;
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
}

export interface WorkflowResult {
	output: INodeExecutionData[];
	errorOutput: INodeExecutionData[];
	error?: Error;
}

let nodeTypes: BenchNodeTypes | undefined;

export async function runWorkflow(options: WorkflowRun): Promise<WorkflowResult> {
	nodeTypes ??= new BenchNodeTypes();
	const startNode: INode = {
		id: 'b0000000-0000-4000-8000-000000000001',
		name: 'Items Source',
		type: ITEMS_SOURCE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const credentials: INodeCredentials | undefined = options.credentials
		? { fusionAuthApi: { id: 'bench-credential', name: 'FusionAuth' } }
		: undefined;
	const node: INode = {
		id: 'b0000000-0000-4000-8000-000000000002',
		name: NODE_NAME,
		type: options.type,
		typeVersion: options.typeVersion,
		position: [200, 0],
		parameters: options.parameters,
		...(credentials ? { credentials } : {}),
		...(options.onError ? { onError: options.onError } : {}),
	};
	const workflow = new Workflow({
		id: 'wf-bench',
		name: 'bench',
		nodes: [startNode, node],
		connections: { [startNode.name]: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes,
		staticData: {},
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks('cli', 'exec-bench', {
		id: 'wf-bench',
		name: 'bench',
		nodes: [startNode, node],
		connections: workflow.connectionsBySourceNode,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: {},
	} as never);
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(loadedPackage().credentials, {
			fusionAuthApi: options.credentials ?? {},
		}),
		hooks,
		executionId: 'exec-bench',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('not used by the benchmark');
		},
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used by the benchmark');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [options.items.map((json) => ({ json }))] }, source: null },
			],
		},
	});
	const run = await new WorkflowExecute(additionalData, 'cli', runExecutionData).processRunExecutionData(workflow);
	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	const main = taskData?.data?.main ?? [];
	return {
		output: (main[0] ?? []) as INodeExecutionData[],
		errorOutput: (main[1] ?? []) as INodeExecutionData[],
		error: (run.data.resultData.error ?? taskData?.error) as Error | undefined,
	};
}
