import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import type { KlingItemContext } from '../transport/itemContext';
import { executionIdOf, generatedExternalTaskId, runRefOf } from './runRef';
import { downloadResult, taskView } from './taskResult';
import { klingCodeOf } from '../transport/klingResponse';
import { asNodeError, sendWithRetries } from '../transport/transport';
import {
	MAX_PROMPT_LENGTH,
	checkHttpUrl,
	checkNumberInRange,
	checkOptionalText,
	requireText,
} from '../checks/validation';
import { checkTaskSucceeded, getTask, pollUntilFinished, waitSettings } from '../waiting/polling';

/**
 * Reads the fields every create has (Additional Fields of Kling Video and Kling Video Extend)
 * into the body under Kling's names.
 */
export function addCommonCreateFields(body: IDataObject, fields: IDataObject): IDataObject {
	if ('callbackUrl' in fields) body.callback_url = fields.callbackUrl;
	if ('cfgScale' in fields) body.cfg_scale = fields.cfgScale;
	if ('externalTaskId' in fields) body.external_task_id = fields.externalTaskId;
	if ('negativePrompt' in fields) body.negative_prompt = fields.negativePrompt;
	if ('watermark' in fields) body.watermark_info = { enabled: fields.watermark };
	return body;
}

/**
 * Checks the fields every create has, and gives the task an external id of the node's own when
 * the user gave none: a create that timed out can then be found instead of sent twice.
 */
export function checkCommonCreateFields(ctx: KlingItemContext, body: IDataObject): void {
	checkOptionalText(ctx, 'Negative Prompt', body.negative_prompt, MAX_PROMPT_LENGTH);
	if (body.negative_prompt === '') delete body.negative_prompt;
	if (body.cfg_scale !== undefined) {
		body.cfg_scale = checkNumberInRange(ctx, 'CFG Scale', body.cfg_scale, 0, 1);
	}
	if ('callback_url' in body) checkHttpUrl(ctx, 'Callback URL', body.callback_url);
	if ('external_task_id' in body) {
		body.external_task_id = requireText(
			ctx,
			'External Task ID',
			body.external_task_id,
			'Leave the field out, or give an id that is unique in the account.',
		);
	} else {
		body.external_task_id = generatedExternalTaskId(
			executionIdOf(ctx),
			runRefOf(ctx),
			ctx.getItemIndex(),
		);
	}
}

/** Creates the task, then waits for its result as the user chose. */
export async function sendCreateTask(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const created = await createTaskOnce(this, request);
	if (this.getNodeParameter('waitForCompletion', 'no') !== 'poll') return created;
	const tasksPath = String(request.url);
	const finished = await pollUntilFinished(
		this,
		tasksPath,
		taskView(created[0]).taskId,
		waitSettings(this),
	);
	return await finishWaiting(this, finished, tasksPath);
}

/**
 * Sends a create request (POST to the endpoint of its task kind) without ever making a second
 * paid task: after a failure that leaves it unknown whether Kling made the task, it looks the
 * task up by its external id before sending again, and a repeat that Kling refuses as a
 * duplicate returns the first task.
 */
export async function createTaskOnce(
	ctx: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const externalTaskId = String((request.body as IDataObject).external_task_id);
	const findCreated = async () => {
		try {
			return await getTask(ctx, String(request.url), externalTaskId);
		} catch (error) {
			if (klingCodeOf(error) === 1203) return undefined;
			throw asNodeError(ctx, error);
		}
	};
	return await sendWithRetries(ctx, request, {
		recover: findCreated,
		onRepeatRefused: async (error) =>
			klingCodeOf(error) === 1201 ? await findCreated() : undefined,
	});
}

/** After a wait: stops at a failed task (unless asked not to) and downloads the video. */
export async function finishWaiting(
	ctx: KlingItemContext,
	items: INodeExecutionData[],
	tasksPath: string,
): Promise<INodeExecutionData[]> {
	checkTaskSucceeded(ctx, items, tasksPath);
	if (!ctx.getNodeParameter('downloadVideo', false)) return items;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return [await downloadResult(ctx, items[0], Boolean(options.watermarked), ctx.getItemIndex())];
}
