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
import type { TaskKind } from '../shared/kling/taskKinds';

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

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const rawBody = rawBodyOf(this);
		if (rawBody === undefined) return refuse(this, 400, 'the body is not JSON');
		if (rawBody.length > MAX_BODY_BYTES) return refuse(this, 413, 'the body is larger than 1 MB');

		let verified = false;
		if (this.getNodeParameter('tokenCheck', false) as boolean) {
			const problem = tokenProblem(this, String(this.getNodeParameter('token', '')));
			if (problem) return refuse(this, 401, problem);
			verified = true;
		}
		const credentials = await this.getCredentials('klingApi');
		const verdict = signatureVerdict(this, credentials, rawBody);
		if (verdict && !verdict.valid) return refuse(this, 401, verdict.reason);
		if (verdict) verified = true;

		const parsed = parseCallback(rawBody);
		if (!parsed.ok) return refuse(this, 400, parsed.reason);
		const posted = parsed.task;
		const events = selectedEvents(this);
		if (!events.includes(posted.status)) return ignore(posted.status);

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const wantsVideo = Boolean(options.downloadVideo);
		// An unverified body may name any URL: n8n must not fetch one on a stranger's word.
		const confirm =
			(this.getNodeParameter('confirmWithKling', false) as boolean) ||
			(wantsVideo && posted.status === 'succeeded' && !verified);

		let task = posted;
		let fromKling: KlingTask | undefined;
		// Only legacy video-extend tasks carry a parent video; a current task names no kind.
		let kind: string | undefined =
			posted.generation === 'current'
				? 'video'
				: posted.parentVideoId !== null
					? 'videoExtend'
					: undefined;
		const client = lookupClient(this);
		if (confirm) {
			const order = kindOrder(kind);
			let found = await findTaskAtKling(client, posted, order);
			if (found && isBehind(found.task, posted)) {
				await sleep(LOOKUP_TIMING.catchUpDelayMs);
				found = await findTaskAtKling(client, posted, [found.kind as TaskKind]);
			}
			fromKling = found?.task;
			if (!found || !fromKling) return refuse(this, 401, 'Kling does not know this task');
			// Kling's answer decides; a callback it does not bear out may be forged, or early.
			if (isBehind(fromKling, posted)) {
				return refuse(this, 409, 'Kling does not confirm this status yet');
			}
			task = fromKling;
			kind = found.kind;
			if (!events.includes(task.status)) return ignore(task.status);
		} else if (kind === undefined) {
			// Only to name the kind: the posted body is passed on, as without the lookup.
			const found = await findTaskAtKling(lookupClient(this, 1), posted, kindOrder(kind)).catch(
				() => undefined,
			);
			kind = found?.kind;
		}

		const download = wantsVideo && task.status === 'succeeded';
		const watermarked = Boolean(options.watermarked);
		let source = task;
		if (download && watermarked && !fromKling && !task.watermarkUrl) {
			// Callback bodies may leave out watermark_url; Kling's copy of the task has it.
			const found = await findTaskAtKling(client, task, kindOrder(kind));
			source = found?.task ?? task;
		}

		// Nothing after this point throws, so a callback remembered here always starts its run.
		const scope = memoryScope(this.getWorkflow().id, this.getNode().id);
		const webhookId = verdict?.valid ? webhookIdOf(this) : undefined;
		if (seenBefore(scope, duplicateKey(task, webhookId))) {
			return { webhookResponse: { received: true, ignored: 'duplicate callback' } };
		}

		const taskKind = kind ?? 'unknown';
		const json: IDataObject = options.simplify ? simplifyTask(task) : { ...task.raw };
		json.taskKind = taskKind;
		let item: INodeExecutionData = { json };
		if (download) {
			acknowledge(this);
			try {
				const binary = await downloadVideo(this, source, watermarked);
				if (binary) item = { ...item, binary: { data: binary } };
			} catch (error) {
				// Kling already has its answer, so the run starts anyway and says what went wrong.
				const message = error instanceof Error ? error.message : String(error);
				json.downloadError = `The video could not be downloaded: ${message}`;
			}
		}
		// After the early answer n8n must not answer again; it still starts the run.
		return { workflowData: [[item]], ...(download ? { noWebhookResponse: true } : {}) };
	}
}

/** The legacy endpoints to ask for a task, the kind its body suggests first. */
function kindOrder(suggested: string | undefined): TaskKind[] {
	const kinds: TaskKind[] = ['textToVideo', 'imageToVideo', 'videoExtend'];
	const first = kinds.find((kind) => kind === suggested);
	return first ? [first, ...kinds.filter((kind) => kind !== first)] : kinds;
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
