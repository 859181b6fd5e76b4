import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ApiVersion, ItemParameters } from '../helpers/parameters';
import type { FusionAuthTransport } from '../transport';
import type { FusionAuthRequest, FusionAuthResponse } from '../../shared/request';
import type { ToolOutput } from './toolOutput';

export type Resource =
	| 'twoFactor'
	| 'secret'
	| 'code'
	| 'recoveryCode'
	| 'login'
	| 'user'
	// The lost-device runbook's resources.
	| 'passkey'
	| 'session'
	| 'mfaPolicy'
	| 'report';

/**
 * One operation of the node. Most are a pure mapping from parameters to one request
 * (`request`) and from its response to output (`output`); the few that are not one request
 * (paging, local computation) implement `execute` instead.
 */
export interface FusionAuthOperation {
	resource: Resource;
	/** The operation's entry in the selector: `value` is the saved name. */
	option: INodePropertyOptions & { value: string; action: string };
	/** The API generations that have it. */
	apiVersions: ApiVersion[];
	/** Its own parameters; the registry adds the resource/operation display options. */
	properties: INodeProperties[];
	/**
	 * Why the operation is kept from AI agents (it hands out a secret, code, recovery code or login
	 * token, or changes a second factor in a way an agent must not choose): never offered to them,
	 * and refused with this reason. Operations without it are offered, with their `toolOutput`.
	 */
	keptFromAgents?: string;
	/** What an AI agent receives of the output; every operation offered to agents has one. */
	toolOutput?: ToolOutput;
	/** Outputs a list (one item per entry) instead of one item per input item. */
	outputsList?: boolean;
	/** May look the user up first (the `userId` resource locator), hence a promise. */
	request?(parameters: ItemParameters): FusionAuthRequest | Promise<FusionAuthRequest>;
	output?(response: FusionAuthResponse, parameters: ItemParameters): IDataObject | IDataObject[];
	execute?(
		parameters: ItemParameters,
		transport: () => Promise<FusionAuthTransport>,
	): Promise<IDataObject | IDataObject[]>;
}

/** FusionAuth's 404 for a user, naming the user the item asked for. */
export function userNotFound(userId: string): string {
	return `User ${userId} not found`;
}

/** The fields that have a value: optional parameters left empty stay out of a request body. */
export function definedOnly(fields: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** A response without a body becomes `{ success: true }`. */
export function bodyOrSuccess(response: FusionAuthResponse): IDataObject {
	return response.body ?? { success: true };
}
