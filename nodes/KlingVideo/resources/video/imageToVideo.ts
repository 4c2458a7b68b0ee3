import type { INodeProperties } from 'n8n-workflow';

import type { NodeOperation } from '../../../shared/action/operations';
import type { ImageSource } from '../../../shared/checks/imageInput';
import {
	modelFields,
	modelsLacking,
	promptFields,
	settingsFields,
} from '../../../shared/fields/generationFields';
import { elementIdsField, voiceIdsField } from '../../../shared/fields/resourcePickerFields';
import { PRODUCTS } from '../../../shared/kling/products';
import {
	checkGenerationRequest,
	generationRequest,
	sendGenerationTask,
} from '../../../shared/requests/generation';

const show = { operation: ['imageToVideo'] };
const MODELS_WITHOUT = modelsLacking('imageToVideo');

const IMAGE_SOURCE_HINT: Record<ImageSource, string> = {
	binaryField: 'the name of a binary field of the input item',
	url: 'an http(s) URL',
	base64: 'raw Base64 (a data: prefix is removed)',
};

const IMAGE_LIMITS =
	'JPG or PNG, at most 50 MB, at least 300 px a side, aspect ratio from 1:2.5 to 2.5:1';

function imageField(
	name: string,
	displayName: string,
	what: string,
	source: ImageSource,
	fallback: string,
	hideForModels?: string[],
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: fallback,
		placeholder: source === 'url' ? 'https://example.com/frame.png' : '',
		description: `${what}: ${IMAGE_SOURCE_HINT[source]}. ${IMAGE_LIMITS}.`,
		displayOptions: {
			show: { ...show, imageSource: [source] },
			...(hideForModels ? { hide: { model: hideForModels } } : {}),
		},
	};
}

const SOURCES: ImageSource[] = ['binaryField', 'url', 'base64'];

const properties: INodeProperties[] = [
	...modelFields(show, 'imageToVideo'),
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{
				name: 'Binary Field',
				value: 'binaryField',
				description:
					'Images the input item carries as files (from HTTP Request, Google Drive, a form…)',
			},
			{ name: 'URL', value: 'url', description: 'Images Kling downloads from public URLs' },
			{ name: 'Base64', value: 'base64', description: 'Images encoded as Base64 text' },
		],
		default: 'binaryField',
		description: 'Where the frames come from',
		displayOptions: { show },
	},
	// One field per source, so each says what it takes; the binary field defaults to n8n's "data".
	...SOURCES.map((source) =>
		imageField(
			'image',
			'First Frame',
			'The first frame of the video',
			source,
			source === 'binaryField' ? 'data' : '',
		),
	),
	...SOURCES.map((source) =>
		imageField(
			'imageTail',
			'Last Frame',
			'Optional: the last frame of the video (not on Kling 3.0 Turbo; on Kling 2.6 and 2.5 Turbo it needs Resolution 1080p)',
			source,
			'',
			MODELS_WITHOUT.lastFrame,
		),
	),
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
