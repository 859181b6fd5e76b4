import type { INodeProperties } from 'n8n-workflow';

import { EVENT_OPTIONS } from './events';

const automatic = { registration: ['automatic'] };
const manual = { registration: ['manual'] };

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['user.two-factor.method.add', 'user.two-factor.method.remove'],
		options: EVENT_OPTIONS,
		description:
			'Which FusionAuth events start the workflow. Each also has to be enabled in the tenant (Tenants > Webhooks), or use Enable Events in Tenant.',
	},
	{
		displayName: 'Registration',
		name: 'registration',
		type: 'options',
		default: 'automatic',
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description:
					"The trigger creates its own FusionAuth webhook when the workflow is activated and deletes it when deactivated (the API key needs /api/webhook)",
			},
			{
				name: 'Manual',
				value: 'manual',
				description: 'You create the webhook in FusionAuth (Settings > Webhooks) for the URL shown above; the trigger only receives and verifies',
			},
		],
	},
	{
		displayName:
			'In FusionAuth, add a webhook (Settings > Webhooks) for this trigger\'s Production URL (above), with the same events, and set up the verification chosen below. Use the Test URL while listening for a test event.',
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: manual },
	},
	{
		displayName: 'Verification',
		name: 'verification',
		type: 'options',
		default: 'sharedSecret',
		options: [
			{
				name: 'Shared Secret',
				value: 'sharedSecret',
				description:
					'FusionAuth sends a secret in the X-N8n-Webhook-Secret header (any FusionAuth version). With automatic registration the trigger makes a random one.',
			},
			{
				name: 'Signature',
				value: 'signature',
				description:
					'FusionAuth signs each event with the Key Master key named below (X-FusionAuth-Signature-JWT, FusionAuth 1.48+): HMAC with the secret given here, or RSA, EC or Ed25519 with the public key from the server\'s published JSON Web Key Set',
			},
			{
				name: 'Basic Auth',
				value: 'basicAuth',
				description: 'FusionAuth sends a user name and password (the webhook\'s Basic auth settings)',
			},
			{
				name: 'None (Unsafe)',
				value: 'none',
				description: 'Accept any request to the URL: anyone who learns it can start the workflow with a made-up event',
			},
		],
		description: 'How each delivery is checked before the workflow starts; one that fails gets 401 and starts nothing',
	},
	{
		displayName: 'Shared Secret',
		name: 'sharedSecret',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: 'The value FusionAuth sends in the X-N8n-Webhook-Secret header (set it in the webhook\'s Headers tab); use a long random value',
		displayOptions: { show: { ...manual, verification: ['sharedSecret'] } },
	},
	{
		displayName: 'Signing Key ID',
		name: 'signingKeyId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 5a5a5a5a-1111-2222-3333-444444444444',
		description:
			'The ID of the Key Master key (Settings > Key Master) FusionAuth signs this webhook\'s events with, HMAC or not. Only signatures by this key are accepted: the trigger reads its kid with GET /api/key.',
		displayOptions: { show: { verification: ['signature'] } },
	},
	{
		displayName: 'HMAC Secret',
		name: 'hmacSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'With an HMAC signing key: its secret, as Key Master shows it. Leave empty for an RSA, EC or Ed25519 key: its public key is read from the server\'s published JSON Web Key Set.',
		displayOptions: { show: { verification: ['signature'] } },
	},
	{
		displayName: 'Basic Auth User Name',
		name: 'basicAuthUsername',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { verification: ['basicAuth'] } },
	},
	{
		displayName: 'Basic Auth Password',
		name: 'basicAuthPassword',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		displayOptions: { show: { verification: ['basicAuth'] } },
	},
	{
		displayName: 'Enable Events in Tenant',
		name: 'enableEventsInTenant',
		type: 'boolean',
		default: false,
		description:
			'Whether to also switch the chosen events on in the tenant\'s event settings, as non-transactional, on activation. This changes a tenant-wide setting that other webhooks share; events already on are left as they are. The API key then also needs /api/tenant.',
		displayOptions: { show: automatic },
	},
];
