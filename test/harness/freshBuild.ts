/**
 * The tests load the package from `dist/`, as n8n does; this keeps `dist/` from lagging behind
 * the sources. `npm run build` (tsc, then the icons) rewrites every compiled file, so the oldest
 * of them dates the last build: any input newer than that, or an icon that differs from its copy,
 * means the build is stale. jest's global setup calls `ensureFreshBuild` once per run; right after
 * `npm run build` (as `npm test` does) it finds nothing to do.
 */
import { execFileSync } from 'child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';

/** The folders compiled into dist, besides package.json. */
const SOURCE_FOLDERS = ['credentials', 'nodes'];
/** Inputs that change the output without being compiled into it. */
const BUILD_FILES = ['package.json', 'tsconfig.json'];
const ICON = /\.(png|svg)$/;
const COMPILED = /\.(ts|json)$/;

function filesUnder(root: string, folder: string): string[] {
	const absolute = path.join(root, folder);
	if (!existsSync(absolute)) return [];
	return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
		const relative = path.join(folder, entry.name);
		if (entry.isDirectory()) return filesUnder(root, relative);
		return entry.isFile() ? [relative] : [];
	});
}

/** Where tsc writes a source's output. */
function compiledPath(source: string): string {
	return path.join('dist', source.replace(/\.ts$/, '.js'));
}

/** Why `dist` under `root` is older than its sources, or undefined when it is up to date. */
export function staleReason(root: string): string | undefined {
	const sources = SOURCE_FOLDERS.flatMap((folder) => filesUnder(root, folder));
	const compiled = [...sources.filter((file) => COMPILED.test(file) && !file.endsWith('.d.ts')), 'package.json'];
	let built = Infinity;
	for (const source of compiled) {
		const output = path.join(root, compiledPath(source));
		if (!existsSync(output)) return `${compiledPath(source)} is missing`;
		built = Math.min(built, statSync(output).mtimeMs);
	}
	for (const input of [...compiled, ...BUILD_FILES]) {
		const file = path.join(root, input);
		if (existsSync(file) && statSync(file).mtimeMs > built) return `${input} changed since the last build`;
	}
	// Icons are copied with their own dates: compare the bytes.
	for (const icon of sources.filter((file) => ICON.test(file))) {
		const copy = path.join(root, 'dist', icon);
		if (!existsSync(copy) || !readFileSync(copy).equals(readFileSync(path.join(root, icon)))) return `${icon} is not copied to dist`;
	}
	return undefined;
}

/**
 * Runs `npm run build` in `root` when `dist` is stale; says why on stderr. Returns whether it
 * built. A failed build throws with the compiler's output, so no test runs on an old build.
 */
export function ensureFreshBuild(root: string, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): boolean {
	const reason = staleReason(root);
	if (reason === undefined) return false;
	log(`dist is out of date (${reason}): npm run build`);
	try {
		execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe', encoding: 'utf8', shell: process.platform === 'win32' });
	} catch (error) {
		const { stdout, stderr } = error as { stdout?: string; stderr?: string };
		throw new Error(`npm run build failed, so the tests would run on an old build:\n${stdout ?? ''}${stderr ?? ''}`);
	}
	return true;
}
