import type { IDataObject } from 'n8n-workflow';

import type { ApiVersion, ItemParameters } from '../../helpers/parameters';
import { twoFactorEnabled, twoFactorMethods, userSearchRequest } from '../../helpers/user';
import type { FusionAuthTransport } from '../../transport';
import { additionalFields } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import type { ToolOutput } from '../toolOutput';
import { combineQuery } from '../user/getMany.operation';
import { pagingError, searchPages, STABLE_ORDER } from '../user/searchPages';

/**
 * Users per search request when counting page by page. Elasticsearch's result window caps a page
 * at 10,000; a thousand users with their registrations and data stay far below the 16 MiB the
 * transport reads of one answer, and only one page is held at a time.
 */
export const REPORT_PAGE_SIZE = 1_000;

/** The most search requests of one report: 20,000 pages of 1,000 are twenty million users. */
export const MAX_REPORT_PAGES = 20_000;

/** The two factor methods FusionAuth has (voice since 1.65); the report counts users per method. */
export const METHODS = ['authenticator', 'email', 'sms', 'voice'] as const;
type Method = (typeof METHODS)[number];

const WHAT = 'MFA Coverage';

interface Counts {
	users: number;
	withTwoFactor: number;
}

function percent(part: number, whole: number): number {
	return whole === 0 ? 0 : Math.round((part * 1000) / whole) / 10;
}

function summary(counts: Counts): IDataObject {
	return {
		users: counts.users,
		withTwoFactor: counts.withTwoFactor,
		withoutTwoFactor: counts.users - counts.withTwoFactor,
		percentWithTwoFactor: percent(counts.withTwoFactor, counts.users),
	};
}

/**
 * The methods a user has, each once. Legacy users (1.25 and earlier) have one, by delivery.
 * Recovery codes are no method: FusionAuth's user model keeps them beside the methods
 * (`twoFactor.recoveryCodes`), and they are neither counted nor read.
 */
function methodsOf(user: IDataObject, apiVersion: ApiVersion): Set<Method> {
	const found = new Set<Method>();
	for (const entry of twoFactorMethods(user)) {
		const method = METHODS.find((name) => name === entry.method);
		if (method !== undefined) found.add(method);
	}
	if (apiVersion === 'legacy' && found.size === 0 && user.twoFactorEnabled === true) {
		found.add(user.twoFactorDelivery === 'TextMessage' ? 'sms' : 'authenticator');
	}
	return found;
}

/** Counts per group (tenant, application), in a Map: the keys are whatever FusionAuth sends. */
class GroupCounts {
	private readonly groups = new Map<string, Counts>();

	add(key: string, enabled: boolean): void {
		let counts = this.groups.get(key);
		if (counts === undefined) {
			counts = { users: 0, withTwoFactor: 0 };
			this.groups.set(key, counts);
		}
		counts.users++;
		if (enabled) counts.withTwoFactor++;
	}

	list(idField: string): IDataObject[] {
		return [...this.groups.entries()]
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([id, counts]) => ({ [idField]: id, ...summary(counts) }));
	}
}

/** The applications a user is registered for, each once. */
function applicationsOf(user: IDataObject): Set<string> {
	const ids = new Set<string>();
	if (!Array.isArray(user.registrations)) return ids;
	for (const registration of user.registrations as unknown[]) {
		const applicationId = (registration as IDataObject | null)?.applicationId;
		if (typeof applicationId === 'string') ids.add(applicationId);
	}
	return ids;
}

/** Page by page, with either search engine: only the counts stay, never the users. */
async function countByPaging(
	parameters: ItemParameters,
	transport: FusionAuthTransport,
	queryString: string,
	groupBy: string[],
): Promise<IDataObject> {
	const totals: Counts = { users: 0, withTwoFactor: 0 };
	const byMethod = new Map<Method, number>(METHODS.map((method) => [method, 0]));
	const byTenant = groupBy.includes('tenant') ? new GroupCounts() : undefined;
	const byApplication = groupBy.includes('application') ? new GroupCounts() : undefined;
	const pages = searchPages(transport, parameters, {
		what: WHAT,
		queryString,
		pageSize: REPORT_PAGE_SIZE,
		maxPages: MAX_REPORT_PAGES,
		// A fixed order, so that no user moves between two pages while the report reads them.
		sortFields: STABLE_ORDER,
		repeatAdvice: "Check the search engine's configuration",
		ceilingMessage: () =>
			`stopped after ${MAX_REPORT_PAGES.toLocaleString('en-US')} search requests (${totals.users.toLocaleString('en-US')} users counted so far): narrow the Query String`,
	});
	for await (const users of pages) {
		for (const user of users) {
			const enabled = twoFactorEnabled(user);
			totals.users++;
			if (enabled) totals.withTwoFactor++;
			for (const method of methodsOf(user, parameters.apiVersion)) byMethod.set(method, (byMethod.get(method) ?? 0) + 1);
			if (byTenant !== undefined && typeof user.tenantId === 'string') byTenant.add(user.tenantId, enabled);
			if (byApplication !== undefined) for (const id of applicationsOf(user)) byApplication.add(id, enabled);
		}
	}
	return {
		...summary(totals),
		byMethod: Object.fromEntries(byMethod),
		...(byTenant !== undefined ? { byTenant: byTenant.list('tenantId') } : {}),
		...(byApplication !== undefined ? { byApplication: byApplication.list('applicationId') } : {}),
	};
}

