import type { RecordedRequest } from './recordingServer';

export function header(request: RecordedRequest, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** The headers and body that decide what FusionAuth does with a request. */
export interface SentHeadersAndBody {
	authorization: string | undefined;
	tenantId: string | undefined;
	/** Only when there is a body. */
	contentType: string | undefined;
	body: unknown;
}

export function headersAndBody(request: RecordedRequest): SentHeadersAndBody {
	const hasBody = request.rawBody !== '';
	return {
		authorization: header(request, 'authorization'),
		tenantId: header(request, 'x-fusionauth-tenantid'),
		contentType: hasBody ? header(request, 'content-type') : undefined,
		body: request.body ?? (hasBody ? request.rawBody : undefined),
	};
}

/** What FusionAuth sees of a request: the parts that decide what it does. */
export interface WireRequest extends SentHeadersAndBody {
	method: string;
	/** Path and query exactly as sent. */
	url: string;
}

export function onTheWire(request: RecordedRequest): WireRequest {
	return { method: request.method, url: request.url, ...headersAndBody(request) };
}
