import { API_KEY_CONSOLE_URL, refuseAccessKeys } from '../checks/apiKeyOnly';
import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { TASK_STATUSES, readKlingTask, type KlingTask } from '../kling/task';
import { CURRENT_TASKS_PATH, MAX_TASK_LIST_PAGE } from '../kling/products';
import type { KlingItemContext } from '../transport/itemContext';
import { requestKling, transportSettings } from '../transport/transport';
import {
	MAX_LISTABLE_TASKS,
	PAGE_NUM_MAX,
	PAGE_SIZE_MAX,
	checkNumberInRange,
	fail,
	requireText,
} from '../checks/validation';
import { taskItem, taskItemWithVideo } from './taskItems';
import type { LookupBy } from './taskReads';
import { CURRENT_SOURCE, noSuchTask, readTask } from './taskReads';

/**
 * Get Task and Get Many of both action nodes. Kling Video reads the current generation's
 * `/tasks` (Kling's docs, "Query Task" and "Query Task List"); Kling Video Extend reads its
 * legacy endpoint, `GET /v1/videos/video-extend[/<id>]`.
 */

export const API_KEY_ONLY = `Kling's current API takes API keys only: create one in Kling's console at ${API_KEY_CONSOLE_URL}`;

/**
 * Refuses an access key + secret key credential before anything is sent: Kling answers such a
 * request on its current endpoints with 401/1002 and a message that does not say what to do.
 */
export async function requireApiKey(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	await refuseAccessKeys(this, API_KEY_ONLY);
	return request;
}

function lookupOf(ctx: KlingItemContext): { by: LookupBy; id: string; label: string } {
	const by =
		ctx.getNodeParameter('lookupBy', 'taskId') === 'externalTaskId' ? 'externalTaskId' : 'taskId';
	const label = by === 'externalTaskId' ? 'External Task ID' : 'Task ID';
	const id = requireText(
		ctx,
		label,
		ctx.getNodeParameter(by, ''),
		by === 'externalTaskId'
			? 'Give the External Task ID that was sent when the task was created.'
			: 'Give the task id that Kling returned when the task was created.',
	);
	return { by, id, label };
}

/**
 * Legacy Get Task: adds the id to the tasks path after checking it, so an id such as `../x` or
 * `a?b` stays one path segment and an empty id is refused by name instead of listing tasks.
 */
