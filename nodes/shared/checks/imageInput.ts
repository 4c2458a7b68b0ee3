import type { KlingItemContext } from '../transport/itemContext';
import { checkHttpUrl, fail, megabytes } from './validation';

/**
 * The images of Image to Video (first and last frame): from a URL, Base64 or an input binary
 * field. Base64 and binary images are checked from their own bytes before anything is sent, as
 * Kling would check them (Kling's docs, the image-to-video page of each current model): JPG or
 * PNG, at most 50 MB, width and height at least 300 px, an aspect ratio from 1:2.5 to 2.5:1. A
 * URL is Kling's to read: it is checked to be an http(s) URL only.
 */
export type ImageSource = 'binaryField' | 'url' | 'base64';

export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
export const MIN_IMAGE_PIXELS = 300;
export const MAX_ASPECT_RATIO = 2.5;

export interface ImageHeader {
	format: 'png' | 'jpeg';
	width: number;
	height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What the bytes are, from the image's own header, or why they are not a JPG or PNG. */
export function readImageHeader(bytes: Buffer): ImageHeader | string {
	if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
		if (bytes.toString('latin1', 12, 16) !== 'IHDR') return 'a PNG without its IHDR header';
		return { format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
	}
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
		return readJpegFrame(bytes);
	}
	return describeBytes(bytes);
}

/** Walks the JPEG's segments to its start-of-frame (SOF) marker, which holds the size. */
function readJpegFrame(bytes: Buffer): ImageHeader | string {
	let offset = 2;
	while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
		const marker = bytes[offset + 1];
		if (marker === 0xff) {
			offset += 1;
			continue;
		}
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			offset += 2;
			continue;
		}
		if (marker === 0xda || marker === 0xd9) break;
		// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
		const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
		if (isFrame && offset + 9 <= bytes.length) {
			return {
				format: 'jpeg',
				height: bytes.readUInt16BE(offset + 5),
				width: bytes.readUInt16BE(offset + 7),
			};
		}
		offset += 2 + bytes.readUInt16BE(offset + 2);
	}
	return 'a JPEG without a readable frame header';
}

function describeBytes(bytes: Buffer): string {
	const start = bytes.toString('latin1', 0, 12);
	if (bytes.length === 0) return 'empty';
	if (start.startsWith('GIF8')) return 'a GIF';
	if (start.startsWith('RIFF') && start.slice(8, 12) === 'WEBP') return 'a WebP';
	if (start.startsWith('BM')) return 'a BMP';
	if (start.slice(4, 8) === 'ftyp') return 'a HEIC or MP4 file';
	if (start.startsWith('%PDF')) return 'a PDF';
	return 'not an image this node knows';
}

/**
 * Whether text is Base64 (A-Z, a-z, 0-9, +, / and up to two = at the end). Read in a loop: a
 * regular expression over an image of many megabytes can exhaust the engine's backtracking stack
 * ("Maximum call stack size exceeded").
 */
export function isBase64(text: string): boolean {
	let end = text.length;
	while (end > 0 && text.length - end < 2 && text.charCodeAt(end - 1) === 0x3d) end -= 1;
	if (end === 0 || text.length % 4 === 1) return false;
	for (let index = 0; index < end; index += 1) {
		const code = text.charCodeAt(index);
		const letter = (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
		const digit = code >= 0x30 && code <= 0x39;
		if (!letter && !digit && code !== 0x2b && code !== 0x2f) return false;
	}
	return true;
}

/** Refuses, naming the field, what Kling would refuse of these bytes. */
export function checkImageBytes(
	ctx: KlingItemContext,
	label: string,
	bytes: Buffer,
	checkAspectRatio: boolean,
	maxBytes = MAX_IMAGE_BYTES,
): ImageHeader {
	if (bytes.length > maxBytes) {
		fail(
			ctx,
			`${label} is ${megabytes(bytes.length)}, and Kling allows at most ${megabytes(maxBytes)}`,
			'Send a smaller JPG or PNG.',
		);
	}
	const header = readImageHeader(bytes);
	if (typeof header === 'string') {
		fail(
			ctx,
			`${label} must be a JPG or PNG image, but it is ${header}`,
			'Kling takes JPG (.jpg, .jpeg) and PNG images.',
		);
	}
	const { width, height } = header;
	if (width < MIN_IMAGE_PIXELS || height < MIN_IMAGE_PIXELS) {
		fail(
			ctx,
			`${label} is ${width}×${height} px, and Kling needs a width and height of at least ${MIN_IMAGE_PIXELS} px`,
			'Send a larger image.',
		);
	}
	const ratio = width / height;
	if (checkAspectRatio && (ratio > MAX_ASPECT_RATIO || ratio < 1 / MAX_ASPECT_RATIO)) {
		fail(
			ctx,
			`${label} is ${width}×${height} px, an aspect ratio of ${Math.round(ratio * 100) / 100}:1, and Kling allows 1:2.5 to 2.5:1`,
			'Crop the image to a less elongated shape.',
		);
	}
	return header;
}

const DATA_URL_PREFIX = /^data:image\/[\w.+-]+;base64,/i;

/**
 * The image as Kling takes it (a URL, or raw Base64 without a `data:` prefix), after the
 * checks above; undefined when the field is empty. `maxBytes`: 50 MB for frames, 10 MB for
 * element images (Kling's docs, "Element Management").
 */
export async function resolveImage(
	ctx: KlingItemContext,
	label: string,
	value: unknown,
	source: ImageSource,
	checkAspectRatio: boolean,
	maxBytes = MAX_IMAGE_BYTES,
): Promise<{ image: string; header?: ImageHeader } | undefined> {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') {
		fail(ctx, `${label} must be text (${sourceHint(source)}), but it is ${typeof value}`);
	}
	const text = value.trim();
	if (text === '') return undefined;
	if (source === 'url') {
		checkHttpUrl(
			ctx,
			label,
			text,
			'Give the URL of a JPG or PNG image, or set Image Source to Base64 or Binary Field.',
		);
		return { image: text };
	}
	if (source === 'base64') {
		const base64 = text.replace(DATA_URL_PREFIX, '').replace(/\s+/g, '');
		if (!isBase64(base64)) {
			fail(
				ctx,
				`${label} must be Base64 (the characters A-Z, a-z, 0-9, +, / and = at the end)`,
				'Paste the image encoded as Base64, or set Image Source to URL or Binary Field.',
			);
		}
		const bytes = Buffer.from(base64, 'base64');
		const header = checkImageBytes(ctx, label, bytes, checkAspectRatio, maxBytes);
		return { image: base64, header };
	}
	const bytes = await ctx.readInputBinary(text);
	if (bytes === undefined) {
		const names = ctx.inputBinaryNames();
		fail(
			ctx,
			`${label}: the input item has no binary field "${text}"`,
			names.length === 0
				? 'The input item has no binary data: put a node that outputs a file (HTTP Request, Read/Write Files, Google Drive, a form) before this one, or set Image Source to URL or Base64.'
				: `Its binary fields are: ${names.join(', ')}.`,
		);
	}
	const header = checkImageBytes(ctx, label, bytes, checkAspectRatio, maxBytes);
	return { image: bytes.toString('base64'), header };
}

function sourceHint(source: ImageSource): string {
	if (source === 'url') return 'a URL';
	if (source === 'base64') return 'Base64';
	return 'the name of a binary field';
}
