/**
 * Starts the FusionAuth simulator from the command line for local demos and end-to-end runs:
 *
 *   node .build/test/simulator/cli.js [--port 9011] [--generation current|legacy]
 *        [--latency <ms>] [--search-engine database|elasticsearch]
 *
 * Prints the URL, the local demo API key, the tenant and application ids and the demo users,
 * then serves until it is stopped (Ctrl+C or SIGTERM).
 */
import { DEMO_PASSWORD, Generation, SearchEngine, startSimulator } from './server';

interface CliOptions {
	port: number;
	generation: Generation;
	latencyMs?: number;
	searchEngine: SearchEngine;
}

const USAGE =
	'Usage: cli.js [--port <n>] [--generation current|legacy] [--latency <ms>] [--search-engine database|elasticsearch]';

function parseArgs(argv: string[]): CliOptions {
	const options: CliOptions = { port: 9011, generation: 'current', searchEngine: 'database' };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = (): string => {
			const next = inline ?? argv[++i];
			if (next === undefined) {
				throw new Error(`${flag} needs a value`);
			}
			return next;
		};
		switch (flag) {
			case '--port': {
				const port = Number(value());
				if (!Number.isInteger(port) || port < 0 || port > 65535) {
					throw new Error('--port must be a port number (0 picks a free one)');
				}
				options.port = port;
				break;
			}
			case '--generation': {
				const generation = value();
				if (generation !== 'current' && generation !== 'legacy') {
					throw new Error('--generation must be current or legacy');
				}
				options.generation = generation;
				break;
			}
			case '--latency': {
				const latency = Number(value());
				if (!Number.isFinite(latency) || latency < 0) {
					throw new Error('--latency must be a number of milliseconds');
				}
				options.latencyMs = latency;
				break;
			}
			case '--search-engine': {
				const engine = value();
				if (engine !== 'database' && engine !== 'elasticsearch') {
					throw new Error('--search-engine must be database or elasticsearch');
				}
				options.searchEngine = engine;
				break;
			}
			case '--help':
			case '-h':
				console.log(USAGE);
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown argument ${argv[i]}`);
		}
	}
	return options;
}

async function main(): Promise<void> {
	let options: CliOptions;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		console.error((error as Error).message);
		console.error(USAGE);
		process.exit(2);
	}
	const simulator = await startSimulator({
		generation: options.generation,
		port: options.port,
		searchEngine: options.searchEngine,
		faults: options.latencyMs === undefined ? undefined : { latencyMs: options.latencyMs },
	});

	const lines = [
		`FusionAuth simulator (${simulator.generation} API, ${options.searchEngine} search) listening on ${simulator.url}`,
		`API key (local demo key): ${simulator.apiKey}`,
		`Tenant id:      ${simulator.tenantId}`,
		`Application id: ${simulator.applicationId}`,
		options.latencyMs === undefined ? '' : `Added latency:  ${options.latencyMs} ms per request`,
		`Demo users (password "${DEMO_PASSWORD}"):`,
	];
	for (const user of simulator.users.list()) {
		let twoFactor: string;
		if (simulator.generation === 'legacy') {
			twoFactor = user.legacy.twoFactorEnabled
				? `two factor on (${user.legacy.twoFactorDelivery}), secret (Base32) ${user.legacy.secretBase32Encoded}`
				: 'two factor off';
		} else if (user.methods.length === 0) {
			twoFactor = 'no methods';
		} else {
			twoFactor = user.methods
				.map((method) => {
					const detail =
						method.method === 'authenticator' ? `secret (Base32) ${method.secretBase32Encoded}` : (method.email ?? method.mobilePhone);
					return `${method.id} ${method.method} ${detail}`;
				})
				.join('; ');
		}
		lines.push(`  ${user.id}  ${user.email ?? user.username ?? ''}  ${twoFactor}`);
	}
	lines.push('Codes sent by email or SMS are printed below. Stop with Ctrl+C.');
	console.log(lines.filter((line) => line !== '').join('\n'));

	// Show "sent" codes as they arrive, so a person can finish a flow by hand.
	let shown = 0;
	const timer = setInterval(() => {
		while (shown < simulator.outbox.length) {
			const message = simulator.outbox[shown++];
			console.log(`[outbox] ${message.purpose} code ${message.code} by ${message.messageType ?? message.method} to ${message.to}`);
		}
	}, 250);

	const stop = (): void => {
		clearInterval(timer);
		simulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : String(error));
	process.exit(1);
});
