import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { RecordedRequest, Reply } from '../../harness/recordingServer';
import type { OutputCase } from '../table';
import { describeOperation, runOperation } from '../table';
import { NODE_NAME, runNode } from '../../harness/n8n';
import type { useRecordingServer } from '../../harness/lifecycle';
import type { Simulator } from '../../simulator/server';
import { startSimulator } from '../../simulator/server';
import { totp } from '../../simulator/totp';
import { API_KEY, TENANT_ID, USER_ID, wire } from '../support';

type Shape = 'methods' | 'none' | 'emptyObject' | 'emptyMethods' | 'legacyOn' | 'legacyOff';

/** User number i, with the given two factor shape (API notes: no twoFactor, {} or {methods: []} all mean none). */
function makeUser(index: number, shape: Shape): IDataObject {
	const user: IDataObject = {
		id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
		email: `user${index}@example.com`,
	};
	switch (shape) {
		case 'methods':
			user.twoFactor = { methods: [{ id: `M${index}`, method: 'authenticator' }] };
			break;
		case 'emptyObject':
			user.twoFactor = {};
			break;
		case 'emptyMethods':
			user.twoFactor = { methods: [] };
			break;
		case 'legacyOn':
			user.twoFactorEnabled = true;
			break;
		case 'legacyOff':
			user.twoFactorEnabled = false;
			break;
		case 'none':
			break;
	}
	return user;
}

interface Directory {
	count: number;
	shapeOf: (index: number) => Shape;
	/** Elasticsearch: total capped at 10,000, startRow + numberOfResults at most 10,000, nextResults tokens. */
	elasticsearch?: boolean;
}

interface Search {
	queryString?: string;
	numberOfResults?: number;
	startRow?: number;
	nextResults?: string;
}

function searchOf(request: RecordedRequest): Search {
	return (request.body as { search: Search }).search;
}

/** Answers POST /api/user/search the way FusionAuth's two search engines do. */
function userSearch(directory: Directory): (request: RecordedRequest) => Reply {
	return (request) => {
		if (request.method !== 'POST' || request.path !== '/api/user/search') return { status: 404 };
		const search = searchOf(request);
		const size = search.numberOfResults ?? 25;
		let from: number;
		if (search.nextResults !== undefined) {
			if (!directory.elasticsearch || search.queryString !== undefined || search.startRow !== undefined) {
				return { status: 400, body: { fieldErrors: { 'search.nextResults': [{ code: '[invalid]search.nextResults', message: 'Not combinable.' }] } } };
			}
			from = (JSON.parse(Buffer.from(search.nextResults, 'base64url').toString()) as { after: number }).after;
		} else {
			from = search.startRow ?? 0;
			if (directory.elasticsearch && from + size > 10_000) {
				return { status: 400, body: { fieldErrors: { 'search.startRow': [{ code: '[tooLarge]search.startRow', message: 'Past the result window.' }] } } };
			}
		}
		const end = Math.min(directory.count, from + size);
		const users: IDataObject[] = [];
		for (let index = from; index < end; index++) users.push(makeUser(index, directory.shapeOf(index)));
		const body: IDataObject = {
			total: directory.elasticsearch ? Math.min(directory.count, 10_000) : directory.count,
			users,
		};
		if (directory.elasticsearch && users.length > 0) {
			body.nextResults = Buffer.from(JSON.stringify({ after: end })).toString('base64url');
		}
		return { status: 200, body };
	};
}

const CAMPAIGN_ORDER = [
	{ name: 'insertInstant', order: 'asc' },
	{ name: 'id', order: 'asc' },
];

const getMany = (parameters: IDataObject): INodeParameters => ({ resource: 'user', operation: 'getMany', ...parameters }) as INodeParameters;
const ids = (items: IDataObject[]) => items.map((item) => Number((item.id as string).slice(-12)));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

/** An output case against a directory of users. */
function paging(name: string, parameters: IDataObject, directory: Directory | ((request: RecordedRequest) => Reply), output: OutputCase['output'], apiVersion: 'current' | 'legacy' = 'current'): OutputCase {
	return { name, apiVersion, parameters: getMany(parameters), answer: typeof directory === 'function' ? directory : userSearch(directory), output };
}

