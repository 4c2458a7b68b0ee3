import { randomInt } from 'crypto';

import { isObject } from './current';
import { ImageProblem, checkImageValue } from './images';
import { MediaProblem } from './media';
import { measureMedia } from './referenceMedia';
import type { SimulatorCore } from './core';
import { KlingError, success } from './errors';
import { videoSeconds } from './omni';
import {
	DELETE_ELEMENT_PATHS,
	DELETE_VOICE_PATH,
	PRESET_ELEMENTS_PATH,
	PRESET_VOICES_PATH,
} from './paths';
import {
	ELEMENT_TAGS,
	PRESET_ELEMENTS,
	PRESET_VOICES,
	isPresetElement,
	isPresetVoice,
	legacyElement,
	legacyVoice,
} from './resources';
import type { ReferenceType, ResourceStatus, VoiceRecord } from './resources';
import { refuseTakenExternalId, startTask } from './taskStart';
import type { TaskRecord } from './tasks';
import type { IncomingApiRequest, JsonAnswer } from './types';
import {
	PAGE_NUM,
	PAGE_SIZE,
	VOICE_PAGE_SIZE,
	absent,
	callbackUrl,
	externalTaskId,
	invalid,
	pageParameter,
	parseBody,
} from './validation';
import { videoUrl } from './videos';
import { AVATAR_MODEL, LIP_SYNC_MODEL } from './talking';

/**
 * Custom elements and voices on the legacy /v1 API (Kling's docs, "Element Management" and "Voice
 * Management"): the creates here, the presets and the deletions. Get and list of the creation
 * tasks go through the legacy collections like every other /v1 task.
 */

export const ELEMENT_NAME_CHARS = 20;
export const ELEMENT_DESCRIPTION_CHARS = 100;
export const VOICE_NAME_CHARS = 20;
export const ELEMENT_VIDEO_SECONDS = Object.freeze({ min: 3, max: 8 });
export const VOICE_CLIP_SECONDS = Object.freeze({ min: 5, max: 30 });
export const VOICE_CLIP_EXTENSIONS: readonly string[] = ['.mp3', '.wav', '.mp4', '.mov'];
/** Seen live: creating a voice takes 0.05 units, an element none. */
export const VOICE_UNITS = 0.05;
export const ELEMENT_UNITS = 0;
const ELEMENT_VIDEO_BYTES = 200 * 1024 * 1024;
const VOICE_CLIP_BYTES = 100 * 1024 * 1024;
/** When Kling's presets "were made" (they carry no real creation time). */
const PRESET_TIME = Date.UTC(2026, 0, 1);

/** The routes of this module that are not a legacy collection; undefined for other paths. */
export async function handleResourceRoute(
	core: SimulatorCore,
	account: string,
	request: IncomingApiRequest,
): Promise<JsonAnswer | undefined> {
	const { method, path } = request;
	if (method === 'GET' && path === PRESET_ELEMENTS_PATH) {
		const elements = page(PRESET_ELEMENTS, request.query, PAGE_SIZE);
		return success(
			elements.map((element) => ({
				...presetTask(),
				task_result: { elements: [legacyElement(element, core.baseUrl())] },
			})),
		);
	}
	if (method === 'GET' && path === PRESET_VOICES_PATH) {
		const voices = page(PRESET_VOICES, request.query, VOICE_PAGE_SIZE);
		return success(
			// Preset voices have no task_info (Kling's docs, "Voice Management").
			voices.map((voice) => ({
				task_id: '',
				task_status: 'succeed',
				task_status_msg: '',
				task_result: { voices: [legacyVoice(voice, core.baseUrl())] },
				created_at: PRESET_TIME,
				updated_at: PRESET_TIME,
			})),
		);
	}
	if (method === 'POST' && DELETE_ELEMENT_PATHS.includes(path)) {
		return deleteCustom('element', request.body, isPresetElement, (id) =>
			core.resources.customElement(account, id),
		);
	}
	if (method === 'POST' && path === DELETE_VOICE_PATH) {
		return deleteCustom('voice', request.body, isPresetVoice, (id) =>
			core.resources.customVoice(account, id),
		);
	}
	return undefined;
}

