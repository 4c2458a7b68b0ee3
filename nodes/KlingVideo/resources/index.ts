import type { NodeOperation } from '../../shared/action/operations';
import {
	operationProperties,
	operationSubtitle,
	operationsByValue,
} from '../../shared/action/operations';
import { generationOptionsField } from '../../shared/fields/generationOptions';
import { getResourcePacks } from './account/getResourcePacks';
import { getTask } from './video/get';
import { getManyTasks } from './video/getAll';
import { imageToVideo } from './video/imageToVideo';
import { omniVideo } from './video/omniVideo';
import { textToVideo } from './video/textToVideo';

/**
 * Kling Video's operations, one entry each (in the order their fields appear): the Operation
 * field, the subtitle, execute() and webhook() all read this list.
 */
const operations: NodeOperation[] = [
	textToVideo,
	imageToVideo,
	omniVideo,
	getTask,
	getManyTasks,
	getResourcePacks,
];

export const videoOperations = operationsByValue(operations);

export const videoSubtitle = operationSubtitle(operations);

// Additional Fields after the wait fields, as in Kling Video Extend.
export const videoDescription = operationProperties(operations, 'textToVideo', (creating) => [
	generationOptionsField(creating),
]);
