import type { IDataObject } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import type { FusionAuthTransport } from '../../transport';
import type { FusionAuthOperation } from '../operation';
import { MFA_POLICY_FIELDS } from '../toolOutput';
import {
	applicationIdProperty,
	applicationNotFound,
	applicationPolicy,
	applicationRequest,
	objectAt,
	readTarget,
	targetProperty,
	tenantIdProperty,
	tenantNotFound,
	tenantOfApplication,
	tenantPolicy,
	tenantRequest,
} from './policy';

export const get: FusionAuthOperation = {
	resource: 'mfaPolicy',
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get the MFA policy of a tenant or application',
		description:
			"Read the login policy in effect (the application's own, else its tenant's), the trust policy and the tenant's MFA methods (FusionAuth 1.37 and later, any plan)",
	},
	apiVersions: ['current'],
	toolOutput: MFA_POLICY_FIELDS,
	properties: [targetProperty, tenantIdProperty, applicationIdProperty],

	async execute(parameters: ItemParameters, transport: () => Promise<FusionAuthTransport>): Promise<IDataObject> {
		const { target, id } = readTarget(parameters);
		const fusionAuth = await transport();
		if (target === 'tenant') {
			const response = await fusionAuth.send(tenantRequest(parameters.pathSegment('tenantId', id), tenantNotFound(id)), parameters.itemIndex);
			return tenantPolicy(objectAt(response.body?.tenant));
		}
		const response = await fusionAuth.send(
			applicationRequest(parameters.pathSegment('applicationId', id), applicationNotFound(id)),
			parameters.itemIndex,
		);
		const application = objectAt(response.body?.application);
		return applicationPolicy(application, await tenantOfApplication(parameters, fusionAuth, application));
	},
};
