import { existsSync, readFileSync } from 'fs';
import path from 'path';

import { loadPackage, PACKAGE_ROOT } from './harness/package';

const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));

describe('the package as n8n loads it', () => {
	const loaded = loadPackage();

	test('the n8n block names the built node and credential, which load', () => {
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
		expect(Object.keys(loaded.nodes)).toEqual([
			'n8n-nodes-fusionauth.fusionAuthTwoFactor',
			'n8n-nodes-fusionauth.fusionAuthTwoFactorTrigger',
		]);
		expect(Object.keys(loaded.credentials)).toEqual(['fusionAuthApi']);
		const node = loaded.nodes['n8n-nodes-fusionauth.fusionAuthTwoFactor'].description;
		expect(node.displayName).toBe('FusionAuth Two Factor');
		expect(node.version).toBe(1);
		expect(node.credentials).toEqual([
			{
				name: 'fusionAuthApi',
				required: true,
				testedBy: 'fusionAuthApiTest',
				displayOptions: { hide: { operation: ['generateTotp'] } },
			},
		]);
	});

	test('icons are built next to the node and the credential, light and dark different', () => {
		const node = loaded.nodes['n8n-nodes-fusionauth.fusionAuthTwoFactor'].description;
		const credential = loaded.credentials.fusionAuthApi;
		for (const [folder, icon] of [
			['dist/nodes/FusionAuthTwoFactor', node.icon],
			['dist/credentials', credential.icon],
		] as const) {
			const { light, dark } = icon as { light: string; dark: string };
			expect(light).not.toBe(dark);
			for (const file of [light, dark]) {
				const built = path.join(PACKAGE_ROOT, folder, file.replace(/^file:/, ''));
				expect(existsSync(built)).toBe(true);
				expect(readFileSync(built, 'utf8')).toContain('<svg');
			}
		}
	});

	test('the codex sits beside the node with the aliases people search for', () => {
		const codex = JSON.parse(
			readFileSync(path.join(PACKAGE_ROOT, 'dist/nodes/FusionAuthTwoFactor/FusionAuthTwoFactor.node.json'), 'utf8'),
		);
		expect(codex.node).toBe('n8n-nodes-fusionauth.fusionAuthTwoFactor');
		expect(codex.alias).toEqual(expect.arrayContaining(['MFA', '2FA', 'TOTP', 'OTP']));
		expect(codex.resources.primaryDocumentation.length).toBeGreaterThan(0);
	});

	test('the package is publishable as a community node: keyword, MIT, no runtime dependencies', () => {
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.license).toBe('MIT');
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		// The built node, and the example workflows a user imports after installing it.
		expect(manifest.files).toEqual(['dist', 'examples']);
	});
});
