/**
 * Fixed identifiers and demo users the simulator starts with, so tests, demos and example
 * workflows can refer to them by name. Nothing here is a real credential.
 */

/** The API key every simulator accepts unless `apiKeys` is given. Local and fake. */
export const DEFAULT_API_KEY = 'sim-local-api-key-4c1b9d2e7f3a4b8c9d0e1f2a3b4c5d6e';
export const DEFAULT_TENANT_ID = '6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';
export const DEFAULT_APPLICATION_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
/** HMAC secret the simulator signs its HS256 JWTs with unless `jwtSecret` is given. */
export const DEFAULT_JWT_SECRET = 'sim-local-jwt-secret-not-for-production';
/** Password of every demo user (POST /api/login). */
export const DEMO_PASSWORD = 'demo-password';

export type TwoFactorMethodType = 'authenticator' | 'email' | 'sms';

export interface SeedTwoFactorMethod {
	/** Four characters, e.g. `2KSZ`; generated when omitted. */
	id?: string;
	method: TwoFactorMethodType;
	/** Authenticator secret, Base64 as `GET /api/two-factor/secret` returns it; random when omitted. */
	secret?: string;
	email?: string;
	mobilePhone?: string;
	name?: string;
}

export interface SeedUser {
	id: string;
	email?: string;
	username?: string;
	firstName?: string;
	lastName?: string;
	mobilePhone?: string;
	/** Defaults to DEMO_PASSWORD. */
	password?: string;
	active?: boolean;
	verified?: boolean;
	/** Defaults to the first tenant. */
	tenantId?: string;
	/** Instant (ms) after which logins answer 410. */
	expiry?: number;
	/** Application ids the user is registered for; defaults to the first application. */
	registrations?: readonly string[];
	data?: Record<string, unknown>;
	twoFactor?: {
		methods?: readonly SeedTwoFactorMethod[];
		/** Generated (ten) when the user has methods and none are given. */
		recoveryCodes?: readonly string[];
	};
	/**
	 * How the user object shows "no methods": `{}` (default), `{"methods": []}`, or no
	 * `twoFactor` property at all. FusionAuth versions differ here.
	 */
	emptyTwoFactorAs?: 'emptyObject' | 'emptyMethods' | 'absent';
	/** Legacy generation only: delivery of the single secret (defaults from the first method). */
	legacyDelivery?: 'None' | 'TextMessage';
	/** Passkeys (WebAuthn, 1.41+) the user registered; each gets a real EC P-256 public key. */
	passkeys?: readonly SeedPasskey[];
	/** Sessions: refresh tokens issued to the user, each for an application (default: the first). */
	refreshTokens?: readonly SeedRefreshToken[];
}

export interface SeedPasskey {
	/** A UUID; generated when omitted. */
	id?: string;
	displayName: string;
	name?: string;
	transports?: readonly string[];
	userAgent?: string;
	discoverable?: boolean;
	signCount?: number;
}

export interface SeedRefreshToken {
	applicationId?: string;
	/** The device the session runs on, as FusionAuth keeps it in the token's metaData.device. */
	deviceName: string;
	deviceType?: string;
}

/** Base64 of the 20 ASCII bytes `12345678901234567890` (the RFC 6238 SHA1 test key). */
export const DEMO_AUTHENTICATOR_SECRET = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=';
/** Base64 of the 20 bytes 0x01..0x14. */
export const DEMO_SECOND_AUTHENTICATOR_SECRET = 'AQIDBAUGBwgJCgsMDQ4PEBESExQ=';

/** The demo users, by role. Ids and method ids are fixed. */
export const DEMO_USERS = {
	/** No two-factor methods. */
	noMethods: {
		id: '00000000-0000-4000-8000-000000000001',
		email: 'nora.nomfa@example.com',
		username: 'nora',
		firstName: 'Nora',
		lastName: 'Nomfa',
	},
	/** One authenticator (TOTP) method with a known secret. */
	authenticator: {
		id: '00000000-0000-4000-8000-000000000002',
		email: 'alice.totp@example.com',
		username: 'alice',
		firstName: 'Alice',
		lastName: 'Totp',
		twoFactor: {
			methods: [{ id: '2KSZ', method: 'authenticator', secret: DEMO_AUTHENTICATOR_SECRET, name: 'Phone app' }],
		},
	},
	/** One email method. */
	email: {
		id: '00000000-0000-4000-8000-000000000003',
		email: 'erin.email@example.com',
		username: 'erin',
		firstName: 'Erin',
		lastName: 'Email',
		twoFactor: { methods: [{ id: 'EM7L', method: 'email', email: 'erin.email@example.com', name: 'Work email' }] },
	},
	/** One SMS method. */
	sms: {
		id: '00000000-0000-4000-8000-000000000004',
		email: 'sam.sms@example.com',
		username: 'sam',
		firstName: 'Sam',
		lastName: 'Sms',
		mobilePhone: '+15555550123',
		twoFactor: { methods: [{ id: 'SM5P', method: 'sms', mobilePhone: '+15555550123' }] },
		legacyDelivery: 'TextMessage',
	},
	/** Authenticator, email and SMS methods. */
	multi: {
		id: '00000000-0000-4000-8000-000000000005',
		email: 'max.multi@example.com',
		username: 'max',
		firstName: 'Max',
		lastName: 'Multi',
		mobilePhone: '+15555550100',
		twoFactor: {
			methods: [
				{ id: 'MX2A', method: 'authenticator', secret: DEMO_SECOND_AUTHENTICATOR_SECRET, name: 'Authy' },
				{ id: 'MX3E', method: 'email', email: 'max.multi@example.com' },
				{ id: 'MX4S', method: 'sms', mobilePhone: '+15555550100', name: 'Mobile' },
			],
		},
		passkeys: [
			{
				id: 'c0ffee00-0000-4000-8000-000000000051',
				displayName: "Max's iPhone",
				transports: ['internal', 'hybrid'],
				userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
				discoverable: true,
				signCount: 0,
			},
			{
				id: 'c0ffee00-0000-4000-8000-000000000052',
				displayName: 'YubiKey 5C',
				transports: ['usb', 'nfc'],
				userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
				discoverable: false,
				signCount: 17,
			},
		],
		refreshTokens: [
			{ deviceName: "Max's iPhone", deviceType: 'MOBILE' },
			{ deviceName: 'Work laptop', deviceType: 'BROWSER' },
		],
	},
	/** No methods, shown as `"twoFactor": {"methods": []}`. */
	emptyMethods: {
		id: '00000000-0000-4000-8000-000000000006',
		email: 'emma.empty@example.com',
		username: 'emma',
		firstName: 'Emma',
		lastName: 'Empty',
		emptyTwoFactorAs: 'emptyMethods',
	},
	/** No methods and no `twoFactor` property at all. */
	noTwoFactorProperty: {
		id: '00000000-0000-4000-8000-000000000007',
		email: 'olga.old@example.com',
		username: 'olga',
		firstName: 'Olga',
		lastName: 'Old',
		emptyTwoFactorAs: 'absent',
	},
} as const satisfies Record<string, SeedUser>;

export const DEMO_USER_LIST: readonly SeedUser[] = Object.values(DEMO_USERS);
