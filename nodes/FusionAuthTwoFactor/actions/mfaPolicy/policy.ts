import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/parameters';
import { isUuid, quoteValue } from '../../helpers/validation';
import type { FusionAuthTransport } from '../../transport';
import type { FusionAuthRequest, PathSegment } from '../../../shared/request';
import { uuidPlaceholder } from '../common.descriptions';

/** Whose login policy an item reads or sets. */
export type PolicyTarget = 'tenant' | 'application';

/** The names of the list search methods behind the pickers' From List mode. */
export const TENANT_SEARCH_METHOD = 'searchTenants';
export const APPLICATION_SEARCH_METHOD = 'searchApplications';

/** A UUID, with white space around it allowed (it is trimmed). */
const UUID_PATTERN = '^\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$';

export const targetProperty: INodeProperties = {
	displayName: 'Target',
	name: 'target',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Application',
			value: 'application',
			description: "One application's policy, which overrides its tenant's (Enterprise plan)",
		},
		{ name: 'Tenant', value: 'tenant', description: 'The policy of every application in the tenant that sets none of its own' },
	],
	default: 'tenant',
};

function locatorProperty(
	name: 'tenantId' | 'applicationId',
	what: 'tenant' | 'application',
	searchListMethod: string,
): INodeProperties {
	const label = what === 'tenant' ? 'Tenant' : 'Application';
	return {
		displayName: label,
		name,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: `The FusionAuth ${what}`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${what}...`,
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: uuidPlaceholder,
				validation: [
					{
						type: 'regex',
						properties: { regex: UUID_PATTERN, errorMessage: `Not a ${what} ID: a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52` },
					},
				],
			},
		],
		displayOptions: { show: { target: [what] } },
	};
}

export const tenantIdProperty = locatorProperty('tenantId', 'tenant', TENANT_SEARCH_METHOD);
export const applicationIdProperty = locatorProperty('applicationId', 'application', APPLICATION_SEARCH_METHOD);

/** The modes of the tenant and application pickers, by their saved names. */
const LOCATOR_MODES = ['list', 'id'];

/**
 * The ID a picker holds for item i: a resource locator (`{__rl, mode, value}`), or a plain
 * string, which is an ID. Checked as a UUID before any request.
 */
export function readIdLocator(parameters: ItemParameters, field: 'tenantId' | 'applicationId'): string {
	const label = field === 'tenantId' ? 'Tenant ID' : 'Application ID';
	const raw = parameters.context.getNodeParameter(field, parameters.itemIndex, '') as unknown;
	let value: unknown = raw;
	if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && (raw as IDataObject).__rl === true) {
		const locator = raw as IDataObject;
		if (typeof locator.mode !== 'string' || !LOCATOR_MODES.includes(locator.mode)) {
			parameters.fail(field, `must be picked From List or given By ID, not mode ${quoteValue(String(locator.mode))}`, label);
		}
		value = locator.value;
	}
	if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') {
		parameters.fail(field, `must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`, label);
	}
	const text = parameters.checkedText(field, value, { uuid: true }, label);
	if (text === undefined) parameters.fail(field, 'is required', label);
	return text;
}

/** The target of item i, and the ID of the tenant or application it names. */
export function readTarget(parameters: ItemParameters): { target: PolicyTarget; id: string } {
	const target = parameters.option<PolicyTarget>('target', 'tenant');
	return { target, id: readIdLocator(parameters, target === 'tenant' ? 'tenantId' : 'applicationId') };
}

/** `GET /api/tenant/{tenantId}` (retrieveTenant). */
export function tenantRequest(tenantId: PathSegment, notFound: string): FusionAuthRequest {
	return {
		method: 'GET',
		path: ['tenant', tenantId],
		expectBody: { tenant: 'object' },
		authentication: { type: 'apiKey' },
		statusMessages: { 404: notFound },
	};
}

/** `GET /api/application/{applicationId}` (retrieveApplication). */
export function applicationRequest(applicationId: PathSegment, notFound: string): FusionAuthRequest {
	return {
		method: 'GET',
		path: ['application', applicationId],
		expectBody: { application: 'object' },
		authentication: { type: 'apiKey' },
		statusMessages: { 404: notFound },
	};
}

export const tenantNotFound = (tenantId: string): string => `Tenant ${tenantId} not found`;
export const applicationNotFound = (applicationId: string): string => `Application ${applicationId} not found`;

function objectAt(value: unknown): IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : {};
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The tenant's MFA methods, on or off (`tenant.multiFactorConfiguration.<method>.enabled`). */
function methodsOf(tenant: IDataObject): IDataObject {
	const configuration = objectAt(tenant.multiFactorConfiguration);
	const enabled = (method: string) => objectAt(configuration[method]).enabled === true;
	return { authenticator: enabled('authenticator'), email: enabled('email'), sms: enabled('sms'), voice: enabled('voice') };
}

/**
 * The tenant's login policy. FusionAuth before 1.37 sends none; it then challenged every user
 * with a method, as `Enabled` does (also FusionAuth's default for a new tenant).
 */
function tenantLoginPolicy(tenant: IDataObject): string {
	return text(objectAt(tenant.multiFactorConfiguration).loginPolicy) ?? 'Enabled';
}

/** A tenant's MFA settings, flat: its login policy and which methods are on. */
export function tenantPolicy(tenant: IDataObject): IDataObject {
	return {
		target: 'tenant',
		id: tenant.id,
		name: tenant.name,
		loginPolicy: tenantLoginPolicy(tenant),
		loginPolicySetBy: 'tenant',
		methods: methodsOf(tenant),
	};
}

/**
 * An application's effective MFA settings: its own login policy (and trust policy) where it sets
 * one, else its tenant's, which FusionAuth then applies; the methods are the tenant's.
 */
export function applicationPolicy(application: IDataObject, tenant: IDataObject): IDataObject {
	const configuration = objectAt(application.multiFactorConfiguration);
	const own = text(configuration.loginPolicy);
	const trustPolicy = text(configuration.trustPolicy);
	return {
		target: 'application',
		id: application.id,
		name: application.name,
		tenantId: application.tenantId,
		loginPolicy: own ?? tenantLoginPolicy(tenant),
		loginPolicySetBy: own === undefined ? 'tenant' : 'application',
		// The trust policy counts only with the application's own policy.
		...(own !== undefined && trustPolicy !== undefined ? { trustPolicy } : {}),
		methods: methodsOf(tenant),
	};
}

/** The tenant an application belongs to, read to know the policy it inherits and the methods. */
export async function tenantOfApplication(
	parameters: ItemParameters,
	transport: FusionAuthTransport,
	application: IDataObject,
): Promise<IDataObject> {
	const tenantId = application.tenantId;
	// It goes into the next request's path: only a UUID, whatever the server answered.
	if (typeof tenantId !== 'string' || !isUuid(tenantId)) {
		parameters.fail('applicationId', "has no valid tenantId in FusionAuth's answer", 'Application ID');
	}
	const response = await transport.send(
		tenantRequest({ parameter: 'tenantId', value: tenantId }, `Tenant ${tenantId} of application ${String(application.id)} not found`),
		parameters.itemIndex,
	);
	return objectAt(response.body?.tenant);
}

export { objectAt };
