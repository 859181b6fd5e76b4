import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ApiVersion } from '../helpers/parameters';
import { generateTotp } from './code/generateTotp.operation';
import { send } from './code/send.operation';
import { sendForLogin } from './code/sendForLogin.operation';
import { complete as completeLogin } from './login/complete.operation';
import { getStatus as getLoginStatus } from './login/getStatus.operation';
import { start as startLogin } from './login/start.operation';
import { get as getMfaPolicy } from './mfaPolicy/get.operation';
import { setLoginPolicy } from './mfaPolicy/setLoginPolicy.operation';
import type { FusionAuthOperation, Resource } from './operation';
import { optionsCollection } from './options';
import { deleteAll as deleteAllPasskeys } from './passkey/deleteAll.operation';
import { deletePasskey } from './passkey/delete.operation';
import { get as getPasskey } from './passkey/get.operation';
import { getMany as getManyPasskeys } from './passkey/getMany.operation';
import { mfaCoverage } from './report/mfaCoverage.operation';
import { generate as generateRecoveryCodes } from './recoveryCode/generate.operation';
import { get as getRecoveryCodes } from './recoveryCode/get.operation';
import { generate as generateSecret } from './secret/generate.operation';
import { revokeAll as revokeAllSessions } from './session/revokeAll.operation';
import { disable } from './twoFactor/disable.operation';
import { enable } from './twoFactor/enable.operation';
import { removeAll } from './twoFactor/removeAll.operation';
import { update } from './twoFactor/update.operation';
import { get as getUser } from './user/get.operation';
import { getMany as getManyUsers } from './user/getMany.operation';

/** Every operation of the node, in the order the selectors show them. */
export const operations: FusionAuthOperation[] = [
	enable,
	disable,
	removeAll,
	update,
	generateSecret,
	send,
	sendForLogin,
	generateTotp,
	generateRecoveryCodes,
	getRecoveryCodes,
	startLogin,
	completeLogin,
	getLoginStatus,
	getUser,
	getManyUsers,
	// The lost-device runbook: passkeys and sessions.
	getManyPasskeys,
	getPasskey,
	deletePasskey,
	deleteAllPasskeys,
	revokeAllSessions,
	// MFA policy
	getMfaPolicy,
	setLoginPolicy,
	// Reports
	mfaCoverage,
];

const resources: Array<INodePropertyOptions & { value: Resource }> = [
	{ name: 'Two Factor Method', value: 'twoFactor' },
	{ name: 'Secret', value: 'secret' },
	{ name: 'Code', value: 'code' },
	{ name: 'Recovery Code', value: 'recoveryCode' },
	{ name: 'Two Factor Login', value: 'login' },
	{ name: 'User', value: 'user' },
	{ name: 'Passkey', value: 'passkey' },
	{ name: 'Session', value: 'session' },
	{ name: 'MFA Policy', value: 'mfaPolicy' },
	{ name: 'Report', value: 'report' },
];

export function findOperation(resource: string, operation: string): FusionAuthOperation | undefined {
	return operations.find((entry) => entry.resource === resource && entry.option.value === operation);
}

function notice(text: string, show: Record<string, Array<string | boolean>>): INodeProperties {
	return { displayName: text, name: 'notice', type: 'notice', default: '', displayOptions: { show } };
}

/** Variants of a selector: one for people and, where it differs, one for AI agents (`@tool`). */
function selectorVariants(
	base: Omit<INodeProperties, 'options' | 'displayOptions'>,
	show: Record<string, string[]>,
	all: INodePropertyOptions[],
	forTools: INodePropertyOptions[],
): INodeProperties[] {
	const property = (options: INodePropertyOptions[], tool?: boolean): INodeProperties => ({
		...base,
		options,
		default: options[0].value,
		displayOptions:
			tool === undefined
				? { show }
				: tool
					? { show: { ...show, '@tool': [true] } }
					: { show, hide: { '@tool': [true] } },
	});
	if (forTools.length === all.length) return [property(all)];
	const variants = [property(all, false)];
	if (forTools.length > 0) variants.push(property(forTools, true));
	return variants;
}

function operationsOf(resource: Resource, apiVersion: ApiVersion, forTools: boolean): FusionAuthOperation[] {
	return operations.filter(
		(entry) =>
			entry.resource === resource &&
			entry.apiVersions.includes(apiVersion) &&
			!(forTools && entry.keptFromAgents !== undefined),
	);
}

function withOperationDisplay(operation: FusionAuthOperation, property: INodeProperties): INodeProperties {
	return {
		...property,
		displayOptions: {
			...property.displayOptions,
			show: {
				...(operation.apiVersions.length === 1 ? { apiVersion: operation.apiVersions } : {}),
				resource: [operation.resource],
				operation: [operation.option.value],
				...property.displayOptions?.show,
			},
		},
	};
}

/** The node's parameters: API generation, resource and operation selectors, each operation's own. */
export function buildProperties(): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'FusionAuth 1.26 and Later',
					value: 'current',
					description: 'The Two Factor API of every current FusionAuth release',
				},
				{
					name: 'FusionAuth 1.25 and Earlier (Legacy)',
					value: 'legacy',
					description: 'The Two Factor API before 1.26: one secret per user, delivery None or TextMessage',
				},
			],
			default: 'current',
		},
	];

	// One Resource selector for every API version and for AI agents: n8n's nodes panel lists the
	// operations of every `resource` property's options, so a second selector would list them again.
	// Where a resource has no operation for the chosen API version or for agents, a notice says why.
	properties.push({
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources,
		default: 'twoFactor',
	});

	// The panel takes each resource's operations from the first `operation` property shown for it:
	// the one for people on the current API, which holds every operation (legacy has no others).
	for (const resource of resources) {
		for (const apiVersion of ['current', 'legacy'] as ApiVersion[]) {
			const all = operationsOf(resource.value, apiVersion, false).map((entry) => entry.option);
			const show = { apiVersion: [apiVersion], resource: [resource.value] };
			if (all.length === 0) {
				properties.push(notice(`${resource.name} needs FusionAuth 1.26 or later: choose that API Version above`, show));
				continue;
			}
			const forTools = operationsOf(resource.value, apiVersion, true).map((entry) => entry.option);
			properties.push(
				...selectorVariants(
					{ displayName: 'Operation', name: 'operation', type: 'options', noDataExpression: true, default: '' },
					show,
					all,
					forTools,
				),
			);
			if (forTools.length === 0) {
				properties.push(
					notice(`${resource.name}: its operations hand out credentials and are not offered to AI agents`, { ...show, '@tool': [true] }),
				);
			}
		}
	}

	for (const operation of operations) {
		for (const property of operation.properties) {
			properties.push(withOperationDisplay(operation, property));
		}
	}
	properties.push(optionsCollection);
	return properties;
}
