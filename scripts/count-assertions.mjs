#!/usr/bin/env node
// Counts the assertions jest ran, per suite and in all, so that moving tests between files can be
// checked to lose none: `node scripts/count-assertions.mjs [jest args]` after `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const output = join(mkdtempSync(join(tmpdir(), 'assertions-')), 'results.json');
const run = spawnSync('npx', ['jest', '--json', `--outputFile=${output}`, ...process.argv.slice(2)], { stdio: ['ignore', 'ignore', 'inherit'] });
const results = JSON.parse(readFileSync(output, 'utf8'));
let tests = 0;
let assertions = 0;
const rows = [];
for (const suite of results.testResults) {
	const suiteTests = suite.assertionResults.length;
	const suiteAssertions = suite.assertionResults.reduce((sum, test) => sum + (test.numPassingAsserts ?? 0), 0);
	tests += suiteTests;
	assertions += suiteAssertions;
	rows.push([relative(process.cwd(), suite.name), suiteTests, suiteAssertions]);
}
rows.sort((a, b) => a[0].localeCompare(b[0]));
for (const [name, count, asserted] of rows) console.log(`${String(asserted).padStart(6)} ${String(count).padStart(5)}  ${name}`);
console.log(`${String(assertions).padStart(6)} ${String(tests).padStart(5)}  in all (assertions, tests; ${results.numFailedTests} failed)`);
process.exit(run.status ?? 1);
