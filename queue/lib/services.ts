import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
	chownSync,
	createWriteStream,
	existsSync,
	mkdtempSync,
	readdirSync,
	rmSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Postgres and Redis for n8n's queue mode: private instances on loopback ports in a temporary
 * folder, installed from Debian packages when missing, stopped by `stop()` (and by the caller's
 * signal handlers, see stopOnSignals). Nothing listens beyond 127.0.0.1.
 */

function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((version) => existsSync(path.join(root, version, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(root, versions[0], 'bin') : undefined;
}

function redisServer(): string | undefined {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => existsSync(file));
}

/** `apt-get install` of postgresql and redis-server when either is missing (CI starts bare). */
export function ensureServicesInstalled(log: (line: string) => void = () => undefined): void {
	const missing = [
		...(postgresBinDir() ? [] : ['postgresql']),
		...(redisServer() ? [] : ['redis-server']),
	];
	if (missing.length === 0) return;
	log(`installing ${missing.join(' and ')} with apt-get`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
		const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
		if (result.status !== 0) {
			throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
		}
	}
	if (!postgresBinDir() || !redisServer()) {
		throw new Error('postgresql or redis-server is still missing after apt-get install');
	}
	// The packages may start their own default servers (5432, 6379): the suite runs its own.
	for (const service of ['postgresql', 'redis-server']) {
		spawnSync('service', [service, 'stop'], { stdio: 'ignore' });
	}
}

/** The uid and gid of a system user (Postgres refuses to run as root). */
function systemUser(name: string): { uid: number; gid: number } {
	const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
	const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
	if (uid.status !== 0 || gid.status !== 0) throw new Error(`no system user ${name}`);
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** A server process in its own process group, its output in a log file. */
class ServiceProcess {
	private exited: Promise<void>;
	private done = false;

	constructor(
		readonly name: string,
		readonly child: ChildProcess,
		readonly logFile: string,
	) {
		const log = createWriteStream(logFile, { flags: 'a' });
		child.stdout?.pipe(log);
		child.stderr?.pipe(log);
		this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
		void this.exited.then(() => (this.done = true));
	}

	get running(): boolean {
		return !this.done;
	}

	async waitForPort(port: number, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!(await accepts(port))) {
			if (this.done) throw new Error(`${this.name} exited at start; see ${this.logFile}`);
			if (Date.now() > deadline) throw new Error(`${this.name} not listening on ${port}`);
			await delay(200);
		}
	}

	/** SIGTERM to the group (Postgres: smart shutdown ends fast, no clients), SIGKILL after 10 s. */
	async stop(): Promise<void> {
		if (this.done || !this.child.pid) return;
		const pid = this.child.pid;
		const signal = (name: NodeJS.Signals) => {
			try {
				process.kill(-pid, name);
			} catch {
				// already gone
			}
		};
		signal(this.name === 'postgres' ? 'SIGINT' : 'SIGTERM');
		const timer = setTimeout(() => signal('SIGKILL'), 10_000);
		await this.exited;
		clearTimeout(timer);
	}

	/** Synchronous last resort (process exit): SIGKILL to the group. */
	kill(): void {
		if (this.done || !this.child.pid) return;
		try {
			process.kill(-this.child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
}

export interface Services {
	postgres: { port: number; user: string; password: string; database: string };
	redis: { port: number };
	dir: string;
	/** Runs one SQL statement in n8n's database with psql; rows as arrays of column texts. */
	sql(statement: string): string[][];
	stop(): Promise<void>;
	/** SIGKILL everything at once (from an exit handler). */
	kill(): void;
}

/**
 * Starts Postgres (initdb into a temporary folder, as the `postgres` system user, trust
 * authentication on 127.0.0.1 only, durability off: test data) and Redis (no persistence).
 */
export async function startServices(ports: { postgres: number; redis: number }): Promise<Services> {
	const binDir = postgresBinDir();
	const redisBin = redisServer();
	if (!binDir || !redisBin) throw new Error('postgresql or redis-server is not installed');
	const dir = mkdtempSync(path.join(os.tmpdir(), 'kling-queue-'));
	const pgData = path.join(dir, 'pgdata');
	const owner = systemUser('postgres');
	chownSync(dir, owner.uid, owner.gid);
	const started: ServiceProcess[] = [];
	const user = 'n8n';
	const stopAll = async () => {
		for (const service of [...started].reverse()) await service.stop();
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		const init = spawnSync(
			path.join(binDir, 'initdb'),
			['-D', pgData, '-U', user, '--auth=trust', '--encoding=UTF8', '--no-sync'],
			{ uid: owner.uid, gid: owner.gid, encoding: 'utf8', cwd: dir },
		);
		if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
		const postgres = spawn(
			path.join(binDir, 'postgres'),
			[
				'-D',
				pgData,
				'-p',
				String(ports.postgres),
				'-k',
				dir,
				'-c',
				'listen_addresses=127.0.0.1',
				'-c',
				'fsync=off',
				'-c',
				'synchronous_commit=off',
				'-c',
				'full_page_writes=off',
				'-c',
				'max_connections=200',
			],
			{
				uid: owner.uid,
				gid: owner.gid,
				cwd: dir,
				detached: true,
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		started.push(new ServiceProcess('postgres', postgres, path.join(dir, 'postgres.log')));
		const redis = spawn(
			redisBin,
			[
				'--port',
				String(ports.redis),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				dir,
			],
			{ cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		started.push(new ServiceProcess('redis', redis, path.join(dir, 'redis.log')));
		await started[0].waitForPort(ports.postgres);
		await started[1].waitForPort(ports.redis);
		// The port answers before Postgres accepts connections: ask until it does.
		const deadline = Date.now() + 60_000;
		for (;;) {
			const ready = spawnSync(
				path.join(binDir, 'pg_isready'),
				['-h', '127.0.0.1', '-p', String(ports.postgres), '-U', user],
				{ encoding: 'utf8' },
			);
			if (ready.status === 0) break;
			if (Date.now() > deadline) throw new Error(`Postgres not ready: ${ready.stdout}`);
			await delay(200);
		}
	} catch (error) {
		await stopAll();
		throw error;
	}
	return {
		postgres: { port: ports.postgres, user, password: 'n8n', database: 'postgres' },
		redis: { port: ports.redis },
		dir,
		sql: (statement) => {
			const result = spawnSync(
				path.join(binDir, 'psql'),
				[
					'-h',
					'127.0.0.1',
					'-p',
					String(ports.postgres),
					'-U',
					user,
					'-d',
					'postgres',
					'-At',
					'-F',
					'\t',
					'-c',
					statement,
				],
				{ encoding: 'utf8' },
			);
			if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
			return result.stdout
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('\t'));
		},
		stop: stopAll,
		kill: () => started.forEach((service) => service.kill()),
	};
}
