import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { EXTENSION_ADVICE, WHAT_KLING_EXTENDS } from '../kling/extension';
import type { KlingItemContext } from '../transport/itemContext';
import { klingCodeOf } from '../transport/klingResponse';
import { sendExplained } from './generation';

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
export const sendExtendTask = sendExplained('videoExtend', (ctx, error, request) =>
	explainExtendRefusal(ctx, error, (request.body as IDataObject).video_id),
);
