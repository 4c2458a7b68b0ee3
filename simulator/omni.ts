import {
	CURRENT_ASPECT_RATIOS,
	checkFrame,
	checkShots,
	contentItem,
	isObject,
	oneOf,
	parseOptions,
	promptText,
	refuseTopLevel,
	requireElement,
	requireIds,
} from './current';
import { MediaProblem } from './media';
import { measureMedia } from './referenceMedia';
import type { OwnMedia } from './referenceMedia';
import { OMNI_LIMITS, OMNI_MODEL_RULES } from './models';
import type { Audio, OmniModel, Resolution } from './models';
import type { CreateLookups } from './resources';
import { absent, invalid, parseBody } from './validation';

/**
 * Omni video (Kling's docs, "Omni Video Generation" of Kling 3.0 Omni and O1):
 * `POST /omni-video/{model}` with `contents[]` of prompt, first_frame, last_frame, refer_image,
 * feature_video, base_video and element items, plus `settings{}` and `options{}`. Every rule of
 * the page is checked here; the first broken one answers 1201 naming it.
 */

export interface OmniInput {
	model: OmniModel;
	prompt: string;
	resolution: Resolution;
	duration: number;
	audio: Audio;
	/** A feature_video or base_video was given (priced as "with video input"). */
	videoInput: boolean;
	watermark: boolean;
	callbackUrl: string | undefined;
	externalTaskId: string;
}

const TYPES = [
	'prompt',
	'first_frame',
	'last_frame',
	'refer_image',
	'feature_video',
	'base_video',
	'element',
];

interface OmniContents {
	prompt: string | undefined;
	firstFrame: string | undefined;
	lastFrame: string | undefined;
	referImages: Array<{ at: string; url: string }>;
	videos: Array<{ at: string; type: 'feature_video' | 'base_video'; url: string }>;
	multiImageElements: number;
	videoCharacterElements: number;
}

export async function parseOmniRequest(
	model: OmniModel,
	raw: string,
	lookups: CreateLookups,
): Promise<OmniInput> {
	const fields = parseBody(raw);
	const rules = OMNI_MODEL_RULES[model];
	const where = `${model} omni-video`;
	refuseTopLevel(fields, ['contents', 'settings', 'options'], where);
	const settings = parseOmniSettings(fields.settings, model);
	const items = parseOmniContents(fields.contents, model, lookups);
	const { firstFrame, lastFrame, referImages, videos } = items;
	const elements = items.multiImageElements + items.videoCharacterElements;
	const images = referImages.length;
	const hasVideo = videos.length > 0;
	const base = videos.find((v) => v.type === 'base_video');
	const feature = videos.find((v) => v.type === 'feature_video');

	if (items.prompt === undefined || items.prompt.trim() === '') {
		throw invalid('contents needs a prompt item with text: {"type": "prompt", "text": …}');
	}
	if (videos.length > OMNI_LIMITS.referenceVideos) {
		throw invalid(
			`at most one reference video (feature_video or base_video) (got ${videos.length})`,
		);
	}
	if (lastFrame !== undefined && firstFrame === undefined) {
		throw invalid('a last_frame alone is not supported: add a first_frame item');
	}
	checkCounts(items, hasVideo);
	if (firstFrame !== undefined && elements > OMNI_LIMITS.elementsWithFrames) {
		throw invalid(
			`with a first_frame, at most ${OMNI_LIMITS.elementsWithFrames} element items (got ${elements})`,
		);
	}
	if (rules.firstLastFrameAlone && firstFrame !== undefined && lastFrame !== undefined) {
		if (elements > 0 || images > 0) {
			throw invalid(
				`${model} with a first_frame and a last_frame takes no element and no refer_image items`,
			);
		}
	}
	const onlyFirstFrame =
		firstFrame !== undefined && lastFrame === undefined && !hasVideo && elements + images === 0;
	const short = rules.firstFrameOnlyDurations;
	if (short && onlyFirstFrame && !short.includes(settings.duration)) {
		throw invalid(
			`${model} with only a first_frame makes ${short.join(' or ')} s videos: settings.duration ` +
				`must be ${short.join(' or ')} (got ${settings.duration})`,
		);
	}
	if (base) {
		if (firstFrame !== undefined || lastFrame !== undefined) {
			throw invalid('base_video (editing) cannot be combined with a first_frame or last_frame');
		}
		if (settings.multiShot) {
			throw invalid(
				'base_video (editing) does not support multi-shot: set settings.multi_shot to false',
			);
		}
		if (settings.audio === 'native') {
			throw invalid(
				'base_video (editing) does not support settings.audio "native" (use "original" or "off")',
			);
		}
	}
	if (feature) {
		if (model === 'kling-3.0-omni' && settings.audio !== 'off') {
			throw invalid(
				`feature_video on ${model} needs settings.audio "off" (got "${settings.audio}")`,
			);
		}
		if (model === 'kling-o1' && lastFrame !== undefined) {
			throw invalid(`feature_video on ${model} takes a first_frame only, no last_frame`);
		}
	}
	if (firstFrame === undefined && !hasVideo && !settings.aspectRatioGiven) {
		throw invalid(
			`settings.aspect_ratio is required when there is neither a first_frame nor a reference ` +
				`video (${CURRENT_ASPECT_RATIOS.join(', ')})`,
		);
	}
	const characters = [...items.prompt].length;
	if (characters > rules.maxPrompt) {
		throw invalid(
			`prompt must be at most ${rules.maxPrompt} characters for ${where} (got ${characters})`,
		);
	}
	if (rules.multiShot) checkShots(items.prompt, settings.duration, settings.multiShot);
	const options = parseOptions(fields.options);
	await checkFrame('first_frame', firstFrame);
	await checkFrame('last_frame', lastFrame);
	for (const image of referImages) await checkFrame(`${image.at} (refer_image)`, image.url);
	for (const video of videos) {
		const seconds = await videoSeconds(
			`${video.at} (${video.type})`,
			video.url,
			lookups.media,
			OMNI_LIMITS.referenceVideoBytes,
		);
		const { min, max } = rules.referenceVideoSeconds;
		if (seconds < min || seconds > max) {
			throw invalid(
				`${video.type} must be ${min} to ${max} s long on ${model} (got ${round(seconds)} s)`,
			);
		}
	}
	return {
		model,
		prompt: items.prompt,
		resolution: settings.resolution,
		duration: settings.duration,
		audio: settings.audio,
		videoInput: hasVideo,
		...options,
	};
}

