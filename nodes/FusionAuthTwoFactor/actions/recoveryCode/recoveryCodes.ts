import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest, FusionAuthResponse } from '../../transport/request';
import { userNotFound } from '../operation';

/** Both recovery-code endpoints are `/api/user/two-factor/recovery-code/{userId}`; the method picks one. */
export function recoveryCodeRequest(method: 'GET' | 'POST', parameters: ItemParameters): FusionAuthRequest {
	const userId = parameters.requiredString('userId', { uuid: true });
	return {
		method,
		path: ['user', 'two-factor', 'recovery-code', parameters.pathSegment('userId', userId)],
		expectBody: { recoveryCodes: 'array' },
		authentication: { type: 'apiKey' },
		statusMessages: { 404: userNotFound(userId) },
	};
}

/** The codes as a list, also when FusionAuth's answer has none. */
export function recoveryCodesOutput(response: FusionAuthResponse): IDataObject {
	const recoveryCodes = response.body?.recoveryCodes;
	return { recoveryCodes: Array.isArray(recoveryCodes) ? recoveryCodes : [] };
}
