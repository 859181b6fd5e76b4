import type { IDataObject } from 'n8n-workflow';

import type { FieldKind } from './response';

/** How a request proves who it is: the credential's API key, a user's JWT, or nothing. */
export type Authentication =
	| { type: 'apiKey' }
	| { type: 'jwt'; jwt: string }
	| { type: 'none' };

/** A fixed part of an endpoint's path, or a value taken from a parameter (such as `userId`). */
export type PathSegment = string | { parameter: string; value: string };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Everything an operation says about one call to FusionAuth. Operations build these from
 * their parameters; only the transport turns one into HTTP.
 */
export interface FusionAuthRequest {
	method: HttpMethod;
	/** Path segments after `/api`; each one is percent-encoded by the transport. */
	path: PathSegment[];
	/** Query values; `undefined` and empty strings are left out, a list repeats the name per value. */
	query?: Record<string, string | string[] | undefined>;
	/** JSON body, sent as it is (also when it is `{}`); `undefined` sends no body. */
	body?: IDataObject;
	authentication: Authentication;
	/**
	 * Sending it twice does no more than sending it once (a search, a status check), so it may
	 * be sent again after a lost connection. Default: true for GET and PUT, false otherwise (a
	 * PATCH that sets values may say true).
	 */
	repeatable?: boolean;
	/** Messages for statuses whose meaning depends on the endpoint (404 on a user, 410 on a login). */
	statusMessages?: Partial<Record<number, string>>;
	/**
	 * The fields FusionAuth always sends in a successful answer of this endpoint. Without it, a
	 * successful answer must be empty or a JSON object; with it, a JSON object with these fields.
	 */
	expectBody?: Record<string, FieldKind>;
}

export interface FusionAuthResponse {
	statusCode: number;
	/** The parsed JSON body, or `undefined` when FusionAuth answered without one. */
	body: IDataObject | undefined;
}

/** The endpoint a request calls, without its values: `POST /api/user/two-factor/{userId}`. */
export function describeEndpoint(request: Pick<FusionAuthRequest, 'method' | 'path'>): string {
	const path = request.path.map((segment) =>
		typeof segment === 'string' ? segment : `{${segment.parameter}}`,
	);
	return `${request.method} /api/${path.join('/')}`;
}

/** Whether sending the request twice does no more than sending it once. */
export function isRepeatable(request: Pick<FusionAuthRequest, 'method' | 'repeatable'>): boolean {
	return request.repeatable ?? (request.method === 'GET' || request.method === 'PUT');
}

/** A path segment that the URL parser would resolve instead of sending as it is. */
export function isUnsafePathSegment(value: string): boolean {
	return value === '' || value === '.' || value === '..';
}

/** The first segment of a path that would move the request to another path, with where it came from. */
export function unsafePathSegment(path: PathSegment[]): { parameter: string; value: string } | undefined {
	for (const segment of path) {
		const value = typeof segment === 'string' ? segment : segment.value;
		if (isUnsafePathSegment(value)) return { parameter: typeof segment === 'string' ? 'path' : segment.parameter, value };
	}
	return undefined;
}

/**
 * The full URL of a request: base URL, `/api/`, encoded segments, the non-empty query values.
 * Throws on a segment that would move the request to another path (see unsafePathSegment).
 */
export function buildUrl(baseUrl: string, request: Pick<FusionAuthRequest, 'path' | 'query'>): string {
	const unsafe = unsafePathSegment(request.path);
	if (unsafe !== undefined) throw new Error(`Refusing to send ${unsafe.parameter} "${unsafe.value}" as a path segment`);
	const segments = request.path.map((segment) => encodeURIComponent(typeof segment === 'string' ? segment : segment.value));
	// A list goes out as the name repeated once per value, as FusionAuth's client sends it.
	const query = Object.entries(request.query ?? {})
		.flatMap(([name, value]) => (Array.isArray(value) ? value.map((entry) => [name, entry]) : [[name, value]]))
		.filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
	return `${baseUrl}/api/${segments.join('/')}${query ? `?${query}` : ''}`;
}
