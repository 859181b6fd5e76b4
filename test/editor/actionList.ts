/**
 * The nodes panel's action list as n8n's editor builds it (n8n 1.x and 2.x, the node creator's
 * action generation): for every property named `resource`, for every option of it, the first
 * property named `operation` whose `displayOptions.show.resource` holds that option gives one
 * action per operation option. Picking an action sets `operation` and, from that property's
 * `displayOptions.show`, the first value of each key (here apiVersion and resource).
 */
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

export interface PanelAction {
	/** What the panel shows: the option's `action`, else "<resource> <operation name>". */
	title: string;
	/** The parameters the editor gives the node it adds. */
	values: Record<string, unknown>;
}

export function panelActions(description: INodeTypeDescription): PanelAction[] {
	const actions: PanelAction[] = [];
	const resourceSelectors = description.properties.filter((property) => property.name === 'resource');
	for (const selector of resourceSelectors) {
		const options = (selector.options ?? []) as INodePropertyOptions[];
		for (const resource of options) {
			const operations = description.properties.find(
				(property: INodeProperties) =>
					property.name === 'operation' &&
					(property.displayOptions?.show?.resource?.includes(resource.value) ?? options.length === 1),
			);
			if (!operations?.options) continue;
			const conditions: Record<string, unknown> = {};
			for (const [key, values] of Object.entries(operations.displayOptions?.show ?? {})) {
				conditions[key] = (values as unknown[] | undefined)?.[0];
			}
			for (const operation of operations.options as INodePropertyOptions[]) {
				actions.push({
					title: operation.action ?? `${resource.name} ${operation.name}`,
					values: { operation: operation.value, ...conditions },
				});
			}
		}
	}
	return actions;
}
