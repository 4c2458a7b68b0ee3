/**
 * The kinds of task the package makes. Each has its own endpoint (create, read one, list) at
 * Kling, and the same task shape; only video-extend tasks carry `task_info.parent_video`.
 */
export type TaskKind = 'textToVideo' | 'imageToVideo' | 'videoExtend';

export interface TaskKindInfo {
	/** Create (POST), list (GET) and, with `/{id}`, read one task (GET). */
	path: string;
	displayName: string;
	/** What Kling failed to do when a task of this kind ends "failed". */
	failure: string;
}

export const TASK_KINDS: Record<TaskKind, TaskKindInfo> = {
	textToVideo: {
		path: '/v1/videos/text2video',
		displayName: 'Text to Video',
		failure: 'Kling could not generate the video from the prompt',
	},
	imageToVideo: {
		path: '/v1/videos/image2video',
		displayName: 'Image to Video',
		failure: 'Kling could not generate the video from the image',
	},
	videoExtend: {
		path: '/v1/videos/video-extend',
		displayName: 'Video Extend',
		failure: 'Kling could not extend the video',
	},
};

export function taskKindOfPath(path: unknown): TaskKind | undefined {
	const kinds = Object.keys(TASK_KINDS) as TaskKind[];
	return kinds.find((kind) => TASK_KINDS[kind].path === path);
}

/**
 * Kling's current API generation reads every task at one endpoint (Kling's docs, "Query Task":
 * `GET /tasks?task_ids=` or `external_task_ids=`, at most MAX_TASK_IDS ids, and `POST /tasks`,
 * a cursor list). Its create endpoints carry the model in the path (`/text-to-video/<model>`);
 * the legacy generation's endpoints all start with `/v1/`.
 */
export const CURRENT_TASKS_PATH = '/tasks';
export const MAX_TASK_IDS = 20;
export const MAX_TASK_LIST_PAGE = 500;

export function isLegacyUrl(url: unknown): boolean {
	return String(url ?? '').startsWith('/v1/');
}

/** The kind of task a create URL of either generation makes. */
export function taskKindOfUrl(url: unknown): TaskKind | undefined {
	const text = String(url ?? '');
	if (text.startsWith('/text-to-video/')) return 'textToVideo';
	if (text.startsWith('/image-to-video/')) return 'imageToVideo';
	return taskKindOfPath(text);
}
