import type { INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { loadedPackage, NODE_TYPE } from '../harness/n8n';
import { operationTables } from '../operations/table';

/**
 * Case 2: what n8n's editor offers an AI agent. n8n offers a node with usableAsTool to agents as a
 * variant whose type name ends in "Tool"; each operation's table (test/operations) checks that
 * agents get only its allowed fields or are refused before any request, and whether the agents'
 * selector offers it. Here: the shape of the selectors the tool variant shows.
 */

const description = (): INodeTypeDescription => loadedPackage().nodes[NODE_TYPE].description;
const toolDescription = (): INodeTypeDescription => ({ ...description(), name: `${description().name}Tool` });

/** The options n8n shows for a selector, given the node's values, for people or for agents. */
function shownOptions(node: INodeTypeDescription, name: string, values: INodeParameters): string[] {
	const shown = node.properties.filter(
		(property: INodeProperties) =>
			property.name === name && NodeHelpers.displayParameter(values, property, null, node),
	);
	return shown.flatMap((property) => (property.options ?? []).map((option) => String((option as { value: string }).value)));
}

describe('what the description shows', () => {
	test('people and agents see one Resource selector with every resource (the nodes panel lists each once)', () => {
		const values = { apiVersion: 'current' };
		const all = ['twoFactor', 'secret', 'code', 'recoveryCode', 'login', 'user', 'passkey', 'session', 'mfaPolicy', 'report'];
		expect(shownOptions(description(), 'resource', values)).toEqual(all);
		expect(shownOptions(toolDescription(), 'resource', values)).toEqual(all);
	});

	test('agents see no operation selector for recovery codes at all, and a notice says why', () => {
		const values = { apiVersion: 'current', resource: 'recoveryCode' };
		expect(shownOptions(toolDescription(), 'operation', values)).toEqual([]);
		const notices = toolDescription().properties.filter(
			(property) => property.type === 'notice' && NodeHelpers.displayParameter(values, property, null, toolDescription()),
		);
		expect(notices.map((notice) => notice.displayName)).toEqual([
			'Recovery Code: its operations hand out credentials and are not offered to AI agents',
		]);
	});

	test('exactly one operation selector is shown wherever a resource has operations, none where it has none', () => {
		const tables = operationTables();
		for (const node of [description(), toolDescription()]) {
			const forTools = node.name.endsWith('Tool');
			for (const apiVersion of ['current', 'legacy']) {
				for (const resource of shownOptions(node, 'resource', { apiVersion })) {
					const selectors = node.properties.filter(
						(property) =>
							property.name === 'operation' &&
							NodeHelpers.displayParameter({ apiVersion, resource }, property, null, node),
					);
					// A resource without operations here (legacy login, agents' recovery codes) shows a notice instead.
					const offered = tables.some(
						(table) => table.resource === resource && table.editor.panels[apiVersion as 'current'] !== undefined && (!forTools || table.agentOutput !== undefined),
					);
					expect(selectors.length).toBe(offered ? 1 : 0);
				}
			}
		}
	});
});
