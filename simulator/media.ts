import { crc32, deflateSync } from 'zlib';

/**
 * Reading and writing the media files of Kling's talking-video products: how long a sound or a
 * video is, read from the file's own headers as Kling does ("the system will verify the audio
 * content", Kling's docs, "Avatar" and "Lip Sync"), and small real files the simulator serves.
 * Nothing here decodes audio or video; only headers and frame headers are read.
 */

export type AudioFormat = 'wav' | 'mp3' | 'm4a' | 'aac';
export type VideoFormat = 'mp4' | 'mov';

/** The formats Avatar and Lip-Sync take for sound_file (.mp3/.wav/.m4a/.aac). */
export const AUDIO_FORMATS: readonly AudioFormat[] = ['mp3', 'wav', 'm4a', 'aac'];

/** Why a media file is refused, worded to follow the field name ("sound_file must be …"). */
export class MediaProblem extends Error {}

export interface AudioInfo {
	format: AudioFormat;
	/** Seconds, from the headers. */
	seconds: number;
}

export interface VideoInfo {
	format: VideoFormat;
	seconds: number;
}

/**
 * The format and length of a sound: a WAV (RIFF `fmt ` and `data` chunks: data bytes / byte
 * rate), an MP3 (after any ID3v2 tag: the frame count of a Xing/Info or VBRI header, else every
 * frame header walked: samples per frame / sample rate), an M4A (the `mvhd` box: duration /
 * timescale) or an AAC ADTS stream (every frame header walked: 1024 samples per raw block).
 */
export function readAudioInfo(bytes: Buffer): AudioInfo {
	if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE') {
		return { format: 'wav', seconds: readWavSeconds(bytes) };
	}
	if (bytes.length >= 8 && ascii(bytes, 4, 8) === 'ftyp') {
		const { brand, seconds } = readMp4(bytes);
		if (brand === 'qt  ') throw new MediaProblem(`must be ${audioFormatList()} audio (got MOV)`);
		return { format: 'm4a', seconds };
	}
	const start = afterId3(bytes);
	if (isAdtsHeader(bytes, start)) return { format: 'aac', seconds: readAdtsSeconds(bytes, start) };
	if (start > 0 || mpegFrame(bytes, 0)) return { format: 'mp3', seconds: readMp3Seconds(bytes) };
	throw new MediaProblem(`must be ${audioFormatList()} audio (got ${sniffMedia(bytes)})`);
}

/** The container and length of an MP4 or MOV video (its `mvhd` box). */
export function readVideoInfo(bytes: Buffer): VideoInfo {
	if (bytes.length < 8 || ascii(bytes, 4, 8) !== 'ftyp') {
		throw new MediaProblem(`must be an MP4 or MOV video (got ${sniffMedia(bytes)})`);
	}
	const { brand, seconds } = readMp4(bytes);
	if (brand === 'M4A ' || brand === 'M4B ') {
		throw new MediaProblem('must be an MP4 or MOV video (got M4A audio)');
	}
	return { format: brand === 'qt  ' ? 'mov' : 'mp4', seconds };
}

function audioFormatList(): string {
	return 'MP3, WAV, M4A or AAC';
}

function ascii(bytes: Buffer, start: number, end: number): string {
	return bytes.toString('latin1', start, end);
}

/** What a file looks like, for messages. */
export function sniffMedia(bytes: Buffer): string {
	if (bytes.length === 0) return 'no bytes';
	const head = ascii(bytes, 0, 12);
	if (head.startsWith('OggS')) return 'OGG';
	if (head.startsWith('fLaC')) return 'FLAC';
	if (head.startsWith('RIFF')) return `RIFF ${head.slice(8, 12).trim() || 'data'}`;
	if (head.slice(4, 8) === 'ftyp') return 'MP4';
	if (head.startsWith('\x89PNG')) return 'PNG';
	if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'JPEG';
	if (head.startsWith('GIF8')) return 'GIF';
	if (head.startsWith('{') || head.startsWith('<')) return 'text';
	return 'an unknown format';
}

// ---------------------------------------------------------------------------------------------
// WAV

