import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { fusionAuthApiTest } from '../shared/credentialTest';
import { triggerProperties } from './description';
import { receive } from './receive';
import { checkExists, create, remove } from './registration';
import { readSigningKeysAhead } from './signingKey';

export class FusionAuthTwoFactorTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'FusionAuth Two Factor Trigger',
		name: 'fusionAuthTwoFactorTrigger',
		icon: { light: 'file:fusionAuth.svg', dark: 'file:fusionAuth.dark.svg' },
		group: ['trigger'],
		// The same node in both: n8n evaluates an expression for every delivery to a version-1 webhook
		// node (its Binary Data option), which costs n8n 2.x an isolate call per delivery.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when FusionAuth reports a two factor event: a method added or removed, a challenge, a success, a failed attempt, a login',
		defaults: { name: 'FusionAuth Two Factor Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// The same credential test as the action node, so the dialog says the same plain words here.
		credentials: [{ name: 'fusionAuthApi', required: true, testedBy: 'fusionAuthApiTest' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// n8n answers 200 as soon as the delivery is accepted, before the workflow runs.
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: triggerProperties,
	};

	methods = { credentialTest: { fusionAuthApiTest } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// n8n checks first on every activation: the signing keys are read here, before deliveries come.
				await readSigningKeysAhead(this);
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receive.call(this);
	}
}
