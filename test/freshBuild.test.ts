/**
 * jest rebuilds `dist` before the suites when the sources changed since the last build
 * (test/harness/globalSetup.ts), so `npx jest <file>` after an edit tests the edit. Shown here on a
 * small package in a temporary folder built with this package's own build script, tsconfig and
 * gulpfile, so that rebuilding it cannot disturb the suites running beside this one.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import { ensureFreshBuild, staleReason } from './harness/freshBuild';
import { PACKAGE_ROOT } from './harness/package';

const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

let root: string;
const at = (file: string) => path.join(root, file);
const write = (file: string, text: string) => {
	mkdirSync(path.dirname(at(file)), { recursive: true });
	writeFileSync(at(file), text);
};
const built = (file: string) => readFileSync(at(path.join('dist', file)), 'utf8');

/** Dates the sources two minutes back and dist one minute back: a build made after the last edit. */
function settle(folder = ''): void {
	for (const entry of readdirSync(at(folder), { withFileTypes: true })) {
		const relative = path.join(folder, entry.name);
		if (entry.isSymbolicLink()) continue;
		if (entry.isDirectory()) {
			settle(relative);
		} else {
			const past = new Date(Date.now() - (relative.startsWith(`dist${path.sep}`) ? 60_000 : 120_000));
			utimesSync(at(relative), past, past);
		}
	}
}

const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>';

beforeAll(() => {
	root = mkdtempSync(path.join(os.tmpdir(), 'fresh-build-'));
	write('package.json', JSON.stringify({ name: 'fresh-build-check', version: '1.0.0', private: true, scripts: { build: manifest.scripts.build } }));
	for (const file of ['tsconfig.json', 'gulpfile.js']) writeFileSync(at(file), readFileSync(path.join(PACKAGE_ROOT, file)));
	symlinkSync(realpathSync(path.join(PACKAGE_ROOT, 'node_modules')), at('node_modules'), 'dir');
	write('nodes/Example/Example.node.ts', "export const greeting: string = 'first';\n");
	write('nodes/Example/Example.node.json', '{ "node": "fresh-build-check.example" }\n');
	write('nodes/Example/example.svg', ICON);
	write('credentials/ExampleApi.credentials.ts', "export const name = 'exampleApi';\n");
});

afterAll(() => {
	rmSync(root, { recursive: true, force: true });
});

test('the package under test was fresh when the suites started (npm test does not build twice)', () => {
	// globalSetup ran before this file; had it left something stale, every run would build again.
	expect(staleReason(PACKAGE_ROOT)).toBeUndefined();
});

test('no dist: built; built: nothing to do; a source edited after the build: built again, with the edit', () => {
	const lines: string[] = [];
	expect(staleReason(root)).toBe(`${path.join('dist', 'credentials', 'ExampleApi.credentials.js')} is missing`);
	expect(ensureFreshBuild(root, (line) => lines.push(line))).toBe(true);
	expect(built('nodes/Example/Example.node.js')).toContain("'first'");
	expect(built('nodes/Example/example.svg')).toBe(ICON);
	expect(staleReason(root)).toBeUndefined();

	const before = statSync(at('dist/nodes/Example/Example.node.js')).mtimeMs;
	expect(ensureFreshBuild(root, (line) => lines.push(line))).toBe(false);
	expect(statSync(at('dist/nodes/Example/Example.node.js')).mtimeMs).toBe(before);

	settle();
	write('nodes/Example/Example.node.ts', "export const greeting: string = 'second';\n");
	expect(staleReason(root)).toBe(`${path.join('nodes', 'Example', 'Example.node.ts')} changed since the last build`);
	expect(ensureFreshBuild(root, (line) => lines.push(line))).toBe(true);
	expect(built('nodes/Example/Example.node.js')).toContain("'second'");
	expect(staleReason(root)).toBeUndefined();
	expect(lines).toEqual([
		`dist is out of date (${path.join('dist', 'credentials', 'ExampleApi.credentials.js')} is missing): npm run build`,
		`dist is out of date (${path.join('nodes', 'Example', 'Example.node.ts')} changed since the last build): npm run build`,
	]);
});

test('an edited credential, codex, package.json or tsconfig, or a changed icon, makes dist stale', () => {
	ensureFreshBuild(root, () => {});
	for (const file of ['credentials/ExampleApi.credentials.ts', 'nodes/Example/Example.node.json', 'package.json', 'tsconfig.json']) {
		settle();
		expect(staleReason(root)).toBeUndefined();
		utimesSync(at(file), new Date(), new Date());
		expect(staleReason(root)).toBe(`${file.split('/').join(path.sep)} changed since the last build`);
	}
	settle();
	write('nodes/Example/example.svg', ICON.replace('width="1"', 'width="0.5"'));
	// Copied icons keep their source's date, so the dates cannot tell: the bytes do.
	utimesSync(at('nodes/Example/example.svg'), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
	expect(staleReason(root)).toBe(`${path.join('nodes', 'Example', 'example.svg')} is not copied to dist`);
});

test('a build that fails stops the run with the compiler\'s words', () => {
	settle();
	write('nodes/Example/Example.node.ts', "export const greeting: number = 'third';\n");
	expect(() => ensureFreshBuild(root, () => {})).toThrow(/npm run build failed[\s\S]*Example\.node\.ts[\s\S]*TS2322/);
});
