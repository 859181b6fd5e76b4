/**
 * The `kid` of the webhook's signing key. A webhook names its Key Master key by the key's Id (a
 * UUID, `signatureConfiguration.signingKeyId`), but FusionAuth names it in the signature's header
 * by the key's `kid`, a different value: the trigger reads the key once with the Key API
 * (`GET /api/key/{keyId}`) to learn which `kid` to accept. Answers are cached per server and key;
 * one FusionAuth refused is not asked again for a minute, so forged deliveries cannot turn the
 * trigger into a load on FusionAuth. A lookup FusionAuth did not answer (n8n or FusionAuth too busy
 * within the delivery's budget) is tried again after a second, and a `kid` known before stays in
 * use meanwhile: a burst of deliveries must not be refused for a minute because one lookup was slow.
 * Activation reads the key (and the key set) ahead, while no delivery waits (`readSigningKeysAhead`).
 */
import type { KeyObject } from 'node:crypto';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { callApi, fetchJwks, JWKS_TIMEOUT_MS, readCredential } from './api';
import type { Credential } from './api';
import { publicKeys } from './publicKeys';
import { own, quoted } from './verification';
import type { SigningKid } from './verification';

/** A key's `kid` does not change; read again after an hour all the same (a key deleted and imported again). */
const KNOWN_MS = 60 * 60 * 1000;
const FAILED_MS = 60 * 1000;
/** After a lookup without an answer: as often as the key set may be fetched (publicKeys.ts). */
const NO_ANSWER_MS = 1000;
const MAX_KEYS = 100;
/** Key Master key Ids are UUIDs. */
export const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Entry {
	answer?: SigningKid;
	/** Until when the answer stands without asking again. */
	until: number;
	pending?: Promise<SigningKid>;
}

export class SigningKidCache {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly now: () => number = Date.now) {}

	async get(key: string, lookup: () => Promise<SigningKid>): Promise<SigningKid> {
		let entry = this.entries.get(key);
		if (entry?.pending !== undefined) return await entry.pending;
		if (entry?.answer !== undefined && this.now() < entry.until) return entry.answer;
		if (entry === undefined) {
			if (this.entries.size >= MAX_KEYS) this.entries.delete(this.entries.keys().next().value as string);
			entry = { until: 0 };
			this.entries.set(key, entry);
		}
		const current = entry;
		current.pending = lookup()
			.catch((): SigningKid => ({ problem: 'the trigger could not read its signing key from FusionAuth', noAnswer: true }))
			.then((answer) => {
				current.pending = undefined;
				if ('kid' in answer) {
					current.answer = answer;
					current.until = this.now() + KNOWN_MS;
				} else if (answer.noAnswer === true) {
					// Says nothing about the key: a kid known before stays, and FusionAuth is asked again soon.
					if (current.answer === undefined || !('kid' in current.answer)) current.answer = answer;
					current.until = this.now() + NO_ANSWER_MS;
				} else {
					current.answer = answer;
					current.until = this.now() + FAILED_MS;
				}
				return current.answer;
			});
		return await current.pending;
	}
}

/** Shared by every trigger in this n8n process. */
export const signingKids = new SigningKidCache();

