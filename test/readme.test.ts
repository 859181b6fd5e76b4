import { readFileSync } from 'fs';
import path from 'path';
import type { INodePropertyOptions } from 'n8n-workflow';

import { loadedPackage } from './harness/n8n';
import { PACKAGE_ROOT } from './harness/package';

// The README's operation table is what users read: it must list exactly what the node offers.
test('the README operation table lists every operation of the node, with its API versions', () => {
	const readme = readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
	const documented = new Set<string>();
	for (const line of readme.split('\n')) {
		const cells = line.split('|').map((cell) => cell.trim());
		if (cells.length < 5 || !/^(C|L|C, L)$/.test(cells[3])) continue;
		for (const version of cells[3].split(', ')) documented.add(`${cells[1]} / ${cells[2]} / ${version}`);
	}

	const description = loadedPackage().nodes['n8n-nodes-fusionauth.fusionAuthTwoFactor'].description;
	const offered = new Set<string>();
	const resourceNames = new Map<string, string>();
	for (const property of description.properties.filter((entry) => entry.name === 'resource')) {
		for (const option of property.options as INodePropertyOptions[]) resourceNames.set(String(option.value), option.name);
	}
	for (const property of description.properties.filter((entry) => entry.name === 'operation')) {
		if (property.displayOptions?.show?.['@tool']) continue;
		const show = property.displayOptions!.show!;
		const resource = resourceNames.get(String((show.resource as string[])[0]))!;
		const version = (show.apiVersion as string[])[0] === 'current' ? 'C' : 'L';
		for (const option of property.options as INodePropertyOptions[]) offered.add(`${resource} / ${option.name} / ${version}`);
	}
	expect([...documented].sort()).toEqual([...offered].sort());
});
