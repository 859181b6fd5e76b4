import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { own } from './verification';

/** The failed-attempt type as FusionAuth's event list and its TypeScript client spell it. */
export const FAILED_ATTEMPT = 'user.two-factor.failed-attempt';
/** The same event as its own documentation page and example payload spell it. */
const FAILED_ATTEMPT_DOTTED = 'user.two-factor.failed.attempt';

/** The events the trigger offers, each with the FusionAuth version and plan it needs. */
export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Two Factor Method Added',
		value: 'user.two-factor.method.add',
		description: 'A user enabled a two factor method (user.two-factor.method.add). FusionAuth 1.30+, Enterprise plan.',
	},
	{
		name: 'Two Factor Method Removed',
		value: 'user.two-factor.method.remove',
		description: 'A user disabled a two factor method (user.two-factor.method.remove). FusionAuth 1.30+, Enterprise plan.',
	},
	{
		name: 'Two Factor Challenge',
		value: 'user.two-factor.challenge',
		description: 'A login asked the user for a second factor (user.two-factor.challenge). FusionAuth 1.68+, Enterprise plan.',
	},
	{
		name: 'Two Factor Success',
		value: 'user.two-factor.success',
		description: 'A user passed the second factor (user.two-factor.success). FusionAuth 1.68+, Enterprise plan.',
	},
	{
		name: 'Two Factor Failed Attempt',
		value: FAILED_ATTEMPT,
		description: 'A user entered a wrong two factor code (user.two-factor.failed-attempt). FusionAuth 1.68+, Enterprise plan.',
	},
	{
		name: 'Login Success',
		value: 'user.login.success',
		description:
			'A user logged in (user.login.success). FusionAuth 1.6+, every plan. The tenant may make it transactional: then a login waits for this answer.',
	},
	{
		name: 'Login Failed',
		value: 'user.login.failed',
		description: 'A login failed (user.login.failed; it does not say which factor). FusionAuth 1.6+, every plan.',
	},
];

/** An event type as the trigger names it: both spellings of the failed attempt become one. */
export function normalizeEventType(type: unknown): string | undefined {
	if (typeof type !== 'string' || type === '') return undefined;
	return type === FAILED_ATTEMPT_DOTTED ? FAILED_ATTEMPT : type;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function object(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

/**
 * The item a workflow gets for one event: the event as FusionAuth sent it, plus the fields most
 * workflows need without digging. `method` is the method's kind (authenticator, email, sms,
 * recoveryCode...): method events carry a method object, login events a plain string.
 */
export function eventItem(event: IDataObject): IDataObject {
	// Own properties only: a sender's "__proto__" or "constructor" never reads Object.prototype.
	const user = object(own(event, 'user'));
	const method = object(own(event, 'method'));
	return {
		eventType: normalizeEventType(own(event, 'type')) ?? null,
		userId: text(own(user, 'id')) ?? text(own(event, 'userId')) ?? null,
		email: text(own(user, 'email')) ?? null,
		method: text(own(method, 'method')) ?? text(own(event, 'method')) ?? null,
		event,
	};
}