function readWavSeconds(bytes: Buffer): number {
	let offset = 12;
	let byteRate: number | undefined;
	let format: number | undefined;
	while (offset + 8 <= bytes.length) {
		const id = ascii(bytes, offset, offset + 4);
		const size = bytes.readUInt32LE(offset + 4);
		const body = offset + 8;
		if (id === 'fmt ' && body + 16 <= bytes.length) {
			format = bytes.readUInt16LE(body);
			byteRate = bytes.readUInt32LE(body + 8);
		} else if (id === 'data') {
			if (byteRate === undefined || byteRate === 0) {
				throw new MediaProblem('is a WAV file without a readable fmt chunk before its data');
			}
			// 1 = PCM, 3 = IEEE float, 0xFFFE = extensible; compressed WAVs have no fixed byte rate.
			if (format !== 1 && format !== 3 && format !== 0xfffe) {
				throw new MediaProblem(`is a WAV file in an unsupported encoding (format tag ${format})`);
			}
			// A streamed WAV may give 0 or 0xFFFFFFFF as its data size: count the bytes present.
			const present = bytes.length - body;
			const dataBytes = size === 0 || size > present ? present : size;
			return dataBytes / byteRate;
		}
		offset = body + size + (size % 2);
	}
	throw new MediaProblem('is a WAV file without a readable data chunk');
}

/**
 * A real WAV: 16 kHz, mono, 16-bit PCM, a soft 440 Hz tone, exactly `seconds` long (to the
 * sample).
 */
export function makeWav(seconds: number, sampleRate = 16000): Buffer {
	const samples = Math.round(seconds * sampleRate);
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'latin1');
	header.writeUInt32LE(36 + samples * 2, 4);
	header.write('WAVEfmt ', 8, 'latin1');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(1, 22); // mono
	header.writeUInt32LE(sampleRate, 24);
	header.writeUInt32LE(sampleRate * 2, 28); // byte rate
	header.writeUInt16LE(2, 32); // block align
	header.writeUInt16LE(16, 34); // bits per sample
	header.write('data', 36, 'latin1');
	header.writeUInt32LE(samples * 2, 40);
	const data = Buffer.alloc(samples * 2);
	const step = (2 * Math.PI * 440) / sampleRate;
	for (let i = 0; i < samples; i += 1) {
		data.writeInt16LE(Math.round(Math.sin(i * step) * 1200), i * 2);
	}
	return Buffer.concat([header, data]);
}

// ---------------------------------------------------------------------------------------------
// MP3 (MPEG audio, layers I–III)

const MPEG_BITRATES: Readonly<Record<string, readonly number[]>> = {
	'1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
	'1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
	'1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
	'2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
	'2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
	'2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MPEG_SAMPLE_RATES: Readonly<Record<number, readonly number[]>> = {
	3: [44100, 48000, 32000], // MPEG-1
	2: [22050, 24000, 16000], // MPEG-2
	0: [11025, 12000, 8000], // MPEG-2.5
};

interface MpegFrame {
	/** Bytes, padding included. */
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
	const layer = 4 - ((bytes[offset + 1] >> 1) & 3); // 4 = reserved (that pattern is ADTS)
	const bitrateIndex = bytes[offset + 2] >> 4;
	const rateIndex = (bytes[offset + 2] >> 2) & 3;
	const padding = (bytes[offset + 2] >> 1) & 1;
	if (version === 1 || layer === 4 || rateIndex === 3) return undefined;
	// Index 0 is "free format" (no fixed frame length), 15 is invalid.
	if (bitrateIndex === 0 || bitrateIndex === 15) return undefined;
	const mpeg1 = version === 3;
	const kbps = MPEG_BITRATES[`${mpeg1 ? 1 : 2}-${layer}`][bitrateIndex];
	const sampleRate = MPEG_SAMPLE_RATES[version][rateIndex];
	const bitrate = kbps * 1000;
	let length: number;
	let samples: number;
	if (layer === 1) {
		length = (Math.floor((12 * bitrate) / sampleRate) + padding) * 4;
		samples = 384;
	} else if (layer === 2 || mpeg1) {
		length = Math.floor((144 * bitrate) / sampleRate) + padding;
		samples = 1152;
	} else {
		length = Math.floor((72 * bitrate) / sampleRate) + padding;
		samples = 576;
	}
	const mono = bytes[offset + 3] >> 6 === 3;
	return { length, samples, sampleRate, mpeg1, mono };
}

