import type { INodeProperties } from 'n8n-workflow';

import type { NodeOperation } from '../../../shared/action/operations';
import {
	imageFields,
	imageLimits,
	imageSourceField,
	imageSourceOptions,
} from '../../../shared/fields/imageFields';
import { elementIdsField } from '../../../shared/fields/resourcePickerFields';
import {
	modelFields,
	modelsLacking,
	promptFields,
	settingsFields,
} from '../../../shared/fields/generationFields';
import { PRODUCTS } from '../../../shared/kling/products';
import {
	checkGenerationRequest,
	generationRequest,
	sendGenerationTask,
} from '../../../shared/requests/generation';
import { checkOmniRequest } from '../../../shared/requests/omni';

const show = { operation: ['omniVideo'] };
const MODELS_WITHOUT = modelsLacking('omniVideo');

const IMAGE_LIMITS = imageLimits(50);

const properties: INodeProperties[] = [
	...modelFields(show, 'omniVideo'),
	...promptFields(
		show,
		'omniVideo',
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			placeholder: 'The woman from @image_1 walks through the city of @video_1',
			description:
				'What the video shows, naming the inputs as Kling numbers them: images as @image_1, @image_2… in the order First Frame, Last Frame, then Reference Images; the video as @video_1; elements as @element_1, @element_2… in the order of their IDs. At most 3,072 characters on Kling 3.0 Omni, 2,500 on Kling O1.',
		},
		'Kling 3.0 Omni',
	),
	{
		displayName: 'Reference Images',
		name: 'referenceImages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Image',
		default: {},
		description:
			'Images of people, objects, scenes or styles for the video (Kling’s refer_image). With the elements, at most 7; 4 with a Reference Video URL. Kling O1 takes none with a first and a last frame.',
		displayOptions: { show },
		options: [
			{
				displayName: 'Image',
				name: 'images',
				values: [
					{
						displayName: 'Image Source',
						name: 'imageSource',
						type: 'options',
						options: imageSourceOptions('one'),
						default: 'binaryField',
						description: 'Where the image comes from',
					},
					{
						displayName: 'Image',
						name: 'image',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/character.png',
						description: `The name of a binary field, an http(s) URL or Base64, as Image Source says. ${IMAGE_LIMITS}.`,
					},
				],
			},
		],
	},
	imageSourceField(show, 'Where the first and last frames come from', 'one'),
	...imageFields(show, {
		name: 'image',
		displayName: 'First Frame',
		what: 'Optional: the first frame of the video (with it, no Aspect Ratio is sent)',
		maxMegabytes: 50,
		placeholder: 'https://example.com/frame.png',
	}),
	...imageFields(show, {
		name: 'imageTail',
		displayName: 'Last Frame',
		what: 'Optional: the last frame of the video, with a First Frame only',
		maxMegabytes: 50,
		placeholder: 'https://example.com/frame.png',
	}),
	{
		displayName: 'Reference Video URL',
		name: 'referenceVideoUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/clip.mp4',
		description:
			'Optional: one video by its public http(s) URL (Kling takes videos by URL only), MP4 or MOV, at most 200 MB; 3 to 15.5 s on Kling 3.0 Omni, 3 to 10 s on Kling O1. The prompt names it @video_1.',
		displayOptions: { show },
	},
	{
		displayName: 'Video Role',
		name: 'videoRole',
		type: 'options',
		options: [
			{
				name: 'Reference',
				value: 'reference',
				description:
					'Kling follows the video’s style, camera or motion (Kling 3.0 Omni needs Audio off)',
			},
			{
				name: 'Edit',
				value: 'edit',
				description:
					'Kling changes the video as the prompt says: no frames, no multi-shot, no native sound',
			},
		],
		default: 'reference',
		description: 'What Kling does with the Reference Video URL',
		displayOptions: { show },
	},
	elementIdsField(
		{ show, hide: { model: MODELS_WITHOUT.elements } },
		'Elements (characters or objects made in Kling’s console or by the Element resource, or Kling’s presets) to appear in the video, named @element_1, @element_2… in the prompt. With the reference images, at most 7 (4 with a Reference Video URL); at most 3 with a First Frame; none on Kling O1 with a first and a last frame.',
	),
	...settingsFields(show, 'omniVideo', {
		duration:
			'Length of the video: 3 to 15 seconds on Kling 3.0 Omni, 3 to 10 on Kling O1 (5 or 10 there with a First Frame and no reference images or video). With Multi-Shot, the shots add up to it.',
		aspectRatio:
			'The frame shape, sent only without a First Frame and a Reference Video URL (they decide it)',
		audio:
			'Whether the video has sound: Native (Kling 3.0 Omni) makes sound with the video, Original keeps the sound of the Reference Video URL. Kling 3.0 Omni needs Off with a video of role Reference.',
	}),
];

/**
 * `POST /omni-video/{model}` with `contents[]` (the prompt, first and last frame, reference
 * images, a reference video or a video to edit, elements, each with the id the prompt names),
 * `settings` and `options`; the generic checks (each input on its own), then Omni's rules of how
 * the inputs limit each other.
 */
export const omniVideo: NodeOperation = {
	value: 'omniVideo',
	name: PRODUCTS.omniVideo.label,
	action: 'Generate a video with Omni',
	description:
		'Start a task that makes a video from a prompt naming reference images, elements, frames or a video to follow or edit',
	creates: 'omniVideo',
	request: (ctx) => generationRequest(ctx, 'omniVideo'),
	checks: [
		async function (request) {
			return checkOmniRequest(this, await checkGenerationRequest(this, 'omniVideo', request));
		},
	],
	send: sendGenerationTask('omniVideo'),
	properties,
};
