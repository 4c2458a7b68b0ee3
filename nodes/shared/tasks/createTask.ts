import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readKlingTask, type KlingTask } from '../kling/task';
import { isLegacyUrl } from '../kling/products';
import type { KlingItemContext } from '../transport/itemContext';
import { executionIdOf, generatedExternalTaskId, runRefOf } from './runRef';
import { readTask, taskSourceOf } from './taskReads';
import { klingCodeOf } from '../transport/klingResponse';
import { requestKling } from '../transport/transport';
import {
	MAX_PROMPT_LENGTH,
	checkCallbackAndExternalId,
	checkNumberInRange,
	checkOptionalText,
} from '../checks/validation';

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
	checkCallbackAndExternalId(ctx, body);
	if (!('external_task_id' in body)) body.external_task_id = runExternalTaskId(ctx);
}

/** The external id the node gives an item's task when the user gave none (see runRef.ts). */
function runExternalTaskId(ctx: KlingItemContext): string {
	return generatedExternalTaskId(executionIdOf(ctx), runRefOf(ctx), ctx.getItemIndex());
}

/**
 * Where a create request of either generation carries its options: the legacy `/v1` bodies at
 * the top level, the current generation's in `options` (Kling's docs, the text-to-video and
 * image-to-video pages: `options.callback_url`, `options.external_task_id`).
 */
function optionsOf(request: IHttpRequestOptions): IDataObject {
	request.body ??= {};
	const body = request.body as IDataObject;
	if (isLegacyUrl(request.url)) return body;
	if (typeof body.options !== 'object' || body.options === null) body.options = {};
	return body.options as IDataObject;
}

/** Sets where Kling calls back about the task (Wait for Completion = Callback sets its resume URL). */
export function placeCallbackUrl(request: IHttpRequestOptions, url: string): void {
	optionsOf(request).callback_url = url;
}

/**
 * The task's external id: the user's, or one of the node's own put in the request. Every create
 * carries one, so a create whose answer was lost can be found instead of sent twice.
 */
export function ensureExternalTaskId(ctx: KlingItemContext, request: IHttpRequestOptions): string {
	const options = optionsOf(request);
	const given = options.external_task_id;
	if (typeof given === 'string' && given.trim() !== '') return given;
	options.external_task_id = runExternalTaskId(ctx);
	return options.external_task_id;
}

/**
 * Sends a create request (of either generation) without ever making a second paid task: after
 * a failure that leaves it unknown whether Kling made the task, it looks the task up by its
 * external id before sending again, and a repeat that Kling refuses as a duplicate (1201
 * "already exists", Kling's docs: `external_task_id` is unique in the account) is that first
 * task, read by its external id.
 */
export async function createTask(
	ctx: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<KlingTask> {
	const externalTaskId = ensureExternalTaskId(ctx, request);
	const source = taskSourceOf(request.url);
	const findCreated = async () =>
		(await readTask(ctx, source, 'externalTaskId', externalTaskId))?.raw;
	const data = await requestKling(ctx, request, {
		// A look-up that fails leaves it to the repeat: the external id makes Kling refuse a second task.
		recover: async () => await findCreated().catch(() => undefined),
		onRepeatRefused: async (error) =>
			klingCodeOf(error) === 1201 ? await findCreated() : undefined,
	});
	const task = readKlingTask(data);
	if (!task) {
		throw new NodeOperationError(ctx.getNode(), 'Kling answered the create without a task', {
			itemIndex: ctx.getItemIndex(),
			description: `External task id ${externalTaskId}: read it with Get Task before trying again.`,
		});
	}
	return task;
}

/** createTask, answered as the item of Kling's own task (for callers that work on items). */
export async function createTaskOnce(
	ctx: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const task = await createTask(ctx, request);
	return [{ json: task.raw, pairedItem: { item: ctx.getItemIndex() } }];
}
