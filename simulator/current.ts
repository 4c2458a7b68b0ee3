import { ImageProblem, MAX_CURRENT_IMAGE_BYTES, checkImageValue } from './images';
import { CURRENT_MODEL_RULES } from './models';
import type { Audio, CurrentModel, CurrentModelRules, Resolution } from './models';
import type { CreateLookups } from './resources';
import { absent, callbackUrl, externalTaskId, invalid, parseBody, watermark } from './validation';
import type { CurrentTaskKind } from './types';

/**
 * Request bodies of the current API generation (Kling's docs, the text-to-video and
 * image-to-video pages of Kling 3.0 Turbo, 3.0, 2.6 and 2.5 Turbo): `prompt` (text to video) or
 * `contents[]` (image to video), plus `settings{}` and `options{}`.
 */

export const CURRENT_ASPECT_RATIOS: readonly string[] = ['16:9', '9:16', '1:1'];
export const MAX_SHOTS = 6;
export const MAX_SHOT_WORDS = 512;

export interface CurrentInput {
	kind: CurrentTaskKind;
	model: CurrentModel;
	/** The prompt text ('' when an image-to-video request has none). */
	prompt: string;
	resolution: Resolution;
	/** Whole seconds. */
	duration: number;
	/** 'off' for models without the field. */
	audio: Audio;
	voices: number;
	/** The result has sound (kling-3.0-turbo always, others with audio on). */
	sound: boolean;
	watermark: boolean;
	callbackUrl: string | undefined;
	externalTaskId: string;
}

/** Fields of the legacy /v1 bodies, and where (if anywhere) the current generation has them. */
const LEGACY_FIELDS: Readonly<Record<string, string>> = {
	model_name: 'the model is the last segment of the path',
	negative_prompt: 'write negative wording into the prompt',
	cfg_scale: 'the current API has no cfg_scale',
	mode: 'settings.resolution takes the place of mode',
	camera_control: 'the current API has no camera control',
	image: 'images go in contents[] as {"type": "first_frame", "url": …}',
	image_tail: 'the end frame goes in contents[] as {"type": "last_frame", "url": …}',
	static_mask: 'the current API has no masks',
	dynamic_masks: 'the current API has no masks',
	sound: 'use settings.audio where the model has it',
	multi_prompt: 'write shots into the prompt: "shot 1, 3, words; shot 2, 2, words;"',
	aspect_ratio: 'use settings.aspect_ratio',
	duration: 'use settings.duration',
	callback_url: 'use options.callback_url',
	external_task_id: 'use options.external_task_id',
	watermark_info: 'use options.watermark_info',
};

const OPTION_FIELDS = ['callback_url', 'external_task_id', 'watermark_info'];

/**
 * Parses and checks a create body for `model` on `kind`, the first broken rule answering 1201
 * naming it. Images given as Base64 (or as URLs on this machine) are read to check them.
 */
export async function parseCurrentRequest(
	kind: 'text-to-video' | 'image-to-video',
	model: CurrentModel,
	raw: string,
	lookups?: CreateLookups,
): Promise<CurrentInput> {
	const fields = parseBody(raw);
	const rules = CURRENT_MODEL_RULES[model];
	const where = `${model} ${kind}`;
	const topLevel =
		kind === 'text-to-video'
			? ['prompt', 'settings', 'options']
			: ['contents', 'settings', 'options'];
	refuseTopLevel(fields, topLevel, where);
	const settings = parseSettings(fields.settings, kind, model, rules);
	const items =
		kind === 'text-to-video' ? undefined : parseContents(fields.contents, model, rules, lookups);
	const prompt = kind === 'text-to-video' ? textPrompt(fields.prompt) : (items?.prompt ?? '');
	const maxPrompt =
		kind === 'text-to-video' ? rules.maxPromptText2Video : rules.maxPromptImage2Video;
	const characters = [...prompt].length;
	if (characters > maxPrompt) {
		throw invalid(
			`prompt must be at most ${maxPrompt} characters for ${where} (got ${characters})`,
		);
	}
	// Models without multi-shot (2.6, 2.5 Turbo) read shot-like wording as plain words: Kling's
	// pages for them have no rule about it.
	if (rules.multiShotPrompt) checkShots(prompt, settings.duration, settings.multiShot);
	if (items) {
		if (
			items.lastFrame !== undefined &&
			rules.lastFrameNeeds1080p &&
			settings.resolution !== '1080p'
		) {
			throw invalid(
				`last_frame on ${model} needs settings.resolution "1080p" (got "${settings.resolution}")`,
			);
		}
		if (items.voices > 0 && settings.audio === 'off') {
			throw invalid('voice items need settings.audio "native" (audio must not be "off")');
		}
	}
	const options = parseOptions(fields.options);
	if (items) {
		await checkFrame('first_frame', items.firstFrame);
		await checkFrame('last_frame', items.lastFrame);
	}
	return {
		kind,
		model,
		prompt,
		resolution: settings.resolution,
		duration: settings.duration,
		audio: settings.audio,
		voices: items?.voices ?? 0,
		sound: rules.audio === undefined ? model === 'kling-3.0-turbo' : settings.audio !== 'off',
		...options,
	};
}

