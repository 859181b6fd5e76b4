import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { credentialText, credentialValueProblem, withCredentialSettings } from '../nodes/shared/credentialValues';

export class FusionAuthApi implements ICredentialType {
	name = 'fusionAuthApi';

	displayName = 'FusionAuth API';

	icon: Icon = { light: 'file:fusionAuth.svg', dark: 'file:fusionAuth.dark.svg' };

	documentationUrl = 'https://fusionauth.io/docs/apis/authentication#api-key-authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://auth.example.com',
			description:
				'Where FusionAuth is served, with any path prefix (for example https://example.com/fusionauth)',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A FusionAuth API key (Settings > API Keys) allowed to call the endpoints the workflows use',
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			description:
				'Needed when the server has several tenants and the API key is not limited to one. Sent as the X-FusionAuth-TenantId header.',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			// Not "allowUnauthorizedCerts": n8n's scanner takes a name with "cert" for a secret that needs
			// typeOptions.password, and n8n 1.x then fails to list the credential (it redacts it as text).
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the TLS certificate cannot be verified, for self-signed development servers',
		},
	];

	// A function rather than a generic block: a generic block would overwrite the
	// "Bearer <jwt>" header of JWT operations and send an empty tenant header.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// Refused rather than sent altered: a header cannot carry control characters.
		const problem = credentialValueProblem(credentials);
		if (problem !== undefined) throw new Error(problem);
		const headers: Record<string, string> = { ...(requestOptions.headers as Record<string, string>) };
		const hasAuthorization = Object.keys(headers).some((key) => key.toLowerCase() === 'authorization');
		if (!hasAuthorization) headers.Authorization = credentialText(credentials.apiKey);
		return withCredentialSettings({ ...requestOptions, headers }, credentials);
	}

	// No declarative `test`: n8n would prefer it to the node's credentialTest method (FusionAuthTwoFactor
	// `testedBy`), whose plain-word messages reach the dialog on n8n 1.x as on 2.x.
}
