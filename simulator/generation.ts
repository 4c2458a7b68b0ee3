import { ImageProblem, checkImageValue } from './images';
import type { ImageHeader, ImageRules } from './images';
import { KlingError } from './errors';
import {
	DEFAULT_MODEL,
	IMAGE2VIDEO_MODELS,
	TEXT2VIDEO_MODELS,
	discontinuedMessage,
	takesCfgScale,
} from './models';
import {
	absent,
	callbackUrl,
	cfgScale,
	externalTaskId,
	invalid,
	parseBody,
	text,
	watermark,
	MAX_PROMPT_CHARS,
} from './validation';

export type GenerationKind = 'text2video' | 'image2video';
export type Mode = 'std' | 'pro';

export const MODES: readonly Mode[] = ['std', 'pro'];
export const ASPECT_RATIOS: readonly string[] = ['16:9', '9:16', '1:1'];
export const DURATIONS: readonly string[] = ['5', '10'];
export const CAMERA_TYPES: readonly string[] = [
	'simple',
	'down_back',
	'forward_up',
	'right_turn_forward',
	'left_turn_forward',
];
export const CAMERA_AXES: readonly string[] = [
	'horizontal',
	'vertical',
	'pan',
	'tilt',
	'roll',
	'zoom',
];
export const MAX_DYNAMIC_MASKS = 6;
export const TRAJECTORY_POINTS = { min: 2, max: 77 } as const;

export interface GenerationInput {
	kind: GenerationKind;
	model: string;
	prompt: string;
	mode: Mode;
	/** Seconds. */
	duration: number;
	watermark: boolean;
	callbackUrl: string | undefined;
	externalTaskId: string;
	/** Accepted, but the task will fail with this message (masks that do not fit the image). */
	failure: string | undefined;
}

/**
 * Parses and checks a text2video or image2video body the way Kling answers it: the first problem
 * found is a 1201 naming the field and what it allows. Images given as Base64 (or as URLs on this
 * machine) are read to check format, size and dimensions.
 */
export async function parseGenerationRequest(
	kind: GenerationKind,
	raw: string,
	discontinuedModels: readonly string[],
): Promise<GenerationInput> {
	const fields = parseBody(raw);
	const model = modelName(fields.model_name, kind, discontinuedModels);
	const prompt = text(fields, 'prompt');
	if (kind === 'text2video' && prompt.trim() === '') {
		throw invalid(`prompt is required for text to video (at most ${MAX_PROMPT_CHARS} characters)`);
	}
	text(fields, 'negative_prompt');
	if (!absent(fields.cfg_scale) && !takesCfgScale(model)) {
		throw invalid(`cfg_scale is not supported by ${model} (only kling-v1.x models take cfg_scale)`);
	}
	cfgScale(fields.cfg_scale);
	const mode = oneOf(fields, 'mode', MODES, 'std');
	if (kind === 'text2video') {
		oneOf(fields, 'aspect_ratio', ASPECT_RATIOS, '16:9');
	} else if (!absent(fields.aspect_ratio)) {
		throw invalid('aspect_ratio is not supported by image to video: the image decides it');
	}
	const duration = Number(oneOf(fields, 'duration', DURATIONS, '5'));
	const camera = cameraControl(fields.camera_control);
	const failure = kind === 'image2video' ? await checkImages(fields, mode, camera) : undefined;
	return {
		failure,
		kind,
		model,
		prompt,
		mode,
		duration,
		watermark: watermark(fields.watermark_info),
		callbackUrl: callbackUrl(fields.callback_url),
		externalTaskId: externalTaskId(fields.external_task_id),
	};
}

function modelName(value: unknown, kind: GenerationKind, discontinued: readonly string[]): string {
	const allowed = kind === 'text2video' ? TEXT2VIDEO_MODELS : IMAGE2VIDEO_MODELS;
	const model = absent(value) || value === '' ? DEFAULT_MODEL : value;
	// Kling answers a retired model, the default kling-v1 included, with 404/1203 (measured live),
	// on either endpoint.
	if (typeof model === 'string' && discontinued.includes(model)) {
		throw new KlingError(1203, discontinuedMessage(model));
	}
	if (typeof model !== 'string' || !allowed.includes(model)) {
		const open = allowed.filter((m) => !discontinued.includes(m));
		throw invalid(
			`model_name must be one of ${open.join(', ')} for ${kind} (got ${JSON.stringify(model)})`,
		);
	}
	return model;
}

