import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { defaultTransportOptions } from '../actions/options';
import { asUser, userSearchRequest } from '../helpers/user';
import { FusionAuthTransport } from '../transport';
import type { FusionAuthRequest } from '../../shared/request';

/** Users per page of the From List picker. */
const PICKER_PAGE_SIZE = 25;

/**
 * What the picker asks FusionAuth for: every user for no text; text with query syntax as typed;
 * other text anywhere in a name, email or username (FusionAuth's `*` wildcard, both search engines).
 */
export function userSearchQueryString(filter: string | undefined): string {
	const text = (filter ?? '').trim();
	if (text === '') return '*';
	if (/[*?:"()\s]/.test(text)) return text;
	return `*${text}*`;
}

/** One page of the picker's search. */
function pickerSearchRequest(filter: string | undefined, startRow: number): FusionAuthRequest {
	return userSearchRequest({ queryString: userSearchQueryString(filter), numberOfResults: PICKER_PAGE_SIZE, startRow });
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A user as the picker shows it: email or username, and the full name where FusionAuth has one. */
export function userSearchItem(user: IDataObject): INodeListSearchItems | undefined {
	const id = text(user.id);
	if (id === undefined) return undefined;
	const login = text(user.email) ?? text(user.username) ?? id;
	const fullName =
		text(user.fullName) ?? text([user.firstName, user.lastName].filter((part) => typeof part === 'string').join(' '));
	return { name: fullName === undefined ? login : `${login} (${fullName})`, value: id };
}

/** The From List mode of the `userId` resource locator: FusionAuth's user search, a page at a time. */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const startRow = /^\d+$/.test(paginationToken ?? '') ? Number(paginationToken) : 0;
	const transport = await FusionAuthTransport.create(this, defaultTransportOptions());
	const response = await transport.send(pickerSearchRequest(filter, startRow), 0);
	const users = Array.isArray(response.body?.users) ? (response.body.users as unknown[]) : [];
	const results = users
		.map((entry) => asUser(entry))
		.filter((user): user is IDataObject => user !== undefined)
		.map(userSearchItem)
		.filter((item): item is INodeListSearchItems => item !== undefined);
	const total = typeof response.body?.total === 'number' ? response.body.total : 0;
	const next = startRow + users.length;
	// An empty page ends the list too, whatever total says.
	return users.length > 0 && next < total ? { results, paginationToken: String(next) } : { results };
}
