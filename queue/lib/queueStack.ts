import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';

import type { KlingCredential, Stack } from '../../e2e/lib/stack';
import { startStack } from '../../e2e/lib/stack';
import type { Workflow } from '../../e2e/lib/examples';
import { N8n } from '../../e2e/lib/n8n';
import type { N8nCommand } from '../../e2e/lib/n8n';
import { installPackage } from '../../e2e/lib/package';
import { freePorts } from '../../e2e/lib/ports';
import { RoundRobinProxy } from './proxy';
import type { Services } from './services';
import { ensureServicesInstalled, startServices } from './services';

/**
 * n8n 2.41 in queue mode, as a team runs it: one main process (editor, REST API, triggers; no
 * production webhooks), two workers (run the executions), two webhook processes (receive
 * production webhooks and resume waiting executions), sharing Postgres and Redis. Each process
 * has its own user folder with the package installed as a community package, and all share
 * the encryption key. Kling reaches the webhook processes through a round-robin proxy.
 */
export interface QueueStack {
	services: Services;
	proxy: RoundRobinProxy;
	/** The main process and what startStack made of it (examples imported, trigger published). */
	stack: Stack;
	main: N8n;
	workers: N8n[];
	webhooks: N8n[];
	/** Every n8n process, main first. */
	all: N8n[];
	stop(): Promise<void>;
	/** SIGKILL to everything (from an exit handler). */
	kill(): void;
}

export interface QueueStackOptions {
	dataDir: string;
	credential: KlingCredential;
	extraWorkflows?: Workflow[];
	/** The Kling simulator's URL, for the examples' sample media. */
	simulatorUrl?: string;
	/** Binary data mode of every process (queue mode's default is database). */
	binaryDataMode?: 'database' | 'filesystem';
	log?: (line: string) => void;
	/** Called with everything started so far, so that a caller can stop it whatever happens. */
	onStarted?: (stop: () => Promise<void>, kill: () => void) => void;
}

export async function startQueueStack(options: QueueStackOptions): Promise<QueueStack> {
	const log = options.log ?? (() => undefined);
	ensureServicesInstalled(log);
	const [pgPort, redisPort, proxyPort, mainPort, ...more] = await freePorts(12);
	const [webhookPort1, webhookPort2, ...brokerPorts] = more;

	const processes: N8n[] = [];
	// Set once they run; the stop functions below are handed out before.
	const running: { services?: Services } = {};
	const proxy = new RoundRobinProxy([]);
	const stopAll = async () => {
		// Webhook processes and main first, then workers (they finish their jobs), then the
		// services they all use.
		const order = [...processes].sort(
			(a, b) => Number(a.options.command === 'worker') - Number(b.options.command === 'worker'),
		);
		await Promise.all(order.filter((p) => p.options.command !== 'worker').map((p) => p.stop()));
		await Promise.all(order.filter((p) => p.options.command === 'worker').map((p) => p.stop()));
		await proxy.stop();
		await running.services?.stop();
	};
	const killAll = () => {
		for (const n8n of processes) {
			const pid = n8n.pid;
			if (pid) {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {
					// gone
				}
			}
		}
		running.services?.kill();
	};
	options.onStarted?.(stopAll, killAll);

	log('starting Postgres and Redis');
	const services = await startServices({ postgres: pgPort, redis: redisPort });
	running.services = services;
	const webhookUrls = [webhookPort1, webhookPort2].map((port) => `http://127.0.0.1:${port}`);
	proxy.setTargets(webhookUrls);
	const proxyUrl = await proxy.start(proxyPort);

	const shared: Record<string, string> = {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(services.postgres.port),
		DB_POSTGRESDB_USER: services.postgres.user,
		DB_POSTGRESDB_PASSWORD: services.postgres.password,
		DB_POSTGRESDB_DATABASE: services.postgres.database,
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(services.redis.port),
		// The same key everywhere: a process without one makes its own and cannot read the
		// credentials the others stored.
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('base64'),
		N8N_DEFAULT_BINARY_DATA_MODE: options.binaryDataMode ?? 'database',
		// Editor runs go to the workers too (else main runs them, and a webhook process runs a
		// manual execution it resumes).
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
	const folder = (name: string) => path.join(options.dataDir, name);
	rmSync(options.dataDir, { recursive: true, force: true });

	log('main: importing, publishing, starting');
	const stack = await startStack({
		command: 'start',
		userFolder: folder('main'),
		port: mainPort,
		brokerPort: brokerPorts[0],
		listenAddress: '127.0.0.1',
		logFormat: 'json',
		logLevel: 'info',
		// Kling is given the proxy's address: the webhook processes behind it answer.
		webhookUrl: `${proxyUrl}/`,
		credential: options.credential,
		simulatorUrl: options.simulatorUrl,
		extraWorkflows: options.extraWorkflows,
		env: { ...shared, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		onN8n: (n8n) => processes.push(n8n),
		log,
	});

	const make = (command: N8nCommand, name: string, port: number, brokerPort: number) => {
		const userFolder = folder(name);
		installPackage(userFolder);
		const n8n = new N8n({
			command,
			userFolder,
			port,
			brokerPort,
			listenAddress: '127.0.0.1',
			logFormat: 'json',
			logLevel: 'info',
			webhookUrl: `${proxyUrl}/`,
			env: shared,
		});
		processes.push(n8n);
		return n8n;
	};
	const workers = [
		make('worker', 'worker-1', (await freePorts(1))[0], brokerPorts[1]),
		make('worker', 'worker-2', (await freePorts(1))[0], brokerPorts[2]),
	];
	const webhooks = [
		make('webhook', 'webhook-1', webhookPort1, brokerPorts[3]),
		make('webhook', 'webhook-2', webhookPort2, brokerPorts[4]),
	];
	log('starting two workers and two webhook processes');
	await Promise.all([...workers, ...webhooks].map((n8n) => n8n.start(180_000)));
	return {
		services,
		proxy,
		stack,
		main: stack.n8n,
		workers,
		webhooks,
		all: [stack.n8n, ...workers, ...webhooks],
		stop: stopAll,
		kill: killAll,
	};
}
