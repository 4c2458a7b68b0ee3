import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { SimplifiedTask } from '../kling/task';

/**
 * What a tool answers the model for one task. The tool view forces Simplify, so a task arrives as
 * the package's one simplified item (`simplifyTask` in kling/task.ts, built by tasks/taskItems.ts
 * for both API generations); the tool keeps the fields an agent acts on. Items that are not tasks
 * (resource packs, say) pass through as they are. Never binary data: an agent cannot use video
 * bytes.
 */

/** The simplified task's fields a model gets: what it can act on, nothing about timing. */
export const TOOL_TASK_FIELDS = [
	'taskId',
	'status',
	'statusMessage',
	'videoId',
	'url',
	'duration',
	'externalTaskId',
	'elementId',
	'elementName',
	'voiceId',
	'voiceName',
] as const satisfies ReadonlyArray<keyof SimplifiedTask>;

function isSimplifiedTask(json: IDataObject): boolean {
	return typeof json.taskId === 'string' && json.taskId !== '' && 'status' in json;
}

/** The fields of TOOL_TASK_FIELDS that hold something, and `waitMode` when given. */
export function compactTask(json: IDataObject, waitMode?: string): IDataObject {
	const compact: IDataObject = {};
	for (const field of TOOL_TASK_FIELDS) {
		const value = json[field];
		if (value !== undefined && value !== null && value !== '') compact[field] = value;
	}
	if (waitMode) compact.waitMode = waitMode;
	return compact;
}

export function compactToolItem(item: INodeExecutionData, waitMode?: string): INodeExecutionData {
	const json = isSimplifiedTask(item.json) ? compactTask(item.json, waitMode) : { ...item.json };
	if (item.json.error !== undefined) json.error = item.json.error;
	return { json, pairedItem: item.pairedItem ?? { item: 0 } };
}
