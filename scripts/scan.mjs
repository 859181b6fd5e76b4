// n8n's verification scan, offline: the source files, then the files `npm pack` would publish.
// It runs the scanner's own ESLint configuration (buildScanConfig of @n8n/scan-community-package).
// Without --publish, the findings about the package's identity (author email, homepage), which a
// maintainer sets when publishing, are listed as still to do instead of failing the scan.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { buildScanConfig, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const publishing = process.argv.includes('--publish');
const IDENTITY_RULES = new Set(['@n8n/community-nodes/valid-author', '@n8n/community-nodes/require-homepage']);

// The ESLint the scanner itself imports, whichever copy npm gave it.
const scannerRequire = createRequire(import.meta.resolve('@n8n/scan-community-package/scanner/scanner.mjs'));
const { ESLint } = await import(pathToFileURL(scannerRequire.resolve('eslint')).href);
const { default: glob } = await import(pathToFileURL(scannerRequire.resolve('fast-glob')).href);

async function scan(label, packageDir, patterns) {
	// As the scanner's analyzePackage: inline eslint-disable comments do not count.
	const eslint = new ESLint({ cwd: packageDir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const files = glob.sync(patterns, { cwd: packageDir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = await eslint.lintFiles(files);
	const failures = [];
	const pending = [];
	for (const result of results) {
		for (const message of result.messages) {
			const line = `  ${path.relative(packageDir, result.filePath)}:${message.line}:${message.column}  ${message.message}  ${message.ruleId ?? ''}`;
			if (message.severity < 2) continue;
			if (!publishing && IDENTITY_RULES.has(message.ruleId)) pending.push(line);
			else failures.push(line);
		}
	}
	if (failures.length > 0) {
		process.stdout.write(`scan ${label}: FAILED\n${failures.join('\n')}\n`);
		return false;
	}
	process.stdout.write(`scan ${label}: passed (${files.length} files)\n`);
	for (const line of pending) process.stdout.write(`  to set before publishing:${line}\n`);
	return true;
}

const work = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-fusionauth-scan-'));
let passed = false;
try {
	const source = await scan('source', root, SOURCE_FILE_PATTERNS);
	const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim();
	const tarball = path.join(work, packed.split('\n').pop());
	const unpacked = path.join(work, 'package');
	execFileSync('tar', ['-xzf', tarball, '-C', work]);
	const files = readdirSync(unpacked);
	if (!files.includes('dist')) throw new Error(`the packed package has no dist folder (${files.join(', ')}): run npm run build first`);
	const inTarball = await scan(`package ${path.basename(tarball)}`, unpacked, ['**/*.js', 'package.json']);
	passed = source && inTarball;
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(passed ? 0 : 1);
