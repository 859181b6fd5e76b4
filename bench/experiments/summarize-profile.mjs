// Self time of a .cpuprofile by function and by package: node summarize-profile.mjs file [top]
import { readFileSync } from 'fs';
const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const place = (url) => {
	if (!url) return '(native)';
	const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
	if (match) return match[1];
	if (url.includes('/dist/nodes/')) return 'this package';
	if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
	return url.split('/').slice(-2).join('/');
};
const fn = new Map();
const pkg = new Map();
for (const [id, us] of self) {
	const { callFrame } = byId.get(id);
	const key = `${callFrame.functionName || '(anonymous)'} ${place(callFrame.url)}:${callFrame.lineNumber + 1}`;
	fn.set(key, (fn.get(key) ?? 0) + us);
	const where = ['(idle)', '(garbage collector)', '(program)'].includes(callFrame.functionName) ? callFrame.functionName : place(callFrame.url);
	pkg.set(where, (pkg.get(where) ?? 0) + us);
}
const show = (map, n) =>
	[...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`total ${(total / 1000).toFixed(0)} ms\n-- by package\n${show(pkg, 20)}\n-- by function\n${show(fn, top)}`);
