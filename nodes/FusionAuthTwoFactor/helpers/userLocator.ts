import type { IDataObject } from 'n8n-workflow';

import type { FusionAuthRequest, FusionAuthResponse } from '../../shared/request';
import type { ItemParameters } from './parameters';
import { asUser } from './user';
import { isUuid, quoteValue } from './validation';

/** The modes of the `userId` resource locator, by their saved names. */
export const USER_LOCATOR_MODES = ['list', 'id', 'email', 'username', 'loginId'] as const;
export type UserLocatorMode = (typeof USER_LOCATOR_MODES)[number];

/** The lookups by what a person knows of a user: `GET /api/user?<mode>=<value>`. */
export type UserLookupMode = 'email' | 'username' | 'loginId';

export interface UserLocator {
	mode: UserLocatorMode;
	value: string;
}

/** How each mode names the value in messages. */
const MODE_LABELS: Record<UserLocatorMode, string> = {
	list: 'User ID',
	id: 'User ID',
	email: 'User email',
	username: 'User username',
	loginId: 'User login ID',
};

/** What FusionAuth could not find, in the 404 message. */
const NOT_FOUND: Record<UserLookupMode, string> = {
	email: 'email',
	username: 'username',
	loginId: 'login ID',
};

function isLookup(mode: UserLocatorMode): mode is UserLookupMode {
	return mode === 'email' || mode === 'username' || mode === 'loginId';
}

/**
 * The user parameter of item i: a resource locator (`{__rl, mode, value}`), or a plain string as
 * workflows saved before the locator hold it, which is a user ID.
 */
export function readUserLocator(parameters: ItemParameters, field = 'userId'): UserLocator {
	const raw = parameters.context.getNodeParameter(field, parameters.itemIndex, '') as unknown;
	let mode: UserLocatorMode = 'id';
	let value: unknown = raw;
	if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && (raw as IDataObject).__rl === true) {
		const locator = raw as IDataObject;
		if (typeof locator.mode !== 'string' || !(USER_LOCATOR_MODES as readonly string[]).includes(locator.mode)) {
			parameters.fail(
				field,
				`must be picked From List or given By ID, By Email, By Username or By Login ID, not mode ${quoteValue(String(locator.mode))}`,
			);
		}
		mode = locator.mode as UserLocatorMode;
		value = locator.value;
	}
	const label = MODE_LABELS[mode];
	if (value === undefined || value === null) parameters.fail(field, 'is required', label);
	if (typeof value !== 'string' && typeof value !== 'number') {
		parameters.fail(field, `must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`, label);
	}
	// An email address, username or login ID is FusionAuth's to match: trimmed as every id is.
	const text = parameters.checkedText(field, value, { uuid: !isLookup(mode) }, label);
	if (text === undefined) parameters.fail(field, 'is required', label);
	return { mode, value: text };
}

/**
 * The request that finds a user by email, username or login ID, as FusionAuth's own client
 * sends it (retrieveUserByEmail, ...ByUsername, ...ByLoginId, ...ByLoginIdWithLoginIdTypes).
 */
export function userLookupRequest(mode: UserLookupMode, value: string, loginIdTypes?: string[]): FusionAuthRequest {
	const query: Record<string, string | string[] | undefined> = { [mode]: value };
	// FusionAuth 1.59 and later: which kinds of identity the login ID may be.
	if (mode === 'loginId' && loginIdTypes !== undefined && loginIdTypes.length > 0) query.loginIdTypes = loginIdTypes;
	return {
		method: 'GET',
		path: ['user'],
		query,
		expectBody: { user: 'object' },
		authentication: { type: 'apiKey' },
		statusMessages: { 404: `No user with ${NOT_FOUND[mode]} ${quoteValue(value)}` },
	};
}

/** The user an item acts on: its ID, and the user itself where a lookup returned it. */
export interface ResolvedUser {
	id: string;
	user?: IDataObject;
}

/**
 * The user ID of item i: as given (By ID, From List, a plain string), or looked up in FusionAuth
 * (By Email, By Username, By Login ID) through `send`, the node's one transport. Not cached: a
 * user's email or username may change between executions.
 */
export async function resolveUser(
	parameters: ItemParameters,
	send: (request: FusionAuthRequest) => Promise<FusionAuthResponse>,
	{ field = 'userId', loginIdTypes }: { field?: string; loginIdTypes?: string[] } = {},
): Promise<ResolvedUser> {
	const locator = readUserLocator(parameters, field);
	if (!isLookup(locator.mode)) return { id: locator.value };
	const response = await send(userLookupRequest(locator.mode, locator.value, loginIdTypes));
	const user = asUser(response.body?.user);
	const id = user?.id;
	// The ID goes into the next request's path: only a UUID, whatever the server answered.
	if (typeof id !== 'string' || !isUuid(id)) {
		parameters.fail(field, `matched a user without a valid ID in FusionAuth's answer (${quoteValue(locator.value)})`, MODE_LABELS[locator.mode]);
	}
	return { id, user };
}
