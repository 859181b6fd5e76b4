import type { IDataObject } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import type { RecordedRequest, Reply } from '../harness/recordingServer';
import { outputJson, runAgainst, USER_ID } from './support';

type Shape = 'methods' | 'none' | 'emptyObject' | 'emptyMethods' | 'legacyOn' | 'legacyOff';

/** User number i, with the two factor shape `shapeOf(i)` gives it. */
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

const server = useRecordingServer();

const getMany = (parameters: IDataObject) => ({ resource: 'user', operation: 'getMany', ...parameters });
const ids = (items: IDataObject[]) => items.map((item) => Number((item.id as string).slice(-12)));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

describe('paging through user search', () => {
	test('Return All pages with startRow until the server is exhausted: ceil(users / 100) requests', async () => {
		server.respondWith(userSearch({ count: 250, shapeOf: () => 'none' }));
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'any', returnAll: true }));
		expect(result.error).toBeUndefined();
		expect(server.requests.map(searchOf)).toEqual([
			{ queryString: '*', numberOfResults: 100, startRow: 0 },
			{ queryString: '*', numberOfResults: 100, startRow: 100 },
			{ queryString: '*', numberOfResults: 100, startRow: 200 },
		]);
		expect(ids(outputJson(result))).toEqual(range(0, 250));
		expect(result.output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
	});

	test('stops when total is reached, without asking for an empty page', async () => {
		server.respondWith(userSearch({ count: 200, shapeOf: () => 'none' }));
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'any', returnAll: true }));
		expect(server.requests).toHaveLength(2);
		expect(outputJson(result)).toHaveLength(200);
	});

	test('stops on a short page even when the server reports no total', async () => {
		server.respondWith((request) => {
			const reply = userSearch({ count: 130, shapeOf: () => 'none' })(request);
			delete (reply.body as IDataObject).total;
			return reply;
		});
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'any', returnAll: true }));
		expect(server.requests).toHaveLength(2);
		expect(outputJson(result)).toHaveLength(130);
	});

	test('no users at all: one request, no items', async () => {
		server.respondWith(userSearch({ count: 0, shapeOf: () => 'none' }));
		const result = await runAgainst(server, getMany({ returnAll: true }));
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		expect(result.output).toEqual([]);
	});

	test('filters on this side, so users without two factor are found with the database engine too', async () => {
		// Every fifth user has a method; the rest have no twoFactor, {} or {methods: []}.
		const shapes: Shape[] = ['methods', 'none', 'emptyObject', 'emptyMethods', 'none'];
		server.respondWith(userSearch({ count: 250, shapeOf: (index) => shapes[index % 5] }));
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'notEnabled', returnAll: true }));
		expect(server.requests).toHaveLength(3);
		const items = outputJson(result);
		expect(ids(items)).toEqual(range(0, 250).filter((index) => index % 5 !== 0));
		expect(items.every((item) => item.twoFactorEnabled === false)).toBe(true);
		expect(items.every((item) => Array.isArray(item.twoFactorMethods) && (item.twoFactorMethods as unknown[]).length === 0)).toBe(true);
		expect(items.slice(0, 3)).toEqual([
			{ id: expect.any(String), email: 'user1@example.com', twoFactorEnabled: false, twoFactorMethods: [] },
			{ id: expect.any(String), email: 'user2@example.com', twoFactor: {}, twoFactorEnabled: false, twoFactorMethods: [] },
			{ id: expect.any(String), email: 'user3@example.com', twoFactor: { methods: [] }, twoFactorEnabled: false, twoFactorMethods: [] },
		]);
	});

	test('finds the enrolled users, shaped like user.get', async () => {
		const shapes: Shape[] = ['methods', 'none', 'emptyObject', 'emptyMethods'];
		server.respondWith(userSearch({ count: 8, shapeOf: (index) => shapes[index % 4] }));
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'enabled', returnAll: true }));
		expect(outputJson(result)).toEqual([0, 4].map((index) => ({
			...makeUser(index, 'methods'),
			twoFactorEnabled: true,
			twoFactorMethods: [{ id: `M${index}`, method: 'authenticator' }],
		})));
	});

	test('reads legacy users by twoFactorEnabled', async () => {
		server.respondWith(userSearch({ count: 6, shapeOf: (index) => (index % 3 === 0 ? 'legacyOn' : index % 3 === 1 ? 'legacyOff' : 'none') }));
		const result = await runAgainst(server, getMany({ apiVersion: 'legacy', twoFactorStatus: 'notEnabled', returnAll: true }));
		expect(ids(outputJson(result))).toEqual([1, 2, 4, 5]);
		const enabled = await runAgainst(server, getMany({ apiVersion: 'legacy', twoFactorStatus: 'enabled', returnAll: true }));
		expect(outputJson(enabled).map((item) => [item.twoFactorEnabled, item.twoFactorMethods])).toEqual([
			[true, []],
			[true, []],
		]);
	});
});

