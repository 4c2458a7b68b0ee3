import type { NodeOperation } from '../../../shared/action/operations';
import {
	operationProperties,
	operationSubtitle,
	operationsByValue,
} from '../../../shared/action/operations';
import { PRODUCTS } from '../../../shared/kling/products';
import { sendExtendTask } from '../../../shared/requests/extension';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import {
	additionalFieldsDescription,
	bodyFromFields,
	createDescription,
	validateCreateInput,
} from './create';
import {
	extendUntilDescription,
	extensionNoticeDescription,
	sendExtendUntil,
	validateExtendUntilInput,
} from './extendUntil';
import { getTask } from './get';
import { getManyTasks } from './getAll';

const extendRequest = (ctx: KlingItemContext) => ({
	method: 'POST' as const,
	url: PRODUCTS.videoExtend.endpoint.path,
	body: bodyFromFields(ctx),
});

const extendVideo: NodeOperation = {
	value: 'create',
	name: 'Extend Video',
	action: 'Extend a video',
	description: 'Start a task that adds 4 to 5 seconds to a Kling video',
	creates: 'videoExtend',
	request: extendRequest,
	checks: [validateCreateInput],
	send: sendExtendTask,
	// Shown for both extending operations: the notice, Video ID and Prompt.
	properties: [...extensionNoticeDescription, ...createDescription],
};

const extendToDuration: NodeOperation = {
	value: 'extendUntil',
	name: 'Extend to Duration',
	action: 'Extend a video to a duration',
	description: 'Extend a video step after step until it is at least a given length',
	creates: 'videoExtend',
	// Each step is waited for by polling: there is no single task to call back about.
	waits: false,
	request: extendRequest,
	checks: [validateCreateInput, validateExtendUntilInput],
	send: sendExtendUntil,
	properties: extendUntilDescription,
};

/**
 * Kling Video Extend's operations, one entry each (in the order their fields appear): the
 * Operation field, the subtitle, execute() and webhook() all read this list.
 */
const operations: NodeOperation[] = [extendVideo, extendToDuration, getTask, getManyTasks];

export const taskOperations = operationsByValue(operations);

export const taskSubtitle = operationSubtitle(operations);

export const taskDescription = operationProperties(
	operations,
	'create',
	additionalFieldsDescription,
);
