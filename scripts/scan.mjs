// n8n's verification scan, offline: the source files, then the files `npm pack` would publish.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function report(label, result) {
	if (result.passed) {
		process.stdout.write(`scan ${label}: passed${result.message ? ` (${result.message})` : ''}\n`);
		return true;
	}
	process.stdout.write(`scan ${label}: FAILED: ${result.message}\n${result.details ?? ''}\n`);
	return false;
}

const work = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-fusionauth-scan-'));
let passed = false;
try {
	const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: root,
		encoding: 'utf8',
	}).trim();
	const tarball = path.join(work, packed.split('\n').pop());
	const unpacked = path.join(work, 'package');
	execFileSync('tar', ['-xzf', tarball, '-C', work]);
	const files = readdirSync(unpacked);
	if (!files.includes('dist')) throw new Error(`the packed package has no dist folder (${files.join(', ')}): run npm run build first`);
	const tarballResult = await analyzePackage(unpacked, ['**/*.js', 'package.json']);
	passed = report('source', source) & report(`package ${path.basename(tarball)}`, tarballResult);
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(passed ? 0 : 1);
