import { DEFAULT_ACCOUNT } from '../../simulator';
import type { SimulatedTask } from '../../simulator';
import { loadExamples, nodeOfType } from './examples';
import type { Workflow } from './examples';

/** Helpers the end-to-end and queue-mode suites share. */

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asks `probe` every `intervalMs` until it gives a value; throws after `timeoutMs`. */
export async function waitFor<T>(
	probe: () => Promise<T | undefined>,
	timeoutMs: number,
	intervalMs = 500,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s`);
		await delay(intervalMs);
	}
}

/** Runs `work` on every entry, at most `limit` at a time; results in input order. */
export async function mapConcurrent<T, R>(
	entries: T[],
	limit: number,
	work: (entry: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(entries.length);
	let next = 0;
	const lane = async () => {
		while (next < entries.length) {
			const index = next++;
			results[index] = await work(entries[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, entries.length) }, lane));
	return results;
}

/** The name of a workflow's trigger node (what "Execute workflow" starts from). */
export function triggerNameOf(workflow: Workflow): string {
	const trigger = workflow.nodes.find((node) => /Trigger$|trigger$/.test(node.type));
	if (!trigger) throw new Error(`workflow ${workflow.name} has no trigger`);
	return trigger.name;
}

/** All tasks of the simulator's default account, through its Kling API (API key as bearer token). */
export async function listSimulatorTasks(simulatorUrl: string): Promise<SimulatedTask[]> {
	const tasks: SimulatedTask[] = [];
	for (let pageNum = 1; ; pageNum++) {
		const response = await fetch(
			`${simulatorUrl}/v1/videos/video-extend?pageNum=${pageNum}&pageSize=500`,
			{ headers: { authorization: `Bearer ${DEFAULT_ACCOUNT.apiKey}` } },
		);
		const page = ((await response.json()) as { data: SimulatedTask[] }).data;
		tasks.push(...page);
		if (page.length < 500) return tasks;
	}
}

function example(id: string): Workflow {
	const found = loadExamples().find(({ workflow }) => workflow.id === id);
	if (!found) throw new Error(`examples/ has no ${id} workflow`);
	return JSON.parse(JSON.stringify(found.workflow)) as Workflow;
}

/**
 * Example 4 with a task that the simulator moves only when told (to restart n8n meanwhile, or
 * to let Max Wait pass).
 */
export function heldWaitWorkflow(id: string, name: string, maxWait?: number): Workflow {
	const workflow = example('klingExtendAndWait');
	const extend = nodeOfType(workflow, 'n8n-nodes-kling.klingVideoExtend');
	extend.parameters = { ...extend.parameters, prompt: 'simulate-held' };
	if (maxWait !== undefined) extend.parameters.maxWait = maxWait;
	return { ...workflow, id, name };
}

/** A workflow with only example 2's Kling Trigger (same settings, its own webhook), for bursts. */
export function triggerOnlyWorkflow(id: string, name: string, webhookId: string): Workflow {
	const trigger = nodeOfType(example('klingVideoResult'), 'n8n-nodes-kling.klingTrigger');
	return {
		id,
		name,
		active: false,
		nodes: [{ ...trigger, webhookId }],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}
