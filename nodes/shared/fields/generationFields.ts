import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { GenerationKind } from '../kling/generation';
import {
	CAMERA_AXES,
	CAMERA_RANGE,
	DEFAULT_MODEL,
	EXTENDABLE_MODELS,
	TEXT_TO_VIDEO_MODELS,
	modelOptions,
	modelsFor,
} from '../kling/generation';

/**
 * The editor's fields for a new video (Kling Video's Text to Video and Image to Video, and Kling
 * Video Extend's Extend to Duration when it starts from a prompt).
 */
type Show = NonNullable<IDisplayOptions['show']>;

const MODE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Standard', value: 'std', description: 'Faster and cheaper' },
	{
		name: 'Professional',
		value: 'pro',
		description: 'Higher quality; needed for an end frame',
	},
];

const DURATION_OPTIONS: INodePropertyOptions[] = [
	{ name: '5 Seconds', value: '5' },
	{ name: '10 Seconds', value: '10' },
];

const ASPECT_RATIO_OPTIONS: INodePropertyOptions[] = [
	{ name: '16:9 (Landscape)', value: '16:9' },
	{ name: '9:16 (Portrait)', value: '9:16' },
	{ name: '1:1 (Square)', value: '1:1' },
];

const CAMERA_OPTIONS: INodePropertyOptions[] = [
	{ name: 'None', value: 'none', description: 'The model decides how the camera moves' },
	{
		name: 'Simple',
		value: 'simple',
		description: 'One movement of your choice, set under Camera Movement',
	},
	{ name: 'Down and Back', value: 'down_back', description: 'The camera descends and pulls back' },
	{
		name: 'Forward and Up',
		value: 'forward_up',
		description: 'The camera moves forward and tilts up',
	},
	{
		name: 'Right Turn Forward',
		value: 'right_turn_forward',
		description: 'The camera turns right and moves forward',
	},
	{
		name: 'Left Turn Forward',
		value: 'left_turn_forward',
		description: 'The camera turns left and moves forward',
	},
];

const AXIS_DESCRIPTIONS: Record<string, string> = {
	horizontal: 'Move sideways: negative to the left, positive to the right',
	vertical: 'Move up or down: negative down, positive up',
	pan: 'Turn around the vertical axis: negative to the left, positive to the right',
	tilt: 'Turn around the horizontal axis: negative down, positive up',
	roll: 'Rotate around the lens axis: negative anticlockwise, positive clockwise',
	zoom: 'Change the field of view: negative wider, positive closer',
};

/** Model, Mode, Duration, Aspect Ratio (text only) and Camera Control of Kling Video. */
export function generationFields(operation: string, kind: GenerationKind): INodeProperties[] {
	const show: Show = { operation: [operation] };
	const notExtendable = modelsFor(kind).filter((model) => !EXTENDABLE_MODELS.includes(model));
	return [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			options: modelOptions(modelsFor(kind)),
			default: DEFAULT_MODEL,
			description:
				'The Kling model that makes the video. Only videos of V1.x models (kling-v1, kling-v1-5, kling-v1-6) can be extended later.',
			displayOptions: { show },
		},
		{
			displayName:
				'Kling cannot extend videos made by this model: Kling Video Extend takes only videos of kling-v1, kling-v1-5 and kling-v1-6. Choose kling-v1-6 to extend the result later.',
			name: 'notExtendableNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { ...show, model: notExtendable } },
		},
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			options: MODE_OPTIONS,
			default: 'std',
			displayOptions: { show },
		},
		{
			displayName: 'Duration',
			name: 'duration',
			type: 'options',
			options: DURATION_OPTIONS,
			default: '5',
			description: 'Length of the video',
			displayOptions: { show },
		},
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
			displayName: 'Camera Control',
			name: 'cameraControl',
			type: 'options',
			options: CAMERA_OPTIONS,
			default: 'none',
			description:
				kind === 'imageToVideo'
					? 'How the camera moves. Cannot be combined with an end frame or masks.'
					: 'How the camera moves',
			displayOptions: { show },
		},
		{
			displayName: 'Camera Movement',
			name: 'cameraConfig',
			type: 'collection',
			placeholder: 'Add Movement',
			default: {},
			description: `Exactly one movement, from -${CAMERA_RANGE} to ${CAMERA_RANGE}`,
			displayOptions: { show: { ...show, cameraControl: ['simple'] } },
			options: CAMERA_AXES.map((axis) => ({
				displayName: axis.charAt(0).toUpperCase() + axis.slice(1),
				name: axis,
				type: 'number' as const,
				typeOptions: { minValue: -CAMERA_RANGE, maxValue: CAMERA_RANGE, numberPrecision: 1 },
				default: 0,
				description: AXIS_DESCRIPTIONS[axis],
			})),
		},
	];
}

/** Extend to Duration's first video, made from a prompt by text to video (an extendable model). */
export function firstVideoFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'First Video Prompt',
			name: 'firstVideoPrompt',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			placeholder: 'A lighthouse on a cliff at dawn, waves below',
			description:
				'What the first video shows, at most 2,500 characters. Kling makes it by text to video, then extends it.',
			displayOptions: { show },
		},
		{
			displayName: 'First Video Model',
			name: 'firstVideoModel',
			type: 'options',
			options: modelOptions(
				TEXT_TO_VIDEO_MODELS.filter((model) => EXTENDABLE_MODELS.includes(model)),
			),
			default: DEFAULT_MODEL,
			description: 'Only V1.x models make videos that Kling can extend',
			displayOptions: { show },
		},
		{
			displayName: 'First Video Mode',
			name: 'firstVideoMode',
			type: 'options',
			options: MODE_OPTIONS,
			default: 'std',
			displayOptions: { show },
		},
		{
			displayName: 'First Video Duration',
			name: 'firstVideoDuration',
			type: 'options',
			options: DURATION_OPTIONS,
			default: '5',
			displayOptions: { show },
		},
		{
			displayName: 'First Video Aspect Ratio',
			name: 'firstVideoAspectRatio',
			type: 'options',
			options: ASPECT_RATIO_OPTIONS,
			default: '16:9',
			displayOptions: { show },
		},
	];
}
