import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { KlingItemContext } from '../transport/itemContext';
import { downloadResult } from './taskResult';
import { sendWithRetries, transportSettings } from '../transport/transport';
import {
	MAX_LISTABLE_TASKS,
	PAGE_NUM_MAX,
	PAGE_SIZE_MAX,
	checkNumberInRange,
	requireText,
} from '../checks/validation';

/**
 * Get Task and Get Many of both action nodes. Their requests start as `GET <tasks path>` of the
 * task kind; these functions complete and send them.
 */

/** Reads the task, and downloads its video when asked and the task has succeeded. */
export async function sendGetTask(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const items = await sendWithRetries(this, request);
	if (!this.getNodeParameter('downloadVideo', false)) return items;
	const options = this.getNodeParameter('options', {}) as IDataObject;
	return await Promise.all(
		items.map(
			async (item) =>
				await downloadResult(this, item, Boolean(options.watermarked), this.getItemIndex()),
		),
	);
}

/**
 * Adds the id to the tasks path after checking it, so an id such as `../x` or `a?b` stays one
 * path segment and an empty id is refused by name instead of listing tasks by accident.
 */
export async function buildGetTaskPath(
	this: KlingItemContext,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const lookupBy = this.getNodeParameter('lookupBy', 'taskId') as string;
	const label = lookupBy === 'externalTaskId' ? 'External Task ID' : 'Task ID';
	const id = requireText(
		this,
		label,
		this.getNodeParameter(lookupBy, ''),
		lookupBy === 'externalTaskId'
			? 'Give the External Task ID that was sent when the task was created.'
			: 'Give the task_id that Kling returned when the task was created.',
	);
	// `.` and `..` survive any encoding and are removed by URL normalisation (even as %2E),
	// so they would address another resource: no Kling id looks like that.
	if (id === '.' || id === '..') {
		throw new NodeOperationError(this.getNode(), `${label} cannot be "${id}"`, {
			itemIndex: this.getItemIndex(),
			description: 'Kling ids are made of letters, digits and the like.',
		});
	}
	requestOptions.url = `${requestOptions.url}/${encodeURIComponent(id)}`;
	return requestOptions;
}

export async function validateListInput(
	this: KlingItemContext,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (!this.getNodeParameter('returnAll', false)) {
		checkNumberInRange(this, 'Limit', this.getNodeParameter('limit', 50), 1, MAX_LISTABLE_TASKS, {
			integer: true,
		});
	}
	return requestOptions;
}

function taskIdOf(item: INodeExecutionData): unknown {
	const json = item.json as IDataObject;
	return json.task_id ?? json.taskId;
}

/**
 * Kling pages by number (pageNum 1..1000, pageSize 1..500) and gives no total, so pages are
 * read until a short one. This function asks for the pages a few at a time (the transport
 * bounds how many), and keeps them in order. A task created while paging shifts the
 * newest-first list by one, so tasks already seen on an earlier page are not emitted twice.
 */
export async function paginateTasks(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', false) as boolean;
	const wanted = returnAll ? MAX_LISTABLE_TASKS : (this.getNodeParameter('limit', 50) as number);
	const pageSize = Math.min(PAGE_SIZE_MAX, wanted);
	const lastPage = Math.min(PAGE_NUM_MAX, Math.ceil(wanted / pageSize));
	const { concurrency } = transportSettings(this);
	const seen = new Set<unknown>();
	const results: INodeExecutionData[] = [];

	let nextPage = 1;
	let finished = false;
	while (!finished && nextPage <= lastPage) {
		const wave: number[] = [];
		while (wave.length < Math.max(1, concurrency) && nextPage <= lastPage) wave.push(nextPage++);
		const pages = await Promise.all(
			wave.map(
				async (pageNum) =>
					await sendWithRetries(this, { ...request, qs: { ...request.qs, pageNum, pageSize } }),
			),
		);
		for (const page of pages) {
			for (const item of page) {
				const id = taskIdOf(item);
				if (id !== undefined && seen.has(id)) continue;
				seen.add(id);
				results.push(item);
			}
			if (page.length < pageSize) {
				finished = true;
				break;
			}
		}
	}
	return results.slice(0, wanted);
}
