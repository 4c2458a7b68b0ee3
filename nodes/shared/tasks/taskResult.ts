import type { IBinaryData, IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';
import { ApplicationError, NodeOperationError } from 'n8n-workflow';

import { readKlingTask, type KlingTask } from '../kling/task';

/**
 * Reads the item of Kling's own task (of either generation) into the task model, for callers
 * that hold the items of createTaskOnce and pollUntilFinished.
 */
export function taskView(item: INodeExecutionData): KlingTask & { duration: number } {
	const task = readKlingTask(item.json);
	if (!task) throw new ApplicationError('The item holds no Kling task');
	return { ...task, duration: task.duration ?? NaN };
}

/**
 * Streams the result video into n8n's binary store (prepareBinaryData takes the stream, so the
 * file is never held whole in memory when n8n keeps binary data on disk).
 */
export interface DownloadContext {
	getNode: IExecuteSingleFunctions['getNode'];
	helpers: Pick<IExecuteSingleFunctions['helpers'], 'httpRequest' | 'prepareBinaryData'>;
}

/** The video of a succeeded task as binary data; undefined for a task that has not succeeded. */
export async function downloadVideo(
	ctx: DownloadContext,
	task: KlingTask,
	watermarked: boolean,
	itemIndex?: number,
): Promise<IBinaryData | undefined> {
	if (task.status !== 'succeeded') return undefined;
	const url = watermarked ? task.watermarkUrl : task.url;
	if (!url) {
		throw new NodeOperationError(
			ctx.getNode(),
			watermarked
				? 'The task has no watermarked video: create it with Watermark turned on'
				: 'The task has no result video to download',
			{ itemIndex },
		);
	}
	const response = (await ctx.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
	})) as { body: Parameters<DownloadContext['helpers']['prepareBinaryData']>[0] };
	const fileName = `${task.videoId ?? task.taskId}${watermarked ? '-watermarked' : ''}.mp4`;
	return await ctx.helpers.prepareBinaryData(response.body, fileName, 'video/mp4');
}
