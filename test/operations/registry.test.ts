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
