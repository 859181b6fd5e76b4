// addEventListener/removeEventListener on one AbortSignal already holding n listeners (as the execution's
// cancel signal holds one per request in flight), against a fresh signal per request.
const { performance } = require('perf_hooks');
for (const n of [0, 100, 500, 1000]) {
	const shared = new AbortController().signal;
	const held = Array.from({ length: n }, () => () => {});
	for (const f of held) shared.addEventListener('abort', f);
	const rounds = 20000;
	let t = performance.now();
	for (let i = 0; i < rounds; i++) { const f = () => {}; shared.addEventListener('abort', f); shared.removeEventListener('abort', f); }
	const sharedUs = ((performance.now() - t) * 1000) / rounds;
	t = performance.now();
	for (let i = 0; i < rounds; i++) { const s = AbortSignal.timeout(10000); const f = () => {}; s.addEventListener('abort', f); s.removeEventListener('abort', f); }
	const timeoutUs = ((performance.now() - t) * 1000) / rounds;
	t = performance.now();
	for (let i = 0; i < rounds; i++) { const s = AbortSignal.any([shared, AbortSignal.timeout(10000)]); }
	const anyUs = ((performance.now() - t) * 1000) / rounds;
	console.log(`${process.version} listeners already on the signal ${n}: add+remove ${sharedUs.toFixed(2)} us; AbortSignal.timeout + add/remove ${timeoutUs.toFixed(2)} us; AbortSignal.any(shared, timeout) ${anyUs.toFixed(2)} us`);
}
