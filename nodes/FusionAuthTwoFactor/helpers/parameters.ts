import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Authentication, FusionAuthRequest, FusionAuthResponse, PathSegment } from '../../shared/request';
import { isUnsafePathSegment } from '../../shared/request';
import type { ResolvedUser } from './userLocator';
import { resolveUser } from './userLocator';
import { isSingleToken, isUuid, isWellFormedText, quoteValue } from './validation';

export type ApiVersion = 'current' | 'legacy';

interface StringOptions {
	/** The value is a UUID (FusionAuth's userId, applicationId): checked before any request. */
	uuid?: boolean;
	/** Keep surrounding white space (codes and ids are trimmed by default). */
	raw?: boolean;
}

/** Display names of parameters, found in an operation's description, for error messages. */
export function collectDisplayNames(properties: INodeProperties[]): Record<string, string> {
	const names: Record<string, string> = {};
	const walk = (list: unknown[]) => {
		for (const entry of list) {
			const property = entry as INodeProperties;
			if (property.name && property.displayName && !(property.name in names)) {
				names[property.name] = property.displayName;
			}
			if (Array.isArray(property.options)) walk(property.options);
			const values = (property as unknown as { values?: unknown[] }).values;
			if (Array.isArray(values)) walk(values);
		}
	};
	walk(properties);
	return names;
}

/**
 * The values each choice parameter (options, multi-options) offers, found in an operation's
 * description: an expression can set any value, so they are checked again at run time.
 */
export function collectChoices(properties: INodeProperties[]): Record<string, string[]> {
	const choices: Record<string, string[]> = {};
	const walk = (list: unknown[]) => {
		for (const entry of list) {
			const property = entry as INodeProperties;
			if ((property.type === 'options' || property.type === 'multiOptions') && Array.isArray(property.options)) {
				const values = property.options
					.map((option) => (option as { value?: unknown }).value)
					.filter((value): value is string => typeof value === 'string');
				choices[property.name] = [...new Set([...(choices[property.name] ?? []), ...values])];
			} else if (Array.isArray(property.options)) {
				walk(property.options);
			}
			const values = (property as unknown as { values?: unknown[] }).values;
			if (Array.isArray(values)) walk(values);
		}
	};
	walk(properties);
	return choices;
}

/**
 * Item i's parameters, read and checked. Every problem becomes a NodeOperationError that
 * names the field and the item, raised before any request is sent.
 */
export class ItemParameters {
	constructor(
		readonly context: IExecuteFunctions,
		readonly itemIndex: number,
		private readonly displayNames: Record<string, string> = {},
		private readonly choices: Record<string, string[]> = {},
		/** Run by an AI agent (the tool variant): values that would give it a second factor are refused. */
		readonly forTool = false,
		/** Sends a request through the node's transport, for the user lookups (By Email, ...). */
		private readonly send?: (request: FusionAuthRequest) => Promise<FusionAuthResponse>,
	) {}

	/** A value of a choice parameter that its options do not offer fails the item, listing them. */
	private checkChoice(field: string, value: string): void {
		const allowed = this.choices[field];
		if (allowed !== undefined && !allowed.includes(value)) {
			this.fail(field, `must be one of ${allowed.map((entry) => JSON.stringify(entry)).join(', ')}, not ${quoteValue(value)}`);
		}
	}

	get apiVersion(): ApiVersion {
		return this.context.getNodeParameter('apiVersion', this.itemIndex, 'current') as ApiVersion;
	}

	/** Fails the item; `label` names the field where its display name does not fit (a locator's mode). */
	fail(field: string, problem: string, label = this.displayNames[field] ?? field): never {
		throw new NodeOperationError(this.context.getNode(), `${label} ${problem} [item ${this.itemIndex}]`, {
			itemIndex: this.itemIndex,
			description: `Parameter "${field}" of item ${this.itemIndex}.`,
		});
	}

	/** A text value checked as every string parameter is: trimmed, well formed, a UUID where asked. */
	checkedText(field: string, value: unknown, options: StringOptions, label?: string): string | undefined {
		if (value === undefined || value === null) return undefined;
		if (typeof value !== 'string' && typeof value !== 'number') {
			this.fail(field, `must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`, label);
		}
		const text = options.raw ? String(value) : String(value).trim();
		if (text === '') return undefined;
		if (!isWellFormedText(text)) this.fail(field, 'contains a broken character (an unpaired UTF-16 surrogate)', label);
		this.checkChoice(field, text);
		if (options.uuid && !isUuid(text)) {
			this.fail(field, `must be a UUID such as 2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52, not ${quoteValue(text)}`, label);
		}
		return text;
	}

