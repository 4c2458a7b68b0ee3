import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The models Kling serves for text and image to video on its current API generation, each with
 * its limits (Kling's docs, the text-to-video and image-to-video pages of Kling 3.0 Turbo, 3.0,
 * 2.6 and 2.5 Turbo), and the models Kling retired.
 */
export const CURRENT_MODELS = ['kling-3.0-turbo', 'kling-3.0', 'kling-2.6', 'kling-2.5-turbo'];
export type CurrentModel = (typeof CURRENT_MODELS)[number];

export const DEFAULT_MODEL = 'kling-3.0-turbo';

export type GenerationKind = 'textToVideo' | 'imageToVideo';

export interface ModelLimits {
	displayName: string;
	resolutions: string[];
	/** Whole seconds: every integer from min to max, or only the listed ones. */
	durations: { min: number; max: number } | number[];
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
	maxPrompt: Record<GenerationKind, number>;
}

export const ASPECT_RATIOS = ['16:9', '9:16', '1:1'];
export const MAX_SHOTS = 6;
export const MAX_SHOT_PROMPT = 512;
export const MIN_SHOT_SECONDS = 1;

export const MODEL_LIMITS: Record<CurrentModel, ModelLimits> = {
	'kling-3.0-turbo': {
		displayName: 'Kling 3.0 Turbo',
		resolutions: ['720p', '1080p'],
		durations: { min: 3, max: 15 },
		sound: 'always has sound',
		nativeAudioNeeds1080p: false,
		multiShot: 'prompt',
		lastFrame: false,
		lastFrameNeeds1080p: false,
		maxElements: 0,
		maxVoices: 0,
		maxPrompt: { textToVideo: 3072, imageToVideo: 2500 },
	},
	'kling-3.0': {
		displayName: 'Kling 3.0',
		resolutions: ['720p', '1080p', '4k'],
		durations: { min: 3, max: 15 },
		audio: ['native', 'off'],
		nativeAudioNeeds1080p: false,
		multiShot: 'setting',
		lastFrame: true,
		lastFrameNeeds1080p: false,
		maxElements: 3,
		maxVoices: 0,
		maxPrompt: { textToVideo: 3072, imageToVideo: 3072 },
	},
	'kling-2.6': {
		displayName: 'Kling 2.6',
		resolutions: ['720p', '1080p'],
		durations: [5, 10],
		audio: ['native', 'off'],
		nativeAudioNeeds1080p: true,
		lastFrame: true,
		lastFrameNeeds1080p: true,
		maxElements: 0,
		maxVoices: 2,
		maxPrompt: { textToVideo: 2500, imageToVideo: 2500 },
	},
	'kling-2.5-turbo': {
		displayName: 'Kling 2.5 Turbo',
		resolutions: ['720p', '1080p'],
		durations: [5, 10],
		sound: 'has no sound',
		nativeAudioNeeds1080p: false,
		lastFrame: true,
		lastFrameNeeds1080p: true,
		maxElements: 0,
		maxVoices: 0,
		maxPrompt: { textToVideo: 2500, imageToVideo: 2500 },
	},
};

/** Models by what they have, for the editor's display rules. */
export const modelsWith = (has: (limits: ModelLimits) => boolean): string[] =>
	CURRENT_MODELS.filter((model) => has(MODEL_LIMITS[model]));

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

export function isCurrentModel(value: unknown): value is CurrentModel {
	return typeof value === 'string' && CURRENT_MODELS.includes(value);
}

export function durationsText(limits: ModelLimits): string {
	const { durations } = limits;
	return Array.isArray(durations)
		? durations.join(' or ')
		: `a whole number from ${durations.min} to ${durations.max}`;
}

export function allowsDuration(limits: ModelLimits, seconds: number): boolean {
	const { durations } = limits;
	if (!Number.isInteger(seconds)) return false;
	return Array.isArray(durations)
		? durations.includes(seconds)
		: seconds >= durations.min && seconds <= durations.max;
}

/** The editor's model choices, in n8n's alphabetical order (3.0 Turbo stays the default). */
export function modelOptions(): INodePropertyOptions[] {
	return CURRENT_MODELS.map((model) => {
		const limits = MODEL_LIMITS[model];
		const duration = Array.isArray(limits.durations)
			? `${limits.durations.join(' or ')} s`
			: `${limits.durations.min}-${limits.durations.max} s`;
		const sound = limits.audio ? 'sound on or off' : (limits.sound ?? '');
		const extras = [
			duration,
			limits.resolutions.join('/'),
			sound,
			limits.multiShot ? 'multi-shot' : '',
		].filter((text) => text !== '');
		return {
			name: limits.displayName,
			value: model,
			description: `${model}: ${extras.join(', ')}`,
		};
	}).sort((a, b) => a.name.localeCompare(b.name));
}
