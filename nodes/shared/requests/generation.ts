import { API_KEY_ADVICE, refuseAccessKeys } from '../checks/apiKeyOnly';
import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { KlingItemContext } from '../transport/itemContext';
import { klingCodeOf } from '../transport/klingResponse';
import { sendCreateTask } from '../tasks/createTask';
import type { ImageSource } from '../checks/imageInput';
import { resolveImage } from '../checks/imageInput';
import {
	checkCallbackAndExternalId,
	checkOptionalText,
	fail,
	requireText,
} from '../checks/validation';
import type { CurrentModel, GenerationKind, ModelLimits } from './models';
import {
	ASPECT_RATIOS,
	CURRENT_MODELS,
	LEGACY_MODEL_NAMES,
	MAX_SHOTS,
	MAX_SHOT_PROMPT,
	MIN_SHOT_SECONDS,
	MODEL_LIMITS,
	RETIRED_MODELS,
	allowsDuration,
	durationsText,
	isCurrentModel,
} from './models';

/**
 * Text to Video and Image to Video on Kling's current API generation: the request as Kling takes
 * it (`POST /text-to-video/{model}` or `/image-to-video/{model}` with `prompt` or `contents[]`,
 * `settings{}` and `options{}`; Kling's docs, the pages of each model), and every rule of the
 * model checked before anything is sent, naming the field and what it allows.
 */

export const GENERATION_PATHS: Record<GenerationKind, string> = {
	textToVideo: '/text-to-video',
	imageToVideo: '/image-to-video',
};

/** Where Kling's console makes API keys, the only keys the current generation takes. */

type Value = IDataObject[string];

interface Shot {
	prompt?: Value;
	duration?: Value;
}

/** The fields of one item as the user filled them (values unchecked). */
interface GenerationInput {
	model: Value;
	prompt: Value;
	multiShot: boolean;
	shots: Shot[];
	resolution: Value;
	duration: Value;
	aspectRatio: Value;
	audio: Value;
	image: Value;
	imageTail: Value;
	elementIds: Value;
	voiceIds: Value;
	additional: IDataObject;
}

function readInput(ctx: KlingItemContext, kind: GenerationKind): GenerationInput {
	const get = (name: string, fallback: unknown) => ctx.getNodeParameter(name, fallback) as Value;
	const multiShot = get('multiShot', false) === true;
	const isImage = kind === 'imageToVideo';
	return {
		model: get('model', ''),
		prompt: multiShot ? undefined : get('prompt', ''),
		multiShot,
		shots: multiShot ? shotList(get('shots', {})) : [],
		resolution: get('resolution', '720p'),
		duration: get('durationSeconds', 5),
		aspectRatio: isImage ? undefined : get('aspectRatio', '16:9'),
		// null: the model has no Audio field (n8n takes an undefined fallback as none).
		audio: get('audio', null) ?? undefined,
		image: isImage ? get('image', '') : undefined,
		imageTail: isImage ? get('imageTail', '') : undefined,
		elementIds: isImage ? get('elementIds', []) : [],
		voiceIds: isImage ? get('voiceIds', []) : [],
		additional: get('additionalFields', {}) as IDataObject,
	};
}

/**
 * The entries of Shots; none when an expression made it anything but `{ shot: [...] }`. An entry
 * whose prompt and duration are both empty is no shot: n8n keeps Shots only as entries, so an agent
 * fills a fixed number of entries by expressions, and those past the shots it gave come out empty.
 */
function shotList(value: Value): Shot[] {
	const shots = (value as { shot?: unknown } | null)?.shot;
	if (!Array.isArray(shots)) return [];
	return (shots as Array<Shot | null>).filter(
		(shot): shot is Shot => isGiven(shot?.prompt) || isGiven(shot?.duration),
	);
}

function isGiven(value: unknown): boolean {
	return (
		value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '')
	);
}

function listOf(values: readonly unknown[]): string {
	return values.map((value) => JSON.stringify(value)).join(', ');
}

function shown(value: unknown): string {
	return JSON.stringify(value) ?? 'nothing';
}

/** Ids given as a list (the editor) or as comma-separated text (an expression). */
function idList(value: unknown): string[] {
	const values = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return values.map((id) => String(id ?? '').trim()).filter((id) => id !== '');
}

/** Kling's multi-shot prompt: `shot 1, 3, words; shot 2, 4, words;`. */
export function multiShotPrompt(shots: Array<{ prompt: string; duration: number }>): string {
	return shots
		.map((shot, index) => `shot ${index + 1}, ${shot.duration}, ${shot.prompt};`)
		.join(' ');
}