/** Top-level fields other than `topLevel`: legacy ones with a hint where they went, else unknown. */
export function refuseTopLevel(
	fields: Record<string, unknown>,
	topLevel: readonly string[],
	where: string,
): void {
	for (const name of Object.keys(fields)) {
		if (topLevel.includes(name) || absent(fields[name])) continue;
		if (name in LEGACY_FIELDS) {
			throw invalid(
				`${name} is a legacy /v1 field, not supported by ${where}: ${LEGACY_FIELDS[name]}`,
			);
		}
		if (name === 'prompt' && topLevel.includes('contents')) {
			const product = where.slice(where.indexOf(' ') + 1);
			throw invalid(`prompt goes into contents[] on ${product}: {"type": "prompt", "text": …}`);
		}
		throw invalid(`${name} is not a field of ${where} (fields: ${topLevel.join(', ')})`);
	}
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quoted(values: readonly unknown[]): string {
	return values.map((v) => JSON.stringify(v)).join(', ');
}

function textPrompt(value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw invalid('prompt is required for text-to-video: a non-empty string');
	}
	return value;
}

interface Settings {
	resolution: Resolution;
	duration: number;
	audio: Audio;
	multiShot: boolean;
}

function parseSettings(
	value: unknown,
	kind: CurrentTaskKind,
	model: CurrentModel,
	rules: CurrentModelRules,
): Settings {
	const settings = absent(value) ? {} : value;
	if (!isObject(settings)) {
		throw invalid('settings must be an object {resolution, duration, …}');
	}
	const known = ['resolution', 'duration'];
	if (kind === 'text-to-video') known.push('aspect_ratio');
	if (rules.audio) known.push('audio');
	if (rules.multiShotSetting) known.push('multi_shot');
	for (const name of Object.keys(settings)) {
		if (known.includes(name) || absent(settings[name])) continue;
		throw invalid(
			`settings.${name} is not supported by ${model} ${kind} (settings: ${known.join(', ')})`,
		);
	}
	const resolution = oneOf(settings.resolution, 'resolution', rules.resolutions, '720p', model);
	const duration = absent(settings.duration) ? 5 : settings.duration;
	if (typeof duration !== 'number' || !rules.durations.includes(duration)) {
		const allowed =
			rules.durations.length > 2
				? `an integer from ${rules.durations[0]} to ${rules.durations[rules.durations.length - 1]}`
				: rules.durations.join(' or ');
		throw invalid(
			`settings.duration must be ${allowed} (seconds, a number) for ${model} (got ${JSON.stringify(duration)})`,
		);
	}
	if (kind === 'text-to-video') {
		oneOf(settings.aspect_ratio, 'aspect_ratio', CURRENT_ASPECT_RATIOS, '16:9', model);
	}
	const audio = rules.audio ? oneOf(settings.audio, 'audio', rules.audio, 'off', model) : 'off';
	if (audio === 'native' && rules.nativeAudioNeeds1080p && resolution !== '1080p') {
		throw invalid(
			`settings.audio "native" on ${model} needs settings.resolution "1080p" (got "${resolution}")`,
		);
	}
	const multiShot = absent(settings.multi_shot) ? true : settings.multi_shot;
	if (typeof multiShot !== 'boolean') throw invalid('settings.multi_shot must be a boolean');
	return { resolution, duration, audio, multiShot };
}

