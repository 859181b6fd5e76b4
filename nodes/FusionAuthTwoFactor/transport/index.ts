import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorFromConnection, errorFromResponse } from './errors';
import type { FusionAuthRequest, FusionAuthResponse } from './request';

export const CREDENTIAL_TYPE = 'fusionAuthApi';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface TransportOptions {
	timeoutMs?: number;
}

/** The credential's base URL without trailing slashes; a path prefix is kept. */
export function normalizeBaseUrl(baseUrl: string): string {
	return baseUrl.trim().replace(/\/+$/, '');
}

/** A path segment that the URL parser would resolve instead of sending as it is. */
export function isUnsafePathSegment(value: string): boolean {
	return value === '' || value === '.' || value === '..';
}

/** The full URL of a request: base URL, `/api/`, encoded segments, the non-empty query values. */
export function buildUrl(baseUrl: string, request: FusionAuthRequest): string {
	const segments = request.path.map((segment) => {
		const value = typeof segment === 'string' ? segment : segment.value;
		if (isUnsafePathSegment(value)) {
			const name = typeof segment === 'string' ? 'path' : segment.parameter;
			throw new Error(`Refusing to send ${name} "${value}" as a path segment`);
		}
		return encodeURIComponent(value);
	});
	const query = Object.entries(request.query ?? {})
		.filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
	return `${normalizeBaseUrl(baseUrl)}/api/${segments.join('/')}${query ? `?${query}` : ''}`;
}

function parseBody(body: unknown): IDataObject | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	if (typeof body === 'string') {
		try {
			return parseBody(JSON.parse(body));
		} catch {
			return { body };
		}
	}
	if (typeof body === 'object') return body as IDataObject;
	return { body: body as string };
}

/** Shows a URL without any user name or password it may hold. */
function displayUrl(baseUrl: string): string {
	try {
		const url = new URL(baseUrl);
		url.username = '';
		url.password = '';
		return normalizeBaseUrl(url.toString());
	} catch {
		return baseUrl;
	}
}

/** The one place that talks HTTP to FusionAuth. */
export class FusionAuthTransport {
	private constructor(
		private readonly context: IExecuteFunctions,
		private readonly baseUrl: string,
		private readonly tenantId: string,
		private readonly allowUnauthorizedCerts: boolean,
		private readonly timeoutMs: number,
	) {}

	static async create(
		context: IExecuteFunctions,
		options: TransportOptions = {},
	): Promise<FusionAuthTransport> {
		const credentials = await context.getCredentials(CREDENTIAL_TYPE);
		const baseUrl = normalizeBaseUrl(String(credentials.baseUrl ?? ''));
		if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
			throw new NodeOperationError(
				context.getNode(),
				'The Base URL in the FusionAuth credential must start with http:// or https://',
			);
		}
		return new FusionAuthTransport(
			context,
			baseUrl,
			String(credentials.tenantId ?? '').trim(),
			credentials.allowUnauthorizedCerts === true,
			options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		);
	}

	/** Sends one request; any status of 400 or more becomes a NodeApiError for that item. */
	async send(request: FusionAuthRequest, itemIndex: number): Promise<FusionAuthResponse> {
		const headers: Record<string, string> = {};
		const options: IHttpRequestOptions = {
			method: request.method,
			url: buildUrl(this.baseUrl, request),
			headers,
			returnFullResponse: true,
			// Statuses are FusionAuth's answers (242, 421, ...): read them here, not as thrown errors.
			ignoreHttpStatusErrors: true,
			timeout: this.timeoutMs,
		};
		if (request.body !== undefined) {
			headers['Content-Type'] = 'application/json';
			// Serialized here so that an empty object still goes out as `{}`.
			options.body = JSON.stringify(request.body);
		}

		let response: IN8nHttpFullResponse;
		try {
			if (request.authentication.type === 'none') {
				// No Authorization header at all, as FusionAuth's own client sends these calls.
				if (this.tenantId !== '') headers['X-FusionAuth-TenantId'] = this.tenantId;
				if (this.allowUnauthorizedCerts) options.skipSslCertificateValidation = true;
				const signal = this.context.getExecutionCancelSignal?.();
				if (signal) options.abortSignal = signal;
				response = (await this.context.helpers.httpRequest(options)) as IN8nHttpFullResponse;
			} else {
				if (request.authentication.type === 'jwt') {
					headers.Authorization = `Bearer ${request.authentication.jwt}`;
				}
				response = (await this.context.helpers.httpRequestWithAuthentication.call(
					this.context,
					CREDENTIAL_TYPE,
					options,
				)) as IN8nHttpFullResponse;
			}
		} catch (error) {
			throw errorFromConnection(
				this.context.getNode(),
				request,
				error,
				displayUrl(this.baseUrl),
				this.timeoutMs,
				itemIndex,
			);
		}

		const body = parseBody(response.body);
		if (response.statusCode >= 400) {
			throw errorFromResponse(this.context.getNode(), request, response.statusCode, body, itemIndex);
		}
		return { statusCode: response.statusCode, body };
	}
}
