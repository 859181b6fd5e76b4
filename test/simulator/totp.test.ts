import { base32Decode, base32Encode, base64Decode, totp, verifyTotp } from './totp';

const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');

describe('TOTP helper (RFC 4226 / RFC 6238, HMAC-SHA1)', () => {
	// RFC 6238 appendix B, SHA1 rows: time in seconds -> 8-digit TOTP.
	const vectors: Array<[number, string]> = [
		[59, '94287082'],
		[1111111109, '07081804'],
		[1111111111, '14050471'],
		[1234567890, '89005924'],
		[2000000000, '69279037'],
		[20000000000, '65353130'],
	];

	it.each(vectors)('matches the RFC 6238 SHA1 vector at T=%i with 8 digits', (seconds, expected) => {
		expect(totp(RFC_KEY, seconds * 1000, { digits: 8 })).toBe(expected);
	});

	it.each(vectors)('gives the 6-digit truncation of the RFC 6238 vector at T=%i', (seconds, expected) => {
		expect(totp(RFC_KEY, seconds * 1000)).toBe(expected.slice(-6));
	});

	it('counts 30 s steps from the epoch: step n gives the RFC 4226 HOTP vector for counter n', () => {
		const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
		expect(expected.map((_, counter) => totp(RFC_KEY, counter * 30_000))).toEqual(expected);
		expect(totp(RFC_KEY, 3 * 30_000 + 29_999)).toBe('969429');
	});

	it('accepts one 30 s step of drift either way and no more', () => {
		const at = 1_700_000_000_000;
		const code = totp(RFC_KEY, at);
		expect(verifyTotp(RFC_KEY, code, at)).toBe(true);
		expect(verifyTotp(RFC_KEY, code, at + 30_000)).toBe(true);
		expect(verifyTotp(RFC_KEY, code, at - 30_000)).toBe(true);
		expect(verifyTotp(RFC_KEY, code, at + 60_000)).toBe(false);
		expect(verifyTotp(RFC_KEY, code, at - 60_000)).toBe(false);
		expect(verifyTotp(RFC_KEY, '12345', at)).toBe(false);
		expect(verifyTotp(RFC_KEY, 'abcdef', at)).toBe(false);
	});

	it('encodes the RFC 4648 Base32 vectors without padding, as FusionAuth, and decodes them with or without', () => {
		const vectors32: Array<[string, string]> = [
			['f', 'MY======'],
			['fo', 'MZXQ===='],
			['foo', 'MZXW6==='],
			['foob', 'MZXW6YQ='],
			['fooba', 'MZXW6YTB'],
			['foobar', 'MZXW6YTBOI======'],
		];
		for (const [plain, encoded] of vectors32) {
			expect(base32Encode(Buffer.from(plain))).toBe(encoded.replace(/=+$/, ''));
			expect(base32Decode(encoded)?.toString()).toBe(plain);
			expect(base32Decode(encoded.replace(/=+$/, '').toLowerCase())?.toString()).toBe(plain);
		}
		expect(base32Decode('MZXW 6YTB\tOI')?.toString()).toBe('foobar');
		expect(base32Decode('MZ1W')).toBeNull();
		expect(base32Decode('')).toBeNull();
		expect(base32Decode('====')).toBeNull();
		expect(base32Encode(RFC_KEY)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
	});

	it('decodes strict Base64 and rejects anything else', () => {
		expect(base64Decode('MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=')).toEqual(RFC_KEY);
		expect(base64Decode('not base64!')).toBeNull();
		expect(base64Decode('')).toBeNull();
	});
});
