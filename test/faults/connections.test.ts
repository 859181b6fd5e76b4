/**
 * Fault injection, part 1: connections that break. A request is sent again only where
 * FusionAuth cannot have acted on it (refused) or where acting twice is harmless (a GET); a POST
 * or DELETE whose connection broke is never sent twice, and its error says so.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { oneItemEach } from '../harness/expectations';
import { useSimulator } from '../harness/lifecycle';
import type { RunResult } from '../harness/n8n';
import { runNode } from '../harness/n8n';
import { unusedPort } from '../harness/ports';
import type { Simulator } from '../simulator/server';
import { DEMO_USERS, startSimulator } from '../simulator/server';

const ITEMS = 50;
const SEND_PATH = '/api/two-factor/send';
const user = DEMO_USERS.noMethods.id;
const emails = Array.from({ length: ITEMS }, (_, index) => `item-${index}@example.com`);

/** code.send to a different address per item, so the outbox tells which items FusionAuth acted on. */
const sendCode: INodeParameters = {
	resource: 'code',
	operation: 'send',
	userId: user,
	method: 'email',
	email: '={{ $json.email }}',
	options: { retryDelay: 100 },
};
const generateSecret: INodeParameters = {
	resource: 'secret',
	operation: 'generate',
	options: { retryDelay: 100 },
};

const simulator = useSimulator();

function run(
	parameters: INodeParameters,
	onError: 'continueRegularOutput' | 'continueErrorOutput' = 'continueRegularOutput',
	baseUrl = simulator.url,
	items: IDataObject[] = emails.map((email) => ({ email })),
): Promise<RunResult> {
	return runNode({ parameters, items, credentials: { baseUrl, apiKey: simulator.apiKey }, onError });
}

const isError = (item: INodeExecutionData) => 'error' in item.json;
const indexOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
const dropped = () => simulator.requests.filter((request) => request.status === undefined);

describe('a server that drops 10% of connections before answering', () => {
	test('GET (Generate Secret): the dropped requests are sent again and every item succeeds', async () => {
		simulator.setFaults({ dropRate: 0.1 });
		const result = await run(generateSecret);

		const items = oneItemEach(result.output, ITEMS);
		expect(items.filter(isError)).toEqual([]);
		for (const item of items) expect(item.json.secret).toEqual(expect.any(String));
		// One answered request per item; the rest were dropped and repeated.
		expect(dropped().length).toBeGreaterThanOrEqual(ITEMS / 10);
		expect(simulator.requests.length - dropped().length).toBe(ITEMS);
	});

	test('POST (Send Code) dropped unhandled: not sent again, one error per dropped item saying so, no code twice', async () => {
		simulator.setFaults({ dropRate: 0.1 });
		const result = await run(sendCode);

		const items = oneItemEach(result.output, ITEMS);
		const failed = items.filter(isError);
		expect(failed).toHaveLength(ITEMS / 10);
		for (const item of failed) {
			expect(item.json.error).toBe(`The connection to FusionAuth at ${simulator.url} broke before it answered`);
			const { description } = item.json.details as { description: string };
			expect(description).toContain('POST /api/two-factor/send: the connection was closed before FusionAuth answered (ECONNRESET)');
			expect(description).toContain('Not sent again: FusionAuth may already have acted on this POST');
		}
		// Each item's request reached the server exactly once.
		const sent = simulator.requests.filter((request) => request.path === SEND_PATH).map((request) => JSON.parse(request.body).email);
		expect([...sent].sort()).toEqual([...emails].sort());
		// A code went out for exactly the items that succeeded, once each.
		const succeeded = items.filter((item) => !isError(item)).map((item) => emails[indexOf(item)]);
		expect(simulator.outbox.map((message) => message.to).sort()).toEqual([...succeeded].sort());
	});

	test('POST dropped after FusionAuth acted: still sent once, so no user gets a second code', async () => {
		simulator.setFaults({ dropRate: 0.1, dropAfterHandling: true });
		const result = await run(sendCode, 'continueErrorOutput');

		// Error output: successes on the main output, failures on the error output, one per item.
		expect(result.output).toHaveLength(ITEMS - ITEMS / 10);
		expect(result.errorOutput).toHaveLength(ITEMS / 10);
		oneItemEach([...result.output, ...result.errorOutput].sort((a, b) => indexOf(a) - indexOf(b)), ITEMS);
		for (const item of result.errorOutput) {
			expect((item.json.details as { description: string }).description).toContain('Not sent again');
		}
		expect(simulator.requests.filter((request) => request.path === SEND_PATH)).toHaveLength(ITEMS);
		// FusionAuth sent every code (the dropped ones too): a retry would have sent a second.
		expect(simulator.outbox.map((message) => message.to).sort()).toEqual([...emails].sort());
	});

	test('a user search is a read: a search page whose connection broke is asked for again, every user once', async () => {
		simulator.setFaults({ dropFirst: 1, dropAfterHandling: true, paths: ['/api/user/search'] });
		const result = await run(
			{ resource: 'user', operation: 'getMany', twoFactorStatus: 'any', returnAll: true, options: { retryDelay: 100 } },
			'continueRegularOutput',
			simulator.url,
			[{}],
		);
		const ids = result.output.map((item) => item.json.id);
		expect(ids.filter((id) => id === undefined)).toEqual([]);
		expect([...ids].sort()).toEqual(simulator.users.list().map((entry) => entry.id).sort());
		const searches = simulator.requests.filter((request) => request.path === '/api/user/search');
		expect(searches).toHaveLength(2);
		expect(searches[0].status).toBeUndefined();
		expect(searches[1].body).toBe(searches[0].body);
	});

	test('DELETE (Disable) whose connection broke is not sent again', async () => {
		simulator.setFaults({ dropFirst: 1 });
		const result = await run(
			{
				resource: 'twoFactor',
				operation: 'disable',
				userId: DEMO_USERS.noMethods.id,
				methodId: 'ABCD',
				code: '123456',
				options: { retryDelay: 100 },
			},
			'continueRegularOutput',
			simulator.url,
			[{}],
		);
		expect(result.output).toHaveLength(1);
		expect((result.output[0].json.details as { description: string }).description).toContain(
			'Not sent again: FusionAuth may already have acted on this DELETE',
		);
		expect(simulator.requests).toHaveLength(1);
	});

	test('without Continue On Fail a dropped POST stops the workflow with the same explanation', async () => {
		simulator.setFaults({ dropFirst: 1 });
		const result = await runNode({
			parameters: { ...sendCode, options: { concurrency: 1, retryDelay: 100 } },
			items: emails.slice(0, 3).map((email) => ({ email })),
			credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
		});
		expect(result.error?.message).toBe(`The connection to FusionAuth at ${simulator.url} broke before it answered`);
		expect(result.error?.description).toContain('Not sent again');
		expect(simulator.requests).toHaveLength(1);
		expect(simulator.outbox).toHaveLength(0);
	});
});

