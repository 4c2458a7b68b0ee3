import http from 'http';
import https from 'https';

/**
 * Videos and sound clips given by URL: their length decides Kling's rules (a motion video of up to
 * 30 s, an Omni reference video of 3 to 15.5 s, a voice clip of 5 to 30 s). The simulator cannot
 * reach the internet, so it serves a few samples of known lengths at its own /samples/ URLs, knows
 * its own result videos, and reads the length of anything else it can download (in tests, over
 * loopback) from the file itself: an MP4/MOV `mvhd` box, a WAV header, or a constant-bitrate MP3.
 */

export const SAMPLES_PREFIX = '/samples/';

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
		seconds: 3,
		contentType: 'audio/mpeg',
		description: 'too short for a custom voice (5-30 s)',
	},
	{
		name: 'voice-10s.mp3',
		seconds: 10,
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

/** The sample's bytes: a file whose own header carries its length, so any reader agrees. */
export function sampleBytes(sample: SampleMedia): Buffer {
	let bytes = sampleCache.get(sample.name);
	if (!bytes) {
		if (sample.name.endsWith('.mp4')) bytes = makeMp4(sample.seconds);
		else if (sample.name.endsWith('.wav')) bytes = makeWav(sample.seconds);
		else bytes = makeMp3(sample.seconds);
		sampleCache.set(sample.name, bytes);
	}
	return bytes;
}

/** ftyp, moov with an mvhd (timescale 1000), and an mdat of filler. */
export function makeMp4(seconds: number, fillerBytes = 16 * 1024): Buffer {
	const box = (type: string, body: Buffer) => {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(8 + body.length, 0);
		head.write(type, 4, 'latin1');
		return Buffer.concat([head, body]);
	};
	const ftyp = Buffer.alloc(20);
	ftyp.write('isom', 0, 'latin1');
	ftyp.writeUInt32BE(0x200, 4);
	ftyp.write('isomiso2mp41', 8, 'latin1');
	// Version 0: flags, creation and modification times, timescale, duration, then rate, volume,
	// reserved, matrix, pre-defined and next track id (100 bytes in all).
	const mvhd = Buffer.alloc(100);
	mvhd.writeUInt32BE(1000, 12);
	mvhd.writeUInt32BE(Math.round(seconds * 1000), 16);
	mvhd.writeUInt32BE(0x00010000, 20);
	mvhd.writeUInt16BE(0x0100, 24);
	mvhd.writeUInt32BE(2, 96);
	const filler = Buffer.alloc(fillerBytes, 0x2a);
	return Buffer.concat([box('ftyp', ftyp), box('moov', box('mvhd', mvhd)), box('mdat', filler)]);
}

const WAV_RATE = 8000;

/** 8 kHz, 8-bit mono PCM: 8,000 bytes a second. */
export function makeWav(seconds: number): Buffer {
	const dataBytes = Math.round(seconds * WAV_RATE);
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'latin1');
	header.writeUInt32LE(36 + dataBytes, 4);
	header.write('WAVEfmt ', 8, 'latin1');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(WAV_RATE, 24);
	header.writeUInt32LE(WAV_RATE, 28);
	header.writeUInt16LE(1, 32);
	header.writeUInt16LE(8, 34);
	header.write('data', 36, 'latin1');
	header.writeUInt32LE(dataBytes, 40);
	return Buffer.concat([header, Buffer.alloc(dataBytes, 0x80)]);
}

/** MPEG-1 Layer III frames at 32 kbit/s, 44.1 kHz (104 bytes each): 4,000 bytes a second. */
export function makeMp3(seconds: number): Buffer {
	const frame = Buffer.alloc(104);
	frame.set([0xff, 0xfb, 0x10, 0xc4]);
	const count = Math.ceil((seconds * 4000) / frame.length);
	const bytes = Buffer.concat(Array.from({ length: count }, () => frame));
	return bytes.subarray(0, seconds * 4000);
}

/** Why a media URL is refused, worded to follow the field name ("… could not be downloaded"). */
export class MediaProblem extends Error {}

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
	return readMedia(await download(parsed, maxBytes));
}

function formatOfName(name: string): MediaInfo['format'] {
	if (name.endsWith('.wav')) return 'wav';
	if (name.endsWith('.mp3')) return 'mp3';
	return 'mp4';
}

