/**
 * Users: retrieve by id (GET /api/user/{userId}), look up by email, username or login ID
 * (GET /api/user?...), search (POST and GET /api/user/search, with the database or the
 * Elasticsearch engine), and create and delete, so a run can bring its own user (as the live
 * tests do).
 */
import { randomUUID } from 'node:crypto';

import { BodyReader, checkLoginIdTypes, EMPTY, Errors, jsonOf, tenantRequired, userFromPath } from './http';
import type { Context, Reply, Route } from './http';
import { matchesQuery, parseQueryString, QueryError } from './query';
import type { QueryNode } from './query';
import type { Population } from './population';
import { isUuid } from './state';
import type { SimulatorState, UserRecord } from './state';

interface SortField {
	name: string;
	order: 'asc' | 'desc';
	missing: '_first' | '_last';
}

export function userRoutes(sim: SimulatorState): Route[] {
	return [
		{ method: 'POST', pattern: ['api', 'user', 'search'], auth: ['key'], endpoint: '/api/user/search', json: 'required', handler: (ctx) => search(sim, ctx) },
		{ method: 'GET', pattern: ['api', 'user', 'search'], auth: ['key'], endpoint: '/api/user/search', json: 'none', handler: (ctx) => search(sim, ctx) },
		{ method: 'GET', pattern: ['api', 'user', ':userId'], auth: ['key'], endpoint: '/api/user', json: 'none', handler: (ctx, p) => retrieveUser(sim, ctx, p.userId) },
		{ method: 'GET', pattern: ['api', 'user'], auth: ['key'], endpoint: '/api/user', json: 'none', handler: (ctx) => retrieveUserBy(sim, ctx) },
	];
}

/** Create and delete: routed last, as their patterns would also match /api/user/two-factor. */
export function userAdminRoutes(sim: SimulatorState): Route[] {
	return [
		{ method: 'POST', pattern: ['api', 'user', ':userId?'], auth: ['key'], endpoint: '/api/user', json: 'required', handler: (ctx, p) => createUser(sim, ctx, p.userId) },
		{ method: 'DELETE', pattern: ['api', 'user', ':userId'], auth: ['key'], endpoint: '/api/user', json: 'none', handler: (ctx, p) => deleteUser(sim, ctx, p.userId) },
	];
}

function retrieveUser(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): Reply {
	const user = userFromPath(sim, ctx, rawUserId);
	return 'status' in user ? user : { status: 200, body: { user: sim.renderUser(user) } };
}

/**
 * GET /api/user?email=, ?username=, ?loginId= (with repeated loginIdTypes, 1.59+): one user of
 * the request's tenant; without a tenant on a server with several, FusionAuth cannot tell which.
 */
function retrieveUserBy(sim: SimulatorState, ctx: Context): Reply {
	const params = ctx.url.searchParams;
	const given = (name: string): string | undefined => {
		const value = params.get(name);
		return value === null || value.trim() === '' ? undefined : value.trim();
	};
	const email = given('email');
	const username = given('username');
	const loginId = given('loginId');
	if (email === undefined && username === undefined && loginId === undefined) {
		// Nothing to look up by: answered as a retrieve without the Id on the URL.
		return new Errors().missing('userId', 'The Id of the User was not specified on the URL.').reply();
	}
	const loginIdTypes = params.getAll('loginIdTypes').filter((type) => type !== '');
	const errors = new Errors();
	checkLoginIdTypes(loginIdTypes, errors);
	if (!errors.empty) {
		return errors.reply();
	}
	if (ctx.tenantId === undefined && sim.tenants.length > 1) {
		return tenantRequired();
	}
	const [user] =
		email !== undefined
			? sim.findByLoginId(email, ctx.tenantId, ['email'])
			: username !== undefined
				? sim.findByLoginId(username, ctx.tenantId, ['username'])
				: sim.findByLoginId(loginId as string, ctx.tenantId, loginIdTypes.length > 0 ? loginIdTypes : undefined);
	return user === undefined ? EMPTY(404) : { status: 200, body: { user: sim.renderUser(user) } };
}

