import { download, isLoopback } from './download';
import {
	MediaProblem,
	makeMp3,
	makeMp4,
	makeWav,
	mp3Seconds,
	readAudioInfo,
	readMp4,
} from './media';
import { SAMPLES_PREFIX } from './samples';

/**
 * Videos and sound clips given by URL: their length decides Kling's rules (a motion video of up to
 * 30 s, an Omni reference video of 3 to 15.5 s, a voice clip of 5 to 30 s). The simulator cannot
 * reach the internet, so it serves a few samples of known lengths at its own /samples/ URLs, knows
 * its own result videos, and reads the length of anything else it can download (in tests, over
 * loopback) from the file itself with media.ts's readers: an MP4/MOV `mvhd` box, a WAV header, or
 * an MP3's frames.
 */

export interface SampleMedia {
	/** File name under /samples/. */
	readonly name: string;
	/** Length in seconds, as the file's own header says. */
	readonly seconds: number;
	readonly contentType: string;
	readonly description: string;
}

export const SAMPLE_MEDIA: readonly SampleMedia[] = Object.freeze([
	{
		name: 'dance-2s.mp4',
		seconds: 2,
		contentType: 'video/mp4',
		description: 'too short for every video input (at least 3 s)',
	},
	{
		name: 'dance-5s.mp4',
		seconds: 5,
		contentType: 'video/mp4',
		description: 'fits every video input, element videos (3-8 s) included',
	},
	{
		name: 'dance-12s.mp4',
		seconds: 12,
		contentType: 'video/mp4',
		description: 'motion control only with orientation "video"; Omni 3.0 yes, O1 no (over 10 s)',
	},
	{
		name: 'dance-25s.mp4',
		seconds: 25,
		contentType: 'video/mp4',
		description: 'motion control with orientation "video" (up to 30 s)',
	},
	{
		name: 'dance-40s.mp4',
		seconds: 40,
		contentType: 'video/mp4',
		description: 'too long for motion control (over 30 s)',
	},
	{
		name: 'voice-3s.mp3',
		seconds: mp3Seconds(3),
		contentType: 'audio/mpeg',
		description: 'too short for a custom voice (5-30 s)',
	},
	{
		name: 'voice-10s.mp3',
		seconds: mp3Seconds(10),
		contentType: 'audio/mpeg',
		description: 'a custom voice clip',
	},
	{
		name: 'voice-10s.wav',
		seconds: 10,
		contentType: 'audio/wav',
		description: 'a custom voice clip',
	},
	{
		name: 'voice-40s.wav',
		seconds: 40,
		contentType: 'audio/wav',
		description: 'too long for a custom voice (over 30 s)',
	},
]);

export function sampleUrl(base: string, name: string): string {
	return `${base}${SAMPLES_PREFIX}${name}`;
}

export function findSample(path: string): SampleMedia | undefined {
	if (!path.startsWith(SAMPLES_PREFIX)) return undefined;
	const name = path.slice(SAMPLES_PREFIX.length);
	return SAMPLE_MEDIA.find((sample) => sample.name === name);
}

const sampleCache = new Map<string, Buffer>();

/**
 * The sample's bytes: a file whose own header carries its length, so any reader agrees (an MP3 is
 * whole 24 ms frames, hence mp3Seconds() above).
 */
export function sampleBytes(sample: SampleMedia): Buffer {
	let bytes = sampleCache.get(sample.name);
	if (!bytes) {
		if (sample.name.endsWith('.mp4')) bytes = makeMp4(sample.seconds);
		else if (sample.name.endsWith('.wav')) bytes = makeWav(sample.seconds, 8000);
		else bytes = makeMp3(sample.seconds);
		sampleCache.set(sample.name, bytes);
	}
	return bytes;
}

export interface MediaInfo {
	/** undefined: downloaded, but nothing in it tells the length. */
	readonly seconds: number | undefined;
	readonly format: 'mp4' | 'wav' | 'mp3' | 'unknown';
}

/** What the simulator knows without downloading: its own samples and its own result videos. */
export interface OwnMedia {
	/** The simulator's base URLs (its server URL and its public URL). */
	readonly bases: readonly string[];
	/** Seconds of one of its videos, by id. */
	videoSeconds(id: string): number | undefined;
}

/** Kling's downloads of reference media give up sooner than the simulator's other downloads. */
const FETCH_TIMEOUT_MS = 3000;

/**
 * The length of the media at `url`: known at once for the simulator's own samples and videos,
 * else downloaded (at most maxBytes, within a few seconds) and read from the file's header.
 */
export async function measureMedia(
	url: string,
	own: OwnMedia,
	maxBytes: number,
): Promise<MediaInfo> {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new MediaProblem('must be an http(s) URL');
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new MediaProblem('must be an http(s) URL');
	}
	const base = own.bases.find((b) => b !== '' && parsed.origin === new URL(b).origin);
	if (base !== undefined) {
		const sample = findSample(parsed.pathname);
		if (sample) return { seconds: sample.seconds, format: formatOfName(sample.name) };
		const video = /^\/videos\/([^/]+?)(?:\.watermarked)?\.mp4$/.exec(parsed.pathname);
		const seconds = video ? own.videoSeconds(decodeURIComponent(video[1])) : undefined;
		if (seconds !== undefined) return { seconds, format: 'mp4' };
	}
	// Nothing leaves this machine: a test, a demo or a benchmark sends traffic to loopback only.
	if (!isLoopback(parsed.hostname)) {
		throw new MediaProblem(
			'could not be downloaded: the simulator reaches only URLs on this machine (127.0.0.1, localhost) and its own files',
		);
	}
	return readMedia(
		await download(parsed, { maxBytes, timeoutMs: FETCH_TIMEOUT_MS, problem: MediaProblem }),
	);
}

function formatOfName(name: string): MediaInfo['format'] {
	if (name.endsWith('.wav')) return 'wav';
	if (name.endsWith('.mp3')) return 'mp3';
	return 'mp4';
}

/**
 * The length from the file's own header, when it has one the simulator reads: any ISO media file
 * (MP4, MOV, M4A) counts as 'mp4', a RIFF file as 'wav'; AAC and anything else as 'unknown'.
 */
export function readMedia(bytes: Buffer): MediaInfo {
	if (bytes.length >= 8 && bytes.toString('latin1', 4, 8) === 'ftyp') {
		return { seconds: lengthOrUndefined(() => readMp4(bytes).seconds), format: 'mp4' };
	}
	if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF') {
		return { seconds: lengthOrUndefined(() => readAudioInfo(bytes).seconds), format: 'wav' };
	}
	const mp3 = lengthOrUndefined(() => {
		const audio = readAudioInfo(bytes);
		return audio.format === 'mp3' ? audio.seconds : undefined;
	});
	if (mp3 !== undefined) return { seconds: mp3, format: 'mp3' };
	return { seconds: undefined, format: 'unknown' };
}

/** What a reader returns, or undefined where it finds the file unreadable. */
function lengthOrUndefined(read: () => number | undefined): number | undefined {
	try {
		return read();
	} catch (error) {
		if (error instanceof MediaProblem) return undefined;
		throw error;
	}
}
