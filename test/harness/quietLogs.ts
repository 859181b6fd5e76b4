/**
 * n8n's logger prints every error a test provokes on purpose; a green run should read as one.
 * Where a suite reads the logs (secrets.test.ts: nothing secret may be logged), n8n logs everything
 * down to debug into a file the suite reads instead of the console. N8N_TEST_LOGS=1 prints them all.
 * Runs before each test file loads n8n.
 */
import { rmSync } from 'fs';
import os from 'os';
import path from 'path';

const testPath = expect.getState().testPath ?? '';
if (process.env.N8N_TEST_LOGS !== '1') {
	if (/[\\/]secrets\.test\.ts$/.test(testPath)) {
		process.env.N8N_LOG_OUTPUT = 'file';
		process.env.N8N_LOG_LEVEL = 'debug';
		process.env.N8N_LOG_FILE_LOCATION = path.join(os.tmpdir(), `n8n-nodes-fusionauth-test-${process.pid}.log`);
		rmSync(process.env.N8N_LOG_FILE_LOCATION, { force: true });
	} else {
		process.env.N8N_LOG_LEVEL = 'silent';
	}
}