/** The body as Kling takes it, from the fields (checked or not). */
function bodyOf(kind: GenerationKind, model: string, input: GenerationInput): IDataObject {
	const limits = MODEL_LIMITS[model] as ModelLimits | undefined;
	const shots = input.shots.map((shot) => ({
		prompt: String(shot.prompt ?? '').trim(),
		duration: Number(shot.duration),
	}));
	const prompt = input.multiShot ? multiShotPrompt(shots) : input.prompt;
	const settings: IDataObject = {
		resolution: input.resolution,
		duration: typeof input.duration === 'string' ? Number(input.duration) : input.duration,
	};
	if (kind === 'textToVideo') settings.aspect_ratio = input.aspectRatio;
	if (limits?.audio && input.audio !== undefined) settings.audio = input.audio;
	if (input.multiShot && limits?.multiShot === 'setting') settings.multi_shot = true;
	const body: IDataObject = {};
	if (kind === 'textToVideo') {
		body.prompt = prompt;
	} else {
		const contents: IDataObject[] = [];
		if (isGiven(prompt)) contents.push({ type: 'prompt', text: prompt });
		if (isGiven(input.image)) contents.push({ type: 'first_frame', url: input.image });
		if (isGiven(input.imageTail)) contents.push({ type: 'last_frame', url: input.imageTail });
		idList(input.elementIds).forEach((id, index) =>
			contents.push({ type: 'element', element_id: id, id: String(index + 1) }),
		);
		idList(input.voiceIds).forEach((id, index) =>
			contents.push({ type: 'voice', voice_id: id, id: String(index + 1) }),
		);
		body.contents = contents;
	}
	body.settings = settings;
	const options: IDataObject = {};
	const { additional } = input;
	if ('callbackUrl' in additional) options.callback_url = additional.callbackUrl;
	if ('externalTaskId' in additional) options.external_task_id = additional.externalTaskId;
	if ('watermark' in additional) options.watermark_info = { enabled: additional.watermark };
	body.options = options;
	return body;
}

/** The create request of Text to Video or Image to Video, from the fields as they are. */
export function generationRequest(
	ctx: KlingItemContext,
	kind: GenerationKind,
): IHttpRequestOptions {
	const input = readInput(ctx, kind);
	return {
		method: 'POST',
		url: `${GENERATION_PATHS[kind]}/${String(input.model)}`,
		body: bodyOf(kind, String(input.model), input),
	};
}

const CHOICES = CURRENT_MODELS.map(
	(model) => `"${model}" (${MODEL_LIMITS[model].displayName})`,
).join(', ');

/**
 * The model, or a plain error: a retired model (a saved workflow, an expression), a legacy name of
 * a model Kling still serves, or a value Kling does not know.
 */
export function checkModel(ctx: KlingItemContext, value: unknown, label = 'Model'): CurrentModel {
	if (isCurrentModel(value)) return value;
	const name = typeof value === 'string' ? value.trim() : value;
	const choices = `Choose one of the current models: ${CHOICES}.`;
	if (typeof name === 'string' && name in RETIRED_MODELS) {
		fail(
			ctx,
			`${label} "${name}" (${RETIRED_MODELS[name]}) has been retired by Kling: it no longer makes videos`,
			choices,
		);
	}
	if (typeof name === 'string' && name in LEGACY_MODEL_NAMES) {
		const current = LEGACY_MODEL_NAMES[name];
		fail(
			ctx,
			`${label} "${name}" is the legacy API's name of ${MODEL_LIMITS[current].displayName}: this node now uses Kling's current names, so choose "${current}"`,
			choices,
		);
	}
	fail(
		ctx,
		`${label} must be one of ${listOf(CURRENT_MODELS)}, but it is ${shown(value)}`,
		choices,
	);
}

function checkChoice(
	ctx: KlingItemContext,
	label: string,
	value: unknown,
	allowed: string[],
	on: string,
): void {
	if (typeof value === 'string' && allowed.includes(value)) return;
	fail(ctx, `${label} must be one of ${listOf(allowed)} on ${on}, but it is ${shown(value)}`);
}

function checkDuration(
	ctx: KlingItemContext,
	label: string,
	value: unknown,
	model: string,
	limits: ModelLimits,
): number {
	const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof seconds !== 'number' || !allowsDuration(limits, seconds)) {
		fail(
			ctx,
			`${label} must be ${durationsText(limits)} (seconds) on ${model}, but it is ${shown(value)}`,
		);
	}
	return seconds;
}