function oneOf<T extends string>(
	fields: Record<string, unknown>,
	name: string,
	allowed: readonly T[],
	fallback: T,
): T {
	const value = fields[name];
	if (absent(value)) return fallback;
	if (!allowed.includes(value as T)) {
		const list = allowed.map((a) => JSON.stringify(a)).join(', ');
		throw invalid(`${name} must be one of ${list} (got ${JSON.stringify(value)})`);
	}
	return value as T;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when camera control was asked for. */
function cameraControl(value: unknown): boolean {
	if (absent(value)) return false;
	if (!isObject(value)) throw invalid('camera_control must be an object {type, config}');
	const { type, config } = value;
	if (typeof type !== 'string' || !CAMERA_TYPES.includes(type)) {
		throw invalid(
			`camera_control.type must be one of ${CAMERA_TYPES.join(', ')} (got ${JSON.stringify(type)})`,
		);
	}
	if (type !== 'simple') {
		const empty =
			absent(config) || (isObject(config) && Object.values(config).every((v) => v === 0));
		if (!empty) {
			throw invalid(`camera_control.config must be empty for type ${type}: only simple takes one`);
		}
		return true;
	}
	const expected = `{${CAMERA_AXES.join(', ')}} with exactly one non-zero value in [-10, 10]`;
	if (!isObject(config)) {
		throw invalid(`camera_control.config is required for type simple: ${expected}`);
	}
	let nonZero = 0;
	for (const [axis, amount] of Object.entries(config)) {
		if (!CAMERA_AXES.includes(axis)) {
			throw invalid(`camera_control.config.${axis} is not a camera setting; expected ${expected}`);
		}
		if (absent(amount)) continue;
		if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < -10 || amount > 10) {
			throw invalid(`camera_control.config.${axis} must be a number in [-10, 10]`);
		}
		if (amount !== 0) nonZero += 1;
	}
	if (nonZero !== 1) {
		throw invalid(
			`camera_control.config must have exactly one non-zero value for type simple (got ${nonZero})`,
		);
	}
	return true;
}

/** Refuses what Kling refuses; resolves why the task will fail, if it will. */
async function checkImages(
	fields: Record<string, unknown>,
	mode: Mode,
	camera: boolean,
): Promise<string | undefined> {
	const image = imageField(fields.image, 'image');
	const tail = imageField(fields.image_tail, 'image_tail');
	if (image === undefined && tail === undefined) {
		throw invalid('image or image_tail is required (at least one: an http(s) URL or raw Base64)');
	}
	const staticMask = imageField(fields.static_mask, 'static_mask');
	const dynamicMasks = dynamicMaskList(fields.dynamic_masks);
	const masks = staticMask !== undefined || dynamicMasks.length > 0;
	const combined = [tail !== undefined, masks, camera].filter(Boolean).length;
	if (combined > 1) {
		throw invalid(
			'image_tail (an end frame), static_mask/dynamic_masks and camera_control cannot be ' +
				'combined: use one of them',
		);
	}
	if (tail !== undefined && mode !== 'pro') {
		throw invalid('image_tail (an end frame) requires mode "pro"');
	}
	const first = await checkImage('image', image, { aspectRatio: true });
	await checkImage('image_tail', tail, { aspectRatio: false });
	const sized: Array<[string, ImageHeader | undefined]> = [
		['static_mask', await checkImage('static_mask', staticMask, { aspectRatio: false })],
	];
	for (const [index, mask] of dynamicMasks.entries()) {
		const name = `dynamic_masks[${index}].mask`;
		sized.push([name, await checkImage(name, mask, { aspectRatio: false })]);
	}
	// Kling documents this as a failed task, not a refused request.
	for (const [name, header] of sized) {
		if (first && header && (header.width !== first.width || header.height !== first.height)) {
			return (
				`Mask does not fit the image: ${name} is ${header.width}x${header.height}, ` +
				`image is ${first.width}x${first.height}; masks must have the image's resolution`
			);
		}
	}
	return undefined;
}

function imageField(value: unknown, name: string): string | undefined {
	if (absent(value) || value === '') return undefined;
	if (typeof value !== 'string') {
		throw invalid(`${name} must be a string: an http(s) URL or raw Base64`);
	}
	return value;
}

async function checkImage(
	name: string,
	value: string | undefined,
	rules: ImageRules,
): Promise<ImageHeader | undefined> {
	if (value === undefined) return undefined;
	try {
		return await checkImageValue(value, rules);
	} catch (error) {
		if (error instanceof ImageProblem) throw invalid(`${name} ${error.message}`);
		throw error;
	}
}

/** The masks' images; the trajectories are checked here. */
function dynamicMaskList(value: unknown): string[] {
	if (absent(value)) return [];
	if (!Array.isArray(value) || value.length > MAX_DYNAMIC_MASKS) {
		throw invalid(
			`dynamic_masks must be a list of at most ${MAX_DYNAMIC_MASKS} {mask, trajectories} groups`,
		);
	}
	return value.map((group: unknown, index) => {
		const where = `dynamic_masks[${index}]`;
		if (!isObject(group)) throw invalid(`${where} must be an object {mask, trajectories}`);
		const mask = imageField(group.mask, `${where}.mask`);
		if (mask === undefined) throw invalid(`${where}.mask is required`);
		const points = group.trajectories;
		const { min, max } = TRAJECTORY_POINTS;
		if (!Array.isArray(points) || points.length < min || points.length > max) {
			throw invalid(`${where}.trajectories must be a list of ${min} to ${max} points {x, y}`);
		}
		points.forEach((point: unknown, at) => {
			const ok =
				isObject(point) &&
				[point.x, point.y].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
			if (!ok) {
				throw invalid(
					`${where}.trajectories[${at}] must be {x, y}: pixel coordinates >= 0 (origin bottom-left)`,
				);
			}
		});
		return mask;
	});
}
