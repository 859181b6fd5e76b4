import type { ItemParameters } from '../../helpers/parameters';
import type { Authentication, PathSegment } from '../../transport/request';

/** `user/two-factor/{userId}` with the API key; without the userId with a user's JWT, which names the user. */
export function userTwoFactorPath(parameters: ItemParameters, authentication: Authentication): PathSegment[] {
	if (authentication.type !== 'apiKey') return ['user', 'two-factor'];
	const userId = parameters.requiredString('userId', { uuid: true });
	return ['user', 'two-factor', parameters.pathSegment('userId', userId)];
}
