import type { INode, INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { loadedPackage, NODE_TYPE, runNode } from '../harness/n8n';
import { PANELS } from './expected';

const description = (): INodeTypeDescription => loadedPackage().nodes[NODE_TYPE].description;

function node(parameters: INodeParameters): INode {
	return { id: 'n1', name: 'FusionAuth', type: NODE_TYPE, typeVersion: 1, position: [0, 0], parameters };
}

/** The parameters as the editor resolves them (defaults filled in, hidden ones dropped). */
function resolved(parameters: INodeParameters): INodeParameters {
	return NodeHelpers.getNodeParameters(description().properties, parameters, true, false, node(parameters), description())!;
}

/** The parameters the editor frames in red as required and empty. */
function requiredIssues(parameters: INodeParameters): string[] {
	const values = resolved(parameters);
	const issues = NodeHelpers.getNodeParametersIssues(description().properties, node(values), description());
	return Object.keys(issues?.parameters ?? {}).sort();
}

function shownProperty(parameters: INodeParameters, name: string): INodeProperties | undefined {
	const values = resolved(parameters);
	return description().properties.find(
		(property) => property.name === name && NodeHelpers.displayParameter(values, property, node(values), description()),
	);
}

describe('required markers and visible hints', () => {
	test("Enable (authenticator): Secret is required, and its hint names Generate Secret's fields", () => {
		const enable = { apiVersion: 'current', resource: 'twoFactor', operation: 'enable', method: 'authenticator' };
		expect(requiredIssues({ ...enable, userId: 'u', code: '123456' })).toEqual(['secret']);
		const secret = shownProperty(enable, 'secret')!;
		expect(secret.required).toBe(true);
		expect(secret.hint).toMatch(/secret field of Generate Secret.*Secret Encoding to Base32/);
		expect(shownProperty(enable, 'secretEncoding')).toBeDefined();
	});

	test('Enable (email): no Secret, the email is required', () => {
		const enable = { apiVersion: 'current', resource: 'twoFactor', operation: 'enable', method: 'email', userId: 'u', code: '1' };
		expect(shownProperty(enable, 'secret')).toBeUndefined();
		expect(requiredIssues(enable)).toEqual(['email']);
	});

	test('Enable (legacy): Secret is required, with its hint', () => {
		const enable = { apiVersion: 'legacy', resource: 'twoFactor', operation: 'enable', userId: 'u', code: '1' };
		expect(requiredIssues(enable)).toEqual(['secret']);
		expect(shownProperty(enable, 'secret')!.hint).toMatch(/Generate Secret/);
	});

	test('Disable: Method ID is optional, and the hint says what leaving it empty does', () => {
		const disable = { apiVersion: 'current', resource: 'twoFactor', operation: 'disable', userId: 'u', code: '1' };
		expect(requiredIssues(disable)).toEqual([]);
		expect(shownProperty(disable, 'methodId')!.hint).toBe(
			'Leave empty when Code is a recovery code: FusionAuth then removes every method of the user',
		);
	});
});

describe('the credential only where a request is made', () => {
	const credential = () => description().credentials!.find((entry) => entry.name === 'fusionAuthApi')!;
	const shown = (parameters: INodeParameters) =>
		NodeHelpers.displayParameter(resolved(parameters), credential(), node(parameters), description());

	test('Generate TOTP shows no credential; every other operation does', () => {
		expect(shown({ resource: 'code', operation: 'generateTotp' })).toBe(false);
		for (const [resource, operation] of [
			['code', 'send'],
			['code', 'sendForLogin'],
			['secret', 'generate'],
			['twoFactor', 'enable'],
			['user', 'getMany'],
		]) {
			expect(shown({ resource, operation })).toBe(true);
		}
	});

	test('Generate TOTP runs without a credential', async () => {
		const result = await runNode({
			parameters: { resource: 'code', operation: 'generateTotp', secret: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=' },
			withCredential: false,
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.code)).toEqual([expect.stringMatching(/^\d{6}$/)]);
	});
});

describe('each parameter panel as written down for the editor suite', () => {
	test.each(PANELS.map((spec) => [`${spec.apiVersion} ${spec.resource} ${spec.operation}`, spec] as const))(
		'%s: the fields and required markers of test/editor/expected.ts',
		(_name, spec) => {
			const values = resolved({ apiVersion: spec.apiVersion, resource: spec.resource, operation: spec.operation });
			const shown = description().properties.filter(
				(property) => property.type !== 'notice' && NodeHelpers.displayParameter(values, property, node(values), description()),
			);
			expect([...new Set(shown.map((property) => property.name))]).toEqual(spec.fields);
			expect(requiredIssues({ apiVersion: spec.apiVersion, resource: spec.resource, operation: spec.operation })).toEqual(
				[...spec.required].sort(),
			);
		},
	);
});
