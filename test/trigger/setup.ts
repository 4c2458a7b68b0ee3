import { WebhookHarness } from '../harness/webhookHarness';

import axios, { type AxiosResponse } from 'axios';
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { signKlingJwt } from '../../credentials/KlingApi.credentials';
import {
	DEFAULT_ACCOUNT,
	KlingSimulator,
	type CallbackResponse,
	type DeliverCallbackOptions,
	type SimulatedTask,
	type SimulatorOptions,
} from '../../simulator';
import { accessKeyCredentials, secretsSeen } from '../harness/kling';

export const TASKS_PATH = '/v1/videos/video-extend';
/** A callback URL nobody listens on: for tasks whose callbacks the test posts by hand. */
export const NOWHERE = 'http://127.0.0.1:9/nowhere';

function whsec(text: string): string {
	return `whsec_${Buffer.from(text).toString('base64')}`;
}

export const SECRET = whsec('kling trigger test secret, new!!');
export const OLD_SECRET = whsec('kling trigger test secret, old!!');
export const OTHER_SECRET = whsec('somebody else entirely, not ours');
export const TOKEN = 'tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

export interface TriggerBedOptions {
	simulator?: SimulatorOptions;
	parameters?: INodeParameters;
	/** Fields of the Kling API credential on top of the simulator's access keys. */
	credentials?: ICredentialDataDecryptedObject;
}

export interface PostOptions {
	query?: string;
	headers?: Record<string, string>;
	contentType?: string | null;
	url?: string;
}

/**
 * One simulator and one Kling Trigger behind the webhook harness, for a test file. Tests
 * change `harness.parameters` and `harness.credentials` between cases.
 */
export class TriggerBed {
	readonly sim: KlingSimulator;
	readonly harness: WebhookHarness;
	private readonly credentialOverrides: ICredentialDataDecryptedObject;

	constructor(options: TriggerBedOptions = {}) {
		this.sim = new KlingSimulator({ timing: 'manual', ...options.simulator });
		this.harness = new WebhookHarness({ parameters: options.parameters });
		this.credentialOverrides = options.credentials ?? {};
	}

	async start(): Promise<void> {
		const simUrl = await this.sim.start();
		await this.harness.start();
		this.harness.credentials = accessKeyCredentials(simUrl, this.credentialOverrides);
	}

	async stop(): Promise<void> {
		await this.harness.stop();
		await this.sim.stop();
	}

	/** Fresh state between tests; the node's duplicate memory is reset as on activation. */
	async reset(parameters: INodeParameters = {}, credentials: ICredentialDataDecryptedObject = {}) {
		this.sim.reset();
		this.harness.reset();
		this.harness.parameters = parameters;
		this.harness.credentials = accessKeyCredentials(this.sim.url, {
			...this.credentialOverrides,
			...credentials,
		});
		await this.harness.activate();
	}

	url(query = ''): string {
		return `${this.harness.productionUrl}${query}`;
	}

	/** Creates a task at the simulator through its API, with the trigger as callback URL. */
	async createTask(
		fields: {
			prompt?: string;
			watermark?: boolean;
			videoId?: string;
			callbackUrl?: string;
			externalTaskId?: string;
		} = {},
	): Promise<string> {
		return await this.createTaskAt(TASKS_PATH, {
			video_id: fields.videoId ?? 'sim-video-5s',
			prompt: fields.prompt,
			watermark_info: fields.watermark ? { enabled: true } : undefined,
			callback_url: fields.callbackUrl ?? this.url(),
			external_task_id: fields.externalTaskId,
		});
	}

	/** Creates a task of any kind (its endpoint and body) at the simulator through its API. */
	async createTaskAt(path: string, body: object): Promise<string> {
		const response = await axios.post(`${this.sim.url}${path}`, body, {
			headers: {
				Authorization: `Bearer ${signKlingJwt(DEFAULT_ACCOUNT.accessKey, DEFAULT_ACCOUNT.secretKey)}`,
			},
		});
		const taskId = String(response.data.data.task_id);
		// Kling posts "submitted" at creation; wait until it was delivered and handled.
		await waitFor(() => this.sim.callbacks.some((delivery) => delivery.body.includes(taskId)));
		await this.harness.settled();
		return taskId;
	}

	/** Moves a task through its life, each step's callback delivered before the next. */
	async finish(taskId: string): Promise<void> {
		await this.sim.advance(taskId);
		await this.sim.advance(taskId);
		await this.harness.settled();
	}

	task(taskId: string): SimulatedTask {
		const task = this.sim.getTask(taskId);
		if (!task) throw new Error(`no task ${taskId}`);
		return task;
	}

	/**
	 * Creates a task of Kling's current generation at the simulator through its API (API key),
	 * with the trigger as `options.callback_url`.
	 */
	async createCurrentTask(fields: { prompt?: string; callbackUrl?: string } = {}): Promise<string> {
		const response = await axios.post(
			`${this.sim.url}/text-to-video/kling-3.0-turbo`,
			{
				prompt: fields.prompt ?? 'A fox',
				settings: { duration: 5 },
				options: { callback_url: fields.callbackUrl ?? this.url() },
			},
			{ headers: { Authorization: `Bearer ${DEFAULT_ACCOUNT.apiKey}` } },
		);
		const taskId = String(response.data.data.id);
		await waitFor(() => this.sim.callbacks.some((delivery) => delivery.body.includes(taskId)));
		await this.harness.settled();
		return taskId;
	}

	/** Sends a callback the way the simulator sends Kling's, signed unless told otherwise. */
	async deliver(
		body: unknown,
		options: DeliverCallbackOptions & { query?: string } = {},
	): Promise<CallbackResponse & { json: Record<string, unknown> }> {
		const { query, ...deliverOptions } = options;
		const response = await this.sim.deliverCallback(this.url(query), body, deliverOptions);
		await this.harness.settled();
		let json: Record<string, unknown> = {};
		try {
			json = JSON.parse(response.body) as Record<string, unknown>;
		} catch {
			// Left empty: the caller looks at the status.
		}
		return { ...response, json };
	}

	/** Sends a hand-made request: any bytes, any headers. */
	async post(body: string | Buffer, options: PostOptions = {}): Promise<AxiosResponse> {
		const headers: Record<string, string> = { ...options.headers };
		if (options.contentType !== null) {
			headers['content-type'] = options.contentType ?? 'application/json; charset=utf-8';
		}
		const response = await axios.post(options.url ?? this.url(options.query), body, {
			headers,
			transformRequest: [(data: unknown) => data],
			validateStatus: () => true,
			maxBodyLength: Infinity,
		});
		await this.harness.settled();
		return response;
	}

	/** Every secret the test set or that crossed the wire, for the no-leak checks. */
	secrets(extra: string[] = []): string[] {
		return [...secretsSeen(this.sim, this.harness.credentials), TOKEN, ...extra];
	}
}

export async function waitFor(probe: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!probe()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

export function callbackBody(task: SimulatedTask, changes: Partial<SimulatedTask> = {}): string {
	return JSON.stringify({ ...task, ...changes });
}

export function expectStarted(bed: TriggerBed, count: number): void {
	expect(bed.harness.runs).toHaveLength(count);
}
