import type { KlingItemContext } from '../transport/itemContext';
import { checkHttpUrl, fail, megabytes, requireText } from './validation';

/**
 * The speech of Avatar and Lip-Sync: an input binary field, a URL, or the audio ID of Text to
 * Speech (Kling's docs, "Avatar" and "Lip Sync": exactly one of `audio_id` or `sound_file`, a
 * URL or raw Base64 of an .mp3/.wav/.m4a/.aac file of at most 5 MB). A binary file is checked
 * from its own bytes before anything is sent: its format from its header, and for WAV and MP3
 * its length (a WAV's data size over its byte rate; an MP3's frames). A URL and an audio ID are
 * Kling's to read.
 */
export type SpeechSource = 'binaryField' | 'url' | 'audioId';

export type AudioFormat = 'wav' | 'mp3' | 'm4a' | 'aac';

export const MAX_SOUND_BYTES = 5 * 1024 * 1024;

export interface AudioHeader {
	format: AudioFormat;
	/** Seconds; undefined where the node does not read the length (M4A, AAC). */
	seconds?: number;
}

export interface SoundLimits {
	/** The product's name, for messages. */
	product: string;
	minSeconds: number;
	maxSeconds: number;
}

/** The speech as Kling takes it, and its length where the node could read it. */
export interface Speech {
	field: { sound_file: string } | { audio_id: string };
	format?: AudioFormat;
	seconds?: number;
}

const FORMATS = 'an MP3, WAV, M4A or AAC file';

function ascii(bytes: Buffer, start: number, end: number): string {
	return bytes.toString('latin1', start, Math.min(end, bytes.length));
}

/** What the bytes are, from the file's own header, or why they are no sound Kling takes. */
export function readAudioHeader(bytes: Buffer): AudioHeader | string {
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE') return readWav(bytes);
	if (ascii(bytes, 4, 8) === 'ftyp') {
		// A QuickTime brand is a MOV video; the other ISO brands hold M4A audio (or an MP4 video).
		return ascii(bytes, 8, 12) === 'qt  ' ? 'a MOV video' : { format: 'm4a' };
	}
	const start = afterId3(bytes);
	if (isAdts(bytes, start)) return { format: 'aac' };
	if (start > 0 || mpegFrame(bytes, 0)) return readMp3(bytes, start);
	return describeBytes(bytes);
}

function describeBytes(bytes: Buffer): string {
	const start = ascii(bytes, 0, 12);
	if (bytes.length === 0) return 'empty';
	if (start.startsWith('OggS')) return 'an OGG file';
	if (start.startsWith('fLaC')) return 'a FLAC file';
	if (start.startsWith('RIFF')) return 'a RIFF file that is not a WAV';
	if (start.startsWith('\x89PNG')) return 'a PNG image';
	if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'a JPEG image';
	if (start.startsWith('%PDF')) return 'a PDF';
	return 'not a sound this node knows';
}

/** A WAV's length: its `data` chunk's size over the byte rate of its `fmt ` chunk. */
function readWav(bytes: Buffer): AudioHeader | string {
	let offset = 12;
	let byteRate = 0;
	while (offset + 8 <= bytes.length) {
		const id = ascii(bytes, offset, offset + 4);
		const size = bytes.readUInt32LE(offset + 4);
		const body = offset + 8;
		if (id === 'fmt ' && body + 12 <= bytes.length) byteRate = bytes.readUInt32LE(body + 8);
		if (id === 'data') {
			if (byteRate === 0) return 'a WAV file without a readable format header';
			// A streamed WAV may give 0 or too large a size: count the bytes present.
			const present = bytes.length - body;
			const dataBytes = size === 0 || size > present ? present : size;
			return { format: 'wav', seconds: dataBytes / byteRate };
		}
		offset = body + size + (size % 2);
	}
	return 'a WAV file without a readable data chunk';
}

