/**
 * Case 6: Get Many with Return All always ends: on `total`, on a short page, on a page that
 * repeats an earlier one (an error), and at a ceiling of 10,000 search requests (an error).
 */
import { useHostileServer } from '../harness/lifecycle';
import { errors, runAt } from './support';

const server = useHostileServer();

const enrolled = (id: number) => ({
	id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
	twoFactor: { methods: [{ id: 'M1', method: 'authenticator' }] },
});

/** Answers each search with a full page of 100 new users, never with total or nextResults. */
function endlessPages(): void {
	let next = 0;
	server.respondWith((_, response) => {
		const users = Array.from({ length: 100 }, () => enrolled(next++));
		response.writeHead(200, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify({ users }));
	});
}

test('full pages of new users without total or nextResults stop at 10,000 requests, with an error', async () => {
	endlessPages();
	// Only users without two factor are wanted, and every user has it: the node holds no users.
	const result = await runAt(server.url, { resource: 'user', operation: 'getMany', twoFactorStatus: 'notEnabled', returnAll: true, options: { concurrency: 1 } }, { onError: 'continueRegularOutput' });
	expect(server.requests).toHaveLength(10_000);
	expect(errors(result)).toEqual([
		{
			message: 'Get Many Users stopped after 10,000 search requests (0 matching users so far): narrow the Query String, or set a Limit [item 0]',
			description: '',
		},
	]);
}, 180_000);

test('full pages that repeat: an error at the first repeat, not a loop', async () => {
	server.respondWith((_, response) => {
		response.writeHead(200, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify({ users: Array.from({ length: 100 }, (__, index) => enrolled(index)) }));
	});
	const result = await runAt(server.url, { resource: 'user', operation: 'getMany', twoFactorStatus: 'any', returnAll: true }, { onError: 'continueRegularOutput' });
	expect(server.requests).toHaveLength(2);
	expect(errors(result)[0].message).toBe(
		"Get Many Users got the same page of users twice from FusionAuth (page 2): paging stopped, as it would never end. Check the search engine's configuration, or set a Limit [item 0]",
	);
});

test('a short page ends the paging, without total', async () => {
	let page = 0;
	server.respondWith((_, response) => {
		const users = Array.from({ length: page === 0 ? 100 : 7 }, (__, index) => enrolled(page * 100 + index));
		page++;
		response.writeHead(200, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify({ users }));
	});
	const result = await runAt(server.url, { resource: 'user', operation: 'getMany', twoFactorStatus: 'any', returnAll: true });
	expect(server.requests).toHaveLength(2);
	expect(result.output).toHaveLength(107);
});

test('users that is not a list fails the item instead of reading as no users', async () => {
	server.respondWith((_, response) => {
		response.writeHead(200, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify({ total: 5, users: { id: 'x' } }));
	});
	const result = await runAt(server.url, { resource: 'user', operation: 'getMany', returnAll: true }, { onError: 'continueRegularOutput' });
	expect(errors(result)[0].message).toBe(
		'Get Many Users got a search answer whose users is not a list (page 1): not what FusionAuth sends [item 0]',
	);
});
