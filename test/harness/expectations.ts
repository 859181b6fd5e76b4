import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { RunResult } from './n8n';

/** Every input item came out as exactly one item, success or error, paired with it, in order. */
export function oneItemEach(items: INodeExecutionData[], count: number): INodeExecutionData[] {
	expect(items.map((item) => item.pairedItem)).toEqual(Array.from({ length: count }, (_, item) => ({ item })));
	return items;
}

/** The error each item failed with: the one that stopped the run, or each error item's. */
export function failures(result: RunResult): Array<{ message: string; description: string }> {
	if (result.error) return [{ message: result.error.message, description: String(result.error.description ?? '') }];
	return result.output
		.filter((item) => item.json.error !== undefined)
		.map((item) => ({
			message: String(item.json.error),
			description: String(((item.json.details as IDataObject | undefined)?.description as string | undefined) ?? ''),
		}));
}
