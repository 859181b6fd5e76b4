import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { RecordedRequest, Reply } from '../../harness/recordingServer';
import { runNode } from '../../harness/n8n';
import type { SeedUser } from '../../simulator/server';
import { startSimulator } from '../../simulator/server';
import { API_KEY, TENANT_ID, wire } from '../support';
import { describeOperation, runOperation } from '../table';

const report = (parameters: IDataObject = {}): INodeParameters => ({ resource: 'report', operation: 'mfaCoverage', ...parameters }) as INodeParameters;

interface Search {
	queryString?: string;
	numberOfResults?: number;
	startRow?: number;
	nextResults?: string;
	accurateTotal?: boolean;
	sortFields?: unknown;
}
const searchOf = (request: RecordedRequest): Search => (request.body as { search: Search }).search;

const TENANTS = ['10000000-0000-4000-8000-000000000000', '20000000-0000-4000-8000-000000000000'];
const APP_A = 'a0000000-0000-4000-8000-00000000000a';
const APP_B = 'b0000000-0000-4000-8000-00000000000b';

/** User i of the paging directory: two tenants, app A for all and B for every third, a method mix by i % 10. */
function directoryUser(index: number): IDataObject {
	const methods = [['authenticator'], ['authenticator'], ['authenticator'], ['sms'], ['email', 'authenticator'], ['voice']][index % 10] ?? [];
	return {
		id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
		tenantId: TENANTS[index % 2],
		registrations: [{ applicationId: APP_A }, ...(index % 3 === 0 ? [{ applicationId: APP_B }] : [])],
		// Users without methods come in the three shapes FusionAuth versions use.
		...(methods.length > 0 ? { twoFactor: { methods: methods.map((method, n) => ({ id: `M${n}`, method })) } } : index % 3 === 1 ? { twoFactor: {} } : index % 3 === 2 ? { twoFactor: { methods: [] } } : {}),
	};
}

/** The database engine's answers over `count` users: startRow paging, an exact total. */
function databaseDirectory(count: number, makeUser = directoryUser): (request: RecordedRequest) => Reply {
	return (request) => {
		const search = searchOf(request);
		const from = search.startRow ?? 0;
		const end = Math.min(count, from + (search.numberOfResults ?? 25));
		const users: IDataObject[] = [];
		for (let index = from; index < end; index++) users.push(makeUser(index));
		return { status: 200, body: { total: count, users } };
	};
}

// 2,500 users of directoryUser, counted by hand: with two factor i % 10 in 0-5; per tenant the even
// and odd halves; app B the 834 multiples of three, 500 of them with two factor.
const DIRECTORY_REPORT = {
	users: 2500,
	withTwoFactor: 1500,
	withoutTwoFactor: 1000,
	percentWithTwoFactor: 60,
	byMethod: { authenticator: 1000, email: 250, sms: 250, voice: 250 },
};

/** Elasticsearch's counts for each query the report sends (the totals FusionAuth would give). */
const COUNTS = new Map<string, number>(Object.entries({
	'*': 2500,
	'_exists_:twoFactor.methods': 1500,
	'twoFactor.methods.method:authenticator': 1000,
	'twoFactor.methods.method:email': 250,
	'twoFactor.methods.method:sms': 250,
	'twoFactor.methods.method:voice': 250,
	'twoFactorEnabled:true': 900,
	'twoFactorEnabled:true AND twoFactorDelivery:TextMessage': 300,
	'active:true': 2000,
	'(active:true) AND _exists_:twoFactor.methods': 1000,
	'(active:true) AND twoFactor.methods.method:authenticator': 700,
	'(active:true) AND twoFactor.methods.method:email': 200,
	'(active:true) AND twoFactor.methods.method:sms': 100,
	'(active:true) AND twoFactor.methods.method:voice': 0,
}));
const elasticsearchCounts = (request: RecordedRequest): Reply => {
	const query = searchOf(request).queryString ?? '';
	return COUNTS.has(query)
		? { status: 200, body: { total: COUNTS.get(query), users: [directoryUser(0)] } }
		: { status: 400, body: { fieldErrors: { 'search.queryString': [{ code: '[invalid]search.queryString', message: `Unexpected query ${query}` }] } } };
};

