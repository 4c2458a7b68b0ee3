import type { IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { modelFields, promptFields, settingsFields } from '../../../shared/fields/generationFields';
import { checkGenerationRequest, generationRequest } from '../../../shared/kling/generation';
import type { KlingItemContext } from '../../../shared/transport/itemContext';

export { sendGenerationTask } from '../../../shared/kling/generation';

const show = { operation: ['textToVideo'] };

/** `POST /text-to-video/{model}` with `prompt`, `settings` and `options`. */
export function textToVideoRequest(ctx: KlingItemContext): IHttpRequestOptions {
	return generationRequest(ctx, 'textToVideo');
}

export async function validateTextToVideoInput(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	return await checkGenerationRequest(this, 'textToVideo', request);
}

export const textToVideoDescription: INodeProperties[] = [
	...modelFields(show),
	...promptFields(show, {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'A red fox runs through fresh snow at sunrise, the camera follows it',
		description:
			'What the video shows: at most 3,072 characters on Kling 3.0 and 3.0 Turbo, 2,500 on Kling 2.6 and 2.5 Turbo. Kling has no negative prompt: say what to avoid here.',
	}),
	...settingsFields(show, 'textToVideo'),
];
