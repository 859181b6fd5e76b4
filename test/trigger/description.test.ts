/** The trigger as n8n loads it from dist: the names and defaults node-contract.md fixes. */
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { PACKAGE_ROOT } from '../harness/package';
import { TRIGGER_TYPE, triggerNode } from './context';

const description = triggerNode().description;
const property = (name: string) => description.properties.find((entry) => entry.name === name) as INodeProperties;

test('type, version, credential and one POST webhook answered when received', () => {
	expect(TRIGGER_TYPE).toBe('n8n-nodes-fusionauth.fusionAuthTwoFactorTrigger');
	expect(description.displayName).toBe('FusionAuth Two Factor Trigger');
	// Saved version-1 triggers still load; new ones are 1.1, which n8n's webhook handling does not
	// evaluate the version-1 Binary Data expression for on each delivery.
	expect(description.version).toEqual([1, 1.1]);
	expect(description.defaultVersion).toBe(1.1);
	expect(description.group).toEqual(['trigger']);
	expect(description.inputs).toEqual([]);
	expect(description.credentials).toEqual([{ name: 'fusionAuthApi', required: true, testedBy: 'fusionAuthApiTest' }]);
	expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }]);
});

test('parameters named as the contract says, with its defaults', () => {
	expect((property('events').options as INodePropertyOptions[]).map((option) => option.value)).toEqual([
		'user.two-factor.method.add',
		'user.two-factor.method.remove',
		'user.two-factor.challenge',
		'user.two-factor.success',
		'user.two-factor.failed-attempt',
		'user.login.success',
		'user.login.failed',
	]);
	expect(property('events').type).toBe('multiOptions');
	expect(property('registration')).toMatchObject({ type: 'options', default: 'automatic' });
	expect((property('registration').options as INodePropertyOptions[]).map((option) => option.value)).toEqual(['automatic', 'manual']);
	expect(property('verification')).toMatchObject({ type: 'options', default: 'sharedSecret' });
	expect((property('verification').options as INodePropertyOptions[]).map((option) => option.value)).toEqual(['sharedSecret', 'signature', 'basicAuth', 'none']);
	expect(property('signingKeyId').type).toBe('string');
	expect(property('hmacSecret').typeOptions?.password).toBe(true);
	expect(property('enableEventsInTenant')).toMatchObject({ type: 'boolean', default: false });
	expect(property('enableEventsInTenant').description).toMatch(/tenant-wide setting/);
	expect((property('verification').options as INodePropertyOptions[]).find((option) => option.value === 'none')?.name).toMatch(/Unsafe/);
});

test('each event says the FusionAuth version and plan it needs', () => {
	for (const option of property('events').options as INodePropertyOptions[]) {
		expect(option.description).toMatch(/FusionAuth 1\.\d+\+, (Enterprise plan|every plan)/);
	}
});

test('codex and icons are built beside the trigger', () => {
	const folder = path.join(PACKAGE_ROOT, 'dist/nodes/FusionAuthTwoFactorTrigger');
	const codex = JSON.parse(readFileSync(path.join(folder, 'FusionAuthTwoFactorTrigger.node.json'), 'utf8'));
	expect(codex.node).toBe(TRIGGER_TYPE);
	const { light, dark } = description.icon as { light: string; dark: string };
	expect(light).not.toBe(dark);
	for (const file of [light, dark]) expect(existsSync(path.join(folder, file.replace(/^file:/, '')))).toBe(true);
});