/** The page's count limits, which depend on the element kinds and on a reference video. */
function checkCounts(items: OmniContents, hasVideo: boolean): void {
	const images = items.referImages.length;
	const multi = items.multiImageElements;
	const characters = items.videoCharacterElements;
	const together = images + multi;
	const narrow = OMNI_LIMITS.imagesAndMultiImageElementsNarrow;
	if (hasVideo) {
		if (characters > 0 && multi > 0) {
			throw invalid(
				'with a reference video, video-character elements and multi-image elements cannot be combined',
			);
		}
		if (characters > 0 && images > 0) {
			throw invalid(
				'with a reference video, video-character elements and refer_image items cannot be combined',
			);
		}
		if (characters > OMNI_LIMITS.videoCharacterElementsWithVideo) {
			throw invalid(
				`with a reference video, at most ${OMNI_LIMITS.videoCharacterElementsWithVideo} video-character element (got ${characters})`,
			);
		}
		if (together > narrow) {
			throw invalid(
				`with a reference video, refer_image items and multi-image elements together may be at most ${narrow} (got ${together})`,
			);
		}
		return;
	}
	if (characters > OMNI_LIMITS.videoCharacterElements) {
		throw invalid(
			`at most ${OMNI_LIMITS.videoCharacterElements} video-character elements (got ${characters})`,
		);
	}
	if (characters > 0 && together > narrow) {
		throw invalid(
			`with video-character elements, refer_image items and multi-image elements together may be at most ${narrow} (got ${together})`,
		);
	}
	if (together > OMNI_LIMITS.imagesAndMultiImageElements) {
		throw invalid(
			`refer_image items and multi-image elements together may be at most ${OMNI_LIMITS.imagesAndMultiImageElements} (got ${together})`,
		);
	}
}

interface OmniSettings {
	resolution: Resolution;
	duration: number;
	audio: Audio;
	multiShot: boolean;
	aspectRatioGiven: boolean;
}

