import type { INodeParameters } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { ACCESS_TOKEN, API_KEY, APPLICATION_ID, runAgainst, TWO_FACTOR_ID, USER_ID, visibleText } from './support';

// Every status FusionAuth documents for these endpoints reaches the user in FusionAuth's terms.

interface OperationCase {
	name: string;
	parameters: INodeParameters;
	statuses: number[];
	/** The operation's own messages, where the status means something particular to it. */
	messages?: Partial<Record<number, string>>;
	/** How the request authenticates, which decides what a 401 says. */
	auth?: 'apiKey' | 'none';
}

const LOGIN_NOT_FOUND = 'Two factor login not found: the twoFactorId is unknown or has expired, so the user must log in again';

const operations: OperationCase[] = [
	{
		name: 'twoFactor.update',
		parameters: { resource: 'twoFactor', operation: 'update', userId: USER_ID, methodId: '2KSZ', name: 'Phone' },
		statuses: [400, 401, 404, 500, 503],
		messages: { 404: `User ${USER_ID} not found` },
	},
	{
		name: 'recoveryCode.generate',
		parameters: { resource: 'recoveryCode', operation: 'generate', userId: USER_ID },
		statuses: [400, 401, 404, 500],
		messages: { 404: `User ${USER_ID} not found` },
	},
	{
		name: 'recoveryCode.get',
		parameters: { resource: 'recoveryCode', operation: 'get', userId: USER_ID },
		statuses: [400, 401, 404, 500],
		messages: { 404: `User ${USER_ID} not found` },
	},
	{
		name: 'login.start',
		parameters: { resource: 'login', operation: 'start', userId: USER_ID, applicationId: APPLICATION_ID },
		statuses: [400, 401, 404, 500, 503],
		messages: { 404: `User ${USER_ID} not found` },
	},
	{
		name: 'login.complete',
		parameters: { resource: 'login', operation: 'complete', twoFactorId: TWO_FACTOR_ID, code: '123456' },
		statuses: [400, 401, 404, 409, 410, 421, 500, 503, 504],
		messages: {
			404: LOGIN_NOT_FOUND,
			409: 'The user is locked: an action such as too many failed two factor attempts prevents this login',
			410: 'The user has expired: FusionAuth does not log in a user whose account has expired',
			421: 'The two factor code is invalid or expired',
		},
		auth: 'none',
	},
	{
		name: 'login.getStatus (GET)',
		parameters: { resource: 'login', operation: 'getStatus', userId: USER_ID },
		statuses: [400, 401, 500],
	},
	{
		name: 'login.getStatus (POST)',
		parameters: {
			resource: 'login',
			operation: 'getStatus',
			userId: USER_ID,
			additionalFields: { action: 'stepUp', accessToken: ACCESS_TOKEN },
		},
		statuses: [400, 401, 500],
	},
	{
		name: 'user.get',
		parameters: { resource: 'user', operation: 'get', userId: USER_ID },
		statuses: [400, 401, 404, 500],
		messages: { 404: `User ${USER_ID} not found` },
	},
	{
		name: 'user.get (legacy)',
		parameters: { apiVersion: 'legacy', resource: 'user', operation: 'get', userId: USER_ID },
		statuses: [401, 404, 500],
		messages: { 404: `User ${USER_ID} not found` },
	},
	{
		name: 'user.getMany',
		parameters: { resource: 'user', operation: 'getMany', returnAll: true },
		statuses: [400, 401, 500, 503],
	},
];

const validationBody = {
	fieldErrors: {
		code: [{ code: '[blank]code', message: 'You must specify the [code] property.' }],
	},
	generalErrors: [{ code: '[invalid]', message: 'The request is invalid.' }],
};

const serverErrorBody = { generalErrors: [{ code: '[Exception]', message: 'FusionAuth encountered an unexpected error.' }] };

function expectedMessage(operation: OperationCase, status: number): string {
	const own = operation.messages?.[status];
	if (own) return own;
	switch (status) {
		case 400:
			return 'FusionAuth rejected the request: The request is invalid.';
		case 401:
			return operation.auth === 'none' ? 'FusionAuth refused the request (401)' : 'FusionAuth rejected the API key';
		case 404:
			return 'FusionAuth found nothing to act on (404)';
		case 421:
			return 'The two factor code is invalid or expired';
		case 500:
			return 'FusionAuth had an internal error (500)';
		case 503:
			return 'FusionAuth is unavailable (503)';
		case 504:
			return 'FusionAuth timed out (504)';
		default:
			throw new Error(`no expectation for ${status}`);
	}
}

const server = useRecordingServer();

const cases = operations.flatMap((operation) => operation.statuses.map((status) => ({ ...operation, status })));

describe.each(cases)('$name answered $status', (operation) => {
	test('fails the item with a NodeApiError in FusionAuth’s terms, keeping the key and tokens out', async () => {
		const { status } = operation;
		const body = status === 400 ? validationBody : status >= 500 ? serverErrorBody : undefined;
		server.respondWith({ status, body });
		const result = await runAgainst(server, {
			...operation.parameters,
			// One answer per request here: no retrying of 503.
			options: { retries: 0 },
		});
		expect(result.error).toBeDefined();
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(expectedMessage(operation, status));
		expect(result.error?.httpCode).toBe(String(status));
		expect(result.error?.context?.itemIndex).toBe(0);
		if (status === 400) {
			expect(result.error?.description).toBe(
				'code: You must specify the [code] property. [blank]code\nThe request is invalid. [invalid]',
			);
		}
		if (status >= 500) {
			expect(result.error?.description).toContain('FusionAuth encountered an unexpected error. [Exception]');
		}
		const visible = visibleText(result);
		expect(visible).not.toContain(API_KEY);
		expect(visible).not.toContain(ACCESS_TOKEN);
	});
});

describe('with the error output', () => {
	test('a failing lookup becomes an error item and the next item still runs', async () => {
		server.respondWith((request) =>
			request.path.endsWith('00000000-0000-0000-0000-000000000404')
				? { status: 404 }
				: { status: 200, body: { user: { id: USER_ID, twoFactor: {} } } },
		);
		const result = await runAgainst(
			server,
			{ resource: 'user', operation: 'get', userId: '={{ $json.id }}' },
			{ items: [{ id: '00000000-0000-0000-0000-000000000404' }, { id: USER_ID }], onError: 'continueErrorOutput' },
		);
		expect(result.errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual([
			['User 00000000-0000-0000-0000-000000000404 not found', { item: 0 }],
		]);
		expect(result.output.map((item) => [item.json.id, item.pairedItem])).toEqual([[USER_ID, { item: 1 }]]);
	});

	test('login.complete errors carry no code, token or key', async () => {
		server.respondWith({ status: 421 });
		const result = await runAgainst(
			server,
			{ resource: 'login', operation: 'complete', twoFactorId: TWO_FACTOR_ID, code: '=918273' },
			{ onError: 'continueRegularOutput' },
		);
		expect(result.output.map((item) => item.json.error)).toEqual(['The two factor code is invalid or expired']);
		expect(visibleText(result)).not.toContain('918273');
		expect(visibleText(result)).not.toContain(TWO_FACTOR_ID);
	});
});
