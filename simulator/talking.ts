import {
	TTS_UNITS,
	downloadOwnOrLoopback,
	parseTtsRequest,
	resolveSound,
	newKlingId,
} from './audio';
import type { SoundContext } from './audio';
import type { SimulatorCore } from './core';
import { KlingError, success } from './errors';
import {
	FACE_UNITS,
	FACE_VIDEO_DAYS,
	MAX_FACE_VIDEO_BYTES,
	MAX_FACE_VIDEO_SECONDS,
	MIN_FACE_VIDEO_SECONDS,
} from './faces';
import type { Face, FaceSession } from './faces';
import { ImageProblem, checkImageValue } from './images';
import { isLoopback } from './download';
import { MediaProblem, makeWav, readVideoInfo } from './media';
import { SAMPLES_PREFIX, SAMPLE_VIDEOS, faceImageName, sampleFile } from './samples';
import type { MediaFile } from './samples';
import { createdAnswer, refuseTakenExternalId, startTask } from './taskStart';
import type { TaskRecord } from './tasks';
import type { IncomingApiRequest, JsonAnswer, TalkingTaskKind } from './types';
import { parseVideoPath } from './videos';
import type { VideoRecord } from './videos';
import {
	absent,
	callbackUrl,
	externalTaskId,
	invalid,
	parseBody,
	text,
	watermark,
} from './validation';

/**
 * Kling's talking-video products, all legacy /v1 (API key or AK/SK JWT): Text to Speech
 * (synchronous), Avatar (an image and a sound make a talking video), face identification
 * (synchronous) and Lip-Sync (a new voice on a face of a video). Kling's docs: "TTS", "Avatar",
 * "Face Recognition", "Lip Sync".
 */
export const TTS_PATH = '/v1/audio/tts';
export const IDENTIFY_FACE_PATH = '/v1/videos/identify-face';

/** Create, get one (task_id or external_task_id) and list under each. */
export const TALKING_COLLECTIONS: Readonly<Record<TalkingTaskKind, string>> = {
	avatar: '/v1/videos/avatar/image2video',
	'advanced-lip-sync': '/v1/videos/advanced-lip-sync',
};

