import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthTransport } from '../../transport';
import type { FusionAuthRequest } from '../../../shared/request';
import { additionalFields, uuidPlaceholder, userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { userNotFound } from '../operation';

/** `DELETE /api/jwt/refresh?userId=[&applicationId=]`: the user's refresh tokens, of every application or one. */
export function revokeRefreshTokensRequest(userId: string, applicationId?: string): FusionAuthRequest {
	return {
		method: 'DELETE',
		path: ['jwt', 'refresh'],
		// In the order FusionAuth's client sends them.
		query: { userId, applicationId },
		authentication: { type: 'apiKey' },
		statusMessages: { 404: userNotFound(userId) },
	};
}

export const revokeAll: FusionAuthOperation = {
	resource: 'session',
	option: {
		name: 'Sign Out Everywhere',
		value: 'revokeAll',
		action: 'Sign out a user everywhere by revoking their refresh tokens',
		description:
			"End a user's sessions: revokes the refresh tokens of every application (or of one), so no device can get new access tokens and the user signs in again; access tokens already issued stay valid until they expire. Every FusionAuth plan; one application needs 1.19 or later.",
	},
	apiVersions: ['current'],
	// Offered to agents: it hands out nothing and adds no way in. It can only make users sign in
	// again, which is what an agent handling "I think someone is in my account" should be able to do.
	toolOutput: { userId: true, signedOut: true },
	properties: [
		userIdProperty(),
		additionalFields([
			{
				displayName: 'Application ID',
				name: 'applicationId',
				type: 'string',
				default: '',
				placeholder: uuidPlaceholder,
				description: "Sign the user out of this application only (its refresh tokens); empty signs them out of every application",
			},
		]),
	],

	async execute(parameters: ItemParameters, transport: () => Promise<FusionAuthTransport>): Promise<IDataObject> {
		const applicationId = parameters.additionalString('applicationId', { uuid: true });
		const userId = await parameters.userId();
		await (await transport()).send(revokeRefreshTokensRequest(userId, applicationId), parameters.itemIndex);
		return { userId, signedOut: true };
	},
};
