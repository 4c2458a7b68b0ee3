import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import {
	MAX_BODY_BYTES,
	acknowledge,
	parseCallback,
	rawBodyOf,
	refuse,
	signatureVerdict,
} from '../callbacks/callbackRequest';
import { isFinished, type KlingTask } from '../kling/task';
import { MAX_TASK_IDS } from '../kling/products';
import { taskItemWithVideo } from '../tasks/taskItems';
import { readCurrentTasks, readLegacyTask } from '../tasks/taskReads';
import { requestSender } from '../transport/itemContext';
import { asNodeError } from '../transport/transport';
import { waitSettings } from './polling';
import type { WaitingRun } from './waitingRuns';
import { waitingRun } from './waitingRuns';

/**
 * Wait for Completion = Callback. The tasks are created with this execution's resume URL as
 * their callback URL, and the execution waits (n8n stores it; a restart of n8n does not lose
 * it). Each callback is checked, then every task of the run is read from Kling: the execution
 * goes on once all of them have finished. The resume URL carries the prefix of the tasks'
 * external ids and the item count, from which the ids are rebuilt.
 */
export const TASKS_QUERY = 'kling_tasks';
export const ITEMS_QUERY = 'kling_items';

export function callbackUrlFor(resumeUrl: string, idPrefix: string, itemCount: number): string {
	const url = new URL(resumeUrl);
	url.searchParams.set(TASKS_QUERY, idPrefix);
	url.searchParams.set(ITEMS_QUERY, String(itemCount));
	return url.toString();
}

/**
 * Puts the execution to wait until Max Wait. If no callback completes the run by then, n8n
 * resumes the execution itself and passes on what is stored as this node's input: the tasks as
 * they were submitted, marked `waitTimedOut`, so the workflow can tell and read them later.
 */
export async function waitForCallbacks(
	run: IExecuteFunctions,
	submitted: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const { maxWaitMs } = waitSettings(requestSender(run).forItem(0));
	const timedOut = submitted.map((item) => ({
		...item,
		json: { ...item.json, waitTimedOut: true },
	}));
	run.getExecuteData().data = { main: [timedOut] };
	await run.putExecutionToWait(new Date(Date.now() + maxWaitMs));
	return [submitted];
}

function runOf(hook: IWebhookFunctions): { idPrefix: string; itemCount: number } | undefined {
	const query = hook.getQueryData() as IDataObject;
	const idPrefix = query[TASKS_QUERY];
	const itemCount = Number(query[ITEMS_QUERY]);
	if (typeof idPrefix !== 'string' || !/^n8n-[\w.-]+-[0-9a-f]{8}$/.test(idPrefix)) return undefined;
	if (!Number.isInteger(itemCount) || itemCount < 1 || itemCount > 100_000) return undefined;
	return { idPrefix, itemCount };
}

/** The most requests sent at once when a callback checks whether the whole run has finished. */
const MAX_READ_WAVE = 8;

/**
 * Tasks of the run as Kling has them, by item index: undefined while unfinished, null when it
 * was never made (its create failed).
 */
type ReadTasks = (itemIndexes: number[]) => Promise<Array<KlingTask | null | undefined>>;

/**
 * Completes the run's memory of finished tasks from Kling and tells whether all have finished.
 * Tasks made together tend to finish in the order they were made, so reading starts after the
 * task that just finished (the next one is likely still running: one read), and waves grow 1,
 * 2, 4, 8 requests while tasks keep turning out finished; a request reads `idsPerRequest`
 * tasks (20 on the current generation's `/tasks`, 1 on a legacy endpoint). Tasks known
 * finished are not read again.
 */
async function allFinished(
	run: WaitingRun,
	readTasks: ReadTasks,
	itemCount: number,
	postedIndex: number,
	idsPerRequest: number,
): Promise<boolean> {
	const order = Array.from(
		{ length: itemCount - 1 },
		(_, offset) => (postedIndex + 1 + offset) % itemCount,
	).filter((itemIndex) => !run.finished.has(itemIndex));
	for (
		let next = 0, wave = 1;
		next < order.length;
		next += wave * idsPerRequest, wave = Math.min(wave * 2, MAX_READ_WAVE)
	) {
		const indexes = order.slice(next, next + wave * idsPerRequest);
		const tasks = await readTasks(indexes);
		tasks.forEach((task, offset) => {
			if (task !== undefined) run.finished.set(indexes[offset], task);
		});
		if (tasks.includes(undefined)) return false;
	}
	return true;
}

