import type { SimulatorCore } from './core';
import { KlingError, success } from './errors';
import type { TaskPageQuery } from './tasks';
import type { CurrentTaskStatus, JsonAnswer } from './types';
import { invalid, parseBody } from './validation';

// Reading tasks in the current generation (Kling's docs, "Query Task" and "Query Task List"):
// every task of the account, legacy ones included, in the current shape. The path is in paths.ts.
export { TASKS } from './paths';

/** At most this many ids in one GET /tasks, both parameters together (seen live). */
export const MAX_TASK_IDS = 20;
export const TASK_IDS_LIMIT_MESSAGE = 'task_ids and external_task_ids cannot exceed 20 in total';

export const TASK_LIST_LIMIT = { default: 100, max: 500 } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const STATUSES: readonly CurrentTaskStatus[] = ['submitted', 'processing', 'succeeded', 'failed'];
const PRODUCT_TYPES: readonly string[] = ['video', 'image', 'try_on'];
const FILTER_KEYS = ['status', 'product_type'];

/** GET /tasks?task_ids=a,b or ?external_task_ids=x,y: the known ones, as a list (unknown: left out). */
export function queryTasks(
	core: SimulatorCore,
	account: string,
	query: URLSearchParams,
): JsonAnswer {
	const taskIds = idList(query.get('task_ids'));
	const externalIds = idList(query.get('external_task_ids'));
	if (taskIds.length + externalIds.length > MAX_TASK_IDS) {
		throw new KlingError(1201, TASK_IDS_LIMIT_MESSAGE);
	}
	if (taskIds.length > 0 && externalIds.length > 0) {
		throw invalid('use task_ids or external_task_ids, not both');
	}
	if (taskIds.length === 0 && externalIds.length === 0) {
		throw invalid('task_ids or external_task_ids is required (comma-separated, at most 20)');
	}
	const external = externalIds.length > 0;
	const tasks = core.tasks.findMany(account, external ? externalIds : taskIds, external);
	return success(tasks.map((task) => core.tasks.currentView(task)));
}

function idList(raw: string | null): string[] {
	return (raw ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter((id) => id !== '');
}

interface Cursor {
	/** The range of the first request. */
	s: number;
	e: number;
	/** created_at and id of the last task shown. */
	t: number;
	i: string;
}

/**
 * POST /tasks: the account's tasks created in [start_time, end_time], newest first, `limit` at a
 * time. The cursor holds the range and the last task shown, so tasks created while a client
 * pages never shift the pages.
 */
export function listTasks(core: SimulatorCore, account: string, raw: string): JsonAnswer {
	const body = raw.trim() === '' ? {} : parseBody(raw);
	const limit = listLimit(body.limit);
	const statuses = statusFilter(body.filters);
	let query: TaskPageQuery;
	if (body.cursor !== undefined && body.cursor !== null && body.cursor !== '') {
		const cursor = decodeCursor(body.cursor);
		query = {
			start: cursor.s,
			end: cursor.e,
			before: { createdAt: cursor.t, id: cursor.i },
			limit,
			statuses: statuses ?? undefined,
		};
	} else {
		const end = epoch(body.end_time, 'end_time') ?? Date.now();
		const start = epoch(body.start_time, 'start_time') ?? end - 30 * DAY_MS;
		if (start >= end) {
			throw invalid(`start_time must be earlier than end_time (got ${start} and ${end})`);
		}
		query = { start, end, limit, statuses: statuses ?? undefined };
	}
	const { tasks, more } =
		statuses === null ? { tasks: [], more: false } : core.tasks.page(account, query);
	const last = tasks[tasks.length - 1];
	const nextCursor =
		more && last
			? encodeCursor({ s: query.start, e: query.end, t: last.createdAt, i: last.id })
			: '';
	return success({
		result: tasks.map((task) => core.tasks.currentView(task)),
		count: tasks.length,
		next_cursor: nextCursor,
		has_more: more,
	});
}

function listLimit(value: unknown): number {
	if (value === undefined || value === null) return TASK_LIST_LIMIT.default;
	const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	if (
		!Number.isInteger(number) ||
		(number as number) < 1 ||
		(number as number) > TASK_LIST_LIMIT.max
	) {
		throw invalid(
			`limit must be an integer from 1 to ${TASK_LIST_LIMIT.max} (got ${JSON.stringify(value)})`,
		);
	}
	return number as number;
}

/** Milliseconds since 1970, as a number or a string of digits (Kling takes both, seen live). */
function epoch(value: unknown, name: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
		throw invalid(
			`${name} must be a time in milliseconds since 1970 (got ${JSON.stringify(value)})`,
		);
	}
	return number;
}

/**
 * The statuses asked for; undefined: any; null: none can match (a product_type other than video:
 * the simulator makes only videos).
 */
function statusFilter(value: unknown): readonly CurrentTaskStatus[] | undefined | null {
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value)) throw invalid('filters must be a list of {key, values}');
	let statuses: CurrentTaskStatus[] | undefined;
	let none = false;
	value.forEach((filter: unknown, index) => {
		const at = `filters[${index}]`;
		const { key, values } = (filter ?? {}) as { key?: unknown; values?: unknown };
		if (typeof key !== 'string' || !FILTER_KEYS.includes(key)) {
			throw invalid(
				`${at}.key must be one of ${FILTER_KEYS.join(', ')} (got ${JSON.stringify(key)})`,
			);
		}
		const allowed: readonly string[] = key === 'status' ? STATUSES : PRODUCT_TYPES;
		if (!Array.isArray(values) || values.some((v) => !allowed.includes(v as string))) {
			throw invalid(`${at}.values must be a list of ${allowed.join(', ')}`);
		}
		if (key === 'status') {
			const asked = values as CurrentTaskStatus[];
			statuses = statuses ? statuses.filter((s) => asked.includes(s)) : [...asked];
		} else if (!values.includes('video')) {
			none = true;
		}
	});
	return none ? null : statuses;
}

function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(value: unknown): Cursor {
	try {
		if (typeof value !== 'string') throw new Error('not a string');
		const cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Cursor;
		const numbers = [cursor.s, cursor.e, cursor.t].every((n) => Number.isSafeInteger(n));
		if (numbers && typeof cursor.i === 'string') return cursor;
	} catch {
		// reported below
	}
	throw invalid('cursor is not one this API gave (use next_cursor of the previous answer)');
}
