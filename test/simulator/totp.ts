/**
 * RFC 4226 (HOTP, from the otpauth library) and RFC 6238 (TOTP) with HMAC-SHA1, plus RFC 4648
 * Base32, as FusionAuth's authenticator method uses them (6 digits, 30 second step).
 */
import { HOTP, Secret } from 'otpauth';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export interface TotpOptions {
	/** Code length; FusionAuth always uses 6. */
	digits?: number;
	/** Time step in seconds; FusionAuth always uses 30. */
	stepSeconds?: number;
}

/** RFC 4648 Base32 with '=' padding. */
export function base32Encode(data: Buffer): string {
	let out = '';
	let buffer = 0;
	let bits = 0;
	for (const byte of data) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
			bits -= 5;
		}
		buffer &= (1 << bits) - 1;
	}
	if (bits > 0) {
		out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
	}
	while (out.length % 8 !== 0) {
		out += '=';
	}
	return out;
}

/** Decodes RFC 4648 Base32 (case-insensitive, padding and spaces optional); null when malformed. */
export function base32Decode(text: string): Buffer | null {
	const clean = text.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
	if (clean.length === 0) {
		return null;
	}
	const bytes: number[] = [];
	let buffer = 0;
	let bits = 0;
	for (const char of clean) {
		const value = BASE32_ALPHABET.indexOf(char);
		if (value < 0) {
			return null;
		}
		buffer = (buffer << 5) | value;
		bits += 5;
		if (bits >= 8) {
			bytes.push((buffer >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
		buffer &= (1 << bits) - 1;
	}
	return Buffer.from(bytes);
}

/** Strict Base64 (standard alphabet, padding optional); null when malformed. */
export function base64Decode(text: string): Buffer | null {
	const clean = text.trim();
	if (clean.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
		return null;
	}
	return Buffer.from(clean, 'base64');
}

/**
 * RFC 4226 HOTP (HMAC-SHA1, dynamic truncation) from the otpauth library: the simulator checks
 * the node's codes with a well-kept implementation, not with a copy of the node's own.
 */
export function hotp(key: Buffer, counter: number, digits = 6): string {
	const secret = new Secret({ buffer: new Uint8Array(key).buffer });
	return new HOTP({ secret, digits, algorithm: 'SHA1' }).generate({ counter: Math.floor(counter) });
}

/** RFC 6238 TOTP at a time given in milliseconds since the epoch. */
export function totp(key: Buffer, timeMs: number, options: TotpOptions = {}): string {
	const step = options.stepSeconds ?? 30;
	return hotp(key, Math.floor(timeMs / 1000 / step), options.digits ?? 6);
}

/** True when code matches the step at timeMs or up to `window` steps either side. */
export function verifyTotp(
	key: Buffer,
	code: string,
	timeMs: number,
	options: TotpOptions & { window?: number } = {},
): boolean {
	const digits = options.digits ?? 6;
	if (!new RegExp(`^\\d{${digits}}$`).test(code)) {
		return false;
	}
	const step = options.stepSeconds ?? 30;
	const window = options.window ?? 1;
	const counter = Math.floor(timeMs / 1000 / step);
	for (let drift = -window; drift <= window; drift++) {
		if (counter + drift >= 0 && hotp(key, counter + drift, digits) === code) {
			return true;
		}
	}
	return false;
}
