import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { readKlingTask, type KlingTask } from '../kling/task';
import { CURRENT_TASKS_PATH, MAX_TASK_IDS, isLegacyUrl } from '../kling/products';
import type { KlingItemContext } from '../transport/itemContext';
import { perRun } from '../transport/runState';
import { klingCodeOf } from '../transport/klingResponse';
import { asNodeError, requestKling } from '../transport/transport';

/**
 * Reading tasks from Kling, the one place where their answers become the package's task model.
 *
 * - Current generation: `GET /tasks?task_ids=a,b` or `?external_task_ids=x,y`, at most 20 ids a
 *   request; unknown ids are left out of the answer (Kling's docs, "Query Task").
 * - Legacy generation: `GET <endpoint of the task kind>/<task_id or external_task_id>`; an
 *   unknown id is refused with 1203 (or 1201 "Task not found").
 */
export type LookupBy = 'taskId' | 'externalTaskId';

/** Where a task is read: the current generation's `/tasks`, or a legacy endpoint. */
export type TaskSource = { generation: 'current' } | { generation: 'legacy'; path: string };

export const CURRENT_SOURCE: TaskSource = { generation: 'current' };

/** The source of the tasks a create URL (or a legacy tasks path) makes. */
export function taskSourceOf(url: unknown): TaskSource {
	const path = String(url ?? '');
	return isLegacyUrl(path) ? { generation: 'legacy', path } : CURRENT_SOURCE;
}

/** The error of an item whose task Kling does not know. */
export function noSuchTask(ctx: KlingItemContext, id: string, by: LookupBy = 'taskId') {
	const what = by === 'taskId' ? 'task' : 'task with external task id';
	return new NodeOperationError(ctx.getNode(), `Kling has no ${what} ${JSON.stringify(id)}`, {
		itemIndex: ctx.getItemIndex(),
		description:
			'Check the id, and that the Kling API credential belongs to the account that made the task.',
	});
}

function chunks<T>(values: T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < values.length; start += size) {
		result.push(values.slice(start, start + size));
	}
	return result;
}

function keyOf(task: KlingTask, by: LookupBy): string {
	return by === 'taskId' ? task.taskId : task.externalTaskId;
}

/**
 * Reads tasks of the current generation by their ids, 20 a request (the requests go through
 * the run's limiter, retries included). Tasks Kling does not know are missing from the map.
 */
export async function readCurrentTasks(
	ctx: KlingItemContext,
	by: LookupBy,
	ids: string[],
): Promise<Map<string, KlingTask>> {
	const unique = [...new Set(ids)];
	const parameter = by === 'taskId' ? 'task_ids' : 'external_task_ids';
	const found = new Map<string, KlingTask>();
	await Promise.all(
		chunks(unique, MAX_TASK_IDS).map(async (chunk) => {
			const data = await requestKling(ctx, {
				method: 'GET',
				url: CURRENT_TASKS_PATH,
				qs: { [parameter]: chunk.join(',') },
			});
			for (const entry of Array.isArray(data) ? data : []) {
				const task = readKlingTask(entry);
				if (task && chunk.includes(keyOf(task, by))) found.set(keyOf(task, by), task);
			}
		}),
	);
	return found;
}

function isNotFound(error: unknown): boolean {
	const code = klingCodeOf(error);
	if (code === 1203) return true;
	const message = String((error as { context?: IDataObject })?.context?.klingMessage ?? '');
	return code === 1201 && /not found/i.test(message);
}

/** Reads one legacy task from its endpoint; undefined when Kling does not know the id there. */
export async function readLegacyTask(
	ctx: KlingItemContext,
	path: string,
	id: string,
): Promise<KlingTask | undefined> {
	try {
		const data = await requestKling(ctx, {
			method: 'GET',
			url: `${path}/${encodeURIComponent(id)}`,
		});
		return readKlingTask(data);
	} catch (error) {
		if (isNotFound(error)) return undefined;
		throw asNodeError(ctx, error);
	}
}

interface PendingRead {
	id: string;
	resolve(task: KlingTask | undefined): void;
	reject(error: unknown): void;
}

/**
 * The reads the items of one node run ask for at about the same time, sent together: every
 * item of a run starts at once, so by the next turn of the event loop all their ids are
 * queued, and 1,000 items cost 50 requests instead of 1,000.
 */
class ReadBatcher {
	private readonly queued: Record<LookupBy, PendingRead[]> = { taskId: [], externalTaskId: [] };

	private scheduled = false;

	constructor(private readonly ctx: KlingItemContext) {}

	async read(by: LookupBy, id: string): Promise<KlingTask | undefined> {
		const result = new Promise<KlingTask | undefined>((resolve, reject) =>
			this.queued[by].push({ id, resolve, reject }),
		);
		if (!this.scheduled) {
			this.scheduled = true;
			void this.flushSoon();
		}
		return await result;
	}

	private async flushSoon(): Promise<void> {
		await sleep(0);
		this.scheduled = false;
		for (const by of ['taskId', 'externalTaskId'] as LookupBy[]) {
			const reads = this.queued[by].splice(0);
			for (const chunk of chunks(reads, MAX_TASK_IDS)) void this.send(by, chunk);
		}
	}

	private async send(by: LookupBy, reads: PendingRead[]): Promise<void> {
		try {
			const found = await readCurrentTasks(
				this.ctx,
				by,
				reads.map((read) => read.id),
			);
			for (const read of reads) read.resolve(found.get(read.id));
		} catch (error) {
			for (const read of reads) read.reject(error);
		}
	}
}

const batcherOf = perRun((ctx) => new ReadBatcher(ctx));

/** Reads one task; current-generation reads of a node run are batched, 20 ids a request. */
export async function readTask(
	ctx: KlingItemContext,
	source: TaskSource,
	by: LookupBy,
	id: string,
): Promise<KlingTask | undefined> {
	if (source.generation === 'legacy') return await readLegacyTask(ctx, source.path, id);
	try {
		return await batcherOf(ctx).read(by, id);
	} catch (error) {
		throw asNodeError(ctx, error);
	}
}
