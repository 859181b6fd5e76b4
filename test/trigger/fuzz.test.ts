/**
 * Hostile deliveries, table-driven: every field the trigger reads (headers, the signature JWT's
 * header and claims, the event's fields, the body itself) set to every JSON type, to the names of
 * Object.prototype's members, and to empty and very long values, one field at a time on an
 * otherwise good delivery, in every verification mode. Every delivery must end in 200, 400 or
 * 401 for a reason the trigger knows (never through its catch-all for unexpected errors), start
 * nothing unless it is good, and leave the log and the static data small.
 */
import { createHash, createHmac, generateKeyPairSync, randomUUID, sign as cryptoSign } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { deliver, shared, startedItems, triggerNode } from './context';
import type { Answer, Shared } from './context';

const node = triggerNode();
const EVENT_TYPE = 'user.two-factor.method.remove';
const HMAC_SECRET = 'fuzz-hmac-secret-as-key-master-shows-it-0123456789';
const SHARED_SECRET = 'fuzz-shared-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const BASIC = { user: 'fusionauth', password: 'fuzz-pass-word' };
const HMAC_KEY = { id: '5e0f0c1a-0000-4000-8000-000000000001', kid: 'fuzz-hmac-kid' };
const RSA_KEY = { id: '5e0f0c1a-0000-4000-8000-000000000002', kid: 'fuzz-rsa-kid' };
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** Names that reach Object.prototype when a plain object is indexed with them. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', '__defineGetter__', 'toLocaleString', 'prototype'];
const LONG = 'a'.repeat(100_000);

