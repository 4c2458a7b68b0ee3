import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ModelLimits } from '../kling/models';
import { MAX_SHOTS, MAX_SHOT_PROMPT, MODEL_NAMES } from '../kling/models';
import type { ProductId } from '../kling/products';
import { limitsOf, modelsOf, modelsWithout } from '../kling/products';

/**
 * The editor's fields for a new video on Kling's current models (Kling Video's products of the
 * current generation). A field a model does not have is hidden for that model: n8n's display
 * rules name the product's models that lack it (from the product table), so a Model given as an
 * expression still shows the field, and the checks then refuse what the model does not take.
 */
type Show = NonNullable<IDisplayOptions['show']>;

/** The product's models that lack a field, for `hide`. */
export function modelsLacking(product: ProductId) {
	const without = (has: (limits: ModelLimits) => boolean) => modelsWithout(product, has);
	return {
		audio: without((limits) => limits.audio !== undefined),
		fourK: without((limits) => limits.resolutions.includes('4k')),
		multiShot: without((limits) => limits.multiShot !== undefined),
		lastFrame: without((limits) => limits.lastFrame),
		elements: without((limits) => limits.maxElements > 0),
		voices: without((limits) => limits.maxVoices > 0),
	};
}

/** The product's model choices, in n8n's alphabetical order; the table's first is the default. */
function modelOptions(product: ProductId): INodePropertyOptions[] {
	return modelsOf(product)
		.map((model) => {
			const limits = limitsOf(product, model)!;
			const { durations } = limits;
			// No duration where the length follows an input video.
			const duration =
				durations === undefined
					? ''
					: Array.isArray(durations)
						? `${durations.join(' or ')} s`
						: `${durations.min}-${durations.max} s`;
			const sound = limits.audio ? 'sound on or off' : (limits.sound ?? '');
			const extras = [
				duration,
				limits.resolutions.join('/'),
				sound,
				limits.multiShot ? 'multi-shot' : '',
			].filter((text) => text !== '');
			return {
				name: MODEL_NAMES[model],
				value: model,
				description: `${model}: ${extras.join(', ')}`,
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
}

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
export function modelFields(show: Show, product: ProductId): INodeProperties[] {
	const [defaultModel] = modelsOf(product);
	return [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			options: modelOptions(product),
			default: defaultModel,
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
export function promptFields(
	show: Show,
	product: ProductId,
	prompt: INodeProperties,
	multiShotModels = 'Kling 3.0 and 3.0 Turbo',
): INodeProperties[] {
	const MODELS_WITHOUT = modelsLacking(product);
	return [
		{
			displayName: 'Multi-Shot',
			name: 'multiShot',
			type: 'boolean',
			default: false,
			description: `Whether to describe the video as up to ${MAX_SHOTS} shots, each with its own prompt and duration, instead of one prompt (${multiShotModels})`,
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

const AUDIO_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Native', value: 'native', description: 'Kling makes sound with the video' },
	{
		name: 'Original',
		value: 'original',
		description: 'The sound of the reference video, or of the video being edited',
	},
	{ name: 'Off', value: 'off', description: 'A silent video' },
];

/** What the settings' fields say where a product's models differ from text and image to video. */
export interface SettingsTexts {
	duration?: string;
	aspectRatio?: string;
	audio?: string;
}

/**
 * Audio: the choices of all the product's models, hidden for the models without Audio or with
 * fewer choices; those get a variant of their own (n8n cannot hide a single option).
 */
function audioFields(show: Show, product: ProductId, description: string): INodeProperties[] {
	const listOf = (model: string) => limitsOf(product, model)?.audio;
	const models = modelsOf(product);
	const values = AUDIO_OPTIONS.map((option) => option.value as string).filter((value) =>
		models.some((model) => listOf(model)?.includes(value)),
	);
	const options = (allowed: string[]) =>
		AUDIO_OPTIONS.filter((option) => allowed.includes(option.value as string));
	const field = (choices: string[]): INodeProperties => ({
		displayName: 'Audio',
		name: 'audio',
		type: 'options',
		options: options(choices),
		default: 'off',
		description,
	});
	const narrower = models.filter((model) => {
		const list = listOf(model);
		return list !== undefined && list.length < values.length;
	});
	const lists = [...new Set(narrower.map((model) => listOf(model)!.join(',')))];
	return [
		{
			...field(values),
			displayOptions: { show, hide: { model: [...modelsLacking(product).audio, ...narrower] } },
		},
		...lists.map((list) => ({
			...field(list.split(',')),
			displayOptions: {
				show: { ...show, model: narrower.filter((model) => listOf(model)!.join(',') === list) },
			},
		})),
	];
}

/** Duration, Resolution (4K on the models that have it), Aspect Ratio and Audio. */
export function settingsFields(
	show: Show,
	product: ProductId,
	texts: SettingsTexts = {},
): INodeProperties[] {
	const MODELS_WITHOUT = modelsLacking(product);
	const hasAspectRatio = modelsOf(product).some((model) => limitsOf(product, model)?.aspectRatios);
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
				texts.duration ??
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
		...(hasAspectRatio
			? [
					{
						displayName: 'Aspect Ratio',
						name: 'aspectRatio',
						type: 'options' as const,
						options: ASPECT_RATIO_OPTIONS,
						default: '16:9',
						...(texts.aspectRatio ? { description: texts.aspectRatio } : {}),
						displayOptions: { show },
					},
				]
			: []),
		...audioFields(
			show,
			product,
			texts.audio ??
				'Whether the video has sound (Kling 3.0 and 2.6). Native sound on Kling 2.6 needs Resolution 1080p.',
		),
	];
}
