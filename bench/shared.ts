/** What the benchmark's processes tell each other, and the settings they share. */

export type Operation = 'secret.generate' | 'code.send';

export type Scenario =
	| { kind: 'node'; operation: Operation; concurrency?: number }
	| { kind: 'httpRequest'; operation: Operation; paced: boolean }
	| { kind: 'floor'; operation: Operation; concurrency: number }
	| { kind: 'getMany'; users: number };

export interface ScenarioInput {
	scenario: Scenario;
	url: string;
	apiKey: string;
	items: number;
}

export interface ScenarioResult {
	ms: number;
	outputItems: number;
	errorItems: number;
	/** Resident set size after loading everything and warming up, before the measured pass. */
	baselineRssBytes: number;
	peakRssBytes: number;
	/** getMany only: the live heap (after GC), sampled as pages arrive; see scenario.ts. */
	heap?: {
		baseline: number;
		peak: number;
		retained: number;
		samples: number;
		bytesPerUser: number;
		heldBesidesOutput: number;
		largestDeviation: number;
	};
	typeVersion?: number;
}

export type ChildMessage = { type: 'warmedUp' } | { type: 'measured' } | { type: 'result'; result: ScenarioResult };
export type ParentMessage = { type: 'go' };

/** n8n's HTTP Request batching as a user sets it to protect a server. */
export const PACED_BATCHING = { batchSize: 10, batchInterval: 50 };
