import type { IDataObject } from 'n8n-workflow';

/**
 * The package's one model of a Kling task, whichever API generation it came from. Answers and
 * callbacks are read into it once, where they arrive (the task reads in `tasks/`, the callback
 * parser in `callbacks/`); waiting, callbacks, the trigger, Download Video and Simplify work on
 * it alone. `raw` is Kling's own object as Kling sent it: the unsimplified output.
 *
 * Kling's two shapes (Kling's docs, "Query Task" of the current generation and "Video
 * Extension" of the legacy `/v1` one):
 * - current: `id`, `status` (`succeeded`), `message`, `create_time`, `update_time`,
 *   `external_id`, `outputs[{type: 'video', id, url, watermark_url, duration}]`, `billing[]`;
 * - legacy: `task_id`, `task_status` (`succeed`), `task_status_msg`, `created_at`,
 *   `updated_at`, `task_info{external_task_id, parent_video}`, `task_result{videos[]}`.
 *
 * A task that makes an element or a voice (Kling's docs, "Element Management" and "Voice
 * Management") gives that instead of a video: legacy `task_result.elements[{element_id,
 * element_name, element_voice_info}]` or `task_result.voices[{voice_id, voice_name}]`, current
 * `outputs[{type: 'element', id, name, references[]}]` or `outputs[{type: 'voice', id, name}]`.
 */
export type TaskStatus = 'submitted' | 'processing' | 'succeeded' | 'failed';

export const TASK_STATUSES: TaskStatus[] = ['submitted', 'processing', 'succeeded', 'failed'];

export type TaskGeneration = 'current' | 'legacy';

/**
 * What Kling charged for a task: an amount of resource-pack units (`unit: 'units'`) or of money
 * (`unit`: the currency, `USD` or `CNY`). Kling's docs: the current generation's `billing[]`
 * (`charge_type` `unit` with `amount`, or `cash` with `amount` and `currency`), the legacy
 * generation's `final_unit_deduction` (units).
 */
export interface TaskCost {
	amount: number;
	unit: string;
}

export interface KlingTask {
	generation: TaskGeneration;
	taskId: string;
	/** One of TASK_STATUSES for every task Kling sends; kept as given otherwise. */
	status: string;
	statusMessage: string;
	externalTaskId: string;
	videoId: string | null;
	url: string | null;
	watermarkUrl: string | null;
	/** Seconds. */
	duration: number | null;
	/** The video a legacy video-extend task extended, and its length before. */
	parentVideoId: string | null;
	parentDuration: number | null;
	/** Kling's charge; null while Kling has charged nothing for it (an unfinished task). */
	cost: TaskCost | null;
	/** Milliseconds since 1970. */
	createdAt: number | null;
	updatedAt: number | null;
	/** The element the task made (element tasks only). */
	element?: KlingResource;
	/** The voice the task made, or the voice its element carries (element and voice tasks only). */
	voice?: KlingResource;
	raw: IDataObject;
}

/** One of Kling's resources a task made: its id (digits, sent as text) and its name. */
export interface KlingResource {
	id: string;
	name: string | null;
}

/** The package's one word per status: the legacy `succeed` reads as `succeeded`. */
export function normalizeStatus(status: unknown): string {
	const text = String(status ?? '');
	return text === 'succeed' ? 'succeeded' : text;
}

