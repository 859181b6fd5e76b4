/**
 * The credential's API Key and Tenant ID as they go into headers: surrounding spaces trimmed, and
 * refused (naming the field) when they hold control characters, which a header would silently
 * alter or drop. One rule for the node and for the credential's own `authenticate`.
 */

/** The credential type every node and the credential test use. */
export const CREDENTIAL_TYPE = 'fusionAuthApi';

const FIELDS: Array<{ name: 'apiKey' | 'tenantId'; label: string }> = [
	{ name: 'apiKey', label: 'API Key' },
	{ name: 'tenantId', label: 'Tenant ID' },
];

/** A credential field as text, trimmed. */
export function credentialText(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

/** Why the API Key or Tenant ID cannot be sent, as one sentence naming the field; undefined when both can. */
export function credentialValueProblem(credentials: Record<string, unknown>): string | undefined {
	for (const { name, label } of FIELDS) {
		const text = credentialText(credentials[name]);
		// Header values are visible ASCII and spaces; anything else would be changed on the way.
		if (/[^\x20-\x7E]/.test(text)) {
			return `The ${label} in the FusionAuth credential contains control characters or line breaks (or characters a header cannot carry): paste it again without them`;
		}
	}
	return undefined;
}

/** FusionAuth's tenant header (API notes, "Multi-tenancy"). */
export const TENANT_HEADER = 'X-FusionAuth-TenantId';

/**
 * What every call to FusionAuth takes from the credential besides the API key: the tenant header
 * when a tenant is set (an empty one would be refused), and no certificate check only when Ignore
 * SSL Issues is on. One rule for the credential's `authenticate` and the calls made without it.
 */
export function withCredentialSettings<T extends { headers?: unknown; skipSslCertificateValidation?: boolean }>(
	options: T,
	credentials: Record<string, unknown>,
): T {
	const headers = { ...(options.headers as Record<string, string> | undefined) };
	const tenantId = credentialText(credentials.tenantId);
	if (tenantId !== '') headers[TENANT_HEADER] = tenantId;
	const settled: T = { ...options, headers };
	if (credentials.ignoreSslIssues === true) settled.skipSslCertificateValidation = true;
	return settled;
}
