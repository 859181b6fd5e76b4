/**
 * Faults the simulator can be told to show (see FaultOptions): which requests are delayed, answered
 * with an error status, dropped or held, decided per request.
 */
import type { Reply } from './http';
import type { FaultOptions } from './types';

/** What happens to one request. */
export interface FaultDecision {
	/** The request falls under the faults (its path matches): latency and hang apply. */
	faulted: boolean;
	drop: boolean;
	/** Answer FaultOptions.status instead of handling the request. */
	status: boolean;
}

function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class Faults {
	private options: FaultOptions | undefined;
	private counter = 0;
	private random: (() => number) | undefined;

	get current(): FaultOptions | undefined {
		return this.options;
	}

	/** New faults (none when undefined); counting starts again. */
	set(options?: FaultOptions): void {
		this.options = options === undefined ? undefined : { ...options };
		this.counter = 0;
		this.random = options?.seed === undefined ? undefined : seededRandom(options.seed);
	}

	decide(path: string, method = 'GET'): FaultDecision {
		const faults = this.options;
		if (
			faults === undefined ||
			(faults.paths !== undefined && !faults.paths.some((prefix) => path.startsWith(prefix))) ||
			(faults.methods !== undefined && !faults.methods.includes(method))
		) {
			return { faulted: false, drop: false, status: false };
		}
		this.counter++;
		const n = this.counter;
		const hit = (rate: number | undefined): boolean => {
			if (rate === undefined || rate <= 0) {
				return false;
			}
			if (rate >= 1) {
				return true;
			}
			if (this.random !== undefined) {
				return this.random() < rate;
			}
			return Math.floor(n * rate) > Math.floor((n - 1) * rate);
		};
		const drop = (faults.dropFirst !== undefined && n <= faults.dropFirst) || hit(faults.dropRate);
		let status = false;
		if (faults.status !== undefined) {
			if (faults.statusFirst === undefined && faults.statusRate === undefined) {
				status = true;
			} else {
				status = (faults.statusFirst !== undefined && n <= faults.statusFirst) || hit(faults.statusRate);
			}
		}
		return { faulted: true, drop, status };
	}
}

/** The answer in place of a handled one: 503 with FusionAuth's body, any other status empty. */
export function faultReply(status: number, retryAfterSeconds: number | undefined): Reply {
	const headers: Record<string, string> = {};
	if (retryAfterSeconds !== undefined) {
		headers['Retry-After'] = String(retryAfterSeconds);
	}
	if (status === 503) {
		return {
			status,
			headers,
			body: {
				generalErrors: [
					{
						code: '[ServiceUnavailable]',
						message: 'The search index is not available or encountered an exception so the request cannot be completed.',
					},
				],
			},
		};
	}
	return { status, headers };
}
