import type { IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { KlingTask } from '../shared/kling/task';
import type { ProductId } from '../shared/kling/products';
import { PRODUCTS } from '../shared/kling/products';
import { readCurrentTasks, readLegacyTask } from '../shared/tasks/taskReads';
import type { KlingItemContext } from '../shared/transport/itemContext';
import { requestSender } from '../shared/transport/itemContext';
import { klingCodeOf } from '../shared/transport/klingResponse';

/**
 * How the trigger reads a task from Kling: through the same client as the action nodes (the
 * transport's retries, Kling's errors), with settings that keep Kling's callback waiting a few
 * seconds at most. A callback that is ahead of Kling's API gets one more read after
 * catchUpDelayMs. (An object, so that tests can shorten the waits.)
 */
export const LOOKUP_TIMING = {
	attempts: 3,
	firstRetryDelayMs: 1000,
	catchUpDelayMs: 1000,
	timeoutMs: 10_000,
};

/** The trigger's Kling client, with `attempts` tries per request (LOOKUP_TIMING's by default). */
export function lookupClient(hook: IWebhookFunctions, attempts = LOOKUP_TIMING.attempts) {
	return requestSender(hook, {
		maxRetries: Math.max(0, attempts - 1),
		retryDelayMs: LOOKUP_TIMING.firstRetryDelayMs,
		timeoutMs: LOOKUP_TIMING.timeoutMs,
	}).forItem(0);
}

/**
 * Kling's copy of the task a callback is about, and the kind the package names it by:
 * - a current-generation task is read at `GET /tasks?task_ids=` (its object names no kind:
 *   `video`);
 * - a legacy one at the legacy endpoint of each product in turn, the one its body suggests first.
 * Undefined when Kling does not know the task.
 */
export async function findTaskAtKling(
	ctx: KlingItemContext,
	posted: KlingTask,
	order: ProductId[],
): Promise<{ task: KlingTask; kind: string } | undefined> {
	try {
		if (posted.generation === 'current') {
			const task = (await readCurrentTasks(ctx, 'taskId', [posted.taskId])).get(posted.taskId);
			return task ? { task, kind: 'video' } : undefined;
		}
		for (const kind of order) {
			const task = await readLegacyTask(ctx, PRODUCTS[kind].legacyTasksPath, posted.taskId);
			// The legacy GET also finds tasks by external_task_id: only the same task_id counts.
			if (task?.taskId === posted.taskId) return { task, kind };
		}
		return undefined;
	} catch (error) {
		throw sanitize(ctx, error);
	}
}

/** Errors that name Kling's code pass; others say what failed, never carrying the request. */
function sanitize(ctx: KlingItemContext, error: unknown): Error {
	if (error instanceof NodeApiError && klingCodeOf(error) !== undefined) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `Could not read the task from Kling: ${message}`, {
		description:
			'The callback was not passed on, because Confirm With Kling (or Download Video on an unverified callback) needs Kling’s own copy of the task. Check the base URL of the Kling API credential.',
	});
}

const STATUS_RANK: Record<string, number> = {
	submitted: 0,
	processing: 1,
	succeeded: 2,
	failed: 2,
};

/** Whether Kling's copy of the task is older than the callback that announced it. */
export function isBehind(fromKling: KlingTask, posted: KlingTask): boolean {
	const klingRank = STATUS_RANK[fromKling.status] ?? 0;
	const postedRank = STATUS_RANK[posted.status] ?? 0;
	if (klingRank !== postedRank) return klingRank < postedRank;
	const klingTime = fromKling.updatedAt;
	const postedTime = posted.updatedAt;
	return klingTime !== null && postedTime !== null && klingTime < postedTime;
}
