import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_CONCURRENCY,
	DEFAULT_MAX_RETRIES,
	DEFAULT_RETRY_DELAY_MS,
	DEFAULT_TIMEOUT_MS,
} from '../transport/transport';
import { MAX_LISTABLE_TASKS } from '../checks/validation';
import { TASK_STATUSES } from '../kling/task';

/**
 * Fields that both action nodes show the same way, under the same names (saved workflows
 * depend on them), so the two nodes read alike and share one implementation.
 */

type Show = NonNullable<IDisplayOptions['show']>;

/**
 * Wait for Completion, Max Wait and Download Video of the operations that create a task (Download
 * Video only for those of them whose task ends in a video: `downloading`).
 */
export function waitFields(operation: string[], downloading = operation): INodeProperties[] {
	const download: INodeProperties[] =
		downloading.length === 0
			? []
			: [
					{
						displayName: 'Download Video',
						name: 'downloadVideo',
						type: 'boolean',
						default: false,
						description: 'Whether to add the finished video to the item as binary data "data"',
						displayOptions: {
							show: { operation: downloading, waitForCompletion: ['poll', 'callback'] },
						},
					},
				];
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'options',
			options: [
				{
					name: 'No',
					value: 'no',
					description: 'Return the submitted task at once',
				},
				{
					name: 'Poll',
					value: 'poll',
					description:
						'Ask Kling now and then (3 s at first, then up to every 30 s) until the task has finished',
				},
				{
					name: 'Callback',
					value: 'callback',
					description:
						'Pause the execution until Kling calls back that every task has finished: no polling. n8n must be reachable from Kling.',
				},
			],
			default: 'no',
			noDataExpression: true,
			displayOptions: { show: { operation } },
		},
		{
			displayName: 'Max Wait (Minutes)',
			name: 'maxWait',
			type: 'number',
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			default: 15,
			description: 'How long to wait for the task to finish before giving up on it',
			displayOptions: { show: { operation, waitForCompletion: ['poll', 'callback'] } },
		},
		...download,
	];
}

/** Which operations of a node show Wait for Completion, and which create without it. */
export interface CreateOperations {
	waiting: string[];
	notWaiting?: string[];
}

/**
 * A field that Wait for Completion = Callback takes over (the node sets it itself): shown with No
 * and Poll, and in operations that have no Wait for Completion. Two variants, because a condition
 * on Wait for Completion alone would also read its hidden, stale value in those operations.
 */
function unlessCallbackWait(
	field: INodeProperties,
	operations: CreateOperations,
): INodeProperties[] {
	const variants: INodeProperties[] = [
		{
			...field,
			displayOptions: {
				show: { '/operation': operations.waiting, '/waitForCompletion': ['no', 'poll'] },
			},
		},
	];
	if (operations.notWaiting?.length) {
		variants.push({ ...field, displayOptions: { show: { '/operation': operations.notWaiting } } });
	}
	return variants;
}

/**
 * The Additional Fields every create has: Callback URL, CFG Scale, External Task ID, Negative
 * Prompt, Watermark. Callback URL and External Task ID are absent with Wait for Completion =
 * Callback.
 */
export function commonCreateOptions(
	operations: CreateOperations,
	negativePromptDescription: string,
	cfgScaleNote = '',
): INodeProperties[] {
	return [
		...unlessCallbackWait(
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/kling',
				description:
					'Where Kling posts each status change of the task. Paste the Production URL of a Kling Trigger node here (with ?token=… added when the trigger checks a URL token).',
			},
			operations,
		),
		{
			displayName: 'CFG Scale',
			name: 'cfgScale',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.5,
			description:
				'How strongly the result follows the prompt, from 0 to 1: higher follows it more closely' +
				cfgScaleNote,
		},
		...unlessCallbackWait(
			{
				displayName: 'External Task ID',
				name: 'externalTaskId',
				type: 'string',
				default: '',
				description:
					'Your own ID for the task, unique in the account; Get Task can look the task up by it',
			},
			operations,
		),
		{
			displayName: 'Negative Prompt',
			name: 'negativePrompt',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: negativePromptDescription,
		},
		{
			displayName: 'Watermark',
			name: 'watermark',
			type: 'boolean',
			default: false,
			description: 'Whether Kling also makes a watermarked copy of the result',
		},
	];
}

/**
 * Look Up By, Task ID / External Task ID and Download Video of Get Task (without Download Video
 * for tasks that make no video: `video` false).
 */
export function getTaskFields(show: Show, taskNoun: string, video = true): INodeProperties[] {
	const fields: INodeProperties[] = [
		{
			displayName: 'Look Up By',
			name: 'lookupBy',
			type: 'options',
			options: [
				{ name: 'Task ID', value: 'taskId', description: 'The task_id Kling gave the task' },
				{
					name: 'External Task ID',
					value: 'externalTaskId',
					description: 'Your own ID, sent as External Task ID when the task was created',
				},
			],
			default: 'taskId',
			displayOptions: { show: show },
		},
		{
			displayName: 'Task ID',
			name: 'taskId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '841275849627750468',
			description: `The task_id of the ${taskNoun}`,
			displayOptions: { show: { ...show, lookupBy: ['taskId'] } },
		},
		{
			displayName: 'External Task ID',
			name: 'externalTaskId',
			type: 'string',
			required: true,
			default: '',
			description: 'The External Task ID given when the task was created',
			displayOptions: { show: { ...show, lookupBy: ['externalTaskId'] } },
		},
		{
			displayName: 'Download Video',
			name: 'downloadVideo',
			type: 'boolean',
			default: false,
			description:
				'Whether to add the result video to the item as binary data "data" when the task has succeeded',
			displayOptions: { show: show },
		},
	];
	return video ? fields : fields.filter((field) => field.name !== 'downloadVideo');
}

/** Return All and Limit of Get Many. */
export function listFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show: show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_LISTABLE_TASKS },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** Status of Get Many on the current generation: Kling's own status filter. */
export function statusFilterField(show: Show): INodeProperties {
	const names: Record<string, string> = {
		submitted: 'Submitted',
		processing: 'Processing',
		succeeded: 'Succeeded',
		failed: 'Failed',
	};
	return {
		displayName: 'Status',
		name: 'statusFilter',
		type: 'multiOptions',
		options: TASK_STATUSES.map((status) => ({ name: names[status], value: status })),
		default: [],
		description: 'Only tasks with one of these statuses; none chosen lists tasks of any status',
		displayOptions: { show },
	};
}

/** Options → Watermarked Video: Download Video takes the watermarked file. */
export const watermarkedOption: INodeProperties = {
	displayName: 'Watermarked Video',
	name: 'watermarked',
	type: 'boolean',
	default: false,
	description:
		'Whether Download Video takes the watermarked file (the task must have been created with Watermark on)',
};

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: false,
	description:
		'Whether to return a flat item (task ID, status, video ID, URLs, duration in seconds, times as ISO dates) instead of Kling’s full task',
};

export const optionsField: INodeProperties = {
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
			description: 'When polling, the first wait; each next one doubles up to the longest interval',
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
		watermarkedOption,
	],
};
