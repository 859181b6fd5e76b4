import { API_KEY, TENANT_ID, USER_ID, wire } from '../support';
import { describeOperation } from '../table';

const GET = { resource: 'passkey', operation: 'get' };
const PASSKEY_ID = '3f2c9a10-6b7d-4e8f-9a0b-1c2d3e4f5a6b';
const PASSKEY = {
	algorithm: -7,
	attestationType: 'none',
	credentialId: 'AbQtmZKFsZqhYTkRGw8zLXw6Cgyv4cV0CkGOQxkD0bk',
	data: {},
	discoverable: true,
	displayName: 'YubiKey',
	id: PASSKEY_ID,
	insertInstant: 1_760_000_000_000,
	lastUseInstant: 1_764_000_000_000,
	name: 'YubiKey',
	publicKey: '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n',
	signCount: 3,
	tenantId: TENANT_ID,
	transports: ['usb', 'nfc'],
	userAgent: 'Mozilla/5.0',
	userId: USER_ID,
};

describeOperation({
	resource: 'passkey',
	operation: 'get',
	editor: {
		action: 'Get a passkey',
		panels: { current: { fields: ['passkeyId', 'additionalFields'], required: ['passkeyId'] } },
	},
	samples: { current: { ...GET, passkeyId: PASSKEY_ID } },
	answersWithBody: true,
	agentOutput: {
		current: (output) => expect(output).toEqual({ id: 'c0ffee00-0000-4000-8000-000000000051', userId: USER_ID, displayName: "Jane's phone", name: "Jane's phone", credentialId: 'Y3JlZGVudGlhbC1pZA', transports: ['internal'] }),
	},
	requests: [
		{ name: 'GET /api/webauthn/{id} = retrieveWebAuthnCredential', parameters: { ...GET, passkeyId: PASSKEY_ID }, client: (client) => client.retrieveWebAuthnCredential(PASSKEY_ID) },
	],
	outputs: [
		{
			name: 'the passkey, without key material',
			parameters: { ...GET, passkeyId: ` ${PASSKEY_ID} ` },
			answer: { status: 200, body: { credential: PASSKEY } },
			output: (output, requests) => {
				const { publicKey: _p, algorithm: _a, attestationType: _t, data: _d, ...shown } = PASSKEY;
				expect(output).toEqual([shown]);
				expect(wire(requests[0])).toMatchObject({ method: 'GET', path: `/api/webauthn/${PASSKEY_ID}`, authorization: API_KEY });
			},
		},
		{
			name: 'with Include Key Material: as FusionAuth sent it',
			parameters: { ...GET, passkeyId: PASSKEY_ID, additionalFields: { includeKeyMaterial: true } },
			answer: { status: 200, body: { credential: PASSKEY } },
			output: [PASSKEY],
		},
	],
	statuses: [
		{ name: 'retrieve', parameters: { ...GET, passkeyId: PASSKEY_ID }, statuses: [400, 401, 404, 500], messages: { 404: `Passkey ${PASSKEY_ID} not found` } },
	],
	errors: [
		{ name: 'an empty Passkey ID', parameters: { ...GET, passkeyId: '  ' }, message: 'Passkey ID is required [item 0]' },
		{ name: 'a Passkey ID that is not a UUID', parameters: { ...GET, passkeyId: '../user' }, message: /^Passkey ID must be a UUID such as .*, not "\.\.\/user" \[item 0\]$/ },
		{ name: 'an answer without the passkey', parameters: { ...GET, passkeyId: PASSKEY_ID }, answer: { status: 200, body: {} }, message: /is not what FusionAuth sends/ },
	],
});
