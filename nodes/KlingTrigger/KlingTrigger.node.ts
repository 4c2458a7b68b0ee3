import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, sleep } from 'n8n-workflow';

import { simplifyField, watermarkedOption } from '../shared/fields/commonFields';
import { downloadVideo } from '../shared/tasks/taskResult';
import { normalizeStatus, simplifyTask, TASK_STATUSES, type KlingTask } from '../shared/kling/task';
import {
	acknowledge,
	MAX_BODY_BYTES,
	parseCallback,
	rawBodyOf,
	signatureVerdict,
	refuse,
	tokenProblem,
	webhookIdOf,
} from '../shared/callbacks/callbackRequest';
import { forgetNode, memoryScope, seenBefore } from './duplicateMemory';
import { findTaskAtKling, isBehind, LOOKUP_TIMING, lookupClient } from './klingLookup';
import type { ProductId } from '../shared/kling/products';
import { PRODUCTS, PRODUCT_IDS } from '../shared/kling/products';

const DEFAULT_EVENTS = ['succeeded', 'failed'];

interface TriggerOptions {
	simplify?: boolean;
	downloadVideo?: boolean;
	watermarked?: boolean;
}

/**
 * What makes a delivery a repeat: a signed one's `webhook-id` (Standard Webhooks keeps it
 * across retries), an unsigned one's task, status and update time (Kling's docs, "Callback
 * Protocol").
 */
function duplicateKey(task: KlingTask, webhookId: string | undefined): string {
	if (webhookId !== undefined) return `webhook-id|${webhookId}`;
	return `${task.taskId}|${task.status}|${task.updatedAt ?? ''}`;
}

/** The selected events, with the legacy spelling `succeed` of workflows saved before read as `succeeded`. */
function selectedEvents(ctx: IWebhookFunctions): string[] {
	return (ctx.getNodeParameter('events', DEFAULT_EVENTS) as string[]).map(normalizeStatus);
}

