import type { IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import type { ProductId } from '../kling/products';
import { readKlingTask } from '../kling/task';
import { createTask } from '../tasks/createTask';
import { taskItem, taskItemWithVideo } from '../tasks/taskItems';
import { taskSourceOf } from '../tasks/taskReads';
import type { KlingItemContext } from '../transport/itemContext';
import { checkSucceeded, waitSettings, waitUntilFinished } from './polling';

export type CreateSend = (
	this: KlingItemContext,
	request: IHttpRequestOptions,
) => Promise<INodeExecutionData[]>;

/**
 * The send of a product's create: creates the task, then waits for its result as the user chose;
 * the operation's output.
 */
export function sendCreateTask(product: ProductId): CreateSend {
	return async function (this: KlingItemContext, request: IHttpRequestOptions) {
		const created = await createTask(this, request);
		if (this.getNodeParameter('waitForCompletion', 'no') !== 'poll') {
			return [taskItem(this, created, this.getItemIndex())];
		}
		const source = taskSourceOf(request.url);
		const finished = await waitUntilFinished(this, source, created, waitSettings(this));
		checkSucceeded(this, finished, product);
		return [await taskItemWithVideo(this, finished)];
	};
}

/**
 * After a wait, for callers that hold the finished task as an item: stops at a failed task
 * (unless asked not to), downloads the video when asked, and builds the output item.
 */
export async function finishWaiting(
	ctx: KlingItemContext,
	items: INodeExecutionData[],
	product: ProductId,
): Promise<INodeExecutionData[]> {
	const task = readKlingTask(items[0].json);
	if (!task) return items;
	checkSucceeded(ctx, task, product);
	return [await taskItemWithVideo(ctx, task)];
}
