/**
 * FusionAuth's answers for the MFA policy tables: a tenant and two applications as the Tenant and
 * Application APIs document them (with fields the node must leave alone and never pass on), and
 * a PATCH answered with the object after the change, as FusionAuth merges it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RecordedRequest, Reply } from '../../harness/recordingServer';
import { TENANT_ID } from '../support';

/** The tenant the applications belong to (not the credential's: the node reads it from the application). */
export const POLICY_TENANT = '3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b';
/** An application with a policy of its own. */
export const OWN_POLICY_APP = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
/** An application without one: its tenant's applies. */
export const INHERITING_APP = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

export const TENANT = {
	id: POLICY_TENANT,
	name: 'Staff',
	issuer: 'acme.com',
	jwtConfiguration: { timeToLiveInSeconds: 3600 },
	multiFactorConfiguration: {
		loginPolicy: 'Required',
		authenticator: { enabled: true, algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 },
		email: { enabled: false, templateId: '0e3f5a1c-7b2d-4c8e-9f10-2a3b4c5d6e7f' },
		sms: { enabled: true, messengerId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a' },
		voice: { enabled: false },
	},
};

const application = (id: string, name: string, multiFactorConfiguration: IDataObject): IDataObject => ({
	id,
	name,
	tenantId: POLICY_TENANT,
	active: true,
	oauthConfiguration: { clientId: id, clientSecret: 'client-secret-not-for-the-output' },
	multiFactorConfiguration,
});

export const APPLICATIONS: Record<string, IDataObject> = {
	[OWN_POLICY_APP]: application(OWN_POLICY_APP, 'Admin Console', { loginPolicy: 'Disabled', trustPolicy: 'This', email: {}, sms: {} }),
	[INHERITING_APP]: application(INHERITING_APP, 'Shop', { email: {}, sms: {} }),
};

/** The tenants FusionAuth knows: the policy tenant, and the credential's with the documented defaults. */
const TENANTS: Record<string, IDataObject> = {
	[POLICY_TENANT]: TENANT,
	[TENANT_ID]: { id: TENANT_ID, name: 'Default', multiFactorConfiguration: { loginPolicy: 'Enabled', authenticator: { enabled: true } } },
};

function merged(target: IDataObject, patch: IDataObject): IDataObject {
	const out: IDataObject = { ...target };
	for (const [key, value] of Object.entries(patch)) {
		const existing = out[key];
		out[key] =
			typeof value === 'object' && value !== null && !Array.isArray(value) && typeof existing === 'object' && existing !== null && !Array.isArray(existing)
				? merged(existing as IDataObject, value as IDataObject)
				: value;
	}
	return out;
}

/** GET and PATCH of /api/tenant/{id} and /api/application/{id}, as FusionAuth answers them; else 404. */
export function policyAnswers(request: RecordedRequest): Reply {
	const [, api, kind, id] = request.path.split('/');
	const known = api === 'api' ? (kind === 'tenant' ? TENANTS : kind === 'application' ? APPLICATIONS : undefined) : undefined;
	const stored = known !== undefined && id !== undefined && Object.prototype.hasOwnProperty.call(known, id) ? known[id] : undefined;
	if (stored === undefined) return { status: 404 };
	if (request.method === 'GET') return { status: 200, body: { [kind]: stored } };
	if (request.method === 'PATCH') {
		const given = ((request.body as IDataObject | undefined)?.[kind] ?? {}) as IDataObject;
		return { status: 200, body: { [kind]: merged(stored, given) } };
	}
	return { status: 405 };
}