/** The offset after an ID3v2 tag (10-byte header, syncsafe size, optional footer), else 0. */
function afterId3(bytes: Buffer): number {
	if (bytes.length < 10 || ascii(bytes, 0, 3) !== 'ID3') return 0;
	const size =
		((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | bytes[9];
	const footer = (bytes[5] & 0x10) !== 0 ? 10 : 0;
	return Math.min(bytes.length, 10 + size + footer);
}

function readMp3Seconds(bytes: Buffer): number {
	let offset = afterId3(bytes);
	// Some encoders pad the tag with zero bytes before the first frame.
	while (offset < bytes.length && bytes[offset] === 0) offset += 1;
	const first = mpegFrame(bytes, offset);
	if (!first) throw new MediaProblem('is an MP3 file without a readable MPEG frame header');
	const vbr = vbrFrameCount(bytes, offset, first);
	if (vbr !== undefined) return (vbr * first.samples) / first.sampleRate;
	let samples = 0;
	let frame: MpegFrame | undefined = first;
	while (frame) {
		samples += frame.samples;
		offset += frame.length;
		// Anything that is not a frame ends the stream (an ID3v1 "TAG" trailer, junk).
		frame = mpegFrame(bytes, offset);
	}
	return samples / first.sampleRate;
}

/** The frame count of a Xing/Info header (after the side information) or a VBRI header. */
function vbrFrameCount(bytes: Buffer, offset: number, frame: MpegFrame): number | undefined {
	const sideInfo = frame.mpeg1 ? (frame.mono ? 17 : 32) : frame.mono ? 9 : 17;
	const xing = offset + 4 + sideInfo;
	if (xing + 12 <= bytes.length) {
		const tag = ascii(bytes, xing, xing + 4);
		if ((tag === 'Xing' || tag === 'Info') && (bytes.readUInt32BE(xing + 4) & 1) !== 0) {
			return bytes.readUInt32BE(xing + 8);
		}
	}
	const vbri = offset + 4 + 32;
	if (vbri + 18 <= bytes.length && ascii(bytes, vbri, vbri + 4) === 'VBRI') {
		return bytes.readUInt32BE(vbri + 14);
	}
	return undefined;
}

/** MPEG-1 layer III, 48 kHz, 32 kbit/s, mono: 96-byte frames of 1152 samples (24 ms). */
const MP3_FRAME_HEADER = [0xff, 0xfb, 0x14, 0xc0];
const MP3_FRAME_BYTES = 96;
const MP3_FRAME_SECONDS = 1152 / 48000;

/**
 * A real, silent MP3 of whole 24 ms frames (the nearest count to `seconds`). All-zero side
 * information means no coded data: decoders play silence. With `xing`, the first frame is an
 * Info header giving the frame count, as encoders write it.
 */
export function makeMp3(seconds: number, options: { xing?: boolean; id3?: boolean } = {}): Buffer {
	const frames = Math.max(1, Math.round(seconds / MP3_FRAME_SECONDS));
	const frame = Buffer.alloc(MP3_FRAME_BYTES);
	Buffer.from(MP3_FRAME_HEADER).copy(frame);
	const parts: Buffer[] = [];
	if (options.id3) {
		const tag = Buffer.alloc(10 + 20);
		tag.write('ID3', 0, 'latin1');
		tag[3] = 4;
		tag[9] = 20;
		parts.push(tag);
	}
	if (options.xing) {
		const info = Buffer.from(frame);
		// Mono MPEG-1: the Info header follows 17 bytes of side information.
		info.write('Info', 4 + 17, 'latin1');
		info.writeUInt32BE(1, 4 + 17 + 4); // flags: frame count present
		info.writeUInt32BE(frames, 4 + 17 + 8);
		parts.push(info);
	}
	for (let i = 0; i < frames; i += 1) parts.push(frame);
	return Buffer.concat(parts);
}

/** Seconds of the MP3 makeMp3 writes for `seconds`. */
export function mp3Seconds(seconds: number): number {
	return Math.max(1, Math.round(seconds / MP3_FRAME_SECONDS)) * MP3_FRAME_SECONDS;
}

// ---------------------------------------------------------------------------------------------
// AAC in ADTS frames

const ADTS_SAMPLE_RATES = [
	96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];

function isAdtsHeader(bytes: Buffer, offset: number): boolean {
	// 12 sync bits, then the layer bits, always 00 in ADTS (MPEG audio never has layer 00).
	return (
		offset + 7 <= bytes.length && bytes[offset] === 0xff && (bytes[offset + 1] & 0xf6) === 0xf0
	);
}

function readAdtsSeconds(bytes: Buffer, start: number): number {
	let offset = start;
	let samples = 0;
	let sampleRate = 0;
	while (isAdtsHeader(bytes, offset)) {
		const rateIndex = (bytes[offset + 2] >> 2) & 0xf;
		const rate = ADTS_SAMPLE_RATES[rateIndex];
		const length =
			((bytes[offset + 3] & 3) << 11) | (bytes[offset + 4] << 3) | (bytes[offset + 5] >> 5);
		if (rate === undefined || length < 7) break;
		sampleRate ||= rate;
		samples += ((bytes[offset + 6] & 3) + 1) * 1024;
		offset += length;
	}
	if (sampleRate === 0) throw new MediaProblem('is an AAC file without a readable ADTS header');
	return samples / sampleRate;
}

/** AAC-LC ADTS frames, 48 kHz mono, one raw block (1024 samples) each; header-valid, silent. */
export function makeAac(seconds: number): Buffer {
	const frames = Math.max(1, Math.round((seconds * 48000) / 1024));
	const length = 7 + 6;
	const frame = Buffer.alloc(length);
	frame[0] = 0xff;
	frame[1] = 0xf1; // MPEG-4, layer 00, no CRC
	frame[2] = (1 << 6) | (3 << 2); // AAC LC, 48 kHz
	frame[3] = (1 << 6) | ((length >> 11) & 3); // mono
	frame[4] = (length >> 3) & 0xff;
	frame[5] = ((length & 7) << 5) | 0x1f;
	frame[6] = 0xfc; // buffer fullness 0x7FF, one raw block
	return Buffer.concat(Array.from({ length: frames }, () => frame));
}

// ---------------------------------------------------------------------------------------------
// MP4 / MOV / M4A (ISO base media)

/**
 * The brand of an ISO media file (its `ftyp` box) and its length from `moov/mvhd`: duration over
 * timescale (version 0: 32-bit fields; version 1: 64-bit times).
 */
export function readMp4(bytes: Buffer): { brand: string; seconds: number } {
	const brand = ascii(bytes, 8, 12);
	const moov = findBox(bytes, 0, bytes.length, 'moov');
	const mvhd = moov && findBox(bytes, moov.body, moov.end, 'mvhd');
	if (!mvhd) throw new MediaProblem('is an MP4 file without a readable moov/mvhd header');
	const at = mvhd.body;
	const version = bytes[at];
	const long = version === 1;
	const timescaleAt = at + (long ? 20 : 12);
	if (timescaleAt + (long ? 12 : 8) > mvhd.end) {
		throw new MediaProblem('is an MP4 file with a truncated mvhd header');
	}
	const timescale = bytes.readUInt32BE(timescaleAt);
	const duration = long
		? Number(bytes.readBigUInt64BE(timescaleAt + 4))
		: bytes.readUInt32BE(timescaleAt + 4);
	if (timescale === 0) throw new MediaProblem('is an MP4 file whose mvhd timescale is 0');
	return { brand, seconds: duration / timescale };
}

function findBox(
	bytes: Buffer,
	start: number,
	end: number,
	type: string,
): { body: number; end: number } | undefined {
	let offset = start;
	while (offset + 8 <= end) {
		let size = bytes.readUInt32BE(offset);
		let header = 8;
		if (size === 1 && offset + 16 <= end) {
			size = Number(bytes.readBigUInt64BE(offset + 8));
			header = 16;
		} else if (size === 0) {
			size = end - offset;
		}
		if (size < header) return undefined;
		const boxEnd = Math.min(end, offset + size);
		if (ascii(bytes, offset + 4, offset + 8) === type)
			return { body: offset + header, end: boxEnd };
		offset += size;
	}
	return undefined;
}

/**
 * A minimal ISO media file: `ftyp` (brand `isom` for MP4, `qt  ` for MOV, `M4A ` for M4A), a
 * `moov` holding only `mvhd` (timescale 1000, the duration in ms), and an `mdat` of `padding`
 * zero bytes. Enough for anything that reads the length from the headers.
 */
export function makeMp4(seconds: number, brand = 'isom', padding = 1024): Buffer {
	const box = (type: string, body: Buffer) => {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(8 + body.length, 0);
		head.write(type, 4, 'latin1');
		return Buffer.concat([head, body]);
	};
	const ftyp = Buffer.alloc(16);
	ftyp.write(brand, 0, 'latin1');
	ftyp.writeUInt32BE(0x200, 4);
	ftyp.write(brand, 8, 'latin1');
	ftyp.write('isom', 12, 'latin1');
	const mvhd = Buffer.alloc(100);
	mvhd.writeUInt32BE(1000, 12); // timescale
	mvhd.writeUInt32BE(Math.round(seconds * 1000), 16); // duration
	mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
	mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
	// Unity matrix.
	mvhd.writeUInt32BE(0x00010000, 36);
	mvhd.writeUInt32BE(0x00010000, 52);
	mvhd.writeUInt32BE(0x40000000, 68);
	mvhd.writeUInt32BE(2, 96); // next track id
	return Buffer.concat([
		box('ftyp', ftyp),
		box('moov', box('mvhd', mvhd)),
		box('mdat', Buffer.alloc(padding)),
	]);
}

// ---------------------------------------------------------------------------------------------
// PNG (face thumbnails)

/** A plain square PNG of one grey, which any decoder reads. */
export function makePng(size: number, grey: number): Buffer {
	const chunk = (type: string, data: Buffer) => {
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length, 0);
		const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(typeAndData), 0);
		return Buffer.concat([length, typeAndData, crc]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 0; // greyscale
	const row = Buffer.alloc(1 + size, grey);
	row[0] = 0; // filter: none
	const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', pixels),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
