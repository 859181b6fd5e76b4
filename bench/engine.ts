/**
 * Runs "Items Source -> <node>" through n8n-core's WorkflowExecute in this process (the test
 * harness's setup), for this package's node or n8n's own HTTP Request node from n8n-nodes-base.
 */
import '../test/harness/environment';

import path from 'path';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	IVersionedNodeType,
} from 'n8n-workflow';

import { NODE_TYPE, runNode } from '../test/harness/n8n';

export const FUSIONAUTH_NODE = NODE_TYPE;
export const HTTP_REQUEST_NODE = 'n8n-nodes-base.httpRequest';

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

let extraNodeTypes: Record<string, IVersionedNodeType> | undefined;

/** One run of Items Source -> the node, through the test harness's engine setup. */
export async function runWorkflow(options: WorkflowRun): Promise<WorkflowResult> {
	extraNodeTypes ??= { [HTTP_REQUEST_NODE]: httpRequestNodeType() };
	const result = await runNode({
		nodeType: options.type,
		typeVersion: options.typeVersion,
		parameters: options.parameters,
		items: options.items,
		credentials: options.credentials,
		withCredential: options.credentials !== undefined,
		onError: options.onError,
		extraNodeTypes,
		mode: 'cli',
	});
	return { output: result.output, errorOutput: result.errorOutput, error: result.error };
}
