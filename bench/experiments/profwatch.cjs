// Preloaded into n8n (NODE_OPTIONS=--require) by realProbe.ts --profile: a V8 CPU profile (200 µs)
// of the `execute` process, written at its exit to $H7_PROFILE_OUT with the clock pair that maps
// the profile's timestamps to epoch ms ({ epochMs, monotonicUs, profile }). NODE_OPTIONS does not
// take --cpu-prof, and its file could not be placed in time.
const out = process.env.H7_PROFILE_OUT;
if (out && process.argv.includes('execute')) {
	const { Session } = require('inspector');
	const { writeFileSync } = require('fs');
	const session = new Session();
	session.connect();
	const clocks = { epochMs: Date.now(), monotonicUs: Number(process.hrtime.bigint() / 1000n) };
	session.post('Profiler.enable');
	session.post('Profiler.setSamplingInterval', { interval: 200 });
	session.post('Profiler.start');
	process.on('exit', () => {
		// A session on the same thread answers at once.
		session.post('Profiler.stop', (error, result) => {
			if (!error) writeFileSync(out, JSON.stringify({ ...clocks, profile: result.profile }));
		});
	});
}
