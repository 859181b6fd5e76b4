import type { IDataObject } from 'n8n-workflow';

/**
 * The most a successful answer may hold. FusionAuth's largest answers are user search pages
 * (100 users); this is far above any of them and stops a server that never ends its body.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The most read of an error answer: FusionAuth's error bodies are a few hundred bytes. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** What an error keeps of a body that is not FusionAuth's JSON (in its context, so in the run data). */
export const KEPT_BODY_CHARS = 2048;

/** The answer's body could not be read to its end. */
export class BodyReadError extends Error {
	constructor(
		readonly reason: 'deadline' | 'tooLarge' | 'broken' | 'cancelled',
		readonly code?: string,
	) {
		super(reason);
	}
}

interface ReadableLike {
	on(event: string, listener: (...args: unknown[]) => void): unknown;
	destroy(error?: Error): unknown;
}

function isReadable(value: unknown): value is ReadableLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ReadableLike).on === 'function' &&
		typeof (value as ReadableLike).destroy === 'function'
	);
}

/** Ends a body nobody will read, so its connection is released. */
export function discardBody(body: unknown): void {
	if (isReadable(body)) body.destroy();
}

/**
 * Reads a response body (a stream, or what a helper already read) into a Buffer: at most
 * `limit` bytes, and no longer than until the deadline passes or `cancel` aborts.
 * `either`, when given, aborts when one of them does: one listener on it, instead of one on
 * `cancel`, which is the execution's own signal, shared by every request in flight.
 * `truncate` keeps the first `limit` bytes instead of failing when there are more.
 */
export async function readBody(
	body: unknown,
	limit: number,
	signals: { deadline: AbortSignal; cancel?: AbortSignal; either?: AbortSignal },
	truncate = false,
): Promise<Buffer> {
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (!isReadable(body)) {
		const buffer = Buffer.isBuffer(body)
			? body
			: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
		if (buffer.length > limit && !truncate) throw new BodyReadError('tooLarge');
		return buffer.subarray(0, limit);
	}
	return await new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const finish = (outcome: Buffer | BodyReadError) => {
			if (settled) return;
			settled = true;
			if (either) {
				either.removeEventListener('abort', onEither);
			} else {
				signals.deadline.removeEventListener('abort', onDeadline);
				signals.cancel?.removeEventListener('abort', onCancel);
			}
			if (outcome instanceof BodyReadError) {
				body.destroy();
				reject(outcome);
			} else {
				resolve(outcome);
			}
		};
		const onDeadline = () => finish(new BodyReadError('deadline'));
		const onCancel = () => finish(new BodyReadError('cancelled'));
		const { either } = signals;
		const onEither = () => (signals.deadline.aborted ? onDeadline() : onCancel());
		if (signals.deadline.aborted) return onDeadline();
		if (signals.cancel?.aborted) return onCancel();
		if (either) {
			either.addEventListener('abort', onEither);
		} else {
			signals.deadline.addEventListener('abort', onDeadline);
			signals.cancel?.addEventListener('abort', onCancel);
		}
		body.on('data', (chunk: unknown) => {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8');
			if (size + buffer.length > limit) {
				if (truncate) {
					chunks.push(buffer.subarray(0, limit - size));
					size = limit;
					body.destroy();
					return finish(Buffer.concat(chunks));
				}
				return finish(new BodyReadError('tooLarge'));
			}
			chunks.push(buffer);
			size += buffer.length;
		});
		body.on('end', () => finish(Buffer.concat(chunks)));
		body.on('error', (error: unknown) => {
			const code = (error as { code?: unknown })?.code;
			finish(new BodyReadError('broken', typeof code === 'string' ? code : undefined));
		});
		// A connection that closes without 'end' broke off in the middle of the body. Checked
		// first: every answer closes after its end, and an error costs a stack trace.
		body.on('close', () => {
			if (!settled) finish(new BodyReadError('broken', 'ECONNRESET'));
		});
	});
}

/** A body as it was read: empty, a JSON value, or text that is not JSON. */
export type ReadBody =
	| { kind: 'empty' }
	| { kind: 'json'; value: unknown }
	| { kind: 'text'; text: string };

export function parseBody(bytes: Buffer): ReadBody {
	const text = bytes.toString('utf8');
	if (text.trim() === '') return { kind: 'empty' };
	try {
		return { kind: 'json', value: JSON.parse(text) as unknown };
	} catch {
		return { kind: 'text', text };
	}
}

export function isJsonObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kinds of value an operation may require in a successful answer. */
export type FieldKind = 'string' | 'array' | 'object';

function hasKind(value: unknown, kind: FieldKind): boolean {
	if (kind === 'array') return Array.isArray(value);
	if (kind === 'object') return isJsonObject(value);
	return typeof value === 'string' && value !== '';
}

/**
 * Why a successful answer is not what the operation expects, or undefined when it is:
 * FusionAuth answers either nothing or one JSON object, with the fields the endpoint documents.
 */
export function unexpectedBody(body: ReadBody, expected: Record<string, FieldKind> | undefined): string | undefined {
	const fields = Object.entries(expected ?? {}).map(([field, kind]) => `${field} (${kind})`);
	const wanted =
		expected === undefined
			? 'no body or a JSON object'
			: `a JSON object${fields.length > 0 ? ` with ${fields.join(', ')}` : ''}`;
	if (body.kind === 'empty') return expected ? `an empty body, where FusionAuth sends ${wanted}` : undefined;
	if (body.kind === 'text') return `text that is not JSON, where FusionAuth sends ${wanted}`;
	if (!isJsonObject(body.value)) {
		return `${Array.isArray(body.value) ? 'a JSON array' : `a JSON ${body.value === null ? 'null' : typeof body.value}`}, where FusionAuth sends ${wanted}`;
	}
	for (const [field, kind] of Object.entries(expected ?? {})) {
		if (!hasKind(body.value[field], kind)) {
			const keys = Object.keys(body.value).slice(0, 10);
			return `a JSON object without ${field} (its fields: ${keys.length > 0 ? keys.join(', ') : 'none'}), where FusionAuth sends ${wanted}`;
		}
	}
	return undefined;
}

/**
 * What an error may say about a body: for text, its first characters with control characters
 * shown as spaces; for JSON, only its shape (its values may be credentials).
 */
export function describeBody(body: ReadBody, contentType: string | undefined): string {
	const type = contentType ? `Content-Type ${contentType.split(';')[0].trim()}` : 'no Content-Type';
	if (body.kind === 'empty') return `${type}, empty body`;
	if (body.kind === 'json') return `${type}, JSON`;
	const start = body.text.replace(/\p{Cc}+/gu, ' ').trim().slice(0, 80);
	return `${type}, starting ${JSON.stringify(start)}`;
}

/** A body to keep in an error's context: FusionAuth's JSON as it is when small, else a short start. */
export function keptBody(body: ReadBody): IDataObject | undefined {
	if (body.kind === 'empty') return undefined;
	if (body.kind === 'json' && isJsonObject(body.value)) {
		const text = JSON.stringify(body.value);
		if (text.length <= KEPT_BODY_CHARS) return body.value;
		return { truncatedBody: `${text.slice(0, KEPT_BODY_CHARS)}...` };
	}
	const text = body.kind === 'json' ? JSON.stringify(body.value) : body.text;
	return { truncatedBody: text.length <= KEPT_BODY_CHARS ? text : `${text.slice(0, KEPT_BODY_CHARS)}...` };
}
