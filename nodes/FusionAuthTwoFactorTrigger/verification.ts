/**
 * Checks that a delivery came from FusionAuth, with node:crypto only (no runtime dependency).
 * Every function answers why a delivery is refused in words that never contain a secret.
 */
import { constants, createHash, createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

export type Verdict = { ok: true } | { ok: false; reason: string };

const OK: Verdict = { ok: true };
const refuse = (reason: string): Verdict => ({ ok: false, reason });

/** The header the trigger registers in the webhook's `headers` for the shared secret. */
export const SHARED_VALUE_HEADER = 'x-n8n-webhook-secret';
/** FusionAuth's header for signed webhooks (1.48+). */
export const SIGNATURE_HEADER = 'x-fusionauth-signature-jwt';

type Headers = Record<string, string | string[] | undefined>;

/** A property the object holds itself: a sender's JSON never reaches Object.prototype through it. */
export function own(value: unknown, name: string): unknown {
	return value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

/** A sender's text for a log line: quoted, control characters escaped, at most 64 characters of it. */
export function quoted(value: unknown): string {
	const text = typeof value === 'string' ? value : String(typeof value);
	return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}...` : text);
}

function header(headers: Headers, name: string): string | undefined {
	const value = own(headers, name);
	if (Array.isArray(value)) return value.length === 1 && typeof value[0] === 'string' ? value[0] : undefined;
	return typeof value === 'string' ? value : undefined;
}

/** Equal texts, in a time that says nothing about where they differ (hashed to one length first). */
export function constantTimeEqual(given: string | Buffer, expected: string | Buffer): boolean {
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

export function verifySharedSecret(headers: Headers, secret: string): Verdict {
	if (secret === '') return refuse('no shared secret is set up for this trigger');
	const given = header(headers, SHARED_VALUE_HEADER);
	if (given === undefined) return refuse(`the ${SHARED_VALUE_HEADER} header is missing`);
	return constantTimeEqual(given, secret) ? OK : refuse(`the ${SHARED_VALUE_HEADER} header does not match the trigger's secret`);
}

export function verifyBasicAuth(headers: Headers, username: string, password: string): Verdict {
	if (username === '' || password === '') return refuse('the trigger has no basic auth user name or password set');
	const given = header(headers, 'authorization');
	const match = given === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(given);
	if (match === null) return refuse('no basic auth Authorization header');
	const expected = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
	return constantTimeEqual(match[1], expected) ? OK : refuse('the basic auth user name or password does not match');
}

// --- signed webhooks -----------------------------------------------------------------------

// Maps, not object literals: an `alg` such as "constructor" or "toString" must find nothing.
const HMAC_ALGORITHMS = new Map<string, string>([
	['HS256', 'sha256'],
	['HS384', 'sha384'],
	['HS512', 'sha512'],
]);
interface AsymmetricAlgorithm {
	digest: 'sha256' | 'sha384' | 'sha512' | null;
	keys: string[];
	curve?: string;
	/** RSASSA-PSS, with a salt as long as the digest (RFC 7518 3.5). */
	pssSalt?: number;
}
const ASYMMETRIC_ALGORITHMS = new Map<string, AsymmetricAlgorithm>([
	['RS256', { digest: 'sha256', keys: ['rsa'] }],
	['RS384', { digest: 'sha384', keys: ['rsa'] }],
	['RS512', { digest: 'sha512', keys: ['rsa'] }],
	['PS256', { digest: 'sha256', keys: ['rsa'], pssSalt: 32 }],
	['PS384', { digest: 'sha384', keys: ['rsa'], pssSalt: 48 }],
	['PS512', { digest: 'sha512', keys: ['rsa'], pssSalt: 64 }],
	['ES256', { digest: 'sha256', keys: ['ec'], curve: 'prime256v1' }],
	['ES384', { digest: 'sha384', keys: ['ec'], curve: 'secp384r1' }],
	['ES512', { digest: 'sha512', keys: ['ec'], curve: 'secp521r1' }],
	// FusionAuth's JWT library names an Ed25519 signature by its curve (its Key Master algorithm
	// "Ed25519"); RFC 8037's "EdDSA" covers Ed25519 and Ed448 keys alike.
	['Ed25519', { digest: null, keys: ['ed25519'] }],
	['EdDSA', { digest: null, keys: ['ed25519', 'ed448'] }],
]);
/** Allowed difference between FusionAuth's clock and n8n's for `exp` and `nbf`. */
const CLOCK_SKEW_SECONDS = 60;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The `kid` of the webhook's signing key, or why it is not known; `noAnswer` when FusionAuth gave
 * none (unreachable, too slow), which says nothing about the key.
 */
export type SigningKid = { kid: string } | { problem: string; noAnswer?: boolean };

export interface SignatureOptions {
	/** With an HMAC signing key: its secret. Then only HS256/384/512 signatures are accepted. */
	hmacSecret?: string;
	/** The `kid` FusionAuth names the configured signing key by; asked only for a well-formed JWT. */
	signingKid: () => Promise<SigningKid>;
	/** Without an HMAC secret: the public key for a `kid`, undefined when FusionAuth has none. */
	publicKey?: (kid: string) => Promise<KeyObject | undefined>;
	/** Seconds since the epoch. */
	now: number;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** A JSON Web Key from a JWKS as a public key, or undefined when it is not one. */
export function publicKeyFromJwk(jwk: Record<string, unknown>): KeyObject | undefined {
	try {
		// Only the public members: a private `d` must never make this a private key.
		const publicPart: Record<string, unknown> = { ...jwk };
		for (const name of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) delete publicPart[name];
		const key = createPublicKey({ key: publicPart as JsonWebKey, format: 'jwk' });
		return key.type === 'public' ? key : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Checks `X-FusionAuth-Signature-JWT`: a well-formed JWT without critical extensions, signed by
 * the configured key (its `kid` is the signing key's, and the HMAC secret or the public key of
 * that `kid` verifies it), not expired, whose `request_body_sha256` is the Base64 SHA-256 of the
 * body exactly as it arrived.
 */
export async function verifySignature(headers: Headers, rawBody: Buffer | undefined, options: SignatureOptions): Promise<Verdict> {
	const token = header(headers, SIGNATURE_HEADER);
	if (token === undefined || token.trim() === '') return refuse('the X-FusionAuth-Signature-JWT header is missing');
	if (rawBody === undefined) return refuse('the raw request body is not available to check the signature against');
	const parts = token.trim().split('.');
	if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part)) || parts[2] === '') {
		return refuse('the X-FusionAuth-Signature-JWT header is not a signed JWT');
	}
	const [headerPart, payloadPart, signaturePart] = parts;
	const jwtHeader = decodeJson(headerPart);
	const payload = decodeJson(payloadPart);
	if (jwtHeader === undefined || payload === undefined) return refuse('the signature JWT is malformed');
	// RFC 7515 4.1.11: extensions listed in crit must be understood, and the trigger understands none.
	if (own(jwtHeader, 'crit') !== undefined) return refuse('the signature JWT lists critical header parameters (crit), which the trigger does not understand');
	const alg = own(jwtHeader, 'alg');
	if (typeof alg !== 'string') return refuse('the signature JWT names no algorithm');
	const hmacSecret = options.hmacSecret ?? '';
	const digest = HMAC_ALGORITHMS.get(alg);
	const spec = ASYMMETRIC_ALGORITHMS.get(alg);
	if (hmacSecret !== '' && digest === undefined) {
		// An HMAC key is configured: nothing else is accepted, so a public key can never stand in for it.
		return refuse(`the signature uses ${quoted(alg)}, but the trigger expects an HMAC key (HS256, HS384 or HS512)`);
	}
	if (hmacSecret === '' && spec === undefined) {
		return refuse(
			digest !== undefined
				? `the signature uses ${quoted(alg)} (an HMAC key), but no HMAC secret is set in the trigger`
				: `the signature uses an algorithm the trigger does not accept (${quoted(alg)})`,
		);
	}
	const kid = own(jwtHeader, 'kid');
	if (typeof kid !== 'string' || kid === '') return refuse('the signature JWT has no kid');
	// Only the webhook's own key: any other key FusionAuth holds (or publishes) is refused.
	const expected = await options.signingKid();
	if ('problem' in expected) return refuse(expected.problem);
	if (!constantTimeEqual(kid, expected.kid)) return refuse(`the signature JWT's kid ${quoted(kid)} is not the kid of the trigger's signing key`);
	const signedPart = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
	const signature = Buffer.from(signaturePart, 'base64url');

	if (digest !== undefined) {
		const computed = createHmac(digest, Buffer.from(hmacSecret, 'utf8')).update(signedPart).digest();
		if (!constantTimeEqual(signature, computed)) return refuse('the signature does not match the HMAC secret');
	} else if (spec !== undefined) {
		const key = options.publicKey === undefined ? undefined : await options.publicKey(kid);
		if (key === undefined) return refuse(`FusionAuth publishes no public key with kid ${quoted(kid)}`);
		if (!spec.keys.includes(key.asymmetricKeyType ?? '') || (spec.curve !== undefined && key.asymmetricKeyDetails?.namedCurve !== spec.curve)) {
			return refuse(`the key with kid ${quoted(kid)} does not fit the signature's algorithm ${quoted(alg)}`);
		}
		let valid = false;
		try {
			valid = verify(
				spec.digest,
				signedPart,
				spec.keys.includes('ec')
					? { key, dsaEncoding: 'ieee-p1363' }
					: spec.pssSalt !== undefined
						? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.pssSalt }
						: key,
				signature,
			);
		} catch {
			valid = false;
		}
		if (!valid) return refuse(`the signature does not match the public key with kid ${quoted(kid)}`);
	}

	const exp = own(payload, 'exp');
	if (exp !== undefined && !(typeof exp === 'number' && exp + CLOCK_SKEW_SECONDS > options.now)) {
		return refuse('the signature JWT has expired');
	}
	const nbf = own(payload, 'nbf');
	if (nbf !== undefined && !(typeof nbf === 'number' && nbf - CLOCK_SKEW_SECONDS <= options.now)) {
		return refuse('the signature JWT is not valid yet');
	}
	const claimed = own(payload, 'request_body_sha256');
	if (typeof claimed !== 'string') return refuse('the signature JWT has no request_body_sha256 claim');
	const actual = createHash('sha256').update(rawBody).digest('base64');
	if (!constantTimeEqual(claimed, actual)) return refuse('the body does not match the signature (request_body_sha256 differs)');
	return OK;
}
