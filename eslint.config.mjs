// The rules n8n's node CLI (`n8n-node lint`, @n8n/node-cli) lints community nodes with: its
// community-node rules (@n8n/eslint-plugin-community-nodes) and eslint-plugin-n8n-nodes-base's
// community, credentials and nodes rule sets, with the same rules turned off.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodes = n8nCommunityNodesPlugin.configs.recommended;

// package.json carries no author email, homepage or repository until a maintainer with a real
// address and repository publishes it: the publish workflow fills in the repository from GitHub
// and checks them (scripts/scan.mjs --publish), so lint does not ask for them during development.
const identityCheckedAtPublish = {
	'@n8n/community-nodes/valid-author': 'off',
	'@n8n/community-nodes/require-homepage': 'off',
};

export default tseslint.config(
	{ ignores: ['dist/**', '.build/**', 'node_modules/**'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, communityNodes],
		rules: { 'prefer-spread': 'off', 'no-console': 'error' },
	},
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['package.json'],
		extends: [communityNodes],
		rules: { ...n8nNodesBase.configs.community.rules, ...identityCheckedAtPublish },
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
