import { randomUUID } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';
import { header } from '../harness/wire';

/*
 * In the n8n app every credential lookup is a database read and a decryption, and concurrent
 * lookups queue; the node looks its credential up once per execution, not once per request. A
 * field that is an expression reading the item is the exception: then each item reads its own.
 */

const API_KEY = 'lookup-test-api-key-7d21';
const TENANT_ID = '0f4c2a9e-5b1d-4e3a-8c7f-2d6b9a1e4c53';

// Echoes the user asked for, so every answer names the request's item.
const server = useRecordingServer((request) => ({ status: 200, body: { user: { id: request.path.split('/').pop() } } }));

const userIds = (count: number) => Array.from({ length: count }, () => randomUUID());

const getUser = { resource: 'user', operation: 'get', userId: '={{ $json.userId }}', options: { concurrency: 10 } };

describe('credential lookups per execution', () => {
	test('40 items, 40 requests: the credential is looked up twice (for the first item, and one probe), each request still carries key and tenant', async () => {
		const ids = userIds(40);
		const result = await runNode({
			parameters: getUser,
			items: ids.map((userId) => ({ userId })),
			credentials: { baseUrl: server.url, apiKey: API_KEY, tenantId: TENANT_ID },
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => (item.json.id as string))).toEqual(ids);
		expect(server.requests).toHaveLength(40);
		for (const request of server.requests) {
			expect(header(request, 'authorization')).toBe(API_KEY);
			expect(header(request, 'x-fusionauth-tenantid')).toBe(TENANT_ID);
		}
		expect(result.credentialLookups).toBe(2);
	});

	test('one item: one lookup, no probe', async () => {
		const result = await runNode({
			parameters: getUser,
			items: [{ userId: randomUUID() }],
			credentials: { baseUrl: server.url, apiKey: API_KEY },
		});
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		expect(result.credentialLookups).toBe(1);
	});

	test('an expression that does not read the item is still read once', async () => {
		const result = await runNode({
			parameters: getUser,
			items: userIds(20).map((userId) => ({ userId })),
			credentials: { baseUrl: server.url, apiKey: "={{ 'lookup-test-' + 'api-key-7d21' }}" },
		});
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => header(request, 'authorization'))).toEqual(Array(20).fill(API_KEY));
		expect(result.credentialLookups).toBe(2);
	});

	test('an API Key expression reading the item: every request carries its own item\'s key', async () => {
		const items: IDataObject[] = userIds(12).map((userId, index) => ({ userId, key: `key-of-item-${index}` }));
		const result = await runNode({
			parameters: getUser,
			items,
			credentials: { baseUrl: server.url, apiKey: '={{ $json.key }}', tenantId: TENANT_ID },
		});
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(12);
		const keyByUser = new Map(items.map((item) => [item.userId, item.key]));
		for (const request of server.requests) {
			expect(header(request, 'authorization')).toBe(keyByUser.get(request.path.split('/').pop()));
			expect(header(request, 'x-fusionauth-tenantid')).toBe(TENANT_ID);
		}
		// The first item, the probe, then one per request.
		expect(result.credentialLookups).toBe(2 + 12);
	});

	test('a Base URL expression that sends an item elsewhere fails that item, naming the field, and its key goes nowhere', async () => {
		const items: IDataObject[] = [
			{ userId: randomUUID(), key: 'key-of-item-0', base: server.url },
			{ userId: randomUUID(), key: 'key-of-item-1', base: 'http://127.0.0.1:9' },
		];
		const result = await runNode({
			parameters: { ...getUser, options: { concurrency: 1 } },
			items,
			credentials: { baseUrl: '={{ $json.base }}', apiKey: '={{ $json.key }}' },
		});
		expect(result.error?.message).toBe(
			'The Base URL in the FusionAuth credential is an expression that gives item 1 another value than the first item',
		);
		expect(server.requests.map((request) => header(request, 'authorization'))).toEqual(['key-of-item-0']);
	});
});