/** The length from the file's own header, when it has one the simulator reads. */
export function readMedia(bytes: Buffer): MediaInfo {
	if (bytes.length >= 8 && bytes.toString('latin1', 4, 8) === 'ftyp') {
		return { seconds: mp4Seconds(bytes), format: 'mp4' };
	}
	if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF') {
		return { seconds: wavSeconds(bytes), format: 'wav' };
	}
	const mp3 = mp3Seconds(bytes);
	if (mp3 !== undefined) return { seconds: mp3, format: 'mp3' };
	return { seconds: undefined, format: 'unknown' };
}

/** moov/mvhd: duration over timescale (version 0: 32-bit fields; version 1: 64-bit times). */
function mp4Seconds(bytes: Buffer): number | undefined {
	const moov = findBox(bytes, 0, bytes.length, 'moov');
	const mvhd = moov && findBox(bytes, moov.start, moov.end, 'mvhd');
	if (!mvhd || mvhd.end - mvhd.start < 32) return undefined;
	const version = bytes[mvhd.start];
	const timescale =
		version === 1 ? bytes.readUInt32BE(mvhd.start + 20) : bytes.readUInt32BE(mvhd.start + 12);
	const duration =
		version === 1
			? Number(bytes.readBigUInt64BE(mvhd.start + 24))
			: bytes.readUInt32BE(mvhd.start + 16);
	return timescale > 0 ? duration / timescale : undefined;
}

function findBox(
	bytes: Buffer,
	from: number,
	to: number,
	type: string,
): { start: number; end: number } | undefined {
	let offset = from;
	while (offset + 8 <= to) {
		let size = bytes.readUInt32BE(offset);
		let header = 8;
		if (size === 1 && offset + 16 <= to) {
			size = Number(bytes.readBigUInt64BE(offset + 8));
			header = 16;
		} else if (size === 0) {
			size = to - offset;
		}
		if (size < header) return undefined;
		if (bytes.toString('latin1', offset + 4, offset + 8) === type) {
			return { start: offset + header, end: Math.min(to, offset + size) };
		}
		offset += size;
	}
	return undefined;
}

function wavSeconds(bytes: Buffer): number | undefined {
	if (bytes.toString('latin1', 8, 12) !== 'WAVE') return undefined;
	let byteRate: number | undefined;
	let offset = 12;
	while (offset + 8 <= bytes.length) {
		const id = bytes.toString('latin1', offset, offset + 4);
		const size = bytes.readUInt32LE(offset + 4);
		if (id === 'fmt ' && offset + 16 <= bytes.length) byteRate = bytes.readUInt32LE(offset + 16);
		if (id === 'data') return byteRate ? size / byteRate : undefined;
		offset += 8 + size + (size % 2);
	}
	return undefined;
}

// kbit/s of MPEG-1 Layer III by the header's bitrate index.
const MP3_BITRATES = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

/** A constant-bitrate MPEG-1 Layer III file: its bytes after any ID3v2 tag over the bitrate. */
function mp3Seconds(bytes: Buffer): number | undefined {
	let offset = 0;
	if (bytes.length >= 10 && bytes.toString('latin1', 0, 3) === 'ID3') {
		const size =
			((bytes[6] & 0x7f) << 21) |
			((bytes[7] & 0x7f) << 14) |
			((bytes[8] & 0x7f) << 7) |
			(bytes[9] & 0x7f);
		offset = 10 + size;
	}
	if (offset + 4 > bytes.length) return undefined;
	const sync = bytes[offset] === 0xff && (bytes[offset + 1] & 0xfe) === 0xfa;
	const kbps = MP3_BITRATES[bytes[offset + 2] >> 4];
	if (!sync || !kbps) return undefined;
	return ((bytes.length - offset) * 8) / (kbps * 1000);
}

function megabytes(bytes: number): string {
	return `${Math.round(bytes / (1024 * 1024))} MB`;
}

function download(url: URL, maxBytes: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const fail = (why: string) => reject(new MediaProblem(`could not be downloaded: ${why}`));
		const client = url.protocol === 'https:' ? https : http;
		const request = client.get(url, { agent: false }, (response) => {
			if (response.statusCode !== 200) {
				response.resume();
				fail(`HTTP ${response.statusCode}`);
				return;
			}
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > maxBytes) {
					request.destroy();
					reject(new MediaProblem(`must be at most ${megabytes(maxBytes)}`));
					return;
				}
				chunks.push(chunk);
			});
			response.on('end', () => resolve(Buffer.concat(chunks)));
			response.on('error', (error) => fail(error.message));
		});
		request.setTimeout(FETCH_TIMEOUT_MS, () => request.destroy(new Error('timed out')));
		request.on('error', (error) => fail(error.message));
	});
}
