import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { FaultSpec, SeedOptions, SimulatorOptions } from '../../simulator';
import type { SimCommand, SimReply } from '../simServer';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export const BENCH_DIR = path.resolve(__dirname, '..');

/** Children started by this process; killed by pid if it exits while they still run. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts a TypeScript file of bench/ in a child process (ts-node, transpile only, --expose-gc). */
export function forkTs(
	file: string,
	args: string[],
	env: NodeJS.ProcessEnv = {},
	nodeOptions: string[] = [],
): ChildProcess {
	const child = fork(path.join(BENCH_DIR, file), args, {
		execArgv: ['--expose-gc', ...nodeOptions, '-r', 'ts-node/register/transpile-only'],
		env: {
			...process.env,
			TS_NODE_TRANSPILE_ONLY: 'true',
			// KlingVideoExtend.node.json (the codex) would otherwise win over KlingVideoExtend.node.ts.
			TS_NODE_PREFER_TS_EXTS: 'true',
			...env,
		},
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** The simulator, running in a child process (bench/simServer.ts). */
export class SimProcess {
	private nextId = 1;

	private readonly pending = new Map<
		number,
		{ resolve: (value: unknown) => void; reject: (error: Error) => void }
	>();

	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
	) {
		child.on('message', (message: SimReply) => {
			if ('ready' in message) return;
			const waiter = this.pending.get(message.id);
			if (!waiter) return;
			this.pending.delete(message.id);
			if (message.ok) waiter.resolve(message.value);
			else waiter.reject(new Error(message.error));
		});
	}

	static async start(options: SimulatorOptions = {}): Promise<SimProcess> {
		const child = forkTs('simServer.ts', [JSON.stringify(options)]);
		const url = await new Promise<string>((resolve, reject) => {
			child.once('exit', (code) => reject(new Error(`simulator exited early (${code})`)));
			child.on('message', (message: SimReply) => {
				if ('ready' in message) resolve(message.ready);
			});
		});
		return new SimProcess(child, url);
	}

	private send(command: WithoutId<SimCommand>): Promise<unknown> {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.child.send({ ...command, id } as SimCommand);
		});
	}

	async seed(count: number, options?: SeedOptions): Promise<void> {
		await this.send({ cmd: 'seed', count, options });
	}

	/** The requests received whose path starts with prefix (and of that method, when given). */
	async requests(prefix: string, method?: string): Promise<SimRequestSummary[]> {
		return (await this.send({ cmd: 'requests', prefix, method })) as SimRequestSummary[];
	}

	/** Moves every task read at GET /tasks so far one step on, together; how many. */
	async advanceAll(): Promise<number> {
		return (await this.send({ cmd: 'advanceAll' })) as number;
	}

	async fault(spec: FaultSpec): Promise<void> {
		await this.send({ cmd: 'fault', spec });
	}

	/** Adds `ms` before every API answer (not video downloads), like the way to a remote Kling. */
	async latency(ms: number): Promise<void> {
		if (ms > 0) {
			for (const match of ['/v1/', '/tasks', '/text-to-video/', '/image-to-video/']) {
				await this.fault({ kind: 'delay', ms, rate: 1, match });
			}
		}
	}

	async clearFaults(): Promise<void> {
		await this.send({ cmd: 'clearFaults' });
	}

	/** Requests received whose path starts with prefix (and of that method, when given). */
	async count(prefix: string, method?: string): Promise<number> {
		return (await this.send({ cmd: 'count', prefix, method })) as number;
	}

	async clearRequests(): Promise<void> {
		await this.send({ cmd: 'clearRequests' });
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null) return;
		await this.send({ cmd: 'stop' }).catch(() => undefined);
		const gone = exited(this.child);
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
		await gone;
		clearTimeout(timer);
	}
}

export interface SimRequestSummary {
	method: string;
	path: string;
	query: Record<string, string>;
}

export interface WorkerMessage<T> {
	result?: T;
	error?: string;
}

/**
 * Runs one measurement in a fresh process (bench/worker.ts), so that its memory figures are
 * its own, and resolves what it sent back.
 */
export async function runWorker<T>(
	name: string,
	input: unknown,
	env: NodeJS.ProcessEnv = {},
): Promise<T> {
	const child = forkTs('worker.ts', [name, JSON.stringify(input ?? {})], env);
	let message: WorkerMessage<T> | undefined;
	child.on('message', (received: WorkerMessage<T>) => (message = received));
	await exited(child);
	if (!message) throw new Error(`worker ${name} exited (${child.exitCode}) without a result`);
	if (message.error !== undefined) throw new Error(`worker ${name}: ${message.error}`);
	return message.result as T;
}
