import type { IDataObject } from 'n8n-workflow';

export type KlingTaskStatus = 'submitted' | 'processing' | 'succeed' | 'failed';

export const TASK_STATUSES: KlingTaskStatus[] = ['submitted', 'processing', 'succeed', 'failed'];

/**
 * Kling's newer API generation spells the final status `succeeded`; wherever the package reads
 * a status, that counts as `succeed`. Kling's own task, as passed on, keeps its spelling.
 */
export function normalizeStatus(status: unknown): string {
	const text = String(status ?? '');
	return text === 'succeeded' ? 'succeed' : text;
}

export interface KlingVideo {
	id?: string;
	url?: string;
	watermark_url?: string;
	duration?: string;
}

/** A task as Kling's GET, list and callback bodies carry it (Kling's docs, "Video Extension"). */
export interface KlingTask {
	task_id: string;
	task_status: KlingTaskStatus;
	task_status_msg?: string;
	task_info?: {
		parent_video?: KlingVideo;
		external_task_id?: string;
	};
	task_result?: { videos?: KlingVideo[] };
	watermark_info?: { enabled?: boolean };
	final_unit_deduction?: string;
	created_at?: number;
	updated_at?: number;
}

function toNumber(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	const parsed = Number(value);
	return Number.isFinite(parsed) ? parsed : null;
}

function toIsoTime(milliseconds: unknown): string | null {
	const parsed = toNumber(milliseconds);
	return parsed === null ? null : new Date(parsed).toISOString();
}

export function isKlingTask(value: unknown): value is KlingTask {
	return (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		typeof (value as IDataObject).task_id === 'string'
	);
}

/** The flat item that "Simplify" gives, the same in the action node and the trigger. */
export function simplifyTask(task: KlingTask): IDataObject {
	const result = task.task_result?.videos?.[0];
	const parent = task.task_info?.parent_video;
	return {
		taskId: task.task_id,
		status: normalizeStatus(task.task_status),
		statusMessage: task.task_status_msg ?? '',
		externalTaskId: task.task_info?.external_task_id ?? '',
		parentVideoId: parent?.id ?? null,
		parentDuration: toNumber(parent?.duration),
		videoId: result?.id ?? null,
		url: result?.url ?? null,
		watermarkUrl: result?.watermark_url || null,
		duration: toNumber(result?.duration),
		createdAt: toIsoTime(task.created_at),
		updatedAt: toIsoTime(task.updated_at),
	};
}
