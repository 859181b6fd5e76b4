import { spawnSync } from 'child_process';
import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import { Secret, TOTP } from 'otpauth';
import path from 'path';

import { decodeBase32, decodeBase64, encodeBase32, hotp, totp } from '../../../dist/nodes/FusionAuthTwoFactor/helpers/totp';
import { PACKAGE_ROOT } from '../../harness/package';
import { outputJson, runAgainst, visibleText } from '../support';
import type { OutputCase } from '../table';
import { describeOperation, runOperation } from '../table';

// RFC 6238 appendix B and RFC 4226 appendix D use this ASCII key for SHA1.
const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');
const RFC_KEY_BASE64 = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=';
const RFC_KEY_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

// RFC 6238 appendix B, SHA1 rows: Unix time in seconds, T as hex, the 8-digit TOTP.
const RFC6238_SHA1 = [
	{ seconds: 59, counter: '0000000000000001', totp: '94287082' },
	{ seconds: 1111111109, counter: '00000000023523EC', totp: '07081804' },
	{ seconds: 1111111111, counter: '00000000023523ED', totp: '14050471' },
	{ seconds: 1234567890, counter: '000000000273EF07', totp: '89005924' },
	{ seconds: 2000000000, counter: '0000000003F940AA', totp: '69279037' },
	{ seconds: 20000000000, counter: '0000000027BC86AA', totp: '65353130' },
];

// RFC 4226 appendix D: HOTP values for counters 0 to 9.
const RFC4226 = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

// RFC 6238 appendix B (SHA1), the last six of its eight digits, as ISO times with the step's bounds.
const RFC6238_SIX_DIGITS = [
	['1970-01-01T00:00:59Z', '287082', '1970-01-01T00:00:30.000Z', '1970-01-01T00:01:00.000Z'],
	['2005-03-18T01:58:29Z', '081804', '2005-03-18T01:58:00.000Z', '2005-03-18T01:58:30.000Z'],
	['2009-02-13T23:31:30Z', '005924', '2009-02-13T23:31:30.000Z', '2009-02-13T23:32:00.000Z'],
	['2033-05-18T03:33:20Z', '279037', '2033-05-18T03:33:00.000Z', '2033-05-18T03:33:30.000Z'],
];
// The RFC key as FusionAuth hands it out (Base64, Base32) and as authenticator apps show it.
const RFC_KEY_FORMS = [
	['Base64', RFC_KEY_BASE64, 'base64'],
	['Base32', RFC_KEY_BASE32, 'base32'],
	['Base32 in lower case, in groups of four', RFC_KEY_BASE32.toLowerCase().replace(/(.{4})/g, '$1 '), 'base32'],
];

/** The code a well-kept TOTP library computes, not the node's own code. */
function libraryCode(key: Buffer, timestamp: number): string {
	return new TOTP({ secret: new Secret({ buffer: new Uint8Array(key).buffer }), digits: 6, period: 30 }).generate({ timestamp });
}

const GENERATE_TOTP = { resource: 'code', operation: 'generateTotp' };

const sixDigitRows: OutputCase[] = RFC6238_SIX_DIGITS.flatMap(([time, code, validFrom, validUntil]) =>
	RFC_KEY_FORMS.map(([form, secret, secretEncoding]) => ({
		name: `at ${time} from the ${form} secret: ${code}, paired, without any request`,
		parameters: { ...GENERATE_TOTP, secret, secretEncoding, additionalFields: { time } },
		output: (_: IDataObject[], requests: unknown[], items: unknown[]) => {
			expect(items).toEqual([{ json: { code, validFrom, validUntil }, pairedItem: { item: 0 } }]);
			expect(requests).toHaveLength(0);
		},
	})),
);

const eightDigitRows: OutputCase[] = RFC6238_SHA1.map(({ seconds, totp: code, counter }) => ({
	name: `computes the RFC 6238 code at ${seconds} s from the Base64 secret, locally`,
	parameters: { ...GENERATE_TOTP, secret: RFC_KEY_BASE64, secretEncoding: 'base64', additionalFields: { time: new Date(seconds * 1000).toISOString() } },
	output: (output: IDataObject[], requests: unknown[]) => {
		const step = Number.parseInt(counter, 16);
		expect(output).toEqual([
			{
				code: code.slice(2),
				validFrom: new Date(step * 30_000).toISOString(),
				validUntil: new Date((step + 1) * 30_000).toISOString(),
			},
		]);
		expect(requests).toHaveLength(0);
	},
}));