export async function buildGetTaskPath(
	this: KlingItemContext,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { id, label } = lookupOf(this);
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

/** Current Get Task: the id goes in the query of `GET /tasks` (a comma would make it two). */
export async function buildTaskQuery(
	this: KlingItemContext,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { by, id, label } = lookupOf(this);
	if (id.includes(',')) {
		fail(this, `${label} cannot contain a comma`, 'Give one id per item.');
	}
	requestOptions.qs = { [by === 'taskId' ? 'task_ids' : 'external_task_ids']: id };
	return requestOptions;
}

/**
 * Reads the task, and downloads its video when asked and the task has succeeded. On the
 * current generation the reads of all items of the run go together, 20 ids a request.
 */
export async function sendGetTask(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	if (request.url === CURRENT_TASKS_PATH) {
		const qs = (request.qs ?? {}) as IDataObject;
		const by: LookupBy = qs.task_ids === undefined ? 'externalTaskId' : 'taskId';
		const id = String(qs.task_ids ?? qs.external_task_ids);
		const task = await readTask(this, CURRENT_SOURCE, by, id);
		if (!task) throw noSuchTask(this, id, by);
		return [await taskItemWithVideo(this, task)];
	}
	const task = readKlingTask(await requestKling(this, request));
	if (!task) throw noSuchTask(this, String(request.url).split('/').pop() ?? '');
	return [await taskItemWithVideo(this, task)];
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

export function wantedCount(ctx: KlingItemContext): number {
	return ctx.getNodeParameter('returnAll', false)
		? MAX_LISTABLE_TASKS
		: Number(ctx.getNodeParameter('limit', 50));
}

/**
 * Current Get Many: `POST /tasks` (Kling's docs, "Query Task List"), newest first, a page of
 * at most 500 at a time, each next page asked for with the previous answer's `next_cursor`.
 * Status narrows the list with Kling's own `filters[{key: 'status'}]`.
 */
export async function listCurrentTasks(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const wanted = wantedCount(this);
	const statuses = (this.getNodeParameter('statusFilter', []) as string[]).map((status) =>
		status === 'succeed' ? 'succeeded' : status,
	);
	const unknown = statuses.filter((status) => !(TASK_STATUSES as string[]).includes(status));
	if (unknown.length > 0) {
		fail(
			this,
			`Status must be among ${TASK_STATUSES.join(', ')}, but it has ${JSON.stringify(unknown)}`,
		);
	}
	const filters = statuses.length > 0 ? [{ key: 'status', values: statuses }] : undefined;
	const items: INodeExecutionData[] = [];
	let cursor: string | undefined;
	while (items.length < wanted) {
		const limit = Math.min(MAX_TASK_LIST_PAGE, wanted - items.length);
		const body: IDataObject = cursor === undefined ? { limit } : { limit, cursor };
		if (filters && cursor === undefined) body.filters = filters;
		const page = (await requestKling(this, { ...request, body })) as IDataObject | undefined;
		const result = Array.isArray(page?.result) ? (page.result as unknown[]) : [];
		for (const entry of result) {
			const task = readKlingTask(entry);
			if (task) items.push(taskItem(this, task, this.getItemIndex()));
		}
		const next = page?.next_cursor;
		if (!page?.has_more || typeof next !== 'string' || next === '' || result.length === 0) break;
		cursor = next;
	}
	return items.slice(0, wanted);
}

/** How a legacy list's entries are read, and what makes two of them the same. */
export interface LegacyListReading {
	read(entry: unknown): KlingTask | undefined;
	key(task: KlingTask): string;
}

const TASK_LIST: LegacyListReading = { read: readKlingTask, key: (task) => task.taskId };

/**
 * Legacy Get Many: Kling pages by number (pageNum 1..1000, pageSize 1..500) and gives no total,
 * so pages are read until a short one, a few at a time (the transport bounds how many), kept in
 * order. A task created while paging shifts the newest-first list by one, so tasks already
 * seen on an earlier page are not emitted twice.
 */
export async function paginateTasks(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const tasks = await readLegacyList(this, request, wantedCount(this), TASK_LIST);
	return tasks.map((task) => taskItem(this, task, this.getItemIndex()));
}

/**
 * The legacy paging of paginateTasks, for any list of task-shaped entries (elements, voices);
 * `concurrency` pages are asked for at a time (the transport's setting unless given).
 */
export async function readLegacyList(
	ctx: KlingItemContext,
	request: IHttpRequestOptions,
	wanted: number,
	reading: LegacyListReading,
	concurrency = transportSettings(ctx).concurrency,
): Promise<KlingTask[]> {
	const pageSize = Math.min(PAGE_SIZE_MAX, wanted);
	const lastPage = Math.min(PAGE_NUM_MAX, Math.ceil(wanted / pageSize));
	const seen = new Set<string>();
	const results: KlingTask[] = [];

	let nextPage = 1;
	let finished = false;
	while (!finished && nextPage <= lastPage) {
		const wave: number[] = [];
		while (wave.length < Math.max(1, concurrency) && nextPage <= lastPage) wave.push(nextPage++);
		const pages = await Promise.all(
			wave.map(async (pageNum) => {
				const data = await requestKling(ctx, {
					...request,
					qs: { ...request.qs, pageNum, pageSize },
				});
				return Array.isArray(data) ? data : [];
			}),
		);
		for (const page of pages) {
			for (const entry of page) {
				const task = reading.read(entry);
				if (!task || seen.has(reading.key(task))) continue;
				seen.add(reading.key(task));
				results.push(task);
			}
			if (page.length < pageSize) {
				finished = true;
				break;
			}
		}
	}
	return results.slice(0, wanted);
}
