import { randomInt } from 'crypto';

import { EXTENSION_SECONDS, MAX_VIDEO_SECONDS, videoUrl } from './videos';
import type { VideoLibrary, VideoRecord } from './videos';
import type { SimulatedTask, TaskStatus, Timing } from './types';

export const FAILURE_WORD = 'simulate-failure';
export const STUCK_WORD = 'simulate-stuck';
export const HELD_WORD = 'simulate-held';
export const FAILURE_MESSAGE = 'Failure simulated: the prompt asked for it (simulate-failure)';

type Outcome = 'succeed' | 'failed' | 'stuck';

export interface TaskRecord {
	readonly id: string;
	readonly account: string;
	readonly externalId: string;
	readonly parent: VideoRecord;
	readonly watermark: boolean;
	readonly callbackUrl: string | undefined;
	readonly outcome: Outcome;
	/** Moves only through advance(), whatever the timing (the prompt said simulate-held). */
	readonly held: boolean;
	status: TaskStatus;
	statusMsg: string;
	result: VideoRecord | undefined;
	readonly createdAt: number;
	updatedAt: number;
	timer: NodeJS.Timeout | undefined;
}

export interface NewTask {
	account: string;
	parent: VideoRecord;
	prompt: string;
	watermark: boolean;
	callbackUrl: string | undefined;
	externalTaskId: string;
}

export interface TaskStoreOptions {
	videos: VideoLibrary;
	timing: Timing | 'manual';
	baseUrl: () => string;
	/** Called on creation and on each status change of a task with a callback URL. */
	notify: (task: TaskRecord) => Promise<void>;
}

interface AccountTasks {
	/** Oldest first; creation order is also (created_at, task_id) order, so appends keep it sorted. */
	readonly ordered: TaskRecord[];
	readonly byExternalId: Map<string, TaskRecord>;
	active: number;
}

// 18-digit ids like Kling's, increasing so that ties on created_at still sort by task_id.
// Module-wide so that simulators in one process never hand out the same id.
let nextTaskId = BigInt(Date.now()) * 100000n + BigInt(randomInt(0, 50000));

function newTaskId(): string {
	nextTaskId += 1n;
	return nextTaskId.toString();
}

export class TaskStore {
	private readonly byId = new Map<string, TaskRecord>();
	private readonly accounts = new Map<string, AccountTasks>();
	private readonly timed = new Set<TaskRecord>();
	private lastCreatedAt = 0;

	constructor(private readonly options: TaskStoreOptions) {}

	get size(): number {
		return this.byId.size;
	}

	create(input: NewTask): TaskRecord {
		const createdAt = this.creationTime();
		const record: TaskRecord = {
			id: newTaskId(),
			account: input.account,
			externalId: input.externalTaskId,
			parent: input.parent,
			watermark: input.watermark,
			callbackUrl: input.callbackUrl,
			outcome: outcomeOf(input.prompt),
			held: input.prompt.includes(HELD_WORD),
			status: 'submitted',
			statusMsg: '',
			result: undefined,
			createdAt,
			updatedAt: createdAt,
			timer: undefined,
		};
		this.insert(record);
		this.changed(record);
		this.schedule(record);
		return record;
	}

	/** Bulk creation for paging tests and benchmarks: no timers, no callbacks. */
	seed(count: number, account: string, status: TaskStatus, parent: VideoRecord): void {
		if (status === 'succeed' && parent.duration + EXTENSION_SECONDS > MAX_VIDEO_SECONDS) {
			throw new RangeError(`cannot seed succeeded extensions of ${parent.id}: over 180 s`);
		}
		for (let i = 0; i < count; i += 1) {
			const createdAt = this.creationTime();
			this.insert({
				id: newTaskId(),
				account,
				externalId: '',
				parent,
				watermark: false,
				callbackUrl: undefined,
				outcome: status === 'failed' ? 'failed' : 'succeed',
				held: false,
				status,
				statusMsg: status === 'failed' ? FAILURE_MESSAGE : '',
				result:
					status === 'succeed'
						? this.options.videos.add(parent.duration + EXTENSION_SECONDS)
						: undefined,
				createdAt,
				updatedAt: createdAt,
				timer: undefined,
			});
		}
	}

	/** This account's task by task_id, else by external_task_id. */
	find(account: string, id: string): TaskRecord | undefined {
		const byId = this.byId.get(id);
		if (byId && byId.account === account) return byId;
		return this.accounts.get(account)?.byExternalId.get(id);
	}

	findAnywhere(id: string): TaskRecord | undefined {
		const byId = this.byId.get(id);
		if (byId) return byId;
		for (const tasks of this.accounts.values()) {
			const byExternal = tasks.byExternalId.get(id);
			if (byExternal) return byExternal;
		}
		return undefined;
	}

	hasExternalId(account: string, externalId: string): boolean {
		return this.accounts.get(account)?.byExternalId.has(externalId) ?? false;
	}