function createUser(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): Reply {
	const id = (rawUserId ?? randomUUID()).toLowerCase();
	const user = (jsonOf(ctx.body) as { user?: Record<string, unknown> } | undefined)?.user;
	const errors = new Errors();
	if (rawUserId !== undefined && !isUuid(id)) {
		errors.field('userId', '[couldNotConvert]userId', `Invalid userId [${rawUserId}].`);
	}
	if (!user || typeof user !== 'object') {
		errors.missing('user', 'You must specify the [user] property.');
	} else {
		if (typeof user.email !== 'string' && typeof user.username !== 'string') {
			errors.field('user.email', '[blank]user.email', 'You must specify either the [user.email] or [user.username] property.');
		}
		if (typeof user.password !== 'string' || user.password === '') {
			errors.field('user.password', '[blank]user.password', 'You must specify the [user.password] property.');
		}
	}
	if (!errors.empty) return errors.reply();
	if (sim.users.has(id)) {
		return new Errors().field('userId', '[duplicate]userId', 'A User with Id [' + id + '] already exists.').reply();
	}
	const created = sim.addUser({
		id,
		email: user!.email as string | undefined,
		username: user!.username as string | undefined,
		firstName: user!.firstName as string | undefined,
		lastName: user!.lastName as string | undefined,
		password: user!.password as string,
		tenantId: ctx.tenantId,
	});
	return { status: 200, body: { user: sim.renderUser(created) } };
}

function deleteUser(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): Reply {
	const user = userFromPath(sim, ctx, rawUserId);
	if ('status' in user) return user;
	sim.users.delete(user.id);
	for (const passkey of sim.passkeysOf(user)) sim.passkeys.delete(passkey.id);
	for (const token of sim.refreshTokensOf(user)) sim.refreshTokens.delete(token.id);
	return EMPTY(200);
}

// --- search ----------------------------------------------------------------------------------

/**
 * POST (`{search: {...}}`) or GET (query parameters) /api/user/search: by ids, or by a query
 * string (database engine: text with `*`; Elasticsearch: the syntax in query.ts), paged by
 * startRow or, with Elasticsearch, by nextResults.
 */
function search(sim: SimulatorState, ctx: Context): Reply {
	const errors = new Errors();
	let criteria: BodyReader;
	let prefix: string;
	if (ctx.method === 'GET') {
		const params: Record<string, unknown> = {};
		for (const [key, value] of ctx.url.searchParams) {
			if (key === 'ids') {
				params.ids = [...((params.ids as string[] | undefined) ?? []), value];
			} else {
				params[key] = value;
			}
		}
		criteria = new BodyReader(params, errors);
		prefix = '';
	} else {
		const root = new BodyReader(jsonOf(ctx.body), errors);
		const search = root.object('search');
		if (!errors.empty) {
			return errors.reply();
		}
		criteria = new BodyReader(search ?? {}, errors, 'search.');
		prefix = 'search.';
	}
	const queryString = criteria.string('queryString');
	const query = criteria.string('query');
	const ids = criteria.stringArray('ids');
	const nextResults = criteria.string('nextResults');
	const numberOfResults = criteria.integer('numberOfResults') ?? 25;
	const startRow = criteria.integer('startRow') ?? 0;
	const accurateTotal = criteria.boolean('accurateTotal') ?? false;
	const sortFields = readSortFields(criteria.raw('sortFields'), errors, prefix);
	if (!errors.empty) {
		return errors.reply();
	}
	if (numberOfResults < 0) {
		errors.invalid(`${prefix}numberOfResults`);
	}
	if (startRow < 0) {
		errors.invalid(`${prefix}startRow`);
	}
	if (!errors.empty) {
		return errors.reply();
	}
	const elastic = sim.searchEngine === 'elasticsearch';
	const inTenant = (user: UserRecord): boolean => ctx.tenantId === undefined || user.tenantId === ctx.tenantId;

	if (ids !== undefined && ids.length > 0) {
		const users = ids
			.filter((id) => isUuid(id))
			.map((id) => sim.findUser(id))
			.filter((user): user is UserRecord => user !== undefined && inTenant(user));
		return { status: 200, body: { total: users.length, users: users.map((user) => sim.renderUser(user)) } };
	}

	if (elastic && nextResults !== undefined && nextResults !== '') {
		if (queryString !== undefined || query !== undefined || sortFields.length > 0 || startRow > 0) {
			return new Errors()
				.invalid(
					`${prefix}nextResults`,
					`The [${prefix}nextResults] property may not be combined with [${prefix}queryString], [${prefix}query], [${prefix}ids], [${prefix}sortFields] or a [${prefix}startRow] other than 0.`,
				)
				.reply();
		}
		const token = decodeNextResults(nextResults);
		if (token === undefined) {
			return new Errors().invalid(`${prefix}nextResults`, `The [${prefix}nextResults] token is invalid.`).reply();
		}
		return searchPage(sim, token.node, token.queryString, token.sortFields, 0, numberOfResults, token.accurateTotal, token.after, inTenant);
	}
	if (query !== undefined && query !== '') {
		if (!elastic) {
			return new Errors()
				.general('[invalid]', `The [${prefix}query] property requires the Elasticsearch search engine.`)
				.reply();
		}
		return new Errors()
			.invalid(`${prefix}query`, `The [${prefix}query] field is invalid. Raw Elasticsearch queries are not supported by this server; use [${prefix}queryString].`)
			.reply();
	}
	if (queryString === undefined || queryString.trim() === '') {
		return new Errors()
			.general(
				'[invalid]',
				`You must specify either the [${prefix}ids], [${prefix}query], [${prefix}queryString] or [${prefix}nextResults] property.`,
			)
			.reply();
	}
	let node: QueryNode | undefined;
	if (elastic) {
		try {
			node = parseQueryString(queryString);
		} catch (error) {
			const reason = error instanceof QueryError ? error.message : 'Failed to parse query';
			return new Errors()
				.invalid(`${prefix}queryString`, `The [${prefix}queryString] field is invalid. Explanation [${reason}]`)
				.reply();
		}
		const window = sim.options.maxResultWindow ?? 10_000;
		if (startRow + numberOfResults > window) {
			return new Errors()
				.field(
					`${prefix}startRow`,
					`[tooLarge]${prefix}startRow`,
					`The sum of [${prefix}startRow] and [${prefix}numberOfResults] may not exceed ${window}. Use [${prefix}nextResults] to page further.`,
				)
				.reply();
		}
	}
	return searchPage(sim, node, queryString, sortFields, startRow, numberOfResults, accurateTotal, undefined, inTenant);
}

