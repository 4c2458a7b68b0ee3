import type { INodeProperties } from 'n8n-workflow';

import type { NodeOperation } from '../../../shared/action/operations';
import {
	modelFields,
	modelsLacking,
	promptFields,
	settingsFields,
} from '../../../shared/fields/generationFields';
import { imageFields, imageSourceField } from '../../../shared/fields/imageFields';
import { elementIdsField, voiceIdsField } from '../../../shared/fields/resourcePickerFields';
import { PRODUCTS } from '../../../shared/kling/products';
import {
	checkGenerationRequest,
	generationRequest,
	sendGenerationTask,
} from '../../../shared/requests/generation';

const show = { operation: ['imageToVideo'] };
const MODELS_WITHOUT = modelsLacking('imageToVideo');

const properties: INodeProperties[] = [
	...modelFields(show, 'imageToVideo'),
	imageSourceField(show, 'Where the frames come from', 'several'),
	// The binary field defaults to n8n's "data".
	...imageFields(show, {
		name: 'image',
		displayName: 'First Frame',
		what: 'The first frame of the video',
		maxMegabytes: 50,
		placeholder: 'https://example.com/frame.png',
		defaultsToData: true,
	}),
	...imageFields(show, {
		name: 'imageTail',
		displayName: 'Last Frame',
		what: 'Optional: the last frame of the video (not on Kling 3.0 Turbo; on Kling 2.6 and 2.5 Turbo it needs Resolution 1080p)',
		maxMegabytes: 50,
		placeholder: 'https://example.com/frame.png',
		hideForModels: MODELS_WITHOUT.lastFrame,
	}),
	...promptFields(show, 'imageToVideo', {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'The woman turns to the camera and smiles',
		description:
			'What happens in the video (optional): at most 3,072 characters on Kling 3.0, 2,500 on the others. Refer to an element or a voice as @1, @2… in the order of their IDs.',
	}),
	...settingsFields(show, 'imageToVideo'),
	elementIdsField(
		{ show, hide: { model: MODELS_WITHOUT.elements } },
		'Kling 3.0: up to 3 elements (characters or objects made in Kling’s console, by the Element resource, or Kling’s presets) to appear in the video. The first is @1 in the prompt, the second @2, the third @3.',
	),
	voiceIdsField(
		{ show, hide: { model: MODELS_WITHOUT.voices, audio: ['off'] } },
		'Kling 2.6 with Audio on: up to 2 voices (made by the Voice resource, or Kling’s presets) that speak in the video. The first is @1 in the prompt, the second @2, e.g. "@1 whispers softly".',
	),
];

/**
 * `POST /image-to-video/{model}` with `contents[]` (prompt, first and last frame, elements,
 * voices), `settings` and `options`; the images as the user gave them until the checks have
 * read them (a URL, Base64, or a binary field's name) and put in what Kling takes.
 */
export const imageToVideo: NodeOperation = {
	value: 'imageToVideo',
	name: PRODUCTS.imageToVideo.label,
	action: 'Generate a video from an image',
	description: 'Start a task that brings an image (and optionally a last frame) to life',
	creates: 'imageToVideo',
	request: (ctx) => generationRequest(ctx, 'imageToVideo'),
	checks: [
		async function (request) {
			return await checkGenerationRequest(this, 'imageToVideo', request);
		},
	],
	send: sendGenerationTask('imageToVideo'),
	properties,
};
