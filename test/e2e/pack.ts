/** The package as npm would publish it: `npm pack` of the built repository into a temporary folder. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { cleanEnv, run } from './install';

export async function pack(repo: string): Promise<{ tarball: string; name: string; version: string }> {
	const destination = mkdtempSync(path.join(tmpdir(), 'n8n-e2e-pack-'));
	const result = await run('npm', ['pack', '--json', '--ignore-scripts', `--pack-destination=${destination}`], {
		cwd: repo,
		env: cleanEnv(),
	});
	if (result.code !== 0) throw new Error(`npm pack failed: ${result.stderr.trim()}`);
	const [packed] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Array<{
		filename: string;
		name: string;
		version: string;
		files: Array<{ path: string }>;
	}>;
	if (!packed.files.some((file) => file.path.startsWith('dist/nodes/'))) {
		throw new Error('the packed package holds no dist/nodes: run npm run build first');
	}
	return { tarball: path.join(destination, packed.filename), name: packed.name, version: packed.version };
}
