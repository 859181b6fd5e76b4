/**
 * What the n8n editor does with an imported example, checked against one installed n8n: every
 * node type and typeVersion exists, every credential type exists and is one the node accepts,
 * connections name real nodes, and the editor's parameter cleanup (NodeHelpers.getNodeParameters,
 * which drops what display options hide and what equals a default) keeps every value the example
 * sets and resolves to the same parameters after a save and reload.
 *
 * Run as a child process with NODE_PATH=<n8n install>/node_modules, so the packed package
 * resolves the same n8n-workflow as that n8n:
 *   node editorCheck.js <n8n install dir> <installed package dir> <example.json>...
 * Prints one JSON line: {"checked": n, "problems": [...]}.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface NodeDescription {
	name: string;
	version: number | number[];
	properties: unknown[];
	credentials?: Array<{ name: string }>;
}

interface LoadedNodeType {
	description: NodeDescription;
	nodeVersions?: Record<string, { description: NodeDescription }>;
}

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

interface Helpers {
	getNodeParameters(
		properties: unknown[],
		values: Record<string, unknown>,
		returnDefaults: boolean,
		returnNoneDisplayed: boolean,
		node: unknown,
		description: unknown,
	): Record<string, unknown> | null;
}

const [n8nDir, packageDir, ...exampleFiles] = process.argv.slice(2);
const modules = path.join(n8nDir, 'node_modules');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { NodeHelpers } = require(path.join(modules, 'n8n-workflow')) as { NodeHelpers: Helpers };

const problems: string[] = [];
const nodeTypes = new Map<string, LoadedNodeType>();
const credentialTypes = new Set<string>();

function instantiate(file: string, className: string): LoadedNodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(file) as Record<string, new () => LoadedNodeType>;
	return new exported[className]();
}

// n8n's own nodes, by the index n8n-nodes-base ships.
const base = path.join(modules, 'n8n-nodes-base');
const knownNodes = JSON.parse(readFileSync(path.join(base, 'dist', 'known', 'nodes.json'), 'utf8')) as Record<
	string,
	{ className: string; sourcePath: string }
>;
const knownCredentials = JSON.parse(readFileSync(path.join(base, 'dist', 'known', 'credentials.json'), 'utf8')) as Record<string, unknown>;
for (const name of Object.keys(knownCredentials)) credentialTypes.add(name);

// This package, through its package.json n8n block as n8n loads it.
const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};
for (const file of manifest.n8n.nodes) {
	const type = instantiate(path.join(packageDir, file), path.basename(file).replace('.node.js', ''));
	nodeTypes.set(`${manifest.name}.${type.description.name}`, type);
}
for (const file of manifest.n8n.credentials) {
	const credential = instantiate(path.join(packageDir, file), path.basename(file).replace('.credentials.js', '')) as unknown as {
		name: string;
	};
	credentialTypes.add(credential.name);
}

function nodeType(type: string): LoadedNodeType | undefined {
	if (!nodeTypes.has(type) && type.startsWith('n8n-nodes-base.')) {
		const known = knownNodes[type.slice('n8n-nodes-base.'.length)];
		if (known) nodeTypes.set(type, instantiate(path.join(base, known.sourcePath), known.className));
	}
	return nodeTypes.get(type);
}

function descriptionFor(type: LoadedNodeType, version: number): NodeDescription | undefined {
	if (type.nodeVersions) return type.nodeVersions[String(version)]?.description;
	const versions = Array.isArray(type.description.version) ? type.description.version : [type.description.version];
	return versions.includes(version) ? type.description : undefined;
}

/** Every value `original` sets (nested collections included) is in `resolved`. */
function keptValues(original: Record<string, unknown>, resolved: Record<string, unknown>, prefix = ''): string[] {
	const lost: string[] = [];
	for (const [key, value] of Object.entries(original)) {
		const got = resolved[key];
		if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
			lost.push(...keptValues(value as Record<string, unknown>, (got ?? {}) as Record<string, unknown>, `${prefix}${key}.`));
		} else if (Array.isArray(value) && value.some((entry) => entry && typeof entry === 'object') && Array.isArray(got) && got.length === value.length) {
			// Entries of a fixed collection: the editor may add the defaults of fields the example leaves out.
			value.forEach((entry, index) =>
				lost.push(...keptValues(entry as Record<string, unknown>, got[index] as Record<string, unknown>, `${prefix}${key}[${index}].`)),
			);
		} else if (JSON.stringify(got) !== JSON.stringify(value) && !(isEmptyObject(value) && got === undefined)) {
			lost.push(`${prefix}${key} (${JSON.stringify(value)} became ${JSON.stringify(got)})`);
		}
	}
	return lost;
}

function isEmptyObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

let checked = 0;
for (const file of exampleFiles) {
	const example = path.basename(file);
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as {
		nodes: ExampleNode[];
		connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	};
	const names = new Set(workflow.nodes.map((node) => node.name));
	if (names.size !== workflow.nodes.length) problems.push(`${example}: node names are not unique`);
	for (const [from, outputs] of Object.entries(workflow.connections)) {
		if (!names.has(from)) problems.push(`${example}: a connection starts at unknown node "${from}"`);
		for (const target of outputs.main.flat()) {
			if (!names.has(target.node)) problems.push(`${example}: a connection ends at unknown node "${target.node}"`);
		}
	}
	for (const node of workflow.nodes) {
		const where = `${example} "${node.name}"`;
		const type = nodeType(node.type);
		if (!type) {
			problems.push(`${where}: no node type ${node.type}`);
			continue;
		}
		const description = descriptionFor(type, node.typeVersion);
		if (!description) {
			problems.push(`${where}: ${node.type} has no version ${node.typeVersion}`);
			continue;
		}
		for (const credentialType of Object.keys(node.credentials ?? {})) {
			if (!credentialTypes.has(credentialType)) problems.push(`${where}: no credential type ${credentialType}`);
			if (!(description.credentials ?? []).some((credential) => credential.name === credentialType)) {
				problems.push(`${where}: ${node.type} does not take a ${credentialType} credential`);
			}
		}
		const full = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description) ?? {};
		const lost = keptValues(node.parameters, full);
		if (lost.length > 0) problems.push(`${where}: the editor drops or changes ${lost.join(', ')}`);
		const saved = NodeHelpers.getNodeParameters(description.properties, node.parameters, false, false, node, description) ?? {};
		const reloaded = NodeHelpers.getNodeParameters(description.properties, saved, true, false, node, description) ?? {};
		if (JSON.stringify(reloaded) !== JSON.stringify(full)) {
			problems.push(`${where}: parameters differ after a save and reload: ${JSON.stringify(full)} vs ${JSON.stringify(reloaded)}`);
		}
		checked++;
	}
}
console.log(JSON.stringify({ checked, problems }));
