import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ApiVersion } from '../helpers/parameters';
import { collectChoices, collectDisplayNames, ItemParameters } from '../helpers/parameters';
import { FusionAuthTransport } from '../transport';
import type { FusionAuthRequest } from '../../shared/request';
import type { FusionAuthOperation } from './operation';
import { bodyOrSuccess } from './operation';
import { findOperation, operations } from './operations';
import { readOptions } from './options';
import { allowedFields } from './toolOutput';

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
	if (apiVersion !== 'current' && apiVersion !== 'legacy') {
		throw new NodeOperationError(node, `API Version must be "current" or "legacy", not ${JSON.stringify(apiVersion)}`);
	}
	const operation = findOperation(resource, name);
	const refuseForTools = (what: string, reasons: string[]) =>
		new NodeOperationError(node, `${what} is not available to AI agents: ${[...new Set(reasons)].join('; ')}`);
	if (!operation) {
		const ofResource = operations.filter((entry) => entry.resource === resource);
		if (runsAsTool(context) && ofResource.length > 0 && ofResource.every((entry) => entry.keptFromAgents !== undefined)) {
			throw refuseForTools(`The resource "${resource}"`, ofResource.map((entry) => entry.keptFromAgents as string));
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
	if (operation.keptFromAgents !== undefined && runsAsTool(context)) {
		throw refuseForTools(`${operation.option.name} (${resource})`, [operation.keptFromAgents]);
	}
	return operation;
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
 * A promise that settles in the event loop's next turn, one for all who ask during the same turn.
 * A worker freed while answers are being read waits for it, so that the workers freed together
 * start their next requests together, after the answers that came with theirs: opening
 * connections one by one between answers costs n8n's process markedly more CPU per request
 * (bench/experiments/waits.md). A message port wakes the loop without a timer's delay;
 * setImmediate is not open to community nodes.
 */
class Turns {
	private channel: InstanceType<typeof MessageChannel> | undefined;
	private waiting: Promise<void> | undefined;
	private release: (() => void) | undefined;

	async next(): Promise<void> {
		if (this.waiting === undefined) {
			if (this.channel === undefined) {
				this.channel = new MessageChannel();
				this.channel.port1.on('message', () => {
					const release = this.release;
					this.waiting = undefined;
					this.release = undefined;
					release?.();
				});
			}
			this.waiting = new Promise((resolve) => (this.release = resolve));
			this.channel.port2.postMessage(0);
		}
		return await this.waiting;
	}

	close(): void {
		this.channel?.port1.close();
		this.channel?.port2.close();
	}
}

/**
 * Runs the operation for every input item, up to `concurrency` at a time, and returns one
 * result per item in input order, each paired with its item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = resolveOperation(this);
	const { concurrency, transport: transportOptions } = readOptions(this);
	const displayNames = collectDisplayNames(operation.properties);
	const choices = collectChoices(operation.properties);
	const forTool = runsAsTool(this);
	// Every operation offered to agents has an allowlist; one without stays refused (resolveOperation).
	const toolOutput = forTool ? operation.toolOutput : undefined;
	if (forTool && toolOutput === undefined) {
		throw new NodeOperationError(this.getNode(), `${operation.option.name} (${operation.resource}) is not available to AI agents`);
	}

	let transport: Promise<FusionAuthTransport> | undefined;
	const getTransport = async () => await (transport ??= FusionAuthTransport.create(this, transportOptions));

	const runItem = async (itemIndex: number): Promise<INodeExecutionData[]> => {
		// User lookups (By Email, ...) go through the same transport as the operation's own request.
		const send = async (request: FusionAuthRequest) => await (await getTransport()).send(request, itemIndex);
		const parameters = new ItemParameters(this, itemIndex, displayNames, choices, forTool, send);
		let json: IDataObject | IDataObject[];
		if (operation.execute) {
			json = await operation.execute(parameters, getTransport);
		} else {
			const request = await operation.request!(parameters);
			const response = await send(request);
			json = operation.output ? operation.output(response, parameters) : bodyOrSuccess(response);
		}
		// One item per input item, whatever came back; only a list operation outputs one per entry.
		if (Array.isArray(json) && !operation.outputsList) {
			throw new NodeOperationError(this.getNode(), `${operation.option.name} produced a list instead of one result [item ${itemIndex}]`, { itemIndex });
		}
		if (toolOutput) {
			json = Array.isArray(json) ? json.map((entry) => allowedFields(entry, toolOutput)) : allowedFields(json, toolOutput);
		}
		return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
			itemData: { item: itemIndex },
		});
	};

	const results: INodeExecutionData[][] = new Array(items.length);
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	let next = 0;
	const turns = new Turns();
	// One at a time, there is nothing to start together.
	const together = concurrency > 1;
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
			if (together && next < items.length) await turns.next();
		}
	};
	try {
		await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	} finally {
		turns.close();
	}
	if (failures.length > 0) {
		// Items run side by side may fail in any order: report the first one in input order.
		throw failures.reduce((first, entry) => (entry.itemIndex < first.itemIndex ? entry : first)).error;
	}
	return [results.flat()];
}
