import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { GenerationKind } from '../kling/models';
import {
	CURRENT_MODELS,
	DEFAULT_MODEL,
	MAX_SHOTS,
	MAX_SHOT_PROMPT,
	modelOptions,
	modelsWith,
} from '../kling/models';

/**
 * The editor's fields for a new video on Kling's current models (Kling Video's Text to Video and
 * Image to Video). A field a model does not have is hidden for that model (n8n's display rules
 * name the models that lack it, so a Model given as an expression still shows the field; the
 * checks then refuse what the model does not take).
 */
type Show = NonNullable<IDisplayOptions['show']>;

const without = (has: Parameters<typeof modelsWith>[0]) =>
	CURRENT_MODELS.filter((model) => !modelsWith(has).includes(model));

/** Models that lack a field, for `hide`. */
export const MODELS_WITHOUT = {
	audio: without((limits) => limits.audio !== undefined),
	fourK: without((limits) => limits.resolutions.includes('4k')),
	multiShot: without((limits) => limits.multiShot !== undefined),
	lastFrame: without((limits) => limits.lastFrame),
	elements: without((limits) => limits.maxElements > 0),
	voices: without((limits) => limits.maxVoices > 0),
};

const RESOLUTIONS: INodePropertyOptions[] = [
	{ name: '1080p (Full HD)', value: '1080p' },
	{ name: '720p (HD)', value: '720p' },
];
const FOUR_K: INodePropertyOptions = { name: '4K (Ultra HD)', value: '4k' };

const ASPECT_RATIO_OPTIONS: INodePropertyOptions[] = [
	{ name: '16:9 (Landscape)', value: '16:9' },
	{ name: '9:16 (Portrait)', value: '9:16' },
	{ name: '1:1 (Square)', value: '1:1' },
];

/** Model, and what the editor says of the sound of the models without an Audio field. */
export function modelFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			options: modelOptions(),
			default: DEFAULT_MODEL,
			description:
				'The Kling model that makes the video. Kling retired the V1.x and V2.0/2.1 models; Kling Video Extend can extend none of these models’ videos.',
			displayOptions: { show },
		},
		{
			displayName:
				'Kling 3.0 Turbo always makes its videos with sound: Kling has no setting to turn it off. Choose Kling 3.0 or 2.6 to choose, or Kling 2.5 Turbo for no sound.',
			name: 'alwaysSoundNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { ...show, model: ['kling-3.0-turbo'] } },
		},
		{
			displayName: 'Kling 2.5 Turbo makes its videos without sound',
			name: 'noSoundNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { ...show, model: ['kling-2.5-turbo'] } },
		},
	];
}

/**
 * Multi-Shot (3.0 models), then the prompt (hidden while Multi-Shot is on) and Shots (shown
 * while it is on).
 */
export function promptFields(show: Show, prompt: INodeProperties): INodeProperties[] {
	return [
		{
			displayName: 'Multi-Shot',
			name: 'multiShot',
			type: 'boolean',
			default: false,
			description: `Whether to describe the video as up to ${MAX_SHOTS} shots, each with its own prompt and duration, instead of one prompt (Kling 3.0 and 3.0 Turbo)`,
			displayOptions: { show, hide: { model: MODELS_WITHOUT.multiShot } },
		},
		// Two variants: Multi-Shot keeps its value while a model without it hides it, and Prompt must
		// not read that hidden value there. The second one is also shown beside Shots when the model
		// is an expression, so n8n's own "required" would refuse an empty prompt there; the node's
		// check still names an empty prompt where one is needed.
		{
			...prompt,
			displayOptions: { show, hide: { model: MODELS_WITHOUT.multiShot, multiShot: [true] } },
		},
		{
			...prompt,
			required: false,
			displayOptions: { show: { ...show, model: MODELS_WITHOUT.multiShot } },
		},
		{
			displayName: 'Shots',
			name: 'shots',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, maxAllowedFields: MAX_SHOTS, sortable: true },
			placeholder: 'Add Shot',
			default: {},
			description: `The shots in order: 1 to ${MAX_SHOTS}, their durations adding up to Duration (Seconds)`,
			displayOptions: {
				show: { ...show, multiShot: [true] },
				hide: { model: MODELS_WITHOUT.multiShot },
			},
			options: [
				{
					displayName: 'Shot',
					name: 'shot',
					values: [
						{
							displayName: 'Prompt',
							name: 'prompt',
							type: 'string',
							typeOptions: { rows: 2 },
							default: '',
							description: `What the shot shows, at most ${MAX_SHOT_PROMPT} characters, without a semicolon`,
						},
						{
							displayName: 'Duration (Seconds)',
							name: 'duration',
							type: 'number',
							typeOptions: { minValue: 1, maxValue: 15, numberPrecision: 0 },
							default: 5,
							description: 'Length of the shot, at least 1 second',
						},
					],
				},
			],
		},
	];
}

/** Duration, Resolution (4K on Kling 3.0 only), Aspect Ratio (text to video) and Audio. */
export function settingsFields(show: Show, kind: GenerationKind): INodeProperties[] {
	const resolution: INodeProperties = {
		displayName: 'Resolution',
		name: 'resolution',
		type: 'options',
		options: RESOLUTIONS,
		default: '720p',
		description: 'The video’s resolution; higher costs more',
	};
	return [
		{
			displayName: 'Duration (Seconds)',
			name: 'durationSeconds',
			type: 'number',
			typeOptions: { minValue: 3, maxValue: 15, numberPrecision: 0 },
			default: 5,
			description:
				'Length of the video: 3 to 15 seconds on Kling 3.0 and 3.0 Turbo, 5 or 10 on Kling 2.6 and 2.5 Turbo. With Multi-Shot, the shots add up to it.',
			displayOptions: { show },
		},
		// Two variants of one field: n8n cannot hide a single option, so 4K comes with Kling 3.0.
		{
			...resolution,
			options: [RESOLUTIONS[0], FOUR_K, RESOLUTIONS[1]],
			displayOptions: { show, hide: { model: MODELS_WITHOUT.fourK } },
		},
		{ ...resolution, displayOptions: { show: { ...show, model: MODELS_WITHOUT.fourK } } },
		...(kind === 'textToVideo'
			? [
					{
						displayName: 'Aspect Ratio',
						name: 'aspectRatio',
						type: 'options' as const,
						options: ASPECT_RATIO_OPTIONS,
						default: '16:9',
						displayOptions: { show },
					},
				]
			: []),
		{
			displayName: 'Audio',
			name: 'audio',
			type: 'options',
			options: [
				{ name: 'Native', value: 'native', description: 'Kling makes sound with the video' },
				{ name: 'Off', value: 'off', description: 'A silent video' },
			],
			default: 'off',
			description:
				'Whether the video has sound (Kling 3.0 and 2.6). Native sound on Kling 2.6 needs Resolution 1080p.',
			displayOptions: { show, hide: { model: MODELS_WITHOUT.audio } },
		},
	];
}