export function isFinished(task: Pick<KlingTask, 'status'>): boolean {
	return task.status === 'succeeded' || task.status === 'failed';
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toNumber(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	const parsed = Number(value);
	return Number.isFinite(parsed) ? parsed : null;
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** An id Kling may send as a number (the element id of its own sample is `0`). */
function idText(value: unknown): string | null {
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : text(value);
}

function resourceOf(id: unknown, name: unknown): KlingResource | undefined {
	const given = idText(id);
	return given === null ? undefined : { id: given, name: text(name) };
}

/** Where a task's fields are in Kling's object of one generation. */
interface TaskParts {
	id: unknown;
	status: unknown;
	message: unknown;
	externalId: unknown;
	/** Kling's video object: `{id, url, watermark_url, duration}` in both generations. */
	video: IDataObject | undefined;
	parent: IDataObject | undefined;
	createdAt: unknown;
	updatedAt: unknown;
	element?: KlingResource;
	voice?: KlingResource;
	cost: TaskCost | null;
}

function taskOf(generation: TaskGeneration, raw: IDataObject, parts: TaskParts): KlingTask {
	return {
		generation,
		taskId: text(parts.id) ?? '',
		status: normalizeStatus(parts.status),
		statusMessage: text(parts.message) ?? '',
		externalTaskId: text(parts.externalId) ?? '',
		videoId: text(parts.video?.id),
		url: text(parts.video?.url),
		watermarkUrl: text(parts.video?.watermark_url),
		duration: toNumber(parts.video?.duration),
		parentVideoId: text(parts.parent?.id),
		parentDuration: toNumber(parts.parent?.duration),
		cost: parts.cost,
		createdAt: toNumber(parts.createdAt),
		updatedAt: toNumber(parts.updatedAt),
		...(parts.element ? { element: parts.element } : {}),
		...(parts.voice ? { voice: parts.voice } : {}),
		raw,
	};
}

function objectOrUndefined(value: unknown): IDataObject | undefined {
	return isObject(value) ? value : undefined;
}

function listOf(value: unknown): IDataObject[] {
	return Array.isArray(value) ? value.filter(isObject) : [];
}

/** The element and voice of a current task's outputs (a voice output, or the element's voice). */
function currentResources(outputs: IDataObject[]): Pick<TaskParts, 'element' | 'voice'> {
	const element = outputs.find((output) => output.type === 'element');
	const voice = outputs.find((output) => output.type === 'voice');
	// The task pages call the element's materials references[], the callback page materials[].
	const references = listOf(element?.references ?? element?.materials);
	const elementVoice = references.find((reference) => reference.type === 'voice');
	return {
		element: element && resourceOf(element.id, element.name),
		voice: voice
			? resourceOf(voice.id, voice.name)
			: elementVoice && resourceOf(elementVoice.id, elementVoice.name),
	};
}

/** The element and voice of a legacy task's result. */
function legacyResources(result: IDataObject): Pick<TaskParts, 'element' | 'voice'> {
	const [element] = listOf(result.elements);
	const [voice] = listOf(result.voices);
	const elementVoice = objectOrUndefined(element?.element_voice_info);
	return {
		element: element && resourceOf(element.element_id, element.element_name),
		voice: voice
			? resourceOf(voice.voice_id, voice.voice_name)
			: elementVoice && resourceOf(elementVoice.voice_id, elementVoice.voice_name),
	};
}

/** The sum of `billing[]`, in the unit of its first entry (a task is charged in one way). */
function currentCost(billing: unknown): TaskCost | null {
	const entries = (Array.isArray(billing) ? billing : []).filter(isObject);
	const unitOf = (entry: IDataObject) =>
		entry.charge_type === 'cash' ? String(entry.currency ?? 'cash') : 'units';
	if (entries.length === 0) return null;
	const unit = unitOf(entries[0]);
	let amount = 0;
	for (const entry of entries) {
		const value = toNumber(entry.amount);
		if (value === null || unitOf(entry) !== unit) continue;
		amount += value;
	}
	return { amount: Math.round(amount * 1e6) / 1e6, unit };
}

function legacyCost(deduction: unknown): TaskCost | null {
	const amount = toNumber(deduction);
	return amount === null ? null : { amount, unit: 'units' };
}

function readCurrent(raw: IDataObject): KlingTask {
	const outputs = listOf(raw.outputs);
	const video = outputs.find((output) => output.type === 'video');
	return taskOf('current', raw, {
		id: raw.id,
		status: raw.status,
		message: raw.message,
		externalId: raw.external_id,
		video: objectOrUndefined(video),
		parent: undefined,
		createdAt: raw.create_time,
		updatedAt: raw.update_time,
		...currentResources(outputs),
		cost: currentCost(raw.billing),
	});
}

function readLegacy(raw: IDataObject): KlingTask {
	const info = objectOrUndefined(raw.task_info) ?? {};
	const result = objectOrUndefined(raw.task_result) ?? {};
	const videos = Array.isArray(result.videos) ? (result.videos as unknown[]) : [];
	return taskOf('legacy', raw, {
		id: raw.task_id,
		status: raw.task_status,
		message: raw.task_status_msg,
		externalId: info.external_task_id,
		video: objectOrUndefined(videos[0]),
		parent: objectOrUndefined(info.parent_video),
		createdAt: raw.created_at,
		updatedAt: raw.updated_at,
		...legacyResources(result),
		cost: legacyCost(raw.final_unit_deduction),
	});
}

/**
 * Reads Kling's task of either generation: `task_id` marks the legacy shape, `id` the current
 * one (Kling's docs, "Callback Protocol"). Undefined for anything that is neither.
 */
export function readKlingTask(value: unknown): KlingTask | undefined {
	if (!isObject(value)) return undefined;
	if (text(value.task_id) !== null) return readLegacy(value);
	if (text(value.id) !== null) return readCurrent(value);
	return undefined;
}

/**
 * An entry of Kling's legacy element and voice lists, read as a task: Kling's presets come in the
 * task shape with an empty `task_id` (they were made by no task of the account).
 */
export function readLegacyListEntry(value: unknown): KlingTask | undefined {
	if (!isObject(value)) return undefined;
	return 'task_id' in value || 'task_result' in value ? readLegacy(value) : undefined;
}

function toIsoTime(milliseconds: number | null): string | null {
	return milliseconds === null ? null : new Date(milliseconds).toISOString();
}

/** The flat item that "Simplify" gives, the same for both generations and in every node. */
export type SimplifiedTask = IDataObject &
	Omit<KlingTask, 'generation' | 'createdAt' | 'updatedAt' | 'raw' | 'element' | 'voice'> & {
		/** ISO 8601. */
		createdAt: string | null;
		updatedAt: string | null;
		/** Only for tasks that made an element (or a voice, or an element with a voice). */
		elementId?: string;
		elementName?: string | null;
		voiceId?: string;
		voiceName?: string | null;
	};

export function simplifyTask(task: KlingTask): SimplifiedTask {
	return {
		taskId: task.taskId,
		status: task.status,
		statusMessage: task.statusMessage,
		externalTaskId: task.externalTaskId,
		videoId: task.videoId,
		url: task.url,
		watermarkUrl: task.watermarkUrl,
		duration: task.duration,
		parentVideoId: task.parentVideoId,
		parentDuration: task.parentDuration,
		cost: task.cost ? { ...task.cost } : null,
		createdAt: toIsoTime(task.createdAt),
		updatedAt: toIsoTime(task.updatedAt),
		...(task.element ? { elementId: task.element.id, elementName: task.element.name } : {}),
		...(task.voice ? { voiceId: task.voice.id, voiceName: task.voice.name } : {}),
	};
}