describe('limit', () => {
	test('stops in the middle of a page once limit matching users are found', async () => {
		server.respondWith(userSearch({ count: 500, shapeOf: (index) => (index % 2 === 0 ? 'methods' : 'none') }));
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'notEnabled', returnAll: false, limit: 7 }));
		expect(server.requests).toHaveLength(1);
		expect(ids(outputJson(result))).toEqual([1, 3, 5, 7, 9, 11, 13]);
	});

	test('defaults to 50', async () => {
		server.respondWith(userSearch({ count: 500, shapeOf: () => 'none' }));
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'notEnabled' }));
		expect(outputJson(result)).toHaveLength(50);
		expect(server.requests).toHaveLength(1);
	});

	test('keeps paging while too few users match, and no further', async () => {
		// One user without two factor per hundred.
		server.respondWith(userSearch({ count: 1000, shapeOf: (index) => (index % 100 === 42 ? 'none' : 'methods') }));
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'notEnabled', limit: 3 }));
		expect(ids(outputJson(result))).toEqual([42, 142, 242]);
		expect(server.requests.map((request) => searchOf(request).startRow)).toEqual([0, 100, 200]);
	});

	test('when every user matches, asks for no more than limit', async () => {
		server.respondWith(userSearch({ count: 500, shapeOf: () => 'none' }));
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'any', limit: 5 }));
		expect(server.requests.map(searchOf)).toEqual([{ queryString: '*', numberOfResults: 5, startRow: 0 }]);
		expect(ids(outputJson(result))).toEqual([0, 1, 2, 3, 4]);
	});

	test('a limit past one page stops in the second page', async () => {
		server.respondWith(userSearch({ count: 500, shapeOf: () => 'none' }));
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'any', limit: 150 }));
		expect(server.requests.map((request) => searchOf(request).numberOfResults)).toEqual([100, 100]);
		expect(ids(outputJson(result))).toEqual(range(0, 150));
	});

	test.each([0, -3, 2.5])('limit %d fails before any request', async (limit) => {
		const result = await runAgainst(server, getMany({ limit }));
		expect(result.error?.message).toBe('Limit must be a whole number of 1 or more [item 0]');
		expect(server.requests).toHaveLength(0);
	});
});

describe('nextResults', () => {
	test('follows the token the server returns instead of startRow, sending nothing else with it', async () => {
		server.respondWith(userSearch({ count: 250, shapeOf: () => 'none', elasticsearch: true }));
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'any', returnAll: true }));
		const searches = server.requests.map(searchOf);
		expect(searches[0]).toEqual({ queryString: '*', numberOfResults: 100, startRow: 0 });
		expect(searches.slice(1)).toEqual([
			{ nextResults: expect.any(String), numberOfResults: 100 },
			{ nextResults: expect.any(String), numberOfResults: 100 },
		]);
		expect(ids(outputJson(result))).toEqual(range(0, 250));
	});

	test('pages past 10,000 results, where total is capped and startRow cannot go', async () => {
		// 10,250 users, one in fifty without two factor.
		server.respondWith(
			userSearch({ count: 10_250, shapeOf: (index) => (index % 50 === 7 ? 'emptyMethods' : 'methods'), elasticsearch: true }),
		);
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'notEnabled', returnAll: true }));
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(103);
		expect(ids(outputJson(result))).toEqual(range(0, 10_250).filter((index) => index % 50 === 7));
	}, 60_000);
});

