/**
 * One benchmark scenario, run in a process of its own (forked by run.ts) so that its peak
 * memory is its own. Protocol over IPC: the child warms up, sends `warmedUp`; the parent resets
 * the server's counters and answers `go`; the child runs the measured pass and sends `measured`;
 * the parent reads the server's counters and answers `go`; the child sends `result`.
 */
import { request as httpRequest } from 'http';
import path from 'path';
import { performance } from 'perf_hooks';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PACKAGE_ROOT } from '../test/harness/package';
import { FUSIONAUTH_NODE, HTTP_REQUEST_NODE, httpRequestNodeType, runWorkflow } from './engine';
import type { ChildMessage, Operation, ParentMessage, ScenarioInput, ScenarioResult } from './shared';
import { PACED_BATCHING } from './shared';

const userId = (index: number) => `d0000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

export function benchItems(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		userId: userId(index),
		email: `bench-${index}@example.com`,
	}));
}

function nodeParameters(operation: Operation, concurrency: number | undefined): INodeParameters {
	const options = concurrency === undefined ? {} : { concurrency };
	if (operation === 'secret.generate') return { resource: 'secret', operation: 'generate', options };
	return {
		resource: 'code',
		operation: 'send',
		userId: '={{ $json.userId }}',
		purpose: 'enable',
		method: 'email',
		email: '={{ $json.email }}',
		options,
	};
}

function httpRequestParameters(input: ScenarioInput, operation: Operation, paced: boolean): INodeParameters {
	const common: INodeParameters = {
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: { parameters: [{ name: 'Authorization', value: input.apiKey }] },
		options: paced ? { batching: { batch: PACED_BATCHING } } : {},
	};
	if (operation === 'secret.generate') {
		return { method: 'GET', url: `${input.url}/api/two-factor/secret`, ...common };
	}
	return {
		method: 'POST',
		url: `${input.url}/api/two-factor/send`,
		...common,
		sendBody: true,
		contentType: 'json',
		specifyBody: 'keypair',
		bodyParameters: {
			parameters: [
				{ name: 'userId', value: '={{ $json.userId }}' },
				{ name: 'method', value: 'email' },
				{ name: 'email', value: '={{ $json.email }}' },
			],
		},
	};
}

/** One plain HTTP call, one connection per request as n8n's request helpers make them. */
function plainCall(input: ScenarioInput, operation: Operation, item: IDataObject): Promise<IDataObject> {
	const url = new URL(input.url);
	const body =
		operation === 'code.send' ? JSON.stringify({ userId: item.userId, method: 'email', email: item.email }) : undefined;
	return new Promise((resolve, reject) => {
		const call = httpRequest(
			{
				host: url.hostname,
				port: url.port,
				method: operation === 'code.send' ? 'POST' : 'GET',
				path: operation === 'code.send' ? '/api/two-factor/send' : '/api/two-factor/secret',
				agent: false,
				headers: {
					Authorization: input.apiKey,
					Accept: 'application/json',
					...(body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}),
				},
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					if ((response.statusCode ?? 0) >= 400) reject(new Error(`HTTP ${response.statusCode}`));
					else resolve(text ? (JSON.parse(text) as IDataObject) : { success: true });
				});
				response.on('error', reject);
			},
		);
		call.on('error', reject);
		call.end(body);
	});
}

/** The floor: the same calls from a plain loop with a pool of `concurrency` workers. */
async function floor(input: ScenarioInput, operation: Operation, concurrency: number, items: IDataObject[]) {
	const results: IDataObject[] = new Array(items.length);
	let errors = 0;
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			try {
				results[index] = await plainCall(input, operation, items[index]);
			} catch (error) {
				errors++;
				results[index] = { error: String(error) };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	return { outputItems: results.length - errors, errorItems: errors };
}

async function runOnce(input: ScenarioInput, items: IDataObject[], getManyLimit?: number) {
	const { scenario } = input;
	if (scenario.kind === 'floor') return await floor(input, scenario.operation, scenario.concurrency, items);
	let result;
	if (scenario.kind === 'httpRequest') {
		result = await runWorkflow({
			type: HTTP_REQUEST_NODE,
			typeVersion: httpRequestNodeType().currentVersion,
			parameters: httpRequestParameters(input, scenario.operation, scenario.paced),
			items,
			onError: 'continueRegularOutput',
		});
	} else {
		const parameters =
			scenario.kind === 'getMany'
				? {
						resource: 'user',
						operation: 'getMany',
						twoFactorStatus: 'any',
						...(getManyLimit === undefined ? { returnAll: true } : { returnAll: false, limit: getManyLimit }),
					}
				: nodeParameters(scenario.operation, scenario.concurrency);
		result = await runWorkflow({
			type: FUSIONAUTH_NODE,
			typeVersion: 1,
			parameters,
			items: scenario.kind === 'getMany' ? [{}] : items,
			credentials: { baseUrl: input.url, apiKey: input.apiKey },
			onError: 'continueRegularOutput',
		});
	}
	if (result.error) throw result.error;
	const errorItems = result.output.filter((item) => 'error' in item.json).length + result.errorOutput.length;
	return { outputItems: result.output.length - errorItems + result.errorOutput.length, errorItems };
}

const gc = (global as { gc?: () => void }).gc;

function liveHeap(): number {
	gc?.();
	return process.memoryUsage().heapUsed;
}

interface TransportModule {
	FusionAuthTransport: { prototype: { send(...args: unknown[]): Promise<{ body?: IDataObject }> } };
}

/**
 * A second getMany pass, instrumented: after every few pages, the live heap (after GC) against
 * the users already turned into output. A straight line fits them: its slope is what each user
 * of the output costs, its height above the heap before the run is what is held besides the
 * output (the page in hand, buffers), and the largest distance from the line shows whether
 * anything piles up page after page.
 */
async function sampleGetManyHeap(input: ScenarioInput): Promise<NonNullable<ScenarioResult['heap']>> {
	// The transport module the node itself loaded from dist (the same module instance).
	const transport = require(path.join(PACKAGE_ROOT, 'dist/nodes/FusionAuthTwoFactor/transport/index.js')) as TransportModule;
	const prototype = transport.FusionAuthTransport.prototype;
	const send = prototype.send;
	const samples: Array<{ users: number; heap: number }> = [];
	let users = 0;
	let pages = 0;
	prototype.send = async function (this: unknown, ...args: unknown[]) {
		const response = await send.apply(this, args);
		// Sampled with this page in hand, before the node turns it into output.
		if (pages++ % 5 === 0) samples.push({ users, heap: liveHeap() });
		users += Array.isArray(response.body?.users) ? response.body.users.length : 0;
		return response;
	};
	const baseline = liveHeap();
	let retained: number;
	try {
		const run = await runWorkflow({
			type: FUSIONAUTH_NODE,
			typeVersion: 1,
			parameters: { resource: 'user', operation: 'getMany', twoFactorStatus: 'any', returnAll: true },
			items: [{}],
			credentials: { baseUrl: input.url, apiKey: input.apiKey },
		});
		retained = liveHeap();
		if (run.output.length !== users) throw new Error(`getMany returned ${run.output.length} of ${users} users`);
	} finally {
		prototype.send = send;
	}
	const n = samples.length;
	const meanX = samples.reduce((sum, sample) => sum + sample.users, 0) / n;
	const meanY = samples.reduce((sum, sample) => sum + sample.heap, 0) / n;
	const slope =
		samples.reduce((sum, sample) => sum + (sample.users - meanX) * (sample.heap - meanY), 0) /
		samples.reduce((sum, sample) => sum + (sample.users - meanX) ** 2, 0);
	const intercept = meanY - slope * meanX;
	const drift = Math.max(...samples.map((sample) => Math.abs(sample.heap - (intercept + slope * sample.users))));
	return {
		baseline,
		retained,
		samples: n,
		bytesPerUser: slope,
		heldBesidesOutput: intercept - baseline,
		largestDeviation: drift,
		peak: Math.max(...samples.map((sample) => sample.heap), retained),
	};
}

function waitForGo(): Promise<void> {
	return new Promise((resolve) => {
		process.once('message', (message: ParentMessage) => {
			if (message.type === 'go') resolve();
		});
	});
}

async function main() {
	const input = JSON.parse(process.argv[2]) as ScenarioInput;
	const { scenario } = input;
	const items = benchItems(scenario.kind === 'getMany' ? 1 : input.items);

	// Warm-up: load every module and let the JIT see the code paths.
	await runOnce(input, items.slice(0, 50), scenario.kind === 'getMany' ? 200 : undefined);
	process.send!({ type: 'warmedUp' } satisfies ChildMessage);
	await waitForGo();

	const baselineRssBytes = process.memoryUsage().rss;
	const started = performance.now();
	const counted = await runOnce(input, items);
	const ms = performance.now() - started;
	process.send!({ type: 'measured' } satisfies ChildMessage);
	await waitForGo();

	const result: ScenarioResult = {
		ms,
		...counted,
		baselineRssBytes,
		peakRssBytes: 0,
		...(scenario.kind === 'httpRequest' ? { typeVersion: httpRequestNodeType().currentVersion } : {}),
	};

	if (scenario.kind === 'getMany') result.heap = await sampleGetManyHeap(input);
	result.peakRssBytes = process.resourceUsage().maxRSS * 1024;
	process.send!({ type: 'result', result } satisfies ChildMessage);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`scenario failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	});
}
