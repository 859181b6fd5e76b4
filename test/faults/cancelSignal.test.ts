/**
 * An answer's body is read within the deadline and the execution's cancel signal, without adding
 * to that signal: it is one per execution, shared by every request in flight (n8n puts it on
 * authenticated requests in place of the node's own), and each listener on it makes adding the
 * next one slower. The body arrives as n8n's helpers give it with `encoding: 'stream'`.
 */
import { getEventListeners } from 'node:events';
import { PassThrough } from 'node:stream';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { exchange } from '../../dist/nodes/shared/send';
import type { SentResponse } from '../../dist/nodes/shared/send';

const turn = async () => await new Promise((resolve) => setImmediate(resolve));

/** A helper that answers at once with headers and a body still to come. */
function answering(body: PassThrough) {
	const sent: IHttpRequestOptions[] = [];
	const send = async (options: IHttpRequestOptions): Promise<SentResponse> => {
		sent.push(options);
		return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
	};
	return { send, sent };
}

const outgoing = { method: 'GET' as const, url: 'http://fusionauth.invalid/api/two-factor/secret' };

describe("reading an answer's body under the execution's cancel signal", () => {
	test('while the body is read, no listener of the request is on the cancel signal; the answer is read whole', async () => {
		const cancel = new AbortController();
		const body = new PassThrough();
		const { send } = answering(body);
		const pending = exchange(send, outgoing, { timeoutMs: 5000, maxBodyBytes: 1024, cancel: cancel.signal });
		await turn();
		body.write('{"secret":');
		await turn();
		expect(getEventListeners(cancel.signal, 'abort')).toHaveLength(0);
		body.end('"c2VjcmV0"}');
		const exchanged = await pending;
		expect(exchanged).toMatchObject({ outcome: 'answer', statusCode: 200, body: { kind: 'json', value: { secret: 'c2VjcmV0' } } });
		expect(getEventListeners(cancel.signal, 'abort')).toHaveLength(0);
	});

	test('a cancel in the middle of the body ends the read at once and ends the body', async () => {
		const cancel = new AbortController();
		const body = new PassThrough();
		const { send } = answering(body);
		const pending = exchange(send, outgoing, { timeoutMs: 5000, maxBodyBytes: 1024, cancel: cancel.signal });
		await turn();
		body.write('{"secret":');
		await turn();
		const started = Date.now();
		cancel.abort();
		const exchanged = await pending;
		expect(Date.now() - started).toBeLessThan(1000);
		expect(exchanged).toMatchObject({ outcome: 'failed', phase: 'body', statusCode: 200 });
		expect(body.destroyed).toBe(true);
	});

	test('the deadline in the middle of the body still ends it as a deadline (ETIMEDOUT), with a cancel signal given', async () => {
		const cancel = new AbortController();
		const body = new PassThrough();
		const { send } = answering(body);
		const pending = exchange(send, outgoing, { timeoutMs: 150, maxBodyBytes: 1024, cancel: cancel.signal });
		await turn();
		body.write('{"secret":');
		const exchanged = await pending;
		expect(exchanged).toMatchObject({ outcome: 'failed', phase: 'deadline', statusCode: 200, code: 'ETIMEDOUT' });
		expect(body.destroyed).toBe(true);
		expect(cancel.signal.aborted).toBe(false);
	});
});
