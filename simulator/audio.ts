import { randomInt } from 'crypto';

import { KlingError } from './errors';
import { isBase64 } from './images';
import { download, isLoopback, megabytes } from './download';
import { MediaProblem, readAudioInfo } from './media';
import { absent, invalid } from './validation';

/**
 * Text to speech and the sounds Avatar and Lip-Sync take (Kling's docs, "TTS", "Avatar", "Lip
 * Sync"): the TTS voice catalogue, the audios TTS made (audio_id), and reading the length of a
 * sound_file.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Kling keeps a TTS audio (and its audio_id) 30 days ("will be cleared after 30 days"). */
export const AUDIO_DAYS = 30;
export const MAX_TTS_CHARS = 1000;
export const TTS_SPEED = { min: 0.8, max: 2.0, default: 1.0 } as const;
export const TTS_LANGUAGES: readonly string[] = ['zh', 'en'];
/** Kling's pricing page, "Avatar / TTS": 0.05 units per call, from the video pack (seen live). */
export const TTS_UNITS = 0.05;
/** How fast the simulated voice speaks at speed 1.0; a TTS audio lasts at least 2 s. */
export const TTS_CHARS_PER_SECOND = 15;
export const MIN_TTS_SECONDS = 2;
/** sound_file: at most 5 MB (Kling's docs, "Avatar" and "Lip Sync"). */
export const MAX_SOUND_BYTES = 5 * 1024 * 1024;
/** Kling's answer to a voice_id outside the TTS catalogue, a presets-voices id included (seen live). */
export const VOICE_NOT_FOUND_MESSAGE = 'Voice id not found';

export interface TtsVoice {
	readonly id: string;
	readonly name: string;
	readonly language: 'zh' | 'en';
}

/**
 * The TTS voices the simulator knows: a catalogue of its own, separate from the presets voices
 * that video generation takes (a presets-voices id sent to TTS answers "Voice id not found", seen
 * live). `oversea_male1` is the id on Kling's TTS page; Kling's full list is its "Voice Guide",
 * which the simulator does not copy.
 */
export const TTS_VOICES: readonly TtsVoice[] = Object.freeze([
	{ id: 'oversea_male1', name: 'Oversea Male 1', language: 'en' },
	{ id: 'oversea_female1', name: 'Oversea Female 1', language: 'en' },
	{ id: 'uk_boy1', name: 'UK Boy', language: 'en' },
	{ id: 'uk_man2', name: 'UK Man', language: 'en' },
	{ id: 'chinese_male1', name: 'Chinese Male 1', language: 'zh' },
	{ id: 'chinese_female1', name: 'Chinese Female 1', language: 'zh' },
	{ id: 'zhinen_xuesheng', name: 'Student', language: 'zh' },
	{ id: 'ai_shatang', name: 'Shatang', language: 'zh' },
]);

export interface SeededAudio {
	readonly id: string;
	readonly seconds: number;
	readonly madeDaysAgo: number;
	readonly description: string;
}

/** TTS audios every account has from the start (text to speech makes only 2–83 s ones). */
export const SEEDED_AUDIOS: readonly SeededAudio[] = Object.freeze([
	{ id: 'sim-audio-5s', seconds: 5, madeDaysAgo: 1, description: 'takes part in anything' },
	{
		id: 'sim-audio-75s',
		seconds: 75,
		madeDaysAgo: 1,
		description: 'Avatar takes it (2–300 s); Lip-Sync refuses it (2–60 s)',
	},
	{ id: 'sim-audio-301s', seconds: 301, madeDaysAgo: 1, description: 'too long for Avatar' },
	{ id: 'sim-audio-1s', seconds: 1.5, madeDaysAgo: 1, description: 'too short for both' },
	{ id: 'sim-audio-old', seconds: 5, madeDaysAgo: 31, description: 'over 30 days: refused' },
]);

export interface AudioRecord {
	readonly id: string;
	/** Owner's access key; undefined for the seeded ones, which every account has. */
	readonly account: string | undefined;
	readonly seconds: number;
	/** Epoch ms. */
	readonly createdAt: number;
	readonly seeded: boolean;
}

// 18-digit ids like Kling's audio ids (e.g. 930801290416885794), module-wide like task ids.
let nextAudioId = BigInt(Date.now()) * 100000n + BigInt(randomInt(50000, 90000));

export function newKlingId(): string {
	nextAudioId += 1n;
	return nextAudioId.toString();
}

