import { makeAac, makeMp3, makeMp4, makePng, makeWav } from './media';

/**
 * Files the simulator serves without auth under /samples/, for the talking-video products: sounds
 * of any length in each format Avatar and Lip-Sync take, videos with and without faces for face
 * identification, and the face thumbnails identify-face points at. All are built in memory and
 * are the same on every run.
 */
export const SAMPLES_PREFIX = '/samples/';

/** A face as identify-face reports it: visible from startMs to endMs of the video. */
export interface FaceSpan {
	readonly startMs: number;
	readonly endMs: number;
}

export interface SampleVideo {
	/** File name under /samples/. */
	readonly name: string;
	readonly seconds: number;
	/** ftyp brand: 'isom' (MP4) or 'qt  ' (MOV). */
	readonly brand: string;
	readonly faces: readonly FaceSpan[];
	readonly description: string;
}

/**
 * The face convention: every video has one face over its whole length, except the ones made to
 * have none or two (here, and the seeded videos sim-video-noface and sim-video-two-faces).
 */
export const TWO_FACES: readonly FaceSpan[] = Object.freeze([
	{ startMs: 0, endMs: 7000 },
	{ startMs: 4000, endMs: 12000 },
]);

export function oneFace(seconds: number): FaceSpan[] {
	return [{ startMs: 0, endMs: Math.round(seconds * 1000) }];
}

export const SAMPLE_VIDEOS: readonly SampleVideo[] = Object.freeze([
	{
		name: 'landscape-noface-8s.mp4',
		seconds: 8,
		brand: 'isom',
		faces: [],
		description: 'a landscape: no face (face_data: [])',
	},
	{
		name: 'presenter-10s.mp4',
		seconds: 10,
		brand: 'isom',
		faces: oneFace(10),
		description: 'one face over the whole 10 s',
	},
	{
		name: 'presenter-10s.mov',
		seconds: 10,
		brand: 'qt  ',
		faces: oneFace(10),
		description: 'the same as a MOV',
	},
	{
		name: 'two-faces-12s.mp4',
		seconds: 12,
		brand: 'isom',
		faces: TWO_FACES,
		description: 'face 0 from 0 to 7 s, face 1 from 4 to 12 s',
	},
	{
		name: 'presenter-1s.mp4',
		seconds: 1,
		brand: 'isom',
		faces: oneFace(1),
		description: 'too short for identify-face (2–60 s)',
	},
	{
		name: 'presenter-75s.mp4',
		seconds: 75,
		brand: 'isom',
		faces: oneFace(75),
		description: 'too long for identify-face (2–60 s)',
	},
]);

/** `speech-<seconds>s.<wav|mp3|m4a|aac>`, seconds up to 600 with at most one decimal. */
const SOUND_SAMPLE = /^speech-(\d{1,3}(?:\.\d)?)s\.(wav|mp3|m4a|aac)$/;
const FACE_IMAGE = /^face-(\d{1,2})\.png$/;
const MAX_SAMPLE_SECONDS = 600;

export interface MediaFile {
	readonly contentType: string;
	readonly bytes: Buffer;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
	wav: 'audio/wav',
	mp3: 'audio/mpeg',
	m4a: 'audio/mp4',
	aac: 'audio/aac',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	png: 'image/png',
};

/** The file /samples/<name> serves, or undefined. */
export function sampleFile(name: string): MediaFile | undefined {
	const video = SAMPLE_VIDEOS.find((v) => v.name === name);
	if (video) {
		const type = video.brand === 'qt  ' ? 'mov' : 'mp4';
		return {
			contentType: CONTENT_TYPES[type],
			bytes: makeMp4(video.seconds, video.brand, 64 * 1024),
		};
	}
	const sound = SOUND_SAMPLE.exec(name);
	if (sound) {
		const seconds = Number(sound[1]);
		if (seconds <= 0 || seconds > MAX_SAMPLE_SECONDS) return undefined;
		const format = sound[2];
		return { contentType: CONTENT_TYPES[format], bytes: soundBytes(format, seconds) };
	}
	const face = FACE_IMAGE.exec(name);
	if (face) {
		// A different grey per face, so two faces' thumbnails differ.
		return { contentType: CONTENT_TYPES.png, bytes: makePng(300, 96 + 40 * (Number(face[1]) % 4)) };
	}
	return undefined;
}

function soundBytes(format: string, seconds: number): Buffer {
	if (format === 'wav') return makeWav(seconds);
	if (format === 'mp3') return makeMp3(seconds, { xing: true });
	if (format === 'aac') return makeAac(seconds);
	return makeMp4(seconds, 'M4A ');
}

export function faceImageName(index: number): string {
	return `face-${index}.png`;
}
