import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	MAX_BODY_BYTES,
	acknowledge,
	parseCallback,
	rawBodyOf,
	refuse,
	signatureVerdict,
} from '../../shared/callbackRequest';
import { downloadResult, isFinished, taskView } from '../../shared/taskResult';
import type { KlingItemContext } from './itemContext';
import { requestSender } from './itemContext';
import { asNodeError, klingCodeOf } from './transport';
import { TASKS_PATH, getTask, waitSettings } from './waiting';

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

/** Refuses what would break the rebuild of the tasks' ids from the URL. */
export function checkCallbackMode(ctx: KlingItemContext): void {
	const fields = ctx.getNodeParameter('additionalFields', {}) as IDataObject;
	for (const [field, label] of [
		['callbackUrl', 'Callback URL'],
		['externalTaskId', 'External Task ID'],
	]) {
		if (field in fields) {
			throw new NodeOperationError(
				ctx.getNode(),
				`${label} cannot be set when Wait for Completion is "Callback"`,
				{
					itemIndex: ctx.getItemIndex(),
					description:
						'With Callback the node gives Kling this execution’s resume URL and names the tasks itself, so it can find them when Kling calls back. Remove the field, or choose Poll.',
				},
			);
		}
	}
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

interface TaskOfItem {
	ctx: KlingItemContext;
	item: INodeExecutionData | undefined;
}

const TASKS_REQUEST = { options: { method: 'GET' as const, url: TASKS_PATH } };
/** Tasks read at once when a callback checks whether the whole run has finished. */
const READ_WAVE = 8;

/**
 * Reads the run's tasks a wave at a time and stops at the first wave with an unfinished task,
 * so that each of N callbacks does not read all N tasks while most are still running.
 */
async function readUntilUnfinished(
	readTask: (itemIndex: number) => Promise<TaskOfItem>,
	itemCount: number,
	knownIndex: number,
	known: TaskOfItem,
): Promise<TaskOfItem[] | undefined> {
	const tasks: TaskOfItem[] = [];
	for (let first = 0; first < itemCount; first += READ_WAVE) {
		const indexes = Array.from(
			{ length: Math.min(READ_WAVE, itemCount - first) },
			(_, offset) => first + offset,
		);
		const wave = await Promise.all(
			indexes.map(async (itemIndex) =>
				itemIndex === knownIndex ? known : await readTask(itemIndex),
			),
		);
		if (wave.some(({ item }) => item !== undefined && !isFinished(taskView(item).status))) {
			return undefined;
		}
		tasks.push(...wave);
	}
	return tasks;
}

/** The webhook of the waiting execution: answers Kling, and resumes once every task is done. */
export async function receiveCallback(hook: IWebhookFunctions): Promise<IWebhookResponseData> {
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
	const posted = parsed.task.task_info?.external_task_id;
	if (typeof posted !== 'string' || !externalIds.includes(posted)) {
		return refuse(hook, 404, 'the task is not one this execution waits for');
	}

	// Only a task that says it has finished can end the wait; the others are acknowledged as is.
	if (!isFinished(String(parsed.task.task_status))) {
		acknowledge(hook);
		return { noWebhookResponse: true };
	}
	// Kling's own copy decides, not the body: a forged "succeed" cannot end the wait.
	const send = requestSender(hook);
	const readTask = async (itemIndex: number): Promise<TaskOfItem> => {
		const ctx = send.forItem(itemIndex);
		try {
			const [item] = await getTask(ctx, TASKS_REQUEST, externalIds[itemIndex]);
			return { ctx, item };
		} catch (error) {
			// An item whose create failed (Continue On Fail) has no task at Kling.
			if (klingCodeOf(error) === 1203) return { ctx, item: undefined };
			throw asNodeError(ctx, error);
		}
	};
	const postedIndex = externalIds.indexOf(posted);
	const postedTask = await readTask(postedIndex);
	if (!postedTask.item) return refuse(hook, 404, 'Kling does not know this task');
	if (!isFinished(taskView(postedTask.item).status)) {
		acknowledge(hook);
		return { noWebhookResponse: true };
	}
	const tasks = await readUntilUnfinished(readTask, externalIds.length, postedIndex, postedTask);
	if (!tasks) {
		acknowledge(hook);
		return { noWebhookResponse: true };
	}

	acknowledge(hook);
	const download = Boolean(hook.getNodeParameter('downloadVideo', false));
	const options = hook.getNodeParameter('options', {}) as IDataObject;
	const items = await Promise.all(
		tasks.map(async ({ ctx, item }, itemIndex) => {
			if (!item) {
				return {
					json: { error: 'The task of this item was not created' },
					pairedItem: { item: itemIndex },
				};
			}
			return download
				? await downloadResult(ctx, item, Boolean(options.watermarked), itemIndex)
				: item;
		}),
	);
	return { workflowData: [items], noWebhookResponse: true };
}
