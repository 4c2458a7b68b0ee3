/**
 * The models Kling serves on its current API generation, with their limits per product (Kling's
 * docs, the text-to-video and image-to-video pages of Kling 3.0 Turbo, 3.0, 2.6 and 2.5 Turbo, the
 * omni-video pages of Kling 3.0 Omni and O1),
 * and the models Kling retired. Which product each model serves is in `products.ts`.
 */
export const MODEL_NAMES = {
	'kling-3.0-turbo': 'Kling 3.0 Turbo',
	'kling-3.0': 'Kling 3.0',
	'kling-2.6': 'Kling 2.6',
	'kling-2.5-turbo': 'Kling 2.5 Turbo',
	'kling-3.0-omni': 'Kling 3.0 Omni',
	'kling-o1': 'Kling O1',
} as const;

export type CurrentModel = keyof typeof MODEL_NAMES;

export interface ModelLimits {
	resolutions: string[];
	/**
	 * Whole seconds: every integer from min to max, or only the listed ones; undefined where the
	 * product has no duration (the output follows an input video).
	 */
	durations?: { min: number; max: number } | number[];
	/** The choices of settings.aspect_ratio; undefined where the input image decides the frame. */
	aspectRatios?: string[];
	/** The choices of settings.audio; undefined when the model has no such field. */
	audio?: string[];
	/** What the model does about sound when it has no audio field. */
	sound?: string;
	nativeAudioNeeds1080p: boolean;
	/** Multi-shot prompts; 'setting' when the model also wants settings.multi_shot. */
	multiShot?: 'prompt' | 'setting';
	lastFrame: boolean;
	lastFrameNeeds1080p: boolean;
	maxElements: number;
	maxVoices: number;
	/** Reference images (Kling's `refer_image` items) the model takes at most. */
	maxReferenceImages: number;
	maxPrompt: number;
}

export const ASPECT_RATIOS = ['16:9', '9:16', '1:1'];
export const MAX_SHOTS = 6;
export const MAX_SHOT_PROMPT = 512;
export const MIN_SHOT_SECONDS = 1;

const NO_INPUTS = {
	lastFrame: false,
	lastFrameNeeds1080p: false,
	maxElements: 0,
	maxVoices: 0,
	maxReferenceImages: 0,
} satisfies Partial<ModelLimits>;

const KLING_3_0_TURBO = {
	resolutions: ['720p', '1080p'],
	durations: { min: 3, max: 15 },
	sound: 'always has sound',
	nativeAudioNeeds1080p: false,
	multiShot: 'prompt',
} satisfies Partial<ModelLimits>;

const KLING_3_0 = {
	resolutions: ['720p', '1080p', '4k'],
	durations: { min: 3, max: 15 },
	audio: ['native', 'off'],
	nativeAudioNeeds1080p: false,
	multiShot: 'setting',
	maxPrompt: 3072,
} satisfies Partial<ModelLimits>;

const KLING_2_6 = {
	resolutions: ['720p', '1080p'],
	durations: [5, 10],
	audio: ['native', 'off'],
	nativeAudioNeeds1080p: true,
	maxPrompt: 2500,
} satisfies Partial<ModelLimits>;

const KLING_2_5_TURBO = {
	resolutions: ['720p', '1080p'],
	durations: [5, 10],
	sound: 'has no sound',
	nativeAudioNeeds1080p: false,
	maxPrompt: 2500,
} satisfies Partial<ModelLimits>;

type Limits = Record<string, ModelLimits>;

/** Text to video: a prompt (or shots) and an aspect ratio, no input media. */
export const TEXT_TO_VIDEO_MODELS = {
	'kling-3.0-turbo': {
		...KLING_3_0_TURBO,
		...NO_INPUTS,
		maxPrompt: 3072,
		aspectRatios: ASPECT_RATIOS,
	},
	'kling-3.0': { ...KLING_3_0, ...NO_INPUTS, aspectRatios: ASPECT_RATIOS },
	'kling-2.6': { ...KLING_2_6, ...NO_INPUTS, aspectRatios: ASPECT_RATIOS },
	'kling-2.5-turbo': { ...KLING_2_5_TURBO, ...NO_INPUTS, aspectRatios: ASPECT_RATIOS },
} satisfies Limits;