const pick = ({ users, withTwoFactor, withoutTwoFactor, percentWithTwoFactor }: IDataObject) => ({ users, withTwoFactor, withoutTwoFactor, percentWithTwoFactor });

const ORDER = [
	{ name: 'insertInstant', order: 'asc' },
	{ name: 'id', order: 'asc' },
];

describeOperation({
	resource: 'report',
	operation: 'mfaCoverage',
	editor: {
		action: 'Report MFA coverage',
		panels: {
			current: { fields: ['searchEngine', 'additionalFields'], required: [] },
			legacy: { fields: ['searchEngine', 'additionalFields'], required: [] },
		},
	},
	samples: { current: report(), legacy: report() },
	answersWithBody: true,
	// The poisoned answer holds one enrolled user: an agent gets the counts and nothing of the user.
	agentOutput: {
		current: (output) =>
			expect(output).toEqual({ users: 1, withTwoFactor: 1, withoutTwoFactor: 0, percentWithTwoFactor: 100, byMethod: { authenticator: 1, email: 0, sms: 0, voice: 0 } }),
		legacy: (output) =>
			expect(output).toEqual({ users: 1, withTwoFactor: 1, withoutTwoFactor: 0, percentWithTwoFactor: 100, byMethod: { authenticator: 1, email: 0, sms: 0, voice: 0 } }),
	},
	requests: [
		{
			name: 'database: first page = searchUsersByQuery, 1,000 users in a fixed order',
			parameters: report({ additionalFields: { queryString: 'active:true' } }),
			client: (client) =>
				client.searchUsersByQuery({ search: { queryString: 'active:true', numberOfResults: 1000, startRow: 0, sortFields: ORDER as never } }),
		},
		{
			name: 'legacy, database: first page = searchUsersByQuery',
			apiVersion: 'legacy',
			parameters: report(),
			client: (client) => client.searchUsersByQuery({ search: { queryString: '*', numberOfResults: 1000, startRow: 0, sortFields: ORDER as never } }),
		},
	],
	outputs: [
		{
			name: 'database: counts page by page, 1,000 users a page, until the server is exhausted',
			parameters: report(),
			answer: databaseDirectory(2500),
			output: (output, requests) => {
				expect(requests.map(searchOf)).toEqual([0, 1000, 2000].map((startRow) => ({ queryString: '*', numberOfResults: 1000, startRow, sortFields: ORDER })));
				expect(output).toEqual([DIRECTORY_REPORT]);
			},
		},
		{
			name: 'database: per tenant and per application, each user once per application it is registered for',
			parameters: report({ additionalFields: { groupBy: ['tenant', 'application'] } }),
			answer: databaseDirectory(2500),
			output: [
				{
					...DIRECTORY_REPORT,
					byTenant: [
						{ tenantId: TENANTS[0], users: 1250, withTwoFactor: 750, withoutTwoFactor: 500, percentWithTwoFactor: 60 },
						{ tenantId: TENANTS[1], users: 1250, withTwoFactor: 750, withoutTwoFactor: 500, percentWithTwoFactor: 60 },
					],
					byApplication: [
						{ applicationId: APP_A, users: 2500, withTwoFactor: 1500, withoutTwoFactor: 1000, percentWithTwoFactor: 60 },
						{ applicationId: APP_B, users: 834, withTwoFactor: 500, withoutTwoFactor: 334, percentWithTwoFactor: 60 },
					],
				},
			],
		},
		{
			name: 'a user registered twice for one application counts once there; a percentage keeps one decimal',
			parameters: report({ additionalFields: { groupBy: ['application'] } }),
			answer: {
				status: 200,
				body: {
					total: 3,
					users: [
						{ id: 'u1', registrations: [{ applicationId: APP_A }, { applicationId: APP_A }], twoFactor: { methods: [{ method: 'sms' }, { method: 'sms' }] } },
						{ id: 'u2', registrations: [{ applicationId: APP_A }] },
						{ id: 'u3', registrations: [{ applicationId: APP_A }] },
					],
				},
			},
			output: [
				{
					users: 3,
					withTwoFactor: 1,
					withoutTwoFactor: 2,
					percentWithTwoFactor: 33.3,
					byMethod: { authenticator: 0, email: 0, sms: 1, voice: 0 },
					byApplication: [{ applicationId: APP_A, users: 3, withTwoFactor: 1, withoutTwoFactor: 2, percentWithTwoFactor: 33.3 }],
				},
			],
		},
		{
			name: 'no users: zeros, no division by zero',
			parameters: report({ additionalFields: { groupBy: ['tenant'] } }),
			answer: { status: 200, body: { total: 0, users: [] } },
			output: [{ users: 0, withTwoFactor: 0, withoutTwoFactor: 0, percentWithTwoFactor: 0, byMethod: { authenticator: 0, email: 0, sms: 0, voice: 0 }, byTenant: [] }],
		},
		{
			name: 'legacy: twoFactorEnabled, and the delivery tells text messages from authenticator apps',
			apiVersion: 'legacy',
			parameters: report(),
			answer: {
				status: 200,
				body: {
					total: 4,
					users: [
						{ id: 'u1', twoFactorEnabled: true, twoFactorDelivery: 'None' },
						{ id: 'u2', twoFactorEnabled: true, twoFactorDelivery: 'TextMessage' },
						{ id: 'u3', twoFactorEnabled: false, twoFactorDelivery: 'TextMessage' },
						{ id: 'u4' },
					],
				},
			},
			output: [{ users: 4, withTwoFactor: 2, withoutTwoFactor: 2, percentWithTwoFactor: 50, byMethod: { authenticator: 1, email: 0, sms: 1, voice: 0 } }],
		},
		{
			name: 'elasticsearch: six counts with accurateTotal, one user each, whatever the number of users',
			parameters: report({ searchEngine: 'elasticsearch' }),
			answer: elasticsearchCounts,
			output: (output, requests) => {
				expect(requests.map(searchOf)).toEqual(
					['*', '_exists_:twoFactor.methods', ...['authenticator', 'email', 'sms', 'voice'].map((method) => `twoFactor.methods.method:${method}`)].map(
						(queryString) => ({ queryString, numberOfResults: 1, startRow: 0, accurateTotal: true }),
					),
				);
				expect(output).toEqual([DIRECTORY_REPORT]);
			},
		},
		{
			name: 'elasticsearch: the query string narrows every count',
			parameters: report({ searchEngine: 'elasticsearch', additionalFields: { queryString: 'active:true' } }),
			answer: elasticsearchCounts,
			output: [{ users: 2000, withTwoFactor: 1000, withoutTwoFactor: 1000, percentWithTwoFactor: 50, byMethod: { authenticator: 700, email: 200, sms: 100, voice: 0 } }],
		},
		{
			name: 'legacy, elasticsearch: twoFactorEnabled and twoFactorDelivery counted',
			apiVersion: 'legacy',
			parameters: report({ searchEngine: 'elasticsearch' }),
			answer: elasticsearchCounts,
			output: (output, requests) => {
				expect(requests.map((request) => searchOf(request).queryString)).toEqual(['*', 'twoFactorEnabled:true', 'twoFactorEnabled:true AND twoFactorDelivery:TextMessage']);
				expect(output).toEqual([{ users: 2500, withTwoFactor: 900, withoutTwoFactor: 1600, percentWithTwoFactor: 36, byMethod: { authenticator: 600, email: 0, sms: 300, voice: 0 } }]);
			},
		},
		{
			name: 'elasticsearch with Group By: counted page by page, past the 10,000-result window with nextResults',
			parameters: report({ searchEngine: 'elasticsearch', additionalFields: { groupBy: ['tenant'] } }),
			answer: (request) => {
				const search = searchOf(request);
				const from = search.nextResults !== undefined ? Number(Buffer.from(search.nextResults, 'base64url').toString()) : (search.startRow ?? 0);
				const end = Math.min(12_345, from + (search.numberOfResults ?? 25));
				const users = Array.from({ length: end - from }, (_, n) => directoryUser(from + n));
				return { status: 200, body: { total: 10_000, users, ...(users.length > 0 ? { nextResults: Buffer.from(String(end)).toString('base64url') } : {}) } };
			},
			output: (output, requests) => {
				expect(requests).toHaveLength(13);
				expect(searchOf(requests[1])).toEqual({ nextResults: expect.any(String), numberOfResults: 1000 });
				expect(output[0]).toMatchObject({ users: 12_345 });
				expect((output[0].byTenant as IDataObject[]).map((group) => group.users)).toEqual([6173, 6172]);
			},
		},
	],
	errors: [
		{
			name: 'a Group By value the node does not offer fails before any request',
			parameters: report({ additionalFields: { groupBy: ['country'] } }),
			message: 'Group By must be one of "tenant", "application", not "country" [item 0]',
		},
		{
			name: 'a search engine the node does not offer fails before any request',
			parameters: report({ searchEngine: 'solr' }),
			message: 'Search Engine must be one of "database", "elasticsearch", not "solr" [item 0]',
		},
		{
			name: 'elasticsearch: an answer without a total fails the item instead of counting nothing',
			parameters: report({ searchEngine: 'elasticsearch' }),
			answer: { status: 200, body: { users: [] } },
			message: 'MFA Coverage got a search answer without a total: not what FusionAuth sends [item 0]',
		},
		{
			name: 'a server that hands the same page again stops the count with an error, never a count of the users so far',
			parameters: report(),
			answer: { status: 200, body: { total: 5000, users: Array.from({ length: 1000 }, (_, index) => directoryUser(index)) } },
			message:
				"MFA Coverage got the same page of users twice from FusionAuth (page 2): paging stopped, as it would never end. Check the search engine's configuration [item 0]",
			requests: 2,
		},
	],
	statuses: [
		{ name: 'database', parameters: report(), statuses: [400, 401, 500, 503] },
		{ name: 'elasticsearch', parameters: report({ searchEngine: 'elasticsearch' }), statuses: [400, 401, 500, 503] },
	],
	more: (server) => {
		test('elasticsearch: each count = searchUsersByQuery with accurateTotal and one user', async () => {
			server.respondWith(elasticsearchCounts);
			const result = await runOperation(server.url, 'current', report({ searchEngine: 'elasticsearch', additionalFields: { queryString: 'active:true' } }));
			expect(result.error).toBeUndefined();
			const fromNode = server.requests.map(wire);
			expect(fromNode).toHaveLength(6);
			server.reset();
			const client = new FusionAuthClient(API_KEY, server.url, TENANT_ID);
			for (const clause of ['', ' AND _exists_:twoFactor.methods', ...['authenticator', 'email', 'sms', 'voice'].map((method) => ` AND twoFactor.methods.method:${method}`)]) {
				const queryString = clause === '' ? 'active:true' : `(active:true)${clause}`;
				await client.searchUsersByQuery({ search: { queryString, numberOfResults: 1, startRow: 0, accurateTotal: true } });
			}
			expect(fromNode).toEqual(server.requests.map(wire));
		});

		// Against the simulator, whose Elasticsearch answers the query clauses as FusionAuth documents them.
		const seeds: SeedUser[] = Array.from({ length: 60 }, (_, index) => {
			const kind = index % 6;
			const methods =
				kind === 0
					? [{ method: 'authenticator' as const }]
					: kind === 1
						? [{ method: 'sms' as const, mobilePhone: '+15555550100' }]
						: kind === 2
							? [{ method: 'email' as const, email: `u${index}@example.com` }, { method: 'authenticator' as const }]
							: [];
			return {
				id: `c0000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
				email: `u${index}@example.com`,
				active: index % 4 !== 3,
				tenantId: TENANTS[index % 2],
				registrations: [index % 2 === 0 ? APP_A : APP_B],
				twoFactor: { methods },
				emptyTwoFactorAs: (['emptyObject', 'emptyMethods', 'absent'] as const)[index % 3],
			};
		});
		// 60 users, 30 with two factor (kinds 0-2): 20 authenticator + 10 of kind 2, 10 sms, 10 email.
		const expected = { users: 60, withTwoFactor: 30, withoutTwoFactor: 30, percentWithTwoFactor: 50, byMethod: { authenticator: 20, email: 10, sms: 10, voice: 0 } };

		test("the benchmark's population (users derived from their index): the same counts page by page on either engine and by Elasticsearch's counts", async () => {
			const database = await startSimulator({ searchEngine: 'database', population: { count: 12_345 } });
			const elasticsearch = await startSimulator({ searchEngine: 'elasticsearch', population: { count: 12_345 } });
			try {
				const run = async (simulator: typeof database, parameters: IDataObject) => {
					const result = await runNode({ parameters: report(parameters), credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey } });
					expect(result.error).toBeUndefined();
					return result.output[0].json;
				};
				const scanned = await run(database, {});
				expect(scanned.users).toBe(12_345);
				// About 30% with a second factor, by the population's mix.
				expect(scanned.percentWithTwoFactor).toBeGreaterThan(27);
				expect(scanned.percentWithTwoFactor).toBeLessThan(33);
				expect(await run(elasticsearch, { searchEngine: 'elasticsearch' })).toEqual(scanned);
				const grouped = await run(elasticsearch, { searchEngine: 'elasticsearch', additionalFields: { groupBy: ['tenant'] } });
				expect(grouped).toEqual({ ...scanned, byTenant: [{ tenantId: database.tenantId, ...pick(scanned) }] });
			} finally {
				await database.close();
				await elasticsearch.close();
			}
		}, 60_000);

		test.each(['database', 'elasticsearch'] as const)('the simulator with the %s engine: the same counts on both paths', async (engine) => {
			const simulator = await startSimulator({
				searchEngine: engine,
				tenants: TENANTS,
				applications: [
					{ id: APP_A, tenantId: TENANTS[0] },
					{ id: APP_B, tenantId: TENANTS[1] },
				],
				users: seeds,
			});
			try {
				const run = async (parameters: IDataObject) => {
					const result = await runNode({ parameters: report(parameters), credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey } });
					expect(result.error).toBeUndefined();
					return result.output.map((item) => item.json);
				};
				expect(await run({})).toEqual([expected]);
				expect(await run({ additionalFields: { groupBy: ['tenant', 'application'] } })).toEqual([
					{
						...expected,
						byTenant: [
							// Even users: kinds 0 and 2 (20 of 30); odd: kind 1 (10 of 30).
							{ tenantId: TENANTS[0], users: 30, withTwoFactor: 20, withoutTwoFactor: 10, percentWithTwoFactor: 66.7 },
							{ tenantId: TENANTS[1], users: 30, withTwoFactor: 10, withoutTwoFactor: 20, percentWithTwoFactor: 33.3 },
						],
						byApplication: [
							{ applicationId: APP_A, users: 30, withTwoFactor: 20, withoutTwoFactor: 10, percentWithTwoFactor: 66.7 },
							{ applicationId: APP_B, users: 30, withTwoFactor: 10, withoutTwoFactor: 20, percentWithTwoFactor: 33.3 },
						],
					},
				]);
				if (engine === 'elasticsearch') {
					const before = simulator.requests.length;
					expect(await run({ searchEngine: 'elasticsearch' })).toEqual([expected]);
					expect(simulator.requests.length - before).toBe(6);
					// active:false is every fourth user (index % 4 === 3): 15, of whom five are of kind 1 (7, 19, 31, 43, 55).
					expect(await run({ searchEngine: 'elasticsearch', additionalFields: { queryString: 'active:false' } })).toEqual(
						await run({ searchEngine: 'database', additionalFields: { queryString: 'active:false' } }),
					);
					expect((await run({ searchEngine: 'elasticsearch', additionalFields: { queryString: 'active:false' } }))[0]).toMatchObject({ users: 15, withTwoFactor: 5 });
				}
			} finally {
				await simulator.close();
			}
		});
	},
});
