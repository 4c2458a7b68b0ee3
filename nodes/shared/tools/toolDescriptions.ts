import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * What an AI agent's model reads about each operation. n8n describes a tool as
 * "<the operation's action> in <node name>" (unless the user writes a description), so the action
 * texts say what the operation does, that a generation is paid, and how long it takes.
 */

const PAID = 'a paid Kling generation that takes a few minutes';

export const KLING_VIDEO_ACTIONS: Record<string, string> = {
	textToVideo: `Generate a video from a text prompt, ${PAID}; returns the task with its video URL`,
	imageToVideo: `Generate a video from an image, ${PAID}; returns the task with its video URL`,
	get: 'Get a video generation task by its ID, with its status and video URL (free, instant)',
	getAll: 'Get many video generation tasks, newest first (free, instant)',
	getResourcePacks: 'Get the resource packs of the Kling account and their remaining units',
};

export const KLING_VIDEO_EXTEND_ACTIONS: Record<string, string> = {
	create: `Extend a Kling video by about 4.5 seconds, ${PAID}; only videos made by V1.x models extend`,
	extendUntil: `Extend a Kling video again and again up to a duration, ${PAID} per extension`,
	get: 'Get a video extension task by its ID, with its status and video URL (free, instant)',
	getAll: 'Get many video extension tasks, newest first (free, instant)',
};

/** The node's properties with the Operation options' action texts above (others unchanged). */
export function withAgentActions(
	properties: INodeProperties[],
	actions: Record<string, string>,
): INodeProperties[] {
	return properties.map((property) => {
		if (property.name !== 'operation' || !property.options) return property;
		return {
			...property,
			options: (property.options as INodePropertyOptions[]).map((option) =>
				typeof option.value === 'string' && actions[option.value]
					? { ...option, action: actions[option.value] }
					: option,
			),
		};
	});
}
