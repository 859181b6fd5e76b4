/**
 * What every handler works with: the request as the router hands it over (Context), the answer
 * (Reply), FusionAuth's Errors body, a lenient reader of JSON bodies, and the checks of user ids
 * and application ids that many endpoints share.
 */
import type { JwtClaims } from './jwt';
import { isUuid } from './state';
import type { SimulatorState, UserRecord } from './state';

export interface ApiKeyRecord {
	key: string;
	tenantId?: string;
	permissions?: Record<string, string[]>;
}

export type Auth =
	| { kind: 'key'; key: ApiKeyRecord }
	| { kind: 'jwt'; user: UserRecord; claims: JwtClaims }
	| { kind: 'none' };

export type Body = { kind: 'none' } | { kind: 'json'; value: Record<string, unknown> };

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface Context {
	method: string;
	url: URL;
	body: Body;
	auth: Auth;
	/** The tenant the request is scoped to, when it can be told from the key, header or JWT. */
	tenantId?: string;
	now: number;
}

export type Handler = (ctx: Context, params: Record<string, string | undefined>) => Reply | Promise<Reply>;

export interface Route {
	method: string;
	/** Literal segments, `:name` (required) or `:name?` (optional, last only). */
	pattern: string[];
	auth: Array<'key' | 'jwt' | 'none'>;
	/** Endpoint URI for API key permissions. */
	endpoint: string;
	/** `required`: a JSON body must be sent; `optional`: used when sent. */
	json: 'required' | 'optional' | 'none';
	handler: Handler;
}

interface ErrorEntry {
	code: string;
	message: string;
}

/** FusionAuth's Errors object: {fieldErrors: {field: [{code, message}]}, generalErrors: [...]}. */
export class Errors {
	readonly fieldErrors: Record<string, ErrorEntry[]> = {};
	readonly generalErrors: ErrorEntry[] = [];

	field(field: string, code: string, message: string): this {
		(this.fieldErrors[field] ??= []).push({ code, message });
		return this;
	}

	general(code: string, message: string): this {
		this.generalErrors.push({ code, message });
		return this;
	}

	blank(field: string): this {
		return this.field(field, `[blank]${field}`, `You must specify the [${field}] property.`);
	}

	/** [blank] when the value is missing or empty, unless the field already has an error. */
	required(field: string, value: string | undefined): this {
		return (value === undefined || value === '') && !this.has(field) ? this.blank(field) : this;
	}

	missing(field: string, message = `You must specify the [${field}] property.`): this {
		return this.field(field, `[missing]${field}`, message);
	}

	invalid(field: string, message = `The [${field}] property is invalid.`): this {
		return this.field(field, `[invalid]${field}`, message);
	}

	/** A UUID in the path or query string that is not one. */
	couldNotConvert(field: string, value: string): this {
		return this.field(
			field,
			`[couldNotConvert]${field}`,
			`Invalid ${field} [${value}]. This must be a valid UUID String (e.g. 25a872da-bb44-4af8-a43d-e7bcb5351ebc).`,
		);
	}

	invalidJson(field: string, detail: string): this {
		return this.field(
			field,
			'[invalidJSON]',
			`Invalid JSON in the request body. The property was [${field}]. The error was [Possible conversion error]. The detailed exception was [${detail}].`,
		);
	}

	has(field?: string): boolean {
		return field === undefined ? !this.empty : field in this.fieldErrors;
	}

	get empty(): boolean {
		return Object.keys(this.fieldErrors).length === 0 && this.generalErrors.length === 0;
	}

	reply(): Reply {
		return { status: 400, body: { fieldErrors: this.fieldErrors, generalErrors: this.generalErrors } };
	}
}

/** An answer without a body, as FusionAuth gives for 401, 404, 421 and many a 200. */
export const EMPTY = (status: number): Reply => ({ status });
export const OK = EMPTY(200);

export function tenantRequired(): Reply {
	return new Errors()
		.general(
			'[TenantIdRequired]',
			'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
		)
		.reply();
}

/** Reads JSON body fields with Jackson's leniency: scalars convert to strings, structures do not. */
export class BodyReader {
	constructor(
		private readonly value: Record<string, unknown>,
		private readonly errors: Errors,
		private readonly prefix = '',
	) {}

	has(name: string): boolean {
		return this.value[name] !== undefined && this.value[name] !== null;
	}

	raw(name: string): unknown {
		return this.value[name];
	}

