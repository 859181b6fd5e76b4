/**
 * Drives one installed n8n headlessly: a fresh user folder with this package installed the way
 * the community installer does, credential and workflow imports, and `n8n execute`.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { appendFileSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { cleanEnv, CommandResult, N8nInstall, run } from './install';

/** Fixed so imported credentials can be decrypted by later commands of the same run. */
const ENCRYPTION_KEY = 'e2e-local-encryption-key-not-a-secret';

export interface Credential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown>; [key: string]: unknown }>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface NodeRun {
	/** Items of each output of the node's first run (main connection). */
	outputs: Array<Array<{ json: Record<string, unknown> }>>;
	error?: { message?: string; description?: string };
}

export interface ExecutionResult {
	/** The JSON n8n printed, or undefined when none could be found. */
	data?: {
		data?: {
			resultData?: {
				runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: unknown }>>;
				error?: { message?: string; description?: string };
				lastNodeExecuted?: string;
			};
		};
		status?: string;
		finished?: boolean;
	};
	command: CommandResult;
	/** Node name -> its first run. */
	nodes: Record<string, NodeRun>;
	/** The workflow-level error, if any. */
	error?: string;
	ms: number;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** The run JSON sits between the first line that is exactly `{` and the last that is exactly `}`. */
export function parseRunOutput(stdout: string): ExecutionResult['data'] | undefined {
	const lines = stdout.split(/\r?\n/);
	const first = lines.indexOf('{');
	const last = lines.lastIndexOf('}');
	if (first < 0 || last <= first) return undefined;
	try {
		return JSON.parse(lines.slice(first, last + 1).join('\n')) as ExecutionResult['data'];
	} catch {
		return undefined;
	}
}

export class N8nInstance {
	readonly userFolder: string;
	/** Where the package was installed, once installPackage ran. */
	packageDir = '';
	private brokerPort = 0;

	constructor(
		readonly install: N8nInstall,
		private readonly logFile: string,
		/** Further settings (N8N_*, DB_*, QUEUE_*, EXECUTIONS_*), over the defaults below. */
		readonly settings: Record<string, string> = {},
	) {
		this.userFolder = mkdtempSync(path.join(tmpdir(), `n8n-e2e-${install.version}-`));
	}

	/** The environment every n8n command of this instance runs with (also `n8n start`). */
	environment(): NodeJS.ProcessEnv {
		return this.env();
	}

	get logFilePath(): string {
		return this.logFile;
	}

	/** The environment every n8n command of this instance runs with (also `n8n start` in the editor suite). */
	env(): NodeJS.ProcessEnv {
		const env = cleanEnv(this.install.binDir);
		for (const key of Object.keys(env)) {
			// Settings of an n8n on this machine must not leak into the test instance.
			if (key.startsWith('N8N_') || key.startsWith('DB_')) delete env[key];
		}
		Object.assign(env, {
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
		});
		if (this.install.version.startsWith('1.')) {
			// isolated-vm cannot load on Node 20.
			env.N8N_EXPRESSION_ENGINE = 'legacy';
		} else {
			env.N8N_RUNNERS_BROKER_PORT = String(this.brokerPort);
			env.N8N_RUNNERS_BROKER_LISTEN_ADDRESS = '127.0.0.1';
		}
		return { ...env, ...this.settings };
	}

	async prepare(): Promise<void> {
		if (!this.install.version.startsWith('1.')) this.brokerPort = await freePort();
	}

