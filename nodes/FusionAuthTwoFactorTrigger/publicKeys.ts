/**
 * Public keys from FusionAuth's `/.well-known/jwks.json`, cached per server so that deliveries do
 * not each fetch them. An unknown `kid` (a rotated key) fetches the set again, but at most once a
 * second per server, and a kid found missing is not looked for again for a while: forged
 * deliveries with made-up kids cannot turn the trigger into a load on FusionAuth.
 */
import type { KeyObject } from 'node:crypto';

import { publicKeyFromJwk } from './verification';

const MAX_AGE_MS = 60 * 60 * 1000;
/** Least time between two fetches of one server's set. */
const MIN_GAP_MS = 1000;
/** How long a kid the set did not hold is answered as unknown without fetching again. */
const MISSING_MS = 60 * 1000;
const MAX_SERVERS = 50;
const MAX_MISSING = 100;

interface Entry {
	keys: Map<string, KeyObject>;
	fetchedAt: number;
	/** Kids the last fetches did not hold, with when. */
	missing: Map<string, number>;
}

export class PublicKeyCache {
	private readonly servers = new Map<string, Entry>();

	constructor(private readonly now: () => number = Date.now) {}

	/** The key for `kid`, fetching the set when it is missing, stale or does not hold the kid. */
	async get(server: string, kid: string, fetch: () => Promise<unknown[]>): Promise<KeyObject | undefined> {
		const entry = this.servers.get(server);
		const now = this.now();
		const known = entry?.keys.get(kid);
		if (entry !== undefined) {
			if (known !== undefined && now - entry.fetchedAt < MAX_AGE_MS) return known;
			const missingSince = entry.missing.get(kid);
			if (known === undefined && missingSince !== undefined && now - missingSince < MISSING_MS) return undefined;
			if (now - entry.fetchedAt < MIN_GAP_MS) return known;
		}
		let keys: unknown[];
		try {
			keys = await fetch();
		} catch {
			// FusionAuth unreachable: keep what was known (a stale key still verifies until rotated).
			if (entry !== undefined) entry.fetchedAt = now;
			return known;
		}
		const fresh = new Map<string, KeyObject>();
		for (const jwk of keys) {
			if (jwk === null || typeof jwk !== 'object') continue;
			const id = (jwk as { kid?: unknown }).kid;
			const key = publicKeyFromJwk(jwk as Record<string, unknown>);
			if (typeof id === 'string' && key !== undefined) fresh.set(id, key);
		}
		if (!this.servers.has(server) && this.servers.size >= MAX_SERVERS) {
			this.servers.delete(this.servers.keys().next().value as string);
		}
		const missing = new Map([...(entry?.missing ?? new Map<string, number>())].filter(([, since]) => now - since < MISSING_MS));
		if (!fresh.has(kid)) {
			if (missing.size >= MAX_MISSING) missing.delete(missing.keys().next().value as string);
			missing.set(kid, now);
		}
		this.servers.set(server, { keys: fresh, fetchedAt: now, missing });
		return fresh.get(kid);
	}

	clear(): void {
		this.servers.clear();
	}
}

/** Shared by every trigger in this n8n process. */
export const publicKeys = new PublicKeyCache();
