import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import { quoteValue } from '../../helpers/validation';
import type { FusionAuthTransport } from '../../transport';
import type { FusionAuthRequest } from '../../../shared/request';
import { additionalFields } from '../common.descriptions';
import type { FusionAuthOperation } from '../operation';
import {
	applicationIdProperty,
	applicationNotFound,
	applicationPolicy,
	objectAt,
	readTarget,
	targetProperty,
	tenantIdProperty,
	tenantNotFound,
	tenantOfApplication,
	tenantPolicy,
} from './policy';

/** The login policies, as FusionAuth names them, with the release and plan each needs. */
const loginPolicyProperty: INodeProperties = {
	displayName: 'Login Policy',
	name: 'loginPolicy',
	type: 'options',
	required: true,
	options: [
		{
			name: 'Challenge on High Risk',
			value: 'ChallengeOnHighRisk',
			description: 'Intelligent MFA: challenge only logins of high risk (FusionAuth 1.68 and later, paid plans)',
		},
		{
			name: 'Challenge on Medium Risk',
			value: 'ChallengeOnMediumRisk',
			description: 'Intelligent MFA: challenge logins of medium or high risk (FusionAuth 1.68 and later, paid plans)',
		},
		{ name: 'Disabled', value: 'Disabled', description: 'Never challenge, even users who have a method' },
		{ name: 'Enabled', value: 'Enabled', description: 'Challenge users who have a method' },
		{
			name: 'Required',
			value: 'Required',
			description: 'Challenge every user; one without a method must set one up (FusionAuth 1.42 and later)',
		},
	],
	default: 'Required',
};

const trustPolicyField: INodeProperties = {
	...additionalFields([
		{
			displayName: 'Trust Policy',
			name: 'trustPolicy',
			type: 'options',
			options: [
				{ name: 'Any', value: 'Any', description: "A device trusted after any application's challenge skips this one" },
				{ name: 'None', value: 'None', description: 'Challenge at every login, whatever the device' },
				{ name: 'This', value: 'This', description: "Only trust from this application's own challenge skips it" },
			],
			default: 'Any',
			description: 'Which earlier challenges let a trusted device skip this application\'s; FusionAuth sets Any when left out',
		},
	]),
	displayOptions: { show: { target: ['application'] } },
};

export const setLoginPolicy: FusionAuthOperation = {
	resource: 'mfaPolicy',
	option: {
		name: 'Set Login Policy',
		value: 'setLoginPolicy',
		action: 'Set the MFA login policy of a tenant or application',
		description:
			"Change only the login policy (and an application's trust policy) with PATCH, nothing else: a tenant on any plan, an application on the Enterprise plan (FusionAuth 1.37 and later)",
	},
	apiVersions: ['current'],
	keptFromAgents: 'it changes whether users must give a second factor to log in',
	properties: [targetProperty, tenantIdProperty, applicationIdProperty, loginPolicyProperty, trustPolicyField],

	async execute(parameters: ItemParameters, transport: () => Promise<FusionAuthTransport>): Promise<IDataObject> {
		const { target, id } = readTarget(parameters);
		const loginPolicy = parameters.option<string>('loginPolicy', 'Required');
		const trustPolicy = target === 'application' ? parameters.additionalString('trustPolicy') : undefined;
		const fusionAuth = await transport();
		const field = target === 'tenant' ? 'tenantId' : 'applicationId';
		// Only what the user set; FusionAuth merges it into the rest, which stays as it was.
		const multiFactorConfiguration: IDataObject = trustPolicy === undefined ? { loginPolicy } : { loginPolicy, trustPolicy };
		const request: FusionAuthRequest = {
			method: 'PATCH',
			path: [target, parameters.pathSegment(field, id)],
			body: { [target]: { multiFactorConfiguration } },
			// Setting the same values twice does no more than once.
			repeatable: true,
			expectBody: { [target]: 'object' },
			authentication: { type: 'apiKey' },
			statusMessages: { 404: target === 'tenant' ? tenantNotFound(id) : applicationNotFound(id) },
		};
		const response = await fusionAuth.send(request, parameters.itemIndex);
		const changed = objectAt(response.body?.[target]);
		const answered = objectAt(changed.multiFactorConfiguration).loginPolicy;
		// A server that kept another value (or none) did not apply the change: say so instead of reporting success.
		if (answered !== loginPolicy) {
			parameters.fail(
				'loginPolicy',
				`was not applied: FusionAuth answered with ${typeof answered === 'string' ? quoteValue(answered) : 'no login policy'} for the ${target}`,
			);
		}
		if (target === 'tenant') return tenantPolicy(changed);
		return applicationPolicy(changed, await tenantOfApplication(parameters, fusionAuth, changed));
	},
};
