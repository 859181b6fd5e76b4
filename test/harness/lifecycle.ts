import type { Simulator } from '../simulator/server';
import { HostileServer } from './hostileServer';
import { startSimulator } from '../simulator/server';
import type { Reply, Responder } from './recordingServer';
import { documentedAnswer, RecordingServer } from './recordingServer';

/**
 * A server for the tests of a file, or of the describe block that calls this: started before the
 * first test, closed after the last. What is returned stands for the server started later, so use
 * its members inside tests and hooks only.
 */
export function useServer<T extends { close(): Promise<void> }>(start: () => Promise<T>): T {
	let started: T | undefined;
	beforeAll(async () => {
		started = await start();
	});
	afterAll(async () => {
		await started?.close();
	});
	return new Proxy({} as T, {
		get(_, property) {
			if (started === undefined) throw new Error('The server starts in beforeAll: use it inside tests and hooks');
			const value: unknown = Reflect.get(started, property, started);
			return typeof value === 'function' ? value.bind(started) : value;
		},
	});
}

/**
 * A RecordingServer that, before each test, forgets what it recorded and answers `reply` again
 * (by default, what FusionAuth answers each endpoint when it succeeds).
 */
export function useRecordingServer(reply: Reply | Responder = documentedAnswer): RecordingServer {
	const server = useServer(() => RecordingServer.start());
	beforeEach(() => {
		server.reset();
		server.respondWith(reply);
	});
	return server;
}

/** The FusionAuth simulator with its demo data, reset before each test. */
export function useSimulator(): Simulator {
	const simulator = useServer(() => startSimulator());
	beforeEach(() => simulator.reset());
	return simulator;
}

/** A HostileServer, reset before each test (records nothing, answers 200 with no body). */
export function useHostileServer(): HostileServer {
	const server = useServer(() => HostileServer.start());
	beforeEach(() => server.reset());
	return server;
}