export function oneOf<T>(
	value: unknown,
	name: string,
	allowed: readonly T[],
	fallback: T,
	model: string,
): T {
	if (absent(value)) return fallback;
	if (!allowed.includes(value as T)) {
		throw invalid(
			`settings.${name} must be one of ${quoted(allowed)} for ${model} (got ${JSON.stringify(value)})`,
		);
	}
	return value as T;
}

interface Contents {
	prompt: string | undefined;
	firstFrame: string | undefined;
	lastFrame: string | undefined;
	voices: number;
}

function parseContents(
	value: unknown,
	model: CurrentModel,
	rules: CurrentModelRules,
	lookups: CreateLookups | undefined,
): Contents {
	if (!Array.isArray(value) || value.length === 0) {
		throw invalid(
			'contents is required for image-to-video: a list of {type, …} items with one first_frame',
		);
	}
	const types = ['prompt', 'first_frame'];
	if (rules.lastFrame) types.push('last_frame');
	if (rules.maxElements > 0) types.push('element');
	if (rules.maxVoices > 0) types.push('voice');
	const found: Contents = {
		prompt: undefined,
		firstFrame: undefined,
		lastFrame: undefined,
		voices: 0,
	};
	let elements = 0;
	value.forEach((raw: unknown, index) => {
		const at = `contents[${index}]`;
		const item = contentItem(raw, at, types, `${model} image-to-video`);
		const { type } = item;
		const once = (current: unknown) => {
			if (current !== undefined) throw invalid(`contents may have at most one ${type} item`);
		};
		if (type === 'prompt') {
			found.prompt = promptText(item, at, found.prompt);
		} else if (type === 'first_frame' || type === 'last_frame') {
			const key = type === 'first_frame' ? 'firstFrame' : 'lastFrame';
			once(found[key]);
			if (typeof item.url !== 'string' || item.url === '') {
				throw invalid(`${at}.url is required: an http(s) URL or raw Base64 of a JPG/PNG image`);
			}
			found[key] = item.url;
		} else if (type === 'element') {
			elements += 1;
			requireIds(item, at, 'element_id');
			if (elements > rules.maxElements) {
				throw invalid(`contents may have at most ${rules.maxElements} element items on ${model}`);
			}
			if (lookups) requireElement(item, at, lookups);
		} else {
			found.voices += 1;
			requireIds(item, at, 'voice_id');
			if (found.voices > rules.maxVoices) {
				throw invalid(`contents may have at most ${rules.maxVoices} voice items on ${model}`);
			}
			const voiceId = String(item.voice_id);
			if (lookups && !lookups.voice(voiceId)) {
				throw invalid(
					`${at}.voice_id '${voiceId}' does not exist in this account (neither a custom voice nor a preset)`,
				);
			}
		}
	});
	if (found.firstFrame === undefined) {
		throw invalid(
			found.lastFrame === undefined
				? 'contents needs a first_frame item (image-to-video starts from an image)'
				: 'a last_frame alone is not supported: add a first_frame item',
		);
	}
	return found;
}

/** The element an item names, which must be the account's own or a preset. */
/**
 * contents[i] as an object whose type is one of `types` (the types `where`, a model and product,
 * takes), else a 1201 naming the item.
 */
export function contentItem(
	item: unknown,
	at: string,
	types: readonly string[],
	where: string,
): Record<string, unknown> & { type: string } {
	if (!isObject(item) || typeof item.type !== 'string') {
		throw invalid(`${at} must be an object with a type (${types.join(', ')})`);
	}
	if (!types.includes(item.type)) {
		throw invalid(
			`${at}.type "${item.type}" is not supported by ${where} (types: ${types.join(', ')})`,
		);
	}
	return item as Record<string, unknown> & { type: string };
}

/** The text of a prompt item; `previous` is the one already found, as only one is taken. */
export function promptText(
	item: Record<string, unknown>,
	at: string,
	previous: string | undefined,
): string {
	if (previous !== undefined) throw invalid('contents may have at most one prompt item');
	if (typeof item.text !== 'string') throw invalid(`${at}.text must be a string (the prompt)`);
	return item.text;
}