/** The audios TTS made (and the seeded ones), by id. */
export class AudioLibrary {
	private readonly audios = new Map<string, AudioRecord>();

	constructor() {
		const now = Date.now();
		for (const { id, seconds, madeDaysAgo } of SEEDED_AUDIOS) {
			const createdAt = now - madeDaysAgo * DAY_MS;
			this.audios.set(id, { id, account: undefined, seconds, createdAt, seeded: true });
		}
	}

	add(account: string, seconds: number): AudioRecord {
		const record = {
			id: newKlingId(),
			account,
			seconds,
			createdAt: Date.now(),
			seeded: false,
		};
		this.audios.set(record.id, record);
		return record;
	}

	/** Any audio by id (its URL is public, as Kling's are). */
	get(id: string): AudioRecord | undefined {
		return this.audios.get(id);
	}

	/** An audio_id this account may use: its own or a seeded one. */
	find(account: string, id: string): AudioRecord | undefined {
		const record = this.audios.get(id);
		return record && (record.account === undefined || record.account === account)
			? record
			: undefined;
	}

	forgetGenerated(): void {
		for (const [id, record] of this.audios) {
			if (!record.seeded) this.audios.delete(id);
		}
	}
}

export interface TtsInput {
	text: string;
	voice: TtsVoice;
	language: string;
	speed: number;
	/** Length of the audio it makes. */
	seconds: number;
}

/** Checks a TTS body; the first problem is a 1201 naming the field, as Kling answers. */
export function parseTtsRequest(fields: Record<string, unknown>): TtsInput {
	const { text, voice_id: voiceId } = fields;
	if (typeof text !== 'string' || text.trim() === '') {
		throw invalid(`text is required: the words to speak, at most ${MAX_TTS_CHARS} characters`);
	}
	const characters = [...text].length;
	if (characters > MAX_TTS_CHARS) {
		throw invalid(`text must be at most ${MAX_TTS_CHARS} characters (got ${characters})`);
	}
	if (typeof voiceId !== 'string' || voiceId === '') {
		throw invalid('voice_id is required: a TTS voice id, e.g. oversea_male1');
	}
	const voice = TTS_VOICES.find((v) => v.id === voiceId);
	if (!voice) throw new KlingError(1201, VOICE_NOT_FOUND_MESSAGE);
	const language = absent(fields.voice_language) ? 'zh' : fields.voice_language;
	if (typeof language !== 'string' || !TTS_LANGUAGES.includes(language)) {
		throw invalid(
			`voice_language must be one of "zh", "en" (got ${JSON.stringify(fields.voice_language)})`,
		);
	}
	const speed = ttsSpeed(fields.voice_speed);
	return { text, voice, language, speed, seconds: ttsSeconds(characters, speed) };
}

/**
 * Kling: "Valid range: [0.8, 2.0], accurate to one decimal place; values outside this range will
 * be automatically rounded" — so a speed out of range is brought into it, not refused.
 */
function ttsSpeed(value: unknown): number {
	if (absent(value)) return TTS_SPEED.default;
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw invalid(
			`voice_speed must be a number (${TTS_SPEED.min} to ${TTS_SPEED.max}; got ${JSON.stringify(value)})`,
		);
	}
	const clamped = Math.min(TTS_SPEED.max, Math.max(TTS_SPEED.min, value));
	return Math.round(clamped * 10) / 10;
}

/** characters / (15 × speed) seconds, at least 2, to a tenth (Kling's are, e.g. 11.3, seen live). */
export function ttsSeconds(characters: number, speed: number): number {
	const seconds = characters / (TTS_CHARS_PER_SECOND * speed);
	return Math.max(MIN_TTS_SECONDS, Math.round(seconds * 10) / 10);
}

export interface SoundLimits {
	minSeconds: number;
	maxSeconds: number;
}

export interface SoundContext {
	account: string;
	audios: AudioLibrary;
	/**
	 * The bytes of a URL this simulator serves itself, read without HTTP (its public URL may not
	 * be reachable from itself); undefined when the URL is not its own, null when it is its own
	 * but serves nothing.
	 */
	ownFile: (url: URL) => Buffer | null | undefined;
}

export interface ResolvedSound {
	/** Seconds, to the millisecond. */
	seconds: number;
	/** Set when the sound was an audio_id. */
	audioId?: string;
}