describeOperation({
	agentRefusal: 'Generate TOTP (code) is not available to AI agents: it computes login codes from a two-factor secret',
	resource: 'code',
	operation: 'generateTotp',
	editor: {
		action: 'Generate an authenticator code',
		panels: {
			current: { fields: ['secret', 'secretEncoding', 'additionalFields'], required: ['secret'] },
			legacy: { fields: ['secret', 'secretEncoding', 'additionalFields'], required: ['secret'] },
		},
	},
	samples: {
		current: { ...GENERATE_TOTP, secret: RFC_KEY_BASE64 },
		legacy: { ...GENERATE_TOTP, secret: RFC_KEY_BASE64 },
	},
	// It asks FusionAuth nothing.
	answersWithBody: false,
	sendsNoRequest: true,
	outputs: [
		...sixDigitRows,
		...eightDigitRows,
		{
			name: 'takes the Base32 secret as authenticator apps show it',
			parameters: { ...GENERATE_TOTP, secret: RFC_KEY_BASE32.toLowerCase(), secretEncoding: 'base32', additionalFields: { time: '2005-03-18T01:58:29Z' } },
			output: ([item]) => expect(item.code).toBe('081804'),
		},
		{
			name: 'reads a time without a zone offset as UTC',
			parameters: { ...GENERATE_TOTP, secret: RFC_KEY_BASE32, secretEncoding: 'base32', additionalFields: { time: '2009-02-13T23:31:30' } },
			output: [{ code: '005924', validFrom: '2009-02-13T23:31:30.000Z', validUntil: '2009-02-13T23:32:00.000Z' }],
		},
		{
			name: 'one code per item, each from its own secret',
			parameters: { ...GENERATE_TOTP, secret: '={{ $json.secret }}', secretEncoding: 'base32', additionalFields: { time: '1970-01-01T00:00:59Z' } },
			items: [{ secret: RFC_KEY_BASE32 }, { secret: Secret.fromHex(Buffer.from('another secret key!!').toString('hex')).base32 }],
			output: (output, _, items) => {
				expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
				expect(output[0].code).toBe('287082');
				expect(output[1].code).toBe(libraryCode(Buffer.from('another secret key!!'), 59_000));
			},
		},
	],
	more: (server) => {
		test('without a time: the code for now, as a TOTP library computes it', async () => {
			const before = Date.now();
			const result = await runOperation(server.url, 'current', { ...GENERATE_TOTP, secret: RFC_KEY_BASE64 });
			const after = Date.now();
			expect(result.error).toBeUndefined();
			const item = outputJson(result)[0];
			const validFrom = Date.parse(item.validFrom as string);
			expect(Date.parse(item.validUntil as string) - validFrom).toBe(30_000);
			expect(validFrom).toBeLessThanOrEqual(after);
			expect(validFrom).toBeGreaterThan(before - 30_000);
			expect(Date.parse(item.validUntil as string)).toBeGreaterThan(before);
			expect(item.code).toBe(libraryCode(RFC_KEY, validFrom));
		});

		test('reads a time without a zone offset as UTC also where the local zone is not UTC', () => {
			// The zone must be set before the process starts, so the operation runs in a child process.
			const script = `
				const { generateTotp } = require(${JSON.stringify(path.join(PACKAGE_ROOT, 'dist/nodes/FusionAuthTwoFactor/actions/code/generateTotp.operation.js'))});
				const values = { secret: ${JSON.stringify(RFC_KEY_BASE32)}, secretEncoding: 'base32' };
				const parameters = {
					itemIndex: 0,
					requiredString: (name) => values[name],
					option: (name, fallback) => values[name] ?? fallback,
					collection: () => ({ time: '2009-02-13T23:31:30' }),
					fail: (name, problem) => { throw new Error(name + ' ' + problem); },
				};
				generateTotp.execute(parameters).then((result) =>
					process.stdout.write(JSON.stringify({ offset: new Date(2009, 1, 13).getTimezoneOffset(), result })));
			`;
			const child = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8' });
			expect(child.stderr).toBe('');
			expect(JSON.parse(child.stdout)).toEqual({
				offset: 300,
				result: { code: '005924', validFrom: '2009-02-13T23:31:30.000Z', validUntil: '2009-02-13T23:32:00.000Z' },
			});
		});

		test.each<[string, IDataObject, string | RegExp]>([
			['blank secret', { secret: '   ' }, 'Secret is required [item 0]'],
			['secret that is not Base64', { secret: '!!!not base64!!!' }, 'Secret is not valid Base64 [item 0]'],
			['secret that is not Base32', { secretEncoding: 'base32', secret: '1189' }, 'Secret is not valid Base32 [item 0]'],
			['time that is not a date', { secret: RFC_KEY_BASE64, additionalFields: { time: 'yesterday-ish' } }, /^Time must be a date/],
			['time "not a date"', { secret: RFC_KEY_BASE64, additionalFields: { time: 'not a date' } }, 'Time must be a date and time, such as 2026-01-31T12:00:00Z [item 0]'],
			['time before 1970', { secret: RFC_KEY_BASE64, additionalFields: { time: '1969-12-31T23:59:59Z' } }, 'Time must not be before 1970-01-01T00:00:00Z [item 0]'],
		])('%s: fails the item with a NodeOperationError, without any request', async (_name, parameters, message) => {
			const result = await runOperation(server.url, 'current', { ...GENERATE_TOTP, ...parameters });
			expect(result.error?.name).toBe('NodeOperationError');
			if (typeof message === 'string') expect(result.error!.message).toBe(message);
			else expect(result.error!.message).toMatch(message);
			expect(result.error!.context?.itemIndex).toBe(0);
			expect(server.requests).toHaveLength(0);
		});

		test('a secret that is not in the chosen encoding fails the item, naming the field, without showing the secret', async () => {
			const secret = 'this is not base32 1890';
			const result = await runOperation(server.url, 'current', { ...GENERATE_TOTP, secret, secretEncoding: 'base32' });
			expect(result.error?.message).toBe('Secret is not valid Base32 [item 0]');
			expect(visibleText(result)).not.toContain(secret);
		});

		test('a failed item goes to the error output and the others still get their code', async () => {
			const result = await runAgainst(
				server,
				{ ...GENERATE_TOTP, secret: '={{ $json.secret }}', secretEncoding: 'base32', additionalFields: { time: '1970-01-01T00:00:59Z' } },
				{ items: [{ secret: '0000' }, { secret: RFC_KEY_BASE32 }], onError: 'continueErrorOutput' },
			);
			expect(outputJson(result)).toEqual([expect.objectContaining({ code: '287082' })]);
			expect(result.errorOutput.map((item) => item.json.error)).toEqual(['Secret is not valid Base32 [item 0]']);
		});

		describe('TOTP helpers', () => {
			test.each(RFC4226.map((code, counter) => [counter, code]))('HOTP of counter %i is %s (RFC 4226)', (counter, code) => {
				expect(hotp(RFC_KEY, counter as number)).toBe(code);
			});

			test.each(RFC6238_SHA1)('TOTP at $seconds s is $totp (RFC 6238, SHA1, 8 digits)', ({ seconds, counter, totp: code }) => {
				const result = totp(RFC_KEY, new Date(seconds * 1000), { digits: 8 });
				expect(result.code).toBe(code);
				const step = Number.parseInt(counter, 16);
				expect(result.validFrom.getTime()).toBe(step * 30_000);
				expect(result.validUntil.getTime()).toBe((step + 1) * 30_000);
			});

			test('six digits are the last six of the eight (what FusionAuth and authenticator apps use)', () => {
				for (const { seconds, totp: code } of RFC6238_SHA1) {
					expect(totp(RFC_KEY, new Date(seconds * 1000)).code).toBe(code.slice(2));
				}
			});

			test('a counter before the epoch is refused instead of wrapping around', () => {
				expect(() => hotp(RFC_KEY, -1)).toThrow(RangeError);
				expect(() => totp(RFC_KEY, new Date(-1000))).toThrow(RangeError);
			});

			test('Base32 decodes the RFC key, ignoring case, spaces, dashes and padding', () => {
				expect(decodeBase32(RFC_KEY_BASE32)).toEqual(RFC_KEY);
				expect(decodeBase32('gezd gnbv-gy3t qojq gezd gnbv gy3t qojq')).toEqual(RFC_KEY);
				expect(decodeBase32('MZXW6===')).toEqual(Buffer.from('foo'));
				expect(decodeBase32('MZXW6YQ=')).toEqual(Buffer.from('foob'));
			});

			test('Base32 refuses what is not Base32', () => {
				expect(decodeBase32('')).toBeUndefined();
				expect(decodeBase32('MZXW1')).toBeUndefined(); // 1 is not in the alphabet
				expect(decodeBase32('M')).toBeUndefined(); // one character is not a byte
				expect(decodeBase32('MZX')).toBeUndefined();
				expect(decodeBase32('MZXW6Y')).toBeUndefined();
			});

			test('Base32 encoding has no padding and round-trips every length', () => {
				expect(encodeBase32(RFC_KEY)).toBe(RFC_KEY_BASE32);
				expect(encodeBase32(Buffer.from('f'))).toBe('MY');
				expect(encodeBase32(Buffer.from('fooba'))).toBe('MZXW6YTB');
				for (let length = 1; length <= 21; length++) {
					const bytes = createHmac('sha1', 'k').update(String(length)).digest().subarray(0, length);
					expect(decodeBase32(encodeBase32(bytes))).toEqual(bytes);
				}
			});

			test('Base64 decodes standard and URL-safe text and refuses the rest', () => {
				expect(decodeBase64(RFC_KEY_BASE64)).toEqual(RFC_KEY);
				expect(decodeBase64('-_8=')).toEqual(Buffer.from([0xfb, 0xff]));
				expect(decodeBase64('not base64!')).toBeUndefined();
				expect(decodeBase64('QUJDR')).toBeUndefined();
			});
		});
	},
});
