import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import {
	MAX_PROMPT_LENGTH,
	checkHttpUrl,
	checkNumberInRange,
	checkOptionalText,
	requireText,
} from '../../shared/validation';

const showOnlyForCreate = { operation: ['create'] };

/** Checks what the user typed (or what expressions made of it) before Kling bills anything. */
export async function validateCreateInput(
	this: IExecuteSingleFunctions,
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
	}
	requestOptions.body = body;
	return requestOptions;
}

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
		displayOptions: { show: showOnlyForCreate },
		routing: { send: { type: 'body', property: 'video_id' } },
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'A puppy appears',
		description: 'What should happen in the added seconds, at most 2,500 characters',
		displayOptions: { show: showOnlyForCreate },
		routing: { send: { type: 'body', property: 'prompt', value: '={{ $value || undefined }}' } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showOnlyForCreate },
		options: [
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/kling',
				description:
					'Where Kling posts each status change of the task. Paste the Production URL of a Kling Trigger node here (with ?token=… added when the trigger checks a URL token).',
				routing: { send: { type: 'body', property: 'callback_url' } },
			},
			{
				displayName: 'CFG Scale',
				name: 'cfgScale',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0.5,
				description:
					'How strongly the result follows the prompt, from 0 to 1: higher follows it more closely',
				routing: { send: { type: 'body', property: 'cfg_scale' } },
			},
			{
				displayName: 'External Task ID',
				name: 'externalTaskId',
				type: 'string',
				default: '',
				description:
					'Your own ID for the task, unique in the account; Get Task can look the task up by it',
				routing: { send: { type: 'body', property: 'external_task_id' } },
			},
			{
				displayName: 'Negative Prompt',
				name: 'negativePrompt',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'What the added seconds should not show, at most 2,500 characters',
				routing: { send: { type: 'body', property: 'negative_prompt' } },
			},
			{
				displayName: 'Watermark',
				name: 'watermark',
				type: 'boolean',
				default: false,
				description: 'Whether Kling also makes a watermarked copy of the result',
				routing: { send: { type: 'body', property: 'watermark_info.enabled' } },
			},
		],
	},
];
