import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { LibraryKind, LibrarySource } from '../kling/elementsAndVoices';
import { LIBRARIES } from '../kling/elementsAndVoices';
import type { KlingTask } from '../kling/task';
import { libraryResourceOf, readLibrary } from '../tasks/library';
import { requestSender } from '../transport/itemContext';

/**
 * The editor's pickers of elements and voices (n8n's `loadOptionsMethod`): the account's custom
 * ones and Kling's presets, by name, the ID as the value. Any node that takes element or voice IDs
 * adds `resourcePickerMethods` to its `methods.loadOptions` and names a method on its field (see
 * fields/resourcePickerFields.ts); an ID typed in an expression works as before.
 */

/** The most of each list a picker reads (a few pages of 500). */
const MAX_LISTED = 2000;

/** The method names, as fields name them in `typeOptions.loadOptionsMethod`. */
export const PICKER_METHODS = {
	elements: 'listElements',
	customElements: 'listCustomElements',
	voices: 'listVoices',
	customVoices: 'listCustomVoices',
} as const;

function optionOf(kind: LibraryKind, task: KlingTask, source: LibrarySource) {
	const resource = libraryResourceOf(kind, task);
	if (!resource || task.status !== 'succeeded') return undefined;
	const { resultList } = LIBRARIES[kind];
	const results = (task.raw.task_result as Record<string, unknown> | undefined)?.[resultList];
	const first = (Array.isArray(results) ? results[0] : undefined) as
		| Record<string, unknown>
		| undefined;
	if (first?.status === 'deleted') return undefined;
	const about = kind === 'element' ? first?.element_description : undefined;
	const origin = source === 'preset' ? 'Kling preset' : 'Custom';
	const description = [origin, typeof about === 'string' && about !== '' ? about : undefined]
		.filter(Boolean)
		.join(': ');
	const option: INodePropertyOptions = {
		name: resource.name ?? resource.id,
		value: resource.id,
		description: `${description} (ID ${resource.id})`,
	};
	return option;
}

/** The options of the lists of `sources`, custom ones first, each list by name. */
async function listOptions(
	host: ILoadOptionsFunctions,
	kind: LibraryKind,
	sources: LibrarySource[],
): Promise<INodePropertyOptions[]> {
	const ctx = requestSender(host).forItem(0);
	const lists = await Promise.all(
		sources.map(async (source) => {
			const tasks = await readLibrary(ctx, kind, source, MAX_LISTED);
			return tasks
				.map((task) => optionOf(kind, task, source))
				.filter((option): option is INodePropertyOptions => option !== undefined)
				.sort((a, b) => a.name.localeCompare(b.name));
		}),
	);
	const seen = new Set<string>();
	return lists.flat().filter((option) => {
		const id = String(option.value);
		if (seen.has(id)) return false;
		seen.add(id);
		return true;
	});
}

export async function listElements(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listOptions(this, 'element', ['custom', 'preset']);
}

export async function listCustomElements(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await listOptions(this, 'element', ['custom']);
}

export async function listVoices(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listOptions(this, 'voice', ['custom', 'preset']);
}

export async function listCustomVoices(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await listOptions(this, 'voice', ['custom']);
}

/** What a node adds to `methods.loadOptions` to offer the pickers. */
export const resourcePickerMethods = {
	[PICKER_METHODS.elements]: listElements,
	[PICKER_METHODS.customElements]: listCustomElements,
	[PICKER_METHODS.voices]: listVoices,
	[PICKER_METHODS.customVoices]: listCustomVoices,
};
