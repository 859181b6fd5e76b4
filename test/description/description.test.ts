/**
 * The nodes' and the credential's descriptions as n8n reads them, committed beside this test, so
 * that every change to what users see in the editor shows in review. After a deliberate change:
 * UPDATE_DESCRIPTION=1 npx jest test/description, then read the diff of the JSON files.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';

import { loadedPackage } from '../harness/n8n';

const update = process.env.UPDATE_DESCRIPTION === '1';

function snapshotOf(value: unknown): string {
	return `${JSON.stringify(value, (_key, entry: unknown) => (typeof entry === 'function' ? `[function ${(entry as { name?: string }).name ?? ''}]` : entry), 2)}\n`;
}

const pkg = loadedPackage();
const described: Array<[file: string, value: unknown]> = [
	...Object.entries(pkg.nodes).map(([type, node]) => [`${type.split('.').pop()}.json`, node.description] as [string, unknown]),
	...Object.entries(pkg.credentials).map(([name, credential]) => [`${name}.credential.json`, credential] as [string, unknown]),
];

test.each(described)('%s matches the committed description', (file, value) => {
	const committed = path.join(__dirname, file);
	const actual = snapshotOf(value);
	if (update || !existsSync(committed)) {
		if (!update) throw new Error(`${file} is missing: run UPDATE_DESCRIPTION=1 npx jest test/description`);
		writeFileSync(committed, actual);
	}
	expect(actual).toBe(readFileSync(committed, 'utf8'));
});
