import type { INodeExecutionData } from 'n8n-workflow';

/** Every input item came out as exactly one item, success or error, paired with it, in order. */
export function oneItemEach(items: INodeExecutionData[], count: number): INodeExecutionData[] {
	expect(items.map((item) => item.pairedItem)).toEqual(Array.from({ length: count }, (_, item) => ({ item })));
	return items;
}
