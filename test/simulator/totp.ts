/**
 * TOTP (RFC 6238, HMAC-SHA1) and Base32 (RFC 4648) as FusionAuth's authenticator method uses
 * them (6 digits, 30 second step), all from the otpauth library: the simulator checks the node's
 * codes and secrets with a well-kept implementation, not with a copy of the node's own.
 */
import { Secret, TOTP } from 'otpauth';

export interface TotpOptions {
	/** Code length; FusionAuth always uses 6. */
	digits?: number;
	/** Time step in seconds; FusionAuth always uses 30. */
	stepSeconds?: number;
}

function secretOf(key: Buffer): Secret {
	return new Secret({ buffer: new Uint8Array(key).buffer });
}

/** RFC 4648 Base32 without '=' padding, as FusionAuth's secretBase32Encoded. */
export function base32Encode(data: Buffer): string {
	return secretOf(data).base32;
}

/** Decodes RFC 4648 Base32 (case-insensitive, padding and white space optional); null when malformed. */
export function base32Decode(text: string): Buffer | null {
	const clean = text.replace(/\s+/g, '');
	if (clean.replace(/=+$/, '') === '') {
		return null;
	}
	try {
		return Buffer.from(Secret.fromBase32(clean).bytes);
	} catch {
		// otpauth throws on a character outside the Base32 alphabet.
		return null;
	}
}

/** Strict Base64 (standard alphabet, padding optional); null when malformed. */
export function base64Decode(text: string): Buffer | null {
	const clean = text.trim();
	if (clean.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
		return null;
	}
	return Buffer.from(clean, 'base64');
}

/** The TOTP code at a time given in milliseconds since the epoch. */
export function totp(key: Buffer, timeMs: number, options: TotpOptions = {}): string {
	return TOTP.generate({
		secret: secretOf(key),
		algorithm: 'SHA1',
		digits: options.digits ?? 6,
		period: options.stepSeconds ?? 30,
		timestamp: timeMs,
	});
}

/** True when code matches the step at timeMs or up to `window` steps either side. */
export function verifyTotp(
	key: Buffer,
	code: string,
	timeMs: number,
	options: TotpOptions & { window?: number } = {},
): boolean {
	const delta = TOTP.validate({
		token: code,
		secret: secretOf(key),
		algorithm: 'SHA1',
		digits: options.digits ?? 6,
		period: options.stepSeconds ?? 30,
		timestamp: timeMs,
		window: options.window ?? 1,
	});
	return delta !== null;
}
