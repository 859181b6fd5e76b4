import './environment';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IExecuteData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, deepCopy, ICredentialsHelper, Workflow } from 'n8n-workflow';

import type { LoadedPackage } from './package';
import { loadPackage } from './package';

export const NODE_TYPE = 'n8n-nodes-fusionauth.fusionAuthTwoFactor';
const START_TYPE = 'test.itemsSource';
export const NODE_NAME = 'FusionAuth';

/** A pass-through first node that hands the seeded items to the node under test. */
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

/** Applies credentials the way the n8n app's CredentialsHelper does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	/** How often a node looked a credential up (in the n8n app each is a database read and a decryption). */
	lookups = 0;

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = this.types[typeName];
		const authenticate = type?.authenticate;
		if (typeof authenticate === 'function') {
			return await authenticate.call(type, credentials, requestOptions);
		}
		if (authenticate && authenticate.type === 'generic') {
			// Generic form: resolve `={{$credentials.x}}` and assign over what the node set, as n8n does.
			const resolve = (value: unknown) =>
				typeof value === 'string'
					? value.replace(/=?\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) => String(credentials[key] ?? ''))
					: value;
			const headers = { ...(requestOptions.headers ?? {}) } as IDataObject;
			for (const [key, value] of Object.entries(authenticate.properties.headers ?? {})) {
				headers[key] = resolve(value) as string;
			}
			return { ...requestOptions, headers };
		}
		return requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
		mode?: WorkflowExecuteMode,
		executeData?: IExecuteData,
		_raw?: boolean,
		resolve?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		this.lookups++;
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		// Defaults for unset fields, as the app fills them in.
		const withDefaults: ICredentialDataDecryptedObject = {};
		for (const property of this.types[type]?.properties ?? []) {
			withDefaults[property.name] = property.default as ICredentialDataDecryptedObject[string];
		}
		const decrypted = deepCopy({ ...withDefaults, ...data });
		if (!resolve) return decrypted;
		// Expressions in fields resolve against the item the node names, as the app's CredentialsHelper does.
		return resolve.workflow.expression.getParameterValue(
			decrypted as INodeParameters,
			resolve.runExecutionData,
			resolve.runIndex,
			resolve.itemIndex,
			resolve.node.name,
			resolve.connectionInputData,
			mode ?? 'manual',
			{},
			executeData,
			false,
			decrypted,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return this.types[type]?.properties ?? [];
	}
}

export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType>;

	/** The package's nodes (and their tool variants), the items source, and any `extra` types. */
	constructor(loaded: LoadedPackage, extra: Record<string, INodeType | IVersionedNodeType> = {}) {
		this.types = { ...loaded.nodes, [START_TYPE]: itemsSource, ...extra };
		// The tool variant n8n derives from a node with usableAsTool: same node, type and name
		// ending in `Tool` (what `@tool` display options and the node's own checks look at).
		for (const [name, type] of Object.entries(loaded.nodes)) {
			if (!type.description.usableAsTool) continue;
			const tool = Object.create(type) as INodeType;
			tool.description = {
				...type.description,
				name: `${type.description.name}Tool`,
				displayName: `${type.description.displayName} Tool`,
			};
			this.types[`${name}Tool`] = tool;
		}
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

export interface RunOptions {
	/** The node's parameters, as a saved workflow holds them. */
	parameters: INodeParameters;
	/** The JSON of the items that reach the node. */
	items?: IDataObject[];
	/** The fusionAuthApi credential's fields. */
	credentials?: ICredentialDataDecryptedObject;
	/** n8n's "On Error" setting of the node. */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	/** Run the node as another type, e.g. the tool variant or one of `extraNodeTypes`. */
	nodeType?: string;
	typeVersion?: number;
	/** Node types besides this package's, e.g. n8n's HTTP Request node for comparisons. */
	extraNodeTypes?: Record<string, INodeType | IVersionedNodeType>;
	/** Whether the node gets the fusionAuthApi credential (default true). */
	withCredential?: boolean;
	mode?: WorkflowExecuteMode;
	/** The workflow's static data, kept by the caller from one run to the next as n8n saves it. */
	staticData?: IDataObject;
}

export interface RunResult {
	/** Items on the node's main output. */
	output: INodeExecutionData[];
	/** Items on the error output (On Error: Continue (using error output)). */
	errorOutput: INodeExecutionData[];
	/** The error that stopped the workflow, if any. */
	error?: Error & { description?: string | null; httpCode?: string | null; context?: IDataObject };
	run: IRun;
	/** How often the credential was looked up during the run. */
	credentialLookups: number;
}

let loaded: LoadedPackage | undefined;

export function loadedPackage(): LoadedPackage {
	return (loaded ??= loadPackage());
}

/** Runs Items Source -> FusionAuth Two Factor through n8n's WorkflowExecute, in this process. */
export async function runNode(options: RunOptions): Promise<RunResult> {
	const pkg = loadedPackage();
	const nodeTypes = new TestNodeTypes(pkg, options.extraNodeTypes);
	const startNode: INode = {
		id: 'a0000000-0000-4000-8000-000000000001',
		name: 'Items Source',
		type: START_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const node: INode = {
		id: 'a0000000-0000-4000-8000-000000000002',
		name: NODE_NAME,
		type: options.nodeType ?? NODE_TYPE,
		typeVersion: options.typeVersion ?? 1,
		position: [200, 0],
		parameters: options.parameters,
		...(options.withCredential === false ? {} : { credentials: { fusionAuthApi: { id: 'cred-1', name: 'FusionAuth' } } }),
		...(options.onError ? { onError: options.onError } : {}),
	};
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'test',
		nodes: [startNode, node],
		connections: {
			[startNode.name]: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
		},
		active: false,
		nodeTypes,
		staticData: options.staticData ?? {},
		settings: { executionOrder: 'v1' },
	});

	const mode: WorkflowExecuteMode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, 'exec-test', {
		id: 'wf-test',
		name: 'test',
		nodes: [startNode, node],
		connections: workflow.connectionsBySourceNode,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: {},
	} as never);

	const credentialsHelper = new TestCredentialsHelper(pkg.credentials, {
		fusionAuthApi: options.credentials ?? {},
	});
	const additionalData = {
		credentialsHelper,
		hooks,
		executionId: 'exec-test',
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
			throw new Error('not used by these tests');
		},
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used by these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [(options.items ?? [{}]).map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	});

	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	const main = taskData?.data?.main ?? [];
	return {
		output: (main[0] ?? []) as INodeExecutionData[],
		errorOutput: (main[1] ?? []) as INodeExecutionData[],
		error: (run.data.resultData.error ?? taskData?.error) as RunResult['error'],
		run,
		credentialLookups: credentialsHelper.lookups,
	};
}
