/**
 * P1b: Get for 1,000 input items in one execution (the node sends them concurrently, bounded
 * by its Parallel Requests option) against a one-at-a-time axios loop over the same ids.
 */
import '../test/harness/n8nEnvironment';

import { accessKeyCredentials } from '../test/harness/kling';
import { runNode } from '../test/harness/runWorkflow';
import { trackInFlight } from './lib/inFlight';
import { PlainClient } from './lib/plainClient';
import { SimProcess } from './lib/processes';
import { nowMs } from './lib/stats';

export interface P1bInput {
	items: number;
	latencyMs: number;
	/** Parallel Requests values to run the node with; undefined means the default. */
	concurrencies: Array<number | null>;
}

export interface P1bResult {
	items: number;
	latencyMs: number;
	axiosMs: number;
	node: Array<{
		concurrency: number | null;
		ms: number;
		peakInFlight: number;
		/** The first request left this long after the execution started (n8n prepares all items first). */
		firstRequestMs: number;
	}>;
}

export async function p1b(input: P1bInput): Promise<P1bResult> {
	const sim = await SimProcess.start({ timing: 'manual', recordRequests: false });
	try {
		await sim.seed(input.items);
		const plain = new PlainClient(sim.url);
		const ids = (await plain.listAll()).map((task) => task.task_id).slice(0, input.items);
		if (ids.length !== input.items) throw new Error(`seeded ${ids.length} tasks`);
		await sim.latency(input.latencyMs);
		const credentials = { klingApi: accessKeyCredentials(sim.url) };

		// Warm both paths up (JIT, first connections) on a few ids.
		for (const id of ids.slice(0, 5)) await plain.get(id);
		await runNode({
			parameters: { operation: 'get', taskId: '={{ $json.id }}' },
			items: ids.slice(0, 16).map((id) => ({ id })),
			credentials,
		});

		let start = nowMs();
		for (const id of ids) {
			const task = await plain.get(id);
			if (task.task_id !== id) throw new Error('axios: wrong task');
		}
		const axiosMs = nowMs() - start;

		const node: P1bResult['node'] = [];
		for (const concurrency of input.concurrencies) {
			const tracker = trackInFlight(sim.url);
			start = nowMs();
			const result = await runNode({
				parameters: {
					operation: 'get',
					taskId: '={{ $json.id }}',
					options: concurrency === null ? {} : { concurrency },
				},
				items: ids.map((id) => ({ id })),
				credentials,
			});
			const ms = nowMs() - start;
			const { peak: peakInFlight, firstAtMs: firstRequestMs } = tracker.stop();
			if (result.error) throw result.error;
			if (result.items.length !== ids.length) throw new Error(`${result.items.length} items`);
			result.items.forEach((item, index) => {
				if (item.json.task_id !== ids[index]) throw new Error(`item ${index}: wrong task`);
			});
			node.push({ concurrency, ms, peakInFlight, firstRequestMs });
		}
		return { items: input.items, latencyMs: input.latencyMs, axiosMs, node };
	} finally {
		await sim.stop();
	}
}
