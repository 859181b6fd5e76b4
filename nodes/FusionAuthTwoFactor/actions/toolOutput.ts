import type { IDataObject } from 'n8n-workflow';

/**
 * What an AI agent may receive of an operation's output: an allowlist, so that a field FusionAuth
 * adds later (or a proxy injects) stays out. `true` keeps a value as it is; a nested allowlist
 * keeps only its fields of an object, or of each object in a list.
 */
export interface ToolOutput {
	[field: string]: true | ToolOutput;
}

/** Only the allowed fields of `value`, recursively. */
export function allowedFields(value: IDataObject, allowed: ToolOutput): IDataObject {
	const kept: IDataObject = {};
	for (const [field, rule] of Object.entries(allowed)) {
		if (!Object.prototype.hasOwnProperty.call(value, field)) continue;
		const entry = value[field];
		if (rule === true) {
			kept[field] = entry;
		} else if (Array.isArray(entry)) {
			kept[field] = entry
				.filter((item): item is IDataObject => typeof item === 'object' && item !== null && !Array.isArray(item))
				.map((item) => allowedFields(item, rule));
		} else if (typeof entry === 'object' && entry !== null) {
			kept[field] = allowedFields(entry as IDataObject, rule);
		}
	}
	return kept;
}

/** Calls that answer without a body: the agent learns that it worked. */
export const SUCCESS_ONLY: ToolOutput = { success: true };

/** A two factor method without its secret: what it is, where codes go, when it was last used. */
export const METHOD_FIELDS: ToolOutput = {
	id: true,
	method: true,
	name: true,
	email: true,
	mobilePhone: true,
	lastUsed: true,
	authenticator: { algorithm: true, codeLength: true, timeStep: true },
};

/**
 * A user as an agent sees it: who it is and its two factor status, without the method secrets,
 * the legacy `twoFactorSecret`, custom `data` or anything else FusionAuth may hold.
 */
export const USER_FIELDS: ToolOutput = {
	id: true,
	email: true,
	username: true,
	firstName: true,
	middleName: true,
	lastName: true,
	fullName: true,
	mobilePhone: true,
	phoneNumber: true,
	active: true,
	verified: true,
	tenantId: true,
	preferredLanguages: true,
	timezone: true,
	insertInstant: true,
	lastLoginInstant: true,
	lastUpdateInstant: true,
	twoFactorEnabled: true,
	twoFactorMethods: METHOD_FIELDS,
};

/** A tenant's or application's MFA policy: all of it is settings, none of it a secret. */
export const MFA_POLICY_FIELDS: ToolOutput = {
	target: true,
	id: true,
	name: true,
	tenantId: true,
	loginPolicy: true,
	loginPolicySetBy: true,
	trustPolicy: true,
	methods: { authenticator: true, email: true, sms: true, voice: true },
};
