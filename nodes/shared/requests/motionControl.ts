import type { IDataObject, IHttpRequestOptions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MOTION_VIDEO_SECONDS } from '../kling/models';
import { PRODUCTS } from '../kling/products';
import type { KlingItemContext } from '../transport/itemContext';
import { klingCodeOf } from '../transport/klingResponse';
import { explainGenerationRefusal, sendExplained } from './generation';

/**
 * Motion Control's own words for what Kling alone can judge: the motion video, which Kling takes
 * by URL only and reads itself. A video too long for the character orientation, too short, or
 * unreadable is refused at create (400, 1201) or ends the task "failed"; either is said in plain
 * words naming the field and the rule (Kling's docs, "Motion Control": at least 3 s, up to 30 s
 * with orientation "video", up to 10 s with "image").
 */

const PRODUCT = 'motionControl';

const VIDEO_RULES = `Motion Video URL must be a public http(s) link to an MP4 or MOV file Kling can download: at most 100 MB, sides 340 to 3,850 px, at least ${MOTION_VIDEO_SECONDS.min} s long.`;

/** What Kling said about the request or the task, when it may be about the motion video. */
function klingWords(error: unknown): string | undefined {
	if (klingCodeOf(error) === 1201) {
		const message = (error as NodeApiError).context?.klingMessage;
		return typeof message === 'string' ? message : undefined;
	}
	const prefix = `${PRODUCTS[PRODUCT].failure}: `;
	if (error instanceof NodeOperationError && error.message.startsWith(prefix)) {
		return error.message.slice(prefix.length);
	}
	return undefined;
}

/** The video's length as Kling's words give it ("the motion video is 40 s", "got 2 s"). */
function secondsIn(words: string): number | undefined {
	const match =
		/\b(?:is|got|of|lasts|duration:?)\s+(\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds)\b/i.exec(words);
	return match ? Number(match[1]) : undefined;
}

function orientationOf(request: IHttpRequestOptions): string {
	const settings = (request.body as IDataObject | undefined)?.settings as IDataObject | undefined;
	return String(settings?.character_orientation ?? '');
}

/** The refusal in plain words, or undefined when Kling's words are not about the motion video. */
function motionVideoProblem(
	words: string,
	orientation: string,
): { message: string; advice: string } | undefined {
	if (!/video/i.test(words)) return undefined;
	const seconds = secondsIn(words);
	const { min, video, image } = MOTION_VIDEO_SECONDS;
	if (seconds !== undefined && seconds < min) {
		return {
			message: `The motion video is ${seconds} s long: Kling needs at least ${min} s of motion`,
			advice: `Use a motion video of at least ${min} s.`,
		};
	}
	const max = orientation === 'image' ? image : video;
	if (seconds !== undefined && seconds > max) {
		return {
			message: `The motion video is ${seconds} s long: with Character Orientation "video" Kling takes up to ${video} s, with "image" up to ${image} s`,
			advice:
				orientation === 'image' && seconds <= video
					? `Character Orientation is "image": set it to "video" to use up to ${video} s of motion, or cut the video to ${image} s.`
					: `Cut the motion video to at most ${video} s (${image} s with Character Orientation "image").`,
		};
	}
	// Only words about the motion video itself (not, say, a setting that names it) that say what
	// Kling could not do with it.
	const aboutVideo = /motion video|video[_ ]url/i.test(words);
	const unusable = /could not|cannot|can't|unable|failed to|must be|at most|too (?:large|big)/i;
	if (aboutVideo && unusable.test(words)) {
		return { message: `Kling could not use the motion video: ${words}`, advice: VIDEO_RULES };
	}
	return undefined;
}

/**
 * Kling's refusal of a motion control task in plain words: the credential and the model as for
 * every product, then the motion video; anything else as Kling said it.
 */
export function explainMotionRefusal(
	ctx: KlingItemContext,
	error: unknown,
	request: IHttpRequestOptions,
): unknown {
	const model = String(request.url).split('/').pop() ?? '';
	const explained = explainGenerationRefusal(ctx, error, PRODUCT, model);
	if (explained !== error) return explained;
	const words = klingWords(error);
	if (words === undefined) return error;
	const problem = motionVideoProblem(words, orientationOf(request));
	if (!problem) return error;
	const failedTask = error instanceof NodeOperationError ? error.description : undefined;
	return new NodeOperationError(ctx.getNode(), problem.message, {
		itemIndex: ctx.getItemIndex(),
		description: [problem.advice, `Kling said: ${words}`, failedTask]
			.filter((line) => line)
			.join(' '),
	});
}

/** Creates a motion control task (and waits as the user chose); refusals read as plain errors. */
export function sendMotionControlTask() {
	return sendExplained(PRODUCT, explainMotionRefusal);
}
