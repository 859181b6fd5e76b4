/**
 * Fault injection, part 3: a server slower than the timeout. FusionAuth has the request and may
 * act on it, so a timeout is never sent again, whatever the method; the error says so.
 */
import { oneItemEach } from '../harness/expectations';
import { useSimulator } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';
import { DEMO_USERS } from '../simulator/server';

const emails = ['slow-0@example.com', 'slow-1@example.com', 'slow-2@example.com'];

const simulator = useSimulator();

beforeEach(() => {
	// FusionAuth handles each request, then holds the answer far past the node's timeout.
	simulator.setFaults({ hangMs: 5_000 });
});

test('POST past the timeout: one error per item, sent once, and the error warns it may have been carried out', async () => {
	const result = await runNode({
		parameters: {
			resource: 'code',
			operation: 'send',
			userId: DEMO_USERS.noMethods.id,
			method: 'email',
			email: '={{ $json.email }}',
			options: { timeout: 1.5, retryDelay: 100 },
		},
		items: emails.map((email) => ({ email })),
		credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
		onError: 'continueRegularOutput',
	});

	for (const item of oneItemEach(result.output, emails.length)) {
		expect(item.json.error).toBe(`FusionAuth at ${simulator.url} did not answer within 1.5 s`);
		expect((item.json.details as { description: string }).description).toBe(
			'POST /api/two-factor/send timed out. The request may still have been carried out by FusionAuth.',
		);
	}
	expect(simulator.requests).toHaveLength(emails.length);
	// FusionAuth did act: each code went out once, and no retry asked for a second.
	expect(simulator.outbox.map((message) => message.to).sort()).toEqual(emails);
});

test('GET past the timeout is not sent again either', async () => {
	const result = await runNode({
		parameters: { resource: 'secret', operation: 'generate', options: { timeout: 1.5, retryDelay: 100 } },
		items: [{}, {}],
		credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
		onError: 'continueErrorOutput',
	});
	expect(result.output).toEqual([]);
	for (const item of oneItemEach(result.errorOutput, 2)) {
		expect(item.json.error).toBe(`FusionAuth at ${simulator.url} did not answer within 1.5 s`);
	}
	expect(simulator.requests).toHaveLength(2);
});
