import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest } from '../../../shared/request';
import {
	additionalFields,
	messageTypeField,
	methodIdProperty,
	onApiVersion,
	twoFactorIdProperty,
} from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import { SUCCESS_ONLY } from '../toolOutput';
import { bodyOrSuccess, definedOnly } from '../operation';

export const sendForLogin: FusionAuthOperation = {
	resource: 'code',
	option: {
		name: 'Send for Login',
		value: 'sendForLogin',
		action: 'Send a code to complete a login',
		description: 'Have FusionAuth send a code to one of the methods of a login waiting for two factor',
	},
	apiVersions: ['current', 'legacy'],
	toolOutput: SUCCESS_ONLY,
	properties: [
		twoFactorIdProperty,
		onApiVersion('current', methodIdProperty("The email or SMS method to send the code to, from the login's methods")),
		onApiVersion('current', additionalFields([messageTypeField])),
	],

	request(parameters: ItemParameters): FusionAuthRequest {
		const twoFactorId = parameters.requiredString('twoFactorId');
		const body: IDataObject =
			parameters.apiVersion === 'current'
				? definedOnly({
						methodId: parameters.requiredString('methodId'),
						messageType: parameters.additionalString('messageType'),
					})
				: {};
		return {
			method: 'POST',
			path: ['two-factor', 'send', parameters.pathSegment('twoFactorId', twoFactorId)],
			// FusionAuth needs no credentials here, and its own client sends none.
			authentication: { type: 'none' },
			body,
			statusMessages: { 404: 'Two factor login not found: the twoFactorId is unknown or has expired' },
		};
	},

	output: bodyOrSuccess,
};
