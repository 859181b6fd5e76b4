/**
 * Case 9: what an error keeps of a body is short. A proxy's 52 MB error page must not end up whole
 * in the error's context, and so in the execution data n8n stores.
 */
import { useHostileServer } from '../harness/lifecycle';
import { runAt, USER_ID } from './support';

const server = useHostileServer();

test('a 52 MB HTML 502 page: the error keeps at most a few KB of it, and the run stays small', async () => {
	const chunk = `<p>${'proxy error '.repeat(80)}</p>\n`;
	const repeats = Math.ceil((52 * 1024 * 1024) / chunk.length);
	server.respondWith(async (_, response) => {
		response.writeHead(502, { 'Content-Type': 'text/html' });
		for (let index = 0; index < repeats && !response.destroyed; index++) {
			if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
		}
		response.end();
	});
	const result = await runAt(server.url, { resource: 'user', operation: 'get', userId: USER_ID });
	expect(result.error?.message).toBe('FusionAuth is not reachable behind its proxy (502)');
	const data = (result.error?.context as { data?: { truncatedBody?: string } }).data;
	expect(data?.truncatedBody?.startsWith('<p>proxy error')).toBe(true);
	// 2 KB, as the README says, and the ellipsis that marks the cut.
	expect(data!.truncatedBody!.length).toBeLessThanOrEqual(2048 + 3);
	expect(JSON.stringify(result.run).length).toBeLessThan(64 * 1024);
});

test("FusionAuth's own JSON error body is kept as it is", async () => {
	const body = { generalErrors: [{ code: '[invalid]methodId', message: 'The methodId is not valid.' }] };
	server.respondWith((_, response) => {
		response.writeHead(400, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify(body));
	});
	const result = await runAt(server.url, { resource: 'twoFactor', operation: 'disable', userId: USER_ID, methodId: 'nope', code: '1' });
	expect(result.error?.message).toBe('FusionAuth rejected the request: The methodId is not valid.');
	expect((result.error?.context as { data?: unknown }).data).toEqual(body);
});
