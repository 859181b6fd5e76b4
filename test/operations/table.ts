/**
 * One table per operation. `describeOperation` turns an operation's table into its tests:
 *
 * - requests: what the node sends, on the wire through n8n's engine, equal to what FusionAuth's
 *   official client sends for the same inputs (or, where the client has no such call, to what the
 *   API notes document); and the same through the operation's `request()` alone, without the engine;
 * - outputs: the items that leave the node for a given answer of FusionAuth;
 * - errors: the message a person sees for an answer, or for bad input before any request;
 * - what every operation must do, from its samples: a page that is not FusionAuth's answer fails
 *   the item, an empty answer is a success or a failure as the API notes say, and an AI agent
 *   either gets only the allowed fields or is refused before any request.
 *
 * Adding an operation means adding its file under `test/operations/<resource>/<operation>.test.ts`.
 */
import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { readdirSync } from 'fs';
import path from 'path';

import { findOperation, operations } from '../../dist/nodes/FusionAuthTwoFactor/actions/operations';
import type { FusionAuthOperation } from '../../dist/nodes/FusionAuthTwoFactor/actions/operation';
import { collectChoices, collectDisplayNames, ItemParameters } from '../../dist/nodes/FusionAuthTwoFactor/helpers/parameters';
import type { FusionAuthRequest } from '../../dist/nodes/shared/request';
import { failures, oneItemEach } from '../harness/expectations';
import { useRecordingServer } from '../harness/lifecycle';
import type { RunResult } from '../harness/n8n';
import { loadedPackage, NODE_TYPE, runNode } from '../harness/n8n';
import type { RecordedRequest, Reply } from '../harness/recordingServer';
import { documentedAnswer } from '../harness/recordingServer';
import type { WireRequest } from '../harness/wire';
import { onTheWire } from '../harness/wire';
import { ACCESS_TOKEN, API_KEY, JWT, POISONED_ANSWER, TENANT_ID, USER_ID } from './support';

// The operations' files read failures from here, with the rest of the table's tools.
export { failures };

export type ApiVersion = 'current' | 'legacy';

/** What the API notes document for a call the official client does not have. */
export interface DocumentedRequest {
	method: string;
	/** Path and query exactly as sent, e.g. `/api/user/two-factor/<id>?code=123456`. */
	url: string;
	/** The API key, the user's JWT (Bearer) or no Authorization header at all. */
	authorization: 'apiKey' | 'jwt' | 'none';
	body?: unknown;
}

export interface RequestCase {
	name: string;
	apiVersion?: ApiVersion;
	parameters: INodeParameters;
	/** The official client's call for the same inputs. */
	client?: (client: FusionAuthClient) => Promise<unknown>;
	/** Or, where the client has no such call, the request the API notes document. */
	documented?: DocumentedRequest;
	/** Also compare without a tenant (default: for client cases). */
	withoutTenant?: boolean;
	/**
	 * FusionAuth's answers, for the node and the client alike (default: the documented answer).
	 * Where the operation makes several requests, `client` makes the same calls in turn.
	 */
	answer?: Reply | ((request: RecordedRequest) => Reply);
}

export interface OutputCase {
	name: string;
	apiVersion?: ApiVersion;
	parameters: INodeParameters;
	/** The input items (default: one empty item). */
	items?: IDataObject[];
	/** FusionAuth's answer (default: the documented answer of the endpoint). */
	answer?: Reply | ((request: RecordedRequest) => Reply);
	/** The items' JSON, exactly, or a check of them. */
	output: IDataObject[] | ((output: IDataObject[], requests: RecordedRequest[], items: INodeExecutionData[]) => void);
}

export interface ErrorCase {
	name: string;
	apiVersion?: ApiVersion;
	parameters: INodeParameters;
	/** FusionAuth's answer; without one, the input is refused before any request. */
	answer?: Reply | ((request: RecordedRequest) => Reply);
	message: string | RegExp;
	description?: string | RegExp;
	/** How many requests reach the server (default: 0 without an answer, else 1). */
	requests?: number;
	/** Credential fields besides the test ones (e.g. a blank tenant). */
	credentials?: IDataObject;
}

