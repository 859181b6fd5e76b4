import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { ApiVersion } from '../helpers/parameters';

export const uuidPlaceholder = 'e.g. 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';

type Show = NonNullable<IDisplayOptions['show']>;

/** `displayOptions` only where a property is shown conditionally, so that others carry none. */
function shownBy(show: Show | undefined): Pick<INodeProperties, 'displayOptions'> {
	return show ? { displayOptions: { show } } : {};
}

/** Shows a property only on the given API generation. */
export function onApiVersion(apiVersion: ApiVersion, property: INodeProperties): INodeProperties {
	return {
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, apiVersion: [apiVersion] },
		},
	};
}

export const authenticateWith: INodeProperties = {
	displayName: 'Authenticate With',
	name: 'authenticateWith',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'API Key',
			value: 'apiKey',
			description: "Act on a user by ID with the credential's API key",
		},
		{
			name: 'User JWT',
			value: 'jwt',
			description: "Act as the user, with the user's access token (JWT) instead of the API key",
		},
	],
	default: 'apiKey',
};

/** The name of the list search method (the node's `methods.listSearch`) behind From List. */
export const USER_SEARCH_METHOD = 'searchUsers';

/**
 * The user an operation acts on, as a resource locator: picked from a search, or given by ID,
 * email, username or login ID (looked up before the request). A saved plain string is an ID.
 */
export function userIdProperty(show?: Show): INodeProperties {
	return {
		displayName: 'User',
		name: 'userId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: 'The FusionAuth user',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a user...',
				typeOptions: { searchListMethod: USER_SEARCH_METHOD, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: uuidPlaceholder,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$',
							errorMessage: 'Not a user ID: a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52',
						},
					},
				],
			},
			{ displayName: 'By Email', name: 'email', type: 'string', placeholder: 'e.g. jane@example.com' },
			{ displayName: 'By Username', name: 'username', type: 'string', placeholder: 'e.g. jane' },
			{
				displayName: 'By Login ID',
				name: 'loginId',
				type: 'string',
				placeholder: 'e.g. jane@example.com',
				hint: 'An email address, username or phone number',
			},
		],
		...shownBy(show),
	};
}

export const jwtProperty: INodeProperties = {
	displayName: 'JWT',
	name: 'jwt',
	type: 'string',
	typeOptions: { password: true },
	required: true,
	default: '',
	description:
		"The user's access token, for example from a login response. Sent as a Bearer token instead of the API key.",
	displayOptions: { show: { authenticateWith: ['jwt'] } },
};

/** `authenticateWith`, then `userId` (API key) or `jwt` (user JWT). */
export function userOrJwtProperties(): INodeProperties[] {
	return [
		authenticateWith,
		userIdProperty({ authenticateWith: ['apiKey'] }),
		jwtProperty,
	];
}

export const twoFactorIdProperty: INodeProperties = {
	displayName: 'Two Factor ID',
	name: 'twoFactorId',
	type: 'string',
	required: true,
	default: '',
	description:
		'The twoFactorId of a login in progress, from a login response with status 242 or from Start Login',
};

export const applicationIdField: INodeProperties = {
	displayName: 'Application ID',
	name: 'applicationId',
	type: 'string',
	default: '',
	placeholder: uuidPlaceholder,
	description: 'The ID (UUID) of the application, for its two factor settings and message templates',
};

export const messageTypeField: INodeProperties = {
	displayName: 'Message Type',
	name: 'messageType',
	type: 'options',
	options: [
		{ name: 'SMS', value: 'SMS' },
		{ name: 'Voice', value: 'Voice' },
	],
	default: 'SMS',
	description: 'How an SMS method delivers the code (FusionAuth 1.65 and later)',
};

/** The `additionalFields` collection holding an operation's optional parameters. */
export function additionalFields(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options,
	};
}

export function emailProperty(description: string, show: Show): INodeProperties {
	return {
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description,
		displayOptions: { show },
	};
}

export function mobilePhoneProperty(description: string | undefined, show: Show): INodeProperties {
	return {
		displayName: 'Mobile Phone',
		name: 'mobilePhone',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+15555550123',
		...(description === undefined ? {} : { description }),
		displayOptions: { show },
	};
}

/** The ID of one of a user's two factor methods; optional only where leaving it out means something. */
export function methodIdProperty(
	description: string,
	{ required = true, show, hint }: { required?: boolean; show?: Show; hint?: string } = {},
): INodeProperties {
	return {
		displayName: 'Method ID',
		name: 'methodId',
		type: 'string',
		...(required ? { required } : {}),
		default: '',
		placeholder: 'e.g. 2KSZ',
		description,
		...(hint === undefined ? {} : { hint }),
		...shownBy(show),
	};
}

/** A two factor code the user gives to confirm an action. */
export function codeProperty(description: string): INodeProperties {
	return {
		displayName: 'Code',
		name: 'code',
		type: 'string',
		required: true,
		default: '',
		description,
	};
}

/** An authenticator secret: a password field, as it is a credential. */
export function secretProperty(
	description: string,
	{ required = true, show, hint }: { required?: boolean; show?: Show; hint?: string } = {},
): INodeProperties {
	return {
		displayName: 'Secret',
		name: 'secret',
		type: 'string',
		typeOptions: { password: true },
		...(required ? { required } : {}),
		default: '',
		description,
		...(hint === undefined ? {} : { hint }),
		...shownBy(show),
	};
}

/** Whether a secret is the Base64 `secret` or the Base32 `secretBase32Encoded` of Generate Secret. */
export function secretEncodingProperty(show?: Show): INodeProperties {
	return {
		displayName: 'Secret Encoding',
		name: 'secretEncoding',
		type: 'options',
		options: [
			{ name: 'Base64', value: 'base64', description: 'The secret field of Generate Secret' },
			{
				name: 'Base32',
				value: 'base32',
				description: 'The secretBase32Encoded field, as authenticator apps show it',
			},
		],
		default: 'base64',
		...shownBy(show),
	};
}
