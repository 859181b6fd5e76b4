/**
 * Public keys from FusionAuth's `/.well-known/jwks.json`, cached per server so that deliveries do
 * not each fetch them. A `kid` the cache does not hold (a rotated key) fetches the set again, but
 * one server's set is fetched at most once a second, concurrent lookups share one fetch, and a
 * kid the server did not publish is not looked for again for a minute: deliveries with made-up
 * kids cannot turn the trigger into a load on FusionAuth.
 */
import type { KeyObject } from 'node:crypto';
import { sleep } from 'n8n-workflow';

import { publicKeyFromJwk } from './verification';

const MAX_AGE_MS = 60 * 60 * 1000;
/** Least time between two fetches of one server's set. */
const MIN_GAP_MS = 1000;
/** How long a kid the server did not publish is answered as unknown without fetching again. */
const MISSING_MS = 60 * 1000;
const MAX_SERVERS = 50;
const MAX_MISSING = 100;

interface Entry {
	keys: Map<string, KeyObject>;
	fetchedAt: number;
	/** Kids a fetch did not find, with when. */
	missing: Map<string, number>;
	refreshing?: Promise<boolean>;
}

export class PublicKeyCache {
	private readonly servers = new Map<string, Entry>();

	constructor(private readonly now: () => number = Date.now) {}

	/** The key for `kid`, fetching the set when it is stale or does not hold the kid. */
	async get(server: string, kid: string, download: () => Promise<unknown[]>): Promise<KeyObject | undefined> {
		let entry = this.servers.get(server);
		const known = entry?.keys.get(kid);
		if (entry !== undefined && known !== undefined && this.now() - entry.fetchedAt < MAX_AGE_MS) return known;
		const missingSince = entry?.missing.get(kid);
		if (known === undefined && missingSince !== undefined && this.now() - missingSince < MISSING_MS) return undefined;

		if (entry === undefined) {
			if (this.servers.size >= MAX_SERVERS) this.servers.delete(this.servers.keys().next().value as string);
			entry = { keys: new Map(), fetchedAt: 0, missing: new Map() };
			this.servers.set(server, entry);
		}
		entry.refreshing ??= this.refresh(entry, download).finally(() => {
			(entry as Entry).refreshing = undefined;
		});
		const fetched = await entry.refreshing;

		// A key the server no longer publishes (rotated out, revoked) is not used again.
		const found = entry.keys.get(kid);
		// Only a set that arrived says a kid is not published; a failed fetch says nothing about it.
		if (found === undefined && fetched) {
			if (entry.missing.size >= MAX_MISSING) entry.missing.delete(entry.missing.keys().next().value as string);
			entry.missing.set(kid, this.now());
		}
		return found;
	}

	/** Whether a set arrived; without one the keys already known stay. */
	private async refresh(entry: Entry, download: () => Promise<unknown[]>): Promise<boolean> {
		const wait = entry.fetchedAt + MIN_GAP_MS - this.now();
		if (wait > 0) await sleep(wait);
		let keys: unknown[];
		try {
			keys = await download();
		} catch {
			// FusionAuth unreachable or answering with an error: keep what was known (a stale key
			// still verifies until rotated).
			entry.fetchedAt = this.now();
			return false;
		}
		const fresh = new Map<string, KeyObject>();
		for (const jwk of keys) {
			if (jwk === null || typeof jwk !== 'object') continue;
			const id = (jwk as { kid?: unknown }).kid;
			const key = publicKeyFromJwk(jwk as Record<string, unknown>);
			if (typeof id === 'string' && key !== undefined) fresh.set(id, key);
		}
		entry.keys = fresh;
		entry.fetchedAt = this.now();
		entry.missing = new Map([...entry.missing].filter(([kid, since]) => !fresh.has(kid) && this.now() - since < MISSING_MS));
		return true;
	}
}

/** Shared by every trigger in this n8n process. */
export const publicKeys = new PublicKeyCache();
