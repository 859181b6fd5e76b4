/** Minimal HS256 JSON Web Tokens (RFC 7519 / RFC 7515), enough for FusionAuth-style access tokens. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown> & { exp?: number; iat?: number; sub?: string };

function base64Url(data: Buffer | string): string {
	return Buffer.from(data).toString('base64url');
}

function signature(signingInput: string, secret: string): Buffer {
	return createHmac('sha256', secret).update(signingInput).digest();
}

export function signJwt(claims: JwtClaims, secret: string): string {
	const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const payload = base64Url(JSON.stringify(claims));
	const signingInput = `${header}.${payload}`;
	return `${signingInput}.${base64Url(signature(signingInput, secret))}`;
}

export type JwtCheck =
	| { valid: true; claims: JwtClaims }
	| { valid: false; reason: 'malformed' | 'algorithm' | 'signature' | 'expired' };

/** Verifies signature, algorithm and expiry (exp in seconds) against nowMs. */
export function verifyJwt(token: string, secret: string, nowMs: number): JwtCheck {
	const parts = token.split('.');
	if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) {
		return { valid: false, reason: 'malformed' };
	}
	let header: unknown;
	let claims: unknown;
	try {
		header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
		claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
	} catch {
		return { valid: false, reason: 'malformed' };
	}
	if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) {
		return { valid: false, reason: 'malformed' };
	}
	if ((header as { alg?: unknown }).alg !== 'HS256') {
		return { valid: false, reason: 'algorithm' };
	}
	const expected = signature(`${parts[0]}.${parts[1]}`, secret);
	const given = Buffer.from(parts[2], 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return { valid: false, reason: 'signature' };
	}
	const typed = claims as JwtClaims;
	if (typeof typed.exp !== 'number' || typed.exp * 1000 <= nowMs) {
		return { valid: false, reason: 'expired' };
	}
	return { valid: true, claims: typed };
}
