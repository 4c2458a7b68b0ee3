import { newKlingId } from './audio';
import { TWO_FACES, oneFace } from './samples';
import type { FaceSpan } from './samples';
import type { SourceVideo, VideoRecord } from './videos';

/**
 * Face identification (Kling's docs, "Face Recognition"): which faces a video shows and when,
 * and the sessions identify-face opens for Lip-Sync.
 *
 * The simulator cannot look at a video, so faces follow a convention: every video has one face
 * (face_id "0") over its whole length, except sim-video-noface and the sample
 * landscape-noface-8s.mp4 (no face) and sim-video-two-faces and the sample two-faces-12s.mp4
 * (face "0" from 0 to 7 s, face "1" from 4 to 12 s).
 */

const HOUR_MS = 60 * 60 * 1000;
/** How long a session_id stays usable; Kling keeps sessions a limited time (not documented). */
export const FACE_SESSION_HOURS = 24;
/** video_id: a video Kling made in the last 30 days. */
export const FACE_VIDEO_DAYS = 30;
/** identify-face takes videos of at most 60 s (Kling's docs; lip-sync went to 60 s on 06/30/2025). */
export const MAX_FACE_VIDEO_SECONDS = 60;
/** video_url: 2 to 60 s, at most 100 MB. */
export const MIN_FACE_VIDEO_SECONDS = 2;
export const MAX_FACE_VIDEO_BYTES = 100 * 1024 * 1024;
/** Kling's pricing page, "Lip Sync / Face Recognition": 0.05 units per call. */
export const FACE_UNITS = 0.05;

/** Videos every simulator has from the start for face identification (besides SOURCE_VIDEOS). */
export const FACE_VIDEOS: readonly SourceVideo[] = Object.freeze([
	{
		id: 'sim-video-noface',
		duration: 8,
		description: 'a landscape with no face: identify-face answers face_data []',
		model: 'kling-v2-6',
		madeDaysAgo: 1,
	},
	{
		id: 'sim-video-two-faces',
		duration: 12,
		description: 'face "0" from 0 to 7 s, face "1" from 4 to 12 s',
		model: 'kling-v2-6',
		madeDaysAgo: 1,
	},
]);

const SEEDED_FACES: Readonly<Record<string, readonly FaceSpan[]>> = {
	'sim-video-noface': [],
	'sim-video-two-faces': TWO_FACES,
};

export interface Face extends FaceSpan {
	readonly id: string;
}

export interface FaceSession {
	readonly id: string;
	readonly account: string;
	/** The video as the simulator keeps it (a copy for a video_url). */
	readonly video: VideoRecord;
	readonly faces: readonly Face[];
	/** Epoch ms. */
	readonly createdAt: number;
}

export class FaceSessions {
	private readonly sessions = new Map<string, FaceSession>();
	/** Faces of the simulator's copies of downloaded videos, by video id. */
	private readonly copies = new Map<string, readonly FaceSpan[]>();

	/** The faces of a video the simulator keeps, by the convention above. */
	facesOf(video: VideoRecord): readonly FaceSpan[] {
		return this.copies.get(video.id) ?? SEEDED_FACES[video.id] ?? oneFace(video.duration);
	}

	/** Remembers the faces of a copy of a downloaded video. */
	rememberCopy(video: VideoRecord, faces: readonly FaceSpan[]): void {
		this.copies.set(video.id, faces);
	}

	open(account: string, video: VideoRecord): FaceSession {
		const session: FaceSession = {
			id: newKlingId(),
			account,
			video,
			faces: this.facesOf(video).map((span, index) => ({ id: String(index), ...span })),
			createdAt: Date.now(),
		};
		this.sessions.set(session.id, session);
		return session;
	}

	/** The account's session, unless it expired. */
	find(account: string, id: string): FaceSession | undefined {
		const session = this.sessions.get(id);
		if (!session || session.account !== account) return undefined;
		if (Date.now() - session.createdAt > FACE_SESSION_HOURS * HOUR_MS) {
			this.sessions.delete(id);
			return undefined;
		}
		return session;
	}

	clear(): void {
		this.sessions.clear();
		this.copies.clear();
	}
}