	string(name: string): string | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		if (typeof raw === 'string') {
			return raw;
		}
		if (typeof raw === 'number' || typeof raw === 'boolean') {
			return String(raw);
		}
		this.errors.invalidJson(this.prefix + name, 'Cannot deserialize value of type `java.lang.String` from an Object or Array value');
		return undefined;
	}

	/** Non-blank trimmed string or undefined. */
	text(name: string): string | undefined {
		const value = this.string(name);
		return value === undefined || value.trim() === '' ? undefined : value.trim();
	}

	uuid(name: string): string | undefined {
		const value = this.string(name);
		if (value === undefined || value === '') {
			return undefined;
		}
		if (!isUuid(value)) {
			this.errors.invalidJson(this.prefix + name, `Cannot deserialize value of type \`java.util.UUID\` from String "${value}"`);
			return undefined;
		}
		return value.toLowerCase();
	}

	boolean(name: string): boolean | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		if (typeof raw === 'boolean') {
			return raw;
		}
		if (raw === 'true' || raw === 'false') {
			return raw === 'true';
		}
		this.errors.invalidJson(this.prefix + name, `Cannot deserialize value of type \`boolean\` from ${JSON.stringify(raw)}`);
		return undefined;
	}

	integer(name: string): number | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		const number = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
		if (typeof number === 'number' && Number.isInteger(number)) {
			return number;
		}
		this.errors.invalidJson(this.prefix + name, `Cannot deserialize value of type \`int\` from ${JSON.stringify(raw)}`);
		return undefined;
	}

	enumeration<T extends string>(name: string, allowed: readonly T[]): T | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) {
			return raw as T;
		}
		this.errors.invalidJson(
			this.prefix + name,
			`Cannot deserialize value from ${JSON.stringify(raw)}: not one of the values accepted for Enum class: [${allowed.join(', ')}]`,
		);
		return undefined;
	}

	object(name: string): Record<string, unknown> | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		if (typeof raw === 'object' && !Array.isArray(raw)) {
			return raw as Record<string, unknown>;
		}
		this.errors.invalidJson(this.prefix + name, 'Cannot deserialize value of type `java.util.Map` from a non-object value');
		return undefined;
	}

	stringArray(name: string): string[] | undefined {
		const raw = this.value[name];
		if (raw === undefined || raw === null) {
			return undefined;
		}
		const list = Array.isArray(raw) ? raw : [raw];
		if (list.every((item) => typeof item === 'string')) {
			return list as string[];
		}
		this.errors.invalidJson(this.prefix + name, 'Cannot deserialize value of type `java.util.List<java.lang.String>`');
		return undefined;
	}
}

// --- checks many endpoints share -------------------------------------------------------------

export function jsonOf(body: Body): Record<string, unknown> {
	return body.kind === 'json' ? body.value : {};
}

export const NO_SUCH_USER = 'The [userId] property does not identify an existing User.';

/** Path {userId}: 400 when not a UUID, 404 when unknown (in the request's tenant). */
export function userFromPath(sim: SimulatorState, ctx: Context, raw: string | undefined): UserRecord | Reply {
	const notOnUrl = 'The Id of the User was not specified on the URL.';
	if (raw === undefined || raw === '') {
		return new Errors().missing('userId', notOnUrl).reply();
	}
	if (!isUuid(raw)) {
		return new Errors().couldNotConvert('userId', raw).missing('userId', notOnUrl).reply();
	}
	return sim.findUser(raw, ctx.tenantId) ?? EMPTY(404);
}

/** The user the request acts on: the JWT's user, or {userId} with an API key. */
export function subjectUser(sim: SimulatorState, ctx: Context, rawUserId: string | undefined): UserRecord | Reply {
	if (ctx.auth.kind === 'jwt') {
		return rawUserId === undefined ? ctx.auth.user : EMPTY(401);
	}
	return userFromPath(sim, ctx, rawUserId);
}

/** A query parameter, trimmed; undefined when absent or blank. */
export function queryText(ctx: Context, name: string): string | undefined {
	return ctx.url.searchParams.get(name)?.trim() || undefined;
}

/** A UUID from the query string; [couldNotConvert] when it is not one. */
export function queryUuid(ctx: Context, name: string, errors: Errors): string | undefined {
	const value = ctx.url.searchParams.get(name);
	if (value === null || value === '') {
		return undefined;
	}
	if (!isUuid(value)) {
		errors.couldNotConvert(name, value);
		return undefined;
	}
	return value.toLowerCase();
}

export function checkApplication(sim: SimulatorState, applicationId: string | undefined, errors: Errors): void {
	if (applicationId !== undefined && sim.application(applicationId) === undefined) {
		errors.invalid('applicationId', 'The [applicationId] property does not identify an existing Application.');
	}
}

/** loginIdTypes (1.59+): the kinds of identity a login ID may be. */
export function checkLoginIdTypes(loginIdTypes: string[] | undefined, errors: Errors): void {
	if (loginIdTypes !== undefined && loginIdTypes.some((type) => !['email', 'username', 'phoneNumber'].includes(type))) {
		errors.invalid('loginIdTypes', 'The [loginIdTypes] values must be one of [email, phoneNumber, username].');
	}
}
