import type { IDataObject } from 'n8n-workflow';

import type { FusionAuthRequest } from '../../shared/request';
import { isJsonObject as isObject } from '../../shared/response';

/**
 * A user's two factor methods: `twoFactor.methods` on FusionAuth 1.26 and later. A user without
 * methods may carry no `twoFactor`, `{}` or `{methods: []}`; legacy users have no methods list.
 */
export function twoFactorMethods(user: IDataObject): IDataObject[] {
	const twoFactor = user.twoFactor;
	if (!isObject(twoFactor) || !Array.isArray(twoFactor.methods)) return [];
	return (twoFactor.methods as unknown[]).filter(isObject);
}

/**
 * Whether a user has two factor turned on, read from the user's shape rather than the API
 * generation selected: any method (1.26 and later), or `twoFactorEnabled: true` (1.25 and earlier).
 */
export function twoFactorEnabled(user: IDataObject): boolean {
	return twoFactorMethods(user).length > 0 || user.twoFactorEnabled === true;
}

/** The user as the node outputs it: FusionAuth's fields plus the two derived ones. */
export function userItem(user: IDataObject): IDataObject {
	return { ...user, twoFactorEnabled: twoFactorEnabled(user), twoFactorMethods: twoFactorMethods(user) };
}

export type TwoFactorStatus = 'notEnabled' | 'enabled' | 'any';

export function matchesTwoFactorStatus(user: IDataObject, status: TwoFactorStatus): boolean {
	if (status === 'any') return true;
	return twoFactorEnabled(user) === (status === 'enabled');
}

/** A value from a response that should be a user object. */
export function asUser(value: unknown): IDataObject | undefined {
	return isObject(value) ? value : undefined;
}

/**
 * `POST /api/user/search` with one page's `search` object, as FusionAuth's client sends
 * searchUsersByQuery; for Get Many and the From List picker alike.
 */
export function userSearchRequest(search: IDataObject): FusionAuthRequest {
	return {
		method: 'POST',
		path: ['user', 'search'],
		authentication: { type: 'apiKey' },
		body: { search },
		expectBody: {},
		// A search changes nothing: a page whose connection broke may be asked for again.
		repeatable: true,
	};
}
