import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { KlingItemContext, KlingRequest } from '../../shared/itemContext';
import { executionIdOf, generatedExternalTaskId, runRefOf } from '../../shared/runRef';
import { asNodeError, klingCodeOf, sendRouted } from '../../shared/transport';
import { downloadResult, taskView } from '../../../shared/taskResult';
import { checkTaskSucceeded, getTask, pollUntilFinished, waitSettings } from '../../shared/waiting';

import {
	MAX_PROMPT_LENGTH,
	checkHttpUrl,
	checkNumberInRange,
	checkOptionalText,
	requireText,
} from '../../shared/validation';

const showOnlyForCreate = { operation: ['create'] };
const showForExtending = { operation: ['create', 'extendUntil'] };

/** The body of Extend Video and Extend to Duration, from the fields as the user filled them. */
export function bodyFromFields(ctx: KlingItemContext): IDataObject {
	const body: IDataObject = { video_id: ctx.getNodeParameter('videoId', '') as string };
	const prompt = ctx.getNodeParameter('prompt', '');
	if (prompt !== '' && prompt !== undefined && prompt !== null) body.prompt = prompt;
	const fields = ctx.getNodeParameter('additionalFields', {}) as IDataObject;
	if ('callbackUrl' in fields) body.callback_url = fields.callbackUrl;
	if ('cfgScale' in fields) body.cfg_scale = fields.cfgScale;
	if ('externalTaskId' in fields) body.external_task_id = fields.externalTaskId;
	if ('negativePrompt' in fields) body.negative_prompt = fields.negativePrompt;
	if ('watermark' in fields) body.watermark_info = { enabled: fields.watermark };
	return body;
}

/** Checks what the user typed (or what expressions made of it) before Kling bills anything. */
export async function validateCreateInput(
	this: KlingItemContext,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as Record<string, unknown>;
	body.video_id = requireText(
		this,
		'Video ID',
		body.video_id,
		'Use the id of a video made by Kling (text-to-video, image-to-video or an earlier extension), for example task_result.videos[0].id of a finished task.',
	);
	checkOptionalText(this, 'Prompt', body.prompt, MAX_PROMPT_LENGTH);
	checkOptionalText(this, 'Negative Prompt', body.negative_prompt, MAX_PROMPT_LENGTH);
	if (body.negative_prompt === '') delete body.negative_prompt;
	if (body.cfg_scale !== undefined) {
		body.cfg_scale = checkNumberInRange(this, 'CFG Scale', body.cfg_scale, 0, 1);
	}
	if ('callback_url' in body) checkHttpUrl(this, 'Callback URL', body.callback_url);
	if ('external_task_id' in body) {
		body.external_task_id = requireText(
			this,
			'External Task ID',
			body.external_task_id,
			'Leave the field out, or give an id that is unique in the account.',
		);
	} else {
		// An id of our own lets a create that timed out be found instead of sent twice.
		body.external_task_id = generatedExternalTaskId(
			executionIdOf(this),
			runRefOf(this),
			this.getItemIndex(),
		);
	}
	requestOptions.body = body;
	return requestOptions;
}

/** Creates the task, then waits for its result as the user chose. */
export async function sendCreateTask(
	this: KlingItemContext,
	resultOptions: KlingRequest,
): Promise<INodeExecutionData[]> {
	const created = await createTaskOnce(this, resultOptions);
	if (this.getNodeParameter('waitForCompletion', 'no') !== 'poll') return created;
	return await finishWaiting(
		this,
		await pollUntilFinished(this, resultOptions, taskView(created[0]).taskId, waitSettings(this)),
	);
}

/**
 * Sends a create request without ever making a second paid task: after a failure that leaves
 * it unknown whether Kling made the task, it looks the task up by its external id before
 * sending again, and a repeat that Kling refuses as a duplicate returns the first task.
 */
export async function createTaskOnce(
	ctx: KlingItemContext,
	resultOptions: KlingRequest,
): Promise<INodeExecutionData[]> {
	const externalTaskId = String((resultOptions.options.body as IDataObject).external_task_id);
	const findCreated = async () => {
		try {
			return await getTask(ctx, resultOptions, externalTaskId);
		} catch (error) {
			if (klingCodeOf(error) === 1203) return undefined;
			throw asNodeError(ctx, error);
		}
	};
	return await sendRouted(
		ctx,
		resultOptions,
		{},
		{
			recover: findCreated,
			onRepeatRefused: async (error) =>
				klingCodeOf(error) === 1201 ? await findCreated() : undefined,
		},
	);
}

export async function finishWaiting(
	ctx: KlingItemContext,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	checkTaskSucceeded(ctx, items);
	if (!ctx.getNodeParameter('downloadVideo', false)) return items;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return [await downloadResult(ctx, items[0], Boolean(options.watermarked), ctx.getItemIndex())];
}

export const waitDescription: INodeProperties[] = [
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
		displayOptions: { show: showOnlyForCreate },
	},
	{
		displayName: 'Max Wait (Minutes)',
		name: 'maxWait',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 15,
		description: 'How long to wait for the task to finish before giving up on it',
		displayOptions: { show: { ...showOnlyForCreate, waitForCompletion: ['poll', 'callback'] } },
	},
	{
		displayName: 'Download Video',
		name: 'downloadVideo',
		type: 'boolean',
		default: false,
		description: 'Whether to add the finished video to the item as binary data "data"',
		displayOptions: { show: { ...showOnlyForCreate, waitForCompletion: ['poll', 'callback'] } },
	},
];

export const createDescription: INodeProperties[] = [
	{
		displayName: 'Video ID',
		name: 'videoId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '743211632612511839',
		description:
			'ID of the Kling video to extend: made by text-to-video, image-to-video (models V1.0, V1.5, V1.6) or an earlier extension, at most 3 minutes long, less than 30 days old',
		displayOptions: { show: showForExtending },
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'A puppy appears',
		description: 'What should happen in the added seconds, at most 2,500 characters',
		displayOptions: { show: showForExtending },
	},
];

/** After the fields that decide what happens (wait, duration), as n8n's own nodes order them. */
export const additionalFieldsDescription: INodeProperties[] = [
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showForExtending },
		options: [
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/kling',
				description:
					'Where Kling posts each status change of the task. Paste the Production URL of a Kling Trigger node here (with ?token=… added when the trigger checks a URL token).',
			},
			{
				displayName: 'CFG Scale',
				name: 'cfgScale',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0.5,
				description:
					'How strongly the result follows the prompt, from 0 to 1: higher follows it more closely',
			},
			{
				displayName: 'External Task ID',
				name: 'externalTaskId',
				type: 'string',
				default: '',
				description:
					'Your own ID for the task, unique in the account; Get Task can look the task up by it',
			},
			{
				displayName: 'Negative Prompt',
				name: 'negativePrompt',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'What the added seconds should not show, at most 2,500 characters',
			},
			{
				displayName: 'Watermark',
				name: 'watermark',
				type: 'boolean',
				default: false,
				description: 'Whether Kling also makes a watermarked copy of the result',
			},
		],
	},
];
