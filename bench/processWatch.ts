/**
 * Peak memory and CPU time of a process started by someone else (n8n, started by
 * test/e2e/install.ts `run`), found in /proc by its working folder and a word of its command line,
 * and sampled until it ends. Linux only; elsewhere the figures stay undefined.
 */
import { readdirSync, readFileSync, readlinkSync } from 'fs';

export interface ProcessFigures {
	/** The kernel's high-water mark of the resident set (VmHWM), at the last sample. */
	peakRssBytes?: number;
	/** User and system CPU time, at the last sample. */
	cpuMs?: number;
	/** Every sample of the CPU time: when it was read (ms since the epoch) and its value. */
	samples: Array<{ at: number; cpuMs: number }>;
}

/**
 * The CPU time the process used between `from` and `to` (ms since the epoch), read off the samples
 * (each value is the total so far; between two samples the time is spread evenly). Undefined when
 * the samples do not cover the window.
 */
export function cpuBetween(samples: ProcessFigures['samples'], from: number, to: number): number | undefined {
	if (samples.length < 2 || samples[0].at > from || samples[samples.length - 1].at < to) return undefined;
	const at = (time: number) => {
		const after = samples.findIndex((sample) => sample.at >= time);
		const later = samples[after];
		const earlier = samples[Math.max(0, after - 1)];
		if (later.at === earlier.at) return later.cpuMs;
		return earlier.cpuMs + ((later.cpuMs - earlier.cpuMs) * (time - earlier.at)) / (later.at - earlier.at);
	};
	return at(to) - at(from);
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function find(cwd: string, word: string): number | undefined {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (readlinkSync(`/proc/${entry}/cwd`) !== cwd) continue;
			if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(word)) return Number(entry);
		} catch {
			// Gone, or not ours to read.
		}
	}
	return undefined;
}

/** The figures of a running process now (throws when it is gone). */
export function processFigures(pid: number): Omit<ProcessFigures, 'samples'> {
	const figures: Omit<ProcessFigures, 'samples'> = {};
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
	if (hwm) figures.peakRssBytes = Number(hwm[1]) * 1024;
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// utime and stime, fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the name).
	figures.cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
	return figures;
}

/** Starts sampling every `everyMs`; `stop()` returns the last figures seen. */
export function watchProcess(cwd: string, word: string, everyMs = 50): { stop(): ProcessFigures } {
	const figures: ProcessFigures = { samples: [] };
	let pid: number | undefined;
	const sample = () => {
		try {
			pid ??= find(cwd, word);
			if (pid === undefined) return;
			const now = processFigures(pid);
			Object.assign(figures, now);
			if (now.cpuMs !== undefined) figures.samples.push({ at: Date.now(), cpuMs: now.cpuMs });
		} catch {
			// Ended between two samples: the last figures stand.
		}
	};
	const timer = setInterval(sample, everyMs);
	return {
		stop() {
			clearInterval(timer);
			return figures;
		},
	};
}
