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

/** Applications per page of the application picker. */
const APPLICATION_PAGE_SIZE = 25;

function objects(value: unknown): IDataObject[] {
	return Array.isArray(value)
		? value.filter((entry): entry is IDataObject => typeof entry === 'object' && entry !== null && !Array.isArray(entry))
		: [];
}

/** A tenant or application as a picker shows it: its name, or its ID where it has none. */
function namedItem(entry: IDataObject): INodeListSearchItems | undefined {
	const id = text(entry.id);
	return id === undefined ? undefined : { name: text(entry.name) ?? id, value: id };
}

/**
 * The From List mode of the `tenantId` resource locator: `GET /api/tenant` (retrieveTenants),
 * which answers every tenant the key may see at once, filtered here by the typed text.
 */
export async function searchTenants(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const transport = await FusionAuthTransport.create(this, defaultTransportOptions());
	const response = await transport.send({ method: 'GET', path: ['tenant'], expectBody: {}, authentication: { type: 'apiKey' } }, 0);
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = objects(response.body?.tenants)
		.map(namedItem)
		.filter((item): item is INodeListSearchItems => item !== undefined)
		.filter((item) => wanted === '' || item.name.toLowerCase().includes(wanted) || String(item.value).toLowerCase().includes(wanted));
	return { results };
}

/**
 * The From List mode of the `applicationId` resource locator: the application search
 * (`POST /api/application/search`, searchApplications, FusionAuth 1.45 and later), a page at a
 * time, in the credential's tenant where it names one. FusionAuth matches a name without `*` anywhere.
 */
export async function searchApplications(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const startRow = /^\d+$/.test(paginationToken ?? '') ? Number(paginationToken) : 0;
	const name = (filter ?? '').trim();
	const search: IDataObject = { numberOfResults: APPLICATION_PAGE_SIZE, startRow };
	if (name !== '') search.name = name;
	const transport = await FusionAuthTransport.create(this, defaultTransportOptions());
	const response = await transport.send(
		{
			method: 'POST',
			path: ['application', 'search'],
			body: { search },
			expectBody: {},
			// A search changes nothing: a page whose connection broke may be asked for again.
			repeatable: true,
			authentication: { type: 'apiKey' },
		},
		0,
	);
	const applications = objects(response.body?.applications);
	const results = applications.map(namedItem).filter((item): item is INodeListSearchItems => item !== undefined);
	const total = typeof response.body?.total === 'number' ? response.body.total : 0;
	const next = startRow + applications.length;
	return applications.length > 0 && next < total ? { results, paginationToken: String(next) } : { results };
}
