import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { KlingItemContext } from '../transport/itemContext';
import { TASK_KINDS, taskKindOfPath } from '../kling/taskKinds';
import { isFinished, taskView } from '../tasks/taskResult';
import { sendWithRetries } from '../transport/transport';

export interface WaitSettings {
	maxWaitMs: number;
	firstPollMs: number;
	maxPollMs: number;
}

export function waitSettings(ctx: KlingItemContext): WaitSettings {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		maxWaitMs: Number(ctx.getNodeParameter('maxWait', 15)) * 60_000,
		firstPollMs: Number(options.pollInterval ?? 3) * 1000,
		maxPollMs: Number(options.maxPollInterval ?? 30) * 1000,
	};
}

/**
 * The n-th wait between polls: doubling from the first interval up to the cap, with ±10%
 * jitter so that many waiting items do not poll in step. With the defaults (3 s doubling to
 * 30 s) a 4-minute task is read at most 12 times.
 */
export function pollDelayMs(poll: number, settings: WaitSettings): number {
	const base = Math.min(settings.maxPollMs, settings.firstPollMs * 2 ** poll);
	return base * (0.9 + Math.random() * 0.2);
}

/** Reads one task by its task_id or external_task_id from the endpoint of its kind. */
export async function getTask(
	ctx: KlingItemContext,
	tasksPath: string,
	id: string,
): Promise<INodeExecutionData[]> {
	return await sendWithRetries(ctx, {
		method: 'GET',
		url: `${tasksPath}/${encodeURIComponent(id)}`,
	});
}

/** Polls a task until it succeeds or fails; past maxWait it stops with a clear error. */
export async function pollUntilFinished(
	ctx: KlingItemContext,
	tasksPath: string,
	taskId: string,
	settings: WaitSettings,
): Promise<INodeExecutionData[]> {
	const deadline = Date.now() + settings.maxWaitMs;
	let lastStatus = 'submitted';
	for (let poll = 0; ; poll++) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) break;
		await sleep(Math.min(pollDelayMs(poll, settings), remaining));
		const items = await getTask(ctx, tasksPath, taskId);
		lastStatus = taskView(items[0]).status;
		if (isFinished(lastStatus)) return items;
	}
	const minutes = Math.round((settings.maxWaitMs / 60_000) * 100) / 100;
	throw new NodeOperationError(
		ctx.getNode(),
		`Task ${taskId} is still "${lastStatus}" after the Max Wait of ${minutes} minutes`,
		{
			itemIndex: ctx.getItemIndex(),
			description:
				'The task goes on at Kling and is not lost: read it later with Get Task, or raise Max Wait.',
		},
	);
}

/** Stops at a failed task unless the user asked to have failed tasks as output. */
export function checkTaskSucceeded(
	ctx: KlingItemContext,
	items: INodeExecutionData[],
	tasksPath: string,
) {
	const view = taskView(items[0]);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	if (view.status === 'failed' && !options.outputFailedTasks) {
		const failure = TASK_KINDS[taskKindOfPath(tasksPath) ?? 'videoExtend'].failure;
		throw new NodeOperationError(
			ctx.getNode(),
			`${failure}: ${view.statusMessage || 'the task failed without a reason'}`,
			{
				itemIndex: ctx.getItemIndex(),
				description: `Task ${view.taskId} ended "failed". Turn on "Output Failed Tasks" to pass failed tasks on instead of stopping.`,
			},
		);
	}
}
