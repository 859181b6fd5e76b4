import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import { asUser, userSearchRequest } from '../../helpers/user';
import type { FusionAuthTransport } from '../../transport';

/** Elasticsearch reports at most this many hits as `total` unless asked for an accurate one. */
export const ELASTICSEARCH_TOTAL_CAP = 10_000;

/**
 * An order that holds on both search engines: insertInstant, then id (both sortable with the
 * database engine and with Elasticsearch). A user who enrolls or arrives keeps their place
 * relative to the others, so no one moves between two pages, and a position between two users
 * stays meaningful from one execution to the next.
 */
export const STABLE_ORDER: IDataObject[] = [
	{ name: 'insertInstant', order: 'asc' },
	{ name: 'id', order: 'asc' },
];

export interface SearchPaging {
	/** The operation's name as error messages start with it ("Get Many Users"). */
	what: string;
	queryString: string;
	pageSize: number;
	/** The most search requests: paging always ends, also against a server that answers full pages forever. */
	maxPages: number;
	/** The message for a search that reaches `maxPages`, without the operation's name and item. */
	ceilingMessage(): string;
	/** FusionAuth's sortFields, for an order that holds from one page to the next. */
	sortFields?: IDataObject[];
	startRow?: number;
	/** What to do about a page that comes again (default: check the engine, or set a Limit). */
	repeatAdvice?: string;
}

/** A page's users, by id, as a short fingerprint: a page seen twice means paging goes round in circles. */
function pageFingerprint(users: unknown[]): string {
	const ids = users.map((user) => String(asUser(user)?.id ?? ''));
	return createHash('sha256').update(ids.join('\n')).digest('base64');
}

/** Paging that cannot go on fails the item (its users so far are not output as if they were all). */
export function pagingError(parameters: ItemParameters, what: string, problem: string): NodeOperationError {
	return new NodeOperationError(parameters.context.getNode(), `${what} ${problem} [item ${parameters.itemIndex}]`, {
		itemIndex: parameters.itemIndex,
	});
}

/**
 * The pages of POST /api/user/search for one query, in order: startRow first, then the
 * `nextResults` token where FusionAuth hands one (Elasticsearch, 1.48 and later), which pages past
 * Elasticsearch's 10,000-result window. The caller stops reading when it has what it needs; only
 * one page is held at a time.
 */
export async function* searchPages(
	transport: FusionAuthTransport,
	parameters: ItemParameters,
	paging: SearchPaging,
): AsyncGenerator<IDataObject[]> {
	const { what, queryString, pageSize, maxPages } = paging;
	const seenPages = new Set<string>();
	let startRow = paging.startRow ?? 0;
	let nextResults: string | undefined;
	for (let page = 1; ; page++) {
		if (page > maxPages) throw pagingError(parameters, what, paging.ceilingMessage());
		// A nextResults token carries the query, sort and position itself: FusionAuth takes nothing else with it.
		const search: IDataObject =
			nextResults !== undefined
				? { nextResults, numberOfResults: pageSize }
				: {
						queryString,
						numberOfResults: pageSize,
						startRow,
						...(paging.sortFields !== undefined ? { sortFields: paging.sortFields } : {}),
					};
		const response = await transport.send(userSearchRequest(search), parameters.itemIndex);
		const body = response.body ?? {};
		if (body.users !== undefined && !Array.isArray(body.users)) {
			throw pagingError(parameters, what, `got a search answer whose users is not a list (page ${page}): not what FusionAuth sends`);
		}
		const entries = (body.users as unknown[] | undefined) ?? [];
		if (entries.length > 0) {
			const fingerprint = pageFingerprint(entries);
			if (seenPages.has(fingerprint)) {
				throw pagingError(
					parameters,
					what,
					`got the same page of users twice from FusionAuth (page ${page}): paging stopped, as it would never end. ${paging.repeatAdvice ?? "Check the search engine's configuration, or set a Limit"}`,
				);
			}
			seenPages.add(fingerprint);
		}
		yield entries.map(asUser).filter((user): user is IDataObject => user !== undefined);
		startRow += entries.length;
		const total = typeof body.total === 'number' ? body.total : undefined;
		const token = typeof body.nextResults === 'string' && body.nextResults !== '' ? body.nextResults : undefined;
		if (entries.length < pageSize) return;
		// Elasticsearch caps total at 10,000; with a token, that total says nothing about the end.
		const totalIsCapped = total === ELASTICSEARCH_TOTAL_CAP && token !== undefined;
		if (total !== undefined && startRow >= total && !totalIsCapped) return;
		// A token handed back unchanged brings the same page again, which fails as a repeated page
		// above: the users so far are never output as if they were all.
		nextResults = token;
	}
}
