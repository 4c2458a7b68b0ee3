import type { NodeResource } from '../../shared/action/operations';
import {
	resourceOperations,
	resourceProperties,
	resourceSubtitle,
} from '../../shared/action/operations';
import { generationOptionsField, taskOptionsField } from '../../shared/fields/generationOptions';
import { getResourcePacks } from './account/getResourcePacks';
import { textToSpeech } from './audio/textToSpeech';
import { avatar } from './video/avatar';
import { createElement } from './element/create';
import { deleteElement } from './element/delete';
import { getElement } from './element/get';
import { getManyElements } from './element/getAll';
import { getTask } from './video/get';
import { getManyTasks } from './video/getAll';
import { imageToVideo } from './video/imageToVideo';
import { motionControl } from './video/motionControl';
import { lipSync } from './video/lipSync';
import { omniVideo } from './video/omniVideo';
import { textToVideo } from './video/textToVideo';
import { createVoice } from './voice/create';
import { deleteVoice } from './voice/delete';
import { getVoice } from './voice/get';
import { getManyVoices } from './voice/getAll';

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
	{
		value: 'element',
		name: 'Element',
		description: 'Make, list and delete custom elements: characters and objects videos can show',
		operations: [createElement, getElement, getManyElements, deleteElement],
		defaultOperation: 'create',
		createFields: (creating) => [taskOptionsField(creating)],
	},
	{
		value: 'voice',
		name: 'Voice',
		description: 'Make, list and delete custom voices that speak in videos',
		operations: [createVoice, getVoice, getManyVoices, deleteVoice],
		defaultOperation: 'create',
		createFields: (creating) => [taskOptionsField(creating)],
	},
];

export const videoOperations = resourceOperations(resources);

export const videoSubtitle = resourceSubtitle(resources, 'video');

// Additional Fields after the wait fields, as in Kling Video Extend.
export const videoDescription = resourceProperties(resources, 'video', (creating) => [
	generationOptionsField(creating),
]);
