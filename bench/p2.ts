/**
 * P2: Return All over 100,000 tasks. Each side runs in a fresh process of its own (started by
 * run.ts) against one simulator process, so that its time and peak memory are its own.
 */
import '../test/harness/n8nEnvironment';

import { createHash } from 'node:crypto';

import { accessKeyCredentials } from '../test/harness/kling';
import { runNode } from '../test/harness/runWorkflow';
import { trackInFlight } from './lib/inFlight';
import { collectGarbage, MemorySampler, type MemoryFigures } from './lib/memory';
import { PlainClient } from './lib/plainClient';
import { nowMs } from './lib/stats';

export interface P2Input {
	url: string;
	/** Parallel Requests for the node; null = its default. */
	concurrency?: number | null;
}

export interface P2Result {
	ms: number;
	tasks: number;
	distinct: number;
	/** sha256 of the task ids in output order: equal on both sides means same tasks, same order. */
	orderHash: string;
	memory: MemoryFigures;
	/** Heap still used after a full GC while the result is held: the result's own size. */
	retainedHeap: number;
	/** Byte length of JSON.stringify of the tasks (as Kling sent them, without the envelope). */
	jsonBytes: number;
	/** Most list requests in flight at once. */
	peakInFlight: number;
	/** CPU time (user + system) of this process during the run. */
	cpuMs: number;
}

function cpuOf(before: NodeJS.CpuUsage): number {
	const used = process.cpuUsage(before);
	return (used.user + used.system) / 1000;
}

function describe(ids: unknown[]): Pick<P2Result, 'tasks' | 'distinct' | 'orderHash'> {
	const hash = createHash('sha256');
	for (const id of ids) hash.update(`${String(id)}\n`);
	return { tasks: ids.length, distinct: new Set(ids).size, orderHash: hash.digest('hex') };
}

/** A side's figures once its run is over, measured while it still holds the tasks. */
function figures(
	tasks: Array<{ task_id?: unknown }>,
	run: Pick<P2Result, 'ms' | 'memory' | 'peakInFlight' | 'cpuMs'>,
): P2Result {
	collectGarbage();
	return {
		...run,
		...describe(tasks.map((task) => task.task_id)),
		retainedHeap: process.memoryUsage().heapUsed - run.memory.baseHeapUsed,
		jsonBytes: Buffer.byteLength(JSON.stringify(tasks)),
	};
}

export async function p2Axios(input: P2Input): Promise<P2Result> {
	const plain = new PlainClient(input.url);
	await plain.page(1, 10); // first connection, JIT
	const tracker = trackInFlight(input.url);
	const sampler = new MemorySampler().start();
	const start = nowMs();
	const cpuBefore = process.cpuUsage();
	const tasks = await plain.listAll();
	const cpuMs = cpuOf(cpuBefore);
	const ms = nowMs() - start;
	const memory = sampler.stop();
	const peakInFlight = tracker.stop().peak;
	return figures(tasks, { ms, memory, peakInFlight, cpuMs });
}

export async function p2Node(input: P2Input): Promise<P2Result> {
	const credentials = { klingApi: accessKeyCredentials(input.url) };
	const options = input.concurrency ? { concurrency: input.concurrency } : {};
	// Warm-up: one short list through the same code paths.
	await runNode({ parameters: { operation: 'getAll', limit: 10, options }, credentials });
	const tracker = trackInFlight(input.url);
	const sampler = new MemorySampler().start();
	const start = nowMs();
	const cpuBefore = process.cpuUsage();
	const result = await runNode({
		parameters: { operation: 'getAll', returnAll: true, options },
		credentials,
	});
	const cpuMs = cpuOf(cpuBefore);
	const ms = nowMs() - start;
	const memory = sampler.stop();
	const peakInFlight = tracker.stop().peak;
	if (result.error) throw result.error;
	return figures(
		result.items.map((item) => item.json),
		{ ms, memory, peakInFlight, cpuMs },
	);
}
