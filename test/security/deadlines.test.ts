/**
 * Cases 3 and 4: Timeout is a deadline for the whole exchange (connecting, headers and the whole
 * body), an answer has a size limit, and a failure after the request went out says that
 * FusionAuth may already have acted; "could not connect" only when no connection was made.
 */
import { useHostileServer } from '../harness/lifecycle';
import { unusedPort } from '../harness/ports';
import { errors, runAt, USER_ID } from './support';

const server = useHostileServer();

const secretGenerate = { resource: 'secret', operation: 'generate' };
const sendCode = { resource: 'code', operation: 'send', userId: USER_ID, method: 'email', email: 'jane@example.com' };

describe('Timeout bounds the whole exchange', () => {
	test('a body that trickles one byte every 200 ms fails at the deadline, as a timeout, and is not sent again', async () => {
		server.respondWith((_, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.write('{');
			server.every(200, () => response.write(' ') && !response.destroyed);
		});
		// Without a deadline this would never end: the body goes on for as long as the test runs.
		const result = await runAt(server.url, { ...secretGenerate, options: { timeout: 1, retries: 3, retryDelay: 100 } }, { onError: 'continueRegularOutput' });
		expect(errors(result)).toEqual([
			{
				message: `FusionAuth at ${server.url} answered 200 but did not finish its answer within 1 s`,
				description: 'GET /api/two-factor/secret timed out. The request may still have been carried out by FusionAuth.',
			},
		]);
		expect(server.requests).toHaveLength(1);
	});

	test('headers, then silence: the same', async () => {
		server.respondWith((_, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.flushHeaders();
		});
		const result = await runAt(server.url, { ...sendCode, options: { timeout: 1.5 } }, { onError: 'continueRegularOutput' });
		expect(errors(result)[0].message).toBe(`FusionAuth at ${server.url} answered 200 but did not finish its answer within 1.5 s`);
		expect(server.requests).toHaveLength(1);
	});

	test('no headers at all: a timeout, never sent again', async () => {
		server.respondWith(() => undefined);
		const result = await runAt(server.url, { ...sendCode, options: { timeout: 1.5, retries: 2, retryDelay: 100 } }, { onError: 'continueRegularOutput' });
		expect(errors(result)[0].message).toBe(`FusionAuth at ${server.url} did not answer within 1.5 s`);
		expect(server.requests).toHaveLength(1);
	});

	test('an endless fast body stops at the size limit (16 MiB), with a clear error', async () => {
		const chunk = Buffer.alloc(256 * 1024, 0x20);
		server.respondWith((_, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.write('{"secret":"');
			const pump = () => {
				while (!response.destroyed && response.write(chunk));
				if (!response.destroyed) response.once('drain', pump);
			};
			pump();
		});
		const result = await runAt(server.url, { ...secretGenerate, options: { timeout: 60 } }, { onError: 'continueRegularOutput' });
		expect(errors(result)[0].message).toBe("FusionAuth's answer to GET /api/two-factor/secret was larger than 16 MiB: not read further");
		expect(server.requests).toHaveLength(1);
	});
});

describe('failures after the request went out', () => {
	test('a reset in the middle of the body, after FusionAuth acted: says it may have acted, and the POST is not sent again', async () => {
		server.respondWith((_, response, socket) => {
			response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
			response.write('{"partial":');
			setImmediate(() => socket.destroy());
		});
		const result = await runAt(server.url, { ...sendCode, options: { retries: 3, retryDelay: 100 } }, { onError: 'continueRegularOutput' });
		expect(errors(result)).toEqual([
			{
				message: `The answer of FusionAuth at ${server.url} broke off after status 200`,
				description:
					"POST /api/two-factor/send: the connection closed in the middle of the answer.\nNot sent again: FusionAuth may already have acted on this POST. Check the user's state before running this item again.",
			},
		]);
		expect(server.requests).toHaveLength(1);
	});

	test('a reset before any answer: not "could not connect", and the POST is not sent again', async () => {
		server.respondWith((_, __, socket) => {
			socket.destroy();
		});
		const result = await runAt(server.url, { ...sendCode, options: { retries: 3, retryDelay: 100 } }, { onError: 'continueRegularOutput' });
		const [error] = errors(result);
		expect(error.message).toBe(`The connection to FusionAuth at ${server.url} broke before it answered`);
		expect(error.description).toMatch(/, after the request was sent\.\nNot sent again: FusionAuth may already have acted on this POST\./);
		expect(server.requests).toHaveLength(1);
	});

	test('a GET whose body broke off is asked again (reading twice is harmless) and succeeds', async () => {
		let calls = 0;
		server.respondWith((_, response, socket) => {
			calls++;
			response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '200' });
			if (calls === 1) {
				response.write('{"secret":');
				setImmediate(() => socket.destroy());
			} else {
				const body = '{"secret":"DlOdmbsOiI4Nk7n3oUIhOw==","secretBase32Encoded":"BZJ53GNMB2EI4DMTXH52CQRBHM"}';
				response.end(body.padEnd(200, ' '));
			}
		});
		const result = await runAt(server.url, { ...secretGenerate, options: { retries: 1, retryDelay: 100 } });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.secret).toBe('DlOdmbsOiI4Nk7n3oUIhOw==');
		expect(server.requests).toHaveLength(2);
	});

	test('"Could not connect" only when no connection was made, and then it says nothing was sent', async () => {
		const port = await unusedPort();
		const result = await runAt(`http://127.0.0.1:${port}`, sendCode, { onError: 'continueRegularOutput' });
		expect(errors(result)).toEqual([
			{
				message: `Could not connect to FusionAuth at http://127.0.0.1:${port}`,
				description:
					'POST /api/two-factor/send: the connection was refused; check the Base URL and that FusionAuth is running (ECONNREFUSED). Nothing was sent.',
			},
		]);
	});
});