/** The offset after an ID3v2 tag (10-byte header, syncsafe size, optional footer), else 0. */
function afterId3(bytes: Buffer): number {
	if (bytes.length < 10 || ascii(bytes, 0, 3) !== 'ID3') return 0;
	const size =
		((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | bytes[9];
	const footer = (bytes[5] & 0x10) !== 0 ? 10 : 0;
	return Math.min(bytes.length, 10 + size + footer);
}

/** An AAC ADTS frame: 12 sync bits, then layer bits 00 (MPEG audio never has layer 00). */
function isAdts(bytes: Buffer, offset: number): boolean {
	return (
		offset + 7 <= bytes.length && bytes[offset] === 0xff && (bytes[offset + 1] & 0xf6) === 0xf0
	);
}

// kbit/s by MPEG version (1, or 2 and 2.5) and layer, and sample rates by version.
const BITRATES: Record<string, number[]> = {
	'1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
	'1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
	'1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
	'2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
	'2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
	'2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<number, number[]> = {
	3: [44100, 48000, 32000],
	2: [22050, 24000, 16000],
	0: [11025, 12000, 8000],
};

interface MpegFrame {
	length: number;
	samples: number;
	sampleRate: number;
	mpeg1: boolean;
	mono: boolean;
}

/** The MPEG audio frame header at `offset`, or undefined when there is none. */
function mpegFrame(bytes: Buffer, offset: number): MpegFrame | undefined {
	if (offset + 4 > bytes.length || bytes[offset] !== 0xff || (bytes[offset + 1] & 0xe0) !== 0xe0) {
		return undefined;
	}
	const version = (bytes[offset + 1] >> 3) & 3; // 0 = 2.5, 1 = reserved, 2 = 2, 3 = 1
	const layer = 4 - ((bytes[offset + 1] >> 1) & 3);
	const bitrateIndex = bytes[offset + 2] >> 4;
	const rateIndex = (bytes[offset + 2] >> 2) & 3;
	const padding = (bytes[offset + 2] >> 1) & 1;
	if (version === 1 || layer === 4 || rateIndex === 3) return undefined;
	if (bitrateIndex === 0 || bitrateIndex === 15) return undefined;
	const mpeg1 = version === 3;
	const bitrate = BITRATES[`${mpeg1 ? 1 : 2}-${layer}`][bitrateIndex] * 1000;
	const sampleRate = SAMPLE_RATES[version][rateIndex];
	const mono = bytes[offset + 3] >> 6 === 3;
	if (layer === 1) {
		const length = (Math.floor((12 * bitrate) / sampleRate) + padding) * 4;
		return { length, samples: 384, sampleRate, mpeg1, mono };
	}
	if (layer === 2 || mpeg1) {
		const length = Math.floor((144 * bitrate) / sampleRate) + padding;
		return { length, samples: 1152, sampleRate, mpeg1, mono };
	}
	const length = Math.floor((72 * bitrate) / sampleRate) + padding;
	return { length, samples: 576, sampleRate, mpeg1, mono };
}

/**
 * An MP3's length: the frame count of its Xing/Info (after the side information) or VBRI
 * header, else every frame walked to the first thing that is no frame.
 */
function readMp3(bytes: Buffer, start: number): AudioHeader | string {
	let offset = start;
	while (offset < bytes.length && bytes[offset] === 0) offset += 1;
	const first = mpegFrame(bytes, offset);
	if (!first) return 'an MP3 file without a readable frame header';
	const sideInfo = first.mpeg1 ? (first.mono ? 17 : 32) : first.mono ? 9 : 17;
	const xing = offset + 4 + sideInfo;
	const tag = ascii(bytes, xing, xing + 4);
	if ((tag === 'Xing' || tag === 'Info') && xing + 12 <= bytes.length) {
		if ((bytes.readUInt32BE(xing + 4) & 1) !== 0) {
			return {
				format: 'mp3',
				seconds: (bytes.readUInt32BE(xing + 8) * first.samples) / first.sampleRate,
			};
		}
	}
	const vbri = offset + 4 + 32;
	if (ascii(bytes, vbri, vbri + 4) === 'VBRI' && vbri + 18 <= bytes.length) {
		return {
			format: 'mp3',
			seconds: (bytes.readUInt32BE(vbri + 14) * first.samples) / first.sampleRate,
		};
	}
	let samples = 0;
	for (let frame: MpegFrame | undefined = first; frame; frame = mpegFrame(bytes, offset)) {
		samples += frame.samples;
		offset += frame.length;
	}
	return { format: 'mp3', seconds: samples / first.sampleRate };
}

/** Seconds as people read them: to a tenth. */
export function secondsText(seconds: number): string {
	const rounded = Math.round(seconds * 10) / 10;
	return `${rounded} s`;
}

function limitsText({ minSeconds, maxSeconds }: SoundLimits): string {
	const max =
		maxSeconds >= 120 ? `${maxSeconds / 60} minutes (${maxSeconds} s)` : `${maxSeconds} s`;
	return `${minSeconds} s to ${max}`;
}

/** Refuses a speech whose length Kling would refuse (when the length is known). */
export function checkSpeechSeconds(
	ctx: KlingItemContext,
	label: string,
	seconds: number,
	limits: SoundLimits,
): void {
	if (seconds >= limits.minSeconds && seconds <= limits.maxSeconds) return;
	fail(
		ctx,
		`${label} is ${secondsText(seconds)} long, and ${limits.product} takes a speech of ${limitsText(limits)}`,
		seconds < limits.minSeconds
			? 'Use a longer recording, or a longer text in Text to Speech.'
			: 'Shorten the speech, or split it.',
	);
}

/** Refuses, naming the field, what Kling would refuse of these bytes. */
export function checkSoundBytes(
	ctx: KlingItemContext,
	label: string,
	bytes: Buffer,
	limits: SoundLimits,
): AudioHeader {
	if (bytes.length > MAX_SOUND_BYTES) {
		fail(
			ctx,
			`${label} is ${megabytes(bytes.length)}, and Kling allows at most ${megabytes(MAX_SOUND_BYTES)}`,
			'Send a shorter or more compressed file (an MP3), or give it as a URL.',
		);
	}
	const header = readAudioHeader(bytes);
	if (typeof header === 'string') {
		fail(
			ctx,
			`${label} must be ${FORMATS}, but it is ${header}`,
			'Kling takes speech as MP3 (.mp3), WAV (.wav), M4A (.m4a) or AAC (.aac).',
		);
	}
	if (header.seconds !== undefined) checkSpeechSeconds(ctx, label, header.seconds, limits);
	return header;
}

const SOURCE_HINT: Record<SpeechSource, string> = {
	binaryField: 'the name of a binary field of the input item',
	url: 'an http(s) URL of an MP3, WAV, M4A or AAC file',
	audioId: 'the audio ID Text to Speech answered',
};

/** The speech as Kling takes it (`sound_file` or `audio_id`), after the checks above. */
export async function resolveSpeech(
	ctx: KlingItemContext,
	label: string,
	value: unknown,
	source: SpeechSource,
	limits: SoundLimits,
): Promise<Speech> {
	if (!(source in SOURCE_HINT)) {
		fail(
			ctx,
			`Speech Source must be one of "binaryField", "url", "audioId", but it is ${JSON.stringify(source)}`,
		);
	}
	const text = requireText(ctx, label, value, `Give ${SOURCE_HINT[source]}.`);
	if (source === 'audioId') return { field: { audio_id: text } };
	if (source === 'url') {
		checkHttpUrl(
			ctx,
			label,
			text,
			'Give the URL of an MP3, WAV, M4A or AAC file, or set Speech Source to Binary Field or Audio ID.',
		);
		return { field: { sound_file: text } };
	}
	const bytes = await ctx.readInputBinary(text);
	if (bytes === undefined) {
		const names = ctx.inputBinaryNames();
		fail(
			ctx,
			`${label}: the input item has no binary field "${text}"`,
			names.length === 0
				? 'The input item has no binary data: put a node that outputs a sound file (Text to Speech, HTTP Request, Read/Write Files) before this one, or set Speech Source to URL or Audio ID.'
				: `Its binary fields are: ${names.join(', ')}.`,
		);
	}
	const header = checkSoundBytes(ctx, label, bytes, limits);
	return { field: { sound_file: bytes.toString('base64') }, ...header };
}
