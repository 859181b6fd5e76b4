import { existsSync, readFileSync } from 'fs';
import path from 'path';

import { operations } from '../../dist/nodes/FusionAuthTwoFactor/actions/operations';

// Each operation's table lives in one file: test/operations/<resource>/<operation>.test.ts.
test.each(operations.map((operation) => [operation.resource, operation.option.value]))(
	'%s.%s has its table in its own file',
	(resource, operation) => {
		const file = path.join(__dirname, resource, `${operation}.test.ts`);
		expect(existsSync(file)).toBe(true);
		const text = readFileSync(file, 'utf8');
		expect(text).toContain(`resource: '${resource}',\n\toperation: '${operation}',`);
		expect(text).toMatch(/^describeOperation\(\{$/m);
	},
);

// The selectors hide an operation from agents by keptFromAgents; the router lets an agent run
// only what has a toolOutput. The two must name the same operations.
test.each(operations.map((operation) => [operation.resource, operation.option.value, operation]))(
	'%s.%s is either offered to agents with an allowlist or kept from them with a reason, never both or neither',
	(_resource, _operation, operation) => {
		expect(operation.keptFromAgents !== undefined).toBe(operation.toolOutput === undefined);
	},
);