/** The shots of a multi-shot video: 1 to 6, each ≥1 s with a prompt, adding up to Duration. */
function checkShots(
	ctx: KlingItemContext,
	shots: Shot[],
	duration: number,
	model: string,
	limits: ModelLimits,
): void {
	if (!limits.multiShot) {
		const able = CURRENT_MODELS.filter((m) => MODEL_LIMITS[m].multiShot);
		fail(
			ctx,
			`Shots (multi-shot) are available on ${listOf(able)} only, not on ${model}`,
			'Turn Multi-Shot off and write one Prompt, or choose a 3.0 model.',
		);
	}
	if (shots.length === 0 || shots.length > MAX_SHOTS) {
		fail(
			ctx,
			`Shots must have 1 to ${MAX_SHOTS} shots, but there are ${shots.length}`,
			'Add a shot with its prompt and duration, or turn Multi-Shot off.',
		);
	}
	let total = 0;
	shots.forEach((shot, index) => {
		const label = `Shot ${index + 1}`;
		const prompt = requireText(
			ctx,
			`${label} Prompt`,
			shot.prompt,
			'Describe what the shot shows.',
		);
		checkOptionalText(ctx, `${label} Prompt`, prompt, MAX_SHOT_PROMPT);
		if (prompt.includes(';')) {
			fail(
				ctx,
				`${label} Prompt cannot contain a semicolon (;): Kling separates the shots with it`,
				'Use a comma or a full stop instead.',
			);
		}
		const seconds =
			typeof shot.duration === 'string' && shot.duration.trim() !== ''
				? Number(shot.duration)
				: shot.duration;
		if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < MIN_SHOT_SECONDS) {
			fail(
				ctx,
				`${label} Duration must be a whole number of seconds, at least ${MIN_SHOT_SECONDS}, but it is ${shown(shot.duration)}`,
			);
		}
		total += seconds;
	});
	if (total !== duration) {
		fail(
			ctx,
			`The shots add up to ${total} s, but Duration (Seconds) is ${duration}: they must add up to it`,
			'Change the shots’ durations, or set Duration (Seconds) to their sum.',
		);
	}
}

function checkIds(
	ctx: KlingItemContext,
	label: string,
	value: unknown,
	max: number,
	model: string,
	where: string,
): void {
	if (value !== undefined && value !== null && !Array.isArray(value) && typeof value !== 'string') {
		fail(
			ctx,
			`${label} must be a list of IDs (or IDs separated by commas), but it is ${shown(value)}`,
		);
	}
	const ids = idList(value);
	if (ids.length === 0) return;
	if (max === 0) fail(ctx, `${label} can be used on ${where} only, not on ${model}`);
	if (ids.length > max) {
		fail(ctx, `${label} can have at most ${max} IDs on ${model}, but there are ${ids.length}`);
	}
}

/**
 * Checks every rule of the model before anything is sent, then puts in what Kling takes (the
 * path of the model, images as a URL or raw Base64).
 */
export async function checkGenerationRequest(
	ctx: KlingItemContext,
	kind: GenerationKind,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const input = readInput(ctx, kind);
	const model = checkModel(ctx, input.model);
	const limits = MODEL_LIMITS[model];
	const isImage = kind === 'imageToVideo';
	const on = model;
	checkChoice(ctx, 'Resolution', input.resolution, limits.resolutions, on);
	const duration = checkDuration(ctx, 'Duration (Seconds)', input.duration, model, limits);
	if (!isImage) checkChoice(ctx, 'Aspect Ratio', input.aspectRatio, ASPECT_RATIOS, 'text to video');
	if (limits.audio) {
		if (input.audio !== undefined) checkChoice(ctx, 'Audio', input.audio, limits.audio, on);
		if (input.audio === 'native' && limits.nativeAudioNeeds1080p && input.resolution !== '1080p') {
			fail(
				ctx,
				`Audio "native" on ${model} needs Resolution "1080p", but Resolution is ${shown(input.resolution)}`,
				'Set Resolution to 1080p, or Audio to off.',
			);
		}
	} else if (input.audio === 'native' && !limits.sound?.startsWith('always')) {
		fail(ctx, `Audio must be "off" on ${model}: it ${limits.sound ?? 'has no audio setting'}`);
	}
	const maxPrompt = limits.maxPrompt[kind];
	if (input.multiShot) {
		checkShots(ctx, input.shots, duration, model, limits);
	} else if (!isImage && (typeof input.prompt !== 'string' || input.prompt.trim() === '')) {
		fail(
			ctx,
			`Prompt is required for text to video, but it is ${isGiven(input.prompt) ? shown(input.prompt) : 'empty'}`,
			`Describe the video in at most ${maxPrompt} characters, or turn Multi-Shot on (3.0 models).`,
		);
	}
	const body = bodyOf(kind, model, input);
	const prompt = isImage
		? (body.contents as IDataObject[]).find((item) => item.type === 'prompt')?.text
		: body.prompt;
	checkOptionalText(
		ctx,
		input.multiShot ? 'The prompt the shots make' : 'Prompt',
		prompt,
		maxPrompt,
	);
	if (isImage) await checkImageInputs(ctx, input, body, model, limits);
	const options = body.options as IDataObject;
	checkCallbackAndExternalId(ctx, options);
	const { watermark } = input.additional;
	if (watermark !== undefined && typeof watermark !== 'boolean') {
		fail(ctx, `Watermark must be true or false, but it is ${shown(watermark)}`);
	}
	await refuseAccessKeys(
		ctx,
		`The Kling API credential uses an access key + secret key, and Kling's current models (${model} among them) take only an API key`,
	);
	// What the plumbing put in options (the resume URL, the node's external id) stays.
	const before = ((request.body as IDataObject | undefined)?.options ?? {}) as IDataObject;
	body.options = { ...before, ...options };
	if (Object.keys(body.options as IDataObject).length === 0) delete body.options;
	return { ...request, url: `${GENERATION_PATHS[kind]}/${model}`, body };
}