	/**
	 * The user of this item from the `userId` resource locator: its ID as given, or looked up by
	 * email, username or login ID before the operation's own request.
	 */
	async user(options: { loginIdTypes?: string[] } = {}): Promise<ResolvedUser> {
		const send = this.send;
		if (send === undefined) throw new NodeOperationError(this.context.getNode(), 'No connection to FusionAuth for the user lookup', { itemIndex: this.itemIndex });
		return await resolveUser(this, send, options);
	}

	/** The ID of this item's user (see `user`). */
	async userId(options: { loginIdTypes?: string[] } = {}): Promise<string> {
		return (await this.user(options)).id;
	}

	/** An optional top-level string parameter; empty means absent. */
	optionalString(field: string, options: StringOptions = {}): string | undefined {
		return this.checkedText(field, this.context.getNodeParameter(field, this.itemIndex, ''), options);
	}

	/** A required top-level string parameter. */
	requiredString(field: string, options: StringOptions = {}): string {
		const value = this.optionalString(field, options);
		if (value === undefined) this.fail(field, 'is required');
		return value;
	}

	/** A secret (such as a JWT): required, never shown in a message. */
	requiredSecret(field: string): string {
		const value = this.context.getNodeParameter(field, this.itemIndex, '');
		if (typeof value !== 'string' || value.trim() === '') this.fail(field, 'is required');
		const token = (value as string).trim();
		// The value itself is never shown: it is a credential.
		if (!isSingleToken(token)) this.fail(field, 'must be one token, without spaces, line breaks or other characters a header cannot carry');
		return token;
	}

	option<T extends string>(field: string, fallback: T): T {
		const value = this.context.getNodeParameter(field, this.itemIndex, fallback) as unknown;
		if (typeof value !== 'string') this.fail(field, 'must be text');
		this.checkChoice(field, value as string);
		return value as T;
	}

	/** A multi-options value inside a collection: a list of offered values; empty means absent. */
	additionalChoices(field: string, collection = 'additionalFields'): string[] | undefined {
		const value = this.collection(collection)[field];
		if (value === undefined || value === null || value === '') return undefined;
		if (!Array.isArray(value)) this.fail(field, 'must be a list');
		for (const entry of value as unknown[]) {
			if (typeof entry !== 'string') this.fail(field, 'must be a list of text values');
			this.checkChoice(field, entry as string);
		}
		return (value as string[]).length > 0 ? (value as string[]) : undefined;
	}

	boolean(field: string, fallback = false): boolean {
		return this.context.getNodeParameter(field, this.itemIndex, fallback) as boolean;
	}

	number(field: string, fallback: number): number {
		const value = this.context.getNodeParameter(field, this.itemIndex, fallback) as number;
		if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(field, 'must be a number');
		return value;
	}

	/** The `additionalFields` collection (or another collection) as set on this item. */
	collection(name = 'additionalFields'): IDataObject {
		return (this.context.getNodeParameter(name, this.itemIndex, {}) as IDataObject) ?? {};
	}

	/** A string inside a collection; empty means absent. */
	additionalString(field: string, options: StringOptions = {}, collection = 'additionalFields'): string | undefined {
		return this.checkedText(field, this.collection(collection)[field], options);
	}

	additionalBoolean(field: string, collection = 'additionalFields'): boolean | undefined {
		const value = this.collection(collection)[field];
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value !== 'boolean') this.fail(field, 'must be true or false');
		return value;
	}

	/** A path segment taken from a parameter: never `.` or `..`, which would change the endpoint. */
	pathSegment(field: string, value: string): PathSegment {
		// Refused here with the field's name; the transport would refuse it anyway, without it.
		if (isUnsafePathSegment(value)) this.fail(field, `cannot be ${quoteValue(value)}`);
		return { parameter: field, value };
	}

	/** API key (the credential) or the user's JWT, as `authenticateWith` says. */
	authentication(): Authentication {
		const mode = this.option<'apiKey' | 'jwt'>('authenticateWith', 'apiKey');
		if (mode === 'jwt') return { type: 'jwt', jwt: this.requiredSecret('jwt') };
		return { type: 'apiKey' };
	}
}
