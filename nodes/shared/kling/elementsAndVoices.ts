import { PRODUCTS } from './products';

/**
 * Kling's custom elements and custom voices on the legacy `/v1` API (Kling's docs, "Element
 * Management" and "Voice Management"): where they are made, listed and deleted, and what a
 * create takes. Creating one is an async task of its product (`element`, `voice` in products.ts).
 */
export type LibraryKind = 'element' | 'voice';

/** Custom ones (the account's own) or Kling's presets. */
export type LibrarySource = 'custom' | 'preset';

export interface Library {
	/** The product whose tasks make one. */
	product: LibraryKind;
	/** The word in messages: "element", "voice". */
	noun: string;
	/** Where each source is listed, `?pageNum&pageSize`. */
	listPaths: Record<LibrarySource, string>;
	/** The largest pageSize Kling takes on the lists. */
	maxPageSize: number;
	/** `POST` with `{<idField>: id}`: deletes a custom one. */
	deletePath: string;
	/** The id's name in Kling's bodies and results (`element_id`, `voice_id`). */
	idField: string;
	/** Where the results sit in a task's `task_result`, and their name's field. */
	resultList: string;
	nameField: string;
}

export const LIBRARIES: Record<LibraryKind, Library> = {
	element: {
		product: 'element',
		noun: 'element',
		listPaths: {
			custom: PRODUCTS.element.endpoint.path,
			preset: '/v1/general/advanced-presets-elements',
		},
		maxPageSize: 500,
		deletePath: '/v1/general/delete-advanced-elements',
		idField: 'element_id',
		resultList: 'elements',
		nameField: 'element_name',
	},
	voice: {
		product: 'voice',
		noun: 'voice',
		listPaths: { custom: PRODUCTS.voice.endpoint.path, preset: '/v1/general/presets-voices' },
		// The voice lists take pageSize up to 1000; 500 keeps one paging rule for both.
		maxPageSize: 500,
		deletePath: '/v1/general/delete-voices',
		idField: 'voice_id',
		resultList: 'voices',
		nameField: 'voice_name',
	},
};

/** Kling's element tags (`tag_list[{tag_id}]`). */
export const ELEMENT_TAGS: Record<string, string> = {
	o_101: 'Hottest',
	o_102: 'Character',
	o_103: 'Animal',
	o_104: 'Item',
	o_105: 'Costume',
	o_106: 'Scene',
	o_107: 'Effect',
	o_108: 'Others',
};

export const ELEMENT_NAME_MAX = 20;
export const ELEMENT_DESCRIPTION_MAX = 100;
/** Besides the frontal image, 1 to 3 reference images. */
export const REFERENCE_IMAGES_MIN = 1;
export const REFERENCE_IMAGES_MAX = 3;
/** Element images: JPG or PNG, at most 10 MB (the aspect ratio and 300 px as for frames). */
export const ELEMENT_IMAGE_MAX_BYTES = 10 * 1024 * 1024;
export const ELEMENT_VIDEO_EXTENSIONS = ['.mp4', '.mov'];

export const VOICE_NAME_MAX = 20;
export const VOICE_CLIP_EXTENSIONS = ['.mp3', '.wav', '.mp4', '.mov'];
