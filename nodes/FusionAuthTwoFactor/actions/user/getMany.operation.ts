import type { IDataObject } from 'n8n-workflow';

import type { ApiVersion, ItemParameters } from '../../helpers/parameters';
import type { TwoFactorStatus } from '../../helpers/user';
import { matchesTwoFactorStatus, userItem } from '../../helpers/user';
import type { FusionAuthTransport } from '../../transport';
import { additionalFields } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { USER_FIELDS } from '../toolOutput';
import { Campaign } from './campaign';
import { searchPages } from './searchPages';

/** Users asked for per search request. */
export const USER_SEARCH_PAGE_SIZE = 100;

/**
 * The most search requests one item sends: paging always ends, also against a server that answers
 * full pages forever. 10,000 pages of 100 are a million users.
 */
export const MAX_SEARCH_PAGES = 10_000;

/** The Elasticsearch clause that selects the users with the wanted two factor status. */
export function serverSideClause(status: TwoFactorStatus, apiVersion: ApiVersion): string | undefined {
	if (status === 'any') return undefined;
	if (apiVersion === 'legacy') return `twoFactorEnabled:${status === 'enabled'}`;
	return status === 'enabled' ? '_exists_:twoFactor.methods' : '!(_exists_:twoFactor.methods)';
}

export function combineQuery(queryString: string, clause: string | undefined): string {
	if (clause === undefined) return queryString;
	if (queryString === '*') return clause;
	return `(${queryString}) AND ${clause}`;
}

export const getMany: FusionAuthOperation = {
	resource: 'user',
	option: {
		name: 'Get Many',
		value: 'getMany',
		action: 'Get many users by two factor status',
		description:
			'Find users with or without two factor, for example to remind those who have not enrolled; one item per user',
	},
	apiVersions: ['current', 'legacy'],
	outputsList: true,
	toolOutput: USER_FIELDS,
	properties: [
		{
			displayName: 'Two Factor Status',
			name: 'twoFactorStatus',
			type: 'options',
			options: [
				{ name: 'Not Enabled', value: 'notEnabled', description: 'Users without any two factor method' },
				{ name: 'Enabled', value: 'enabled', description: 'Users with at least one two factor method' },
				{ name: 'Any', value: 'any', description: 'Every user the query finds' },
			],
			default: 'notEnabled',
		},
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
		additionalFields([
			{
				displayName: 'Query String',
				name: 'queryString',
				type: 'string',
				default: '*',
				placeholder: 'e.g. active:true',
				description:
					"Which users to search, in FusionAuth's query string syntax (Elasticsearch), or text to match with the database search engine. * finds every user.",
			},
			{
				displayName: 'Server Side Filter',
				name: 'serverSideFilter',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the two factor condition to the query string, so that FusionAuth sends only matching users. Needs the Elasticsearch search engine; users are filtered on this side either way.',
			},
			{
				displayName: 'Continue From Last Run',
				name: 'continueFromLastRun',
				type: 'boolean',
				default: false,
				description:
					'Whether each execution of the active workflow returns the next Limit users after those the previous one returned (oldest first), starting over after the last. The position is saved with the workflow; manual executions do not move it.',
			},
			{
				displayName: 'Reset Position',
				name: 'resetPosition',
				type: 'boolean',
				default: false,
				description:
					'Whether to start Continue From Last Run from the first user again in this execution. Turn it off afterwards, or every execution starts over.',
			},
		]),
	],

	async execute(
		parameters: ItemParameters,
		getTransport: () => Promise<FusionAuthTransport>,
	): Promise<IDataObject[]> {
		const status = parameters.option<TwoFactorStatus>('twoFactorStatus', 'notEnabled');
		if (!['notEnabled', 'enabled', 'any'].includes(status)) {
			parameters.fail('twoFactorStatus', 'must be notEnabled, enabled or any');
		}
		const returnAll = parameters.boolean('returnAll', false);
		let limit = Number.POSITIVE_INFINITY;
		if (!returnAll) {
			limit = parameters.number('limit', 50);
			if (!Number.isInteger(limit) || limit < 1) parameters.fail('limit', 'must be a whole number of 1 or more');
		}
		const serverSideFilter = parameters.additionalBoolean('serverSideFilter') ?? false;
		const userQuery = parameters.additionalString('queryString') ?? '*';
		const queryString = combineQuery(userQuery, serverSideFilter ? serverSideClause(status, parameters.apiVersion) : undefined);
		const continueFromLastRun = parameters.additionalBoolean('continueFromLastRun') ?? false;
		const resetPosition = parameters.additionalBoolean('resetPosition') ?? false;
		if (continueFromLastRun) {
			if (returnAll) parameters.fail('continueFromLastRun', 'needs a Limit (the size of each batch): turn Return All off');
			if (parameters.itemIndex > 0) {
				parameters.fail('continueFromLastRun', 'keeps one position per node, so it takes one input item: this is a second one');
			}
			const campaign = new Campaign(parameters, { userQuery, status, serverSideFilter, resetPosition });
			return await campaign.nextBatch(await getTransport(), queryString, limit);
		}
		// When every user FusionAuth returns is wanted, a small limit needs only a small page.
		const everyUserMatches = status === 'any' || serverSideFilter;
		const pageSize = everyUserMatches ? Math.min(USER_SEARCH_PAGE_SIZE, limit) : USER_SEARCH_PAGE_SIZE;

		const found: IDataObject[] = [];
		const pages = searchPages(await getTransport(), parameters, {
			what: 'Get Many Users',
			queryString,
			pageSize,
			maxPages: MAX_SEARCH_PAGES,
			ceilingMessage: () =>
				`stopped after ${MAX_SEARCH_PAGES.toLocaleString('en-US')} search requests (${found.length.toLocaleString('en-US')} matching users so far): narrow the Query String, or set a Limit`,
		});
		for await (const users of pages) {
			for (const user of users) {
				if (!matchesTwoFactorStatus(user, status)) continue;
				found.push(userItem(user));
				if (found.length >= limit) return found;
			}
		}
		return found;
	},
};
