import { existsSync, readFileSync } from 'fs';
import path from 'path';
import type { ICredentialType, INodeType } from 'n8n-workflow';

/** The package's folder: the nearest one up with its package.json (also from compiled `.build/`). */
function findPackageRoot(start: string): string {
	for (let folder = start; ; folder = path.dirname(folder)) {
		const manifest = path.join(folder, 'package.json');
		if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'n8n-nodes-fusionauth') {
			return folder;
		}
		if (path.dirname(folder) === folder) throw new Error(`No n8n-nodes-fusionauth package.json above ${start}`);
	}
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);

interface PackageJson {
	name: string;
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
}

export interface LoadedPackage {
	name: string;
	/** Node types by full type name, e.g. `n8n-nodes-fusionauth.fusionAuthTwoFactor`. */
	nodes: Record<string, INodeType>;
	credentials: Record<string, ICredentialType>;
}

/** Instantiates the class a built file exports, named like the file (as n8n's loader does). */
function instantiate<T>(root: string, file: string, suffix: string): T {
	const className = path.basename(file).replace(suffix, '');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(path.join(root, file)) as Record<string, new () => T>;
	const Class = exported[className];
	if (typeof Class !== 'function') throw new Error(`${file} does not export a class ${className}`);
	return new Class();
}

/** Loads the built package from `dist` through the package.json `n8n` block, like n8n does. */
export function loadPackage(root = PACKAGE_ROOT): LoadedPackage {
	const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
	const nodes: Record<string, INodeType> = {};
	for (const file of manifest.n8n.nodes) {
		const node = instantiate<INodeType>(root, file, '.node.js');
		nodes[`${manifest.name}.${node.description.name}`] = node;
	}
	const credentials: Record<string, ICredentialType> = {};
	for (const file of manifest.n8n.credentials) {
		const credential = instantiate<ICredentialType>(root, file, '.credentials.js');
		credentials[credential.name] = credential;
	}
	return { name: manifest.name, nodes, credentials };
}