describe('connection refused', () => {
	test('a POST is sent again when the server was not listening yet, and the code goes out once', async () => {
		const port = await unusedPort();
		let late: Simulator | undefined;
		// FusionAuth comes up while the node waits for its first retry.
		const starting = new Promise<void>((resolve) => {
			setTimeout(() => {
				void startSimulator({ port }).then((started) => {
					late = started;
					resolve();
				});
			}, 100);
		});
		try {
			const result = await run(
				{ ...sendCode, options: { retries: 3, retryDelay: 400 } },
				'continueRegularOutput',
				`http://127.0.0.1:${port}`,
				[{ email: emails[0] }],
			);
			await starting;
			expect(result.output).toHaveLength(1);
			expect(result.output[0].json).toEqual({ success: true });
			expect(late!.requests).toHaveLength(1);
			expect(late!.outbox.map((message) => message.to)).toEqual([emails[0]]);
		} finally {
			await starting;
			await late?.close();
		}
	});

	test('when nothing ever listens, each item fails after its retries, naming the cause', async () => {
		const port = await unusedPort();
		const result = await run(
			{ ...generateSecret, options: { retries: 2, retryDelay: 100 } },
			'continueRegularOutput',
			`http://127.0.0.1:${port}`,
			[{}, {}, {}],
		);
		const items = oneItemEach(result.output, 3);
		for (const item of items) {
			expect(item.json.error).toBe(`Could not connect to FusionAuth at http://127.0.0.1:${port}`);
			const { description } = item.json.details as { description: string };
			expect(description).toContain('GET /api/two-factor/secret: the connection was refused');
			expect(description).toContain('(ECONNREFUSED)');
			expect(description).toContain('Gave up after 2 retries.');
		}
	});

	test('Retries 0 fails at once, without a retry note', async () => {
		const port = await unusedPort();
		const result = await run(
			{ ...generateSecret, options: { retries: 0 } },
			'continueRegularOutput',
			`http://127.0.0.1:${port}`,
			[{}],
		);
		const { description } = result.output[0].json.details as { description: string };
		expect(description).toContain('(ECONNREFUSED)');
		expect(description).not.toContain('Gave up');
	});
});