/**
 * The webhook of the waiting execution: answers Kling, and resumes once every task is done.
 * A callback of the current generation's shape is read back at `/tasks` (the run's tasks by
 * their external ids, 20 a request); a legacy one at `legacyTasksPath`, the endpoint of the
 * kind of task the node created.
 */
export async function receiveCallback(
	hook: IWebhookFunctions,
	legacyTasksPath: string,
): Promise<IWebhookResponseData> {
	const rawBody = rawBodyOf(hook);
	if (rawBody === undefined) return refuse(hook, 400, 'the body is not JSON');
	if (rawBody.length > MAX_BODY_BYTES) return refuse(hook, 413, 'the body is larger than 1 MB');
	const verdict = signatureVerdict(hook, await hook.getCredentials('klingApi'), rawBody);
	if (verdict && !verdict.valid) return refuse(hook, 401, verdict.reason);
	const parsed = parseCallback(rawBody);
	if (!parsed.ok) return refuse(hook, 400, parsed.reason);
	const run = runOf(hook);
	if (!run) return refuse(hook, 400, 'the callback URL is not one this node made');

	const externalIds = Array.from(
		{ length: run.itemCount },
		(_, itemIndex) => `${run.idPrefix}-${itemIndex}`,
	);
	const postedIndex = externalIds.indexOf(parsed.task.externalTaskId);
	if (postedIndex < 0) return refuse(hook, 404, 'the task is not one this execution waits for');

	// Only a task that says it has finished can end the wait; the others are acknowledged as is.
	if (!isFinished(parsed.task)) {
		acknowledge(hook);
		return { noWebhookResponse: true };
	}
	// Kling's own copy decides, not the body: a forged "succeeded" cannot end the wait.
	const send = requestSender(hook);
	const current = parsed.task.generation === 'current';
	const finishedOrNot = (task: KlingTask | undefined) =>
		task === undefined ? null : isFinished(task) ? task : undefined;
	const readTasks: ReadTasks = async (indexes) => {
		const ctx = send.forItem(indexes[0]);
		try {
			if (current) {
				const ids = indexes.map((itemIndex) => externalIds[itemIndex]);
				const found = await readCurrentTasks(ctx, 'externalTaskId', ids);
				return ids.map((id) => finishedOrNot(found.get(id)));
			}
			return await Promise.all(
				indexes.map(async (itemIndex) =>
					finishedOrNot(
						await readLegacyTask(send.forItem(itemIndex), legacyTasksPath, externalIds[itemIndex]),
					),
				),
			);
		} catch (error) {
			throw asNodeError(ctx, error);
		}
	};
	const memory = waitingRun(run.idPrefix);
	const postedTask = memory.finished.has(postedIndex)
		? memory.finished.get(postedIndex)
		: (await readTasks([postedIndex]))[0];
	if (postedTask === null) return refuse(hook, 404, 'Kling does not know this task');
	// Kling is answered before the other tasks are read: it need not wait for them.
	acknowledge(hook);
	if (postedTask === undefined || memory.resumed) return { noWebhookResponse: true };
	memory.finished.set(postedIndex, postedTask);
	const idsPerRequest = current ? MAX_TASK_IDS : 1;
	if (!(await allFinished(memory, readTasks, run.itemCount, postedIndex, idsPerRequest))) {
		return { noWebhookResponse: true };
	}
	// Checked and set with no await between: of callbacks that arrive together, one resumes.
	if (memory.resumed) return { noWebhookResponse: true };
	memory.resumed = true;
	let handedOver = false;
	try {
		const items = await runOutput(send, memory, run.itemCount);
		handedOver = true;
		return { workflowData: [items], noWebhookResponse: true };
	} finally {
		// A failed download leaves the run to the next callback (or to Max Wait).
		if (!handedOver) memory.resumed = false;
	}
}

/** One item per input item, in order: the finished task, with its video when asked. */
async function runOutput(
	send: ReturnType<typeof requestSender>,
	memory: WaitingRun,
	itemCount: number,
): Promise<INodeExecutionData[]> {
	return await Promise.all(
		Array.from({ length: itemCount }, async (_, itemIndex) => {
			const task = memory.finished.get(itemIndex);
			if (!task) {
				return {
					json: { error: 'The task of this item was not created' },
					pairedItem: { item: itemIndex },
				};
			}
			return await taskItemWithVideo(send.forItem(itemIndex), task, itemIndex);
		}),
	);
}