export function requireElement(
	item: Record<string, unknown>,
	at: string,
	lookups: CreateLookups,
): NonNullable<ReturnType<CreateLookups['element']>> {
	const id = String(item.element_id);
	const element = lookups.element(id);
	if (!element) {
		throw invalid(
			`${at}.element_id '${id}' does not exist in this account (neither a custom element nor a preset)`,
		);
	}
	return element;
}

export function requireIds(item: Record<string, unknown>, at: string, idName: string): void {
	for (const name of [idName, 'id']) {
		const value = item[name];
		const ok = (typeof value === 'string' && value !== '') || Number.isInteger(value);
		if (!ok) throw invalid(`${at}.${name} is required (the prompt refers to the item as @<id>)`);
	}
}

export function parseOptions(
	value: unknown,
): Pick<CurrentInput, 'watermark' | 'callbackUrl' | 'externalTaskId'> {
	const options = absent(value) ? {} : value;
	if (!isObject(options)) {
		throw invalid(`options must be an object {${OPTION_FIELDS.join(', ')}}`);
	}
	for (const name of Object.keys(options)) {
		if (!OPTION_FIELDS.includes(name) && !absent(options[name])) {
			throw invalid(`options.${name} is not an option (options: ${OPTION_FIELDS.join(', ')})`);
		}
	}
	return {
		watermark: watermark(options.watermark_info),
		callbackUrl: callbackUrl(options.callback_url),
		externalTaskId: externalTaskId(options.external_task_id),
	};
}

export async function checkFrame(name: string, value: string | undefined): Promise<void> {
	if (value === undefined) return;
	try {
		await checkImageValue(value, { aspectRatio: true, maxBytes: MAX_CURRENT_IMAGE_BYTES });
	} catch (error) {
		if (error instanceof ImageProblem) throw invalid(`${name} url ${error.message}`);
		throw error;
	}
}

const SHOT_START = /^\s*shot\s+\d+\s*,/i;
const SHOT = /^shot\s+(\d+)\s*,\s*(\d+)\s*,\s*(\S[\s\S]*)$/i;

/**
 * Multi-shot prompts of the models that have them (3.0 Turbo, 3.0, 3.0 Omni): `shot n, seconds, words;` repeated, 1 to 6 shots numbered in order, each at
 * least 1 s with at most 512 characters of words, lengths adding up to settings.duration.
 */
export function checkShots(prompt: string, duration: number, multiShot: boolean): void {
	// With multi_shot: false the shot wording is just text (Kling's docs: "multi-shot prompts will
	// not produce multi-shot output").
	if (!multiShot || !SHOT_START.test(prompt)) return;
	const segments = prompt.split(';').map((segment) => segment.trim());
	if (segments[segments.length - 1] === '') segments.pop();
	if (segments.length > MAX_SHOTS) {
		throw invalid(`multi-shot prompt: at most ${MAX_SHOTS} shots (got ${segments.length})`);
	}
	let total = 0;
	segments.forEach((segment, index) => {
		const match = SHOT.exec(segment);
		if (!match) {
			throw invalid(
				`multi-shot prompt: shot ${index + 1} must read "shot <n>, <seconds>, <words>;" (got ${JSON.stringify(segment.slice(0, 60))})`,
			);
		}
		const [, number, seconds, words] = match;
		if (Number(number) !== index + 1) {
			throw invalid(
				`multi-shot prompt: shots must be numbered 1, 2, 3… in order (shot ${index + 1} says ${number})`,
			);
		}
		if (Number(seconds) < 1) {
			throw invalid(
				`multi-shot prompt: shot ${number} must last at least 1 second (got ${seconds})`,
			);
		}
		const characters = [...words.trim()].length;
		if (characters > MAX_SHOT_WORDS) {
			throw invalid(
				`multi-shot prompt: the words of shot ${number} must be at most ${MAX_SHOT_WORDS} characters (got ${characters})`,
			);
		}
		total += Number(seconds);
	});
	if (total !== duration) {
		throw invalid(
			`multi-shot prompt: the shot lengths add up to ${total} s, but settings.duration is ${duration}`,
		);
	}
}