/**
 * With Elasticsearch, FusionAuth counts: `accurateTotal` gives the exact number of users a query
 * matches (not capped at 10,000), and one user per answer is all that is read. Six requests,
 * whatever the number of users.
 */
async function countWithSearchEngine(parameters: ItemParameters, transport: FusionAuthTransport, queryString: string): Promise<IDataObject> {
	const count = async (clause: string | undefined): Promise<number> => {
		const search = { queryString: combineQuery(queryString, clause), numberOfResults: 1, startRow: 0, accurateTotal: true };
		const response = await transport.send(userSearchRequest(search), parameters.itemIndex);
		const total = response.body?.total;
		if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
			throw pagingError(parameters, WHAT, 'got a search answer without a total: not what FusionAuth sends');
		}
		return total;
	};
	const users = await count(undefined);
	const byMethod = new Map<Method, number>(METHODS.map((method) => [method, 0]));
	let withTwoFactor: number;
	if (parameters.apiVersion === 'legacy') {
		withTwoFactor = await count('twoFactorEnabled:true');
		const sms = await count('twoFactorEnabled:true AND twoFactorDelivery:TextMessage');
		byMethod.set('sms', sms);
		byMethod.set('authenticator', withTwoFactor - sms);
	} else {
		withTwoFactor = await count('_exists_:twoFactor.methods');
		for (const method of METHODS) byMethod.set(method, await count(`twoFactor.methods.method:${method}`));
	}
	return { ...summary({ users, withTwoFactor }), byMethod: Object.fromEntries(byMethod) };
}

const GROUP_FIELDS: ToolOutput = { users: true, withTwoFactor: true, withoutTwoFactor: true, percentWithTwoFactor: true };

export const mfaCoverage: FusionAuthOperation = {
	resource: 'report',
	option: {
		name: 'MFA Coverage',
		value: 'mfaCoverage',
		action: 'Report MFA coverage',
		description:
			'Count the users with and without two factor, per method and optionally per tenant and application; one item, however many users. Any FusionAuth version and plan.',
	},
	apiVersions: ['current', 'legacy'],
	toolOutput: {
		...GROUP_FIELDS,
		byMethod: { authenticator: true, email: true, sms: true, voice: true },
		byTenant: { tenantId: true, ...GROUP_FIELDS },
		byApplication: { applicationId: true, ...GROUP_FIELDS },
	},
	properties: [
		{
			displayName: 'Search Engine',
			name: 'searchEngine',
			type: 'options',
			options: [
				{
					name: 'Database',
					value: 'database',
					description: 'Count every user page by page (1,000 per request); works with either search engine',
				},
				{
					name: 'Elasticsearch',
					value: 'elasticsearch',
					description:
						'Let FusionAuth count (six requests, whatever the number of users; accurateTotal, FusionAuth 1.24 and later); with Group By, it counts page by page',
				},
			],
			default: 'database',
			description: "The search engine FusionAuth is configured with (Settings > System > About, or FusionAuth's search.type)",
		},
		additionalFields([
			{
				displayName: 'Query String',
				name: 'queryString',
				type: 'string',
				default: '*',
				placeholder: 'e.g. active:true',
				description:
					"Which users to count, in FusionAuth's query string syntax (Elasticsearch), or text to match with the database search engine. * counts every user.",
			},
			{
				displayName: 'Group By',
				name: 'groupBy',
				type: 'multiOptions',
				options: [
					{ name: 'Tenant', value: 'tenant', description: 'Counts per tenant (byTenant)' },
					{ name: 'Application', value: 'application', description: 'Counts per application the users are registered for (byApplication)' },
				],
				default: [],
			},
		]),
	],

	async execute(parameters: ItemParameters, getTransport: () => Promise<FusionAuthTransport>): Promise<IDataObject> {
		const searchEngine = parameters.option<'database' | 'elasticsearch'>('searchEngine', 'database');
		const queryString = parameters.additionalString('queryString') ?? '*';
		const groupBy = parameters.additionalChoices('groupBy') ?? [];
		const transport = await getTransport();
		// Registrations are a nested field in FusionAuth's index, out of reach of a query string, and
		// counting per tenant would need the tenant list: a breakdown is counted page by page.
		if (searchEngine === 'elasticsearch' && groupBy.length === 0) {
			return await countWithSearchEngine(parameters, transport, queryString);
		}
		return await countByPaging(parameters, transport, queryString, groupBy);
	},
};