/** The statuses FusionAuth documents for the operation's endpoint, each as a person reads it. */
export interface StatusCase {
	name: string;
	apiVersion?: ApiVersion;
	parameters: INodeParameters;
	statuses: number[];
	/** The operation's own messages, where the status means something particular to it. */
	messages?: Partial<Record<number, string>>;
	/** How the request authenticates, which decides what a 401 says. */
	auth?: 'apiKey' | 'none';
}

/** A parameter panel as n8n's editor shows it with the operation's defaults. */
export interface PanelFields {
	/** The operation's own parameters, in order (the selectors, notices and Options aside). */
	fields: string[];
	/** Those marked required. */
	required: string[];
}

export interface OperationTable {
	resource: string;
	operation: string;
	/** What a user sees of it in n8n's editor; the editor suite (test/editor) checks it in a browser. */
	editor: {
		/** Its entry in the nodes panel. */
		action: string;
		/** Its parameter panel in each API version it has. */
		panels: Partial<Record<ApiVersion, PanelFields>>;
	};
	/**
	 * Parameters that pass the operation's checks, one per API version the operation has. The
	 * checks every operation gets run with these.
	 */
	samples: Partial<Record<ApiVersion, INodeParameters>>;
	/** Whether FusionAuth always answers with a body (API notes): an empty 200 then fails the item. */
	answersWithBody: boolean;
	/** What an empty 200 gives where FusionAuth may send one (default: `{ success: true }`). */
	emptyAnswerOutput?: IDataObject;
	/** Computes locally: sends nothing, so the answer checks do not apply. */
	sendsNoRequest?: boolean;
	/** For operations offered to AI agents: a check of what an agent receives from a poisoned answer. */
	agentOutput?: Partial<Record<ApiVersion, (output: IDataObject) => void>>;
	/** For operations kept from AI agents: the whole message an agent receives, saying why. */
	agentRefusal?: string;
	requests?: RequestCase[];
	outputs?: OutputCase[];
	errors?: ErrorCase[];
	statuses?: StatusCase[];
	/**
	 * It needs the user itself, not only the ID (User > Get, Remove All): looked up By Email,
	 * Username or Login ID, the user FusionAuth answered with is used, and not retrieved again.
	 */
	usesLookedUpUser?: boolean;
	/** Tests of this operation that fit no table. */
	more?: (server: ReturnType<typeof useRecordingServer>) => void;
}

const TOOL_TYPE = `${NODE_TYPE}Tool`;

/** Runs the node once against `url` with the test credential and no retries. */
export async function runOperation(
	url: string,
	apiVersion: ApiVersion,
	parameters: INodeParameters,
	options: { items?: IDataObject[]; credentials?: IDataObject; tool?: boolean; onError?: 'continueRegularOutput' } = {},
): Promise<RunResult> {
	const { options: nodeOptions, ...rest } = parameters;
	return await runNode({
		parameters: { apiVersion, ...rest, options: { retries: 0, ...(nodeOptions as IDataObject | undefined) } },
		credentials: { baseUrl: url, apiKey: API_KEY, tenantId: TENANT_ID, ...options.credentials },
		items: options.items,
		onError: options.onError,
		nodeType: options.tool ? TOOL_TYPE : undefined,
	});
}

function matches(actual: string, expected: string | RegExp): void {
	if (typeof expected === 'string') expect(actual).toBe(expected);
	else expect(actual).toMatch(expected);
}

function nodeDescription(): INodeTypeDescription {
	return loadedPackage().nodes[NODE_TYPE].description as INodeTypeDescription;
}

/** The operations n8n's editor offers for the given values (a tool variant's name ends in Tool). */
function shownOperations(node: INodeTypeDescription, values: INodeParameters): string[] {
	return node.properties
		.filter((property) => property.name === 'operation' && NodeHelpers.displayParameter(values, property, null, node))
		.flatMap((property) => (property.options ?? []).map((option) => String((option as { value: string }).value)));
}

/**
 * Item 0's parameters as the engine would hand them to the operation: the node's defaults filled
 * in by n8n's own NodeHelpers, read through a minimal execute context. No engine, no socket.
 */
