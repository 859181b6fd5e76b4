/**
 * A large population of users for the user search only, derived from each user's index on
 * demand instead of stored: a million users cost no memory, so the scale benchmark measures the
 * node, not the simulator. User i has id `e0000000-0000-4000-8000-<i, 12 digits>`, insertInstant
 * `start + i` seconds (so index order is insertInstant-then-id order), a tenant and an
 * application by turn, and, for about 30% of users, second factors in a fixed mix (authenticator
 * mostly, then email, SMS, both an authenticator and SMS).
 *
 * The search answers as searchPage does for stored users: the query (Elasticsearch syntax, or
 * `*` with the database engine) is matched on each rendered user; only the order FusionAuth would
 * give for no sortFields or for insertInstant-then-id is offered, and a one-sided range on
 * insertInstant or a nextResults position skips straight to its first index.
 */
import type { QueryNode } from './query';
import { matchesQuery } from './query';

export interface PopulationOptions {
	count: number;
	/** insertInstant of user 0 (ms since the epoch). */
	start?: number;
}

const DEFAULT_START = Date.UTC(2020, 0, 1);
const STEP_MS = 1000;

/** A small, fixed hash of the index: the same users have the same methods in every run. */
function hash(index: number): number {
	let value = (index + 0x9e3779b9) >>> 0;
	value = Math.imul(value ^ (value >>> 16), 0x85ebca6b) >>> 0;
	value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35) >>> 0;
	return (value ^ (value >>> 16)) >>> 0;
}

export class Population {
	readonly count: number;
	private readonly start: number;
	/** Exact counts per query, computed once: Elasticsearch's accurateTotal over a million users. */
	private readonly counts = new Map<string, number>();

	constructor(
		options: PopulationOptions,
		private readonly tenants: string[],
		private readonly applications: string[],
	) {
		this.count = options.count;
		this.start = options.start ?? DEFAULT_START;
	}

	id(index: number): string {
		return `e0000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
	}

	methodsOf(index: number): string[] {
		const value = hash(index);
		if (value % 100 >= 30) return [];
		const kind = (value >>> 8) % 10;
		if (kind < 6) return ['authenticator'];
		if (kind < 8) return ['email'];
		if (kind < 9) return ['sms'];
		return ['authenticator', 'sms'];
	}

	/** User i as the search renders a user. */
	user(index: number): Record<string, unknown> {
		const insertInstant = this.start + index * STEP_MS;
		const email = `user${index}@example.com`;
		const methods = this.methodsOf(index).map((method, n) => ({
			id: `P${n}${String(index % 100).padStart(2, '0')}`,
			method,
			...(method === 'authenticator' ? { authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } } : {}),
			...(method === 'email' ? { email } : {}),
			...(method === 'sms' ? { mobilePhone: `+1555${String(index % 10_000_000).padStart(7, '0')}` } : {}),
		}));
		return {
			active: true,
			data: {},
			email,
			firstName: 'User',
			fullName: `User ${index}`,
			id: this.id(index),
			insertInstant,
			lastName: String(index),
			lastUpdateInstant: insertInstant,
			memberships: [],
			passwordChangeRequired: false,
			preferredLanguages: [],
			registrations: [
				{
					applicationId: this.applications[index % this.applications.length],
					id: `f0000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
					insertInstant,
					roles: [],
					usernameStatus: 'ACTIVE',
					verified: true,
				},
			],
			tenantId: this.tenants[index % this.tenants.length],
			twoFactor: methods.length > 0 ? { methods } : {},
			username: `user${index}`,
			usernameStatus: 'ACTIVE',
			verified: true,
		};
	}

	/** The first index whose insertInstant-then-id key is after `after`. */
	indexAfter(after: unknown[]): number {
		const [instant, id] = after;
		if (typeof instant !== 'number') return 0;
		const index = Math.floor((instant - this.start) / STEP_MS);
		if (index < 0) return 0;
		if (index >= this.count) return this.count;
		return typeof id === 'string' && id >= this.id(index) ? index + 1 : index;
	}

	/** The first index a top-level `insertInstant:>=` (or `>`) clause lets through. */
	private lowerBound(node: QueryNode | undefined): number {
		const clauses = node === undefined ? [] : node.kind === 'and' ? node.nodes : [node];
		let bound = 0;
		for (const clause of clauses) {
			if (clause.kind !== 'range' || clause.field !== 'insertInstant') continue;
			if (clause.operator !== '>=' && clause.operator !== '>') continue;
			const first = Math.ceil((clause.bound - this.start) / STEP_MS) + (clause.operator === '>' && (clause.bound - this.start) % STEP_MS === 0 ? 1 : 0);
			bound = Math.max(bound, Math.min(this.count, Math.max(0, first)));
		}
		return bound;
	}

	private matches(node: QueryNode | undefined, index: number): boolean {
		return node === undefined || node.kind === 'all' || matchesQuery(node, this.user(index));
	}

	/** How many users match; with Elasticsearch and no accurateTotal, counting stops at `cap`. */
	total(node: QueryNode | undefined, key: string, cap = Number.POSITIVE_INFINITY): number {
		if (node === undefined || node.kind === 'all') return Math.min(this.count, cap);
		const known = this.counts.get(key);
		if (known !== undefined) return Math.min(known, cap);
		let found = 0;
		for (let index = this.lowerBound(node); index < this.count; index++) {
			if (this.matches(node, index) && ++found >= cap) return found;
		}
		this.counts.set(key, found);
		return found;
	}

	/** A page of matching users in index order, from `startRow` of those after `from`. */
	page(node: QueryNode | undefined, from: number, startRow: number, size: number): Array<Record<string, unknown>> {
		const users: Array<Record<string, unknown>> = [];
		let index = Math.max(from, this.lowerBound(node));
		if (node === undefined || node.kind === 'all') {
			for (index += startRow; index < this.count && users.length < size; index++) users.push(this.user(index));
			return users;
		}
		let skipped = 0;
		for (; index < this.count && users.length < size; index++) {
			if (!this.matches(node, index)) continue;
			if (skipped < startRow) skipped++;
			else users.push(this.user(index));
		}
		return users;
	}
}
