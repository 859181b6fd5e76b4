/**
 * user.getMany with Return All over thousands of users, against the simulator: exactly
 * ceil(users / page size) search requests per input item, one page at a time per item, and
 * every user exactly once.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../harness/n8n';
import type { SeedUser, Simulator } from '../simulator/server';
import { startSimulator } from '../simulator/server';
import { USER_SEARCH_PAGE_SIZE } from '../../dist/nodes/FusionAuthTwoFactor/actions/user/getMany.operation';

const seeds = (count: number): SeedUser[] =>
	Array.from({ length: count }, (_, index) => ({
		id: `b0000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
		email: `user-${index}@example.com`,
	}));

const getAll = { resource: 'user', operation: 'getMany', twoFactorStatus: 'any', returnAll: true };

const searches = (simulator: Simulator) => simulator.requests.filter((request) => request.path === '/api/user/search');

async function withSimulator(users: number, body: (simulator: Simulator) => Promise<void>) {
	const simulator = await startSimulator({ users: seeds(users) });
	try {
		await body(simulator);
	} finally {
		await simulator.close();
	}
}

const userIds = (items: INodeExecutionData[]) => items.map((item) => item.json.id as string);

test.each([2_050, 2_000, 99, 0])('%s users: ceil(users / page size) search requests, every user once', async (users) => {
	await withSimulator(users, async (simulator) => {
		const result = await runNode({
			parameters: getAll,
			credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
		});
		expect(result.error).toBeUndefined();
		// An empty directory still takes one request to find out.
		expect(searches(simulator)).toHaveLength(Math.max(1, Math.ceil(users / USER_SEARCH_PAGE_SIZE)));
		expect(new Set(userIds(result.output)).size).toBe(users);
		expect(result.output).toHaveLength(users);
		expect(simulator.stats.maxInFlight).toBe(1);
	});
});

test('several input items at concurrency 3: each item pages on its own, never more than 3 requests in flight', async () => {
	await withSimulator(1_234, async (simulator) => {
		const result = await runNode({
			parameters: { ...getAll, options: { concurrency: 3 } },
			items: [{}, {}, {}, {}],
			credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
		});
		expect(searches(simulator)).toHaveLength(4 * 13);
		expect(simulator.stats.maxInFlight).toBeLessThanOrEqual(3);
		// Item by item, in input order, each user once per item, each paired with its item.
		expect(result.output).toHaveLength(4 * 1_234);
		for (let item = 0; item < 4; item++) {
			const slice = result.output.slice(item * 1_234, (item + 1) * 1_234);
			expect(slice.every((entry) => (entry.pairedItem as { item: number }).item === item)).toBe(true);
			expect(new Set(userIds(slice)).size).toBe(1_234);
		}
	});
});
