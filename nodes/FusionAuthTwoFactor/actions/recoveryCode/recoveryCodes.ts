import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest, FusionAuthResponse, PathSegment } from '../../../shared/request';
import { userNotFound } from '../operation';

/** Both recovery-code endpoints are `/api/user/two-factor/recovery-code/{userId}`; the method picks one. */
export function recoveryCodeRequestFor(method: 'GET' | 'POST', userId: PathSegment): FusionAuthRequest {
	return {
		method,
		path: ['user', 'two-factor', 'recovery-code', userId],
		expectBody: { recoveryCodes: 'array' },
		authentication: { type: 'apiKey' },
		statusMessages: { 404: userNotFound(typeof userId === 'string' ? userId : userId.value) },
	};
}

/** The recovery-code request for this item's user (looked up first where the locator asks). */
export async function recoveryCodeRequest(method: 'GET' | 'POST', parameters: ItemParameters): Promise<FusionAuthRequest> {
	const userId = await parameters.userId();
	return recoveryCodeRequestFor(method, parameters.pathSegment('userId', userId));
}

/** The codes as a list, also when FusionAuth's answer has none. */
export function recoveryCodesOutput(response: FusionAuthResponse): IDataObject {
	const recoveryCodes = response.body?.recoveryCodes;
	return { recoveryCodes: Array.isArray(recoveryCodes) ? recoveryCodes : [] };
}
