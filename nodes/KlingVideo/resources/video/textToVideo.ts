import type { NodeOperation } from '../../../shared/action/operations';
import { modelFields, promptFields, settingsFields } from '../../../shared/fields/generationFields';
import { PRODUCTS } from '../../../shared/kling/products';
import {
	checkGenerationRequest,
	generationRequest,
	sendGenerationTask,
} from '../../../shared/requests/generation';

const show = { operation: ['textToVideo'] };

/** `POST /text-to-video/{model}` with `prompt`, `settings` and `options`. */
export const textToVideo: NodeOperation = {
	value: 'textToVideo',
	name: PRODUCTS.textToVideo.label,
	action: 'Generate a video from text',
	description: 'Start a task that makes a 3 to 15 second video from a prompt, or from shots',
	creates: 'textToVideo',
	request: (ctx) => generationRequest(ctx, 'textToVideo'),
	checks: [
		async function (request) {
			return await checkGenerationRequest(this, 'textToVideo', request);
		},
	],
	send: sendGenerationTask('textToVideo'),
	properties: [
		...modelFields(show, 'textToVideo'),
		...promptFields(show, 'textToVideo', {
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
	],
};
