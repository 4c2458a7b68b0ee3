import type { IDataObject, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { commonCreateOptions } from '../../../shared/fields/commonFields';
import { addCommonCreateFields, checkCommonCreateFields } from '../../../shared/tasks/createTask';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import {
	MAX_PROMPT_LENGTH,
	checkOptionalText,
	requireText,
} from '../../../shared/checks/validation';

const showForExtending = { operation: ['create', 'extendUntil'] };

/**
 * The video of the Kling task in the input item: simplified (`videoId`), Kling's legacy task
 * (`task_result.videos[0].id`) or its current one (the `outputs` entry of type `video`).
 */
export const VIDEO_ID_FROM_INPUT =
	"={{ $json.videoId ?? $json.task_result?.videos?.[0]?.id ?? ($json.outputs ?? []).find(output => output.type === 'video')?.id }}";

/** The body of Extend Video and Extend to Duration, from the fields as the user filled them. */
export function bodyFromFields(ctx: KlingItemContext): IDataObject {
	const body: IDataObject = { video_id: ctx.getNodeParameter('videoId', '') as string };
	const prompt = ctx.getNodeParameter('prompt', '');
	if (prompt !== '' && prompt !== undefined && prompt !== null) body.prompt = prompt;
	return addCommonCreateFields(body, ctx.getNodeParameter('additionalFields', {}) as IDataObject);
}

/** Checks what the user typed (or what expressions made of it) before Kling bills anything. */
export async function validateCreateInput(
	this: KlingItemContext,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	body.video_id = requireText(
		this,
		'Video ID',
		body.video_id,
		'Use the id of a video made by Kling (text-to-video, image-to-video or an earlier extension). By default the field reads it from the input item: videoId of a simplified Kling task, or the video of Kling’s own task (task_result.videos[0].id, or the outputs entry of type video).',
	);
	checkOptionalText(this, 'Prompt', body.prompt, MAX_PROMPT_LENGTH);
	checkCommonCreateFields(this, body);
	requestOptions.body = body;
	return requestOptions;
}

export const createDescription: INodeProperties[] = [
	{
		displayName: 'Video ID',
		name: 'videoId',
		type: 'string',
		required: true,
		// Kling Video's output (full or simplified) before this node needs no mapping.
		default: VIDEO_ID_FROM_INPUT,
		placeholder: '743211632612511839',
		description:
			'ID of the Kling video to extend: made by text-to-video, image-to-video (models V1.0, V1.5, V1.6) or an earlier extension, at most 3 minutes long, less than 30 days old. By default, the video of the Kling task in the input item.',
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
export function additionalFieldsDescription(
	creating: string[],
	waiting: string[],
): INodeProperties[] {
	return [
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: { show: { operation: creating } },
			options: commonCreateOptions(
				{ waiting, notWaiting: creating.filter((operation) => !waiting.includes(operation)) },
				'What the added seconds should not show, at most 2,500 characters',
			),
		},
	];
}
