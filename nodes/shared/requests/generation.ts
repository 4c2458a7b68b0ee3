import { API_KEY_ADVICE, refuseAccessKeys } from '../checks/apiKeyOnly';
import type { IDataObject, IHttpRequestOptions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { KlingItemContext } from '../transport/itemContext';
import { klingCodeOf } from '../transport/klingResponse';
import type { CreateSend } from '../waiting/createAndWait';
import { sendCreateTask } from '../waiting/createAndWait';
import type { ImageSource } from '../checks/imageInput';
import { resolveImage } from '../checks/imageInput';
import {
	checkCallbackAndExternalId,
	checkHttpUrl,
	checkOptionalText,
	fail,
	requireText,
} from '../checks/validation';
import type { CurrentModel, ModelLimits } from '../kling/models';
import {
	LEGACY_MODEL_NAMES,
	MAX_SHOTS,
	MAX_SHOT_PROMPT,
	MIN_SHOT_SECONDS,
	MODEL_NAMES,
	RETIRED_MODELS,
	allowsDuration,
	durationsText,
} from '../kling/models';
import type { InputKind, ProductId, ProductInput } from '../kling/products';
import { PRODUCTS, createUrlOf, limitsOf, modelsOf } from '../kling/products';

/**
 * A video product of Kling's current API generation (its entry in `kling/products.ts`): the
 * request as Kling takes it (`POST <path>/{model}` with `prompt` or `contents[]`, `settings{}` and
 * `options{}`; Kling's docs, the pages of each model), and every rule of the product's model
 * checked before anything is sent, naming the field and what it allows.
 */

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
	/** The product's inputs (frames, images, a video, element and voice IDs) by parameter. */
	media: Record<string, Value>;
	/** The product's own settings (its `choices`) by parameter. */
	choices: Record<string, Value>;
	additional: IDataObject;
}

/** What each kind of input is when the user left it empty. */
const EMPTY_INPUT: Record<InputKind, Value> = {
	image: '',
	images: {},
	videoUrl: '',
	elementIds: [],
	voiceIds: [],
};

