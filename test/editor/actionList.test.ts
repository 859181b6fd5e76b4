import type { INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { loadedPackage, NODE_TYPE } from '../harness/n8n';
import { panelActions } from './actionList';
import { operationTables } from '../operations/table';
import { ACTIONS } from './expected';

const RESOURCES = ['twoFactor', 'secret', 'code', 'recoveryCode', 'login', 'user', 'passkey', 'session', 'mfaPolicy', 'report'];

const description = (): INodeTypeDescription => loadedPackage().nodes[NODE_TYPE].description;
const toolDescription = (): INodeTypeDescription => ({ ...description(), name: `${description().name}Tool` });

function shown(node: INodeTypeDescription, name: string, values: INodeParameters): string[] {
	return node.properties
		.filter((property) => property.name === name && NodeHelpers.displayParameter(values, property, null, node))
		.flatMap((property) => (property.options ?? []).map((option) => String((option as { value: string }).value)));
}

describe("the nodes panel's action list", () => {
	test('lists every action exactly once', () => {
		const titles = panelActions(description()).map((action) => action.title);
		expect(titles.filter((title, index) => titles.indexOf(title) !== index)).toEqual([]);
	});

	test('equals the operations, each with its resource, on the current API', () => {
		expect(panelActions(description())).toEqual(
			ACTIONS.map(([resource, operation, action]) => ({
				title: action,
				values: { operation, apiVersion: 'current', resource },
			})),
		);
	});

	test("each action's values open its operation in the parameter panel", () => {
		for (const action of panelActions(description())) {
			const values = action.values as INodeParameters;
			expect(shown(description(), 'operation', values)).toContain(values.operation);
		}
	});
});

describe('the selectors', () => {
	test('one Resource selector, with every resource', () => {
		const selectors = description().properties.filter((property) => property.name === 'resource');
		expect(selectors).toHaveLength(1);
		expect(shown(description(), 'resource', {})).toEqual(RESOURCES);
	});

	test('each API version and variant shows its own operations, or a notice where it has none', () => {
		const notices = (node: INodeTypeDescription, values: INodeParameters) =>
			node.properties
				.filter((property) => property.type === 'notice' && NodeHelpers.displayParameter(values, property, null, node))
				.map((property) => property.displayName);
		// Each operation's table says which API versions have it (its panels) and whether agents may use it.
		const tables = operationTables();
		for (const apiVersion of ['current', 'legacy'] as const) {
			for (const resource of RESOURCES) {
				const ofResource = tables.filter((table) => table.resource === resource && table.editor.panels[apiVersion] !== undefined);
				const operations = ofResource.map((table) => table.operation);
				const forTools = ofResource.filter((table) => table.agentOutput !== undefined).map((table) => table.operation);
				const values = { apiVersion, resource };
				expect(shown(description(), 'operation', values)).toEqual(operations);
				expect(shown(toolDescription(), 'operation', values)).toEqual(forTools);
				if (operations.length === 0) {
					expect(notices(description(), values)).toEqual([expect.stringContaining('needs FusionAuth 1.26 or later')]);
				} else if (forTools.length === 0) {
					expect(notices(toolDescription(), values)).toEqual([expect.stringContaining('not offered to AI agents')]);
					expect(notices(description(), values)).toEqual([]);
				}
			}
		}
	});
});
