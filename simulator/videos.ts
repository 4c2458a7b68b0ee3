import { createHash, randomBytes } from 'crypto';
import { Readable } from 'stream';

export interface SourceVideo {
	readonly id: string;
	/** Seconds. */
	readonly duration: number;
	readonly description: string;
	/** The model that made it; only V1.x videos can be extended. */
	readonly model: string;
	/** How long ago it was made (through the API); Kling extends only videos of the last 30 days. */
	readonly madeDaysAgo: number;
}

/**
 * Videos that exist from the start, as if made earlier through the API. No V1.x video can be made
 * any more (Kling retired those models), so the V1.x ones here are what video-extend can still
 * extend: see EXTENDABLE_VIDEO_IDS.
 */
export const SOURCE_VIDEOS: readonly SourceVideo[] = Object.freeze([
	{
		id: 'sim-video-5s',
		duration: 5,
		description: 'a 5 s kling-v1-6 video made 2 days ago',
		model: 'kling-v1-6',
		madeDaysAgo: 2,
	},
	{
		id: 'sim-video-10s',
		duration: 10,
		description: 'a 10 s kling-v1-6 video made 2 days ago',
		model: 'kling-v1-6',
		madeDaysAgo: 2,
	},
	{
		id: 'sim-video-175s',
		duration: 175,
		description: 'can be extended exactly once, to 179.5 s',
		model: 'kling-v1-6',
		madeDaysAgo: 1,
	},
	{
		id: 'sim-video-176s',
		duration: 176,
		description: 'one more extension would pass 180 s',
		model: 'kling-v1-6',
		madeDaysAgo: 1,
	},
	{
		id: 'sim-video-180s',
		duration: 180,
		description: 'already at the 3 minute limit',
		model: 'kling-v1-6',
		madeDaysAgo: 1,
	},
	{
		id: 'sim-video-v1-old',
		duration: 5,
		description: 'a kling-v1-6 video made 31 days ago: extension refused',
		model: 'kling-v1-6',
		madeDaysAgo: 31,
	},
	{
		id: 'sim-video-v2-5s',
		duration: 5,
		description: 'made by kling-v2-master: extension refused',
		model: 'kling-v2-master',
		madeDaysAgo: 2,
	},
	{
		id: 'sim-video-v3-5s',
		duration: 5,
		description: 'made by kling-3.0 (current API): extension refused',
		model: 'kling-3.0',
		madeDaysAgo: 2,
	},
]);

/** The seeded V1.x videos of the last 30 days that video-extend accepts (once or more). */
export const EXTENDABLE_VIDEO_IDS: readonly string[] = Object.freeze([
	'sim-video-5s',
	'sim-video-10s',
	'sim-video-175s',
]);

export const EXTENSION_SECONDS = 4.5;
export const MAX_VIDEO_SECONDS = 180;
export const DEFAULT_VIDEO_BYTES = 64 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface VideoRecord {
	readonly id: string;
	readonly duration: number;
	readonly source: boolean;
	readonly model: string;
	/** It has sound (kling-2.6 videos with sound can make custom voices). */
	readonly sound: boolean;
	/** Epoch ms at which it was made. */
	readonly createdAt: number;
}

export class VideoLibrary {
	private readonly videos = new Map<string, VideoRecord>();
	// A per-instance prefix keeps ids from two simulators in one process apart.
	private readonly prefix = randomBytes(3).toString('hex');
	private counter = 0;

	/** `extra`: more videos that exist from the start (the face-identification ones). */
	constructor(extra: readonly SourceVideo[] = []) {
		const now = Date.now();
		for (const video of [...SOURCE_VIDEOS, ...extra]) {
			const { id, duration, model, madeDaysAgo } = video;
			const createdAt = now - madeDaysAgo * DAY_MS;
			this.videos.set(id, { id, duration, model, sound: false, source: true, createdAt });
		}
	}

	get(id: string): VideoRecord | undefined {
		return this.videos.get(id);
	}

	/** Registers a task's result, which can be downloaded and (when made by V1.x) extended. */
	add(spec: { duration: number; model: string; sound?: boolean }): VideoRecord {
		const { duration, model } = spec;
		this.counter += 1;
		const id = `sim-video-${this.prefix}${this.counter.toString(36).padStart(5, '0')}`;
		const video: VideoRecord = {
			id,
			duration,
			source: false,
			model,
			sound: spec.sound ?? false,
			createdAt: Date.now(),
		};
		this.videos.set(id, video);
		return video;
	}

	forgetGenerated(): void {
		for (const [id, video] of this.videos) {
			if (!video.source) this.videos.delete(id);
		}
	}
}

export function videoUrl(base: string, id: string, watermarked = false): string {
	return `${base}/videos/${encodeURIComponent(id)}${watermarked ? '.watermarked' : ''}.mp4`;
}

/** Parses '/videos/<id>.mp4' and '/videos/<id>.watermarked.mp4'. */
export function parseVideoPath(path: string): { id: string; watermarked: boolean } | undefined {
	const match = /^\/videos\/([^/]+?)(\.watermarked)?\.mp4$/.exec(path);
	if (!match) return undefined;
	try {
		return { id: decodeURIComponent(match[1]), watermarked: match[2] !== undefined };
	} catch {
		return undefined;
	}
}

const BLOCK_BYTES = 64 * 1024;

/**
 * Deterministic mp4-looking bytes, produced chunk by chunk so that a 200 MB video never sits in
 * memory. A 64 KiB pseudo-random block (seeded by the id and variant) repeats after an ftyp box
 * and an mdat header, so players and sniffers see an MP4 and the two variants differ.
 */
export function createVideoStream(id: string, watermarked: boolean, size: number): Readable {
	const block = patternBlock(`${id}|${watermarked ? 'watermarked' : 'plain'}`);
	const header = mp4Header(size);
	let position = 0;
	return new Readable({
		highWaterMark: BLOCK_BYTES,
		read() {
			if (position >= size) {
				this.push(null);
				return;
			}
			const offset = position % BLOCK_BYTES;
			const length = Math.min(BLOCK_BYTES - offset, size - position);
			let chunk = block.subarray(offset, offset + length);
			if (position < header.length) {
				chunk = Buffer.from(chunk);
				header.copy(chunk, 0, position, Math.min(header.length, position + length));
			}
			position += length;
			this.push(chunk);
		},
	});
}

function patternBlock(seed: string): Buffer {
	const block = Buffer.alloc(BLOCK_BYTES);
	for (let i = 0; i * 32 < BLOCK_BYTES; i += 1) {
		createHash('sha256')
			.update(`${seed}#${i}`)
			.digest()
			.copy(block, i * 32);
	}
	return block;
}

function mp4Header(size: number): Buffer {
	const ftyp = Buffer.alloc(28);
	ftyp.writeUInt32BE(28, 0);
	ftyp.write('ftypisom', 4, 'latin1');
	ftyp.writeUInt32BE(0x200, 12);
	ftyp.write('isomiso2mp41', 16, 'latin1');
	const mdat = Buffer.alloc(8);
	mdat.writeUInt32BE(Math.max(0, Math.min(size - 28, 0xffffffff)), 0);
	mdat.write('mdat', 4, 'latin1');
	return Buffer.concat([ftyp, mdat]);
}
