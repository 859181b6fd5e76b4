import type { INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { loadedPackage, NODE_TYPE } from '../harness/n8n';
import { APPLICATION_ID, outputJson, runAgainst, TWO_FACTOR_ID, USER_ID } from './support';

// n8n offers a node with usableAsTool to AI agents as a variant whose type name ends in "Tool".
// Operations that hand out credentials (recovery codes, a completed login's tokens) stay out of it.
const TOOL_TYPE = `${NODE_TYPE}Tool`;

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
		const all = ['twoFactor', 'secret', 'code', 'recoveryCode', 'login', 'user'];
		expect(shownOptions(description(), 'resource', values)).toEqual(all);
		expect(shownOptions(toolDescription(), 'resource', values)).toEqual(all);
	});

	test('people see every login operation; agents not Complete', () => {
		const values = { apiVersion: 'current', resource: 'login' };
		expect(shownOptions(description(), 'operation', values)).toEqual(['start', 'complete', 'getStatus']);
		expect(shownOptions(toolDescription(), 'operation', values)).toEqual(['start', 'getStatus']);
	});

	test('agents see no operation selector for recovery codes at all (a notice says why)', () => {
		const values = { apiVersion: 'current', resource: 'recoveryCode' };
		expect(shownOptions(description(), 'operation', values)).toEqual(['generate', 'get']);
		expect(shownOptions(toolDescription(), 'operation', values)).toEqual([]);
	});

	test('agents get no operation that makes, hands out or removes a second factor: not Enable, Remove All or Generate TOTP', () => {
		for (const [resource, forPeople, forAgents] of [
			['twoFactor', ['enable', 'disable', 'removeAll', 'update'], ['disable', 'update']],
			['user', ['get', 'getMany'], ['get', 'getMany']],
			['code', ['send', 'sendForLogin', 'generateTotp'], ['send', 'sendForLogin']],
		] as const) {
			const values = { apiVersion: 'current', resource };
			expect(shownOptions(toolDescription(), 'operation', values)).toEqual(forAgents);
			expect(shownOptions(description(), 'operation', values)).toEqual(forPeople);
		}
	});

	test('exactly one operation selector is shown wherever a resource is chosen', () => {
		for (const node of [description(), toolDescription()]) {
			for (const apiVersion of ['current', 'legacy']) {
				for (const resource of shownOptions(node, 'resource', { apiVersion })) {
					const selectors = node.properties.filter(
						(property) =>
							property.name === 'operation' &&
							NodeHelpers.displayParameter({ apiVersion, resource }, property, null, node),
					);
					// A resource without operations here (legacy login, agents' recovery codes) shows a notice instead.
					expect(selectors.length).toBeLessThanOrEqual(1);
				}
			}
		}
	});
});

describe('running as the tool variant', () => {
	const server = useRecordingServer({
		status: 200,
		body: { recoveryCodes: ['A'], token: 'eyJ.eyJ.sig', twoFactorId: TWO_FACTOR_ID, methods: [] },
	});

	test.each([
		['recoveryCode', 'generate', { userId: USER_ID }],
		['recoveryCode', 'get', { userId: USER_ID }],
		['login', 'complete', { twoFactorId: TWO_FACTOR_ID, code: '123456' }],
	])('refuses %s.%s without sending anything', async (resource, operation, parameters) => {
		const result = await runAgainst(server, { resource, operation, ...parameters }, { nodeType: TOOL_TYPE });
		expect(result.error).toBeDefined();
		expect(result.output).toEqual([]);
		expect(server.requests).toHaveLength(0);
		expect(JSON.stringify(outputJson(result))).not.toContain('eyJ');
	});

	test('says why it refuses a completed login', async () => {
		const result = await runAgainst(
			server,
			{ resource: 'login', operation: 'complete', twoFactorId: TWO_FACTOR_ID, code: '123456' },
			{ nodeType: TOOL_TYPE },
		);
		expect(result.error?.message).toBe('Complete (login) hands out credentials and is not available to AI agents');
	});

	test('the same operations run as the regular node', async () => {
		const result = await runAgainst(server, { resource: 'recoveryCode', operation: 'get', userId: USER_ID });
		expect(result.error).toBeUndefined();
		expect(outputJson(result)).toEqual([{ recoveryCodes: ['A'] }]);
	});

	test('operations that hand out nothing still run as the tool', async () => {
		const result = await runAgainst(
			server,
			{ resource: 'login', operation: 'start', userId: USER_ID, applicationId: APPLICATION_ID },
			{ nodeType: TOOL_TYPE },
		);
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		expect(outputJson(result)[0].twoFactorId).toBe(TWO_FACTOR_ID);
	});

	test("Start Login keeps the login's code from agents, and gives it to people", async () => {
		server.respondWith({ status: 200, body: { code: '918273', twoFactorId: TWO_FACTOR_ID, methods: [] } });
		const parameters = { resource: 'login', operation: 'start', userId: USER_ID, applicationId: APPLICATION_ID };
		const asTool = await runAgainst(server, parameters, { nodeType: TOOL_TYPE });
		expect(outputJson(asTool)).toEqual([{ twoFactorId: TWO_FACTOR_ID, methods: [] }]);
		const asNode = await runAgainst(server, parameters);
		expect(outputJson(asNode)).toEqual([{ code: '918273', twoFactorId: TWO_FACTOR_ID, methods: [] }]);
	});

	test('says why recovery codes are refused, though agents have no operation to pick for them', async () => {
		const result = await runAgainst(server, { resource: 'recoveryCode', operation: 'get', userId: USER_ID }, { nodeType: TOOL_TYPE });
		expect(result.error?.message).toBe('The resource "recoveryCode" hands out credentials and is not available to AI agents');
		expect(server.requests).toHaveLength(0);
	});
});