export class KlingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling Trigger',
		name: 'klingTrigger',
		icon: { light: 'file:../../icons/kling.svg', dark: 'file:../../icons/kling.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when Kling calls back about a task: text to video, image to video or video extension',
		defaults: { name: 'Kling Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// The webhook secret that signs callbacks lives in the credential, and Confirm With
		// Kling and downloads read the task with it.
		credentials: [{ name: 'klingApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'kling' }],
		properties: [
			{
				displayName:
					"Paste this node's Production URL into the Callback URL of a Kling Video or Kling Video Extend task (with ?token=… added when Check URL Token is on), then publish the workflow. Signed callbacks are checked whenever the Kling API credential has a webhook secret.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Failed',
						value: 'failed',
						description:
							'The task failed; the reason is in message (task_status_msg on legacy tasks)',
					},
					{
						name: 'Processing',
						value: 'processing',
						description: 'Kling started working on the task',
					},
					{
						name: 'Submitted',
						value: 'submitted',
						description: 'Kling accepted the task',
					},
					{
						name: 'Succeeded',
						value: 'succeeded',
						description: 'The video is ready (Kling’s legacy “succeed” counts too)',
					},
				],
				default: ['succeeded', 'failed'],
				description:
					'Which task statuses start the workflow. Callbacks of other statuses are answered and start nothing.',
			},
			{
				displayName: 'Check URL Token',
				name: 'tokenCheck',
				type: 'boolean',
				default: false,
				description:
					'Whether to refuse callbacks whose URL does not carry the token below as ?token=…',
			},
			{
				displayName: 'Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				description:
					'A long random secret of your own (32 characters or more). Add it to the callback URL after ?token=.',
				displayOptions: { show: { tokenCheck: [true] } },
			},
			{
				displayName: 'Confirm With Kling',
				name: 'confirmWithKling',
				type: 'boolean',
				default: false,
				description:
					"Whether to read the task from Kling's API with the credential, refuse callbacks for tasks Kling does not know, and pass on Kling's answer instead of the posted body",
			},
			{
				displayName:
					'Without a webhook secret in the Kling API credential, anyone who learns this URL can start the workflow: turn on Check URL Token or Confirm With Kling.',
				name: 'unverifiedNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { tokenCheck: [false], confirmWithKling: [false] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Download Video',
						name: 'downloadVideo',
						type: 'boolean',
						default: false,
						description:
							'Whether to add the result video of a succeeded task to the item as binary data "data". The video is only fetched from a URL that Kling vouches for: a signed or token-checked callback, or Kling’s own copy of the task. If the download fails, the run still starts and the item says why in downloadError.',
					},
					simplifyField,
					watermarkedOption,
				],
			},
		],
	};

	/**
	 * Kling has nothing to register: each task carries its callback URL. What a workflow
	 * activation does start and end here is the node's memory of callbacks already passed
	 * on: `create` starts it afresh and `delete` frees it. `checkExists` answers false so
	 * that n8n always calls `create`. (n8n also calls these around "Listen for test event",
	 * which forgets duplicates seen so far: a harmless reset.)
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				forgetNode(memoryScope(this.getWorkflow().id, this.getNode().id));
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				forgetNode(memoryScope(this.getWorkflow().id, this.getNode().id));
				return true;
			},
		},
	};

	/**
	 * Kling's callback, in the steps the Linear and GitHub triggers take: check the delivery
	 * (size, URL token, signature), read the task and the selected events, confirm it with Kling
	 * when asked (or when a video would be fetched on an unverified word), drop a repeat, and start
	 * the run with the task (and its video).
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const delivery = await checkDelivery(this);
		if ('refused' in delivery) return delivery.refused;
		const parsed = parseCallback(delivery.rawBody);
		if (!parsed.ok) return refuse(this, 400, parsed.reason);
		const events = selectedEvents(this);
		if (!events.includes(parsed.task.status)) return ignore(parsed.task.status);

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const known = await taskAsKlingHasIt(this, parsed.task, delivery.verified, options);
		if ('refused' in known) return known.refused;
		if (!events.includes(known.task.status)) return ignore(known.task.status);

		const video = await videoSource(this, known, options);

		// Nothing after this point throws, so a callback remembered here always starts its run.
		const scope = memoryScope(this.getWorkflow().id, this.getNode().id);
		const webhookId = delivery.signed ? webhookIdOf(this) : undefined;
		if (seenBefore(scope, duplicateKey(known.task, webhookId))) {
			return { webhookResponse: { received: true, ignored: 'duplicate callback' } };
		}
		return await startRun(this, known.task, known.kind, video);
	}
}

type Refused = { refused: IWebhookResponseData };

/** The delivery's checks: size, the URL token (when asked), Kling's signature (when set up). */
async function checkDelivery(
	hook: IWebhookFunctions,
): Promise<Refused | { rawBody: Buffer; verified: boolean; signed: boolean }> {
	const rawBody = rawBodyOf(hook);
	if (rawBody === undefined) return { refused: refuse(hook, 400, 'the body is not JSON') };
	if (rawBody.length > MAX_BODY_BYTES) {
		return { refused: refuse(hook, 413, 'the body is larger than 1 MB') };
	}
	let verified = false;
	if (hook.getNodeParameter('tokenCheck', false) as boolean) {
		const problem = tokenProblem(hook, String(hook.getNodeParameter('token', '')));
		if (problem) return { refused: refuse(hook, 401, problem) };
		verified = true;
	}
	const verdict = signatureVerdict(hook, await hook.getCredentials('klingApi'), rawBody);
	if (verdict && !verdict.valid) return { refused: refuse(hook, 401, verdict.reason) };
	return { rawBody, verified: verified || verdict !== undefined, signed: verdict !== undefined };
}

interface KnownTask {
	task: KlingTask;
	/** Kling's own copy, when it was read. */
	fromKling?: KlingTask;
	/** The product the task belongs to ('video' for a current task, which names none). */
	kind: string | undefined;
}

/**
 * The task to pass on: the posted one, or Kling's own copy when Confirm With Kling is on, or when
 * a video would be downloaded on an unverified callback's word (n8n must not fetch a URL a
 * stranger names). Kling's copy decides: one that does not bear the callback out is refused.
 */
