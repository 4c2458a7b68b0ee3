/**
 * P6 (issue #15): reading tasks of Kling's current generation together.
 * - Poll: 20 tasks created in one execution and finishing together; the simulator counts the
 *   GET /tasks requests and how often each task was read. Baseline: the same rounds read one
 *   task a request (what a per-task poll loop sends).
 * - Get Task for 1,000 items in one execution (`GET /tasks?task_ids=`, 20 ids a request) against
 *   a one-at-a-time axios loop (`GET /tasks?task_ids=<one id>`) over the same loopback.
 */
import '../test/harness/n8nEnvironment';

import axios from 'axios';

import { DEFAULT_ACCOUNT } from '../simulator';
import { CURRENT_CREATE_TYPE } from '../test/harness/currentCreateNode';
import { apiKeyCredentials } from '../test/harness/kling';
import { KLING_VIDEO_TYPE } from '../test/harness/nodeTypes';
import { runNode } from '../test/harness/runWorkflow';
import { SimProcess } from './lib/processes';
import { nowMs } from './lib/stats';

export interface P6Input {
	pollTasks: number;
	getItems: number;
	latencyMs: number;
}

export interface P6Result {
	pollTasks: number;
	/** GET /tasks requests while the tasks were waited for, and poll rounds (reads of one task). */
	pollRequests: number;
	pollRounds: number;
	getItems: number;
	getRequests: number;
	latencyMs: number;
	axiosMs: number;
	nodeMs: number;
}

function idsOf(query: Record<string, string>): string[] {
	return (query.task_ids ?? query.external_task_ids ?? '').split(',').filter((id) => id !== '');
}

async function pollFigures(input: P6Input) {
	const sim = await SimProcess.start({ timing: 'manual' });
	try {
		const credentials = { klingApi: apiKeyCredentials(sim.url) };
		const running = runNode({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: {
				waitForCompletion: 'poll',
				options: { pollInterval: 0.02, maxPollInterval: 0.05 },
			},
			items: Array.from({ length: input.pollTasks }, () => ({})),
			credentials,
		});
		// Wait until a round reads every task, let a few rounds pass, then finish them all together.
		const deadline = Date.now() + 30_000;
		for (;;) {
			const reads = await sim.requests('/tasks', 'GET');
			if (reads.filter((read) => idsOf(read.query).length === input.pollTasks).length >= 3) break;
			if (Date.now() > deadline) throw new Error('the tasks were never read together');
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		await sim.advanceAll();
		await sim.advanceAll();
		const result = await running;
		if (result.error) throw result.error;
		const reads = await sim.requests('/tasks', 'GET');
		const perTask = new Map<string, number>();
		for (const read of reads) {
			for (const id of idsOf(read.query)) perTask.set(id, (perTask.get(id) ?? 0) + 1);
		}
		return { pollRequests: reads.length, pollRounds: Math.max(...perTask.values()) };
	} finally {
		await sim.stop();
	}
}

async function getFigures(input: P6Input) {
	const sim = await SimProcess.start({ timing: 'manual' });
	try {
		await sim.seed(input.getItems, { kind: 'text-to-video' });
		const client = axios.create({
			baseURL: sim.url,
			headers: { Authorization: `Bearer ${DEFAULT_ACCOUNT.apiKey}`, Accept: 'application/json' },
		});
		const list = await client.post('/tasks', { limit: 500 });
		const ids: string[] = [];
		for (let body = list.data.data; ; ) {
			ids.push(...(body.result as Array<{ id: string }>).map((task) => task.id));
			if (!body.has_more) break;
			body = (await client.post('/tasks', { limit: 500, cursor: body.next_cursor })).data.data;
		}
		if (ids.length !== input.getItems) throw new Error(`seeded ${ids.length} tasks`);
		await sim.latency(input.latencyMs);
		const credentials = { klingApi: apiKeyCredentials(sim.url) };
		const parameters = { operation: 'get', lookupBy: 'taskId', taskId: '={{ $json.id }}' };

		// Warm both paths up (JIT, first connections) on a few ids.
		for (const id of ids.slice(0, 5)) await client.get('/tasks', { params: { task_ids: id } });
		await runNode({
			nodeType: KLING_VIDEO_TYPE,
			parameters,
			items: ids.slice(0, 16).map((id) => ({ id })),
			credentials,
		});

		let start = nowMs();
		for (const id of ids) {
			const answer = await client.get('/tasks', { params: { task_ids: id } });
			if (answer.data.data[0]?.id !== id) throw new Error('axios: wrong task');
		}
		const axiosMs = nowMs() - start;

		await sim.clearRequests();
		start = nowMs();
		const result = await runNode({
			nodeType: KLING_VIDEO_TYPE,
			parameters,
			items: ids.map((id) => ({ id })),
			credentials,
		});
		const nodeMs = nowMs() - start;
		if (result.error) throw result.error;
		result.items.forEach((item, index) => {
			if (item.json.id !== ids[index]) throw new Error(`item ${index}: wrong task`);
		});
		const getRequests = (await sim.requests('/tasks', 'GET')).length;
		return { axiosMs, nodeMs, getRequests };
	} finally {
		await sim.stop();
	}
}

export async function p6(input: P6Input): Promise<P6Result> {
	const poll = await pollFigures(input);
	const get = await getFigures(input);
	return { ...input, ...poll, ...get };
}
