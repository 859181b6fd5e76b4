import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { buildProperties } from './actions/operations';
import { router } from './actions/router';
import { fusionAuthApiTest } from '../shared/credentialTest';
import { searchApplications, searchTenants, searchUsers } from './methods/listSearch';

export class FusionAuthTwoFactor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'FusionAuth Two Factor',
		name: 'fusionAuthTwoFactor',
		icon: { light: 'file:fusionAuth.svg', dark: 'file:fusionAuth.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage FusionAuth two factor authentication: methods, codes, recovery codes, logins',
		defaults: { name: 'FusionAuth Two Factor' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'fusionAuthApi',
				required: true,
				// The node's own test: its words reach the credential dialog on n8n 1.x as on 2.x.
				testedBy: 'fusionAuthApiTest',
				// Generate TOTP computes the code locally and sends nothing.
				displayOptions: { hide: { operation: ['generateTotp'] } },
			},
		],
		properties: buildProperties(),
	};

	methods = { credentialTest: { fusionAuthApiTest }, listSearch: { searchUsers, searchTenants, searchApplications } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
