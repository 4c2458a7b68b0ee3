import type { INodeProperties } from 'n8n-workflow';

import type { NodeOperation } from '../../../shared/action/operations';
import { imageFields, imageSourceField } from '../../../shared/fields/imageFields';
import { elementIdsField } from '../../../shared/fields/resourcePickerFields';
import { modelFields, modelsLacking } from '../../../shared/fields/generationFields';
import { PRODUCTS } from '../../../shared/kling/products';
import { checkGenerationRequest, generationRequest } from '../../../shared/requests/generation';
import { sendMotionControlTask } from '../../../shared/requests/motionControl';

const show = { operation: ['motionControl'] };
const MODELS_WITHOUT = modelsLacking('motionControl');

const properties: INodeProperties[] = [
	...modelFields(show, 'motionControl'),
	{
		displayName:
			'The video is as long as the motion video (at least 3 s; up to 30 s with Character Orientation "Video", up to 10 s with "Image"), and Kling bills that length',
		name: 'motionLengthNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	imageSourceField(show, 'Where the character image comes from', 'one'),
	...imageFields(show, {
		name: 'image',
		displayName: 'Character Image',
		what: 'The character who moves, as it looks in the video',
		maxMegabytes: 50,
		placeholder: 'https://example.com/character.png',
		defaultsToData: true,
	}),
	{
		displayName: 'Motion Video URL',
		name: 'motionVideoUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/dance.mp4',
		description:
			'A public http(s) URL of the video whose motion the character follows (Kling takes videos by URL only): MP4 or MOV, at most 100 MB, sides 340 to 3,850 px, at least 3 s long',
		displayOptions: { show },
	},
	{
		displayName: 'Character Orientation',
		name: 'characterOrientation',
		type: 'options',
		options: [
			{
				name: 'Video',
				value: 'video',
				description:
					'The character turns and faces as the person in the motion video does (motion video up to 30 s)',
			},
			{
				name: 'Image',
				value: 'image',
				description: 'The character keeps the orientation of the image (motion video up to 10 s)',
			},
		],
		default: 'video',
		description: 'Whose orientation the character has: the motion video’s or the image’s',
		displayOptions: { show },
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'The woman dances on a beach at sunset',
		description:
			'Optional: the scene, the background or details of the video, at most 2,500 characters',
		displayOptions: { show },
	},
	{
		displayName: 'Resolution',
		name: 'resolution',
		type: 'options',
		options: [
			{ name: '1080p (Full HD)', value: '1080p' },
			{ name: '720p (HD)', value: '720p' },
		],
		default: '720p',
		description: 'The video’s resolution; higher costs more',
		displayOptions: { show },
	},
	{
		displayName: 'Audio',
		name: 'audio',
		type: 'options',
		options: [
			{
				name: 'Original',
				value: 'original',
				description: 'The video keeps the motion video’s sound',
			},
			{ name: 'Off', value: 'off', description: 'A silent video' },
		],
		default: 'original',
		description: 'Whether the video keeps the sound of the motion video',
		displayOptions: { show },
	},
	elementIdsField(
		{ show, hide: { model: MODELS_WITHOUT.elements } },
		'Kling 3.0: at most 1 element (a character or object made in Kling’s console or by the Element resource, or Kling’s presets) to appear in the video',
	),
];

/**
 * `POST /motion-control/{model}` with `contents[]` (prompt, the character image, the motion video,
 * an element), `settings` (resolution, audio, character orientation; no duration: the video
 * follows the motion video) and `options`. Kling's refusal of a motion video it cannot use (too
 * long for the orientation, too short, unreadable) is said in plain words.
 */
export const motionControl: NodeOperation = {
	value: 'motionControl',
	name: PRODUCTS.motionControl.label,
	action: 'Move a character like a motion video',
	description:
		'Start a task that makes the character of an image move like the person in a motion video',
	creates: 'motionControl',
	request: (ctx) => generationRequest(ctx, 'motionControl'),
	checks: [
		async function (request) {
			return await checkGenerationRequest(this, 'motionControl', request);
		},
	],
	send: sendMotionControlTask(),
	properties,
};