async function taskAsKlingHasIt(
	hook: IWebhookFunctions,
	posted: KlingTask,
	verified: boolean,
	options: TriggerOptions,
): Promise<Refused | KnownTask> {
	const confirm =
		(hook.getNodeParameter('confirmWithKling', false) as boolean) ||
		(Boolean(options.downloadVideo) && posted.status === 'succeeded' && !verified);
	// A current task names no kind; a legacy one with a parent video is of a product whose tasks
	// carry one (Video Extend, Lip-Sync), and only Kling's endpoints tell which.
	const suggested = posted.generation === 'current' ? 'video' : parentVideoKind(posted);
	if (!confirm) {
		if (suggested !== undefined) return { task: posted, kind: suggested };
		// Only to name the kind: the posted body is passed on, as without the look-up.
		const found = await findTaskAtKling(
			lookupClient(hook, 1),
			posted,
			kindOrder(suggested, posted),
		).catch(() => undefined);
		return { task: posted, kind: found?.kind };
	}
	const client = lookupClient(hook);
	let found = await findTaskAtKling(client, posted, kindOrder(suggested, posted));
	if (found && isBehind(found.task, posted)) {
		await sleep(LOOKUP_TIMING.catchUpDelayMs);
		found = await findTaskAtKling(client, posted, kindOrder(found.kind).slice(0, 1));
	}
	if (!found) return { refused: refuse(hook, 401, 'Kling does not know this task') };
	if (isBehind(found.task, posted)) {
		return { refused: refuse(hook, 409, 'Kling does not confirm this status yet') };
	}
	return { task: found.task, fromKling: found.task, kind: found.kind };
}

interface VideoToDownload {
	source: KlingTask;
	watermarked: boolean;
}

/** The task whose video is downloaded, when asked for a succeeded task's video. */
async function videoSource(
	hook: IWebhookFunctions,
	{ task, fromKling, kind }: KnownTask,
	options: TriggerOptions,
): Promise<VideoToDownload | undefined> {
	if (!options.downloadVideo || task.status !== 'succeeded') return undefined;
	const watermarked = Boolean(options.watermarked);
	if (!watermarked || fromKling || task.watermarkUrl) return { source: task, watermarked };
	// Callback bodies may leave out watermark_url; Kling's copy of the task has it.
	const found = await findTaskAtKling(lookupClient(hook), task, kindOrder(kind, task));
	return { source: found?.task ?? task, watermarked };
}

/** The run's one item: the task (simplified when asked), its kind, and its video when asked. */
async function startRun(
	hook: IWebhookFunctions,
	task: KlingTask,
	kind: string | undefined,
	video: VideoToDownload | undefined,
): Promise<IWebhookResponseData> {
	const options = hook.getNodeParameter('options', {}) as TriggerOptions;
	const json: IDataObject = options.simplify ? simplifyTask(task) : { ...task.raw };
	json.taskKind = kind ?? 'unknown';
	if (!video) return { workflowData: [[{ json }]] };
	acknowledge(hook);
	let item: INodeExecutionData = { json };
	try {
		const binary = await downloadVideo(hook, video.source, video.watermarked);
		if (binary) item = { ...item, binary: { data: binary } };
	} catch (error) {
		// Kling already has its answer, so the run starts anyway and says what went wrong.
		const message = error instanceof Error ? error.message : String(error);
		json.downloadError = `The video could not be downloaded: ${message}`;
	}
	// After the early answer n8n must not answer again; it still starts the run.
	return { workflowData: [[item]], noWebhookResponse: true };
}

/** The kind of a legacy task its body names: the one product whose tasks carry a parent video. */
function parentVideoKind(posted: KlingTask): ProductId | undefined {
	if (posted.parentVideoId === null) return undefined;
	const kinds = PRODUCT_IDS.filter((product) => PRODUCTS[product].parentVideo);
	return kinds.length === 1 ? kinds[0] : undefined;
}

/**
 * The products to ask Kling about a legacy task: the one its body suggests first, else those
 * whose tasks look like it (with or without a parent video) first.
 */
function kindOrder(suggested: string | undefined, posted?: KlingTask): ProductId[] {
	const first = PRODUCT_IDS.filter((product) =>
		suggested !== undefined
			? product === suggested
			: posted !== undefined && PRODUCTS[product].parentVideo === (posted.parentVideoId !== null),
	);
	return [...first, ...PRODUCT_IDS.filter((product) => !first.includes(product))];
}

function ignore(status: string): IWebhookResponseData {
	// Only known statuses are echoed: the body is the sender's, not something to reflect.
	const named = (TASK_STATUSES as string[]).includes(status) ? `"${status}" ` : '';
	return {
		webhookResponse: {
			received: true,
			ignored: `status ${named}is not one of the selected events`,
		},
	};
}
