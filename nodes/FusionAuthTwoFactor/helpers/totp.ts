import { createHmac } from 'crypto';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Lengths of unpadded Base32 text that no whole number of bytes encodes to (RFC 4648 section 6). */
const IMPOSSIBLE_BASE32_REMAINDERS = new Set([1, 3, 6]);

/**
 * Decodes RFC 4648 Base32 (case, white space and dashes ignored, padding optional);
 * `undefined` if the text is not Base32.
 */
export function decodeBase32(text: string): Buffer | undefined {
	const clean = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
	if (clean === '' || /[^A-Z2-7]/.test(clean)) return undefined;
	if (IMPOSSIBLE_BASE32_REMAINDERS.has(clean.length % 8)) return undefined;
	const bytes: number[] = [];
	let buffer = 0;
	let bits = 0;
	for (const character of clean) {
		buffer = (buffer << 5) | BASE32_ALPHABET.indexOf(character);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			bytes.push((buffer >> bits) & 0xff);
		}
	}
	return Buffer.from(bytes);
}

/** Encodes bytes as RFC 4648 Base32 without padding, as key URIs want it. */
export function encodeBase32(bytes: Buffer): string {
	let output = '';
	let buffer = 0;
	let bits = 0;
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			output += BASE32_ALPHABET[(buffer >> bits) & 31];
		}
	}
	if (bits > 0) output += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
	return output;
}

/** Decodes standard or URL-safe Base64; `undefined` if the text is not Base64. */
export function decodeBase64(text: string): Buffer | undefined {
	const clean = text.replace(/\s/g, '');
	if (clean === '' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(clean)) return undefined;
	// One character past a whole group carries only 6 bits: not a byte.
	if (clean.replace(/=+$/, '').length % 4 === 1) return undefined;
	return Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export interface TotpOptions {
	/** Seconds per code; FusionAuth uses 30. */
	timeStep?: number;
	/** Digits per code; FusionAuth uses 6. */
	digits?: number;
	algorithm?: 'sha1' | 'sha256' | 'sha512';
}

/** RFC 4226 HOTP value for a counter (a whole number from 0 up). */
export function hotp(key: Buffer, counter: number, digits = 6, algorithm: TotpOptions['algorithm'] = 'sha1'): string {
	if (!Number.isSafeInteger(counter) || counter < 0) {
		throw new RangeError(`The HOTP counter must be a whole number from 0 up, not ${counter}`);
	}
	const message = Buffer.alloc(8);
	message.writeBigUInt64BE(BigInt(counter));
	const digest = createHmac(algorithm, key).update(message).digest();
	const offset = digest[digest.length - 1] & 0x0f;
	const binary =
		((digest[offset] & 0x7f) << 24) |
		(digest[offset + 1] << 16) |
		(digest[offset + 2] << 8) |
		digest[offset + 3];
	return String(binary % 10 ** digits).padStart(digits, '0');
}

export interface TotpCode {
	code: string;
	validFrom: Date;
	validUntil: Date;
}

/**
 * RFC 6238 TOTP for the given time (T0 = 0, the Unix epoch): the code and the window it is
 * valid in. Times before the epoch have no code.
 */
export function totp(key: Buffer, time: Date, options: TotpOptions = {}): TotpCode {
	const timeStep = options.timeStep ?? 30;
	const counter = Math.floor(time.getTime() / 1000 / timeStep);
	return {
		code: hotp(key, counter, options.digits ?? 6, options.algorithm ?? 'sha1'),
		validFrom: new Date(counter * timeStep * 1000),
		validUntil: new Date((counter + 1) * timeStep * 1000),
	};
}