/** The `kid` FusionAuth gives the key `keyId`, or why it is not known (never the key's secret). */
export async function lookUpSigningKid(context: IHookFunctions | IWebhookFunctions, credential: Credential, keyId: string): Promise<SigningKid> {
	let answer;
	try {
		// Read while FusionAuth waits for the delivery's answer: the key set's budget, not the API's 10 s.
		answer = await callApi(context, credential, 'GET', ['key', keyId], undefined, JWKS_TIMEOUT_MS);
	} catch {
		return { problem: `the trigger could not reach FusionAuth at ${credential.baseUrl} to read its signing key ${keyId} within ${JWKS_TIMEOUT_MS / 1000} s`, noAnswer: true };
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

/** The trigger's Signing Key ID as activation and every delivery read it. */
export function signingKeyIdParameter(context: IHookFunctions | IWebhookFunctions): string {
	return String(context.getNodeParameter('signingKeyId', '')).trim();
}

/** Why a Signing Key ID cannot name a key, or undefined when it can. */
export function keyIdProblem(keyId: string): string | undefined {
	if (keyId === '') return 'no Signing Key ID is set in the trigger, and only signatures by that key are accepted';
	return KEY_ID.test(keyId) ? undefined : `the Signing Key ID ${quoted(keyId)} is not a Key Master key Id (a UUID)`;
}

export interface KeySources {
	/** The kid of the trigger's signing key, from the cache or the Key API. */
	signingKid: () => Promise<SigningKid>;
	/** The public key FusionAuth publishes under a kid, from the cache or the key set. */
	publicKey: (kid: string) => Promise<KeyObject | undefined>;
}

/** How long a trigger's server (Base URL, tenant) read from its credential is used without reading it again. */
const SERVER_MS = 1000;
const MAX_SERVERS = 1000;
/**
 * The server each trigger's credential names, per workflow, node and credential: reading the
 * credential decrypts it in n8n (a database read and more, about 10 ms of n8n's CPU in 2.x), which
 * a burst of signed deliveries would otherwise pay once each. Holds no secret (not the API key).
 */
const servers = new Map<string, { credential: Promise<Credential>; until: number }>();

function cachedServer(context: IHookFunctions | IWebhookFunctions): Promise<Credential> {
	const credentialId = context.getNode().credentials?.fusionAuthApi?.id;
	if (typeof credentialId !== 'string' || credentialId === '') return readCredential(context);
	const key = `${String(context.getWorkflow().id)} ${context.getNode().name} ${credentialId}`;
	const now = Date.now();
	const known = servers.get(key);
	if (known !== undefined && now < known.until) return known.credential;
	servers.delete(key);
	if (servers.size >= MAX_SERVERS) servers.delete(servers.keys().next().value as string);
	const credential = readCredential(context);
	servers.set(key, { credential, until: now + SERVER_MS });
	// A read that failed is not kept: the next delivery reads again (and says why).
	credential.catch(() => {
		if (servers.get(key)?.credential === credential) servers.delete(key);
	});
	return credential;
}

/** Where a signature check gets its keys: cached per server (and key), read through `context` when not known. */
export function keySources(context: IHookFunctions | IWebhookFunctions, keyId: string): KeySources {
	// Read only when asked: a delivery without a well-formed token costs n8n no credential read.
	let credential: Promise<Credential> | undefined;
	const server = async () => await (credential ??= cachedServer(context));
	return {
		signingKid: async () => {
			const { baseUrl, tenantId } = await server();
			return await signingKids.get(`${baseUrl} ${tenantId} ${keyId.toLowerCase()}`, async () => await lookUpSigningKid(context, await server(), keyId));
		},
		publicKey: async (kid) => {
			const { baseUrl, tenantId } = await server();
			return await publicKeys.get(`${baseUrl} ${tenantId}`, kid, async () => await fetchJwks(context, await server()));
		},
	};
}

/**
 * On activation, for signed deliveries: the signing key's kid (and, for a public key, the key set)
 * read now, while no delivery waits, so that the first burst finds them cached instead of each
 * delivery waiting on FusionAuth while n8n is busiest. Best effort: what fails here is read again
 * by the first delivery.
 */
export async function readSigningKeysAhead(context: IHookFunctions): Promise<void> {
	try {
		if (context.getNodeParameter('verification', 'sharedSecret') !== 'signature') return;
		const keyId = signingKeyIdParameter(context);
		if (keyIdProblem(keyId) !== undefined) return;
		const sources = keySources(context, keyId);
		const expected = await sources.signingKid();
		if ('kid' in expected && String(context.getNodeParameter('hmacSecret', '')) === '') await sources.publicKey(expected.kid);
	} catch {
		// Nothing read: the first delivery reads it.
	}
}
