import { download, isLoopback, megabytes } from './download';

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Images of the current API generation (first and last frames): up to 50 MB. */
export const MAX_CURRENT_IMAGE_BYTES = 50 * 1024 * 1024;
export const MIN_IMAGE_PIXELS = 300;
export const MAX_ASPECT_RATIO = 2.5;

export interface ImageHeader {
	format: 'png' | 'jpeg';
	width: number;
	height: number;
}

/** Why an image is refused, worded to follow the field name ("image must be …"). */
export class ImageProblem extends Error {}

/**
 * Reads the format and size from the image's own header: the PNG IHDR chunk or a JPEG
 * start-of-frame segment. Anything else is refused, naming what it looks like.
 */
export function readImageHeader(bytes: Buffer): ImageHeader {
	if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
		if (bytes.toString('latin1', 12, 16) !== 'IHDR') {
			throw new ImageProblem('is a PNG without an IHDR header');
		}
		return { format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
	}
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
		return readJpegFrame(bytes);
	}
	throw new ImageProblem(`must be a JPG or PNG image (got ${sniff(bytes)})`);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function readJpegFrame(bytes: Buffer): ImageHeader {
	let offset = 2;
	while (offset + 4 <= bytes.length) {
		if (bytes[offset] !== 0xff) break;
		const marker = bytes[offset + 1];
		if (marker === 0xff) {
			// Fill byte before a marker.
			offset += 1;
			continue;
		}
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			offset += 2;
			continue;
		}
		// Image data or its end before any frame header: nothing to read the size from.
		if (marker === 0xda || marker === 0xd9) break;
		const length = bytes.readUInt16BE(offset + 2);
		// SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC) which share the range.
		const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
		if (isFrame && offset + 9 <= bytes.length) {
			return {
				format: 'jpeg',
				height: bytes.readUInt16BE(offset + 5),
				width: bytes.readUInt16BE(offset + 7),
			};
		}
		offset += 2 + length;
	}
	throw new ImageProblem('is a JPEG without a readable frame header (SOF)');
}

function sniff(bytes: Buffer): string {
	const ascii = bytes.toString('latin1', 0, 12);
	if (ascii.startsWith('GIF8')) return 'GIF';
	if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'WebP';
	if (ascii.startsWith('BM')) return 'BMP';
	if (ascii.slice(4, 8) === 'ftyp') return 'HEIC/MP4';
	if (bytes.length === 0) return 'no bytes';
	return 'an unknown format';
}

export interface ImageRules {
	/** Check the 1:2.5 to 2.5:1 aspect ratio (Kling asks it of `image` only). */
	aspectRatio: boolean;
	/** Default MAX_IMAGE_BYTES (10 MB, legacy); the current API generation takes 50 MB. */
	maxBytes?: number;
}

/** Kling's limits for an input image: ≤ 10 MB, both sides ≥ 300 px, optionally the aspect ratio. */
export function checkImageBytes(bytes: Buffer, rules: ImageRules): ImageHeader {
	const maxBytes = rules.maxBytes ?? MAX_IMAGE_BYTES;
	if (bytes.length > maxBytes) {
		throw new ImageProblem(`must be at most ${megabytes(maxBytes)} (got ${bytes.length} bytes)`);
	}
	const header = readImageHeader(bytes);
	const { width, height } = header;
	if (width < MIN_IMAGE_PIXELS || height < MIN_IMAGE_PIXELS) {
		throw new ImageProblem(
			`must be at least ${MIN_IMAGE_PIXELS} px wide and high (got ${width}x${height})`,
		);
	}
	const ratio = width / height;
	if (rules.aspectRatio && (ratio > MAX_ASPECT_RATIO || ratio < 1 / MAX_ASPECT_RATIO)) {
		throw new ImageProblem(
			`must have an aspect ratio between 1:2.5 and 2.5:1 (got ${width}x${height})`,
		);
	}
	return header;
}

/**
 * Checks an image field: an http(s) URL or raw Base64. URLs on this machine are fetched and
 * checked like Base64 (tests serve their images there); other URLs cannot be reached offline and
 * are accepted as they are. Resolves the header when the bytes were seen.
 */
export async function checkImageValue(
	value: string,
	rules: ImageRules,
): Promise<ImageHeader | undefined> {
	if (/^data:/i.test(value)) {
		throw new ImageProblem('must be a URL or raw Base64 without a "data:" prefix');
	}
	if (/^https?:\/\//i.test(value)) {
		const url = parseUrl(value);
		if (url.protocol !== 'http:' || !isLoopback(url.hostname)) return undefined;
		return checkImageBytes(
			await download(url, { maxBytes: rules.maxBytes ?? MAX_IMAGE_BYTES, problem: ImageProblem }),
			rules,
		);
	}
	if (!isBase64(value)) {
		throw new ImageProblem('must be an http(s) URL or Base64-encoded JPG/PNG bytes');
	}
	return checkImageBytes(Buffer.from(value, 'base64'), rules);
}

/**
 * Base64 letters, then at most two '=' of padding. A loop rather than one regular expression: an
 * image is up to 14 million characters, and a backtracking match over that many can overflow.
 */
export function isBase64(value: string): boolean {
	let end = value.length;
	while (end > 0 && value.length - end < 2 && value.charCodeAt(end - 1) === 0x3d) end -= 1;
	if (end === 0 || end % 4 === 1) return false;
	for (let i = 0; i < end; i += 1) {
		const c = value.charCodeAt(i);
		const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
		const digit = c >= 0x30 && c <= 0x39;
		if (!letter && !digit && c !== 0x2b && c !== 0x2f) return false;
	}
	return true;
}

function parseUrl(value: string): URL {
	try {
		return new URL(value);
	} catch {
		throw new ImageProblem('is not a valid URL');
	}
}