	activeCount(account: string): number {
		return this.accounts.get(account)?.active ?? 0;
	}

	/** Newest first. */
	list(account: string, pageNum: number, pageSize: number): TaskRecord[] {
		const ordered = this.accounts.get(account)?.ordered ?? [];
		const end = ordered.length - (pageNum - 1) * pageSize;
		if (end <= 0) return [];
		return ordered.slice(Math.max(0, end - pageSize), end).reverse();
	}

	/**
	 * Moves a task to its next status now. A finished task, or a stuck one already processing,
	 * stays as it is. Resolves once the callback for the change (if any) was delivered.
	 */
	advance(record: TaskRecord): Promise<void> {
		this.cancelTimer(record);
		return this.step(record);
	}

	view(record: TaskRecord): SimulatedTask {
		const base = this.options.baseUrl();
		const result = record.result;
		return {
			task_id: record.id,
			task_status: record.status,
			task_status_msg: record.statusMsg,
			task_info: {
				parent_video: {
					id: record.parent.id,
					url: videoUrl(base, record.parent.id),
					duration: String(record.parent.duration),
				},
				external_task_id: record.externalId,
			},
			task_result: {
				videos: result
					? [
							{
								id: result.id,
								url: videoUrl(base, result.id),
								watermark_url: record.watermark ? videoUrl(base, result.id, true) : '',
								duration: String(result.duration),
							},
						]
					: [],
			},
			watermark_info: { enabled: record.watermark },
			final_unit_deduction: record.status === 'succeed' ? '1' : '0',
			created_at: record.createdAt,
			updated_at: record.updatedAt,
		};
	}

	/** Stops every pending status change; tasks keep their current status. */
	stopTimers(): void {
		for (const record of this.timed) {
			clearTimeout(record.timer);
			record.timer = undefined;
		}
		this.timed.clear();
	}

	clear(): void {
		this.stopTimers();
		this.byId.clear();
		this.accounts.clear();
	}

	private step(record: TaskRecord): Promise<void> {
		if (record.status === 'submitted') {
			record.status = 'processing';
			const delivered = this.changed(record);
			this.schedule(record);
			return delivered;
		}
		if (record.status !== 'processing' || record.outcome === 'stuck') {
			return Promise.resolve();
		}
		if (record.outcome === 'failed') {
			record.status = 'failed';
			record.statusMsg = FAILURE_MESSAGE;
		} else {
			record.status = 'succeed';
			record.result = this.options.videos.add(record.parent.duration + EXTENSION_SECONDS);
		}
		const tasks = this.accounts.get(record.account);
		if (tasks) tasks.active -= 1;
		return this.changed(record);
	}

	private schedule(record: TaskRecord): void {
		const timing = this.options.timing;
		if (timing === 'manual' || record.held) return;
		if (record.status === 'processing' && record.outcome === 'stuck') return;
		if (record.status !== 'submitted' && record.status !== 'processing') return;
		const ms = record.status === 'submitted' ? timing.submittedMs : timing.processingMs;
		record.timer = setTimeout(() => {
			record.timer = undefined;
			this.timed.delete(record);
			void this.step(record);
		}, ms);
		// Tests and CLI users stop the simulator explicitly; a pending status change must not keep
		// a process alive on its own.
		record.timer.unref();
		this.timed.add(record);
	}

	private cancelTimer(record: TaskRecord): void {
		if (record.timer === undefined) return;
		clearTimeout(record.timer);
		record.timer = undefined;
		this.timed.delete(record);
	}

	private changed(record: TaskRecord): Promise<void> {
		if (record.status !== 'submitted') {
			// Clients detect changes by updated_at, so two changes in one millisecond must differ.
			record.updatedAt = Math.max(Date.now(), record.updatedAt + 1);
		}
		return record.callbackUrl === undefined ? Promise.resolve() : this.options.notify(record);
	}

	private insert(record: TaskRecord): void {
		this.byId.set(record.id, record);
		let tasks = this.accounts.get(record.account);
		if (!tasks) {
			tasks = { ordered: [], byExternalId: new Map(), active: 0 };
			this.accounts.set(record.account, tasks);
		}
		tasks.ordered.push(record);
		if (record.externalId !== '') tasks.byExternalId.set(record.externalId, record);
		if (record.status === 'submitted' || record.status === 'processing') tasks.active += 1;
	}

	private creationTime(): number {
		// Never earlier than the previous task, so appending keeps the newest-first order valid.
		this.lastCreatedAt = Math.max(Date.now(), this.lastCreatedAt);
		return this.lastCreatedAt;
	}
}

function outcomeOf(prompt: string): Outcome {
	if (prompt.includes(FAILURE_WORD)) return 'failed';
	if (prompt.includes(STUCK_WORD)) return 'stuck';
	return 'succeed';
}
