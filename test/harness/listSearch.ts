import './environment';

import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { loadedPackage, NODE_TYPE, TestCredentialsHelper, TestNodeTypes } from './n8n';

/**
 * Calls one of the node's list searches (a resource locator's From List) as n8n's editor does,
 * through n8n-core's load-options context, with the given fusionAuthApi credential.
 */
export async function listSearch(
	method: string,
	credentials: ICredentialDataDecryptedObject,
	{ filter, paginationToken, parameters = {} }: { filter?: string; paginationToken?: string; parameters?: INodeParameters } = {},
): Promise<INodeListSearchResult> {
	const pkg = loadedPackage();
	const nodeTypes = new TestNodeTypes(pkg);
	const node: INode = {
		id: 'b0000000-0000-4000-8000-000000000001',
		name: 'FusionAuth',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { fusionAuthApi: { id: 'cred-1', name: 'FusionAuth' } },
	};
	const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(pkg.credentials, { fusionAuthApi: credentials }),
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.userId');
	const type = nodeTypes.getByNameAndVersion(NODE_TYPE, 1) as INodeType;
	const search = type.methods?.listSearch?.[method];
	if (search === undefined) throw new Error(`The node has no listSearch method ${method}`);
	return await search.call(context, filter, paginationToken);
}
