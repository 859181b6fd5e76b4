/**
 * The benchmark's FusionAuth, in a process of its own so that it does not share a CPU core's
 * event loop with the client being measured. Forked by run.ts and driven over IPC:
 * `{ type: 'reset', latencyMs }` and `{ type: 'stats' }`. It answers GET /api/two-factor/secret
 * and POST /api/two-factor/send after `latencyMs`, and counts requests and the most in flight;
 * started as `directory <users>` it also answers POST /api/user/search over that many users.
 */
import { randomBytes } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import { createServer } from 'http';
import type { AddressInfo } from 'net';

import { startSimulator } from '../test/simulator/server';

export interface ServerStats {
	requests: number;
	maxInFlight: number;
	/** Requests per path, to check that nothing was sent twice. */
	byPath: Record<string, number>;
	/** Time from each request's arrival to its answer's end, summed: what the server itself took. */
	heldMs: number;
	/** From the first request's arrival to the arrival of request number FIRST_WAVE (or of the last). */
	firstWaveMs?: number;
	/** From the first request's arrival to the end of the first answer. */
	firstAnswerMs?: number;
	/** The arrivals of the first FIRST_WAVE requests, in ms after the first one. */
	arrivals?: number[];
}

/** The most requests the benchmark lets a node have in flight: how long they take to arrive. */
export const FIRST_WAVE = 500;

export type ServerMessage =
	| { type: 'ready'; url: string; apiKey: string }
	| { type: 'resetDone' }
	| { type: 'stats'; stats: ServerStats };

export type ControlMessage = { type: 'reset'; latencyMs?: number } | { type: 'stats' };

export const BENCH_API_KEY = 'bench-api-key-not-a-secret';

const send = (message: ServerMessage) => process.send!(message);

async function startApi(directory?: Awaited<ReturnType<typeof userDirectory>>): Promise<void> {
	let latencyMs = 0;
	let inFlight = 0;
	let stats: ServerStats = { requests: 0, maxInFlight: 0, byPath: {}, heldMs: 0 };
	let firstArrival = 0;
	const secret = randomBytes(20);
	const secretBody = JSON.stringify({
		secret: secret.toString('base64'),
		secretBase32Encoded: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
	});

	const answer = (request: IncomingMessage, response: ServerResponse, body: string) => {
		const path = (request.url ?? '/').split('?')[0];
		if (request.headers.authorization !== BENCH_API_KEY) {
			response.writeHead(401).end();
		} else if (request.method === 'GET' && path === '/api/two-factor/secret') {
			response.writeHead(200, { 'Content-Type': 'application/json' }).end(secretBody);
		} else if (request.method === 'POST' && path === '/api/two-factor/send' && body.includes('"userId"')) {
			response.writeHead(200).end();
		} else if (request.method === 'POST' && path === '/api/user/search' && directory) {
			const search = (JSON.parse(body) as { search?: { startRow?: number; numberOfResults?: number; queryString?: string } })
				.search;
			if (search?.queryString !== '*' || typeof search.numberOfResults !== 'number') {
				response.writeHead(400).end();
			} else {
				response
					.writeHead(200, { 'Content-Type': 'application/json' })
					.end(directory.page(search.startRow ?? 0, search.numberOfResults));
			}
		} else {
			response.writeHead(404).end();
		}
	};

	const server = createServer((request, response) => {
		inFlight++;
		stats.requests++;
		stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
		const path = (request.url ?? '/').split('?')[0];
		stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
		let done = false;
		const arrived = performance.now();
		if (stats.requests === 1) firstArrival = arrived;
		if (stats.requests <= FIRST_WAVE) {
			stats.firstWaveMs = arrived - firstArrival;
			(stats.arrivals ??= []).push(Math.round(arrived - firstArrival));
		}
		const finish = () => {
			if (!done) {
				done = true;
				inFlight--;
				const ended = performance.now();
				stats.heldMs += ended - arrived;
				stats.firstAnswerMs ??= ended - firstArrival;
			}
		};
		response.on('finish', finish);
		response.on('close', finish);
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			if (latencyMs > 0) setTimeout(() => answer(request, response, body), latencyMs);
			else answer(request, response, body);
		});
	});
	// n8n's HTTP Request node opens every item's connection at once: a deep accept queue keeps
	// the kernel from dropping connection attempts (and the client from waiting a second to retry).
	await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));

	process.on('message', (message: ControlMessage) => {
		if (message.type === 'reset') {
			latencyMs = message.latencyMs ?? 0;
			stats = { requests: 0, maxInFlight: inFlight, byPath: {}, heldMs: 0 };
			send({ type: 'resetDone' });
		} else if (message.type === 'stats') {
			send({ type: 'stats', stats });
		}
	});
	send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: BENCH_API_KEY });
}

/**
 * FusionAuth's user search over `count` users, each shaped as the FusionAuth simulator renders
 * a user (its demo users are the templates). The simulator itself renders and sorts every user
 * for each page, about 250 ms a page at 50,000 users, which would measure the simulator instead
 * of the node; these pages are prepared once and served by slicing.
 */
async function userDirectory(count: number): Promise<{ total: number; page(startRow: number, size: number): string }> {
	const simulator = await startSimulator();
	const templates = simulator.users.list().map((user) => JSON.stringify(user.json));
	await simulator.close();
	const users = Array.from({ length: count }, (_, index) => {
		const id = `c0000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
		const template = JSON.parse(templates[index % templates.length]) as Record<string, unknown>;
		return JSON.stringify({ ...template, id, email: `bench-user-${index}@example.com`, username: `bench-user-${index}` });
	});
	return {
		total: count,
		page: (startRow, size) => `{"total":${count},"users":[${users.slice(startRow, startRow + size).join(',')}]}`,
	};
}

/**
 * `population <users> <engine>`: the FusionAuth simulator with that many users derived from their
 * index (test/simulator/population.ts), with the database or the Elasticsearch search engine,
 * three tenants and four applications; its request count is the stats.
 */
async function startPopulation(count: number, searchEngine: 'database' | 'elasticsearch'): Promise<void> {
	const simulator = await startSimulator({
		searchEngine,
		population: { count },
		users: [],
		apiKeys: [BENCH_API_KEY],
		tenants: ['7a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-000000000002', '7a000000-0000-4000-8000-000000000003'],
		applications: [1, 2, 3, 4].map((n) => ({ id: `8b000000-0000-4000-8000-00000000000${n}`, tenantId: `7a000000-0000-4000-8000-00000000000${((n - 1) % 3) + 1}` })),
	});
	process.on('message', (message: ControlMessage) => {
		if (message.type === 'reset') {
			simulator.resetStats();
			simulator.requests.length = 0;
			send({ type: 'resetDone' });
		} else if (message.type === 'stats') {
			const requests = simulator.stats.requestsTotal;
			send({ type: 'stats', stats: { requests, maxInFlight: simulator.stats.maxInFlight, byPath: { '/api/user/search': requests }, heldMs: 0 } });
		}
	});
	send({ type: 'ready', url: simulator.url, apiKey: BENCH_API_KEY });
}

if (require.main === module) {
	const [mode, users, engine] = process.argv.slice(2);
	const started =
		mode === 'directory'
			? userDirectory(Number(users)).then(startApi)
			: mode === 'population'
				? startPopulation(Number(users), engine === 'elasticsearch' ? 'elasticsearch' : 'database')
				: startApi();
	started.catch((error: unknown) => {
		process.stderr.write(`bench server failed: ${String(error)}\n`);
		process.exit(1);
	});
	process.on('disconnect', () => process.exit(0));
}
