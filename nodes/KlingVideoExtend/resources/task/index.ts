import type { INodeProperties } from 'n8n-workflow';

import { simplifyTasks, unwrapTasks } from '../../shared/postReceive';
import { createDescription, validateCreateInput } from './create';
import { buildGetTaskPath, getDescription } from './get';
import { getAllDescription, paginateTasks, validateListInput } from './getAll';

const TASKS_PATH = '/v1/videos/video-extend';

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
				routing: {
					request: { method: 'POST', url: TASKS_PATH },
					send: { preSend: [validateCreateInput] },
					output: { postReceive: [unwrapTasks] },
				},
			},
			{
				name: 'Get Task',
				value: 'get',
				action: 'Get a task',
				description: 'Get an extension task, with its result once it has finished',
				routing: {
					request: { method: 'GET', url: TASKS_PATH },
					send: { preSend: [buildGetTaskPath] },
					output: { postReceive: [unwrapTasks] },
				},
			},
			{
				name: 'Get Many Tasks',
				value: 'getAll',
				action: 'Get many tasks',
				description: 'List extension tasks, newest first',
				routing: {
					request: { method: 'GET', url: TASKS_PATH },
					send: { preSend: [validateListInput], paginate: true },
					operations: { pagination: paginateTasks },
					output: { postReceive: [unwrapTasks] },
				},
			},
		],
		default: 'create',
	},
	...createDescription,
	...getDescription,
	...getAllDescription,
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description:
			'Whether to return a flat item (task ID, status, video ID, URLs, duration in seconds, times as ISO dates) instead of Kling’s full task',
		routing: { output: { postReceive: [simplifyTasks] } },
	},
];
