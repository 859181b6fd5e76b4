import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { FusionAuthRequest } from '../../../shared/request';
import { isJsonObject } from '../../../shared/response';
import { uuidPlaceholder } from '../common.descriptions';
import { userNotFound } from '../operation';
import type { ToolOutput } from '../toolOutput';
import { allowedFields } from '../toolOutput';

/** What FusionAuth's WebAuthn API needs, said in each passkey operation's description. */
export const PASSKEY_REQUIREMENT =
	'FusionAuth 1.41 or later on a paid plan, or 1.52 or later with any license (the free Community license too)';

/**
 * A passkey as a person recognises it: what it is called, whose it is, where and when it was
 * registered and used. Also what an AI agent receives. The public key, its algorithm, the
 * attestation type and the passkey's custom data are left out (an allowlist, so a field FusionAuth
 * adds later stays out too); Include Key Material outputs the passkey as FusionAuth sent it.
 */
export const PASSKEY_FIELDS: ToolOutput = {
	id: true,
	userId: true,
	tenantId: true,
	displayName: true,
	name: true,
	credentialId: true,
	relyingPartyId: true,
	insertInstant: true,
	lastUseInstant: true,
	transports: true,
	userAgent: true,
	discoverable: true,
	authenticatorSupportsUserVerification: true,
	signCount: true,
};

export function passkeyItem(credential: IDataObject, includeKeyMaterial: boolean): IDataObject {
	return includeKeyMaterial ? credential : allowedFields(credential, PASSKEY_FIELDS);
}

/** The passkeys in a `GET /api/webauthn?userId=` answer; none when FusionAuth sends no list. */
export function passkeysIn(body: IDataObject | undefined): IDataObject[] {
	const credentials = body?.credentials;
	return Array.isArray(credentials) ? credentials.filter(isJsonObject) : [];
}

/** `GET` or `DELETE /api/webauthn?userId=`: every passkey of a user. */
export function userPasskeysRequest(method: 'GET' | 'DELETE', userId: string): FusionAuthRequest {
	return {
		method,
		path: ['webauthn'],
		query: { userId },
		// The list answers with a JSON object (its `credentials`); the delete with nothing.
		...(method === 'GET' ? { expectBody: {} } : {}),
		authentication: { type: 'apiKey' },
		statusMessages: { 404: userNotFound(userId) },
	};
}

/** `GET` or `DELETE /api/webauthn/{id}`: one passkey. */
export function passkeyRequest(method: 'GET' | 'DELETE', passkeyId: string): FusionAuthRequest {
	return {
		method,
		path: ['webauthn', { parameter: 'passkeyId', value: passkeyId }],
		...(method === 'GET' ? { expectBody: { credential: 'object' } } : {}),
		authentication: { type: 'apiKey' },
		statusMessages: { 404: `Passkey ${passkeyId} not found` },
	};
}

export const passkeyIdProperty: INodeProperties = {
	displayName: 'Passkey ID',
	name: 'passkeyId',
	type: 'string',
	required: true,
	default: '',
	placeholder: uuidPlaceholder,
	description: "The ID (UUID) of the passkey, as Get Many lists it in each passkey's ID",
};

export const includeKeyMaterialField: INodeProperties = {
	displayName: 'Include Key Material',
	name: 'includeKeyMaterial',
	type: 'boolean',
	default: false,
	description:
		"Whether to output the passkey as FusionAuth sends it, with its public key, algorithm, attestation type and custom data; otherwise only what identifies it",
};
