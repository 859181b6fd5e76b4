/**
 * n8n's logger prints every error a test provokes on purpose; a green run should read as one.
 * It stays on where a suite reads the logs (secrets.test.ts: nothing secret may be logged) and
 * when asked for with N8N_TEST_LOGS=1. Runs before each test file loads n8n.
 */
const testPath = expect.getState().testPath ?? '';
const wantsLogs = process.env.N8N_TEST_LOGS === '1' || /[\\/]secrets\.test\.ts$/.test(testPath);
if (!wantsLogs) process.env.N8N_LOG_LEVEL = 'silent';
