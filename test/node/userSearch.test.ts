import type { INodeListSearchResult, INodeType } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { listSearch } from '../harness/listSearch';
import { loadedPackage, NODE_TYPE, TestNodeTypes } from '../harness/n8n';
import { API_KEY, TENANT_ID, wire } from '../operations/support';

const server = useRecordingServer({ status: 200, body: { total: 0, users: [] } });

async function search(filter?: string, paginationToken?: string, tenantId = TENANT_ID): Promise<INodeListSearchResult> {
	return await listSearch('searchUsers', { baseUrl: server.url, apiKey: API_KEY, tenantId }, { filter, paginationToken });
}

const user = (id: string, fields: Record<string, unknown>) => ({ id, ...fields });

describe('From List: the user search behind the picker', () => {
	test('the search method the locator names is the one the node has', () => {
		const type = new TestNodeTypes(loadedPackage()).getByNameAndVersion(NODE_TYPE, 1) as INodeType;
		const locators = type.description.properties.filter((property) => property.name === 'userId');
		expect(locators.length).toBeGreaterThan(0);
		for (const property of locators) {
			const list = property.modes?.find((mode) => mode.name === 'list');
			expect(list?.typeOptions).toEqual({ searchListMethod: 'searchUsers', searchable: true });
			expect(typeof type.methods?.listSearch?.[list!.typeOptions!.searchListMethod!]).toBe('function');
		}
	});

	test('typed text is searched anywhere (FusionAuth wildcards), 25 at a time, with the API key and tenant', async () => {
		await search('jane');
		expect(wire(server.requests[0])).toEqual({
			method: 'POST',
			path: '/api/user/search',
			query: {},
			authorization: API_KEY,
			tenantId: TENANT_ID,
			contentType: 'application/json',
			body: { search: { queryString: '*jane*', numberOfResults: 25, startRow: 0 } },
		});
	});

	test.each([
		[undefined, '*'],
		['  ', '*'],
		['jane*', 'jane*'],
		['email:jane@example.com', 'email:jane@example.com'],
		['Jane Doe', 'Jane Doe'],
	])('%j is sent as the query string %j', async (filter, queryString) => {
		await search(filter);
		expect((server.requests[0].body as { search: { queryString: string } }).search.queryString).toBe(queryString);
	});

	test('shows email or username with the full name, the ID as the value, and pages on with startRow', async () => {
		server.respondWith({
			status: 200,
			body: {
				total: 27,
				users: [
					user('00000000-0000-4000-8000-000000000001', { email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe' }),
					user('00000000-0000-4000-8000-000000000002', { username: 'max', fullName: 'Max Power' }),
					user('00000000-0000-4000-8000-000000000003', { email: 'nora@example.com' }),
					{ email: 'no-id@example.com' },
				],
			},
		});
		const first = await search('', '23');
		expect(first).toEqual({
			results: [
				{ name: 'jane@example.com (Jane Doe)', value: '00000000-0000-4000-8000-000000000001' },
				{ name: 'max (Max Power)', value: '00000000-0000-4000-8000-000000000002' },
				{ name: 'nora@example.com', value: '00000000-0000-4000-8000-000000000003' },
			],
		});
		expect((server.requests[0].body as { search: { startRow: number } }).search.startRow).toBe(23);

		server.reset();
		const page = await search('', undefined);
		expect(page.paginationToken).toBe('4');
	});

	test("FusionAuth's errors reach the picker in FusionAuth's words, without the key", async () => {
		server.respondWith({ status: 401 });
		await expect(search('jane')).rejects.toThrow('FusionAuth rejected the API key');
		server.respondWith({
			status: 400,
			body: { generalErrors: [{ code: '[TenantIdRequired]', message: 'A Tenant Id is required to complete this request.' }] },
		});
		const error = await search('jane', undefined, '').catch((caught: Error) => caught);
		expect((error as Error).message).toBe('FusionAuth needs a tenant: set Tenant ID in the FusionAuth credential');
		expect(JSON.stringify(error)).not.toContain(API_KEY);
	});
});
