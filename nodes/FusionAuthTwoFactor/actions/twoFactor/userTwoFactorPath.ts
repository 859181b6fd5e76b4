import type { ItemParameters } from '../../helpers/parameters';
import type { Authentication, PathSegment } from '../../../shared/request';
import { userNotFound } from '../operation';

/**
 * `user/two-factor/{userId}` with the API key; without the userId with a user's JWT, which names the
 * user. With the words for FusionAuth's 404: the user's ID, or the JWT's user. Called after the
 * operation's other parameters are checked: it may look the user up.
 */
export async function userTwoFactorPath(
	parameters: ItemParameters,
	authentication: Authentication,
): Promise<{ path: PathSegment[]; notFound: string }> {
	if (authentication.type !== 'apiKey') return { path: ['user', 'two-factor'], notFound: "The JWT's user was not found" };
	const userId = await parameters.userId();
	return { path: ['user', 'two-factor', parameters.pathSegment('userId', userId)], notFound: userNotFound(userId) };
}
