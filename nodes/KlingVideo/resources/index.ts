import type { INodeProperties } from 'n8n-workflow';

import type { TaskOperations } from '../../shared/action/actionNode';
import { optionsField, simplifyField, waitFields } from '../../shared/fields/commonFields';
import { generationOptionsField } from '../../shared/fields/generationOptions';
import { TASK_KINDS } from '../../shared/kling/taskKinds';
import {
	ACCOUNT_COSTS_PATH,
	buildResourcePacksQuery,
	getResourcePacksDescription,
	sendGetResourcePacks,
} from './account/getResourcePacks';
import { getDescription, getOperation } from './video/get';
import { getAllDescription, getAllOperation } from './video/getAll';
import {
	imageToVideoDescription,
	imageToVideoRequest,
	validateImageToVideoInput,
} from './video/imageToVideo';
import {
	sendGenerationTask,
	textToVideoDescription,
	textToVideoRequest,
	validateTextToVideoInput,
} from './video/textToVideo';

/** Each operation of Kling Video, by its value. */
export const videoOperations: TaskOperations = {
	textToVideo: {
		request: textToVideoRequest,
		checks: [validateTextToVideoInput],
		send: sendGenerationTask,
		callbackTasksPath: TASK_KINDS.textToVideo.path,
	},
	imageToVideo: {
		request: imageToVideoRequest,
		checks: [validateImageToVideoInput],
		send: sendGenerationTask,
		callbackTasksPath: TASK_KINDS.imageToVideo.path,
	},
	get: getOperation,
	getAll: getAllOperation,
	getResourcePacks: {
		request: () => ({ method: 'GET', url: ACCOUNT_COSTS_PATH }),
		checks: [buildResourcePacksQuery],
		send: sendGetResourcePacks,
	},
};

export const videoDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many tasks',
				description: 'List the account’s tasks (Kling’s current API), newest first',
			},
			{
				name: 'Get Resource Packs',
				value: 'getResourcePacks',
				action: 'Get resource packs',
				description: 'List the account’s resource packs with their remaining units',
			},
			{
				name: 'Get Task',
				value: 'get',
				action: 'Get a task',
				description: 'Get a text or image to video task, with its video once it has finished',
			},
			{
				name: 'Image to Video',
				value: 'imageToVideo',
				action: 'Generate a video from an image',
				description: 'Start a task that brings an image (and optionally a last frame) to life',
			},
			{
				name: 'Text to Video',
				value: 'textToVideo',
				action: 'Generate a video from text',
				description: 'Start a task that makes a 3 to 15 second video from a prompt, or from shots',
			},
		],
		default: 'textToVideo',
	},
	...textToVideoDescription,
	...imageToVideoDescription,
	...waitFields(['textToVideo', 'imageToVideo']),
	// After the wait fields, as in Kling Video Extend.
	generationOptionsField(['textToVideo', 'imageToVideo']),
	...getDescription,
	...getAllDescription,
	...getResourcePacksDescription,
	simplifyField,
	optionsField,
];
