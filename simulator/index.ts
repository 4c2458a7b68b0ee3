import { SimulatorCore } from './core';
import { SimulatorHttpServer } from './server';
import type {
	CallbackDelivery,
	CallbackResponse,
	DeliverCallbackOptions,
	FaultSpec,
	RecordedRequest,
	SeedOptions,
	SimulatedTask,
	SimulatorOptions,
} from './types';

export { DEFAULT_ACCOUNT, DEFAULT_TIMING } from './core';
export { signWebhook, decodeWebhookSecret } from './callbacks';
export { KLING_ERRORS } from './errors';
export { FAILURE_MESSAGE, FAILURE_WORD, STUCK_WORD } from './tasks';
export { EXTENSION_SECONDS, MAX_VIDEO_SECONDS, SOURCE_VIDEOS } from './videos';
export type { SourceVideo } from './videos';
export type {
	CallbackDelivery,
	CallbackResponse,
	DeliverCallbackOptions,
	FaultKind,
	FaultSpec,
	RecordedRequest,
	SeedOptions,
	SimulatedResultVideo,
	SimulatedTask,
	SimulatedVideo,
	SimulatorAccount,
	SimulatorOptions,
	TaskStatus,
	Timing,
} from './types';

/**
 * A local imitation of Kling's video-extend API over real HTTP, for tests, benchmarks and demos.
 * See simulator/README.md.
 */
export class KlingSimulator {
	private readonly core: SimulatorCore;
	private readonly http: SimulatorHttpServer;
	private starting: Promise<string> | undefined;
	private stopping: Promise<void> | undefined;

	constructor(options: SimulatorOptions = {}) {
		this.core = new SimulatorCore(options);
		this.http = new SimulatorHttpServer(this.core);
	}

	/** Listens and resolves the base URL, e.g. http://127.0.0.1:43123. Calling it again is harmless. */
	start(): Promise<string> {
		if (this.stopping) return Promise.reject(new Error('KlingSimulator: already stopped'));
		this.starting ??= this.http
			.listen(this.core.options.port, this.core.options.host)
			.then(({ port }) => {
				this.core.serverUrl = `http://${urlHost(this.core.options.host)}:${port}`;
				return this.core.serverUrl;
			});
		return this.starting;
	}

	/** Closes the server, every socket, pending timers and callback deliveries. Idempotent. */
	stop(): Promise<void> {
		this.stopping ??= (async () => {
			// Let a start() under way finish so its listening socket is closed too.
			await this.starting?.catch(() => undefined);
			this.core.close();
			await this.http.close();
		})();
		return this.stopping;
	}

	/** Base URL; '' before start(). */
	get url(): string {
		return this.core.serverUrl;
	}

	/** Every request received (API, videos and /__sim/ admin), oldest first; at most the last 200,000. */
	get requests(): RecordedRequest[] {
		return this.core.requests;
	}

	clearRequests(): void {
		this.core.requests.length = 0;
	}

	/** Every callback POST attempted, recorded when it ended. */
	get callbacks(): CallbackDelivery[] {
		return this.core.callbacks.deliveries;
	}

	/**
	 * The task as GET would return it as data (a snapshot), by task_id or external_task_id. With an
	 * account (access key or API key), only that account's tasks are searched.
	 */
	getTask(idOrExternalId: string, account?: string): SimulatedTask | undefined {
		return this.core.getTask(idOrExternalId, account);
	}

	/** Fast bulk creation without timers or callbacks; default 'succeed' extensions of sim-video-5s. */
	seedTasks(count: number, options?: SeedOptions): void {
		this.core.seedTasks(count, options);
	}

	/**
	 * Moves a task to its next status now and resolves once its callback (if any) was delivered.
	 * Finished tasks, and stuck ones already processing, stay unchanged. Rejects for unknown ids.
	 */
	advance(taskId: string): Promise<void> {
		return this.core.advance(taskId);
	}

	injectFaults(fault: FaultSpec): void {
		this.core.faults.add(fault);
	}

	clearFaults(): void {
		this.core.faults.clear();
	}

	/** Forgets tasks and their result videos, requests, callbacks and faults; source videos stay. */
	reset(): void {
		this.core.reset();
	}

	/**
	 * Sends one callback as Kling would. A string body is sent as is, anything else as JSON. Signed
	 * with `secrets` when given, else with the configured webhook secrets ([] sends it unsigned).
	 */
	deliverCallback(
		url: string,
		body: unknown,
		options?: DeliverCallbackOptions,
	): Promise<CallbackResponse> {
		const raw = typeof body === 'string' ? body : JSON.stringify(body);
		return this.core.callbacks.send(url, raw, options);
	}
}

function urlHost(host: string): string {
	// A wildcard address is not somewhere a client can connect to.
	if (host === '0.0.0.0' || host === '') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}
