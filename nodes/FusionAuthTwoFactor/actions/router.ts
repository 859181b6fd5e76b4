import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ApiVersion } from '../helpers/parameters';
import { collectDisplayNames, ItemParameters } from '../helpers/parameters';
import type { TransportOptions } from '../transport';
import {
	DEFAULT_MAX_RETRY_WAIT_MS,
	DEFAULT_RETRIES,
	DEFAULT_RETRY_DELAY_MS,
	DEFAULT_TIMEOUT_MS,
	FusionAuthTransport,
} from '../transport';
import type { FusionAuthOperation } from './operation';
import { bodyOrSuccess } from './operation';
import { DEFAULT_CONCURRENCY, findOperation, operations } from './operations';

const MAX_CONCURRENCY = 500;

/** The node type n8n gives AI agents ends in "Tool". */
function runsAsTool(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}

function resolveOperation(context: IExecuteFunctions): FusionAuthOperation {
	const node = context.getNode();
	const resource = context.getNodeParameter('resource', 0) as string;
	// No fallback error from n8n here: for agents, a resource may offer no operation at all.
	const name = context.getNodeParameter('operation', 0, '') as string;
	const apiVersion = context.getNodeParameter('apiVersion', 0, 'current') as ApiVersion;
	const operation = findOperation(resource, name);
	const refuseForTools = (what: string) =>
		new NodeOperationError(node, `${what} hands out credentials and is not available to AI agents`);
	if (!operation) {
		const ofResource = operations.filter((entry) => entry.resource === resource);
		if (runsAsTool(context) && ofResource.length > 0 && ofResource.every((entry) => entry.handsOutCredentials)) {
			throw refuseForTools(`The resource "${resource}"`);
		}
		if (ofResource.length > 0 && !ofResource.some((entry) => entry.apiVersions.includes(apiVersion))) {
			throw new NodeOperationError(node, `The resource "${resource}" needs FusionAuth 1.26 or later: set API Version accordingly`);
		}
		throw new NodeOperationError(node, `The operation "${name}" of resource "${resource}" is not known`);
	}
	if (!operation.apiVersions.includes(apiVersion)) {
		throw new NodeOperationError(
			node,
			`${operation.option.name} (${resource}) needs FusionAuth 1.26 or later: set API Version accordingly`,
		);
	}
	if (operation.handsOutCredentials && runsAsTool(context)) {
		throw refuseForTools(`${operation.option.name} (${resource})`);
	}
	return operation;
}

/** An output without the fields an AI agent must not receive. */
function withoutFields(json: IDataObject | IDataObject[], fields: string[]): IDataObject | IDataObject[] {
	const strip = (entry: IDataObject) =>
		Object.fromEntries(Object.entries(entry).filter(([key]) => !fields.includes(key))) as IDataObject;
	return Array.isArray(json) ? json.map(strip) : strip(json);
}

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/** The error item that Continue On Fail and the error output carry for a failed input item. */
function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const details: IDataObject = {};
	const { description, httpCode } = error as { description?: string | null; httpCode?: string | null };
	if (description) details.description = description;
	if (httpCode) details.httpCode = httpCode;
	return {
		json: Object.keys(details).length > 0 ? { error: error.message, details } : { error: error.message },
		pairedItem: { item: itemIndex },
	};
}

/**
 * Runs the operation for every input item, up to `concurrency` at a time, and returns one
 * result per item in input order, each paired with its item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = resolveOperation(this);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = Math.min(
		MAX_CONCURRENCY,
		Math.max(1, Math.floor(Number(options.concurrency ?? DEFAULT_CONCURRENCY)) || 1),
	);
	const number = (name: string, fallback: number, min: number) => {
		const value = Number(options[name] ?? fallback);
		return Number.isFinite(value) ? Math.max(min, value) : fallback;
	};
	const transportOptions: TransportOptions = {
		timeoutMs: number('timeout', DEFAULT_TIMEOUT_MS / 1000, 0.001) * 1000,
		retries: Math.floor(number('retries', DEFAULT_RETRIES, 0)),
		retryDelayMs: number('retryDelay', DEFAULT_RETRY_DELAY_MS, 0),
		maxRetryWaitMs: number('maxRetryWait', DEFAULT_MAX_RETRY_WAIT_MS / 1000, 0) * 1000,
	};
	const displayNames = collectDisplayNames(operation.properties);
	const hiddenFields = runsAsTool(this) ? (operation.credentialOutputFields ?? []) : [];

	let transport: Promise<FusionAuthTransport> | undefined;
	const getTransport = async () => await (transport ??= FusionAuthTransport.create(this, transportOptions));

	const runItem = async (itemIndex: number): Promise<INodeExecutionData[]> => {
		const parameters = new ItemParameters(this, itemIndex, displayNames);
		let json: IDataObject | IDataObject[];
		if (operation.execute) {
			json = await operation.execute(parameters, getTransport);
		} else {
			const request = operation.request!(parameters);
			const response = await (await getTransport()).send(request, itemIndex);
			json = operation.output ? operation.output(response, parameters) : bodyOrSuccess(response);
		}
		if (hiddenFields.length > 0) json = withoutFields(json, hiddenFields);
		return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
			itemData: { item: itemIndex },
		});
	};

	const results: INodeExecutionData[][] = new Array(items.length);
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	let next = 0;
	const worker = async () => {
		// Without Continue On Fail, the first failure stops new items from starting.
		while (next < items.length && failures.length === 0) {
			const itemIndex = next++;
			try {
				results[itemIndex] = await runItem(itemIndex);
			} catch (caught) {
				const error = asNodeError(this, caught, itemIndex);
				if (this.continueOnFail()) {
					results[itemIndex] = [errorItem(error, itemIndex)];
				} else {
					failures.push({ itemIndex, error });
				}
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	if (failures.length > 0) {
		// Items run side by side may fail in any order: report the first one in input order.
		throw failures.reduce((first, entry) => (entry.itemIndex < first.itemIndex ? entry : first)).error;
	}
	return [results.flat()];
}