function readSortFields(raw: unknown, errors: Errors, prefix: string): SortField[] {
	if (raw === undefined || raw === null) {
		return [];
	}
	if (!Array.isArray(raw)) {
		errors.invalidJson(`${prefix}sortFields`, 'Cannot deserialize value of type `java.util.List<SortField>`');
		return [];
	}
	const out: SortField[] = [];
	raw.forEach((entry, index) => {
		const field = new BodyReader(typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {}, errors, `${prefix}sortFields[${index}].`);
		const name = field.text('name');
		const order = field.enumeration('order', ['asc', 'desc'] as const) ?? 'asc';
		const missing = field.string('missing') === '_first' ? '_first' : '_last';
		if (name === undefined) {
			errors.blank(`${prefix}sortFields[${index}].name`);
		} else {
			out.push({ name, order, missing });
		}
	});
	return out;
}

/** A page of the matching users, in sortFields order, then by insertInstant and id. */
function searchPage(
	sim: SimulatorState,
	node: QueryNode | undefined,
	queryString: string,
	sortFields: SortField[],
	startRow: number,
	numberOfResults: number,
	accurateTotal: boolean,
	after: unknown[] | undefined,
	inTenant: (user: UserRecord) => boolean,
): Reply {
	const elastic = sim.searchEngine === 'elasticsearch';
	if (sim.population !== undefined) {
		return populationPage(sim.population, elastic, node, queryString, sortFields, startRow, numberOfResults, accurateTotal, after);
	}
	const candidates = sim.allUsers().filter(inTenant);
	const documents = candidates.map((user) => ({ user, json: sim.renderUser(user) }));
	const matched = documents.filter(({ user, json }) =>
		elastic ? matchesQuery(node as QueryNode, json) : databaseMatch(queryString, user),
	);
	const keyOf = (json: Record<string, unknown>): unknown[] => [
		...sortFields.map((field) => sortValue(json, field.name)),
		json.insertInstant,
		json.id,
	];
	const keys = new Map(matched.map(({ json }) => [json, keyOf(json)]));
	const compare = (a: unknown[], b: unknown[]): number => {
		for (let i = 0; i < a.length; i++) {
			const field = sortFields[i];
			const result = compareValues(a[i], b[i], field?.missing ?? '_last');
			if (result !== 0) {
				return field?.order === 'desc' ? -result : result;
			}
		}
		return 0;
	};
	matched.sort((a, b) => compare(keys.get(a.json) as unknown[], keys.get(b.json) as unknown[]));
	let remaining = matched;
	if (after !== undefined) {
		remaining = matched.filter(({ json }) => compare(keys.get(json) as unknown[], after) > 0);
	}
	const page = remaining.slice(startRow, startRow + numberOfResults);
	const body: Record<string, unknown> = {
		total: elastic && !accurateTotal ? Math.min(matched.length, 10_000) : matched.length,
		users: page.map(({ json }) => json),
	};
	if (elastic && page.length > 0) {
		body.nextResults = encodeNextResults({
			queryString,
			sortFields,
			accurateTotal,
			after: keyOf(page[page.length - 1].json),
		});
	}
	return { status: 200, body };
}


