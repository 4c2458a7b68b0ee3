import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { commonCreateOptions } from '../../../shared/fields/commonFields';
import {
	addCommonCreateFields,
	checkCommonCreateFields,
	sendCreateTask,
} from '../../../shared/tasks/createTask';
import type { GenerationKind } from '../../../shared/kling/generation';
import {
	cameraControlFrom,
	checkGenerationBody,
	explainModelRefusal,
} from '../../../shared/kling/generation';
import { generationFields } from '../../../shared/fields/generationFields';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import { TASK_KINDS } from '../../../shared/kling/taskKinds';

const show = { operation: ['textToVideo'] };

/** The fields Text to Video and Image to Video share, as a body under Kling's names. */
export function generationBody(ctx: KlingItemContext, kind: GenerationKind): IDataObject {
	const body: IDataObject = {
		model_name: ctx.getNodeParameter('model', '') as IDataObject[string],
		mode: ctx.getNodeParameter('mode', 'std') as IDataObject[string],
		duration: ctx.getNodeParameter('duration', '5') as IDataObject[string],
	};
	const prompt = ctx.getNodeParameter('prompt', '');
	if (prompt !== '' && prompt !== undefined && prompt !== null) body.prompt = prompt as string;
	if (kind === 'textToVideo')
		body.aspect_ratio = ctx.getNodeParameter('aspectRatio', '16:9') as IDataObject[string];
	// A number typed by an expression (10) means the string Kling wants ("10").
	if (typeof body.duration === 'number') body.duration = String(body.duration);
	const camera = cameraControlFrom(
		ctx.getNodeParameter('cameraControl', 'none'),
		ctx.getNodeParameter('cameraConfig', {}),
	);
	if (camera) body.camera_control = camera;
	return addCommonCreateFields(body, ctx.getNodeParameter('additionalFields', {}) as IDataObject);
}

export function textToVideoRequest(ctx: KlingItemContext): IHttpRequestOptions {
	return {
		method: 'POST',
		url: TASK_KINDS.textToVideo.path,
		body: generationBody(ctx, 'textToVideo'),
	};
}

export async function validateTextToVideoInput(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = request.body as IDataObject;
	checkGenerationBody(this, 'textToVideo', body);
	checkCommonCreateFields(this, body);
	return request;
}

/** Creates the task (and waits as asked); Kling's refusal of the model reads as a plain error. */
export async function sendGenerationTask(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	try {
		return await sendCreateTask.call(this, request);
	} catch (error) {
		throw explainModelRefusal(this, error, String((request.body as IDataObject).model_name));
	}
}

export const textToVideoDescription: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'A red fox runs through fresh snow at sunrise, the camera follows it',
		description: 'What the video shows, at most 2,500 characters',
		displayOptions: { show },
	},
	...generationFields('textToVideo', 'textToVideo'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: commonCreateOptions(
			{ waiting: ['textToVideo'] },
			'What the video should not show, at most 2,500 characters',
			'. Not with kling-v2.x models, which take none.',
		),
	},
];
