import type { IncomingMessage, ServerResponse } from 'http';
import { createServer } from 'http';
import type { AddressInfo, Socket } from 'net';

import type { RecordedRequest } from './recordingServer';
import { recordRequest } from './recordingServer';

/** What a hostile server does with a request: anything a raw HTTP response allows. */
export type RawHandler = (request: RecordedRequest, response: ServerResponse, socket: Socket) => unknown;

/**
 * An HTTP server on 127.0.0.1 that records every request and answers through a raw handler, so a
 * test can misbehave as a proxy or a man in the middle would: redirect, stall, trickle, never end,
 * reset the connection. Its timers end when it closes.
 */
export class HostileServer {
	readonly requests: RecordedRequest[] = [];
	private handler: RawHandler = (_, response) => response.end();
	private readonly timers = new Set<NodeJS.Timeout>();

	private constructor(private readonly server: ReturnType<typeof createServer>) {}

	static async start(): Promise<HostileServer> {
		let instance: HostileServer | undefined;
		const server = createServer((request, response) => void instance!.handle(request, response));
		instance = new HostileServer(server);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return instance;
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	respondWith(handler: RawHandler): void {
		this.handler = handler;
	}

	reset(): void {
		this.requests.length = 0;
		this.stopTimers();
		this.handler = (_, response) => response.end();
	}

	/** Runs `tick` every `ms` until it returns false or the server closes or resets. */
	every(ms: number, tick: () => boolean): void {
		const timer = setInterval(() => {
			if (!tick()) {
				clearInterval(timer);
				this.timers.delete(timer);
			}
		}, ms);
		this.timers.add(timer);
	}

	private stopTimers(): void {
		for (const timer of this.timers) clearInterval(timer);
		this.timers.clear();
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const recorded = await recordRequest(request);
		this.requests.push(recorded);
		response.on('error', () => undefined);
		await this.handler(recorded, response, request.socket);
	}

	async close(): Promise<void> {
		this.stopTimers();
		this.server.closeAllConnections?.();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
