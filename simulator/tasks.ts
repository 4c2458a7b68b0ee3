import { randomInt } from 'crypto';

import { EXTENSION_SECONDS, MAX_VIDEO_SECONDS, videoUrl } from './videos';
import type { VideoLibrary, VideoRecord } from './videos';
import { EXTENSION_UNITS } from './models';
import { elementOutput, legacyElement, legacyVoice, voiceOutput } from './resources';
import type { ElementRecord, VoiceRecord } from './resources';
import type {
	CurrentTaskKind,
	SimulatedCurrentOutput,
	CurrentTaskStatus,
	SimulatedAnyTask,
	SimulatedCurrentTask,
	SucceedStatus,
	TaskKind,
	TaskStatus,
	Timing,
} from './types';

/** Kinds of the current API generation: answers and callbacks in its shape. */
export const CURRENT_KINDS: readonly CurrentTaskKind[] = [
	'text-to-video',
	'image-to-video',
	'omni-video',
	'motion-control',
];

/** What an element or voice task makes instead of a video. */
export type TaskResource =
	| { readonly type: 'element'; readonly element: ElementRecord }
	| { readonly type: 'voice'; readonly voice: VoiceRecord };

export function isCurrentKind(kind: TaskKind): kind is CurrentTaskKind {
	return (CURRENT_KINDS as readonly TaskKind[]).includes(kind);
}

/** One page of an account's tasks for POST /tasks, newest first. */
export interface TaskPageQuery {
	/** Epoch ms, both ends included. */
	start: number;
	end: number;
	/** Only tasks older than this one (the cursor): (createdAt, id) of the last task shown. */
	before?: { createdAt: number; id: string };
	limit: number;
	/** Current-generation status words; undefined: any. */
	statuses?: readonly CurrentTaskStatus[];
}

export const FAILURE_WORD = 'simulate-failure';
export const STUCK_WORD = 'simulate-stuck';
export const HELD_WORD = 'simulate-held';
export const FAILURE_MESSAGE = 'Failure simulated: the prompt asked for it (simulate-failure)';

type Outcome = 'succeed' | 'failed' | 'stuck';

export interface TaskRecord {
	readonly id: string;
	readonly kind: TaskKind;
	readonly account: string;
	readonly externalId: string;
	/** The extended video; undefined for text2video and image2video. */
	readonly parent: VideoRecord | undefined;
	/** What the result video will be. */
	readonly output: VideoSpec;
	/** Element and voice tasks make this instead of a video. */
	readonly resource: TaskResource | undefined;
	/** Resource-pack units the task took; given back if it fails. */
	readonly units: number;
	readonly refund: (() => void) | undefined;
	readonly watermark: boolean;
	readonly callbackUrl: string | undefined;
	readonly outcome: Outcome;
	readonly failureMessage: string;
	/** Moves only through advance(), whatever the timing (the prompt said simulate-held). */
	readonly held: boolean;
	status: TaskStatus;
	statusMsg: string;
	result: VideoRecord | undefined;
	readonly createdAt: number;
	updatedAt: number;
	timer: NodeJS.Timeout | undefined;
}

export interface VideoSpec {
	readonly duration: number;
	readonly model: string;
	/** The video has sound (a kling-2.6 video with sound can make a custom voice). */
	readonly sound?: boolean;
}

export interface NewTask {
	kind?: TaskKind;
	account: string;
	/** For video-extend, and the lip-synced video of advanced-lip-sync. */
	parent?: VideoRecord;
	/** For text2video and image2video. */
	output?: VideoSpec;
	/** For element and voice tasks. */
	resource?: TaskResource;
	units?: number;
	refund?: () => void;
	prompt: string;
	watermark: boolean;
	callbackUrl: string | undefined;
	externalTaskId: string;
	/** The task will end failed with this message, whatever the prompt says. */
	failure?: string;
}

export interface TaskStoreOptions {
	videos: VideoLibrary;
	timing: Timing | 'manual';
	baseUrl: () => string;
	/** How answers spell the final status of a successful task. */
	succeedStatus: SucceedStatus;
	/** Called on creation and on each status change of a task with a callback URL. */
	notify: (task: TaskRecord) => Promise<void>;
}

interface AccountTasks {
	/**
	 * Per kind, oldest first; creation order is also (created_at, task_id) order, so appends keep
	 * it sorted.
	 */
	readonly ordered: Map<TaskKind, TaskRecord[]>;
	/** External ids are unique per account across all kinds. */
	readonly byExternalId: Map<string, TaskRecord>;
	/** Every kind together, oldest first (creation order is (created_at, task_id) order). */
	readonly all: TaskRecord[];
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
			kind: input.kind ?? 'video-extend',
			account: input.account,
			externalId: input.externalTaskId,
			parent: input.parent,
			output: input.resource ? { duration: 0, model: '' } : outputOf(input),
			resource: input.resource,
			units: input.units ?? EXTENSION_UNITS,
			refund: input.refund,
			watermark: input.watermark,
			callbackUrl: input.callbackUrl,
			outcome: input.failure === undefined ? outcomeOf(input.prompt) : 'failed',
			failureMessage: input.failure ?? FAILURE_MESSAGE,
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

