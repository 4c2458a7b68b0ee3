import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/**
 * What a tool answers the model for one task: the task id, its status (and why it failed), the
 * video's id, URL and duration, the external task id. Read from Kling's task as Simplify gives it
 * or as Kling sends it. Items that are not tasks (resource packs, say) pass through as they are.
 * Never binary data: an agent cannot use video bytes.
 */

function first(...values: unknown[]): unknown {
	return values.find((value) => value !== undefined && value !== null && value !== '');
}

function isTask(json: IDataObject): boolean {
	return first(json.taskId, json.task_id) !== undefined;
}

export function compactTask(json: IDataObject, waitMode?: string): IDataObject {
	const result = (json.task_result ?? {}) as { videos?: IDataObject[] };
	const video = result.videos?.[0] ?? {};
	const info = (json.task_info ?? {}) as IDataObject;
	const compact: IDataObject = {
		taskId: first(json.taskId, json.task_id),
		status: first(json.status, json.task_status),
		statusMessage: first(json.statusMessage, json.task_status_msg),
		videoId: first(json.videoId, video.id),
		videoUrl: first(json.url, json.videoUrl, video.url),
		duration: first(json.duration, video.duration),
		externalTaskId: first(json.externalTaskId, info.external_task_id),
		waitMode,
	} as IDataObject;
	for (const key of Object.keys(compact)) {
		if (compact[key] === undefined || compact[key] === null || compact[key] === '') {
			delete compact[key];
		}
	}
	if (typeof compact.duration === 'string' && /^\d+(\.\d+)?$/.test(compact.duration)) {
		compact.duration = Number(compact.duration);
	}
	return compact;
}

export function compactToolItem(item: INodeExecutionData, waitMode?: string): INodeExecutionData {
	const json = isTask(item.json) ? compactTask(item.json, waitMode) : { ...item.json };
	if (item.json.error !== undefined) json.error = item.json.error;
	return { json, pairedItem: item.pairedItem ?? { item: 0 } };
}