function parseOmniSettings(value: unknown, model: OmniModel): OmniSettings {
	const rules = OMNI_MODEL_RULES[model];
	const settings = absent(value) ? {} : value;
	if (!isObject(settings)) throw invalid('settings must be an object {resolution, duration, …}');
	const known = ['resolution', 'duration', 'aspect_ratio', 'audio'];
	if (rules.multiShot) known.push('multi_shot');
	for (const name of Object.keys(settings)) {
		if (known.includes(name) || absent(settings[name])) continue;
		throw invalid(
			`settings.${name} is not supported by ${model} omni-video (settings: ${known.join(', ')})`,
		);
	}
	const resolution = oneOf(settings.resolution, 'resolution', rules.resolutions, '720p', model);
	const duration = absent(settings.duration) ? 5 : settings.duration;
	if (typeof duration !== 'number' || !rules.durations.includes(duration)) {
		const { durations } = rules;
		throw invalid(
			`settings.duration must be an integer from ${durations[0]} to ${durations[durations.length - 1]} ` +
				`(seconds, a number) for ${model} (got ${JSON.stringify(duration)})`,
		);
	}
	oneOf(settings.aspect_ratio, 'aspect_ratio', CURRENT_ASPECT_RATIOS, '16:9', model);
	const audio = oneOf(settings.audio, 'audio', rules.audio, 'off', model);
	const multiShot = rules.multiShot
		? absent(settings.multi_shot)
			? true
			: settings.multi_shot
		: false;
	if (typeof multiShot !== 'boolean') throw invalid('settings.multi_shot must be a boolean');
	return {
		resolution,
		duration,
		audio,
		multiShot,
		aspectRatioGiven: !absent(settings.aspect_ratio),
	};
}

function parseOmniContents(value: unknown, model: OmniModel, lookups: CreateLookups): OmniContents {
	if (!Array.isArray(value) || value.length === 0) {
		throw invalid(`contents is required for omni-video: a list of {type, …} items with a prompt`);
	}
	const found: OmniContents = {
		prompt: undefined,
		firstFrame: undefined,
		lastFrame: undefined,
		referImages: [],
		videos: [],
		multiImageElements: 0,
		videoCharacterElements: 0,
	};
	const ids = new Set<string>();
	value.forEach((raw: unknown, index) => {
		const at = `contents[${index}]`;
		const item = contentItem(raw, at, TYPES, `${model} omni-video`);
		const { type } = item;
		if (!absent(item.id) && type !== 'prompt') {
			const id = String(item.id);
			if (ids.has(id)) {
				throw invalid(`${at}.id "${id}" is used twice: ids must be unique within a task`);
			}
			ids.add(id);
		}
		if (type === 'prompt') {
			found.prompt = promptText(item, at, found.prompt);
			return;
		}
		if (type === 'element') {
			requireIds(item, at, 'element_id');
			const element = requireElement(item, at, lookups);
			if (element.referenceType === 'video_refer') {
				if (OMNI_MODEL_RULES[model].multiImageElementsOnly) {
					throw invalid(
						`${model} takes multi-image elements only: ${at}.element_id '${element.id}' is a video-character element`,
					);
				}
				found.videoCharacterElements += 1;
			} else {
				found.multiImageElements += 1;
			}
			return;
		}
		const url = item.url;
		if (typeof url !== 'string' || url === '') {
			throw invalid(
				type.endsWith('_video')
					? `${at}.url is required: an http(s) URL of an MP4 or MOV video`
					: `${at}.url is required: an http(s) URL or raw Base64 of a JPG/PNG image`,
			);
		}
		if (type === 'first_frame' || type === 'last_frame') {
			const key = type === 'first_frame' ? 'firstFrame' : 'lastFrame';
			if (found[key] !== undefined) throw invalid(`contents may have at most one ${type} item`);
			found[key] = url;
		} else if (type === 'refer_image') {
			found.referImages.push({ at, url });
		} else {
			if (!/^https?:\/\//i.test(url)) {
				throw invalid(`${at}.url must be an http(s) URL: videos are given by URL only`);
			}
			found.videos.push({ at, type: type as 'feature_video' | 'base_video', url });
		}
	});
	return found;
}

function round(seconds: number): number {
	return Math.round(seconds * 1000) / 1000;
}

/** The video's length, or a 1201 naming the item when it cannot be downloaded or read. */
export async function videoSeconds(
	name: string,
	url: string,
	media: OwnMedia,
	maxBytes: number,
): Promise<number> {
	try {
		const info = await measureMedia(url, media, maxBytes);
		if (info.seconds === undefined || info.format !== 'mp4') {
			throw new MediaProblem(
				'could not be read: an MP4 or MOV video is needed (no mvhd box with its length)',
			);
		}
		return info.seconds;
	} catch (error) {
		if (error instanceof MediaProblem) throw invalid(`${name} url ${error.message}`);
		throw error;
	}
}
