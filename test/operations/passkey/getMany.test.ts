import type { IDataObject } from 'n8n-workflow';

import { useSimulator } from '../../harness/lifecycle';
import { runNode } from '../../harness/n8n';
import { DEMO_USERS } from '../../simulator/server';
import { API_KEY, outputJson, TENANT_ID, USER_ID, wire } from '../support';
import { describeOperation } from '../table';

const GET_MANY = { resource: 'passkey', operation: 'getMany' };
const OTHER_USER = '0d8a7c6b-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
/** A passkey as FusionAuth's docs list its fields (apis/_webauthn-response-body-base.mdx). */
const PHONE = {
	algorithm: -7,
	attestationType: 'none',
	authenticatorSupportsUserVerification: true,
	credentialId: 'AbQtmZKFsZqhYTkRGw8zLXw6Cgyv4cV0CkGOQxkD0bk',
	data: { enrolledBy: 'self-service' },
	discoverable: true,
	displayName: "Jane's iPhone",
	id: '3f2c9a10-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
	insertInstant: 1_760_000_000_000,
	lastUseInstant: 1_764_000_000_000,
	name: "Jane's iPhone",
	publicKey: '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n',
	relyingPartyId: 'auth.example.com',
	signCount: 0,
	tenantId: TENANT_ID,
	transports: ['internal', 'hybrid'],
	userAgent: 'Mozilla/5.0 (iPhone)',
	userId: USER_ID,
};
const KEY = { ...PHONE, id: '4a3b2c1d-0e9f-4a8b-8c7d-6e5f4a3b2c1d', displayName: 'Security key', name: 'Security key', discoverable: false, signCount: 12, transports: ['usb'] };
/** What a person sees of a passkey by default: no public key, algorithm, attestation type or custom data. */
const shown = ({ publicKey: _p, algorithm: _a, attestationType: _t, data: _d, ...rest }: IDataObject) => rest;

describeOperation({
	resource: 'passkey',
	operation: 'getMany',
	editor: {
		action: 'Get many passkeys of a user',
		panels: { current: { fields: ['userId', 'additionalFields'], required: ['userId'] } },
	},
	samples: { current: { ...GET_MANY, userId: USER_ID } },
	answersWithBody: true,
	agentOutput: {
		current: (output) => {
			expect(output).toEqual({ id: 'c0ffee00-0000-4000-8000-000000000051', userId: USER_ID, displayName: "Jane's phone", name: "Jane's phone", credentialId: 'Y3JlZGVudGlhbC1pZA', transports: ['internal'] });
		},
	},
	requests: [
		{ name: 'GET /api/webauthn?userId= = retrieveWebAuthnCredentialsForUser', parameters: { ...GET_MANY, userId: USER_ID }, client: (client) => client.retrieveWebAuthnCredentialsForUser(USER_ID) },
	],
	outputs: [
		{
			name: 'one item per passkey, without key material',
			parameters: { ...GET_MANY, userId: USER_ID },
			answer: { status: 200, body: { credentials: [PHONE, KEY] } },
			output: (output, requests, items) => {
				expect(output).toEqual([shown(PHONE), shown(KEY)]);
				expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
				expect(wire(requests[0])).toMatchObject({ method: 'GET', path: '/api/webauthn', query: { userId: USER_ID }, authorization: API_KEY });
			},
		},
		{
			name: 'with Include Key Material: each passkey as FusionAuth sent it',
			parameters: { ...GET_MANY, userId: USER_ID, additionalFields: { includeKeyMaterial: true } },
			answer: { status: 200, body: { credentials: [PHONE] } },
			output: [PHONE],
		},
		{
			name: 'a field FusionAuth adds later stays out unless Include Key Material is on',
			parameters: { ...GET_MANY, userId: USER_ID },
			answer: { status: 200, body: { credentials: [{ ...PHONE, attestationObject: 'o2NmbXRkbm9uZQ' }] } },
			output: [shown(PHONE)],
		},
		{
			name: 'no item for a user without passkeys, whether the list is empty or absent',
			parameters: { ...GET_MANY, userId: '={{ $json.id }}' },
			items: [{ id: USER_ID }, { id: OTHER_USER }],
			answer: (request) => ({ status: 200, body: request.query.userId === USER_ID ? { credentials: [] } : {} }),
			output: (output, requests) => {
				expect(output).toEqual([]);
				expect(requests.map((request) => request.query.userId)).toEqual([USER_ID, OTHER_USER]);
			},
		},
		{
			name: 'several users: each passkey paired with its user',
			parameters: { ...GET_MANY, userId: '={{ $json.id }}' },
			items: [{ id: USER_ID }, { id: OTHER_USER }],
			answer: (request) => ({ status: 200, body: { credentials: request.query.userId === USER_ID ? [PHONE, KEY] : [{ ...KEY, userId: OTHER_USER }] } }),
			output: (output, _requests, items) => {
				expect(items.map((item) => [item.json.id, item.json.userId, item.pairedItem])).toEqual([
					[PHONE.id, USER_ID, { item: 0 }],
					[KEY.id, USER_ID, { item: 0 }],
					[KEY.id, OTHER_USER, { item: 1 }],
				]);
			},
		},
	],
	statuses: [
		{
			name: 'list',
			parameters: { ...GET_MANY, userId: USER_ID },
			statuses: [400, 401, 404, 500],
			messages: { 404: `User ${USER_ID} not found` },
		},
	],
	errors: [
		{ name: 'a malformed user ID', parameters: { ...GET_MANY, userId: 'jane' }, message: /^User ID must be a UUID/ },
		{ name: 'is not offered for FusionAuth 1.25 and earlier', apiVersion: 'legacy', parameters: { ...GET_MANY, userId: USER_ID }, message: /needs FusionAuth 1\.26 or later/ },
	],
	more: () => {
		describe('against the simulator', () => {
			const simulator = useSimulator();
			test("By Email: Max's two passkeys, as FusionAuth holds them", async () => {
				const max = DEMO_USERS.multi;
				const result = await runNode({
					parameters: { apiVersion: 'current', ...GET_MANY, userId: { __rl: true, mode: 'email', value: max.email }, additionalFields: { includeKeyMaterial: true } },
					credentials: { baseUrl: simulator.url, apiKey: simulator.apiKey },
				});
				expect(result.error).toBeUndefined();
				expect(outputJson(result)).toEqual(simulator.users.get(max.id)?.passkeys);
				expect(outputJson(result).map((passkey) => passkey.displayName)).toEqual(["Max's iPhone", 'YubiKey 5C']);
			});
		});
	},
});
