import { createServer } from 'http';
import type { AddressInfo } from 'net';

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago): connections are refused. */
export async function unusedPort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as AddressInfo;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}