function readInput(ctx: KlingItemContext, product: ProductId): GenerationInput {
	const get = (name: string, fallback: unknown) => ctx.getNodeParameter(name, fallback) as Value;
	const hasShots = modelsOf(product).some((model) => limitsOf(product, model)?.multiShot);
	const multiShot = hasShots && get('multiShot', false) === true;
	const { inputs, choices = [] } = PRODUCTS[product];
	const media: Record<string, Value> = {};
	for (const input of inputs) {
		media[input.parameter] = get(input.parameter, EMPTY_INPUT[input.kind]);
		const role = input.contentTypeBy;
		if (role) media[role.parameter] = get(role.parameter, Object.keys(role.types)[0]);
	}
	const chosen: Record<string, Value> = {};
	for (const choice of choices) chosen[choice.parameter] = get(choice.parameter, '');
	return {
		model: get('model', ''),
		prompt: multiShot ? undefined : get('prompt', ''),
		multiShot,
		shots: multiShot ? shotList(get('shots', {})) : [],
		resolution: get('resolution', '720p'),
		duration: get('durationSeconds', 5),
		aspectRatio: get('aspectRatio', '16:9'),
		// null: the model has no Audio field (n8n takes an undefined fallback as none).
		audio: get('audio', null) ?? undefined,
		media,
		choices: chosen,
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

/** One image of a list of images: where it comes from, and the image. */
interface ImageEntry {
	imageSource?: Value;
	image?: Value;
}

/**
 * The entries of a list of images (`{ images: [...] }`) that have an image; none when an
 * expression made it anything else (the checks name that). Entries left empty are no images, as
 * with Shots.
 */
function imageEntries(value: Value): ImageEntry[] {
	const entries = (value as { images?: unknown } | null)?.images;
	if (!Array.isArray(entries)) return [];
	return (entries as Array<ImageEntry | null>).filter((entry): entry is ImageEntry =>
		isGiven(entry?.image),
	);
}

/** The video URLs given: one text (the editor), or a list (an expression). */
function videoUrls(value: Value): Value[] {
	if (Array.isArray(value)) return value.filter(isGiven);
	return isGiven(value) ? [typeof value === 'string' ? value.trim() : value] : [];
}

/** Kling's item type of an input, by the role the user chose where the input has roles. */
function contentTypeOf(input: ProductInput, media: Record<string, Value>): string {
	const role = input.contentTypeBy;
	return role?.types[String(media[role.parameter])] ?? input.contentType;
}

/** Kling's multi-shot prompt: `shot 1, 3, words; shot 2, 4, words;`. */
export function multiShotPrompt(shots: Array<{ prompt: string; duration: number }>): string {
	return shots
		.map((shot, index) => `shot ${index + 1}, ${shot.duration}, ${shot.prompt};`)
		.join(' ');
}

/**
 * The `contents[]` items of one input's value. `counters` numbers the ids of each prefix across
 * inputs (Kling's examples: a first frame `image_1`, then a reference image `image_2`).
 */
function contentItems(
	input: ProductInput,
	media: Record<string, Value>,
	counters: Map<string, number>,
): IDataObject[] {
	const value = media[input.parameter];
	const type = contentTypeOf(input, media);
	const { idPrefix } = input;
	const nextId = (): string | undefined => {
		if (idPrefix === undefined) return undefined;
		const number = (counters.get(idPrefix) ?? 0) + 1;
		counters.set(idPrefix, number);
		return `${idPrefix}${number}`;
	};
	const withUrl = (url: Value): IDataObject => {
		const id = nextId();
		return id === undefined ? { type, url } : { type, url, id };
	};
	if (input.kind === 'image') return isGiven(value) ? [withUrl(value)] : [];
	if (input.kind === 'images') return imageEntries(value).map((entry) => withUrl(entry.image));
	if (input.kind === 'videoUrl') return videoUrls(value).map(withUrl);
	const idField = input.kind === 'elementIds' ? 'element_id' : 'voice_id';
	return idList(value).map((id, index) => ({
		type,
		[idField]: id,
		id: nextId() ?? String(index + 1),
	}));
}

/** The body as Kling takes it, from the fields (checked or not). */
function bodyOf(product: ProductId, model: string, input: GenerationInput): IDataObject {
	const limits = limitsOf(product, model);
	const { prompt: promptPlace, inputs, choices = [] } = PRODUCTS[product];
	const shots = input.shots.map((shot) => ({
		prompt: String(shot.prompt ?? '').trim(),
		duration: Number(shot.duration),
	}));
	const prompt = input.multiShot ? multiShotPrompt(shots) : input.prompt;
	const settings: IDataObject = { resolution: input.resolution };
	// No duration where the product has none (the length follows an input video).
	if (limits === undefined || limits.durations !== undefined) {
		settings.duration =
			typeof input.duration === 'string' ? Number(input.duration) : input.duration;
	}
	for (const choice of choices) settings[choice.setting] = input.choices[choice.parameter];
	const body: IDataObject = {};
	// An input that decides the frame shape (a first frame, a video) leaves out the aspect ratio.
	let shaped = false;
	if (promptPlace === 'body') {
		body.prompt = prompt;
	} else {
		const contents: IDataObject[] = [];
		if (isGiven(prompt)) contents.push({ type: 'prompt', text: prompt });
		const counters = new Map<string, number>();
		for (const each of inputs) {
			const items = contentItems(each, input.media, counters);
			if (each.shapesFrame && items.length > 0) shaped = true;
			contents.push(...items);
		}
		body.contents = contents;
	}
	if (limits?.aspectRatios && !shaped) settings.aspect_ratio = input.aspectRatio;
	if (limits?.audio && input.audio !== undefined) settings.audio = input.audio;
	if (input.multiShot && limits?.multiShot === 'setting') settings.multi_shot = true;
	body.settings = settings;
	const options: IDataObject = {};
	const { additional } = input;
	if ('callbackUrl' in additional) options.callback_url = additional.callbackUrl;
	if ('externalTaskId' in additional) options.external_task_id = additional.externalTaskId;
	if ('watermark' in additional) options.watermark_info = { enabled: additional.watermark };
	body.options = options;
	return body;
}

/** The create request of a product, from the fields as they are. */
export function generationRequest(ctx: KlingItemContext, product: ProductId): IHttpRequestOptions {
	const input = readInput(ctx, product);
	return {
		method: 'POST',
		url: createUrlOf(product, String(input.model)),
		body: bodyOf(product, String(input.model), input),
	};
}

function modelChoices(product: ProductId): string {
	const models = modelsOf(product).map((model) => `"${model}" (${MODEL_NAMES[model]})`);
	return `Choose one of the current models: ${models.join(', ')}.`;
}

/**
 * The model, or a plain error: a retired model (a saved workflow, an expression), a legacy name of
 * a model Kling still serves, or a value Kling does not know.
 */
export function checkModel(
	ctx: KlingItemContext,
	product: ProductId,
	value: unknown,
	label = 'Model',
): CurrentModel {
	const models = modelsOf(product);
	if (models.includes(value as CurrentModel)) return value as CurrentModel;
	const name = typeof value === 'string' ? value.trim() : value;
	const choices = modelChoices(product);
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
			`${label} "${name}" is the legacy API's name of ${MODEL_NAMES[current]}: this node now uses Kling's current names, so choose "${current}"`,
			choices,
		);
	}
	fail(ctx, `${label} must be one of ${listOf(models)}, but it is ${shown(value)}`, choices);
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
	product: ProductId,
	shots: Shot[],
	duration: number | undefined,
	model: string,
	limits: ModelLimits,
): void {
	if (!limits.multiShot) {
		const able = modelsOf(product).filter((m) => limitsOf(product, m)?.multiShot);
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
	if (duration !== undefined && total !== duration) {
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
		fail(
			ctx,
			`${label} can have at most ${max} ${max === 1 ? 'ID' : 'IDs'} on ${model}, but there are ${ids.length}`,
		);
	}
}

/**
 * Checks every rule of the model before anything is sent, then puts in what Kling takes (the
 * path of the model, images as a URL or raw Base64).
 */
export async function checkGenerationRequest(
	ctx: KlingItemContext,
	product: ProductId,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const {
		label: productLabel,
		prompt: promptPlace,
		promptRequired,
		choices = [],
	} = PRODUCTS[product];
	const input = readInput(ctx, product);
	const model = checkModel(ctx, product, input.model);
	const limits = limitsOf(product, model)!;
	const on = model;
	checkChoice(ctx, 'Resolution', input.resolution, limits.resolutions, on);
	const duration =
		limits.durations === undefined
			? undefined
			: checkDuration(ctx, 'Duration (Seconds)', input.duration, model, limits);
	const body = bodyOf(product, model, input);
	if (limits.aspectRatios && 'aspect_ratio' in (body.settings as IDataObject)) {
		checkChoice(
			ctx,
			'Aspect Ratio',
			input.aspectRatio,
			limits.aspectRatios,
			productLabel.toLowerCase(),
		);
	}
	for (const choice of choices) {
		const value = input.choices[choice.parameter];
		checkChoice(ctx, choice.label, value, choice.values, productLabel.toLowerCase());
	}
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
	const { maxPrompt } = limits;
	if (input.multiShot) {
		checkShots(ctx, product, input.shots, duration, model, limits);
	} else if (
		(promptPlace === 'body' || promptRequired === true) &&
		(typeof input.prompt !== 'string' || input.prompt.trim() === '')
	) {
		fail(
			ctx,
			`Prompt is required for ${productLabel.toLowerCase()}, but it is ${isGiven(input.prompt) ? shown(input.prompt) : 'empty'}`,
			`Describe the video in at most ${maxPrompt} characters, or turn Multi-Shot on (3.0 models).`,
		);
	}
	const prompt =
		promptPlace === 'contents'
			? (body.contents as IDataObject[]).find((item) => item.type === 'prompt')?.text
			: body.prompt;
	checkOptionalText(
		ctx,
		input.multiShot ? 'The prompt the shots make' : 'Prompt',
		prompt,
		maxPrompt,
	);
	await checkMediaInputs(ctx, product, input, body, model, limits);
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
	return { ...request, url: createUrlOf(product, model), body };
}

/** The models of the product that can take an input (a last frame, images, elements, voices). */
function modelsTaking(product: ProductId, input: ProductInput): string {
	const takes = (limits: ModelLimits): boolean => {
		if (input.kind === 'image') return input.needs === undefined || limits.lastFrame;
		if (input.kind === 'images') return limits.maxReferenceImages > 0;
		if (input.kind === 'videoUrl') return true;
		return (input.kind === 'elementIds' ? limits.maxElements : limits.maxVoices) > 0;
	};
	return listOf(modelsOf(product).filter((model) => takes(limitsOf(product, model)!)));
}

const IMAGE_SOURCES: ImageSource[] = ['binaryField', 'url', 'base64'];

/** One image of a list, named for messages: "Reference Image 2". */
function entryLabel(input: ProductInput, index: number): string {
	return `${input.label.replace(/s$/, '')} ${index + 1}`;
}

/** A list of images: `{ images: [{ imageSource, image }] }`, within the model's count. */
function checkImageList(
	ctx: KlingItemContext,
	product: ProductId,
	input: ProductInput,
	value: Value,
	model: string,
	limits: ModelLimits,
): void {
	const entries = (value as { images?: unknown } | null)?.images;
	const empty =
		!isGiven(value) ||
		(typeof value === 'object' && value !== null && Object.keys(value).length === 0);
	if (!empty && !Array.isArray(entries)) {
		fail(
			ctx,
			`${input.label} must be a list of images ({ images: [{ imageSource, image }] }), but it is ${shown(value)}`,
			'Add each image with Add Image, saying where it comes from.',
		);
	}
	const given = imageEntries(value);
	if (given.length === 0) return;
	if (limits.maxReferenceImages === 0) {
		fail(
			ctx,
			`${input.label} can be used on ${modelsTaking(product, input)} only, not on ${model}`,
		);
	}
	if (given.length > limits.maxReferenceImages) {
		fail(
			ctx,
			`${input.label} can have at most ${limits.maxReferenceImages} images on ${model}, but there are ${given.length}`,
		);
	}
	given.forEach((entry, index) => {
		const source = entry.imageSource ?? 'binaryField';
		if (!IMAGE_SOURCES.includes(source as ImageSource)) {
			fail(
				ctx,
				`${entryLabel(input, index)}: Image Source must be one of ${listOf(IMAGE_SOURCES)}, but it is ${shown(source)}`,
			);
		}
	});
}

/** One video by URL (Kling reads videos from URLs only), and its role where it has roles. */
function checkVideoUrl(
	ctx: KlingItemContext,
	input: ProductInput,
	media: Record<string, Value>,
	on: string,
): void {
	const value = media[input.parameter];
	const role = input.contentTypeBy;
	const urls = videoUrls(value);
	if (urls.length === 0) return;
	if (role) checkChoice(ctx, role.label, media[role.parameter], Object.keys(role.types), on);
	if (urls.length > 1) {
		fail(
			ctx,
			`${input.label} takes one video: Kling allows at most 1 reference video, but there are ${urls.length}`,
		);
	}
	checkHttpUrl(
		ctx,
		input.label,
		urls[0],
		'Give the public http(s) URL of an MP4 or MOV video: Kling takes videos by URL only.',
	);
}

/**
 * The product's inputs: an image that starts the video is required (unless optional), one that
 * needs another (a last frame) only with it and on models that take it; lists of images and IDs
 * within the model's count; a video by http(s) URL, required unless optional. Images are then
 * read (a binary field, Base64 or a URL) into what Kling takes.
 */
async function checkMediaInputs(
	ctx: KlingItemContext,
	product: ProductId,
	input: GenerationInput,
	body: IDataObject,
	model: string,
	limits: ModelLimits,
): Promise<void> {
	const { inputs, label: productLabel } = PRODUCTS[product];
	const images = inputs.filter((each) => each.kind === 'image');
	for (const image of images) {
		const given = isGiven(input.media[image.parameter]);
		if (image.needs === undefined && !given) {
			const dependent = images.find(
				(each) => each.needs === image.parameter && isGiven(input.media[each.parameter]),
			);
			if (!dependent && image.optional) continue;
			fail(
				ctx,
				dependent
					? `${image.label} is required with a ${dependent.label}: Kling does not take a ${dependent.label.toLowerCase()} alone`
					: `${image.label} is required: ${productLabel.toLowerCase()} starts from an image`,
				`Give the ${image.label.toLowerCase()} as a binary field, a URL or Base64, as Image Source says.`,
			);
		}
		if (image.needs === undefined || !given) continue;
		if (!limits.lastFrame) {
			fail(
				ctx,
				`${image.label} cannot be used on ${model}: it takes a first frame only`,
				`Leave ${image.label} empty, or choose ${modelsTaking(product, image)}.`,
			);
		}
		if (limits.lastFrameNeeds1080p && input.resolution !== '1080p') {
			fail(
				ctx,
				`${image.label} on ${model} needs Resolution "1080p", but Resolution is ${shown(input.resolution)}`,
			);
		}
	}
	for (const list of inputs.filter((each) => each.kind === 'images')) {
		checkImageList(ctx, product, list, input.media[list.parameter], model, limits);
	}
	for (const video of inputs.filter((each) => each.kind === 'videoUrl')) {
		if (!video.optional) {
			const hint = 'Kling takes videos by URL only: give a public http(s) link to the video file.';
			requireText(ctx, video.label, input.media[video.parameter], hint);
		}
		checkVideoUrl(ctx, video, input.media, model);
	}
	for (const ids of inputs.filter(
		(each) => each.kind === 'elementIds' || each.kind === 'voiceIds',
	)) {
		const max = ids.kind === 'elementIds' ? limits.maxElements : limits.maxVoices;
		const value = input.media[ids.parameter];
		checkIds(ctx, ids.label, value, max, model, modelsTaking(product, ids));
		if (ids.kind === 'voiceIds' && idList(value).length > 0 && input.audio === 'off') {
			fail(
				ctx,
				`${ids.label} need Audio "native", but Audio is "off"`,
				'Set Audio to native (and Resolution to 1080p), or remove the voices.',
			);
		}
	}
	const contents = (body.contents ?? []) as IDataObject[];
	const source = ctx.getNodeParameter('imageSource', 'binaryField') as ImageSource;
	for (const image of images) {
		const item = contents.find((content) => content.type === image.contentType);
		if (!item) continue;
		const resolved = await resolveImage(ctx, image.label, item.url, source, true);
		if (resolved) item.url = resolved.image;
	}
	for (const list of inputs.filter((each) => each.kind === 'images')) {
		const entries = imageEntries(input.media[list.parameter]);
		const items = contents.filter((content) => content.type === list.contentType);
		for (const [index, item] of items.entries()) {
			const entrySource = (entries[index]?.imageSource ?? 'binaryField') as ImageSource;
			const label = entryLabel(list, index);
			const resolved = await resolveImage(ctx, label, item.url, entrySource, true);
			if (resolved) item.url = resolved.image;
		}
	}
}

/**
 * A refusal by Kling said in plain words: an access key + secret key on the current generation
 * (401/1002, whose text does not help), or the model (404/1203).
 */
export function explainGenerationRefusal(
	ctx: KlingItemContext,
	error: unknown,
	product: ProductId,
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
			description: modelChoices(product),
		});
	}
	return error;
}

type Explain = (ctx: KlingItemContext, error: unknown, request: IHttpRequestOptions) => unknown;

/** A product's create send (the task, and the wait the user chose) whose errors go through `explain`. */
export function sendExplained(product: ProductId, explain: Explain): CreateSend {
	const send = sendCreateTask(product);
	return async function (this: KlingItemContext, request: IHttpRequestOptions) {
		try {
			return await send.call(this, request);
		} catch (error) {
			throw explain(this, error, request);
		}
	};
}

/** Creates a task of the product (and waits as the user chose); Kling's refusals read as plain errors. */
export function sendGenerationTask(product: ProductId) {
	return sendExplained(product, (ctx, error, request) =>
		explainGenerationRefusal(ctx, error, product, String(request.url).split('/').pop() ?? ''),
	);
}
