import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';
import type { Reply } from '../harness/recordingServer';

const API_KEY = 'continue-on-fail-api-key';
const UNKNOWN_USER = 'f0000000-0000-4000-8000-000000000404';
const user = (n: number) => `a0000000-0000-4000-8000-00000000000${n}`;

/** Enable with userId and code from each item; FusionAuth answers by the user and code it gets. */
const parameters = {
	resource: 'twoFactor',
	operation: 'enable',
	userId: '={{ $json.userId }}',
	code: '={{ $json.code }}',
	secret: 'c2VjcmV0c2VjcmV0',
};

/** Eight items: good ones, ones the node refuses, ones FusionAuth refuses. */
const mixed: Array<{ json: IDataObject; outcome: 'ok' | RegExp }> = [
	{ json: { userId: user(0), code: '111111' }, outcome: 'ok' },
	{ json: { userId: 'not-a-uuid', code: '111111' }, outcome: /^User ID must be a UUID/ },
	{ json: { userId: user(2), code: '000000' }, outcome: /^The two factor code is invalid or expired$/ },
	{ json: { userId: user(3), code: '111111' }, outcome: 'ok' },
	{ json: { userId: UNKNOWN_USER, code: '111111' }, outcome: new RegExp(`^User ${UNKNOWN_USER} not found$`) },
	{ json: { userId: user(5), code: '   ' }, outcome: /^Code is required \[item 5\]$/ },
	{ json: { userId: user(6), code: '111111' }, outcome: 'ok' },
	{ json: { userId: user(7), code: '500500' }, outcome: /^FusionAuth had an internal error \(500\)$/ },
];
const sentItems = mixed.map((_, index) => index).filter((index) => ![1, 5].includes(index));

/** Answers by the user in the path; earlier items answer later, so completion order is not input order. */
async function answer(path: string, code: string | undefined): Promise<Reply> {
	const userId = path.split('/').pop()!;
	const index = Number(userId.slice(-1));
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, 40 - index * 5)));
	if (userId === UNKNOWN_USER) return { status: 404 };
	if (code === '000000') return { status: 421 };
	if (code === '500500') return { status: 500, body: { generalErrors: [{ code: '[Internal]', message: 'Boom' }] } };
	return { status: 200, body: { recoveryCodes: [`codes-for-${userId}`] } };
}

const server = useRecordingServer(
	async (request) => await answer(request.path, (request.body as IDataObject)?.code as string),
);

function run(onError?: 'continueRegularOutput' | 'continueErrorOutput', items = mixed.map((entry) => entry.json)) {
	return runNode({ parameters, items, credentials: { baseUrl: server.url, apiKey: API_KEY }, onError });
}

function expectSuccess(item: INodeExecutionData, index: number) {
	expect(item.pairedItem).toEqual({ item: index });
	expect(item.json).toEqual({ recoveryCodes: [`codes-for-${mixed[index].json.userId}`] });
}

describe('Continue On Fail (continueRegularOutput)', () => {
	test('every input item yields exactly one output item, in input order, paired with it', async () => {
		const result = await run('continueRegularOutput');
		expect(result.error).toBeUndefined();
		expect(result.errorOutput).toEqual([]);
		expect(result.output).toHaveLength(mixed.length);
		mixed.forEach((entry, index) => {
			const item = result.output[index];
			if (entry.outcome === 'ok') {
				expectSuccess(item, index);
			} else {
				expect(item.pairedItem).toEqual({ item: index });
				expect(String(item.json.error)).toMatch(entry.outcome);
			}
		});
		// Only items that passed validation reached FusionAuth, each once.
		expect(server.requests.map((request) => request.path).sort()).toEqual(
			sentItems.map((index) => `/api/user/two-factor/${mixed[index].json.userId}`).sort(),
		);
	});

	test('error items carry FusionAuth\'s details and only keys n8n treats as an error (error, message, details)', async () => {
		const result = await run('continueRegularOutput');
		const errorItems = result.output.filter((item) => 'error' in item.json);
		expect(errorItems).toHaveLength(5);
		for (const item of errorItems) {
			expect(Object.keys(item.json).every((key) => ['error', 'message', 'details'].includes(key))).toBe(true);
		}
		expect(result.output[2].json.details).toEqual({
			description: expect.stringContaining('Codes from an authenticator app change every 30 seconds'),
			httpCode: '421',
		});
		expect(result.output[7].json.details).toEqual({
			description: expect.stringContaining('Boom [Internal]'),
			httpCode: '500',
		});
		expect((result.output[1].json.details as IDataObject).description).toBe('Parameter "userId" of item 1.');
	});
});

describe('the error output (continueErrorOutput)', () => {
	test('good items go to the main output, failed ones to the error output, each once, in order, paired', async () => {
		const result = await run('continueErrorOutput');
		expect(result.error).toBeUndefined();

		const good = mixed.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.outcome === 'ok');
		const bad = mixed.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.outcome !== 'ok');

		expect(result.output).toHaveLength(good.length);
		good.forEach(({ index }, position) => expectSuccess(result.output[position], index));

		expect(result.errorOutput).toHaveLength(bad.length);
		bad.forEach(({ entry, index }, position) => {
			const item = result.errorOutput[position];
			expect(item.pairedItem).toEqual({ item: index });
			expect(String(item.json.error)).toMatch(entry.outcome as RegExp);
			// n8n adds the input item's fields to an error item, so the failed input can be fixed and resent.
			expect(item.json.userId).toBe(entry.json.userId);
		});
	});

	test('with every item failing, the main output is empty and nothing is lost', async () => {
		const result = await run('continueErrorOutput', [
			{ userId: 'x', code: '111111' },
			{ userId: user(2), code: '000000' },
		]);
		expect(result.output).toEqual([]);
		expect(result.errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('without Continue On Fail', () => {
	test('the workflow stops with the first failing item\'s error in input order', async () => {
		const result = await run();
		expect(result.output).toEqual([]);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error!.message).toMatch(/^User ID must be a UUID/);
		expect(result.error!.context?.itemIndex).toBe(1);
	});

	test('a FusionAuth error on an earlier item wins over a validation error that happened sooner on a later one', async () => {
		// Item 1 waits for FusionAuth; item 2 fails validation at once.
		const result = await run(undefined, [
			{ userId: user(0), code: '111111' },
			{ userId: user(1), code: '000000' },
			{ userId: 'not-a-uuid', code: '111111' },
		]);
		expect(result.output).toEqual([]);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error!.message).toBe('The two factor code is invalid or expired');
		expect(result.error!.context?.itemIndex).toBe(1);
	});
});
