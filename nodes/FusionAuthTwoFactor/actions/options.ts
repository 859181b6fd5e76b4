import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TransportOptions } from '../transport';

/**
 * The Options collection: one entry per option with its default and its limits, read by the
 * editor (minValue, maxValue) and checked again at run time, where an expression can set any value.
 */
interface OptionLimit {
	displayName: string;
	default: number;
	min: number;
	max: number;
	integer: boolean;
	description: string;
}

export const OPTION_LIMITS = {
	concurrency: {
		displayName: 'Concurrency',
		// The 10 a user allows when pacing HTTP Request to protect a server, as a fixed cap.
		default: 10,
		min: 1,
		max: 500,
		integer: true,
		description: 'How many items are sent to FusionAuth at the same time. 1 sends one item after another.',
	},
	maxRetryWait: {
		displayName: 'Max Retry Wait (Seconds)',
		default: 60,
		min: 0,
		max: 3600,
		integer: false,
		description:
			'The longest wait before one retry. When FusionAuth asks (Retry-After) for a longer one, the item fails instead.',
	},
	retries: {
		displayName: 'Retries',
		default: 3,
		min: 0,
		max: 10,
		integer: true,
		description:
			'How often to send a request again that FusionAuth cannot have acted on: connection refused, 429 Too Many Requests, 503 Service Unavailable, or a lost connection on a request that is safe to repeat (GET, PUT, searches). A POST or DELETE that got no answer, and a timeout, are never sent again. 0 turns retries off.',
	},
	retryDelay: {
		displayName: 'Retry Delay (Ms)',
		default: 1000,
		// Not 0: retries without a pause would hammer a server that is already overloaded.
		min: 100,
		max: 60_000,
		integer: true,
		description:
			"The wait before the first retry; it doubles with each further one. FusionAuth's Retry-After takes precedence.",
	},
	timeout: {
		displayName: 'Timeout (Seconds)',
		default: 30,
		min: 0.1,
		max: 600,
		integer: false,
		description:
			'How long one request may take in all: connecting, sending, and reading the whole answer',
	},
} satisfies Record<string, OptionLimit>;

export type OptionName = keyof typeof OPTION_LIMITS;

export const DEFAULT_CONCURRENCY = OPTION_LIMITS.concurrency.default;
export const MAX_CONCURRENCY = OPTION_LIMITS.concurrency.max;

export const optionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: (Object.entries(OPTION_LIMITS) as Array<[OptionName, OptionLimit]>).map(([name, limit]) => {
		const { displayName, description, default: fallback } = limit;
		return {
			displayName,
			name,
			type: 'number',
			typeOptions: {
				minValue: limit.min,
				maxValue: limit.max,
				...(limit.integer ? { numberPrecision: 0 } : {}),
			},
			default: fallback,
			description,
		};
	}),
};

export interface NodeOptions {
	concurrency: number;
	transport: TransportOptions;
}

/** The transport's settings when no Options are set (the editor's list searches have none). */
export function defaultTransportOptions(): TransportOptions {
	return {
		timeoutMs: OPTION_LIMITS.timeout.default * 1000,
		retries: OPTION_LIMITS.retries.default,
		retryDelayMs: OPTION_LIMITS.retryDelay.default,
		maxRetryWaitMs: OPTION_LIMITS.maxRetryWait.default * 1000,
	};
}

function formatLimit(value: number): string {
	return value.toLocaleString('en-US');
}

/** The node's Options, each checked against its limits: a value outside them fails the run, naming it. */
export function readOptions(context: IExecuteFunctions): NodeOptions {
	const set = (context.getNodeParameter('options', 0, {}) as IDataObject) ?? {};
	const value = (name: OptionName): number => {
		const limit: OptionLimit = OPTION_LIMITS[name];
		const given = set[name];
		if (given === undefined || given === null || given === '') return limit.default;
		const number = typeof given === 'number' ? given : typeof given === 'string' ? Number(given.trim()) : Number.NaN;
		const inRange = Number.isFinite(number) && number >= limit.min && number <= limit.max;
		if (!inRange || (limit.integer && !Number.isInteger(number))) {
			throw new NodeOperationError(
				context.getNode(),
				`Options > ${limit.displayName} must be ${limit.integer ? 'a whole number' : 'a number'} from ${formatLimit(limit.min)} to ${formatLimit(limit.max)}, not ${JSON.stringify(given)}`,
				{ description: `Option "${name}". An expression may have set it outside the limits the editor allows.` },
			);
		}
		return number;
	};
	return {
		concurrency: value('concurrency'),
		transport: {
			timeoutMs: value('timeout') * 1000,
			retries: value('retries'),
			retryDelayMs: value('retryDelay'),
			maxRetryWaitMs: value('maxRetryWait') * 1000,
		},
	};
}