function presetTask() {
	return {
		task_id: '',
		task_status: 'succeed',
		task_status_msg: '',
		task_info: { external_task_id: '' },
		created_at: PRESET_TIME,
		updated_at: PRESET_TIME,
	};
}

function page<T>(items: readonly T[], query: URLSearchParams, size: typeof PAGE_SIZE): T[] {
	const pageNum = pageParameter(query, PAGE_NUM);
	const pageSize = pageParameter(query, size);
	return items.slice((pageNum - 1) * pageSize, pageNum * pageSize);
}

function text(fields: Record<string, unknown>, name: string, max: number): string {
	const value = fields[name];
	if (typeof value !== 'string' || value.trim() === '') {
		throw invalid(`${name} is required: a string of at most ${max} characters`);
	}
	const characters = [...value].length;
	if (characters > max) {
		throw invalid(`${name} must be at most ${max} characters (got ${characters})`);
	}
	return value;
}

/** POST /v1/general/advanced-custom-elements: an async task that makes one element. */
export async function createElement(
	core: SimulatorCore,
	account: string,
	body: string,
): Promise<TaskRecord> {
	const fields = parseBody(body);
	const name = text(fields, 'element_name', ELEMENT_NAME_CHARS);
	const description = text(fields, 'element_description', ELEMENT_DESCRIPTION_CHARS);
	const referenceType = fields.reference_type;
	if (referenceType !== 'image_refer' && referenceType !== 'video_refer') {
		throw invalid(
			`reference_type must be "image_refer" (a multi-image element) or "video_refer" (a video-character element) (got ${JSON.stringify(referenceType)})`,
		);
	}
	const images = referenceType === 'image_refer' ? imageList(fields.element_image_list) : undefined;
	const video = referenceType === 'video_refer' ? videoList(fields.element_video_list) : undefined;
	let voice: VoiceRecord | undefined;
	if (!absent(fields.element_voice_id) && fields.element_voice_id !== '') {
		const id = String(fields.element_voice_id);
		voice = core.resources.usableVoice(account, id);
		if (!voice) {
			throw invalid(
				`element_voice_id '${id}' does not exist in this account (neither a custom voice nor a preset)`,
			);
		}
	}
	const tags = tagList(fields.tag_list);
	const callback = callbackUrl(fields.callback_url);
	const externalId = externalTaskId(fields.external_task_id);
	refuseTakenExternalId(core, account, externalId);
	if (images) {
		await checkElementImage('element_image_list.frontal_image', images.frontal);
		for (const [index, url] of images.refer.entries()) {
			await checkElementImage(`element_image_list.refer_images[${index}].image_url`, url);
		}
	}
	if (video !== undefined) {
		const where = 'element_video_list.refer_videos[0].video_url';
		const seconds = await videoSeconds(
			where,
			video,
			core.lookups(account).media,
			ELEMENT_VIDEO_BYTES,
		);
		const { min, max } = ELEMENT_VIDEO_SECONDS;
		if (seconds < min || seconds > max) {
			throw invalid(`${where} must be a ${min} to ${max} s video (got ${seconds} s)`);
		}
	}
	const element = core.resources.addElement({
		account,
		name,
		description,
		referenceType: referenceType as ReferenceType,
		frontalImage: images?.frontal,
		referImages: images?.refer ?? [],
		videos: video === undefined ? [] : [video],
		voice,
		tags,
	});
	return startTask(core, ELEMENT_UNITS, {
		kind: 'element',
		account,
		resource: { type: 'element', element },
		// The name and description play the prompt's part for the simulate-… words.
		prompt: `${name} ${description}`,
		watermark: false,
		callbackUrl: callback,
		externalTaskId: externalId,
	});
}

