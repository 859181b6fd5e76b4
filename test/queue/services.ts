/**
 * Redis and PostgreSQL for the queue-mode suite, from Debian's packages (scripts/ensure-queue-services.sh
 * installs them when missing), each started in a temporary folder on a free 127.0.0.1 port and
 * stopped afterwards. The machine's own services, if any, are not touched.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { cleanEnv, run } from '../e2e/install';
import { freePort } from '../e2e/n8n';

export interface Service {
	port: number;
	stop(): Promise<void>;
}

function postgresBin(): string {
	const root = '/usr/lib/postgresql';
	const versions = readdirSync(root)
		.filter((entry) => /^\d+$/.test(entry))
		.sort((a, b) => Number(b) - Number(a));
	if (versions.length === 0) throw new Error(`no PostgreSQL under ${root}`);
	return path.join(root, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root: there it runs as the `postgres` user the package creates. */
const asRoot = process.getuid?.() === 0;

function command(bin: string, args: string[]): [string, string[]] {
	return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function waitFor(what: string, ready: () => Promise<boolean>, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${output().slice(-1500)}`);
		if (await ready()) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${what} not ready after ${timeoutMs / 1000} s: ${output().slice(-1500)}`);
}

function started(file: string, argv: string[]): { child: ChildProcess; output: () => string } {
	const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv() });
	let text = '';
	child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
	return { child, output: () => text };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('close', resolve));
	child.kill(signal);
	const late = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(late);
}

export async function startRedis(): Promise<Service> {
	const dir = mkdtempSync(path.join(tmpdir(), 'n8n-queue-redis-'));
	const port = await freePort();
	const { child, output } = started('redis-server', [
		'--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no',
	]);
	await waitFor('redis-server', async () => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { cwd: dir, env: cleanEnv() })).stdout.includes('PONG'), child, output);
	return {
		port,
		async stop() {
			await stopChild(child, 'SIGTERM');
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

export async function startPostgres(): Promise<Service & { createDatabase(name: string): Promise<void> }> {
	const bin = postgresBin();
	const dir = mkdtempSync(path.join(tmpdir(), 'n8n-queue-postgres-'));
	if (asRoot) {
		const id = await run('id', ['-u', 'postgres'], { cwd: dir, env: cleanEnv() });
		const gid = await run('id', ['-g', 'postgres'], { cwd: dir, env: cleanEnv() });
		chownSync(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()));
	}
	const data = path.join(dir, 'data');
	const [initFile, initArgs] = command(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
	const init = await run(initFile, initArgs, { cwd: dir, env: cleanEnv() });
	if (init.code !== 0) throw new Error(`initdb failed: ${(init.stdout + init.stderr).slice(-1500)}`);
	const port = await freePort();
	const { child, output } = started(
		...command(path.join(bin, 'postgres'), [
			'-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200',
		]),
	);
	const psql = async (sql: string) =>
		await run(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
			cwd: dir,
			env: cleanEnv(),
		});
	await waitFor('postgres', async () => (await psql('select 1')).code === 0, child, output);
	return {
		port,
		async createDatabase(name: string) {
			const result = await psql(`create database ${name}`);
			if (result.code !== 0) throw new Error(`create database ${name}: ${result.stderr.trim()}`);
		},
		async stop() {
			// pg_ctl reaches the server whichever user runs it (runuser may not pass signals on).
			const [ctlFile, ctlArgs] = command(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w']);
			await run(ctlFile, ctlArgs, { cwd: dir, env: cleanEnv(), timeoutMs: 30_000 });
			await stopChild(child, 'SIGINT');
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
