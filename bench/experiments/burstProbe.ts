/**
 * Where n8n's time goes under a burst: the burst part's runs (bench/burst.ts) in `n8n start` of
 * one version, with a V8 CPU profile of the n8n process over each run's sends
 * (bench/experiments/startprof.cjs), summarized by package and function.
 *
 *   node .build/bench/experiments/burstProbe.js --version 2.41.1 [--receivers webhook,sharedSecret] [--deliveries 2000] [--out DIR] [--env N8N_X=1,N8N_Y=2] [--profile no] [--runs N] [--keep yes] [--concurrency 50]
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync } from 'fs';
import os from 'os';
import path from 'path';

import { cacheRoot, ensureN8n, TARGETS } from '../../test/e2e/install';
import { pack } from '../../test/e2e/pack';
import { benchBurst } from '../burst';
import type { ReceiverId } from '../burst';

const REPO = path.resolve(__dirname, '..', '..', '..');
const flag = (name: string, fallback: string) => {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
};
const VERSION = flag('version', '2.41.1');
const RECEIVERS = flag('receivers', 'webhook,sharedSecret').split(',') as ReceiverId[];
const DELIVERIES = Number(flag('deliveries', '2000'));
/** Further n8n settings, e.g. N8N_EXPRESSION_ENGINE=legacy. */
const ENV = Object.fromEntries(flag('env', '').split(',').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
const PROFILE = flag('profile', 'yes') !== 'no';
const OUT = path.resolve(flag('out', path.join(os.tmpdir(), 'burst-profiles')));

async function main() {
	const target = TARGETS.find((candidate) => candidate.version === VERSION);
	if (!target) throw new Error(`no n8n ${VERSION} among ${TARGETS.map((candidate) => candidate.version).join(', ')}`);
	const say = (line: string) => console.log(`[burstProbe] ${line}`);
	const install = await ensureN8n(target, cacheRoot(), say);
	const tarball = await pack(REPO);
	mkdirSync(OUT, { recursive: true });
	const names: string[] = [];
	const wait = async (file: string) => {
		for (let tries = 0; tries < 200 && !existsSync(file); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
	};
	await benchBurst([install], tarball, {
		deliveries: DELIVERIES,
		concurrency: Number(flag('concurrency', '50')),
		replays: 0,
		runs: Number(flag('runs', '1')),
		logDir: path.join(OUT, 'logs'),
		say,
		only: RECEIVERS,
		keepUserFolder: flag('keep', 'no') === 'yes',
		settings: { ...ENV, ...(PROFILE ? { NODE_OPTIONS: `--require ${path.join(REPO, 'bench/experiments/startprof.cjs')}`, H7_PROFILE_OUT: OUT } : {}) },
		around: {
			before: async (pid) => {
				if (PROFILE) process.kill(pid, 'SIGUSR2');
			},
			after: async (pid, receiver) => {
				const file = path.join(OUT, `${names.length}.cpuprofile`);
				if (!PROFILE) return;
				process.kill(pid, 'SIGUSR2');
				await wait(file);
				names.push(receiver);
			},
		},
	});
	names.forEach((receiver, index) => {
		const file = path.join(OUT, `${index}.cpuprofile`);
		console.log(`\n== ${receiver} (${file})`);
		if (existsSync(file)) console.log(execFileSync('node', [path.join(REPO, 'bench/experiments/summarize-profile.mjs'), file, '40'], { encoding: 'utf8' }));
	});
	console.log(readdirSync(OUT).join(' '));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