async function checkImageInputs(
	ctx: KlingItemContext,
	input: GenerationInput,
	body: IDataObject,
	model: string,
	limits: ModelLimits,
): Promise<void> {
	if (!isGiven(input.image)) {
		fail(
			ctx,
			isGiven(input.imageTail)
				? 'First Frame is required with a Last Frame: Kling does not take a last frame alone'
				: 'First Frame is required: image to video starts from an image',
			'Give the first frame as a binary field, a URL or Base64, as Image Source says.',
		);
	}
	if (isGiven(input.imageTail)) {
		if (!limits.lastFrame) {
			fail(
				ctx,
				`Last Frame cannot be used on ${model}: it takes a first frame only`,
				`Leave Last Frame empty, or choose ${listOf(CURRENT_MODELS.filter((m) => MODEL_LIMITS[m].lastFrame))}.`,
			);
		}
		if (limits.lastFrameNeeds1080p && input.resolution !== '1080p') {
			fail(
				ctx,
				`Last Frame on ${model} needs Resolution "1080p", but Resolution is ${shown(input.resolution)}`,
			);
		}
	}
	checkIds(ctx, 'Element IDs', input.elementIds, limits.maxElements, model, '"kling-3.0"');
	checkIds(ctx, 'Voice IDs', input.voiceIds, limits.maxVoices, model, '"kling-2.6"');
	if (idList(input.voiceIds).length > 0 && input.audio === 'off') {
		fail(
			ctx,
			'Voice IDs need Audio "native", but Audio is "off"',
			'Set Audio to native (and Resolution to 1080p), or remove the voices.',
		);
	}
	const source = ctx.getNodeParameter('imageSource', 'binaryField') as ImageSource;
	for (const [type, label] of [
		['first_frame', 'First Frame'],
		['last_frame', 'Last Frame'],
	] as const) {
		const item = (body.contents as IDataObject[]).find((content) => content.type === type);
		if (!item) continue;
		const resolved = await resolveImage(ctx, label, item.url, source, true);
		if (resolved) item.url = resolved.image;
	}
}

/**
 * A refusal by Kling said in plain words: an access key + secret key on the current generation
 * (401/1002, whose text does not help), or the model (404/1203).
 */
export function explainGenerationRefusal(
	ctx: KlingItemContext,
	error: unknown,
	model: string,
): unknown {
	const code = klingCodeOf(error);
	const message = String(
		(error as NodeApiError | undefined)?.context?.klingMessage ?? (error as Error)?.message ?? '',
	);
	if (code === 1002 && /AK\/SK|api key/i.test(message)) {
		return new NodeOperationError(
			ctx.getNode(),
			`Kling refused the credential: its current models (${model} among them) take only an API key, not an access key + secret key`,
			{ itemIndex: ctx.getItemIndex(), description: API_KEY_ADVICE },
		);
	}
	if (code === 1203 && /model|discontinued/i.test(message)) {
		return new NodeOperationError(ctx.getNode(), `Kling refused the model "${model}": ${message}`, {
			itemIndex: ctx.getItemIndex(),
			description: `Choose one of the current models: ${CHOICES}.`,
		});
	}
	return error;
}

type Explain = (ctx: KlingItemContext, error: unknown, request: IHttpRequestOptions) => unknown;

/** A create's send (the task, and the wait the user chose) whose errors go through `explain`. */
export function sendExplained(explain: Explain) {
	return async function (
		this: KlingItemContext,
		request: IHttpRequestOptions,
	): Promise<INodeExecutionData[]> {
		try {
			return await sendCreateTask.call(this, request);
		} catch (error) {
			throw explain(this, error, request);
		}
	};
}

/** Creates a Text or Image to Video task; Kling's refusals read as plain errors. */
export const sendGenerationTask = sendExplained((ctx, error, request) =>
	explainGenerationRefusal(ctx, error, String(request.url).split('/').pop() ?? ''),
);
