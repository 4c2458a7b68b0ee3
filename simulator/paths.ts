import type { CurrentTaskKind, LegacyTaskKind } from './types';

/**
 * Where each of Kling's endpoints lives. A module of plain facts at the bottom of the import graph,
 * so that the HTTP front, the fault registry and the handlers can all ask "is this an API path?"
 * without importing one another.
 */

/** Legacy /v1 collections: create, get one and list under each. */
export const COLLECTIONS: Readonly<Record<LegacyTaskKind, string>> = {
	'video-extend': '/v1/videos/video-extend',
	text2video: '/v1/videos/text2video',
	image2video: '/v1/videos/image2video',
	// Kling's docs, "Element Management" and "Voice Management" (legacy /v1, async tasks).
	element: '/v1/general/advanced-custom-elements',
	voice: '/v1/general/custom-voices',
};

/** Kling's own elements and voices, and the deletions (custom ones only). */
export const PRESET_ELEMENTS_PATH = '/v1/general/advanced-presets-elements';
export const PRESET_VOICES_PATH = '/v1/general/presets-voices';
/** The element pages name the first, the image element pages the second; both work here. */
export const DELETE_ELEMENT_PATHS: readonly string[] = [
	'/v1/general/delete-advanced-elements',
	'/v1/general/delete-elements',
];
export const DELETE_VOICE_PATH = '/v1/general/delete-voices';
export const ACCOUNT_COSTS = '/account/costs';

/**
 * Reading tasks in the current generation (Kling's docs, "Query Task" and "Query Task List"):
 * every task of the account, legacy ones included, in the current shape.
 */
export const TASKS = '/tasks';

/** Create paths of the current generation: `POST <path>/<model>`; tasks are read through /tasks. */
export const CURRENT_COLLECTIONS: Readonly<Record<CurrentTaskKind, string>> = {
	'text-to-video': '/text-to-video',
	'image-to-video': '/image-to-video',
	'omni-video': '/omni-video',
	'motion-control': '/motion-control',
};

/** Paths the API handler answers (the rest of the server serves videos and the admin routes). */
export function isApiPath(path: string): boolean {
	return path === '/v1' || path.startsWith('/v1/') || path === ACCOUNT_COSTS || isCurrentPath(path);
}

/** A current-generation path: /tasks, /text-to-video/…, /image-to-video/…, /omni-video/…, /motion-control/…. */
export function isCurrentPath(path: string): boolean {
	return (
		path === TASKS ||
		Object.values(CURRENT_COLLECTIONS).some((p) => path === p || path.startsWith(`${p}/`))
	);
}
