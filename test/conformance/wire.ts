import type { RecordedRequest } from '../harness/recordingServer';

/** What FusionAuth sees of a request: the parts that decide what it does. */
export interface WireRequest {
	method: string;
	/** Path and query exactly as sent. */
	url: string;
	authorization: string | undefined;
	tenantId: string | undefined;
	/** Only when there is a body. */
	contentType: string | undefined;
	body: unknown;
}

function header(request: RecordedRequest, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

export function onTheWire(request: RecordedRequest): WireRequest {
	const hasBody = request.rawBody !== '';
	return {
		method: request.method,
		url: request.url,
		authorization: header(request, 'authorization'),
		tenantId: header(request, 'x-fusionauth-tenantid'),
		contentType: hasBody ? header(request, 'content-type') : undefined,
		body: request.body ?? (hasBody ? request.rawBody : undefined),
	};
}
