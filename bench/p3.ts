/**
 * P3: requests per finished task in each way of waiting, for tasks of 1, 2, 4 and 8 minutes.
 * Adaptive polling is run for real on a scaled clock: the simulator's timing and the node's
 * poll intervals are both multiplied by `scale`, and the GETs are counted at the simulator.
 * Callback waiting is run for real too: the execution waits, the simulator calls back, and the
 * harness resumes the execution as n8n does (test/harness/waitingExecution.ts).
 */
import '../test/harness/n8nEnvironment';

import { accessKeyCredentials } from '../test/harness/kling';
import { runNode } from '../test/harness/runWorkflow';
import type { NodeRunResult } from '../test/harness/runWorkflow';
import { WaitingExecution } from '../test/harness/waitingExecution';
import { SimProcess } from './lib/processes';
import { TASKS_PATH } from './lib/plainClient';

export interface P3Input {
	durationsMinutes: number[];
	/** Clock scale, e.g. 0.01: a 1-minute task takes 0.6 s and the first poll waits 30 ms. */
	scale: number;
	/** Tasks per duration, created in one execution (at most the default concurrency, 8). */
	tasks: number;
	firstPollSeconds: number;
	maxPollSeconds: number;
}

export interface P3Row {
	minutes: number;
	/** Adaptive poll, simulated: GETs per task (mean, min, max) and creates per task. */
	pollGetsMean: number;
	pollGetsMin: number;
	pollGetsMax: number;
	creates: number;
	/** Adaptive poll without jitter or request time, computed. */
	pollGetsComputed: number;
	/** Fixed polling every 1 s and 3 s after the create, computed: ceil(duration / interval). */
	fixed1s: number;
	fixed3s: number;
	/** Wait for Completion = Callback, measured: GETs per task (mean, min, max). */
	callbackGetsMean: number;
	callbackGetsMin: number;
	callbackGetsMax: number;
}

export interface P3Result {
	scale: number;
	tasks: number;
	rows: P3Row[];
}

/** GETs until a task of durationMs is seen finished: polls at d0, d0+d1, … (no jitter). */
export function adaptivePolls(durationMs: number, firstMs: number, maxMs: number): number {
	let elapsed = 0;
	for (let poll = 0; ; poll++) {
		elapsed += Math.min(maxMs, firstMs * 2 ** poll);
		if (elapsed >= durationMs) return poll + 1;
	}
}

export function fixedPolls(durationMs: number, intervalMs: number): number {
	return Math.ceil(durationMs / intervalMs);
}

interface GetCounts {
	mean: number;
	min: number;
	max: number;
}

function countsOf(perTask: number[]): GetCounts {
	return {
		mean: perTask.reduce((sum, count) => sum + count, 0) / perTask.length,
		min: Math.min(...perTask),
		max: Math.max(...perTask),
	};
}

function checkAllSucceeded(items: NodeRunResult['items'], tasks: number): void {
	const finished = items.filter((item) => item.json.task_status === 'succeed');
	if (finished.length !== tasks) throw new Error(`${finished.length} of ${tasks} tasks finished`);
}

/** Runs the tasks with Wait for Completion = Callback; GETs per task, counted at the simulator. */
async function callbackGets(input: P3Input, sim: SimProcess, minutes: number): Promise<GetCounts> {
	const waiting = new WaitingExecution();
	await waiting.start();
	try {
		const first = await waiting.run({
			parameters: {
				operation: 'create',
				videoId: 'sim-video-5s',
				prompt: 'bench',
				waitForCompletion: 'callback',
				maxWait: minutes * 4,
			},
			items: Array.from({ length: input.tasks }, () => ({})),
			credentials: { klingApi: accessKeyCredentials(sim.url) },
		});
		if (!first.waiting) throw first.error ?? new Error('the execution did not wait');
		const run = await waiting.finished;
		if (run.data.resultData.error) throw run.data.resultData.error;
		checkAllSucceeded(run.data.resultData.runData.Kling.at(-1)?.data?.main[0] ?? [], input.tasks);
		// The callbacks read the tasks by their external ids.
		const perTask: number[] = [];
		for (const item of first.items) {
			const externalId = (item.json.task_info as { external_task_id: string }).external_task_id;
			perTask.push(await sim.count(`${TASKS_PATH}/${externalId}`, 'GET'));
		}
		return countsOf(perTask);
	} finally {
		await waiting.stop();
	}
}

export async function p3(input: P3Input): Promise<P3Result> {
	const rows: P3Row[] = [];
	for (const minutes of input.durationsMinutes) {
		const durationMs = minutes * 60_000;
		const scaledMs = durationMs * input.scale;
		// Kling's tasks queue for a while, then process; the split does not change the counts.
		const sim = await SimProcess.start({
			timing: { submittedMs: scaledMs * 0.1, processingMs: scaledMs * 0.9 },
		});
		try {
			const result = await runNode({
				parameters: {
					operation: 'create',
					videoId: 'sim-video-5s',
					prompt: 'bench',
					waitForCompletion: 'poll',
					maxWait: minutes * 4,
					options: {
						pollInterval: input.firstPollSeconds * input.scale,
						maxPollInterval: input.maxPollSeconds * input.scale,
					},
				},
				items: Array.from({ length: input.tasks }, () => ({})),
				credentials: { klingApi: accessKeyCredentials(sim.url) },
			});
			if (result.error) throw result.error;
			checkAllSucceeded(result.items, input.tasks);
			const perTask: number[] = [];
			for (const item of result.items) {
				perTask.push(await sim.count(`${TASKS_PATH}/${String(item.json.task_id)}`, 'GET'));
			}
			const creates = (await sim.count(TASKS_PATH, 'POST')) / input.tasks;
			const poll = countsOf(perTask);
			const callback = await callbackGets(input, sim, minutes);
			rows.push({
				minutes,
				pollGetsMean: poll.mean,
				pollGetsMin: poll.min,
				pollGetsMax: poll.max,
				creates,
				pollGetsComputed: adaptivePolls(
					durationMs,
					input.firstPollSeconds * 1000,
					input.maxPollSeconds * 1000,
				),
				fixed1s: fixedPolls(durationMs, 1000),
				fixed3s: fixedPolls(durationMs, 3000),
				callbackGetsMean: callback.mean,
				callbackGetsMin: callback.min,
				callbackGetsMax: callback.max,
			});
		} finally {
			await sim.stop();
		}
	}
	return { scale: input.scale, tasks: input.tasks, rows };
}