	/**
	 * Bulk creation for paging tests and benchmarks: no timers, no callbacks, no units taken. Makes
	 * extensions of `parent` when given, else `kind` tasks making 5 s `model` videos.
	 */
	seed(
		count: number,
		account: string,
		status: TaskStatus,
		source: { kind: TaskKind; parent?: VideoRecord; output?: VideoSpec },
	): void {
		const { parent } = source;
		const output = outputOf(source);
		if (status === 'succeed' && output.duration > MAX_VIDEO_SECONDS) {
			throw new RangeError(`cannot seed succeeded extensions of ${parent?.id}: over 180 s`);
		}
		for (let i = 0; i < count; i += 1) {
			const createdAt = this.creationTime();
			this.insert({
				id: newTaskId(),
				kind: source.kind,
				account,
				externalId: '',
				parent,
				output,
				resource: undefined,
				units: EXTENSION_UNITS,
				refund: undefined,
				watermark: false,
				callbackUrl: undefined,
				outcome: status === 'failed' ? 'failed' : 'succeed',
				failureMessage: FAILURE_MESSAGE,
				held: false,
				status,
				statusMsg: status === 'failed' ? FAILURE_MESSAGE : '',
				result: status === 'succeed' ? this.options.videos.add(output) : undefined,
				createdAt,
				updatedAt: createdAt,
				timer: undefined,
			});
		}
	}