/** A field's value as JSON text, or undefined for the field left out. */
const JSON_VALUES: Array<[string, string | undefined]> = [
	['absent', undefined],
	['null', 'null'],
	['true', 'true'],
	['false', 'false'],
	['0', '0'],
	['-1', '-1'],
	['1.5', '1.5'],
	['1e308', '1e308'],
	['a 400-digit number', '9'.repeat(400)],
	['""', '""'],
	['" "', '" "'],
	['a control character', JSON.stringify('\u0000\n\u001b[31m')],
	['a lone surrogate', '"\\ud800"'],
	['100,000 characters', JSON.stringify(LONG)],
	...PROTOTYPE_NAMES.map((name): [string, string] => [JSON.stringify(name), JSON.stringify(name)]),
	['[]', '[]'],
	['["constructor"]', '["constructor"]'],
	['[1, "a", null]', '[1,"a",null]'],
	['{}', '{}'],
	['{"__proto__": {"polluted": true}}', '{"__proto__":{"polluted":true}}'],
	['{"constructor": {"prototype": {"polluted": true}}}', '{"constructor":{"prototype":{"polluted":true}}}'],
	['{"toString": 1, "valueOf": 2}', '{"toString":1,"valueOf":2}'],
	['5,000 nested arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
];

/** A header's value as Node hands it over (a string, or several as an array). */
const HEADER_VALUES: Array<[string, string | string[] | undefined]> = [
	['absent', undefined],
	['""', ''],
	['" "', ' '],
	['100,000 characters', LONG],
	['"a.b.c"', 'a.b.c'],
	['"..."', '...'],
	['"Basic "', 'Basic '],
	['"Basic" with base64 of ":"', `Basic ${Buffer.from(':').toString('base64')}`],
	['[]', []],
	['two values', ['a', 'b']],
	['one value in an array', ['constructor']],
	...PROTOTYPE_NAMES.map((name): [string, string] => [JSON.stringify(name), name]),
];

type Mode = 'none' | 'sharedSecret' | 'basicAuth' | 'hmac' | 'publicKey';
const MODES: Mode[] = ['none', 'sharedSecret', 'basicAuth', 'hmac', 'publicKey'];
const SIGNED = (mode: Mode) => mode === 'hmac' || mode === 'publicKey';

const part = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

/** `{"a":1}` with field `name` set to the JSON text `value` (or left out). */
function objectJson(fields: Array<[string, string]>, name: string, value: string | undefined): string {
	const kept = fields.filter(([field]) => field !== name);
	if (value !== undefined) kept.push([name, value]);
	return `{${kept.map(([field, text]) => `${JSON.stringify(field)}:${text}`).join(',')}}`;
}

interface Built {
	headers: Record<string, string | string[]>;
	raw: string;
}

/** A JWT with the given header and payload JSON texts, signed as the mode's key signs (whatever alg the header claims). */
function token(mode: Mode, headerJson: string, payloadJson: string): string {
	const input = `${part(headerJson)}.${part(payloadJson)}`;
	const signature = mode === 'hmac' ? createHmac('sha256', HMAC_SECRET).update(input).digest() : cryptoSign('sha256', Buffer.from(input), rsa.privateKey);
	return `${input}.${signature.toString('base64url')}`;
}

const sha256 = (raw: string) => createHash('sha256').update(raw, 'utf8').digest('base64');

function jwtHeaderFields(mode: Mode): Array<[string, string]> {
	return mode === 'hmac'
		? [['alg', '"HS256"'], ['typ', '"JWT"'], ['kid', JSON.stringify(HMAC_KEY.kid)]]
		: [['alg', '"RS256"'], ['typ', '"JWT"'], ['kid', JSON.stringify(RSA_KEY.kid)]];
}

function eventFields(id: string): Array<[string, string]> {
	return [
		['id', JSON.stringify(id)],
		['type', JSON.stringify(EVENT_TYPE)],
		['createInstant', '1732950000000'],
		['tenantId', '"30663132-6464-6665-3032-326466613934"'],
		['user', '{"id":"00000000-0000-4000-8000-000000000002","email":"jane@example.com"}'],
		['method', '{"id":"MX2A","method":"authenticator"}'],
	];
}

/** A good delivery for the mode, its body and headers as given. */
function proofHeaders(mode: Mode, raw: string, jwtHeader?: string, payload?: string): Record<string, string | string[]> {
	switch (mode) {
		case 'none':
			return {};
		case 'sharedSecret':
			return { 'x-n8n-webhook-secret': SHARED_SECRET };
		case 'basicAuth':
			return { authorization: `Basic ${Buffer.from(`${BASIC.user}:${BASIC.password}`).toString('base64')}` };
		default: {
			const headerJson = jwtHeader ?? objectJson(jwtHeaderFields(mode), '', undefined);
			const payloadJson = payload ?? objectJson([['request_body_sha256', JSON.stringify(sha256(raw))]], '', undefined);
			return { 'x-fusionauth-signature-jwt': token(mode, headerJson, payloadJson) };
		}
	}
}

interface Case {
	mode: Mode;
	label: string;
	built: Built;
	/** Must be refused (401), whatever else holds. */
	mustRefuse: boolean;
}

function cases(): Case[] {
	const all: Case[] = [];
	for (const mode of MODES) {
		const goodRaw = () => `{"event":${objectJson(eventFields(randomUUID()), '', undefined)}}`;
		// The event's fields, and the event and body themselves; signed, so that each reaches the event handling.
		for (const field of ['id', 'type', 'user', 'method', 'userId', 'tenantId', 'createInstant', '__proto__', 'constructor']) {
			for (const [label, value] of JSON_VALUES) {
				const raw = `{"event":${objectJson(eventFields(randomUUID()), field, value)}}`;
				all.push({ mode, label: `event.${field} = ${label}`, built: { raw, headers: proofHeaders(mode, raw) }, mustRefuse: false });
			}
		}
		for (const [label, value] of JSON_VALUES) {
			const raw = `{"event":${value ?? ''}}`;
			all.push({ mode, label: `event = ${label}`, built: { raw, headers: proofHeaders(mode, raw) }, mustRefuse: false });
			const root = value ?? '';
			all.push({ mode, label: `body = ${label}`, built: { raw: root, headers: proofHeaders(mode, root) }, mustRefuse: false });
		}
		// The signature JWT's header and claims (in every mode: where no signature is asked for, the header is only noise).
		const signatureMode: Mode = SIGNED(mode) ? mode : 'hmac';
		for (const field of ['alg', 'kid', 'typ', 'crit', 'jku', 'x5u', 'b64', '__proto__', 'constructor']) {
			for (const [label, value] of JSON_VALUES) {
				const raw = goodRaw();
				const header = objectJson(jwtHeaderFields(signatureMode), field, value);
				const headers = { ...proofHeaders(mode, raw), 'x-fusionauth-signature-jwt': token(signatureMode, header, objectJson([['request_body_sha256', JSON.stringify(sha256(raw))]], '', undefined)) };
				// The signing key's own alg and kid, any crit at all: refused whatever the value.
				const good = new Map(jwtHeaderFields(signatureMode)).get(field);
				const changed = (field === 'alg' || field === 'kid') && value !== good;
				all.push({ mode, label: `JWT header ${field} = ${label}`, built: { raw, headers }, mustRefuse: SIGNED(mode) && (changed || (field === 'crit' && value !== undefined)) });
			}
		}
		for (const field of ['exp', 'nbf', 'request_body_sha256', 'iat', '__proto__']) {
			for (const [label, value] of JSON_VALUES) {
				const raw = goodRaw();
				const payload = objectJson([['request_body_sha256', JSON.stringify(sha256(raw))]], field, value);
				const headers = { ...proofHeaders(mode, raw), 'x-fusionauth-signature-jwt': token(signatureMode, objectJson(jwtHeaderFields(signatureMode), '', undefined), payload) };
				all.push({ mode, label: `JWT claim ${field} = ${label}`, built: { raw, headers }, mustRefuse: SIGNED(mode) && field === 'request_body_sha256' });
			}
		}
		// The headers the trigger reads, replacing the good one.
		for (const name of ['x-fusionauth-signature-jwt', 'x-n8n-webhook-secret', 'authorization']) {
			for (const [label, value] of HEADER_VALUES) {
				const raw = goodRaw();
				const headers: Record<string, string | string[]> = { ...proofHeaders(mode, raw) };
				delete headers[name];
				if (value !== undefined) headers[name] = value;
				const proof = mode === 'sharedSecret' ? 'x-n8n-webhook-secret' : mode === 'basicAuth' ? 'authorization' : SIGNED(mode) ? 'x-fusionauth-signature-jwt' : '';
				all.push({ mode, label: `header ${name} = ${label}`, built: { raw, headers }, mustRefuse: name === proof });
			}
		}
	}
	return all;
}

/** FusionAuth's public key set and Key API, as the trigger reads them. */
let server: Server;
let baseUrl = '';

beforeAll(async () => {
	const jwk = { ...(rsa.publicKey.export({ format: 'jwk' }) as IDataObject), kid: RSA_KEY.kid, alg: 'RS256', use: 'sig' };
	server = createServer((request, response) => {
		const keyId = /\/api\/key\/([^/?]+)$/.exec(request.url ?? '')?.[1];
		const key = [HMAC_KEY, RSA_KEY].find((candidate) => candidate.id === keyId);
		if (request.url?.endsWith('/.well-known/jwks.json')) response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
		else if (key !== undefined) response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ key }));
		else response.writeHead(404).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

function trigger(mode: Mode, staticData: IDataObject = {}): Shared {
	const parameters: IDataObject = { events: [EVENT_TYPE], registration: 'manual' };
	if (mode === 'none' || mode === 'sharedSecret' || mode === 'basicAuth') parameters.verification = mode;
	else parameters.verification = 'signature';
	if (mode === 'sharedSecret') parameters.sharedSecret = SHARED_SECRET;
	if (mode === 'basicAuth') Object.assign(parameters, { basicAuthUsername: BASIC.user, basicAuthPassword: BASIC.password });
	if (mode === 'hmac') Object.assign(parameters, { hmacSecret: HMAC_SECRET, signingKeyId: HMAC_KEY.id });
	if (mode === 'publicKey') Object.assign(parameters, { hmacSecret: '', signingKeyId: RSA_KEY.id });
	return shared(parameters, { baseUrl, apiKey: 'fuzz-api-key-0123456789', tenantId: '' }, staticData);
}

/** What is wrong with one delivery's outcome, or an empty list. */
function problems(item: Case, state: Shared, answer: Answer | undefined, thrown: unknown): string[] {
	const found: string[] = [];
	if (thrown !== undefined) return [`webhook() threw: ${String((thrown as Error)?.message ?? thrown).slice(0, 200)}`];
	const outcome = answer as Answer;
	const started = startedItems(outcome);
	if (outcome.status !== undefined) {
		if (outcome.status !== 400 && outcome.status !== 401) found.push(`answered ${outcome.status}`);
		if (outcome.result.noWebhookResponse !== true || started !== undefined) found.push('answered itself and yet handed n8n a response or items');
	} else if (started === undefined && outcome.result.webhookResponse === undefined) {
		found.push('neither answered nor handed n8n a response');
	}
	if (item.mustRefuse && outcome.status !== 401) found.push(`not refused (${String(outcome.status ?? 200)})`);
	for (const log of state.logs) {
		if (/unexpected error/.test(log.message)) found.push(`reached the catch-all: ${log.message.slice(0, 300)}`);
		if (log.message.length > 600) found.push(`a log line of ${log.message.length} characters`);
	}
	if (outcome.status === 401 && state.logs.filter((log) => log.level === 'warn').length !== 1) found.push('a refusal without its one warning');
	for (const json of started ?? []) {
		if (json.eventType !== EVENT_TYPE) found.push(`started with eventType ${String(json.eventType)}`);
		for (const field of ['userId', 'email', 'method']) {
			if (json[field] !== null && typeof json[field] !== 'string') found.push(`${field} is ${typeof json[field]}`);
		}
	}
	const stored = JSON.stringify(state.staticData).length;
	if (stored > 8192) found.push(`static data of ${stored} characters`);
	return found;
}

const ALL = cases();

describe(`${ALL.length} hostile deliveries, ${MODES.length} verification modes`, () => {
	test.each(MODES)('%s: every delivery ends in 200, 400 or 401 for a known reason', async (mode) => {
		const mine = ALL.filter((item) => item.mode === mode);
		const failures: string[] = [];
		const outcomes = new Map<string, number>();
		for (const item of mine) {
			const state = trigger(mode);
			let answer: Answer | undefined;
			let thrown: unknown;
			try {
				answer = await deliver(node, state, { headers: item.built.headers as Record<string, string>, raw: item.built.raw });
			} catch (error) {
				thrown = error ?? new Error('undefined');
			}
			for (const problem of problems(item, state, answer, thrown)) failures.push(`${item.label}: ${problem}`);
			const status = String(answer?.status ?? (answer === undefined ? 'threw' : 200));
			outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
		}
		expect(failures).toEqual([]);
		// Each kind of answer occurs: the table reaches past verification into the event handling.
		expect([...outcomes.keys()].sort()).toEqual(mode === 'none' ? ['200', '400'] : ['200', '400', '401']);
		expect(({} as IDataObject).polluted).toBeUndefined();
	}, 120_000);

	test('the table is as large as counted', () => {
		// 9 event fields + event + body, 9 JWT header fields, 5 claims: each over every JSON value; 3 headers over every header value.
		const perMode = (9 + 2 + 9 + 5) * JSON_VALUES.length + 3 * HEADER_VALUES.length;
		expect(ALL.length).toBe(MODES.length * perMode);
		expect(ALL.length).toBeGreaterThan(3000);
	});
});

describe('the replay store stays small whatever ids arrive', () => {
	test('100 deliveries with 1 MB event ids leave static data under 8 KiB, and a repeat is still recognised', async () => {
		const staticData: IDataObject = {};
		const state = trigger('none', staticData);
		const body = (index: number) => JSON.stringify({ event: { id: `${String(index).padStart(4, '0')}${'x'.repeat(1_000_000)}`, type: EVENT_TYPE } });
		for (let index = 0; index < 100; index++) {
			expect(startedItems(await deliver(node, state, { headers: {}, raw: body(index) }))).toHaveLength(1);
		}
		expect(JSON.stringify(state.staticData).length).toBeLessThan(8192);
		expect(startedItems(await deliver(node, state, { headers: {}, raw: body(42) }))).toBeUndefined();
		// The log names the repeated id bounded, not its megabyte.
		expect(Math.max(...state.logs.map((log) => log.message.length))).toBeLessThan(300);
	});

	test('200 deliveries with UUIDs, the most the store holds, stay under 8 KiB', async () => {
		const state = trigger('none');
		for (let index = 0; index < 250; index++) {
			await deliver(node, state, { headers: {}, raw: JSON.stringify({ event: { id: randomUUID(), type: EVENT_TYPE } }) });
		}
		expect((state.staticData.recentEventIds as string[]).length).toBe(200);
		expect(JSON.stringify(state.staticData).length).toBeLessThan(8192);
	});

	test('ids a former version stored at any length are dropped from static data on the next delivery', async () => {
		const state = trigger('none', { recentEventIds: ['y'.repeat(1_000_000), 'e0a6d1f4-1111-4d4f-9a3a-000000000001'] });
		await deliver(node, state, { headers: {}, raw: JSON.stringify({ event: { id: randomUUID(), type: EVENT_TYPE } }) });
		expect(JSON.stringify(state.staticData).length).toBeLessThan(200);
		// The UUID stays remembered.
		const again = await deliver(node, state, { headers: {}, raw: JSON.stringify({ event: { id: 'e0a6d1f4-1111-4d4f-9a3a-000000000001', type: EVENT_TYPE } }) });
		expect(startedItems(again)).toBeUndefined();
	});
});
