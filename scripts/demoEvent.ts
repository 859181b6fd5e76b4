/**
 * The demo's event: the FusionAuth Two Factor Trigger (built, from dist) registers its webhook in
 * the simulator as it does on activation, a local HTTP server hands each delivery to it as n8n
 * would, and the items it would start the workflow with are collected.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';

import type { Simulator } from '../test/simulator/server';
import { deliver, hookContext, shared, startedItems, triggerNode } from '../test/trigger/context';

export interface EventWatch {
	/** Waits for the deliveries under way, removes the webhook, and gives the items received. */
	stop(): Promise<IDataObject[]>;
}

export async function watchEvents(simulator: Simulator, events: string[]): Promise<EventWatch> {
	const node = triggerNode();
	const state = shared(
		{ events, registration: 'automatic', verification: 'sharedSecret', enableEventsInTenant: true },
		{ baseUrl: simulator.url, apiKey: simulator.apiKey, tenantId: simulator.tenantId },
	);
	const items: IDataObject[] = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
			deliver(node, state, { headers, raw: Buffer.concat(chunks).toString('utf8') }).then(
				(answer) => {
					items.push(...(startedItems(answer) ?? []));
					response.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body ?? {}));
				},
				() => response.writeHead(500).end(),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const hook = hookContext(state, `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/demo/webhook`);
	const methods = node.webhookMethods!.default!;
	await methods.create.call(hook);
	return {
		async stop() {
			await simulator.webhooks.idle();
			await methods.delete.call(hook);
			await new Promise<void>((resolve) => server.close(() => resolve()));
			return items;
		},
	};
}
