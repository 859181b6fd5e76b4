// Preloaded into `n8n start` (NODE_OPTIONS=--require) by burstProbe.ts: SIGUSR2 starts a V8 CPU
// profile (500 µs) of the process, the next SIGUSR2 writes it to $H7_PROFILE_OUT/<n>.cpuprofile.
const out = process.env.H7_PROFILE_OUT;
if (out && process.argv.includes('start')) {
	const { Session } = require('inspector');
	const { writeFileSync } = require('fs');
	const path = require('path');
	const session = new Session();
	session.connect();
	session.post('Profiler.enable');
	session.post('Profiler.setSamplingInterval', { interval: 500 });
	let running = false;
	let written = 0;
	process.on('SIGUSR2', () => {
		if (!running) {
			running = true;
			session.post('Profiler.start');
			return;
		}
		running = false;
		session.post('Profiler.stop', (error, result) => {
			if (!error) writeFileSync(path.join(out, `${written++}.cpuprofile`), JSON.stringify(result.profile));
		});
	});
}