function imageList(value: unknown): { frontal: string; refer: string[] } {
	const shape = '{"frontal_image": …, "refer_images": [{"image_url": …}]}';
	if (!isObject(value)) {
		throw invalid(`element_image_list is required with reference_type "image_refer": ${shape}`);
	}
	const frontal = value.frontal_image;
	if (typeof frontal !== 'string' || frontal === '') {
		throw invalid(
			'element_image_list.frontal_image is required: an http(s) URL or raw Base64 of a JPG/PNG image',
		);
	}
	const refer = value.refer_images;
	if (!Array.isArray(refer) || refer.length < 1 || refer.length > 3) {
		throw invalid(
			`element_image_list.refer_images must be a list of 1 to 3 {"image_url": …} (got ${Array.isArray(refer) ? refer.length : JSON.stringify(refer)})`,
		);
	}
	return {
		frontal,
		refer: refer.map((item: unknown, index) => {
			const url = isObject(item) ? item.image_url : undefined;
			if (typeof url !== 'string' || url === '') {
				throw invalid(`element_image_list.refer_images[${index}].image_url is required`);
			}
			return url;
		}),
	};
}

function videoList(value: unknown): string {
	const videos = isObject(value) ? value.refer_videos : undefined;
	if (!Array.isArray(videos) || videos.length !== 1) {
		throw invalid(
			'element_video_list.refer_videos is required with reference_type "video_refer": exactly one {"video_url": …}',
		);
	}
	const url = isObject(videos[0]) ? videos[0].video_url : undefined;
	if (typeof url !== 'string' || url === '') {
		throw invalid('element_video_list.refer_videos[0].video_url must not be empty');
	}
	if (!/^https?:\/\//i.test(url)) {
		throw invalid('element_video_list.refer_videos[0].video_url must be an http(s) URL');
	}
	return url;
}

function tagList(value: unknown): string[] {
	if (absent(value)) return [];
	if (!Array.isArray(value)) throw invalid('tag_list must be a list of {"tag_id": …}');
	return value.map((item: unknown, index) => {
		const id = isObject(item) ? item.tag_id : undefined;
		if (typeof id !== 'string' || !(id in ELEMENT_TAGS)) {
			throw invalid(
				`tag_list[${index}].tag_id must be one of ${Object.keys(ELEMENT_TAGS).join(', ')} (got ${JSON.stringify(id)})`,
			);
		}
		return id;
	});
}

async function checkElementImage(name: string, value: string): Promise<void> {
	try {
		// Element images: at most 10 MB (the legacy limit), ratio 1:2.5 to 2.5:1.
		await checkImageValue(value, { aspectRatio: true });
	} catch (error) {
		if (error instanceof ImageProblem) throw invalid(`${name} ${error.message}`);
		throw error;
	}
}

/** POST /v1/general/custom-voices: an async task that makes one voice. */
export async function createVoice(
	core: SimulatorCore,
	account: string,
	body: string,
): Promise<TaskRecord> {
	const fields = parseBody(body);
	const name = text(fields, 'voice_name', VOICE_NAME_CHARS);
	// Kling's own sample sends "video_id": "" beside a voice_url: empty means not given.
	const url = absent(fields.voice_url) || fields.voice_url === '' ? undefined : fields.voice_url;
	const videoId = absent(fields.video_id) || fields.video_id === '' ? undefined : fields.video_id;
	if (url === undefined && videoId === undefined) {
		throw invalid(
			'voice_url or video_id is required: a 5-30 s clip of one voice, or a video that has one',
		);
	}
	if (url !== undefined && videoId !== undefined) {
		throw invalid('give voice_url or video_id, not both');
	}
	const callback = callbackUrl(fields.callback_url);
	const externalId = externalTaskId(fields.external_task_id);
	refuseTakenExternalId(core, account, externalId);
	let clip: string;
	if (url !== undefined) {
		clip = await checkVoiceClip(core, account, url);
	} else {
		const id = String(videoId);
		const video = core.videos.get(id);
		if (!video) throw invalid(`video_id '${id}' does not exist`);
		const qualifies =
			(video.model === 'kling-2.6' && video.sound) ||
			video.model === AVATAR_MODEL ||
			video.model === LIP_SYNC_MODEL;
		if (!qualifies) {
			throw invalid(
				`video_id '${id}' cannot make a voice: only videos made by kling-2.6 with sound on, or by the Avatar or Lip-Sync API, can`,
			);
		}
		clip = videoUrl(core.baseUrl(), id);
	}
	const voice = core.resources.addVoice(account, name, clip);
	return startTask(core, VOICE_UNITS, {
		kind: 'voice',
		account,
		resource: { type: 'voice', voice },
		prompt: name,
		watermark: false,
		callbackUrl: callback,
		externalTaskId: externalId,
	});
}

