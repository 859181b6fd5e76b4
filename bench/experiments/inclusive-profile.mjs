// Inclusive time of named functions in a .cpuprofile (a function counted once per sample even when
// recursive): node inclusive-profile.mjs file name[@package] ...
import { readFileSync } from 'fs';
const [file, ...names] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const totals = new Map(names.map((name) => [name, 0]));
let total = 0;
profile.samples.forEach((id, index) => {
	const us = profile.timeDeltas[index] ?? 0;
	total += us;
	const seen = new Set();
	for (let at = id; at !== undefined; at = parent.get(at)) {
		const { functionName, url } = byId.get(at).callFrame;
		for (const name of names) {
			const [fn, where] = name.split('@');
			if (fn === functionName && (!where || url.includes(where)) && !seen.has(name)) {
				seen.add(name);
				totals.set(name, totals.get(name) + us);
			}
		}
	}
});
console.log(`total ${(total / 1000).toFixed(0)} ms`);
for (const [name, us] of totals) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
