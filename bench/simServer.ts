/**
 * The Kling simulator in a process of its own, driven over IPC by bench/lib/simProcess.ts, so
 * that its CPU and memory stay out of the measured process (Kling is remote, after all).
 * Options arrive as JSON in argv[2].
 */
import {
	KlingSimulator,
	type FaultSpec,
	type SeedOptions,
	type SimulatorOptions,
} from '../simulator';

export type SimCommand =
	| { id: number; cmd: 'seed'; count: number; options?: SeedOptions }
	| { id: number; cmd: 'requests'; method?: string; prefix: string }
	| { id: number; cmd: 'advanceAll' }
	| { id: number; cmd: 'fault'; spec: FaultSpec }
	| { id: number; cmd: 'clearFaults' }
	| { id: number; cmd: 'count'; method?: string; prefix: string }
	| { id: number; cmd: 'clearRequests' }
	| { id: number; cmd: 'stop' };

export type SimReply =
	| { id: number; ok: true; value?: unknown }
	| { id: number; ok: false; error: string }
	| { ready: string };

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const sim = new KlingSimulator({ ...options, host: '127.0.0.1', port: 0 });

function reply(message: SimReply): void {
	process.send?.(message);
}

async function handle(command: SimCommand): Promise<unknown> {
	switch (command.cmd) {
		case 'seed':
			sim.seedTasks(command.count, command.options);
			return undefined;
		case 'requests':
			return sim.requests
				.filter(
					(request) =>
						request.path.startsWith(command.prefix) &&
						(command.method === undefined || request.method === command.method),
				)
				.map((request) => ({ method: request.method, path: request.path, query: request.query }));
		case 'advanceAll': {
			// Every current-generation task one step on, all at once (they finish together).
			const ids = new Set(
				sim.requests
					.filter((request) => request.path === '/tasks' && request.method === 'GET')
					.flatMap((request) => (request.query.task_ids ?? '').split(','))
					.filter((id) => id !== ''),
			);
			await Promise.all([...ids].map(async (id) => await sim.advance(id)));
			return ids.size;
		}
		case 'fault':
			sim.injectFaults(command.spec);
			return undefined;
		case 'clearFaults':
			sim.clearFaults();
			return undefined;
		case 'count':
			return sim.requests.filter(
				(request) =>
					request.path.startsWith(command.prefix) &&
					(command.method === undefined || request.method === command.method),
			).length;
		case 'clearRequests':
			sim.clearRequests();
			return undefined;
		case 'stop':
			await sim.stop();
			return undefined;
	}
}

process.on('message', (command: SimCommand) => {
	handle(command).then(
		(value) => {
			reply({ id: command.id, ok: true, value });
			if (command.cmd === 'stop') process.disconnect?.();
		},
		(error: Error) => reply({ id: command.id, ok: false, error: error.message }),
	);
});
// The parent went away: stop, so that nothing is left listening.
process.on('disconnect', () => {
	void sim.stop().then(() => process.exit(0));
});

sim.start().then(
	(url) => reply({ ready: url }),
	(error: Error) => {
		console.error(error);
		process.exit(1);
	},
);
