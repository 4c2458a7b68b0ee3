import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { KlingItemContext } from '../transport/itemContext';
import { klingCodeOf } from '../transport/klingResponse';
import { sendExplained } from './generation';

/**
 * What Kling's video extension still does (Kling's docs, "Video Extension", and its update log):
 * it extends V1.x videos made through the API, and Kling deletes videos after 30 days; Kling
 * retired the V1.x models, so no new video can be extended.
 */
export const WHAT_KLING_EXTENDS =
	'Kling extends only V1.x videos made through its API in the last 30 days';

export const EXTENSION_ADVICE =
	'Kling no longer makes V1.x videos (it retired those models), so videos of its current models (Kling 3.0 Turbo, 3.0, 2.6, 2.5 Turbo) cannot be extended. For a longer video, make one of up to 15 seconds with Kling Video (Kling 3.0 or 3.0 Turbo, with Multi-Shot if you like).';

/** Kling's 1201 refusal of a video it does not extend, in plain words; other errors as they are. */
export function explainExtendRefusal(
	ctx: KlingItemContext,
	error: unknown,
	videoId: unknown,
): unknown {
	const message = String((error as { context?: IDataObject })?.context?.klingMessage ?? '');
	if (klingCodeOf(error) !== 1201 || !/extension/i.test(message) || !/v1/i.test(message)) {
		return error;
	}
	return new NodeOperationError(
		ctx.getNode(),
		`${WHAT_KLING_EXTENDS}; this video (${String(videoId)}) cannot be extended`,
		{
			itemIndex: ctx.getItemIndex(),
			description: `${EXTENSION_ADVICE} Kling's message: ${message}`,
		},
	);
}

/** Extend Video's create (and its wait), with Kling's refusal of the video in plain words. */
export const sendExtendTask = sendExplained((ctx, error, request) =>
	explainExtendRefusal(ctx, error, (request.body as IDataObject).video_id),
);
