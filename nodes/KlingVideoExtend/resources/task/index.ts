import type { IHttpRequestOptions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { KlingItemContext, KlingRequest } from '../../shared/itemContext';
import {
	DEFAULT_CONCURRENCY,
	DEFAULT_MAX_RETRIES,
	DEFAULT_RETRY_DELAY_MS,
	DEFAULT_TIMEOUT_MS,
} from '../../shared/transport';
import { TASKS_PATH } from '../../shared/waiting';
import {
	additionalFieldsDescription,
	bodyFromFields,
	createDescription,
	sendCreateTask,
	validateCreateInput,
	waitDescription,
} from './create';
import { extendUntilDescription, sendExtendUntil, validateExtendUntilInput } from './extendUntil';
import { buildGetTaskPath, getDescription, sendGetTask } from './get';
import { getAllDescription, paginateTasks, validateListInput } from './getAll';

type Check = (this: KlingItemContext, request: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

export interface TaskOperation {
	/** The request as the fields give it, before the checks. */
	request(ctx: KlingItemContext): IHttpRequestOptions;
	/** Run in order before anything is sent: they refuse bad input by name and complete the request. */
	checks: Check[];
	/** Owns the request loop: retries, the no-duplicate create, waiting, pages and downloads. */
	send(this: KlingItemContext, request: KlingRequest): Promise<INodeExecutionData[]>;
}

const extendRequest = (ctx: KlingItemContext): IHttpRequestOptions => ({
	method: 'POST',
	url: TASKS_PATH,
	body: bodyFromFields(ctx),
});

/** Each operation of the node, by its value. */
export const taskOperations: Record<string, TaskOperation> = {
	create: { request: extendRequest, checks: [validateCreateInput], send: sendCreateTask },
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
	...createDescription,
	...extendUntilDescription,
	...waitDescription,
	...additionalFieldsDescription,
	...getDescription,
	...getAllDescription,
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description:
			'Whether to return a flat item (task ID, status, video ID, URLs, duration in seconds, times as ISO dates) instead of Kling’s full task',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'First Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 0.01, numberPrecision: 2 },
				default: 3,
				description:
					'When polling, the first wait; each next one doubles up to the longest interval',
			},
			{
				displayName: 'First Retry Delay (Ms)',
				name: 'retryDelay',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_RETRY_DELAY_MS,
				description:
					'Wait before the first retry; each next one doubles. Kling advises 1 second or more.',
			},
			{
				displayName: 'Longest Poll Interval (Seconds)',
				name: 'maxPollInterval',
				type: 'number',
				typeOptions: { minValue: 0.01, numberPrecision: 2 },
				default: 30,
				description: 'When polling, the longest wait between two reads of the task',
			},
			{
				displayName: 'Output Failed Tasks',
				name: 'outputFailedTasks',
				type: 'boolean',
				default: false,
				description:
					'Whether a task that Kling ends as "failed" is output as an item instead of stopping the workflow with its reason',
			},
			{
				displayName: 'Parallel Requests',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: DEFAULT_CONCURRENCY,
				description:
					'How many requests this node sends to Kling at once, across all items and pages. Kling answers 429 (1302/1303) when it is too many; those are retried.',
			},
			{
				displayName: 'Request Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TIMEOUT_MS,
				description: 'How long to wait for each answer from Kling',
			},
			{
				displayName: 'Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: DEFAULT_MAX_RETRIES,
				description:
					'How often to retry a request that Kling refused for load (1302, 1303, 5000-5002) or that lost its connection. Other errors are not retried.',
			},
			{
				displayName: 'Watermarked Video',
				name: 'watermarked',
				type: 'boolean',
				default: false,
				description:
					'Whether Download Video takes the watermarked file (the task must have been created with Watermark on)',
			},
		],
	},
];