const serverSideFilter: Array<['current' | 'legacy', string, string, string]> = [
	['current', 'notEnabled', '*', '!(_exists_:twoFactor.methods)'],
	['current', 'enabled', '*', '_exists_:twoFactor.methods'],
	['current', 'notEnabled', 'active:true', '(active:true) AND !(_exists_:twoFactor.methods)'],
	['legacy', 'notEnabled', '*', 'twoFactorEnabled:false'],
	['legacy', 'enabled', 'email:*@example.com', '(email:*@example.com) AND twoFactorEnabled:true'],
	['current', 'any', 'active:true', 'active:true'],
];

describeOperation({
	resource: 'user',
	operation: 'getMany',
	editor: {
		action: 'Get many users by two factor status',
		panels: {
			current: { fields: ['twoFactorStatus', 'returnAll', 'limit', 'additionalFields'], required: [] },
			legacy: { fields: ['twoFactorStatus', 'returnAll', 'limit', 'additionalFields'], required: [] },
		},
	},
	// LEAKY_USER has a method: found as any user, and as an enrolled one by twoFactorEnabled (legacy).
	samples: {
		current: getMany({ twoFactorStatus: 'any', returnAll: true }),
		legacy: getMany({ twoFactorStatus: 'enabled', returnAll: true }),
	},
	answersWithBody: true,
	agentOutput: {
		current: (output) => expect(output).toMatchObject({ id: USER_ID, email: 'jane@example.com' }),
		legacy: (output) => expect(output).toMatchObject({ id: USER_ID }),
	},
	// Paging sends many requests through `execute`: these rows compare the first page on the wire.
	requests: [
		{
			name: 'first page = searchUsersByQuery',
			parameters: getMany({ twoFactorStatus: 'any', returnAll: false, limit: 25, additionalFields: { queryString: 'active:true' } }),
			client: (client) => client.searchUsersByQuery({ search: { queryString: 'active:true', numberOfResults: 25, startRow: 0 } }),
		},
		{
			name: 'with Return All, first page = searchUsersByQuery',
			parameters: getMany({ twoFactorStatus: 'any', returnAll: true }),
			client: (client) => client.searchUsersByQuery({ search: { queryString: '*', numberOfResults: 100, startRow: 0 } }),
		},
		{
			name: 'legacy, with Return All and the server side filter, first page = searchUsersByQuery',
			apiVersion: 'legacy',
			parameters: getMany({ twoFactorStatus: 'enabled', returnAll: true, additionalFields: { serverSideFilter: true } }),
			client: (client) => client.searchUsersByQuery({ search: { queryString: 'twoFactorEnabled:true', numberOfResults: 100, startRow: 0 } }),
		},
		{
			name: 'Continue From Last Run, first batch = searchUsersByQuery sorted by insertInstant, then id',
			parameters: getMany({ twoFactorStatus: 'notEnabled', limit: 10, additionalFields: { continueFromLastRun: true } }),
			client: (client) =>
				client.searchUsersByQuery({ search: { queryString: '*', numberOfResults: 100, startRow: 0, sortFields: CAMPAIGN_ORDER as never } }),
		},
	],
	outputs: [
		// Paging through user search
		paging('Return All pages with startRow until the server is exhausted: ceil(users / 100) requests', { twoFactorStatus: 'any', returnAll: true }, { count: 250, shapeOf: () => 'none' }, (output, requests, items) => {
			expect(requests.map(searchOf)).toEqual([
				{ queryString: '*', numberOfResults: 100, startRow: 0 },
				{ queryString: '*', numberOfResults: 100, startRow: 100 },
				{ queryString: '*', numberOfResults: 100, startRow: 200 },
			]);
			expect(ids(output)).toEqual(range(0, 250));
			expect(items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		}),
		paging('stops when total is reached, without asking for an empty page', { twoFactorStatus: 'any', returnAll: true }, { count: 200, shapeOf: () => 'none' }, (output, requests) => {
			expect(requests).toHaveLength(2);
			expect(output).toHaveLength(200);
		}),
		paging(
			'stops on a short page even when the server reports no total',
			{ twoFactorStatus: 'any', returnAll: true },
			(request) => {
				const reply = userSearch({ count: 130, shapeOf: () => 'none' })(request);
				delete (reply.body as IDataObject).total;
				return reply;
			},
			(output, requests) => {
				expect(requests).toHaveLength(2);
				expect(output).toHaveLength(130);
			},
		),
		paging('no users at all: one request, no items', { returnAll: true }, { count: 0, shapeOf: () => 'none' }, (output, requests) => {
			expect(requests).toHaveLength(1);
			expect(output).toEqual([]);
		}),
		paging(
			'filters on this side, so users without two factor are found with the database engine too',
			{ twoFactorStatus: 'notEnabled', returnAll: true },
			// Every fifth user has a method; the rest have no twoFactor, {} or {methods: []}.
			{ count: 250, shapeOf: (index) => (['methods', 'none', 'emptyObject', 'emptyMethods', 'none'] as const)[index % 5] },
			(output, requests) => {
				expect(requests).toHaveLength(3);
				expect(ids(output)).toEqual(range(0, 250).filter((index) => index % 5 !== 0));
				expect(output.every((item) => item.twoFactorEnabled === false)).toBe(true);
				expect(output.every((item) => Array.isArray(item.twoFactorMethods) && (item.twoFactorMethods as unknown[]).length === 0)).toBe(true);
				expect(output.slice(0, 3)).toEqual([
					{ id: expect.any(String), email: 'user1@example.com', twoFactorEnabled: false, twoFactorMethods: [] },
					{ id: expect.any(String), email: 'user2@example.com', twoFactor: {}, twoFactorEnabled: false, twoFactorMethods: [] },
					{ id: expect.any(String), email: 'user3@example.com', twoFactor: { methods: [] }, twoFactorEnabled: false, twoFactorMethods: [] },
				]);
			},
		),
		paging(
			'finds the enrolled users, shaped like user.get',
			{ twoFactorStatus: 'enabled', returnAll: true },
			{ count: 8, shapeOf: (index) => (['methods', 'none', 'emptyObject', 'emptyMethods'] as const)[index % 4] },
			(output) =>
				expect(output).toEqual(
					[0, 4].map((index) => ({ ...makeUser(index, 'methods'), twoFactorEnabled: true, twoFactorMethods: [{ id: `M${index}`, method: 'authenticator' }] })),
				),
		),
		paging(
			'reads legacy users by twoFactorEnabled: those without',
			{ twoFactorStatus: 'notEnabled', returnAll: true },
			{ count: 6, shapeOf: (index) => (index % 3 === 0 ? 'legacyOn' : index % 3 === 1 ? 'legacyOff' : 'none') },
			(output) => expect(ids(output)).toEqual([1, 2, 4, 5]),
			'legacy',
		),
		paging(
			'reads legacy users by twoFactorEnabled: those with',
			{ twoFactorStatus: 'enabled', returnAll: true },
			{ count: 6, shapeOf: (index) => (index % 3 === 0 ? 'legacyOn' : index % 3 === 1 ? 'legacyOff' : 'none') },
			(output) =>
				expect(output.map((item) => [item.twoFactorEnabled, item.twoFactorMethods])).toEqual([
					[true, []],
					[true, []],
				]),
			'legacy',
		),
		// Limit
		paging(
			'stops in the middle of a page once limit matching users are found',
			{ twoFactorStatus: 'notEnabled', returnAll: false, limit: 7 },
			{ count: 500, shapeOf: (index) => (index % 2 === 0 ? 'methods' : 'none') },
			(output, requests) => {
				expect(requests).toHaveLength(1);
				expect(ids(output)).toEqual([1, 3, 5, 7, 9, 11, 13]);
			},
		),
		paging('limit defaults to 50', { twoFactorStatus: 'notEnabled' }, { count: 500, shapeOf: () => 'none' }, (output, requests) => {
			expect(output).toHaveLength(50);
			expect(requests).toHaveLength(1);
		}),
		paging(
			'keeps paging while too few users match, and no further',
			{ twoFactorStatus: 'notEnabled', limit: 3 },
			// One user without two factor per hundred.
			{ count: 1000, shapeOf: (index) => (index % 100 === 42 ? 'none' : 'methods') },
			(output, requests) => {
				expect(ids(output)).toEqual([42, 142, 242]);
				expect(requests.map((request) => searchOf(request).startRow)).toEqual([0, 100, 200]);
			},
		),
		paging('when every user matches, asks for no more than limit', { twoFactorStatus: 'any', limit: 5 }, { count: 500, shapeOf: () => 'none' }, (output, requests) => {
			expect(requests.map(searchOf)).toEqual([{ queryString: '*', numberOfResults: 5, startRow: 0 }]);
			expect(ids(output)).toEqual([0, 1, 2, 3, 4]);
		}),
		paging('a limit past one page stops in the second page', { twoFactorStatus: 'any', limit: 150 }, { count: 500, shapeOf: () => 'none' }, (output, requests) => {
			expect(requests.map((request) => searchOf(request).numberOfResults)).toEqual([100, 100]);
			expect(ids(output)).toEqual(range(0, 150));
		}),
		// nextResults
		paging(
			'follows the nextResults token the server returns instead of startRow, sending nothing else with it',
			{ twoFactorStatus: 'any', returnAll: true },
			{ count: 250, shapeOf: () => 'none', elasticsearch: true },
			(output, requests) => {
				const searches = requests.map(searchOf);
				expect(searches[0]).toEqual({ queryString: '*', numberOfResults: 100, startRow: 0 });
				expect(searches.slice(1)).toEqual([
					{ nextResults: expect.any(String), numberOfResults: 100 },
					{ nextResults: expect.any(String), numberOfResults: 100 },
				]);
				expect(ids(output)).toEqual(range(0, 250));
			},
		),
		// serverSideFilter (Elasticsearch)
		...serverSideFilter.map(([apiVersion, twoFactorStatus, queryString, sent]) =>
			paging(
				`serverSideFilter, ${apiVersion} API, ${twoFactorStatus}, query ${JSON.stringify(queryString)}: sends ${JSON.stringify(sent)}`,
				{ twoFactorStatus, returnAll: true, additionalFields: { queryString, serverSideFilter: true } },
				() => ({ status: 200, body: { total: 0, users: [] } }),
				(_, requests) => expect(searchOf(requests[0]).queryString).toBe(sent),
				apiVersion,
			),
		),
		paging(
			'without serverSideFilter, the query string goes as it is',
			{ returnAll: true, additionalFields: { queryString: 'active:true' } },
			() => ({ status: 200, body: { total: 0, users: [] } }),
			(_, requests) => expect(searchOf(requests[0]).queryString).toBe('active:true'),
		),
		paging(
			'serverSideFilter asks for only limit users, and still drops any enrolled user the server lets through',
			{ twoFactorStatus: 'notEnabled', limit: 3, additionalFields: { serverSideFilter: true } },
			{ count: 100, shapeOf: (index) => (index === 1 ? 'methods' : 'none') },
			(output, requests) => {
				expect(requests.map((request) => searchOf(request).numberOfResults)).toEqual([3, 3]);
				expect(ids(output)).toEqual([0, 2, 3]);
			},
		),
		// Items
		{
			name: 'each input item gets its own users, paired with it',
			parameters: getMany({ returnAll: true, additionalFields: { queryString: '={{ "email:*@" + $json.domain }}' } }),
			items: [{ domain: 'a.com' }, { domain: 'b.com' }],
			answer: (request) => {
				const domain = (searchOf(request).queryString ?? '').split('@')[1];
				return { status: 200, body: { total: 2, users: [makeUser(domain === 'a.com' ? 1 : 2, 'none'), makeUser(9, 'none')] } };
			},
			output: (_, __, items) =>
				expect(items.map((item) => [Number((item.json.id as string).slice(-12)), item.pairedItem])).toEqual([
					[1, { item: 0 }],
					[9, { item: 0 }],
					[2, { item: 1 }],
					[9, { item: 1 }],
				]),
		},
		{
			name: 'only users: entries that are not objects are skipped',
			parameters: getMany({ returnAll: true }),
			answer: { status: 200, body: { total: 3, users: [null, 'x', { id: USER_ID }] } },
			output: [{ id: USER_ID, twoFactorEnabled: false, twoFactorMethods: [] }],
		},
	],
	errors: [
		{
			name: 'Continue From Last Run with Return All fails before any request: a batch needs a Limit',
			parameters: getMany({ returnAll: true, additionalFields: { continueFromLastRun: true } }),
			message: 'Continue From Last Run needs a Limit (the size of each batch): turn Return All off [item 0]',
		},
		...[0, -3, 2.5].map((limit) => ({
			name: `limit ${limit} fails before any request`,
			parameters: getMany({ limit }),
			message: 'Limit must be a whole number of 1 or more [item 0]',
		})),
		{
			name: 'a server that hands back the same token and page again stops the paging with an error',
			parameters: getMany({ twoFactorStatus: 'any', returnAll: true }),
			answer: { status: 200, body: { total: 10_000, users: Array.from({ length: 100 }, (_, index) => makeUser(index, 'none')), nextResults: 'c2FtZQ' } },
			message:
				"Get Many Users got the same page of users twice from FusionAuth (page 2): paging stopped, as it would never end. Check the search engine's configuration, or set a Limit [item 0]",
			requests: 2,
		},
		{
			name: 'a token handed back unchanged with a new page: the page after it repeats, and paging stops with an error, never with the users so far as if they were all',
			parameters: getMany({ twoFactorStatus: 'any', returnAll: true }),
			answer: (request) => ({
				status: 200,
				body: {
					total: 10_000,
					users: Array.from({ length: 100 }, (_, index) => makeUser(index + (searchOf(request).nextResults === undefined ? 0 : 100), 'none')),
					nextResults: 'c2FtZQ',
				},
			}),
			message:
				"Get Many Users got the same page of users twice from FusionAuth (page 3): paging stopped, as it would never end. Check the search engine's configuration, or set a Limit [item 0]",
			requests: 3,
		},
	],
	statuses: [{ name: 'search', parameters: getMany({ returnAll: true }), statuses: [400, 401, 500, 503] }],
	more: (server) => {
		describe('Continue From Last Run', () => campaignTests(server));

		test("the page after a nextResults token = searchUsersByQuery with that token", async () => {
			const users = Array.from({ length: 100 }, (_, index) => ({ id: `u-${index}`, twoFactor: {} }));
			server.respondWith((request) =>
				(request.body as { search: { nextResults?: string } }).search.nextResults === undefined
					? { status: 200, body: { total: 10_000, users, nextResults: 'eyJ0b2tlbiI6MX0' } }
					: { status: 200, body: { total: 10_000, users: [] } },
			);
			const result = await runOperation(server.url, 'current', getMany({ twoFactorStatus: 'any', returnAll: true }));
			expect(result.error).toBeUndefined();
			expect(server.requests).toHaveLength(2);
			const fromNode = wire(server.requests[1]);
			server.reset();
			await new FusionAuthClient(API_KEY, server.url, TENANT_ID).searchUsersByQuery({ search: { nextResults: 'eyJ0b2tlbiI6MX0', numberOfResults: 100 } });
			expect(server.requests).toHaveLength(1);
			expect(fromNode).toEqual(wire(server.requests[0]));
		});

		test('pages past 10,000 results, where total is capped and startRow cannot go', async () => {
			// 10,250 users, one in fifty without two factor.
			server.respondWith(userSearch({ count: 10_250, shapeOf: (index) => (index % 50 === 7 ? 'emptyMethods' : 'methods'), elasticsearch: true }));
			const result = await runOperation(server.url, 'current', getMany({ twoFactorStatus: 'notEnabled', returnAll: true }));
			expect(result.error).toBeUndefined();
			expect(server.requests).toHaveLength(103);
			expect(ids(result.output.map((item) => item.json))).toEqual(range(0, 10_250).filter((index) => index % 50 === 7));
		}, 60_000);

		test("a failing page fails the item in FusionAuth's words, after no further request", async () => {
			const search = userSearch({ count: 300, shapeOf: () => 'none' });
			server.respondWith((request) =>
				searchOf(request).startRow === 100
					? { status: 400, body: { fieldErrors: { 'search.queryString': [{ code: '[invalid]search.queryString', message: 'The query is invalid.' }] } } }
					: search(request),
			);
			const result = await runOperation(server.url, 'current', getMany({ twoFactorStatus: 'any', returnAll: true }));
			expect(server.requests).toHaveLength(2);
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe('FusionAuth rejected the request: The query is invalid.');
			expect(result.error?.description).toBe('search.queryString: The query is invalid. [invalid]search.queryString');
			expect(result.output).toEqual([]);
		});
	},
});

/** The position kept in the node's static data, as n8n keeps it between executions. */
const NODE_STATIC_KEY = `node:${NODE_NAME}`;

function campaignTests(server: ReturnType<typeof useRecordingServer>): void {
	const campaign = (extra: IDataObject = {}) =>
		getMany({ twoFactorStatus: 'notEnabled', limit: 10, ...extra, additionalFields: { continueFromLastRun: true, ...(extra.additionalFields as IDataObject | undefined) } });
	const userId = (index: number) => `c0000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
	const indexOf = (id: string) => Number(id.slice(-12));
	const AUTHENTICATOR_KEY = Buffer.from('12345678901234567890');

	/** 30 users, every third one enrolled (0, 3, ... 27): 20 without two factor. */
	async function directory(searchEngine: 'database' | 'elasticsearch'): Promise<Simulator> {
		return await startSimulator({
			searchEngine,
			users: Array.from({ length: 30 }, (_, index) => ({
				id: userId(index),
				email: `c${index}@example.com`,
				...(index % 3 === 0 ? { twoFactor: { methods: [{ method: 'authenticator' as const }] } } : {}),
			})),
		});
	}

	async function enroll(simulator: Simulator, index: number): Promise<void> {
		const client = new FusionAuthClient(simulator.apiKey, simulator.url);
		const code = totp(AUTHENTICATOR_KEY, simulator.now());
		const response = await client.enableTwoFactor(userId(index), { method: 'authenticator', code, secret: AUTHENTICATOR_KEY.toString('base64') });
		expect(response.statusCode).toBe(200);
	}

	async function execution(simulator: Simulator, staticData: IDataObject, parameters = campaign(), mode: 'trigger' | 'manual' = 'trigger') {
		const result = await runNode({ parameters, credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey }, staticData, mode });
		expect(result.error).toBeUndefined();
		return { ids: result.output.map((item) => item.json.id as string), result };
	}

	test.each([
		['database', {}],
		['elasticsearch', { additionalFields: { serverSideFilter: true } }],
	] as const)(
		'%s: batches of 10; users who enroll drop out, new ones come in, a deleted one moves nobody: no one skipped, no one twice in a pass',
		async (engine, extra) => {
			const simulator = await directory(engine);
			try {
				const staticData: IDataObject = {};
				const parameters = campaign(extra);
				const first = await execution(simulator, staticData, parameters);
				expect(first.ids.map(indexOf)).toEqual([1, 2, 4, 5, 7, 8, 10, 11, 13, 14]);
				expect(Object.keys(staticData)).toEqual([NODE_STATIC_KEY]);

				// Between the batches: 17 and 19 enroll before their turn, 2 after it; two users arrive;
				// 10, 11 and 13, already reminded, are deleted (every row after them moves up three).
				for (const index of [17, 19, 2]) await enroll(simulator, index);
				simulator.users.add({ id: userId(40), email: 'c40@example.com' });
				simulator.users.add({ id: userId(41), email: 'c41@example.com' });
				const client = new FusionAuthClient(simulator.apiKey, simulator.url);
				for (const index of [10, 11, 13]) expect((await client.deleteUser(userId(index))).statusCode).toBe(200);

				const second = await execution(simulator, staticData, parameters);
				expect(second.ids.map(indexOf)).toEqual([16, 20, 22, 23, 25, 26, 28, 29, 40, 41]);
				// The pass: everyone without two factor when their turn came, exactly once.
				const pass = [...first.ids, ...second.ids];
				expect(new Set(pass).size).toBe(20);

				// The pass ended on its last user: the next execution starts the next pass.
				const third = await execution(simulator, staticData, parameters);
				expect(third.ids.map(indexOf)).toEqual([1, 4, 5, 7, 8, 14, 16, 20, 22, 23]);
				// Items as Get Many outputs them without the option.
				expect(third.result.output[0].json).toMatchObject({ id: userId(1), email: 'c1@example.com', twoFactorEnabled: false, twoFactorMethods: [] });
				expect(third.result.output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
			} finally {
				await simulator.close();
			}
		},
		30_000,
	);

	test('a batch shorter than Limit ends the pass: the next execution starts over', async () => {
		const simulator = await directory('database');
		try {
			const staticData: IDataObject = {};
			const parameters = campaign({ limit: 15 });
			expect((await execution(simulator, staticData, parameters)).ids).toHaveLength(15);
			expect((await execution(simulator, staticData, parameters)).ids.map(indexOf)).toEqual([23, 25, 26, 28, 29]);
			expect(staticData[NODE_STATIC_KEY]).toEqual({});
			expect((await execution(simulator, staticData, parameters)).ids.map(indexOf).slice(0, 3)).toEqual([1, 2, 4]);
		} finally {
			await simulator.close();
		}
	});

	test('a manual execution reads the saved position but leaves it, and says so in a hint', async () => {
		const simulator = await directory('database');
		try {
			const staticData: IDataObject = {};
			await execution(simulator, staticData);
			const saved = JSON.stringify(staticData);
			const manual = await execution(simulator, staticData, campaign(), 'manual');
			expect(manual.ids.map(indexOf)).toEqual([16, 17, 19, 20, 22, 23, 25, 26, 28, 29]);
			expect(JSON.stringify(staticData)).toBe(saved);
			const hints = manual.result.run.data.resultData.runData[NODE_NAME][0].hints ?? [];
			expect(hints.map((hint) => hint.message)).toEqual([expect.stringContaining('a manual execution does not save its position')]);
			// The next active execution returns the same users the manual one showed.
			expect((await execution(simulator, staticData)).ids).toEqual(manual.ids);
		} finally {
			await simulator.close();
		}
	});

	test('Reset Position starts from the first user; another query string starts over too', async () => {
		const simulator = await directory('database');
		try {
			const staticData: IDataObject = {};
			await execution(simulator, staticData);
			const reset = await execution(simulator, staticData, campaign({ additionalFields: { resetPosition: true } }));
			expect(reset.ids.map(indexOf)).toEqual([1, 2, 4, 5, 7, 8, 10, 11, 13, 14]);
			expect((await execution(simulator, staticData)).ids.map(indexOf)[0]).toBe(16);
			const other = await execution(simulator, staticData, campaign({ additionalFields: { queryString: 'c*' } }));
			expect(other.ids.map(indexOf)[0]).toBe(1);
		} finally {
			await simulator.close();
		}
	});

	test('a batch whose search fails leaves the saved position where it was', async () => {
		const users: IDataObject[] = Array.from({ length: 100 }, (_, index) => ({ ...makeUser(index, 'none'), insertInstant: 1_700_000_000_000 + index }));
		let failing = false;
		server.respondWith((request) => {
			if (failing) return { status: 500, body: {} };
			const search = searchOf(request);
			const from = search.startRow ?? 0;
			return { status: 200, body: { total: 100, users: users.slice(from, from + (search.numberOfResults ?? 25)) } };
		});
		const staticData: IDataObject = {};
		const run = async () =>
			await runNode({ parameters: { apiVersion: 'current', ...campaign(), options: { retries: 0 } }, credentials: { baseUrl: server.url, apiKey: API_KEY }, staticData, mode: 'trigger' });
		expect((await run()).output.map((item) => ids([item.json])[0])).toEqual(range(0, 10));
		const saved = JSON.stringify(staticData);
		expect(saved).toContain(users[9].id as string);
		failing = true;
		const failed = await run();
		expect(failed.error?.message).toMatch(/^FusionAuth/);
		expect(JSON.stringify(staticData)).toBe(saved);
		failing = false;
		expect((await run()).output.map((item) => ids([item.json])[0])).toEqual(range(10, 20));
	});

	test('a second input item fails: the position is one per node', async () => {
		server.respondWith({ status: 200, body: { total: 0, users: [] } });
		const result = await runNode({
			parameters: { apiVersion: 'current', ...campaign(), options: { retries: 0 } },
			credentials: { baseUrl: server.url, apiKey: API_KEY },
			items: [{}, {}],
			mode: 'trigger',
		});
		expect(result.error?.message).toBe(
			'Continue From Last Run keeps one position per node, so it takes one input item: this is a second one [item 1]',
		);
	});
}
