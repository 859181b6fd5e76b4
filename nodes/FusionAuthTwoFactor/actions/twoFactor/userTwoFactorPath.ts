import type { ItemParameters } from '../../helpers/parameters';
import type { Authentication, PathSegment } from '../../transport/request';

/**
 * `user/two-factor/{userId}` with the API key; without the userId with a user's JWT, which names the
 * user. Called after the operation's other parameters are checked: it may look the user up.
 */
export async function userTwoFactorPath(parameters: ItemParameters, authentication: Authentication): Promise<PathSegment[]> {
	if (authentication.type !== 'apiKey') return ['user', 'two-factor'];
	const userId = await parameters.userId();
	return ['user', 'two-factor', parameters.pathSegment('userId', userId)];
}
