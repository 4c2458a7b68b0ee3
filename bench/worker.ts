/**
 * A measurement in a process of its own: `worker.ts <name> <json input>`; the result goes
 * back to bench/run.ts over IPC. Started by runWorker() in lib/processes.ts.
 */
import { N8N_USER_FOLDER } from '../test/harness/n8nEnvironment';

import { rmSync } from 'node:fs';

import type { WorkerMessage } from './lib/processes';

type Job = (input: never) => Promise<unknown>;

const jobs: Record<string, () => Promise<Job>> = {
	p1: async () => (await import('./p1')).p1,
	p1b: async () => (await import('./p1b')).p1b,
	'p2-axios': async () => (await import('./p2')).p2Axios,
	'p2-node': async () => (await import('./p2')).p2Node,
	p3: async () => (await import('./p3')).p3,
	'p5-idle': async () => (await import('./p5')).p5Idle,
	'p5-axios': async () => (await import('./p5')).p5Axios,
	'p5-node': async () => (await import('./p5')).p5Node,
	p6: async () => (await import('./p6')).p6,
};

async function main(): Promise<void> {
	const [name, rawInput] = process.argv.slice(2);
	const load = jobs[name];
	if (!load) throw new Error(`unknown job ${name}`);
	const job = await load();
	const result = await job(JSON.parse(rawInput ?? '{}') as never);
	await new Promise<void>((resolve) =>
		process.send!({ result } satisfies WorkerMessage<unknown>, () => resolve()),
	);
}

// n8n's user folder of this process (its binary store included): a 200 MB file stays otherwise.
process.on('exit', () => rmSync(N8N_USER_FOLDER, { recursive: true, force: true }));

main().then(
	() => process.exit(0),
	async (error: Error) => {
		await new Promise<void>((resolve) =>
			process.send!({ error: error.stack ?? error.message } satisfies WorkerMessage<unknown>, () =>
				resolve(),
			),
		);
		process.exit(1);
	},
);
