/**
 * FusionAuth-style access tokens, HS256-signed and checked with the jose library (RFC 7519 /
 * RFC 7515): the simulator leaves the cryptography to a well-kept implementation.
 */
import { jwtVerify, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';

export type JwtClaims = JWTPayload;

function hmacKey(secret: string): Uint8Array {
	return new TextEncoder().encode(secret);
}

export async function signJwt(claims: JwtClaims, secret: string): Promise<string> {
	return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(hmacKey(secret));
}

/**
 * The token's claims when it is HS256, signed with `secret` and not expired at nowMs (exp in
 * seconds, required); undefined otherwise, whatever the reason, as FusionAuth answers every
 * rejected token alike.
 */
export async function verifyJwt(token: string, secret: string, nowMs: number): Promise<JwtClaims | undefined> {
	try {
		const { payload } = await jwtVerify(token, hmacKey(secret), {
			algorithms: ['HS256'],
			currentDate: new Date(nowMs),
			requiredClaims: ['exp'],
		});
		return payload;
	} catch {
		return undefined;
	}
}
