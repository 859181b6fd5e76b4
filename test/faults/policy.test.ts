/**
 * The retry policy as a table: what may be sent again, how long to wait, and that the Options
 * collection offers the same defaults the transport uses.
 */
import type { INodeProperties } from 'n8n-workflow';

import { loadedPackage, NODE_TYPE } from '../harness/n8n';
import {
	backoffMs,
	isRepeatable,
	mayRetryConnection,
	parseRetryAfter,
} from '../../dist/nodes/FusionAuthTwoFactor/transport';

describe('which failed connections are sent again', () => {
	const cases: Array<[string, 'GET' | 'PUT' | 'POST' | 'DELETE', boolean | undefined, boolean]> = [
		['ECONNREFUSED', 'POST', undefined, true],
		['ECONNREFUSED', 'DELETE', undefined, true],
		['EAI_AGAIN', 'POST', undefined, true],
		['EHOSTUNREACH', 'POST', undefined, true],
		['ECONNRESET', 'GET', undefined, true],
		['ECONNRESET', 'PUT', undefined, true],
		['ECONNRESET', 'POST', undefined, false],
		['ECONNRESET', 'DELETE', undefined, false],
		['ECONNRESET', 'POST', true, true],
		['EPIPE', 'POST', undefined, false],
		['EPIPE', 'GET', undefined, true],
		['ETIMEDOUT', 'GET', undefined, false],
		['ECONNABORTED', 'GET', undefined, false],
		['ENOTFOUND', 'GET', undefined, false],
		['DEPTH_ZERO_SELF_SIGNED_CERT', 'GET', undefined, false],
		['ERR_CANCELED', 'GET', undefined, false],
	];
	test.each(cases)('%s on %s (repeatable: %s) -> %s', (code, method, repeatable, expected) => {
		expect(mayRetryConnection({ method, repeatable }, code)).toBe(expected);
	});

	test('GET and PUT are repeatable by default; POST and DELETE only when marked', () => {
		expect(['GET', 'PUT', 'POST', 'DELETE'].map((method) => isRepeatable({ method: method as 'GET' }))).toEqual([
			true,
			true,
			false,
			false,
		]);
		expect(isRepeatable({ method: 'POST', repeatable: true })).toBe(true);
		expect(isRepeatable({ method: 'GET', repeatable: false })).toBe(false);
	});

	test('an unknown failure is not retried', () => {
		expect(mayRetryConnection({ method: 'GET' }, undefined)).toBe(false);
	});
});

describe('Retry-After', () => {
	const now = Date.UTC(2026, 10, 27, 12, 0, 0);

	test('seconds', () => {
		expect(parseRetryAfter('0', now)).toBe(0);
		expect(parseRetryAfter(' 7 ', now)).toBe(7_000);
		expect(parseRetryAfter(['2', '9'], now)).toBe(2_000);
	});

	test('an HTTP date, counted from now; a past date is no wait', () => {
		expect(parseRetryAfter('Fri, 27 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Fri, 27 Nov 2026 11:59:00 GMT', now)).toBe(0);
	});

	test('missing or unreadable values fall back to the backoff', () => {
		for (const value of [undefined, '', 'soon', '-5', '1.5']) {
			expect(parseRetryAfter(value, now)).toBeUndefined();
		}
	});
});

describe('backoff', () => {
	test('doubles from the Retry Delay, with at most 25% jitter, and never exceeds the cap', () => {
		expect([1, 2, 3, 4].map((retry) => backoffMs(retry, 1000, 60_000, 0))).toEqual([1000, 2000, 4000, 8000]);
		expect(backoffMs(2, 1000, 60_000, 0.999)).toBe(2500);
		expect(backoffMs(10, 1000, 60_000, 0.5)).toBe(60_000);
		expect(backoffMs(1, 0, 60_000, 0.5)).toBe(0);
	});
});

describe('the Options collection', () => {
	test('offers the defaults the README gives', () => {
		const node = loadedPackage().nodes[NODE_TYPE];
		const options = node.description.properties.find((property) => property.name === 'options')!;
		const defaults = Object.fromEntries(
			(options.options as INodeProperties[]).map((option) => [option.name, option.default]),
		);
		expect(defaults).toEqual({
			concurrency: 10,
			maxRetryWait: 60,
			retries: 3,
			retryDelay: 1000,
			timeout: 30,
		});
	});
});