describe('serverSideFilter (Elasticsearch)', () => {
	test.each([
		['current', 'notEnabled', '*', '!(_exists_:twoFactor.methods)'],
		['current', 'enabled', '*', '_exists_:twoFactor.methods'],
		['current', 'notEnabled', 'active:true', '(active:true) AND !(_exists_:twoFactor.methods)'],
		['legacy', 'notEnabled', '*', 'twoFactorEnabled:false'],
		['legacy', 'enabled', 'email:*@example.com', '(email:*@example.com) AND twoFactorEnabled:true'],
		['current', 'any', 'active:true', 'active:true'],
	])('%s API, %s, query %j: sends %j', async (apiVersion, twoFactorStatus, queryString, sent) => {
		server.respondWith({ status: 200, body: { total: 0, users: [] } });
		await runAgainst(
			server,
			getMany({ apiVersion, twoFactorStatus, returnAll: true, additionalFields: { queryString, serverSideFilter: true } }),
		);
		expect(searchOf(server.requests[0]).queryString).toBe(sent);
	});

	test('without it, the query string goes as it is', async () => {
		server.respondWith({ status: 200, body: { total: 0, users: [] } });
		await runAgainst(server, getMany({ returnAll: true, additionalFields: { queryString: 'active:true' } }));
		expect(searchOf(server.requests[0]).queryString).toBe('active:true');
	});

	test('asks for only limit users, and still drops any enrolled user the server lets through', async () => {
		server.respondWith(userSearch({ count: 100, shapeOf: (index) => (index === 1 ? 'methods' : 'none') }));
		const result = await runAgainst(
			server,
			getMany({ twoFactorStatus: 'notEnabled', limit: 3, additionalFields: { serverSideFilter: true } }),
		);
		expect(server.requests.map((request) => searchOf(request).numberOfResults)).toEqual([3, 3]);
		expect(ids(outputJson(result))).toEqual([0, 2, 3]);
	});
});

describe('items and errors', () => {
	test('each input item gets its own users, paired with it', async () => {
		server.respondWith((request) => {
			const domain = (searchOf(request).queryString ?? '').split('@')[1];
			return { status: 200, body: { total: 2, users: [makeUser(domain === 'a.com' ? 1 : 2, 'none'), makeUser(9, 'none')] } };
		});
		const result = await runAgainst(
			server,
			getMany({ returnAll: true, additionalFields: { queryString: '={{ "email:*@" + $json.domain }}' } }),
			{ items: [{ domain: 'a.com' }, { domain: 'b.com' }] },
		);
		expect(result.output.map((item) => [Number((item.json.id as string).slice(-12)), item.pairedItem])).toEqual([
			[1, { item: 0 }],
			[9, { item: 0 }],
			[2, { item: 1 }],
			[9, { item: 1 }],
		]);
	});

	test("a failing page fails the item in FusionAuth's words, after no further request", async () => {
		const search = userSearch({ count: 300, shapeOf: () => 'none' });
		server.respondWith((request) =>
			searchOf(request).startRow === 100
				? { status: 400, body: { fieldErrors: { 'search.queryString': [{ code: '[invalid]search.queryString', message: 'The query is invalid.' }] } } }
				: search(request),
		);
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'any', returnAll: true }));
		expect(server.requests).toHaveLength(2);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('FusionAuth rejected the request: The query is invalid.');
		expect(result.error?.description).toBe('search.queryString: The query is invalid. [invalid]search.queryString');
		expect(result.output).toEqual([]);
	});

	test('a server that hands back the same token and page again stops the paging with an error', async () => {
		server.respondWith({
			status: 200,
			body: { total: 10_000, users: Array.from({ length: 100 }, (_, index) => makeUser(index, 'none')), nextResults: 'c2FtZQ' },
		});
		const result = await runAgainst(server, getMany({ twoFactorStatus: 'any', returnAll: true }));
		expect(server.requests).toHaveLength(2);
		expect(result.error?.message).toBe(
			"Get Many Users got the same page of users twice from FusionAuth (page 2): paging stopped, as it would never end. Check the search engine's configuration, or set a Limit [item 0]",
		);
	});

	test('only users: entries that are not objects are skipped', async () => {
		server.respondWith({ status: 200, body: { total: 3, users: [null, 'x', { id: USER_ID }] } });
		const result = await runAgainst(server, getMany({ returnAll: true }));
		expect(outputJson(result)).toEqual([{ id: USER_ID, twoFactorEnabled: false, twoFactorMethods: [] }]);
	});
});
