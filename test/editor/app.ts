/**
 * A real n8n application for the editor suite: `n8n start` on 127.0.0.1 on free ports, in the
 * user folder of an e2e N8nInstance (the packed package installed as the community installer does),
 * with an owner account and a logged-in session for REST calls.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

import { freePort, N8nInstance } from '../e2e/n8n';

export const OWNER = { email: 'owner@example.com', firstName: 'Editor', lastName: 'Check', password: 'Editor-check-1234' };

export class N8nApp {
	private child?: ChildProcess;
	port = 0;
	cookie = '';

	constructor(
		readonly instance: N8nInstance,
		private readonly logFile: string,
	) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get version(): string {
		return this.instance.install.version;
	}

	/** Starts n8n and resolves once its log says the editor is accessible. */
	async start(timeoutMs: number): Promise<void> {
		this.port = await freePort();
		const env = {
			...this.instance.env(),
			N8N_PORT: String(this.port),
			N8N_PROTOCOL: 'http',
			N8N_SECURE_COOKIE: 'false',
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${this.port}`,
			// Keep the editor free of prompts and calls out.
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_AI_ENABLED: 'false',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		};
		const log = createWriteStream(this.logFile, { flags: 'a' });
		const child = spawn(this.instance.install.node, [this.instance.install.n8nBin, 'start'], {
			cwd: this.instance.userFolder,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child = child;
		await new Promise<void>((resolve, reject) => {
			let output = '';
			const timer = setTimeout(() => reject(new Error(`n8n ${this.version} was not ready after ${timeoutMs / 1000} s; log: ${this.logFile}`)), timeoutMs);
			const onData = (chunk: Buffer) => {
				log.write(chunk);
				output += chunk.toString('utf8');
				if (output.includes('Editor is now accessible via')) {
					clearTimeout(timer);
					resolve();
				}
				if (output.length > 100_000) output = output.slice(-10_000);
			};
			child.stdout!.on('data', onData);
			child.stderr!.on('data', onData);
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`n8n ${this.version} exited with ${code} before it was ready; log: ${this.logFile}`));
			});
		});
	}

	async stop(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
		await exited;
		clearTimeout(timer);
	}

	/** A REST call with the session cookie; returns the parsed `data` of n8n's answer. */
	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T; raw: string }> {
		const response = await fetch(`${this.url}/rest${path}`, {
			method,
			headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const raw = await response.text();
		let data: unknown;
		try {
			data = (JSON.parse(raw) as { data?: unknown }).data;
		} catch {
			data = undefined;
		}
		const setCookie = response.headers.get('set-cookie');
		if (setCookie && /n8n-auth=/.test(setCookie)) this.cookie = setCookie.split(';')[0];
		return { status: response.status, data: data as T, raw };
	}

	/** Creates the owner (n8n answers 404 until it is ready for that) and logs in. */
	async setUpOwner(timeoutMs = 60_000): Promise<void> {
		const until = Date.now() + timeoutMs;
		for (;;) {
			const setup = await this.rest('POST', '/owner/setup', OWNER);
			if (setup.status === 200) break;
			if (Date.now() > until) throw new Error(`owner setup answered ${setup.status}: ${setup.raw.slice(0, 300)}`);
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		const login = await this.rest('POST', '/login', { emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password });
		if (login.status !== 200 || !this.cookie) throw new Error(`login answered ${login.status}: ${login.raw.slice(0, 300)}`);
	}
}
