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
