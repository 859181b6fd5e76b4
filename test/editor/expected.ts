/**
 * What a user should see of the node in n8n's editor, written out as the specification the
 * editor suite and the unit tests check against (never read from the node's own code).
 */

/** The nodes panel's actions, in the order it lists them: [resource, operation, action title]. */
export const ACTIONS: Array<[resource: string, operation: string, action: string]> = [
	['twoFactor', 'enable', 'Enable a two factor method'],
	['twoFactor', 'disable', 'Disable a two factor method'],
	['twoFactor', 'removeAll', 'Remove all two factor methods of a user'],
	['twoFactor', 'update', 'Update the name of a two factor method'],
	['secret', 'generate', 'Generate an authenticator secret'],
	['code', 'send', 'Send a code to enable or disable two factor'],
	['code', 'sendForLogin', 'Send a code to complete a login'],
	['code', 'generateTotp', 'Generate an authenticator code'],
	['recoveryCode', 'generate', 'Generate new recovery codes'],
	['recoveryCode', 'get', 'Get recovery codes'],
	['login', 'start', 'Start a two factor login'],
	['login', 'complete', 'Complete a two factor login'],
	['login', 'getStatus', 'Get the two factor status of a user'],
	['user', 'get', 'Get a user'],
	['user', 'getMany', 'Get many users by two factor status'],
];

/**
 * The trigger's events as the nodes panel lists them under "Triggers" in the node's view: n8n
 * shows "FusionAuth Two Factor" and "FusionAuth Two Factor Trigger" as one entry, the trigger's
 * events first, one per option of its Events parameter.
 */
export const TRIGGERS: string[] = [
	'On two factor method added',
	'On two factor method removed',
	'On two factor challenge',
	'On two factor success',
	'On two factor failed attempt',
	'On login success',
	'On login failed',
];

/** The trigger's panel in the example "MFA removed" (automatic registration, shared secret). */
export const TRIGGER_PANEL = { fields: ['events', 'registration', 'verification', 'enableEventsInTenant'], required: [] as string[] };

export interface PanelSpec {
	apiVersion: 'current' | 'legacy';
	resource: string;
	operation: string;
	/** Every parameter the panel shows with the operation's defaults, in order (notices aside). */
	fields: string[];
	/** Those marked required. */
	required: string[];
}

const panel = (
	apiVersion: 'current' | 'legacy',
	resource: string,
	operation: string,
	own: string[],
	required: string[],
): PanelSpec => ({
	apiVersion,
	resource,
	operation,
	fields: ['apiVersion', 'resource', 'operation', ...own, 'options'],
	required,
});

/** Each operation's parameter panel in each API version that has it, with its defaults. */
export const PANELS: PanelSpec[] = [
	panel('current', 'twoFactor', 'enable', ['authenticateWith', 'userId', 'method', 'code', 'secret', 'secretEncoding', 'additionalFields'], ['userId', 'code', 'secret']),
	panel('current', 'twoFactor', 'disable', ['authenticateWith', 'userId', 'methodId', 'code', 'additionalFields'], ['userId', 'code']),
	panel('current', 'twoFactor', 'update', ['userId', 'methodId', 'name'], ['userId', 'methodId', 'name']),
	panel('current', 'twoFactor', 'removeAll', ['userId'], ['userId']),
	panel('current', 'secret', 'generate', ['authenticateWith', 'additionalFields'], []),
	panel('current', 'code', 'send', ['authenticateWith', 'userId', 'purpose', 'method', 'email', 'additionalFields'], ['userId', 'email']),
	panel('current', 'code', 'sendForLogin', ['twoFactorId', 'methodId', 'additionalFields'], ['twoFactorId', 'methodId']),
	panel('current', 'code', 'generateTotp', ['secret', 'secretEncoding', 'additionalFields'], ['secret']),
	panel('current', 'recoveryCode', 'generate', ['userId'], ['userId']),
	panel('current', 'recoveryCode', 'get', ['userId'], ['userId']),
	panel('current', 'login', 'start', ['startBy', 'userId', 'applicationId', 'additionalFields'], ['userId']),
	panel('current', 'login', 'complete', ['twoFactorId', 'code', 'additionalFields'], ['twoFactorId', 'code']),
	panel('current', 'login', 'getStatus', ['userId', 'additionalFields'], ['userId']),
	panel('current', 'user', 'get', ['userId'], ['userId']),
	panel('current', 'user', 'getMany', ['twoFactorStatus', 'returnAll', 'limit', 'additionalFields'], []),
	panel('legacy', 'twoFactor', 'enable', ['authenticateWith', 'userId', 'code', 'delivery', 'secret'], ['userId', 'code', 'secret']),
	panel('legacy', 'twoFactor', 'disable', ['authenticateWith', 'userId', 'code'], ['userId', 'code']),
	panel('legacy', 'secret', 'generate', ['authenticateWith', 'additionalFields'], []),
	panel('legacy', 'code', 'send', ['authenticateWith', 'sendTo', 'userId'], ['userId']),
	panel('legacy', 'code', 'sendForLogin', ['twoFactorId'], ['twoFactorId']),
	panel('legacy', 'code', 'generateTotp', ['secret', 'secretEncoding', 'additionalFields'], ['secret']),
	panel('legacy', 'user', 'get', ['userId'], ['userId']),
	panel('legacy', 'user', 'getMany', ['twoFactorStatus', 'returnAll', 'limit', 'additionalFields'], []),
];