	/** This account's task by task_id, else by external_task_id; with a kind, only of that kind. */
	find(account: string, id: string, kind?: TaskKind): TaskRecord | undefined {
		const byId = this.byId.get(id);
		const found =
			byId && byId.account === account ? byId : this.accounts.get(account)?.byExternalId.get(id);
		return found && (kind === undefined || found.kind === kind) ? found : undefined;
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
	list(
		account: string,
		pageNum: number,
		pageSize: number,
		kind: TaskKind = 'video-extend',
	): TaskRecord[] {
		const ordered = this.accounts.get(account)?.ordered.get(kind) ?? [];
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

	/** The task as its own generation shows it (GET, lists and callbacks). */
	view(record: TaskRecord): SimulatedAnyTask {
		return isCurrentKind(record.kind) ? this.currentView(record) : this.legacyView(record);
	}

	/**
	 * The task in the current generation's shape, as /tasks shows every task, legacy ones included
	 * (Kling's docs, "Query Task": id, status, message, create_time, update_time, external_id,
	 * outputs, billing).
	 */
	currentView(record: TaskRecord): SimulatedCurrentTask<SimulatedCurrentOutput> {
		const base = this.options.baseUrl();
		const { result, resource } = record;
		const succeeded = record.status === 'succeed';
		const view = { ...this.currentVideoView(record), outputs: [] as SimulatedCurrentOutput[] };
		if (resource && succeeded) {
			view.outputs.push(
				resource.type === 'element'
					? elementOutput(resource.element, base)
					: voiceOutput(resource.voice, base),
			);
			return view;
		}
		if (result) view.outputs.push(...this.currentVideoView(record).outputs);
		return view;
	}

	private currentVideoView(record: TaskRecord): SimulatedCurrentTask {
		const base = this.options.baseUrl();
		const { result } = record;
		const succeeded = record.status === 'succeed';
		return {
			id: record.id,
			status: currentStatus(record.status),
			message: record.statusMsg,
			create_time: record.createdAt,
			update_time: record.updatedAt,
			external_id: record.externalId,
			outputs: result
				? [
						{
							type: 'video',
							id: result.id,
							url: videoUrl(base, result.id),
							// Left out, not empty, when no watermark was asked for (seen live).
							...(record.watermark ? { watermark_url: videoUrl(base, result.id, true) } : {}),
							duration: String(result.duration),
						},
					]
				: [],
			billing: succeeded
				? [{ charge_type: 'unit', amount: String(record.units), package_type: 'video' }]
				: [],
		};
	}

	/** Tasks by task_id, or by external_task_id, in the order asked; unknown ones left out. */
	findMany(account: string, ids: readonly string[], external: boolean): TaskRecord[] {
		const tasks = this.accounts.get(account);
		const found = ids.map((id) => {
			if (external) return tasks?.byExternalId.get(id);
			const record = this.byId.get(id);
			return record && record.account === account ? record : undefined;
		});
		return [...new Set(found.filter((t): t is TaskRecord => t !== undefined))];
	}

	/** Newest first; `more` tells whether older matching tasks remain after the page. */
	page(account: string, query: TaskPageQuery): { tasks: TaskRecord[]; more: boolean } {
		const all = this.accounts.get(account)?.all ?? [];
		const { before, start, end, limit, statuses } = query;
		// The first task that is not older than the cursor or is after end; walk back from there.
		let low = 0;
		let high = all.length;
		while (low < high) {
			const mid = (low + high) >>> 1;
			const task = all[mid];
			const beyond = before ? compareTasks(task, before) >= 0 : task.createdAt > end;
			if (beyond) high = mid;
			else low = mid + 1;
		}
		const tasks: TaskRecord[] = [];
		for (let i = low - 1; i >= 0; i -= 1) {
			const task = all[i];
			if (task.createdAt < start) break;
			if (task.createdAt > end) continue;
			if (statuses && !statuses.includes(currentStatus(task.status))) continue;
			if (tasks.length === limit) return { tasks, more: true };
			tasks.push(task);
		}
		return { tasks, more: false };
	}

	private legacyView(record: TaskRecord): SimulatedAnyTask {
		const base = this.options.baseUrl();
		const { result, parent, resource } = record;
		if (resource) {
			const made = record.status === 'succeed';
			return {
				task_id: record.id,
				task_status: made ? this.options.succeedStatus : record.status,
				task_status_msg: record.statusMsg,
				task_info: { external_task_id: record.externalId },
				task_result:
					resource.type === 'element'
						? { elements: made ? [legacyElement(resource.element, base)] : [] }
						: { voices: made ? [legacyVoice(resource.voice, base)] : [] },
				final_unit_deduction: made ? String(record.units) : '0',
				created_at: record.createdAt,
				updated_at: record.updatedAt,
			};
		}
		// Only video-extend tasks carry a parent video (Kling's docs, "Video Extension").
		const taskInfo = parent
			? {
					parent_video: {
						id: parent.id,
						url: videoUrl(base, parent.id),
						duration: String(parent.duration),
					},
					external_task_id: record.externalId,
				}
			: { external_task_id: record.externalId };
		return {
			task_id: record.id,
			task_status: record.status === 'succeed' ? this.options.succeedStatus : record.status,
			task_status_msg: record.statusMsg,
			task_info: taskInfo,
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
			final_unit_deduction: record.status === 'succeed' ? String(record.units) : '0',
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
			record.statusMsg = record.failureMessage;
			// Kling takes no units for a failed task.
			record.refund?.();
			if (record.resource) resourceOf(record.resource).status = 'failed';
		} else {
			record.status = 'succeed';
			if (record.resource) resourceOf(record.resource).status = 'succeed';
			else record.result = this.options.videos.add(record.output);
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
			tasks = { ordered: new Map(), byExternalId: new Map(), all: [], active: 0 };
			this.accounts.set(record.account, tasks);
		}
		let ordered = tasks.ordered.get(record.kind);
		if (!ordered) {
			ordered = [];
			tasks.ordered.set(record.kind, ordered);
		}
		ordered.push(record);
		tasks.all.push(record);
		if (record.externalId !== '') tasks.byExternalId.set(record.externalId, record);
		if (record.status === 'submitted' || record.status === 'processing') tasks.active += 1;
	}

	private creationTime(): number {
		// Never earlier than the previous task, so appending keeps the newest-first order valid.
		this.lastCreatedAt = Math.max(Date.now(), this.lastCreatedAt);
		return this.lastCreatedAt;
	}
}

function resourceOf(resource: TaskResource): ElementRecord | VoiceRecord {
	return resource.type === 'element' ? resource.element : resource.voice;
}

/** An extension adds EXTENSION_SECONDS to its parent and keeps its model (so it stays extendable). */
function outputOf(input: { parent?: VideoRecord; output?: VideoSpec }): VideoSpec {
	// A lip-sync task has a parent video and an output of its own (the parent's length, redone).
	if (input.output) return input.output;
	if (input.parent) {
		return {
			duration: input.parent.duration + EXTENSION_SECONDS,
			model: input.parent.model,
		};
	}
	throw new Error('a task needs a parent video or an output');
}

export function currentStatus(status: TaskStatus): CurrentTaskStatus {
	return status === 'succeed' ? 'succeeded' : status;
}

/** Creation order: created_at, then task_id (ids increase, and all have 18 digits). */
function compareTasks(task: TaskRecord, other: { createdAt: number; id: string }): number {
	if (task.createdAt !== other.createdAt) return task.createdAt - other.createdAt;
	if (task.id.length !== other.id.length) return task.id.length - other.id.length;
	return task.id < other.id ? -1 : task.id > other.id ? 1 : 0;
}

function outcomeOf(prompt: string): Outcome {
	if (prompt.includes(FAILURE_WORD)) return 'failed';
	if (prompt.includes(STUCK_WORD)) return 'stuck';
	return 'succeed';
}