/** Where TTS audios are served: /audios/<audio_id>.wav (no auth). */
export const AUDIOS_PREFIX = '/audios/';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Avatar takes a sound of 2 to 300 s (up to 5 min, Kling's update of 12/04/2025). */
export const AVATAR_SOUND = { minSeconds: 2, maxSeconds: 300 } as const;
/** Lip-Sync takes a sound of 2 to 60 s. */
export const LIP_SYNC_SOUND = { minSeconds: 2, maxSeconds: 60 } as const;
/** The cropped sound, and its overlap with the chosen face, last at least 2 s. */
export const MIN_LIP_SYNC_MS = 2000;
export const VOLUME_RANGE = { min: 0, max: 2, default: 1 } as const;

/**
 * Avatar units per second of sound, from Kling's pricing page ("Avatar: 0.4 units/s, 0.8
 * units/s" in its 720P and 1080P columns, taken as std and pro). Billed per whole second: a live
 * avatar cost 4.4 units at std, 0.4 × 11, for what was likely the 11.3 s TTS audio of the same run.
 */
export const AVATAR_UNITS_PER_SECOND = { std: 0.4, pro: 0.8 } as const;
/** Kling's pricing page, "Lip Sync": 0.5 units per 5 seconds (per started 5 s of the video). */
export const LIP_SYNC_UNITS_PER_5S = 0.5;

export const AVATAR_MODEL = 'kling-avatar';
export const LIP_SYNC_MODEL = 'kling-lip-sync';
/** The model of the simulator's copies of videos downloaded by identify-face. */
export const UPLOADED_MODEL = 'uploaded';

const PAGE_NUM = { name: 'pageNum', min: 1, max: 1000, default: 1 };
const PAGE_SIZE = { name: 'pageSize', min: 1, max: 500, default: 30 };

export function avatarUnits(mode: 'std' | 'pro', seconds: number): number {
	return roundUnits(AVATAR_UNITS_PER_SECOND[mode] * Math.floor(seconds));
}

export function lipSyncUnits(videoSeconds: number): number {
	return roundUnits(LIP_SYNC_UNITS_PER_5S * Math.ceil(videoSeconds / 5));
}

function roundUnits(units: number): number {
	return Math.round(units * 1000) / 1000;
}

/**
 * Answers the talking-video routes; undefined for any other path. Runs after authentication;
 * errors are thrown as KlingErrors for the caller to turn into envelopes.
 */
export async function handleTalking(
	core: SimulatorCore,
	account: string,
	request: IncomingApiRequest,
): Promise<JsonAnswer | undefined> {
	const { method, path } = request;
	if (path === TTS_PATH) {
		if (method === 'POST') return textToSpeech(core, account, request.body);
		throw new KlingError(1202, `invalid method: ${method} ${path}`);
	}
	if (path === IDENTIFY_FACE_PATH) {
		if (method === 'POST') return identifyFace(core, account, request.body);
		throw new KlingError(1202, `invalid method: ${method} ${path}`);
	}
	for (const [kind, collection] of Object.entries(TALKING_COLLECTIONS) as Array<
		[TalkingTaskKind, string]
	>) {
		if (path === collection) {
			if (method === 'POST') {
				const task =
					kind === 'avatar'
						? await avatar(core, account, request.body)
						: await lipSync(core, account, request.body);
				return createdAnswer(task);
			}
			if (method === 'GET') {
				const pageNum = pageParameter(request.query, PAGE_NUM);
				const pageSize = pageParameter(request.query, PAGE_SIZE);
				const tasks = core.tasks.list(account, pageNum, pageSize, kind);
				return success(tasks.map((task) => core.tasks.view(task)));
			}
			throw new KlingError(1202, `invalid method: ${method} ${path}`);
		}
		if (path.startsWith(`${collection}/`)) {
			const raw = path.slice(collection.length + 1);
			if (method !== 'GET' || raw === '' || raw.includes('/')) {
				throw new KlingError(1202, `invalid method: ${method} ${path}`);
			}
			const id = decodeSegment(raw);
			const task = core.tasks.find(account, id, kind);
			// As the other legacy collections answer an unknown id (api.ts).
			if (!task) throw new KlingError(1203, `task not found: ${id}`);
			return success(core.tasks.view(task));
		}
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Text to speech

function textToSpeech(core: SimulatorCore, account: string, body: string): JsonAnswer {
	const input = parseTtsRequest(parseBody(body));
	// Synchronous, so no concurrency slot; the units come from the video pack (seen live).
	core.packs.take(account, TTS_UNITS);
	const audio = core.audios.add(account, input.seconds);
	return success({
		task_id: newKlingId(),
		task_status: core.options.succeedStatus,
		task_status_msg: '',
		task_result: {
			audios: [
				{
					id: audio.id,
					url: audioUrl(core.baseUrl(), audio.id),
					// A string of seconds, as Kling's TTS page shows it.
					duration: String(audio.seconds),
				},
			],
		},
		final_unit_deduction: String(TTS_UNITS),
		created_at: audio.createdAt,
		updated_at: audio.createdAt,
	});
}

export function audioUrl(base: string, id: string): string {
	return `${base}${AUDIOS_PREFIX}${encodeURIComponent(id)}.wav`;
}

// ---------------------------------------------------------------------------------------------
// Avatar

async function avatar(core: SimulatorCore, account: string, body: string): Promise<TaskRecord> {
	const fields = parseBody(body);
	const image = fields.image;
	if (typeof image !== 'string' || image === '') {
		throw invalid('image is required: an http(s) URL or raw Base64 of a JPG or PNG');
	}
	const prompt = text(fields, 'prompt');
	const mode = absent(fields.mode) ? 'std' : fields.mode;
	if (mode !== 'std' && mode !== 'pro') {
		throw invalid(`mode must be one of "std", "pro" (got ${JSON.stringify(fields.mode)})`);
	}
	const task = {
		watermark: watermark(fields.watermark_info),
		callbackUrl: callbackUrl(fields.callback_url),
		externalTaskId: externalTaskId(fields.external_task_id),
	};
	try {
		await checkImageValue(image, { aspectRatio: true });
	} catch (error) {
		if (error instanceof ImageProblem) throw invalid(`image ${error.message}`);
		throw error;
	}
	const sound = await resolveSound(fields, '', soundContext(core, account), AVATAR_SOUND);
	refuseTakenExternalId(core, account, task.externalTaskId);
	return startTask(core, avatarUnits(mode, sound.seconds), {
		kind: 'avatar',
		account,
		// The talking video lasts as long as its sound.
		output: { duration: sound.seconds, model: AVATAR_MODEL },
		prompt,
		...task,
	});
}

// ---------------------------------------------------------------------------------------------
// Face identification

async function identifyFace(core: SimulatorCore, account: string, body: string) {
	const fields = parseBody(body);
	const videoId = optionalString(fields.video_id, 'video_id');
	const videoUrl = optionalString(fields.video_url, 'video_url');
	if (videoId !== undefined && videoUrl !== undefined) {
		throw invalid('video_id and video_url are mutually exclusive: give exactly one');
	}
	if (videoId === undefined && videoUrl === undefined) {
		throw invalid('video_id or video_url is required (exactly one)');
	}
	const video =
		videoId !== undefined ? videoById(core, videoId) : await videoByUrl(core, videoUrl as string);
	core.packs.take(account, FACE_UNITS);
	const session = core.faceSessions.open(account, video);
	const base = core.baseUrl();
	return success({
		session_id: session.id,
		final_unit_deduction: String(FACE_UNITS),
		face_data: session.faces.map((face, index) => ({
			face_id: face.id,
			face_image: `${base}${SAMPLES_PREFIX}${faceImageName(index)}`,
			start_time: face.startMs,
			end_time: face.endMs,
		})),
	});
}

/** Kling: "only supports videos generated within the last 30 days with a duration of no more than 60 seconds". */
function videoById(core: SimulatorCore, id: string): VideoRecord {
	const video = core.videos.get(id);
	if (!video) throw new KlingError(1203, `resource not found: video_id '${id}' does not exist`);
	if (Date.now() - video.createdAt > FACE_VIDEO_DAYS * DAY_MS) {
		throw invalid(
			`video_id '${id}' was made more than ${FACE_VIDEO_DAYS} days ago: identify-face takes videos ` +
				`of the last ${FACE_VIDEO_DAYS} days`,
		);
	}
	if (video.duration > MAX_FACE_VIDEO_SECONDS) {
		throw invalid(
			`video_id '${id}' is ${video.duration} s long: identify-face takes videos of at most ` +
				`${MAX_FACE_VIDEO_SECONDS} s`,
		);
	}
	return video;
}

/**
 * Kling: ".mp4/.mov, file size ≤100MB, duration 2s–60s". The simulator's own videos and samples
 * are known; other files on this machine are downloaded and their `mvhd` read. A downloaded
 * video is kept as a copy (its parent_video in Lip-Sync), with one face over its whole length.
 */
async function videoByUrl(core: SimulatorCore, value: string): Promise<VideoRecord> {
	let url: URL | undefined;
	try {
		url = new URL(value);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw invalid('video_url must be an http(s) URL of an MP4 or MOV video');
	}
	if (isOwnUrl(core, url)) {
		const own = parseVideoPath(url.pathname);
		if (own) {
			const video = core.videos.get(own.id);
			if (!video) throw invalid('video_url could not be downloaded: HTTP 404');
			checkVideoLength(video.duration);
			return video;
		}
		const sample = url.pathname.startsWith(SAMPLES_PREFIX)
			? SAMPLE_VIDEOS.find(
					(v) => v.name === decodeSegment(url.pathname.slice(SAMPLES_PREFIX.length)),
				)
			: undefined;
		if (sample) {
			checkVideoLength(sample.seconds);
			const copy = core.videos.add({ duration: sample.seconds, model: UPLOADED_MODEL });
			core.faceSessions.rememberCopy(copy, sample.faces);
			return copy;
		}
	}
	let seconds: number;
	try {
		const bytes = await downloadOwnOrLoopback(value, (u) => ownFile(core, u), MAX_FACE_VIDEO_BYTES);
		seconds = Math.round(readVideoInfo(bytes).seconds * 1000) / 1000;
	} catch (error) {
		if (error instanceof MediaProblem) throw invalid(`video_url ${error.message}`);
		throw error;
	}
	checkVideoLength(seconds);
	return core.videos.add({ duration: seconds, model: UPLOADED_MODEL });
}

function checkVideoLength(seconds: number): void {
	if (seconds < MIN_FACE_VIDEO_SECONDS || seconds > MAX_FACE_VIDEO_SECONDS) {
		throw invalid(
			`video_url is ${seconds} s long: it must be ${MIN_FACE_VIDEO_SECONDS} to ` +
				`${MAX_FACE_VIDEO_SECONDS} s`,
		);
	}
}

// ---------------------------------------------------------------------------------------------
// Lip-Sync

async function lipSync(core: SimulatorCore, account: string, body: string): Promise<TaskRecord> {
	const fields = parseBody(body);
	const sessionId = fields.session_id;
	if (typeof sessionId !== 'string' || sessionId === '') {
		throw invalid('session_id is required: the session_id identify-face answered');
	}
	const session = core.faceSessions.find(account, sessionId);
	if (!session) {
		throw invalid(
			`session_id '${sessionId}' is unknown or expired (sessions last 24 hours): call ` +
				'identify-face again',
		);
	}
	const choices = fields.face_choose;
	if (!Array.isArray(choices) || choices.length !== 1) {
		const got = Array.isArray(choices) ? `${choices.length} items` : JSON.stringify(choices);
		throw invalid(
			`face_choose is required: a list of exactly one face (lip-sync takes one person; got ${got})`,
		);
	}
	const choice: unknown = choices[0];
	const at = 'face_choose[0].';
	if (typeof choice !== 'object' || choice === null || Array.isArray(choice)) {
		throw invalid('face_choose[0] must be an object {face_id, audio_id | sound_file, …}');
	}
	const item = choice as Record<string, unknown>;
	const face = chosenFace(session, item.face_id);
	const soundStart = milliseconds(item, `sound_start_time`);
	const soundEnd = milliseconds(item, `sound_end_time`);
	const insert = milliseconds(item, `sound_insert_time`);
	volume(item, 'sound_volume');
	volume(item, 'original_audio_volume');
	const task = {
		watermark: watermark(fields.watermark_info),
		callbackUrl: callbackUrl(fields.callback_url),
		externalTaskId: externalTaskId(fields.external_task_id),
	};
	const sound = await resolveSound(item, at, soundContext(core, account), LIP_SYNC_SOUND);
	const soundMs = Math.round(sound.seconds * 1000);
	if (soundEnd <= soundStart) {
		throw invalid(
			`${at}sound_end_time must be after sound_start_time (got ${soundStart} and ${soundEnd})`,
		);
	}
	if (soundEnd > soundMs) {
		throw invalid(
			`${at}sound_end_time must not be after the end of the sound (${soundMs} ms; got ${soundEnd})`,
		);
	}
	const length = soundEnd - soundStart;
	if (length < MIN_LIP_SYNC_MS) {
		throw invalid(
			`${at}sound_start_time to sound_end_time: the cropped sound must be at least ` +
				`${MIN_LIP_SYNC_MS} ms (got ${length})`,
		);
	}
	const videoMs = Math.round(session.video.duration * 1000);
	const insertEnd = insert + length;
	if (insertEnd > videoMs) {
		throw invalid(
			`${at}sound_insert_time: the inserted sound must stay inside the video: it would end at ` +
				`${insertEnd} ms, after the video's end (${videoMs} ms)`,
		);
	}
	const overlap = Math.max(0, Math.min(insertEnd, face.endMs) - Math.max(insert, face.startMs));
	if (overlap < MIN_LIP_SYNC_MS) {
		throw invalid(
			`${at}sound_insert_time: the inserted sound (${insert}–${insertEnd} ms) must overlap ` +
				`face "${face.id}" (${face.startMs}–${face.endMs} ms) for at least ${MIN_LIP_SYNC_MS} ms ` +
				`(got ${overlap})`,
		);
	}
	refuseTakenExternalId(core, account, task.externalTaskId);
	const video = session.video;
	return startTask(core, lipSyncUnits(video.duration), {
		kind: 'advanced-lip-sync',
		account,
		parent: video,
		// The lip-synced video is the whole video again, the new sound in it.
		output: { duration: video.duration, model: LIP_SYNC_MODEL },
		prompt: '',
		...task,
	});
}

function chosenFace(session: FaceSession, value: unknown): Face {
	if (typeof value !== 'string' || value === '') {
		throw invalid('face_choose[0].face_id is required: a face_id identify-face answered');
	}
	const face = session.faces.find((f) => f.id === value);
	if (!face) {
		const known =
			session.faces.length === 0
				? 'no face was found in this video'
				: `faces: ${session.faces.map((f) => f.id).join(', ')}`;
		throw invalid(
			`face_choose[0].face_id '${value}' is not a face of session '${session.id}' (${known})`,
		);
	}
	return face;
}

function milliseconds(item: Record<string, unknown>, name: string): number {
	const value = item[name];
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
		throw invalid(
			`face_choose[0].${name} is required: milliseconds, an integer >= 0 ` +
				`(got ${JSON.stringify(value ?? null)})`,
		);
	}
	return value;
}

function volume(item: Record<string, unknown>, name: string): number {
	const value = item[name];
	if (absent(value)) return VOLUME_RANGE.default;
	if (
		typeof value !== 'number' ||
		!Number.isFinite(value) ||
		value < VOLUME_RANGE.min ||
		value > VOLUME_RANGE.max
	) {
		throw invalid(
			`face_choose[0].${name} must be a number in [${VOLUME_RANGE.min}, ${VOLUME_RANGE.max}] ` +
				`(got ${JSON.stringify(value)})`,
		);
	}
	return value;
}

// ---------------------------------------------------------------------------------------------
// Helpers of the routes above

function soundContext(core: SimulatorCore, account: string): SoundContext {
	return { account, audios: core.audios, ownFile: (url) => ownFile(core, url) };
}

function optionalString(value: unknown, name: string): string | undefined {
	// Kling's own examples send "" for the one of a pair they leave out.
	if (absent(value) || value === '') return undefined;
	if (typeof value !== 'string') throw invalid(`${name} must be a string`);
	return value;
}

function pageParameter(query: URLSearchParams, spec: typeof PAGE_NUM): number {
	const raw = query.get(spec.name);
	if (raw === null || raw === '') return spec.default;
	const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!(value >= spec.min && value <= spec.max)) {
		throw invalid(`${spec.name} must be an integer in [${spec.min}, ${spec.max}], got '${raw}'`);
	}
	return value;
}

function decodeSegment(raw: string): string {
	try {
		return decodeURIComponent(raw);
	} catch {
		return raw;
	}
}

// ---------------------------------------------------------------------------------------------
// Files: /audios/<id>.wav and /samples/<name>

/** A URL of this simulator: its public base, or loopback on its own port. */
function isOwnUrl(core: SimulatorCore, url: URL): boolean {
	const origins = [core.baseUrl(), core.serverUrl].filter((u) => u !== '');
	for (const origin of origins) {
		try {
			const own = new URL(origin);
			if (url.origin === own.origin) return true;
			if (isLoopback(url.hostname) && isLoopback(own.hostname) && url.port === own.port) {
				return true;
			}
		} catch {
			// a base that is not a URL matches nothing
		}
	}
	return false;
}

/** The bytes of one of the simulator's audio or sample URLs (see SoundContext.ownFile). */
function ownFile(core: SimulatorCore, url: URL): Buffer | null | undefined {
	if (!isOwnUrl(core, url)) return undefined;
	const { pathname } = url;
	if (!pathname.startsWith(AUDIOS_PREFIX) && !pathname.startsWith(SAMPLES_PREFIX)) {
		return undefined;
	}
	return mediaFile(core, pathname)?.bytes ?? null;
}

/** What GET /audios/<id>.wav or /samples/<name> serves; undefined: 404. */
export function mediaFile(core: SimulatorCore, path: string): MediaFile | undefined {
	if (path.startsWith(SAMPLES_PREFIX)) {
		return sampleFile(decodeSegment(path.slice(SAMPLES_PREFIX.length)));
	}
	const audio = /^\/audios\/([^/]+)\.wav$/.exec(path);
	const record = audio ? core.audios.get(decodeSegment(audio[1])) : undefined;
	if (!record) return undefined;
	return { contentType: 'audio/wav', bytes: makeWav(record.seconds) };
}

export function isMediaPath(path: string): boolean {
	return path.startsWith(AUDIOS_PREFIX) || path.startsWith(SAMPLES_PREFIX);
}
