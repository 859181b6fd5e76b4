/** Starts the benchmark's FusionAuth (server.ts) in a process of its own and drives it over IPC. */
import { fork } from 'child_process';
import path from 'path';

import type { ControlMessage, ServerMessage } from './server';

export interface BenchServer {
	url: string;
	apiKey: string;
	control(message: ControlMessage): Promise<ServerMessage>;
	close(): void;
}

export async function startServer(args: string[]): Promise<BenchServer> {
	const child = fork(path.join(__dirname, 'server.js'), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	// The server answers each message in turn: replies go to the waiting callers in order.
	const waiting: Array<{ resolve: (message: ServerMessage) => void; reject: (error: Error) => void }> = [];
	child.on('message', (message: ServerMessage) => waiting.shift()?.resolve(message));
	child.on('exit', (code) => {
		for (const entry of waiting.splice(0)) entry.reject(new Error(`bench server exited (${code})`));
	});
	const next = () => new Promise<ServerMessage>((resolve, reject) => waiting.push({ resolve, reject }));
	const ready = await next();
	if (ready.type !== 'ready') throw new Error('bench server did not start');
	return {
		url: ready.url,
		apiKey: ready.apiKey,
		async control(message) {
			const reply = next();
			child.send(message);
			return await reply;
		},
		close: () => child.kill(),
	};
}