export function itemParameters(operation: FusionAuthOperation, apiVersion: ApiVersion, parameters: INodeParameters): ItemParameters {
	const node: INode = {
		id: 'b0000000-0000-4000-8000-000000000001',
		name: 'FusionAuth Two Factor',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { apiVersion, ...parameters },
	};
	const resolved = NodeHelpers.getNodeParameters(nodeDescription().properties, node.parameters, true, false, node, nodeDescription()) ?? {};
	const context = {
		getNode: () => node,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => resolved[name] ?? fallback,
	} as unknown as IExecuteFunctions;
	const send = async () => {
		throw new Error('a user lookup was not expected in this case');
	};
	return new ItemParameters(context, 0, collectDisplayNames(operation.properties), collectChoices(operation.properties), false, send);
}

/** A request description as it would go out: path and query with the API's encoding, and its authorization. */
function asSent(request: FusionAuthRequest): { path: string; query: string[]; authorization: string | undefined; body: unknown } {
	const path = '/api/' + request.path.map((segment) => encodeURIComponent(typeof segment === 'string' ? segment : segment.value)).join('/');
	const query: string[] = [];
	for (const [name, value] of Object.entries(request.query ?? {})) {
		for (const entry of Array.isArray(value) ? value : [value]) {
			if (entry !== undefined && entry !== '') query.push(`${name}=${entry}`);
		}
	}
	const authentication = request.authentication;
	const authorization = authentication.type === 'apiKey' ? API_KEY : authentication.type === 'jwt' ? `Bearer ${authentication.jwt}` : undefined;
	return { path, query: query.sort(), authorization, body: request.body };
}

function sentOnTheWire(wire: WireRequest): { path: string; query: string[]; authorization: string | undefined; body: unknown } {
	const url = new URL(wire.url, 'http://127.0.0.1');
	const query = [...url.searchParams.entries()].map(([name, value]) => `${name}=${value}`).sort();
	return { path: url.pathname, query, authorization: wire.authorization, body: wire.body };
}

function documentedWire(documented: DocumentedRequest, tenantId: string | undefined): WireRequest {
	const hasBody = documented.body !== undefined;
	return {
		method: documented.method,
		url: documented.url,
		authorization: documented.authorization === 'apiKey' ? API_KEY : documented.authorization === 'jwt' ? `Bearer ${JWT}` : undefined,
		tenantId,
		contentType: hasBody ? 'application/json' : undefined,
		body: documented.body,
	};
}

/** Set while `operationTables` reads the tables: describeOperation then only hands its table over. */
const COLLECTING = Symbol.for('n8n-nodes-fusionauth.operationTables');

