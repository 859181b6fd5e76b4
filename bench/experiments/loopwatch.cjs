// Preloaded into n8n (NODE_OPTIONS=--require) by realProbe.ts: every 50 ms, one line in
// $H7_WATCH_OUT: epoch ms, the window's length (ms), this process's CPU ms in the window, the event loop's mean and
// max delay in the window (ms). Only in the process whose argv includes "execute".
const { monitorEventLoopDelay } = require('perf_hooks');
const { appendFileSync } = require('fs');
const out = process.env.H7_WATCH_OUT;
if (out && process.argv.includes('execute')) {
	const delay = monitorEventLoopDelay({ resolution: 1 });
	delay.enable();
	let cpu = process.cpuUsage();
	let last = Date.now();
	const timer = setInterval(() => {
		const used = process.cpuUsage(cpu);
		cpu = process.cpuUsage();
		const now = Date.now();
		// The timer itself waits for a blocked loop: each line carries its window's real length.
		appendFileSync(out, `${now} ${now - last} ${((used.user + used.system) / 1000).toFixed(1)} ${(delay.mean / 1e6).toFixed(1)} ${(delay.max / 1e6).toFixed(1)}\n`);
		last = now;
		delay.reset();
	}, 50);
	timer.unref();
}
