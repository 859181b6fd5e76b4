import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'http';
import { createServer } from 'http';
import type { AddressInfo } from 'net';

export interface RecordedRequest {
	method: string;
	/** The raw request target: path and query exactly as they arrived. */
	url: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	/** Header names and values as sent, repeats included (Node keeps only the first Authorization in `headers`). */
	rawHeaders: string[];
	/** The raw body text ('' when none). */
	rawBody: string;
	/** The body parsed as JSON, or undefined. */
	body: unknown;
}

export interface Reply {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type Responder = (request: RecordedRequest) => Reply | Promise<Reply>;

/**
 * A successful answer in the smallest shape FusionAuth documents for the endpoint a request
 * calls: the fields the node relies on and nothing else (fusionauth-two-factor-api.md).
 */
export function documentedAnswer(request: RecordedRequest): Reply {
	const path = request.path.replace(/^.*?\/api\//, '/api/');
	if (path === '/api/two-factor/secret') {
		return { status: 200, body: { secret: 'DlOdmbsOiI4Nk7n3oUIhOw==', secretBase32Encoded: 'BZJ53GNMB2EI4DMTXH52CQRBHM' } };
	}
	if (path.startsWith('/api/user/two-factor/recovery-code/')) {
		return { status: 200, body: { recoveryCodes: ['3VKPR-YNTGQ', 'ZLQ45-HK5X4'] } };
	}
	if (path === '/api/two-factor/start') return { status: 200, body: { twoFactorId: 'tfid-1', methods: [] } };
	if (path === '/api/two-factor/login') return { status: 200, body: { user: { id: '00000000-0000-4000-8000-00000000000a' } } };
	if (path === '/api/user/search') return { status: 200, body: { total: 0, users: [] } };
	// Passkeys: a user's list (here none), or one passkey by its id.
	if (path === '/api/webauthn' && request.method === 'GET') return { status: 200, body: { credentials: [] } };
	const passkey = /^\/api\/webauthn\/([^/]+)$/.exec(path);
	if (passkey && request.method === 'GET') return { status: 200, body: { credential: { id: decodeURIComponent(passkey[1]) } } };
	const user = /^\/api\/user\/([^/]+)$/.exec(path);
	if (user && request.method === 'GET') return { status: 200, body: { user: { id: decodeURIComponent(user[1]) } } };
	return { status: 200 };
}

/** A request as it arrived: method, raw target, path, query, headers, and its whole body. */
export async function recordRequest(request: IncomingMessage): Promise<RecordedRequest> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const rawBody = Buffer.concat(chunks).toString('utf8');
	let body: unknown;
	try {
		body = rawBody === '' ? undefined : JSON.parse(rawBody);
	} catch {
		body = undefined;
	}
	const url = request.url ?? '/';
	const parsed = new URL(url, 'http://127.0.0.1');
	return {
		method: request.method ?? 'GET',
		url,
		path: parsed.pathname,
		query: Object.fromEntries(parsed.searchParams.entries()),
		headers: request.headers,
		rawHeaders: request.rawHeaders,
		rawBody,
		body,
	};
}

/** An HTTP server on 127.0.0.1 that records every request and answers as told. */
export class RecordingServer {
	readonly requests: RecordedRequest[] = [];
	private responder: Responder = documentedAnswer;
	private inFlight = 0;
	maxInFlight = 0;

	private constructor(private readonly server: ReturnType<typeof createServer>) {}

	static async start(responder?: Responder): Promise<RecordingServer> {
		let instance: RecordingServer | undefined;
		const server = createServer((request, response) => void instance!.handle(request, response));
		instance = new RecordingServer(server);
		if (responder) instance.responder = responder;
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return instance;
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	respondWith(responder: Responder | Reply): void {
		this.responder = typeof responder === 'function' ? responder : () => responder;
	}

	reset(): void {
		this.requests.length = 0;
		this.maxInFlight = 0;
	}

	private async handle(request: IncomingMessage, response: ServerResponse) {
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			const recorded = await recordRequest(request);
			this.requests.push(recorded);
			const reply = await this.responder(recorded);
			const status = reply.status ?? 200;
			const headers: Record<string, string> = { ...reply.headers };
			let payload = '';
			if (reply.body !== undefined) {
				payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
				headers['Content-Type'] ??= 'application/json';
			}
			response.writeHead(status, headers);
			response.end(payload);
		} finally {
			this.inFlight--;
		}
	}

	async close(): Promise<void> {
		this.server.closeAllConnections?.();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
