import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import { asUser, twoFactorMethods } from '../../helpers/user';
import type { FusionAuthTransport } from '../../transport';
import { userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { userNotFound } from '../operation';
import { recoveryCodeRequestFor } from '../recoveryCode/recoveryCodes';
import { allowedFields, METHOD_FIELDS } from '../toolOutput';
import { userRequest } from '../user/get.operation';

/** The user's methods as the output lists them: what each was, never its secret. */
function describedMethods(user: IDataObject): IDataObject[] {
	return twoFactorMethods(user).map((method) => allowedFields(method, METHOD_FIELDS));
}

/** Says, in a failed disable, that the first step already happened. */
function afterNewCodes(error: unknown): unknown {
	if (!(error instanceof NodeApiError)) return error;
	// A status means FusionAuth answered and refused; anything else leaves the outcome open.
	const refused = /^[45]\d\d$/.test(String(error.httpCode ?? ''));
	error.message = refused
		? `New recovery codes were issued and no method was removed: ${error.message}`
		: `New recovery codes were issued; whether the methods were removed is not known: ${error.message}`;
	error.description = [
		error.description,
		refused
			? "The user's earlier recovery codes no longer work. Running Remove All again issues new codes and tries again."
			: "The user's earlier recovery codes no longer work. Get the user to see which methods remain before running this item again.",
	]
		.filter(Boolean)
		.join('\n');
	return error;
}

export const removeAll: FusionAuthOperation = {
	resource: 'twoFactor',
	option: {
		name: 'Remove All',
		value: 'removeAll',
		action: 'Remove all two factor methods of a user',
		description:
			"Turn two factor off for a user who lost their device: issues new recovery codes and uses one to remove every method; the codes are not output",
	},
	apiVersions: ['current'],
	// It removes a user's second factor: a person decides that, not an agent.
	keptFromAgents: 'it removes every second factor of a user',
	properties: [userIdProperty()],

	async execute(parameters: ItemParameters, transport: () => Promise<FusionAuthTransport>): Promise<IDataObject> {
		const { id: userId, user: found } = await parameters.user();
		const userSegment = parameters.pathSegment('userId', userId);
		const fusionAuth = await transport();
		const itemIndex = parameters.itemIndex;

		// The methods as they are now: from the lookup (By Email, ...), or read by ID.
		const user = found ?? asUser((await fusionAuth.send(userRequest(userSegment), itemIndex)).body?.user) ?? {};
		const removedMethods = describedMethods(user);
		if (removedMethods.length === 0) {
			return { userId, removedMethods, message: 'The user has no two factor method: nothing was changed' };
		}

		// Neither request is repeatable (POST, DELETE): the transport never sends them twice after a broken connection.
		const issued = await fusionAuth.send(recoveryCodeRequestFor('POST', userSegment), itemIndex);
		const codes = issued.body?.recoveryCodes;
		const code = Array.isArray(codes) ? codes.find((entry): entry is string => typeof entry === 'string' && entry !== '') : undefined;
		if (code === undefined) {
			parameters.fail('userId', 'got no recovery code from FusionAuth to remove the methods with: nothing was removed');
		}
		try {
			// With a recovery code and no methodId, FusionAuth removes every method of the user.
			await fusionAuth.send(
				{
					method: 'DELETE',
					path: ['user', 'two-factor', userSegment],
					query: { code },
					authentication: { type: 'apiKey' },
					statusMessages: { 404: userNotFound(userId) },
				},
				itemIndex,
			);
		} catch (error) {
			throw afterNewCodes(error);
		}
		return { userId, removedMethods };
	},
};
