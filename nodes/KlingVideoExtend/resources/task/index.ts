import type { INodeProperties } from 'n8n-workflow';

import type { TaskOperations } from '../../../shared/action/actionNode';
import { optionsField, simplifyField, waitFields } from '../../../shared/fields/commonFields';
import { sendExtendTask } from '../../../shared/kling/extension';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import { TASK_KINDS } from '../../../shared/kling/taskKinds';
import {
	buildGetTaskPath,
	paginateTasks,
	sendGetTask,
	validateListInput,
} from '../../../shared/tasks/taskReads';
import {
	additionalFieldsDescription,
	bodyFromFields,
	createDescription,
	validateCreateInput,
} from './create';
import {
	extendUntilDescription,
	sendExtendUntil,
	extensionNoticeDescription,
	validateExtendUntilInput,
} from './extendUntil';
import { getDescription } from './get';
import { getAllDescription } from './getAll';

const TASKS_PATH = TASK_KINDS.videoExtend.path;

const extendRequest = (ctx: KlingItemContext) => ({
	method: 'POST' as const,
	url: TASKS_PATH,
	body: bodyFromFields(ctx),
});

/** Each operation of the node, by its value. */
export const taskOperations: TaskOperations = {
	create: {
		request: extendRequest,
		checks: [validateCreateInput],
		send: sendExtendTask,
		callbackTasksPath: TASKS_PATH,
	},
	extendUntil: {
		request: extendRequest,
		checks: [validateCreateInput, validateExtendUntilInput],
		send: sendExtendUntil,
	},
	get: {
		request: () => ({ method: 'GET', url: TASKS_PATH }),
		checks: [buildGetTaskPath],
		send: sendGetTask,
	},
	getAll: {
		request: () => ({ method: 'GET', url: TASKS_PATH, qs: {} }),
		checks: [validateListInput],
		send: paginateTasks,
	},
};

export const taskDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Extend Video',
				value: 'create',
				action: 'Extend a video',
				description: 'Start a task that adds 4 to 5 seconds to a Kling video',
			},
			{
				name: 'Extend to Duration',
				value: 'extendUntil',
				action: 'Extend a video to a duration',
				description: 'Extend a video step after step until it is at least a given length',
			},
			{
				name: 'Get Task',
				value: 'get',
				action: 'Get a task',
				description: 'Get an extension task, with its result once it has finished',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many tasks',
				description: 'List extension tasks, newest first',
			},
		],
		default: 'create',
	},
	...extensionNoticeDescription,
	...createDescription,
	...extendUntilDescription,
	...waitFields(['create']),
	...additionalFieldsDescription,
	...getDescription,
	...getAllDescription,
	simplifyField,
	optionsField,
];
