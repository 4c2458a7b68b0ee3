import type { NodeResource } from '../../shared/action/operations';
import {
	resourceOperations,
	resourceProperties,
	resourceSubtitle,
} from '../../shared/action/operations';
import { generationOptionsField } from '../../shared/fields/generationOptions';
import { getResourcePacks } from './account/getResourcePacks';
import { textToSpeech } from './audio/textToSpeech';
import { avatar } from './video/avatar';
import { getTask } from './video/get';
import { getManyTasks } from './video/getAll';
import { imageToVideo } from './video/imageToVideo';
import { motionControl } from './video/motionControl';
import { lipSync } from './video/lipSync';
import { omniVideo } from './video/omniVideo';
import { textToVideo } from './video/textToVideo';

/**
 * Kling Video's resources and their operations, one entry each (in the order their fields
 * appear): the Resource and Operation fields, the subtitle, execute() and webhook() all read this
 * list. Video is the default, so a workflow saved before there were resources runs unchanged.
 */
const resources: NodeResource[] = [
	{
		value: 'video',
		name: 'Video',
		description: 'Make videos and read their tasks',
		operations: [
			textToVideo,
			imageToVideo,
			omniVideo,
			motionControl,
			avatar,
			lipSync,
			getTask,
			getManyTasks,
			getResourcePacks,
		],
		defaultOperation: 'textToVideo',
	},
	{
		value: 'audio',
		name: 'Audio',
		description: 'Make speech for talking videos',
		operations: [textToSpeech],
		defaultOperation: 'textToSpeech',
	},
];

export const videoOperations = resourceOperations(resources);

export const videoSubtitle = resourceSubtitle(resources, 'video');

// Additional Fields after the wait fields, as in Kling Video Extend.
export const videoDescription = resourceProperties(resources, 'video', (creating) => [
	generationOptionsField(creating),
]);