export function describeOperation(table: OperationTable): void {
	const collecting = (globalThis as Record<symbol, OperationTable[] | undefined>)[COLLECTING];
	if (collecting !== undefined) {
		collecting.push(table);
		return;
	}
	const title = `${table.resource}.${table.operation}`;
	describe(title, () => {
		const server = useRecordingServer();
		const operation = findOperation(table.resource, table.operation);

		test('is in the node, with a sample for each API version it has', () => {
			expect(operation).toBeDefined();
			expect(Object.keys(table.samples).sort()).toEqual([...operation!.apiVersions].sort());
		});

		test('says what the editor shows for each API version it has', () => {
			expect(Object.keys(table.editor.panels).sort()).toEqual(Object.keys(table.samples).sort());
			expect(operation!.option.action).toBe(table.editor.action);
		});

		test('has a request case for each API version and each way it authenticates', () => {
			if (operation?.request === undefined && table.sendsNoRequest) return expect(table.requests ?? []).toEqual([]);
			const ways = operation!.properties.some((property) => property.name === 'authenticateWith') ? ['apiKey', 'jwt'] : ['apiKey'];
			const wanted = operation!.apiVersions.flatMap((apiVersion) => ways.map((way) => `${apiVersion} ${way}`)).sort();
			const covered = new Set((table.requests ?? []).map((row) => `${row.apiVersion ?? 'current'} ${(row.parameters.authenticateWith as string | undefined) ?? 'apiKey'}`));
			expect(wanted.filter((entry) => !covered.has(entry))).toEqual([]);
		});

		test('its resource\'s Operation selector offers it to people, and to AI agents only when they may use it', () => {
			const description = nodeDescription();
			const forTools = { ...description, name: `${description.name}Tool` };
			for (const apiVersion of Object.keys(table.samples)) {
				const values = { apiVersion, resource: table.resource };
				expect(shownOperations(description, values)).toContain(table.operation);
				if (table.agentOutput === undefined) expect(shownOperations(forTools, values)).not.toContain(table.operation);
				else expect(shownOperations(forTools, values)).toContain(table.operation);
			}
		});

		const answering = (row: RequestCase) => server.respondWith(row.answer ?? documentedAnswer);
		const viaNode = async (row: RequestCase, tenantId: string): Promise<WireRequest[]> => {
			server.reset();
			answering(row);
			const result = await runOperation(server.url, row.apiVersion ?? 'current', row.parameters, { credentials: { tenantId } });
			expect(result.error).toBeUndefined();
			expect(server.requests.length).toBeGreaterThan(0);
			// At most one Authorization header: Node's parsed headers would show only the first of two.
			for (const { rawHeaders: raw } of server.requests) {
				expect(raw.filter((_, index) => index % 2 === 0 && raw[index].toLowerCase() === 'authorization').length).toBeLessThanOrEqual(1);
			}
			return server.requests.map(onTheWire);
		};
		const viaClient = async (row: RequestCase, tenantId: string): Promise<WireRequest[]> => {
			server.reset();
			answering(row);
			await row.client!(new FusionAuthClient(API_KEY, server.url, tenantId === '' ? undefined : tenantId));
			expect(server.requests.length).toBeGreaterThan(0);
			return server.requests.map(onTheWire);
		};
		const expectedWire = async (row: RequestCase, tenantId: string): Promise<WireRequest[]> =>
			row.client ? await viaClient(row, tenantId) : [documentedWire(row.documented!, tenantId === '' ? undefined : tenantId)];

		const requests = table.requests ?? [];
		if (requests.length > 0) {
			describe('requests', () => {
				test.each(requests)('$name', async (row) => {
					expect(row.client === undefined).not.toBe(row.documented === undefined);
					const expected = await expectedWire(row, TENANT_ID);
					expect(await viaNode(row, TENANT_ID)).toEqual(expected);
				});
				const withoutTenant = requests.filter((row) => row.withoutTenant ?? row.client !== undefined);
				if (withoutTenant.length > 0) {
					test.each(withoutTenant)('$name, without a tenant', async (row) => {
						const expected = await expectedWire(row, '');
						for (const request of expected) expect(request.tenantId).toBeUndefined();
						expect(await viaNode(row, '')).toEqual(expected);
					});
				}
				// The same mapping, from `request()` alone: a change to it shows here without the engine.
				if (operation?.request !== undefined) {
					test.each(requests)('$name: request() alone', async (row) => {
						const request = await operation.request!(itemParameters(operation, row.apiVersion ?? 'current', row.parameters));
						const [expected, ...more] = await expectedWire(row, TENANT_ID);
						expect(more).toEqual([]);
						expect(request.method).toBe(expected.method);
						expect(asSent(request)).toEqual(sentOnTheWire(expected));
					});
				}
			});
		}

		const outputs = table.outputs ?? [];
		if (outputs.length > 0) {
			describe('outputs', () => {
				test.each(outputs)('$name', async (row) => {
					server.reset();
					if (row.answer !== undefined) server.respondWith(row.answer);
					const result = await runOperation(server.url, row.apiVersion ?? 'current', row.parameters, { items: row.items });
					expect(result.error).toBeUndefined();
					const json = result.output.map((item) => item.json);
					if (typeof row.output === 'function') row.output(json, server.requests, result.output);
					else expect(json).toEqual(row.output);
				});
			});
		}

		const errors = table.errors ?? [];
		if (errors.length > 0) {
			describe('errors', () => {
				test.each(errors)('$name', async (row) => {
					server.reset();
					if (row.answer !== undefined) server.respondWith(row.answer);
					const result = await runOperation(server.url, row.apiVersion ?? 'current', row.parameters, { credentials: row.credentials });
					const [failure] = failures(result);
					expect(failure).toBeDefined();
					matches(failure.message, row.message);
					if (row.description !== undefined) matches(failure.description, row.description);
					expect(server.requests).toHaveLength(row.requests ?? (row.answer === undefined ? 0 : 1));
					// Never the credential or the user's JWT, whatever went wrong.
					expect(JSON.stringify({ failure, output: result.output })).not.toContain(API_KEY);
					expect(JSON.stringify({ failure, output: result.output })).not.toContain(JWT);
				});
			});
		}

		const statuses = (table.statuses ?? []).flatMap((row) => row.statuses.map((status) => ({ ...row, status })));
		if (statuses.length > 0) {
			describe('statuses', () => {
				test.each(statuses)('$name answered $status: a NodeApiError in FusionAuth’s terms, without the key or tokens', async (row) => {
					const { status } = row;
					server.respondWith({ status, body: status === 400 ? VALIDATION_ERRORS : status >= 500 ? SERVER_ERROR : undefined });
					const result = await runOperation(server.url, row.apiVersion ?? 'current', row.parameters);
					expect(result.error?.name).toBe('NodeApiError');
					expect(result.error?.message).toBe(row.messages?.[status] ?? statusMessage(status, row.auth));
					expect(result.error?.httpCode).toBe(String(status));
					expect(result.error?.context?.itemIndex).toBe(0);
					expect(result.output).toEqual([]);
					// n8n keeps the same error on the node's run data, where the editor shows it.
					const taskError = result.run.data.resultData.runData.FusionAuth?.[0]?.error;
					expect(taskError?.message).toBe(result.error?.message);
					expect((taskError as { context?: IDataObject } | undefined)?.context?.itemIndex).toBe(0);
					if (status === 400) {
						expect(result.error?.description).toBe('code: You must specify the [code] property. [blank]code\nThe request is invalid. [invalid]');
					}
					if (status >= 500) expect(result.error?.description).toContain('FusionAuth encountered an unexpected error. [Exception]');
					const visible = JSON.stringify({ output: result.output, message: result.error?.message, description: result.error?.description, data: result.error?.context?.data });
					expect(visible).not.toContain(API_KEY);
					expect(visible).not.toContain(ACCESS_TOKEN);
				});
			});
		}

		const samples = Object.entries(table.samples) as Array<[ApiVersion, INodeParameters]>;

		// Every operation that takes the user with the API key takes it as a resource locator.
		// Which API versions show a User field comes from the table's panels, not from the node.
		const showsUser = (Object.entries(table.editor.panels) as Array<[ApiVersion, PanelFields]>)
			.filter(([, panel]) => panel.fields.includes('userId'))
			.map(([apiVersion]) => apiVersion);
		const takesUser = operation?.properties.some((property) => property.name === 'userId' && property.type === 'resourceLocator') ?? false;
		const userSamples = samples.filter(([, parameters]) => typeof parameters.userId === 'string' && parameters.authenticateWith !== 'jwt');
		test('its User field, where the panel shows one, is the user picker', () => {
			expect(takesUser).toBe(showsUser.length > 0);
		});
		if (showsUser.length > 0) {
			describe('the user picker', () => {
				test('has a sample naming the user by ID in each API version that shows the field', () => {
					expect(userSamples.map(([apiVersion]) => apiVersion).sort()).toEqual([...showsUser].sort());
				});
				const plainRun = async (apiVersion: ApiVersion, parameters: INodeParameters) => {
					server.reset();
					server.respondWith(userLookups);
					const result = await runOperation(server.url, apiVersion, { ...parameters, userId: USER_ID });
					expect(result.error).toBeUndefined();
					return { requests: server.requests.map(onTheWire), output: result.output.map((item) => item.json) };
				};
				test.each(userSamples)('%s: By ID and From List send exactly what a plain-string User ID sends', async (apiVersion, parameters) => {
					const plain = await plainRun(apiVersion, parameters);
					expect(plain.requests.length).toBeGreaterThan(0);
					for (const mode of ['id', 'list']) {
						server.reset();
						const result = await runOperation(server.url, apiVersion, { ...parameters, userId: { __rl: true, mode, value: ` ${USER_ID} ` } });
						expect(result.error).toBeUndefined();
						expect(server.requests.map(onTheWire)).toEqual(plain.requests);
						expect(result.output.map((item) => item.json)).toEqual(plain.output);
					}
				});
				test.each(userSamples)('%s: By Email, By Username and By Login ID look the user up first, then send the same', async (apiVersion, parameters) => {
					const plain = await plainRun(apiVersion, parameters);
					for (const [mode, value, query] of [
						['email', 'Jane.Doe@example.com', 'email=Jane.Doe%40example.com'],
						['username', ' jane ', 'username=jane'],
						['loginId', LOOKUP_EMAIL, 'loginId=jane.doe%40example.com'],
					]) {
						server.reset();
						const result = await runOperation(server.url, apiVersion, { ...parameters, userId: { __rl: true, mode, value } });
						expect(result.error).toBeUndefined();
						const [lookup, ...rest] = server.requests.map(onTheWire);
						expect(lookup).toEqual({ method: 'GET', url: `/api/user?${query}`, authorization: API_KEY, tenantId: TENANT_ID, contentType: undefined, body: undefined });
						const retrieveUser = (request: WireRequest) => request.method === 'GET' && request.url === `/api/user/${USER_ID}`;
						expect(rest).toEqual(table.usesLookedUpUser ? plain.requests.filter((request) => !retrieveUser(request)) : plain.requests);
						if (table.usesLookedUpUser) expect(plain.requests.filter(retrieveUser)).toHaveLength(1);
						expect(result.output.map((item) => item.json)).toEqual(plain.output);
					}
				});
			});
		}
		describe('what every operation must do', () => {
			if (table.sendsNoRequest) {
				test.each(samples)('%s: sends nothing', async (apiVersion, parameters) => {
					server.reset();
					const result = await runOperation(server.url, apiVersion, parameters);
					expect(result.error).toBeUndefined();
					expect(server.requests).toHaveLength(0);
				});
			} else {
				test.each(samples)('%s: a 200 HTML page fails the item, naming status, type and its start', async (apiVersion, parameters) => {
					server.reset();
					server.respondWith({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: LOGIN_PAGE });
					const result = await runOperation(server.url, apiVersion, parameters, { onError: 'continueRegularOutput' });
					const [failure] = failures(result);
					expect(failure.message).toMatch(/^FusionAuth's answer to (GET|POST|PUT|PATCH|DELETE) \/api\/\S+ is not what FusionAuth sends: text that is not JSON, where FusionAuth sends /);
					expect(failure.description).toContain('Status 200, Content-Type text/html, starting "<html><head><title>Sign in to the proxy</title>');
					expect(result.output).toHaveLength(1);
				});
				test.each(samples)('%s: a JSON array for 3 items gives exactly 3 items, each an error', async (apiVersion, parameters) => {
					server.reset();
					server.respondWith({ status: 200, body: [{ id: 'a' }, { id: 'b' }] });
					const result = await runOperation(server.url, apiVersion, parameters, { items: [{}, {}, {}], onError: 'continueRegularOutput' });
					for (const item of oneItemEach(result.output, 3)) expect(String(item.json.error)).toMatch(/is not what FusionAuth sends: a JSON array/);
				});
				if (table.answersWithBody) {
					test.each(samples)('%s: an empty 200, where FusionAuth always sends a body, fails the item', async (apiVersion, parameters) => {
						server.reset();
						server.respondWith({ status: 200 });
						const result = await runOperation(server.url, apiVersion, parameters, { onError: 'continueRegularOutput' });
						expect(failures(result)[0]?.message).toMatch(/is not what FusionAuth sends: an empty body, where FusionAuth sends a JSON object/);
					});
				} else {
					const emptyAnswerOutput = table.emptyAnswerOutput ?? { success: true };
					const shown = table.emptyAnswerOutput === undefined ? '{ success: true }' : JSON.stringify(emptyAnswerOutput).replace(/%/g, '%%');
					test.each(samples)(`%s: an empty 200, which FusionAuth may send, is ${shown}`, async (apiVersion, parameters) => {
						server.reset();
						server.respondWith({ status: 200 });
						const result = await runOperation(server.url, apiVersion, parameters);
						expect(result.error).toBeUndefined();
						expect(result.output.map((item) => item.json)).toEqual([emptyAnswerOutput]);
					});
				}
			}

			const agentOutput = table.agentOutput;
			if (agentOutput !== undefined) {
				test('every API version it has says what an agent receives', () => {
					expect(Object.keys(agentOutput).sort()).toEqual(samples.map(([apiVersion]) => apiVersion).sort());
				});
				test.each(samples)('%s: an AI agent gets only the allowed fields, none of the sensitive ones', async (apiVersion, parameters) => {
					server.reset();
					server.respondWith({ status: 200, body: POISONED_ANSWER });
					const result = await runOperation(server.url, apiVersion, parameters, { tool: true, onError: 'continueRegularOutput' });
					expect(failures(result)).toEqual([]);
					expect(result.output).toHaveLength(1);
					expect(server.requests).toHaveLength(1);
					expect(JSON.stringify(result.output)).not.toContain('LEAK');
					agentOutput[apiVersion]!(result.output[0].json);
				});
			} else {
				test.each(samples)('%s: refused to an AI agent before any request, saying why', async (apiVersion, parameters) => {
					server.reset();
					server.respondWith({ status: 200, body: POISONED_ANSWER });
					const result = await runOperation(server.url, apiVersion, parameters, { tool: true, onError: 'continueRegularOutput' });
					expect(server.requests).toHaveLength(0);
					const [failure, ...others] = failures(result);
					expect(others).toEqual([]);
					expect(failure.message).toBe(table.agentRefusal);
				});
				test('the refusal is written in the table', () => {
					expect(table.agentRefusal).toMatch(/^(.+ \(.+\)|The resource ".+") is not available to AI agents: .+$/);
				});
			}
		});

		table.more?.(server);
	});
}

const LOOKUP_EMAIL = 'jane.doe@example.com';
const LOOKED_UP_USER = { id: USER_ID, email: LOOKUP_EMAIL, username: 'jane', twoFactor: { methods: [] } };

/** FusionAuth's GET /api/user?email=|username=|loginId=: Jane, or an empty 404; else the documented answers. */
function userLookups(request: RecordedRequest): Reply {
	if (request.method === 'GET' && request.path === '/api/user') {
		const wanted = (request.query.email ?? request.query.username ?? request.query.loginId)?.toLowerCase();
		return wanted === LOOKUP_EMAIL || wanted === 'jane' ? { status: 200, body: { user: LOOKED_UP_USER } } : { status: 404 };
	}
	// The same user when retrieved by ID, so that both ways can be compared.
	if (request.method === 'GET' && request.path === `/api/user/${USER_ID}`) return { status: 200, body: { user: LOOKED_UP_USER } };
	return documentedAnswer(request);
}

/** FusionAuth's 400: field errors and general errors (API notes, "Errors"). */
const VALIDATION_ERRORS = {
	fieldErrors: { code: [{ code: '[blank]code', message: 'You must specify the [code] property.' }] },
	generalErrors: [{ code: '[invalid]', message: 'The request is invalid.' }],
};
const SERVER_ERROR = { generalErrors: [{ code: '[Exception]', message: 'FusionAuth encountered an unexpected error.' }] };

/** What a status means wherever it comes from (the node's wording, from the API notes' status table). */
function statusMessage(status: number, auth: 'apiKey' | 'none' = 'apiKey'): string {
	switch (status) {
		case 400:
			return 'FusionAuth rejected the request: The request is invalid.';
		case 401:
			return auth === 'none' ? 'FusionAuth refused the request (401)' : 'FusionAuth rejected the API key';
		case 404:
			return 'FusionAuth found nothing to act on (404)';
		case 421:
			return 'The two factor code is invalid or expired';
		case 500:
			return 'FusionAuth had an internal error (500)';
		case 503:
			return 'FusionAuth is unavailable (503)';
		case 504:
			return 'FusionAuth timed out (504)';
		default:
			throw new Error(`no expectation for ${status}`);
	}
}

const LOGIN_PAGE = '<html><head><title>Sign in to the proxy</title></head><body>...</body></html>';

/**
 * Every operation's table, read from its file without running its tests, in the order of the
 * node's registry (the order its selectors and the nodes panel show). The editor suite's
 * expectations come from here.
 */
export function operationTables(): OperationTable[] {
	// A file is read once: requiring it again would not run describeOperation again.
	if (tablesRead !== undefined) return tablesRead;
	const collected: OperationTable[] = [];
	const global = globalThis as Record<symbol, OperationTable[] | undefined>;
	global[COLLECTING] = collected;
	try {
		for (const resource of readdirSync(__dirname, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
			for (const file of readdirSync(path.join(__dirname, resource.name)).filter((name) => /\.test\.(ts|js)$/.test(name))) {
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				require(path.join(__dirname, resource.name, file));
			}
		}
	} finally {
		delete global[COLLECTING];
	}
	const order = (table: OperationTable) => operations.findIndex((entry) => entry.resource === table.resource && entry.option.value === table.operation);
	tablesRead = collected.sort((a, b) => order(a) - order(b));
	return tablesRead;
}

let tablesRead: OperationTable[] | undefined;
