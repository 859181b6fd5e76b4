import { useRecordingServer } from '../harness/lifecycle';
import { runNode } from '../harness/n8n';

const USER_ID = '2c1e1e39-0ae7-4a9b-8e0d-6d0f8a4b1f52';
const API_KEY = 'base-url-test-api-key';

const server = useRecordingServer();

describe('the credential\'s base URL', () => {
	test('a path prefix and trailing slashes: the prefix is kept', async () => {
		server.respondWith({ status: 200 });
		const result = await runNode({
			parameters: { resource: 'code', operation: 'send', userId: USER_ID, purpose: 'disable', methodId: '2KSZ' },
			credentials: { baseUrl: ` ${server.url}/fusionauth/// `, apiKey: API_KEY },
		});
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => request.url)).toEqual(['/fusionauth/api/two-factor/send']);
	});

	test('one that is not http(s) fails with a clear message before any request', async () => {
		const result = await runNode({
			parameters: { resource: 'secret', operation: 'generate' },
			credentials: { baseUrl: 'auth.example.com', apiKey: API_KEY },
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error!.message).toBe(
			'The Base URL in the FusionAuth credential must start with http:// or https://, for example https://auth.example.com',
		);
		expect(server.requests).toHaveLength(0);
	});
});
