import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LibraryKind, LibrarySource } from '../kling/elementsAndVoices';
import { LIBRARIES } from '../kling/elementsAndVoices';
import { readKlingTask, readLegacyListEntry, type KlingTask } from '../kling/task';
import { fail, requireText } from '../checks/validation';
import type { KlingItemContext } from '../transport/itemContext';
import { klingCodeOf } from '../transport/klingResponse';
import { requestKling } from '../transport/transport';
import type { LegacyListReading } from './getTasks';
import { readLegacyList, wantedCount } from './getTasks';
import { taskItem } from './taskItems';
import { noSuchTask } from './taskReads';

/**
 * Custom elements and voices, and Kling's presets of both (Kling's docs, "Element Management" and
 * "Voice Management"): their lists (`GET <list>?pageNum&pageSize`, entries in the shape of the
 * creation task, presets with an empty `task_id`) and the deletion of a custom one.
 */

/** The element or voice an entry of the lists holds (an element's bound voice is not it). */
export function libraryResourceOf(kind: LibraryKind, task: KlingTask) {
	return kind === 'element' ? task.element : task.voice;
}

/** The lists' entries read as tasks, one per element or voice (by its id). */
function libraryReading(kind: LibraryKind): LegacyListReading {
	return {
		read: readLegacyListEntry,
		key: (task) => libraryResourceOf(kind, task)?.id ?? `task ${task.taskId}`,
	};
}

export function libraryListRequest(kind: LibraryKind, source: LibrarySource): IHttpRequestOptions {
	return { method: 'GET', url: LIBRARIES[kind].listPaths[source], qs: {} };
}

/**
 * Up to `wanted` entries of one list, a page after another until a short one (see
 * readLegacyList): for the pickers, whose lists are mostly one page.
 */
export async function readLibrary(
	ctx: KlingItemContext,
	kind: LibraryKind,
	source: LibrarySource,
	wanted: number,
): Promise<KlingTask[]> {
	const request = libraryListRequest(kind, source);
	return await readLegacyList(ctx, request, wanted, libraryReading(kind), 1);
}

/** The Source field's value, checked (an expression may give anything). */
export function librarySourceOf(ctx: KlingItemContext): LibrarySource {
	const source = ctx.getNodeParameter('source', 'custom');
	if (source === 'custom' || source === 'preset') return source;
	fail(ctx, `Source must be "custom" or "preset", but it is ${JSON.stringify(source)}`);
}

/** Get Many of elements or voices: one item per entry (Kling's own, or simplified). */
export function sendListLibrary(kind: LibraryKind) {
	return async function (
		this: KlingItemContext,
		request: IHttpRequestOptions,
	): Promise<INodeExecutionData[]> {
		const url = LIBRARIES[kind].listPaths[librarySourceOf(this)];
		const tasks = await readLegacyList(
			this,
			{ ...request, url },
			wantedCount(this),
			libraryReading(kind),
		);
		return tasks.map((task) => taskItem(this, task, this.getItemIndex()));
	};
}

/**
 * Get of an element or voice by its creation task (`GET <path>/<task id or external task id>`):
 * the task, with the element or voice once it has finished. No video to download.
 */
export async function sendGetLibraryTask(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const task = readKlingTask(await requestKling(this, request));
	if (!task) throw noSuchTask(this, String(request.url).split('/').pop() ?? '');
	return [taskItem(this, task, this.getItemIndex())];
}

/** The ID of the element or voice to delete, checked, in Kling's body. */
export function deleteBody(kind: LibraryKind, label: string) {
	return async function (
		this: KlingItemContext,
		request: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const { noun, idField } = LIBRARIES[kind];
		const parameter = kind === 'element' ? 'elementId' : 'voiceId';
		const id = requireText(
			this,
			label,
			this.getNodeParameter(parameter, ''),
			`Pick the custom ${noun} from the list, or give its ${idField}.`,
		);
		if (id.includes(',')) fail(this, `${label} must be one ID`, 'Delete one per item.');
		return { ...request, body: { [idField]: id } };
	};
}

/**
 * Deletes one custom element or voice (`POST <delete path>` with its id): the item says what was
 * deleted. A refusal of a preset or of an id the account does not have reads in plain words.
 */
export function sendDeleteFromLibrary(kind: LibraryKind) {
	return async function (
		this: KlingItemContext,
		request: IHttpRequestOptions,
	): Promise<INodeExecutionData[]> {
		const { idField } = LIBRARIES[kind];
		const id = String((request.body as IDataObject)[idField]);
		let data: unknown;
		try {
			data = await requestKling(this, request);
		} catch (error) {
			throw explainDeleteRefusal(this, kind, id, error);
		}
		const answer = (typeof data === 'object' && data !== null ? data : {}) as IDataObject;
		const json: IDataObject = {
			[kind === 'element' ? 'elementId' : 'voiceId']: id,
			deleted: true,
			taskId: answer.task_id ?? null,
			taskStatus: answer.task_status ?? null,
		};
		return [{ json, pairedItem: { item: this.getItemIndex() } }];
	};
}

function explainDeleteRefusal(
	ctx: KlingItemContext,
	kind: LibraryKind,
	id: string,
	error: unknown,
): unknown {
	const code = klingCodeOf(error);
	if (code === undefined || code < 1200 || code >= 1300) return error;
	const { noun } = LIBRARIES[kind];
	const message = String((error as { context?: IDataObject })?.context?.klingMessage ?? '');
	const plain = (text: string, description: string) =>
		new NodeOperationError(ctx.getNode(), text, {
			itemIndex: ctx.getItemIndex(),
			description: `${description} Kling said: ${message || `code ${code}`}`,
		});
	if (/preset|official/i.test(message)) {
		return plain(
			`${capitalized(noun)} ${id} is one of Kling's preset ${noun}s: only custom ${noun}s can be deleted`,
			`Kling's own ${noun}s stay in every account.`,
		);
	}
	if (/not (exist|found)|no such|already deleted/i.test(message)) {
		return plain(
			`Kling has no custom ${noun} ${id} to delete in this account`,
			`Check the ID (Get Many with Source "Custom" lists them), and that the Kling API credential belongs to the account that made the ${noun}.`,
		);
	}
	return error;
}

function capitalized(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
