import {
	contentItem,
	isObject,
	oneOf,
	parseOptions,
	promptText,
	refuseTopLevel,
	requireElement,
	requireIds,
} from './current';
import { ImageProblem, MAX_CURRENT_IMAGE_BYTES, checkImageValue } from './images';
import { MOTION_MODEL_RULES, MOTION_VIDEO_BYTES, MOTION_VIDEO_SECONDS } from './models';
import type { Audio, MotionModel, Resolution } from './models';
import { videoSeconds } from './omni';
import type { CreateLookups } from './resources';
import { absent, invalid, parseBody } from './validation';

/**
 * Motion control (Kling's docs, "Motion Control" of Kling 3.0 and 2.6):
 * `POST /motion-control/{model}` with `contents[]` of an `image` (the character), a `video` (the
 * motion), an optional `prompt` and, on kling-3.0, at most one `element`.
 *
 * There is no duration: the output follows the motion video. A `settings.duration` is refused
 * like any field the page does not have, so a client learns at once that it means nothing here.
 * A motion video too long for the orientation is refused at create (1201) rather than as a failed
 * task: the simulator measures the video before it answers, and a refusal costs the client nothing.
 */

export type Orientation = 'image' | 'video';
export const ORIENTATIONS: readonly Orientation[] = ['image', 'video'];

export interface MotionInput {
	model: MotionModel;
	prompt: string;
	resolution: Resolution;
	audio: Audio;
	orientation: Orientation;
	/** The output's length: the motion video's. */
	seconds: number;
	watermark: boolean;
	callbackUrl: string | undefined;
	externalTaskId: string;
}

export async function parseMotionRequest(
	model: MotionModel,
	raw: string,
	lookups: CreateLookups,
): Promise<MotionInput> {
	const fields = parseBody(raw);
	const rules = MOTION_MODEL_RULES[model];
	const where = `${model} motion-control`;
	refuseTopLevel(fields, ['contents', 'settings', 'options'], where);

	const settings = absent(fields.settings) ? {} : fields.settings;
	if (!isObject(settings)) {
		throw invalid('settings must be an object {character_orientation, audio, resolution}');
	}
	const known = ['character_orientation', 'audio', 'resolution'];
	for (const name of Object.keys(settings)) {
		if (known.includes(name) || absent(settings[name])) continue;
		const hint = name === 'duration' ? ': the output follows the motion video' : '';
		throw invalid(
			`settings.${name} is not supported by ${where}${hint} (settings: ${known.join(', ')})`,
		);
	}
	if (absent(settings.character_orientation)) {
		throw invalid(
			'settings.character_orientation is required: "image" (up to 10 s of motion) or "video" (up to 30 s)',
		);
	}
	const orientation = oneOf(
		settings.character_orientation,
		'character_orientation',
		ORIENTATIONS,
		'image',
		model,
	);
	const audio = oneOf(settings.audio, 'audio', rules.audio, 'original', model);
	const resolution = oneOf(settings.resolution, 'resolution', rules.resolutions, '720p', model);

	const types = ['prompt', 'image', 'video'];
	if (rules.maxElements > 0) types.push('element');
	const contents = fields.contents;
	if (!Array.isArray(contents) || contents.length === 0) {
		throw invalid(
			'contents is required for motion-control: a list with an image item (the character) and a video item (the motion)',
		);
	}
	let prompt: string | undefined;
	let image: { at: string; url: string } | undefined;
	let video: { at: string; url: string } | undefined;
	let elements = 0;
	contents.forEach((raw: unknown, index) => {
		const at = `contents[${index}]`;
		const item = contentItem(raw, at, types, where);
		const { type } = item;
		if (type === 'prompt') {
			prompt = promptText(item, at, prompt);
		} else if (type === 'element') {
			elements += 1;
			requireIds(item, at, 'element_id');
			if (elements > rules.maxElements) {
				throw invalid(`contents may have at most ${rules.maxElements} element item on ${model}`);
			}
			requireElement(item, at, lookups);
		} else {
			if ((type === 'image' ? image : video) !== undefined) {
				throw invalid(`contents may have at most one ${type} item`);
			}
			const url = item.url;
			if (typeof url !== 'string' || url === '') {
				throw invalid(
					type === 'image'
						? `${at}.url is required: an http(s) URL or raw Base64 of a JPG/PNG image (the character)`
						: `${at}.url is required: an http(s) URL of an MP4 or MOV video (the motion)`,
				);
			}
			if (type === 'image') {
				image = { at, url };
			} else {
				if (!/^https?:\/\//i.test(url)) {
					throw invalid(`${at}.url must be an http(s) URL: videos are given by URL only`);
				}
				video = { at, url };
			}
		}
	});
	if (!image) {
		throw invalid('contents needs an image item (the character): {"type": "image", "url": …}');
	}
	if (!video) {
		throw invalid('contents needs a video item (the motion): {"type": "video", "url": …}');
	}
	const text = prompt ?? '';
	const characters = [...text].length;
	if (characters > rules.maxPrompt) {
		throw invalid(
			`prompt must be at most ${rules.maxPrompt} characters for ${where} (got ${characters})`,
		);
	}
	const options = parseOptions(fields.options);
	try {
		await checkImageValue(image.url, { aspectRatio: true, maxBytes: MAX_CURRENT_IMAGE_BYTES });
	} catch (error) {
		if (error instanceof ImageProblem) throw invalid(`${image.at} (image) url ${error.message}`);
		throw error;
	}
	const seconds = await videoSeconds(
		`${video.at} (motion video)`,
		video.url,
		lookups.media,
		MOTION_VIDEO_BYTES,
	);
	const shown = Math.round(seconds * 1000) / 1000;
	if (seconds < MOTION_VIDEO_SECONDS.min) {
		throw invalid(
			`the motion video must be at least ${MOTION_VIDEO_SECONDS.min} s long (got ${shown} s)`,
		);
	}
	const max = MOTION_VIDEO_SECONDS[orientation];
	if (seconds > max) {
		const other =
			orientation === 'image' ? ` (with "video", up to ${MOTION_VIDEO_SECONDS.video} s)` : '';
		throw invalid(
			`the motion video is ${shown} s; with settings.character_orientation "${orientation}" it may be at most ${max} s${other}`,
		);
	}
	return {
		model,
		prompt: text,
		resolution,
		audio,
		orientation,
		seconds,
		...options,
	};
}
