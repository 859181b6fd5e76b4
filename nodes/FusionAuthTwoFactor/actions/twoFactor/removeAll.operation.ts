import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import { asUser, twoFactorMethods } from '../../helpers/user';
import type { FusionAuthTransport } from '../../transport';
import type { PathSegment } from '../../../shared/request';
import { additionalFields, userIdProperty } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { userNotFound } from '../operation';
import { PASSKEY_REQUIREMENT, passkeysIn, userPasskeysRequest } from '../passkey/passkeys';
import { recoveryCodeRequestFor } from '../recoveryCode/recoveryCodes';
import { revokeRefreshTokensRequest } from '../session/revokeAll.operation';
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

/*
 * The lost-device runbook's order. Passkeys go first: each one signs the user in on its own, so
 * it is the first way in to close. The two factor methods next. Sign Out Everywhere last, so that
 * it also ends any session opened with the old passkey or factor while the run was going; ended
 * first, such a session would survive the run. Every read comes before the first change, and a
 * step that fails stops the run, its error saying which steps were done and which were not.
 */
type Step = 'passkeys' | 'methods' | 'signOut';

const STEP_NAMES: Record<Step, string> = {
	passkeys: "delete the user's passkeys (Passkey > Delete All)",
	methods: 'remove the two factor methods (Remove All without its options)',
	signOut: 'sign the user out everywhere (Session > Sign Out Everywhere)',
};

/** Adds to a failed step's error what the run had done and what is left to do by hand. */
function stepFailed(error: unknown, step: Step, done: string[], pending: Step[]): unknown {
	if (!(error instanceof NodeApiError) && !(error instanceof NodeOperationError)) return error;
	if (done.length > 0) error.message = `${done.join('; ')}; then: ${error.message}`;
	error.description = [
		error.description,
		`Done: ${done.length > 0 ? done.join('; ') : 'nothing'}.`,
		`Failed: ${STEP_NAMES[step]}.`,
		pending.length > 0 ? `Not done: ${pending.map((entry) => STEP_NAMES[entry]).join('; ')}.` : undefined,
	]
		.filter(Boolean)
		.join('\n');
	return error;
}

function passkeyCount(count: number): string {
	return `${count} ${count === 1 ? 'passkey' : 'passkeys'}`;
}

export const removeAll: FusionAuthOperation = {
	resource: 'twoFactor',
	option: {
		name: 'Remove All',
		value: 'removeAll',
		action: 'Remove all two factor methods of a user',
		description:
			"Turn two factor off for a user who lost their device: issues new recovery codes and uses one to remove every method; the codes are not output. Optionally also deletes the user's passkeys and signs them out everywhere.",
	},
	apiVersions: ['current'],
	// It removes a user's second factor: a person decides that, not an agent.
	keptFromAgents: 'it removes every second factor of a user',
	properties: [
		userIdProperty(),
		additionalFields([
			{
				displayName: 'Also Delete Passkeys',
				name: 'deletePasskeys',
				type: 'boolean',
				default: false,
				description: `Whether to delete the user's passkeys (WebAuthn) first; outputs deletedPasskeys. Needs ${PASSKEY_REQUIREMENT}.`,
			},
			{
				displayName: 'Sign Out Everywhere',
				name: 'signOut',
				type: 'boolean',
				default: false,
				description:
					"Whether to revoke the user's refresh tokens of every application last, ending every session, also one opened during the run; outputs signedOut",
			},
		]),
	],

	async execute(parameters: ItemParameters, transport: () => Promise<FusionAuthTransport>): Promise<IDataObject> {
		const deletePasskeys = parameters.additionalBoolean('deletePasskeys') ?? false;
		const signOut = parameters.additionalBoolean('signOut') ?? false;
		const { id: userId, user: found } = await parameters.user();
		const userSegment = parameters.pathSegment('userId', userId);
		const fusionAuth = await transport();
		const itemIndex = parameters.itemIndex;
		const steps: Step[] = [...(deletePasskeys ? ['passkeys' as const] : []), 'methods', ...(signOut ? ['signOut' as const] : [])];
		const done: string[] = [];
		const run = async <T>(step: Step, action: () => Promise<T>): Promise<T> => {
			try {
				return await action();
			} catch (error) {
				// Without the options there is one step, and its error says enough (as before them).
				throw steps.length === 1 ? error : stepFailed(error, step, done, steps.slice(steps.indexOf(step) + 1));
			}
		};

		// Every read before the first change: the methods as they are now, from the lookup (By
		// Email, ...) or read by ID, and the passkeys.
		const user = found ?? asUser((await fusionAuth.send(userRequest(userSegment), itemIndex)).body?.user) ?? {};
		const removedMethods = describedMethods(user);
		const passkeys = deletePasskeys
			? await run('passkeys', async () => passkeysIn((await fusionAuth.send(userPasskeysRequest('GET', userId), itemIndex)).body))
			: [];

		const output: IDataObject = { userId, removedMethods };
		if (deletePasskeys) {
			// A user without passkeys is left alone: nothing to delete.
			if (passkeys.length > 0) {
				await run('passkeys', async () => {
					await fusionAuth.send(userPasskeysRequest('DELETE', userId), itemIndex);
				});
			}
			done.push(passkeys.length === 0 ? 'found no passkey to delete' : `deleted ${passkeyCount(passkeys.length)}`);
			output.deletedPasskeys = passkeys.length;
		}

		if (removedMethods.length === 0) {
			output.message = steps.length === 1
				? 'The user has no two factor method: nothing was changed'
				: 'The user has no two factor method: none was removed';
		} else {
			await run('methods', async () => {
				await removeEveryMethod(parameters, fusionAuth, userId, userSegment);
			});
			done.push(`removed ${removedMethods.length === 1 ? 'the two factor method' : `all ${removedMethods.length} two factor methods`}`);
		}

		if (signOut) {
			await run('signOut', async () => {
				await fusionAuth.send(revokeRefreshTokensRequest(userId), itemIndex);
			});
			output.signedOut = true;
		}
		// The order of the output's fields: what was removed, then what was asked besides, then the note.
		const { message, ...rest } = output;
		return message === undefined ? rest : { ...rest, message };
	},
};

/** New recovery codes, and one of them to remove every method; the codes are never output. */
async function removeEveryMethod(
	parameters: ItemParameters,
	fusionAuth: FusionAuthTransport,
	userId: string,
	userSegment: PathSegment,
): Promise<void> {
	const itemIndex = parameters.itemIndex;
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
}
