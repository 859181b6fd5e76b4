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
export function processFigures(pid: number): ProcessFigures {
	const figures: ProcessFigures = {};
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
	const figures: ProcessFigures = {};
	let pid: number | undefined;
	const sample = () => {
		try {
			pid ??= find(cwd, word);
			if (pid === undefined) return;
			Object.assign(figures, processFigures(pid));
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