	/**
	 * Installs the packed tarball the way n8n's community package installer does: unpacked into
	 * `.n8n/nodes/node_modules/<name>`, its dev, peer and optional dependencies dropped from its
	 * package.json, `npm install` run inside it, and the package recorded in `.n8n/nodes/package.json`.
	 */
	async installPackage(tarball: string, packageName: string, version: string): Promise<void> {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		const packageDir = path.join(nodesDir, 'node_modules', packageName);
		this.packageDir = packageDir;
		mkdirSync(packageDir, { recursive: true });
		const env = cleanEnv(this.install.binDir);
		const untar = await run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], { cwd: nodesDir, env });
		if (untar.code !== 0) throw new Error(`could not unpack ${tarball}: ${untar.stderr.trim()}`);
		const manifestPath = path.join(packageDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
			readFileSync(manifestPath, 'utf8'),
		) as Record<string, unknown>;
		void devDependencies;
		void peerDependencies;
		void optionalDependencies;
		writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
		const install = await run(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--offline',
			],
			{ cwd: packageDir, env, logFile: this.logFile },
		);
		if (install.code !== 0) throw new Error(`npm install in ${packageDir} failed: ${install.stderr.trim()}`);
		writeFileSync(
			path.join(nodesDir, 'package.json'),
			`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [packageName]: version } }, null, 2)}\n`,
		);
	}

	async n8n(args: string[], timeoutMs = 120_000): Promise<CommandResult> {
		return run(this.install.node, [this.install.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env(),
			logFile: this.logFile,
			timeoutMs,
		});
	}

	/** Starts a long-running command (`start`, `worker`); its output goes to `logFile` and to `output`. */
	start(args: string[]): N8nProcess {
		const child = spawn(this.install.node, [this.install.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const log = createWriteStream(this.logFile, { flags: 'a' });
		log.write(`\n$ n8n ${args.join(' ')}  (in ${this.userFolder})\n`);
		const running: N8nProcess = {
			output: '',
			exited: new Promise((resolve) => child.on('close', (code) => resolve(code))),
			async stop() {
				if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
				const late = setTimeout(() => child.kill('SIGKILL'), 20_000);
				await running.exited;
				clearTimeout(late);
				log.end();
			},
		};
		for (const stream of [child.stdout, child.stderr]) {
			stream.setEncoding('utf8');
			stream.on('data', (chunk: string) => {
				running.output += chunk;
				log.write(chunk);
			});
		}
		return running;
	}

	async importCredentials(credentials: Credential[]): Promise<void> {
		const file = path.join(this.userFolder, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials, null, 2));
		const result = await this.n8n(['import:credentials', `--input=${file}`]);
		if (result.code !== 0) throw new Error(`import:credentials failed: ${tail(result)}`);
	}

	async importWorkflows(workflows: WorkflowJson[]): Promise<void> {
		const file = path.join(this.userFolder, 'workflows.json');
		writeFileSync(file, JSON.stringify(workflows, null, 2));
		const result = await this.n8n(['import:workflow', `--input=${file}`]);
		if (result.code !== 0) throw new Error(`import:workflow failed: ${tail(result)}`);
	}

	async execute(workflowId: string): Promise<ExecutionResult> {
		const started = Date.now();
		const command = await this.n8n(['execute', `--id=${workflowId}`, '--rawOutput']);
		const data = parseRunOutput(command.stdout);
		const nodes: Record<string, NodeRun> = {};
		const resultData = data?.data?.resultData;
		for (const [name, runs] of Object.entries(resultData?.runData ?? {})) {
			const first = runs[0];
			nodes[name] = {
				outputs: (first?.data?.main ?? []).map((items) => items ?? []),
				error: first?.error as NodeRun['error'],
			};
		}
		let error: string | undefined;
		if (!data) error = `no run JSON in the output (exit ${command.code}): ${tail(command)}`;
		else if (resultData?.error) {
			error = [resultData.error.message, resultData.error.description].filter(Boolean).join(' - ');
		}
		return { data, command, nodes, error, ms: Date.now() - started };
	}
}

/** An `n8n start` running in the background on 127.0.0.1. */
export interface RunningN8n {
	url: string;
	/** The process id of `n8n start` (for its figures in /proc). */
	pid: number | undefined;
	/** Everything it printed so far. */
	output(): string;
	stop(): Promise<void>;
}

/** `n8n start` on a free port (WEBHOOK_URL pointing at it), resolved once it says it is ready and its REST API answers. */
export async function startN8n(instance: N8nInstance, readyWithinMs = 120_000): Promise<RunningN8n> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(instance.install.node, [instance.install.n8nBin, 'start'], {
		cwd: instance.userFolder,
		env: { ...instance.environment(), N8N_PORT: String(port), WEBHOOK_URL: `${url}/`, N8N_SECURE_COOKIE: 'false' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let printed = '';
	let exited = false;
	const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	void exit.then(() => {
		exited = true;
	});
	for (const stream of [child.stdout, child.stderr]) {
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => {
			printed += chunk;
			appendFileSync(instance.logFilePath, chunk);
		});
	}
	const stop = async () => {
		if (exited) return;
		child.kill('SIGTERM');
		const killed = setTimeout(() => child.kill('SIGKILL'), 30_000);
		await exit;
		clearTimeout(killed);
	};
	const deadline = Date.now() + readyWithinMs;
	for (;;) {
		if (exited) throw new Error(`n8n start exited before it was ready:\n${printed.split('\n').slice(-20).join('\n')}`);
		try {
			// n8n answers some routes before it has mounted them all; it says so when it has.
			if (printed.includes('Editor is now accessible via')) {
				const response = await fetch(`${url}/rest/settings`, { signal: AbortSignal.timeout(2000) });
				if (response.ok) break;
			}
		} catch {
			// Not listening yet.
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n start was not ready within ${readyWithinMs / 1000} s`);
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return { url, pid: child.pid, output: () => printed, stop };
}

/** A process of `n8n` started by `N8nInstance.start` (queue-mode main and workers). */
export interface N8nProcess {
	/** Everything it printed so far. */
	output: string;
	exited: Promise<number | null>;
	/** SIGTERM, then SIGKILL after 20 s; resolves once it has exited. */
	stop(): Promise<void>;
}

export function tail(result: CommandResult, lines = 20): string {
	return (result.stdout + '\n' + result.stderr).trim().split('\n').slice(-lines).join('\n');
}
