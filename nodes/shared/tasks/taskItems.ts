import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { simplifyTask, type KlingTask } from '../kling/task';
import type { KlingItemContext } from '../transport/itemContext';
import { downloadVideo } from './taskResult';

/**
 * The one place where a task becomes an output item: Kling's own object as Kling sent it, or,
 * with Simplify on, the flat item of `simplifyTask` (the same for both generations).
 */
export function taskItem(
	ctx: Pick<KlingItemContext, 'getNodeParameter'>,
	task: KlingTask,
	itemIndex: number,
	binary?: IBinaryData,
): INodeExecutionData {
	const json: IDataObject = ctx.getNodeParameter('simplify', false) ? simplifyTask(task) : task.raw;
	return { json, pairedItem: { item: itemIndex }, ...(binary ? { binary: { data: binary } } : {}) };
}

/** The item of a task, with its video when Download Video is on and the task has succeeded. */
export async function taskItemWithVideo(
	ctx: KlingItemContext,
	task: KlingTask,
	itemIndex = ctx.getItemIndex(),
): Promise<INodeExecutionData> {
	if (!ctx.getNodeParameter('downloadVideo', false)) return taskItem(ctx, task, itemIndex);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const binary = await downloadVideo(ctx, task, Boolean(options.watermarked), itemIndex);
	return taskItem(ctx, task, itemIndex, binary);
}
