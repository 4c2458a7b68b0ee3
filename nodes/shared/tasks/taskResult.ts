import type {
	IBinaryData,
	IDataObject,
	IExecuteSingleFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { normalizeStatus } from '../kling/task';

/** Reads a task item whether Simplify has flattened it or not. */
export function taskView(item: INodeExecutionData) {
	const json = item.json as IDataObject & {
		task_result?: { videos?: IDataObject[] };
		task_info?: IDataObject & { parent_video?: IDataObject };
	};
	const video = json.task_result?.videos?.[0];
	return {
		taskId: String(json.task_id ?? json.taskId ?? ''),
		status: normalizeStatus(json.task_status ?? json.status),
		statusMessage: String(json.task_status_msg ?? json.statusMessage ?? ''),
		videoId: (video?.id ?? json.videoId ?? null) as string | null,
		url: (video?.url ?? json.url ?? null) as string | null,
		watermarkUrl: (video?.watermark_url || json.watermarkUrl || null) as string | null,
		duration: Number(video?.duration ?? json.duration ?? NaN),
	};
}

export function isFinished(status: string): boolean {
	const normalized = normalizeStatus(status);
	return normalized === 'succeed' || normalized === 'failed';
}

/**
 * Streams the result video into n8n's binary store (prepareBinaryData takes the stream, so the
 * file is never held whole in memory when n8n keeps binary data on disk).
 */
export interface DownloadContext {
	getNode: IExecuteSingleFunctions['getNode'];
	helpers: Pick<IExecuteSingleFunctions['helpers'], 'httpRequest' | 'prepareBinaryData'>;
}

export async function downloadResult(
	ctx: DownloadContext,
	item: INodeExecutionData,
	watermarked: boolean,
	itemIndex?: number,
): Promise<INodeExecutionData> {
	const view = taskView(item);
	if (view.status !== 'succeed') return item;
	const url = watermarked ? view.watermarkUrl : view.url;
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
	const fileName = `${view.videoId ?? view.taskId}${watermarked ? '-watermarked' : ''}.mp4`;
	const binary: IBinaryData = await ctx.helpers.prepareBinaryData(
		response.body,
		fileName,
		'video/mp4',
	);
	return { ...item, binary: { ...item.binary, data: binary } };
}