/**
 * The sound of an Avatar or a Lip-Sync face: exactly one of `audio_id` (a TTS audio of the last
 * 30 days) or `sound_file` (an http(s) URL or raw Base64 of an MP3, WAV, M4A or AAC file of at
 * most 5 MB), `minSeconds` to `maxSeconds` long. `at` prefixes the field names in messages
 * (e.g. "face_choose[0].").
 */
export async function resolveSound(
	fields: Record<string, unknown>,
	at: string,
	context: SoundContext,
	limits: SoundLimits,
): Promise<ResolvedSound> {
	const audioId = optionalString(fields.audio_id, `${at}audio_id`);
	const soundFile = optionalString(fields.sound_file, `${at}sound_file`);
	if (audioId !== undefined && soundFile !== undefined) {
		throw invalid(`${at}audio_id and ${at}sound_file are mutually exclusive: give exactly one`);
	}
	if (audioId === undefined && soundFile === undefined) {
		throw invalid(
			`${at}audio_id or ${at}sound_file is required (exactly one: an audio id from text to ` +
				'speech, or a sound file)',
		);
	}
	if (audioId !== undefined) {
		const audio = context.audios.find(context.account, audioId);
		if (!audio) {
			throw invalid(`${at}audio_id '${audioId}' was not made by text to speech (unknown audio id)`);
		}
		if (Date.now() - audio.createdAt > AUDIO_DAYS * DAY_MS) {
			throw invalid(
				`${at}audio_id '${audioId}' was made more than ${AUDIO_DAYS} days ago: only audio of ` +
					`the last ${AUDIO_DAYS} days is taken`,
			);
		}
		checkLength(`${at}audio_id`, audio.seconds, limits);
		return { seconds: audio.seconds, audioId };
	}
	const name = `${at}sound_file`;
	let seconds: number;
	try {
		seconds = readAudioInfo(await soundBytes(soundFile as string, context)).seconds;
	} catch (error) {
		if (error instanceof MediaProblem) throw invalid(`${name} ${error.message}`);
		throw error;
	}
	const rounded = Math.round(seconds * 1000) / 1000;
	checkLength(name, rounded, limits);
	return { seconds: rounded };
}

function optionalString(value: unknown, name: string): string | undefined {
	// Kling's own examples send "" for the fields they leave out.
	if (absent(value) || value === '') return undefined;
	if (typeof value !== 'string') throw invalid(`${name} must be a string`);
	return value;
}

function checkLength(name: string, seconds: number, { minSeconds, maxSeconds }: SoundLimits) {
	if (seconds < minSeconds || seconds > maxSeconds) {
		throw invalid(`${name} is ${seconds} s long: it must be ${minSeconds} to ${maxSeconds} s`);
	}
}

async function soundBytes(value: string, context: SoundContext): Promise<Buffer> {
	if (/^data:/i.test(value)) {
		throw new MediaProblem('must be a URL or raw Base64 without a "data:" prefix');
	}
	let bytes: Buffer;
	if (/^https?:\/\//i.test(value)) {
		bytes = await downloadOwnOrLoopback(value, context.ownFile, MAX_SOUND_BYTES);
	} else if (isBase64(value)) {
		bytes = Buffer.from(value, 'base64');
	} else {
		throw new MediaProblem('must be an http(s) URL or Base64-encoded MP3, WAV, M4A or AAC audio');
	}
	if (bytes.length > MAX_SOUND_BYTES) {
		throw new MediaProblem(
			`must be at most ${megabytes(MAX_SOUND_BYTES)} (got ${bytes.length} bytes)`,
		);
	}
	return bytes;
}

/**
 * The bytes behind a URL: the simulator's own files directly, other files on this machine over
 * HTTP. Anything further is out of reach offline, and refused rather than guessed at (a sound's
 * or a video's length decides the request).
 */
export async function downloadOwnOrLoopback(
	value: string,
	ownFile: SoundContext['ownFile'],
	maxBytes: number,
): Promise<Buffer> {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new MediaProblem('is not a valid URL');
	}
	const own = ownFile(url);
	if (own === null) throw new MediaProblem('could not be downloaded: HTTP 404');
	if (own !== undefined) return own;
	if (url.protocol !== 'http:' || !isLoopback(url.hostname)) {
		throw new MediaProblem(
			'could not be downloaded: the simulator reaches only http URLs on this machine ' +
				'(127.0.0.1, localhost) and its own files',
		);
	}
	return download(url, { maxBytes, problem: MediaProblem });
}
