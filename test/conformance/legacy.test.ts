import type { INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { useRecordingServer } from '../harness/lifecycle';
import { loadedPackage, NODE_TYPE, runNode } from '../harness/n8n';
import type { WireRequest } from '../harness/wire';
import { onTheWire } from '../harness/wire';

// FusionAuth 1.25 and earlier: the requests of the Elixir client 0.3.0's Two Factor module
// (the API notes' legacy table), with exactly one Authorization header.
const API_KEY = 'legacy-api-key-77c2';
const TENANT_ID = 'a7d1c0f3-54b2-4e8a-9c61-0d2f3e4a5b6c';
const USER_ID = '00000000-0000-0000-0000-000000000001';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMDAxIn0.bGVnYWN5';
const TWO_FACTOR_ID = 'tfa-8KQ2mZ7hY0rX';
const SECRET = 'TGVnYWN5U2VjcmV0MTIzNA==';

const server = useRecordingServer();

async function viaNode(parameters: INodeParameters): Promise<WireRequest> {
	server.reset();
	const result = await runNode({
		parameters: { apiVersion: 'legacy', ...parameters },
		credentials: { baseUrl: server.url, apiKey: API_KEY, tenantId: TENANT_ID },
	});
	expect(result.error).toBeUndefined();
	expect(server.requests).toHaveLength(1);
	const authorization = server.requests[0].headers.authorization;
	expect(Array.isArray(authorization)).toBe(false);
	return onTheWire(server.requests[0]);
}

function expected(
	method: string,
	url: string,
	authorization: string | undefined,
	body?: unknown,
): WireRequest {
	return {
		method,
		url,
		authorization,
		tenantId: TENANT_ID,
		contentType: body === undefined ? undefined : 'application/json',
		body,
	};
}

const key = API_KEY;
const bearer = `Bearer ${JWT}`;

const cases: Array<{ elixir: string; parameters: INodeParameters; request: WireRequest }> = [
	{
		elixir: 'enable_two_factor_by_user_id',
		parameters: { resource: 'twoFactor', operation: 'enable', userId: USER_ID, code: '123456', delivery: 'None', secret: SECRET },
		request: expected('POST', `/api/user/two-factor/${USER_ID}`, key, { code: '123456', delivery: 'None', secret: SECRET }),
	},
	{
		elixir: 'enable_two_factor_by_jwt',
		parameters: {
			resource: 'twoFactor',
			operation: 'enable',
			authenticateWith: 'jwt',
			jwt: JWT,
			code: '123456',
			delivery: 'TextMessage',
			secret: SECRET,
		},
		request: expected('POST', '/api/user/two-factor', bearer, { code: '123456', delivery: 'TextMessage', secret: SECRET }),
	},
	{
		elixir: 'disable_two_factor_by_user_id',
		parameters: { resource: 'twoFactor', operation: 'disable', userId: USER_ID, code: '123456' },
		request: expected('DELETE', `/api/user/two-factor/${USER_ID}?code=123456`, key),
	},
	{
		elixir: 'disable_two_factor_by_jwt',
		parameters: { resource: 'twoFactor', operation: 'disable', authenticateWith: 'jwt', jwt: JWT, code: '123456' },
		request: expected('DELETE', '/api/user/two-factor?code=123456', bearer),
	},
	{
		elixir: 'generate_secret',
		parameters: { resource: 'secret', operation: 'generate' },
		request: expected('GET', '/api/two-factor/secret', key),
	},
	{
		elixir: 'generate_secret_for_jwt',
		parameters: { resource: 'secret', operation: 'generate', authenticateWith: 'jwt', jwt: JWT },
		request: expected('GET', '/api/two-factor/secret', bearer),
	},
	{
		elixir: 'send_two_factor_code_by_user_id',
		parameters: { resource: 'code', operation: 'send', sendTo: 'user', userId: USER_ID },
		request: expected('POST', '/api/two-factor/send', key, { userId: USER_ID }),
	},
	{
		elixir: 'send_two_factor_code_to_mobile_phone',
		parameters: { resource: 'code', operation: 'send', sendTo: 'mobilePhone', mobilePhone: '+15555550123', secret: SECRET },
		request: expected('POST', '/api/two-factor/send', key, { mobilePhone: '+15555550123', secret: SECRET }),
	},
	{
		elixir: 'send_two_factor_code_by_jwt',
		parameters: { resource: 'code', operation: 'send', authenticateWith: 'jwt', jwt: JWT },
		request: expected('POST', '/api/two-factor/send', bearer, {}),
	},
	{
		elixir: 'send_two_factor_code_to_complete_login',
		parameters: { resource: 'code', operation: 'sendForLogin', twoFactorId: TWO_FACTOR_ID },
		// FusionAuth needs no credentials here: none are sent.
		request: expected('POST', `/api/two-factor/send/${TWO_FACTOR_ID}`, undefined, {}),
	},
];

test.each(cases)('$elixir', async ({ parameters, request }) => {
	expect(await viaNode(parameters)).toEqual(request);
});

test('every legacy Two Factor API operation the node offers, with each way it authenticates, has a case', () => {
	// Read from the node's description as the editor shows it, so a new legacy operation or
	// authentication mode without a conformance case fails here. User lookups are not part of the
	// Two Factor module, and Generate TOTP sends nothing.
	const node = loadedPackage().nodes[NODE_TYPE].description;
	const shown = (name: string, values: INodeParameters) =>
		node.properties
			.filter((property) => property.name === name && NodeHelpers.displayParameter(values, property, null, node))
			.flatMap((property) => (property.options ?? []).map((option) => String((option as { value: string }).value)));
	const offered: string[] = [];
	for (const resource of shown('resource', { apiVersion: 'legacy' }).filter((entry) => entry !== 'user')) {
		for (const operation of shown('operation', { apiVersion: 'legacy', resource }).filter((entry) => entry !== 'generateTotp')) {
			const modes = shown('authenticateWith', { apiVersion: 'legacy', resource, operation });
			for (const mode of modes.length > 0 ? modes : ['none']) offered.push(`${resource}.${operation}.${mode}`);
		}
	}
	const covered = new Set(
		cases.map(({ parameters }) => `${String(parameters.resource)}.${String(parameters.operation)}.${String(parameters.authenticateWith ?? (['sendForLogin'].includes(String(parameters.operation)) ? 'none' : 'apiKey'))}`),
	);
	expect(offered.length).toBeGreaterThan(0);
	expect(offered.filter((entry) => !covered.has(entry))).toEqual([]);
	// Ten functions, each its own request.
	expect(new Set(cases.map((entry) => entry.elixir)).size).toBe(10);
});
