/**
 * Checks that several operations' tables share and that fit no table row: an input refused in
 * item 1 after item 0 went out, and FusionAuth's error answers read in full.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { RecordingServer, Reply } from '../harness/recordingServer';
import type { ApiVersion, ErrorCase } from './table';
import { runOperation } from './table';

/** The field under test reads `$json.value`. */
export const FROM_ITEM = '={{ $json.value }}';

export interface InputCase {
	/** What is wrong. */
	name: string;
	apiVersion: ApiVersion;
	parameters: INodeParameters;
	/** A value that passes, for item 0. */
	good: unknown;
	/** A value that must fail, for item 1. */
	bad: unknown;
	/** The field's display name, as the message starts. */
	label: string;
	/** Its internal name, as the description says. */
	field: string;
	problem: RegExp;
}

/** Item 0 is sent, item 1 is refused before its request, naming the field and the item. */
export function describeInputChecks(server: RecordingServer, cases: InputCase[]): void {
	const items = (row: InputCase) => [{ value: row.good }, { value: row.bad }] as IDataObject[];

	describe.each(cases)('input: $name', (row) => {
		test('stops the workflow with a NodeOperationError naming the field and item 1, before its request', async () => {
			const options = { ...(row.parameters.options as IDataObject | undefined), concurrency: 1 };
			const result = await runOperation(server.url, row.apiVersion, { ...row.parameters, options }, { items: items(row) });
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error!.message.startsWith(`${row.label} `)).toBe(true);
			expect(result.error!.message).toMatch(row.problem);
			expect(result.error!.message).toContain('[item 1]');
			expect(result.error!.description).toContain(`"${row.field}"`);
			expect(result.error!.context?.itemIndex).toBe(1);
			// Item 0 went out; item 1 never did.
			expect(server.requests).toHaveLength(1);
		});

		test('with Continue On Fail: item 0 is sent, item 1 fails alone without a request', async () => {
			const result = await runOperation(server.url, row.apiVersion, row.parameters, { items: items(row), onError: 'continueRegularOutput' });
			expect(result.error).toBeUndefined();
			expect(server.requests).toHaveLength(1);
			expect(result.output).toHaveLength(2);
			expect(result.output[0].json).not.toHaveProperty('error');
			expect(result.output[0].pairedItem).toEqual({ item: 0 });
			expect(result.output[1].pairedItem).toEqual({ item: 1 });
			const message = String(result.output[1].json.error);
			expect(message.startsWith(`${row.label} `)).toBe(true);
			expect(message).toMatch(row.problem);
			expect(message).toContain('[item 1]');
		});
	});
}

/** A 400 with field errors, a field with two, and a general error (API notes, "Status codes and error bodies"). */
const FIELD_AND_GENERAL_ERRORS = {
	fieldErrors: {
		code: [{ code: '[blank]code', message: 'You must specify the [code] property.' }],
		methodId: [
			{ code: '[invalid]methodId', message: 'The [methodId] property is not valid.' },
			{ code: '[missing]methodId', message: 'The method does not exist.' },
		],
	},
	generalErrors: [{ code: '[LoginPreventedException]', message: 'The user is locked.' }],
};

const TENANT_ID_REQUIRED = {
	generalErrors: [
		{
			code: '[TenantIdRequired]',
			message: 'A tenant Id is required to complete this request. Specify the X-FusionAuth-TenantId HTTP request header.',
		},
	],
};

const UNAVAILABLE = { generalErrors: [{ code: '[Unavailable]', message: 'The search engine is not reachable.' }] };

/** Both texts, in either order. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const containsBoth = (first: string, second: string) => new RegExp(`^(?=[\\s\\S]*${literal(first)})(?=[\\s\\S]*${literal(second)})`);

/** What a person reads of FusionAuth's error answers to an endpoint that answers 400, 401, 500 and 503. */
/** An error row answered with one fixed reply. */
export type AnsweredError = ErrorCase & { answer: Reply };

export function answerErrors(title: string, apiVersion: ApiVersion, parameters: INodeParameters): AnsweredError[] {
	return [
		{
			name: `${title} 400: FusionAuth's first message, every field and general error listed as "field: message [code]"`,
			apiVersion,
			parameters,
			answer: { status: 400, body: FIELD_AND_GENERAL_ERRORS },
			message: /The user is locked\./,
			description: [
				'code: You must specify the [code] property. [blank]code',
				'methodId: The [methodId] property is not valid. [invalid]methodId',
				'methodId: The method does not exist. [missing]methodId',
				'The user is locked. [LoginPreventedException]',
			].join('\n'),
		},
		{
			name: `${title} 400 [TenantIdRequired]: tells to set the Tenant ID`,
			apiVersion,
			parameters,
			answer: { status: 400, body: TENANT_ID_REQUIRED },
			message: 'FusionAuth needs a tenant: set Tenant ID in the FusionAuth credential',
			description: /\[TenantIdRequired\]/,
		},
		{
			name: `${title} 401 with the API key: "FusionAuth rejected the API key", one request, no retry`,
			apiVersion,
			// Retries allowed, so that one request shows the 401 is not retried.
			parameters: { ...parameters, options: { retries: 2, retryDelay: 100 } },
			answer: { status: 401 },
			message: 'FusionAuth rejected the API key',
			description: /API key/,
		},
		...[
			[500, 'FusionAuth had an internal error (500)'],
			[503, 'FusionAuth is unavailable (503)'],
		].map(([status, message]) => ({
			name: `${title} ${status} with a JSON body: says it is on the server's side and shows FusionAuth's message`,
			apiVersion,
			parameters,
			answer: { status: status as number, body: UNAVAILABLE },
			message: message as string,
			description: containsBoth('The search engine is not reachable. [Unavailable]', "on the server's side"),
		})),
	];
}
