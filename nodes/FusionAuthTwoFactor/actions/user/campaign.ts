import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { TwoFactorStatus } from '../../helpers/user';
import { matchesTwoFactorStatus, userItem } from '../../helpers/user';
import type { FusionAuthTransport } from '../../transport';
import { pagingError, searchPages, STABLE_ORDER } from './searchPages';

/** Where the position lives in the node's static data. */
export const POSITION_KEY = 'continueFromLastRun';

/** Users asked for per search request while looking for the next batch. */
const PAGE_SIZE = 100;

/** Enough requests for ten million users in pages of 100, as Get Many's Return All. */
const MAX_PAGES = 100_000;

/** The saved position: after this user (sort key), and at this row of the unfiltered search. */
interface Position {
	/** Which search the position belongs to: another query, status or filter starts over. */
	query: string;
	offset: number;
	insertInstant: number;
	id: string;
}

type SortKey = [number, string];

function compareKeys(a: SortKey, b: SortKey): number {
	if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
	return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function readPosition(value: unknown): Position | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const entry = value as IDataObject;
	if (typeof entry.query !== 'string' || typeof entry.id !== 'string') return undefined;
	if (typeof entry.offset !== 'number' || typeof entry.insertInstant !== 'number') return undefined;
	return { query: entry.query, offset: entry.offset, insertInstant: entry.insertInstant, id: entry.id };
}

interface Batch {
	users: IDataObject[];
	/** After the batch's last user; undefined when the search ran out (the next batch starts over). */
	next?: Position;
}

export interface CampaignSettings {
	userQuery: string;
	status: TwoFactorStatus;
	serverSideFilter: boolean;
	resetPosition: boolean;
}

/**
 * Get Many's Continue From Last Run: each execution returns the next `limit` matching users
 * after the saved position, in insertInstant-then-id order, and starts over after the last.
 *
 * With the Server Side Filter (Elasticsearch) the position is a range clause on insertInstant, so
 * the users who enroll and drop out of the query move nothing. With the database engine, which has
 * no range queries, the search is every user the query finds (the two factor status is checked
 * here), the position is also a row, and the row is checked against the saved user: if users
 * before it were deleted, the batch looks for its place from the start instead of skipping anyone.
 */
export class Campaign {
	private readonly query: string;

	constructor(
		private readonly parameters: ItemParameters,
		private readonly settings: CampaignSettings,
	) {
		const { userQuery, status, serverSideFilter } = settings;
		this.query = createHash('sha256')
			.update(JSON.stringify([parameters.apiVersion, userQuery, status, serverSideFilter]))
			.digest('base64');
	}

	async nextBatch(transport: FusionAuthTransport, queryString: string, limit: number): Promise<IDataObject[]> {
		const context = this.parameters.context;
		const staticData = context.getWorkflowStaticData('node');
		const saved = readPosition(staticData[POSITION_KEY]);
		const from = !this.settings.resetPosition && saved?.query === this.query ? saved : undefined;
		let batch = await this.batchAfter(transport, queryString, limit, from);
		// The previous batch ended on the last user: this execution starts the next pass.
		if (batch.users.length === 0 && from !== undefined) batch = await this.batchAfter(transport, queryString, limit, undefined);

		// Only now, with the batch complete: a failed search leaves the saved position as it was.
		if (context.getMode() === 'manual') {
			context.addExecutionHints?.({
				message:
					'Continue From Last Run: a manual execution does not save its position, so the next execution of the active workflow returns these users again. The position moves in executions of the active workflow and with n8n execute.',
				location: 'outputPane',
			});
		} else if (batch.next !== undefined) {
			staticData[POSITION_KEY] = { ...batch.next };
		} else {
			delete staticData[POSITION_KEY];
		}
		return batch.users;
	}

	private keyOf(user: IDataObject): SortKey {
		const { insertInstant, id } = user;
		if (typeof insertInstant !== 'number' || typeof id !== 'string') {
			throw pagingError(
				this.parameters,
				'Get Many Users',
				'got a user without insertInstant or id from FusionAuth: Continue From Last Run cannot keep its position',
			);
		}
		return [insertInstant, id.toLowerCase()];
	}

	private async batchAfter(transport: FusionAuthTransport, queryString: string, limit: number, from: Position | undefined): Promise<Batch> {
		const { serverSideFilter, status } = this.settings;
		const after: SortKey | undefined = from && [from.insertInstant, from.id];
		// The database engine: start one row before the saved one, which must be the saved user.
		const startRow = !serverSideFilter && from !== undefined ? Math.max(0, from.offset - 1) : 0;
		const search =
			serverSideFilter && from !== undefined ? `(${queryString}) AND insertInstant:>=${from.insertInstant}` : queryString;
		const users: IDataObject[] = [];
		let row = startRow;
		const pages = searchPages(transport, this.parameters, {
			what: 'Get Many Users',
			queryString: search,
			pageSize: PAGE_SIZE,
			maxPages: MAX_PAGES,
			sortFields: STABLE_ORDER,
			startRow,
			ceilingMessage: () =>
				`stopped after ${MAX_PAGES.toLocaleString('en-US')} search requests (${users.length.toLocaleString('en-US')} matching users so far): narrow the Query String`,
		});
		for await (const page of pages) {
			for (const user of page) {
				row++;
				const key = this.keyOf(user);
				if (after !== undefined && compareKeys(key, after) <= 0) continue;
				// Past the saved user on the first row read: users before it were deleted, rows moved up.
				if (after !== undefined && row === startRow + 1 && startRow > 0) {
					return await this.batchAfter(transport, queryString, limit, { ...(from as Position), offset: 0 });
				}
				if (!matchesTwoFactorStatus(user, status)) continue;
				users.push(userItem(user));
				if (users.length >= limit) {
					return { users, next: { query: this.query, offset: row, insertInstant: key[0], id: key[1] } };
				}
			}
		}
		return { users };
	}
}