async function checkVoiceClip(core: SimulatorCore, account: string, url: unknown): Promise<string> {
	let parsed: URL | undefined;
	try {
		parsed = typeof url === 'string' ? new URL(url) : undefined;
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		throw invalid('voice_url must be an http(s) URL of an .mp3, .wav, .mp4 or .mov file');
	}
	const extension = /\.[A-Za-z0-9]+$/.exec(parsed.pathname)?.[0].toLowerCase() ?? '';
	if (!VOICE_CLIP_EXTENSIONS.includes(extension)) {
		throw invalid(
			`voice_url must be an ${VOICE_CLIP_EXTENSIONS.join(', ')} file (got "${extension || 'no extension'}")`,
		);
	}
	let seconds: number | undefined;
	try {
		seconds = (await measureMedia(parsed.href, core.lookups(account).media, VOICE_CLIP_BYTES))
			.seconds;
	} catch (error) {
		if (error instanceof MediaProblem) throw invalid(`voice_url ${error.message}`);
		throw error;
	}
	if (seconds === undefined) {
		throw invalid('voice_url could not be read: its length is not in the file');
	}
	const { min, max } = VOICE_CLIP_SECONDS;
	if (seconds < min || seconds > max) {
		throw invalid(`voice_url must be ${min} to ${max} s of one clean voice (got ${seconds} s)`);
	}
	return parsed.href;
}

function deletion(): JsonAnswer {
	// The deletion answers at once with a task that already succeeded (seen live: code 0).
	const taskId = `${Date.now()}${String(randomInt(100000)).padStart(5, '0')}`;
	return success({ task_id: taskId, task_status: 'succeed' });
}

/**
 * Deletes one of the account's custom elements or voices: the same rules for both, worded by kind
 * (a preset cannot be deleted, nor another account's, nor one already deleted).
 */
function deleteCustom(
	kind: 'element' | 'voice',
	body: string,
	isPreset: (id: string) => boolean,
	custom: (id: string) => { status: ResourceStatus } | undefined,
): JsonAnswer {
	const field = `${kind}_id`;
	const id = parseBody(body)[field];
	if ((typeof id !== 'string' && typeof id !== 'number') || id === '') {
		throw invalid(`${field} is required: the id of a custom ${kind}`);
	}
	const key = String(id);
	if (isPreset(key)) {
		throw invalid(`${field} '${key}' is a preset ${kind}: only custom ${kind}s can be deleted`);
	}
	const resource = custom(key);
	if (!resource) throw invalid(`${field} '${key}' does not exist in this account`);
	if (resource.status === 'deleted') throw invalid(`${field} '${key}' is already deleted`);
	resource.status = 'deleted';
	return deletion();
}

/** Kling's answer to an unknown id on these pages (seen live). */
export function resourceTaskNotFound(id: string): KlingError {
	return new KlingError(1201, `Task not found by id/external id: ${id}`);
}