/** The population's search: its users in insertInstant-then-id order, the only order it offers. */
function populationPage(
	population: Population,
	elastic: boolean,
	node: QueryNode | undefined,
	queryString: string,
	sortFields: SortField[],
	startRow: number,
	numberOfResults: number,
	accurateTotal: boolean,
	after: unknown[] | undefined,
): Reply {
	const ordered =
		sortFields.length === 0 ||
		(sortFields.length === 2 &&
			sortFields[0].name === 'insertInstant' &&
			sortFields[1].name === 'id' &&
			sortFields.every((field) => field.order === 'asc'));
	if (!ordered || (!elastic && queryString.trim() !== '*')) {
		return new Errors().general('[invalid]', 'The population answers * (database) or a query string (Elasticsearch), sorted by insertInstant then id only.').reply();
	}
	const cap = elastic && !accurateTotal ? 10_000 : Number.POSITIVE_INFINITY;
	const total = population.total(node, queryString, cap);
	const from = after === undefined ? 0 : population.indexAfter(after);
	const users = population.page(node, from, startRow, numberOfResults);
	const body: Record<string, unknown> = { total, users };
	if (elastic && users.length > 0) {
		const last = users[users.length - 1];
		body.nextResults = encodeNextResults({ queryString, sortFields, accurateTotal, after: [last.insertInstant, last.id] });
	}
	return { status: 200, body };
}

/** The database engine: `*`, or one word (with `*` wildcards) that is a whole name, email, username or phone. */
function databaseMatch(queryString: string, user: UserRecord): boolean {
	const term = queryString.trim().toLowerCase();
	if (term === '*') {
		return true;
	}
	if (/\s/.test(term)) {
		return false;
	}
	const pattern = new RegExp(`^${term.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
	const fullName = [user.firstName, user.lastName].filter((part) => part !== undefined).join(' ');
	return [user.firstName, user.lastName, fullName, user.email, user.username, user.mobilePhone].some(
		(value) => value !== undefined && pattern.test(value.toLowerCase()),
	);
}

function sortValue(json: Record<string, unknown>, field: string): unknown {
	if (field === 'login') {
		return json.email ?? json.username;
	}
	let current: unknown = json;
	for (const key of field.split('.')) {
		if (Array.isArray(current)) {
			current = current[0];
		}
		current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
	}
	return typeof current === 'string' ? current.toLowerCase() : current;
}

function compareValues(a: unknown, b: unknown, missing: '_first' | '_last'): number {
	const aMissing = a === undefined || a === null;
	const bMissing = b === undefined || b === null;
	if (aMissing || bMissing) {
		if (aMissing && bMissing) {
			return 0;
		}
		return (aMissing ? 1 : -1) * (missing === '_first' ? -1 : 1);
	}
	if (typeof a === 'number' && typeof b === 'number') {
		return a - b;
	}
	const left = String(a);
	const right = String(b);
	return left < right ? -1 : left > right ? 1 : 0;
}

/** What nextResults carries: the search, and the sort key of the last user given. */
interface NextResultsToken {
	queryString: string;
	sortFields: SortField[];
	accurateTotal: boolean;
	after: unknown[];
}

function encodeNextResults(token: NextResultsToken): string {
	return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** The token's search, its query parsed again; undefined when it is not a token this server made. */
function decodeNextResults(text: string): (NextResultsToken & { node: QueryNode }) | undefined {
	try {
		const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<NextResultsToken>;
		if (typeof token.queryString === 'string' && Array.isArray(token.sortFields) && Array.isArray(token.after)) {
			return {
				queryString: token.queryString,
				node: parseQueryString(token.queryString),
				sortFields: token.sortFields,
				accurateTotal: token.accurateTotal === true,
				after: token.after,
			};
		}
	} catch {
		// Not Base64 JSON, or a query that does not parse: invalid either way.
	}
	return undefined;
}