/** Image to video: the frame shape comes from the image; last frames, elements and voices by model. */
export const IMAGE_TO_VIDEO_MODELS = {
	'kling-3.0-turbo': { ...KLING_3_0_TURBO, ...NO_INPUTS, maxPrompt: 2500 },
	'kling-3.0': { ...KLING_3_0, ...NO_INPUTS, lastFrame: true, maxElements: 3 },
	'kling-2.6': {
		...KLING_2_6,
		...NO_INPUTS,
		lastFrame: true,
		lastFrameNeeds1080p: true,
		maxVoices: 2,
	},
	'kling-2.5-turbo': {
		...KLING_2_5_TURBO,
		...NO_INPUTS,
		lastFrame: true,
		lastFrameNeeds1080p: true,
	},
} satisfies Limits;

/**
 * Motion control: the character of an image moves like the person of a motion video. No duration
 * (the output follows the motion video), no aspect ratio (the image decides), audio keeps the
 * motion video's sound or none (Kling's docs, "Motion Control" of Kling 3.0 and 2.6).
 */
export const MOTION_CONTROL_MODELS = {
	'kling-3.0': {
		resolutions: ['720p', '1080p'],
		audio: ['original', 'off'],
		nativeAudioNeeds1080p: false,
		...NO_INPUTS,
		maxElements: 1,
		maxPrompt: 2500,
	},
	'kling-2.6': {
		resolutions: ['720p', '1080p'],
		audio: ['original', 'off'],
		nativeAudioNeeds1080p: false,
		...NO_INPUTS,
		maxPrompt: 2500,
	},
} satisfies Limits;

/**
 * Omni video (Kling's docs, "Omni Video Generation" of Kling 3.0 Omni and "Video Generation" of
 * Kling O1): a prompt that names its inputs (`@image_1`, `@video_1`, `@element_1`), reference
 * images and elements (at most 7 together), optional first and last frames, one reference video
 * to follow or to edit. How the inputs limit each other is Omni's own check (`requests/omni.ts`).
 */
const OMNI_INPUTS = {
	lastFrame: true,
	lastFrameNeeds1080p: false,
	maxElements: 7,
	maxVoices: 0,
	maxReferenceImages: 7,
	aspectRatios: ASPECT_RATIOS,
	nativeAudioNeeds1080p: false,
} satisfies Partial<ModelLimits>;

export const OMNI_VIDEO_MODELS = {
	'kling-3.0-omni': {
		...OMNI_INPUTS,
		resolutions: ['720p', '1080p', '4k'],
		durations: { min: 3, max: 15 },
		audio: ['native', 'original', 'off'],
		multiShot: 'setting',
		maxPrompt: 3072,
	},
	'kling-o1': {
		...OMNI_INPUTS,
		resolutions: ['720p', '1080p'],
		durations: { min: 3, max: 10 },
		audio: ['original', 'off'],
		maxPrompt: 2500,
	},
} satisfies Limits;

/**
 * The motion video's length in seconds: at least `min`; at most `video` with character orientation
 * "video", `image` with "image" (Kling's docs, "Motion Control").
 */
export const MOTION_VIDEO_SECONDS = { min: 3, video: 30, image: 10 } as const;

/** The V1.x models and the V2.0/V2.1 masters, which Kling retired (404, code 1203). */
export const RETIRED_MODELS: Record<string, string> = {
	'kling-v1': 'Kling V1.0',
	'kling-v1-5': 'Kling V1.5',
	'kling-v1-6': 'Kling V1.6',
	'kling-v2-master': 'Kling V2.0 Master',
	'kling-v2-1': 'Kling V2.1',
	'kling-v2-1-master': 'Kling V2.1 Master',
};

/** The legacy API's names of models Kling still serves, and their current names. */
export const LEGACY_MODEL_NAMES: Record<string, CurrentModel> = {
	'kling-v3': 'kling-3.0',
	'kling-v2-6': 'kling-2.6',
	'kling-v2-5-turbo': 'kling-2.5-turbo',
};

export function durationsText(limits: ModelLimits): string {
	const { durations } = limits;
	if (durations === undefined) return 'none: the length follows the input video';
	return Array.isArray(durations)
		? durations.join(' or ')
		: `a whole number from ${durations.min} to ${durations.max}`;
}

export function allowsDuration(limits: ModelLimits, seconds: number): boolean {
	const { durations } = limits;
	if (durations === undefined || !Number.isInteger(seconds)) return false;
	return Array.isArray(durations)
		? durations.includes(seconds)
		: seconds >= durations.min && seconds <= durations.max;
}
