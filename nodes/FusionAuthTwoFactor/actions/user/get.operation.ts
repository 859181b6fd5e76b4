import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import { asUser, userItem } from '../../helpers/user';
import type { FusionAuthTransport } from '../../transport';
import type { FusionAuthRequest, PathSegment } from '../../../shared/request';
import { userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { USER_FIELDS } from '../toolOutput';
import { userNotFound } from '../operation';

/** `GET /api/user/{userId}`: the user, with its two factor methods. */
export function userRequest(userId: PathSegment): FusionAuthRequest {
	const id = typeof userId === 'string' ? userId : userId.value;
	return {
		method: 'GET',
		path: ['user', userId],
		expectBody: { user: 'object' },
		authentication: { type: 'apiKey' },
		statusMessages: { 404: userNotFound(id) },
	};
}

export const get: FusionAuthOperation = {
	resource: 'user',
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a user',
		description: 'Retrieve a user, with twoFactorEnabled and twoFactorMethods added for either API generation',
	},
	apiVersions: ['current', 'legacy'],
	toolOutput: USER_FIELDS,
	properties: [userIdProperty()],

	async execute(parameters: ItemParameters, transport: () => Promise<FusionAuthTransport>): Promise<IDataObject> {
		const { id, user: found } = await parameters.user();
		// A lookup by email, username or login ID answers with the same user: not asked for twice.
		if (found !== undefined) return userItem(found);
		const response = await (await transport()).send(userRequest(parameters.pathSegment('userId', id)), parameters.itemIndex);
		return userItem(asUser(response.body?.user) ?? {});
	},
};
