/**
 * Case 1: FusionAuth's API never redirects, so the node follows no redirect. A server that answers
 * 3xx (a proxy, a man in the middle, a wrong base URL) gets the request once, and nothing of it,
 * neither the API key, the JWT, the tenant nor the body, reaches the place it points to.
 */
import { useHostileServer, useServer } from '../harness/lifecycle';
import { HostileServer } from '../harness/hostileServer';
import { API_KEY, errors, JWT, runAt, stateChanging, TENANT_ID } from './support';

const fusionAuth = useHostileServer();
// Another origin (another port): where a redirect would carry the credentials.
const elsewhere = useServer(() => HostileServer.start());

beforeEach(() => elsewhere.reset());

describe.each([300, 301, 302, 303, 307, 308])('a %i redirect to another origin', (status) => {
	test.each(stateChanging)('$title: sent once, nothing reaches the other origin, the error says where it pointed', async ({ apiVersion, parameters }) => {
		fusionAuth.respondWith((_, response) => {
			response.writeHead(status, { Location: `${elsewhere.url}/steal/it?key=${API_KEY}#x` });
			response.end('<html>moved</html>');
		});
		const result = await runAt(fusionAuth.url, { ...parameters, apiVersion }, { onError: 'continueRegularOutput' });

		expect(elsewhere.requests).toHaveLength(0);
		expect(fusionAuth.requests).toHaveLength(1);
		expect(result.output).toHaveLength(1);
		const [error] = errors(result);
		expect(error.message).toBe(
			`FusionAuth answered ${status}, a redirect to ${elsewhere.url}/steal/it, which the node does not follow: nothing was sent there`,
		);
		// The location's query (here holding the key) is left out, as is everything secret.
		for (const secret of [API_KEY, JWT, TENANT_ID, 'RECOV-ERYCD']) {
			expect(JSON.stringify(result.output)).not.toContain(secret);
		}
	});
});

test.each([
	[304, undefined],
	[302, undefined],
	[300, ''],
])('a %i without a Location fails the item too', async (status, location) => {
	fusionAuth.respondWith((_, response) => {
		response.writeHead(status, location === undefined ? {} : { Location: location });
		response.end();
	});
	const result = await runAt(fusionAuth.url, stateChanging[0].parameters, { onError: 'continueRegularOutput' });
	expect(errors(result).map((error) => error.message)).toEqual([
		`FusionAuth answered ${status}, a redirect, which the node does not follow`,
	]);
	expect(fusionAuth.requests).toHaveLength(1);
});

test('a redirect on the same host to a path outside /api/ is not followed either', async () => {
	fusionAuth.respondWith((request, response) => {
		if (request.path.startsWith('/api/')) {
			response.writeHead(302, { Location: '/admin/keys' });
			response.end();
		} else {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end('{"secret":"from-outside-api"}');
		}
	});
	const result = await runAt(fusionAuth.url, { resource: 'secret', operation: 'generate' }, { onError: 'continueRegularOutput' });
	expect(fusionAuth.requests.map((request) => request.path)).toEqual(['/api/two-factor/secret']);
	expect(errors(result)[0].message).toBe(
		`FusionAuth answered 302, a redirect to ${fusionAuth.url}/admin/keys, which the node does not follow: nothing was sent there`,
	);
});

test('a 307 to itself does not repeat a POST', async () => {
	fusionAuth.respondWith((request, response) => {
		response.writeHead(307, { Location: request.url });
		response.end();
	});
	await runAt(fusionAuth.url, stateChanging[0].parameters, { onError: 'continueRegularOutput' });
	expect(fusionAuth.requests).toHaveLength(1);
});

test('a redirect is not retried, whatever Retries says', async () => {
	fusionAuth.respondWith((_, response) => {
		response.writeHead(301, { Location: `${elsewhere.url}/` });
		response.end();
	});
	await runAt(
		fusionAuth.url,
		{ resource: 'secret', operation: 'generate', options: { retries: 3, retryDelay: 100 } },
		{ onError: 'continueRegularOutput' },
	);
	expect(fusionAuth.requests).toHaveLength(1);
	expect(elsewhere.requests).toHaveLength(0);
});
