/**
 * The `kid` of the webhook's signing key. A webhook names its Key Master key by the key's Id (a
 * UUID, `signatureConfiguration.signingKeyId`), but FusionAuth names it in the signature's header
 * by the key's `kid`, a different value: the trigger reads the key once with the Key API
 * (`GET /api/key/{keyId}`) to learn which `kid` to accept. Answers are cached per server and key;
 * a lookup that failed is not tried again for a minute, so forged deliveries cannot turn the
 * trigger into a load on FusionAuth.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { callApi, JWKS_TIMEOUT_MS } from './api';
import type { Credential } from './api';
import { own, quoted } from './verification';
import type { SigningKid } from './verification';

/** A key's `kid` does not change; read again after an hour all the same (a key deleted and imported again). */
const KNOWN_MS = 60 * 60 * 1000;
const FAILED_MS = 60 * 1000;
const MAX_KEYS = 100;
/** Key Master key Ids are UUIDs. */
export const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Entry {
	answer?: SigningKid;
	at: number;
	pending?: Promise<SigningKid>;
}

export class SigningKidCache {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly now: () => number = Date.now) {}

	async get(key: string, lookup: () => Promise<SigningKid>): Promise<SigningKid> {
		let entry = this.entries.get(key);
		if (entry?.pending !== undefined) return await entry.pending;
		if (entry?.answer !== undefined && this.now() - entry.at < ('kid' in entry.answer ? KNOWN_MS : FAILED_MS)) return entry.answer;
		if (entry === undefined) {
			if (this.entries.size >= MAX_KEYS) this.entries.delete(this.entries.keys().next().value as string);
			entry = { at: 0 };
			this.entries.set(key, entry);
		}
		const current = entry;
		current.pending = lookup()
			.catch((): SigningKid => ({ problem: 'the trigger could not read its signing key from FusionAuth' }))
			.then((answer) => {
				current.answer = answer;
				current.at = this.now();
				current.pending = undefined;
				return answer;
			});
		return await current.pending;
	}
}

/** Shared by every trigger in this n8n process. */
export const signingKids = new SigningKidCache();

/** The `kid` FusionAuth gives the key `keyId`, or why it is not known (never the key's secret). */
export async function lookUpSigningKid(context: IWebhookFunctions, credential: Credential, keyId: string): Promise<SigningKid> {
	let answer;
	try {
		// Read while FusionAuth waits for the delivery's answer: the key set's budget, not the API's 10 s.
		answer = await callApi(context, credential, 'GET', ['key', keyId], undefined, JWKS_TIMEOUT_MS);
	} catch {
		return { problem: `the trigger could not reach FusionAuth at ${credential.baseUrl} to read its signing key ${keyId}` };
	}
	if (answer.statusCode !== 200) {
		return {
			problem: `FusionAuth answered ${answer.statusCode} to GET /api/key/${keyId}: check the Signing Key ID and that the API key may call GET /api/key`,
		};
	}
	const kid = own(own(answer.body, 'key'), 'kid');
	if (typeof kid !== 'string' || kid === '') return { problem: `FusionAuth's key ${keyId} has no kid` };
	return { kid };
}

/** Why a Signing Key ID cannot name a key, or undefined when it can. */
export function keyIdProblem(keyId: string): string | undefined {
	if (keyId === '') return 'no Signing Key ID is set in the trigger, and only signatures by that key are accepted';
	return KEY_ID.test(keyId) ? undefined : `the Signing Key ID ${quoted(keyId)} is not a Key Master key Id (a UUID)`;
}
