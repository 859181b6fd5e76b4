import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthRequest } from '../../../shared/request';
import type { FusionAuthOperation } from '../operation';
import { bodyOrSuccess } from '../operation';
import { PASSKEY_REQUIREMENT, passkeyIdProperty, passkeyRequest } from './passkeys';

export const deletePasskey: FusionAuthOperation = {
	resource: 'passkey',
	option: {
		name: 'Delete',
		value: 'delete',
		action: 'Delete a passkey',
		description: `Delete one passkey (WebAuthn) by its ID: it no longer signs the user in. Needs ${PASSKEY_REQUIREMENT}.`,
	},
	apiVersions: ['current'],
	keptFromAgents: "it deletes a user's passkey, a way to sign in",
	properties: [passkeyIdProperty],

	request(parameters: ItemParameters): FusionAuthRequest {
		return passkeyRequest('DELETE', parameters.requiredString('passkeyId', { uuid: true }));
	},

	output: bodyOrSuccess,
};
