import type { IncomingHttpHeaders } from 'http';

import { AudioLibrary } from './audio';
import { CallbackSender, decodeWebhookSecret } from './callbacks';
import { KlingError } from './errors';
import { FACE_VIDEOS, FaceSessions } from './faces';
import { FaultRegistry } from './faults';
import { DEFAULT_DISCONTINUED_MODELS } from './models';
import { ResourcePackLedger, defaultResourcePacks } from './packs';
import { ResourceLibrary } from './resources';
import type { CreateLookups } from './resources';
import { TaskStore, isCurrentKind } from './tasks';
import type { TaskRecord } from './tasks';
import { DEFAULT_VIDEO_BYTES, VideoLibrary } from './videos';
import type {
	RecordedRequest,
	ResourcePackInfo,
	ResourcePackSpec,
	SeedOptions,
	SimulatedAnyTask,
	SimulatorAccount,
	SimulatorOptions,
	SucceedStatus,
	Timing,
} from './types';

export const DEFAULT_ACCOUNT = {
	accessKey: 'sim-access-key',
	secretKey: 'sim-secret-key',
	apiKey: 'sim-api-key',
} as const;

export const DEFAULT_TIMING: Readonly<Timing> = Object.freeze({
	submittedMs: 200,
	processingMs: 800,
});
const MAX_RECORDED_REQUESTS = 200_000;
const CALLBACK_TIMEOUT_MS = 10_000;

export interface ResolvedOptions {
	readonly port: number;
	readonly host: string;
	readonly webhookSecrets: readonly string[];
	readonly timing: Timing | 'manual';
	readonly publicUrl: string | undefined;
	readonly videoBytes: number;
	readonly maxConcurrentTasks: number;
	readonly recordRequests: boolean;
	readonly log: (line: string) => void;
	readonly discontinuedModels: readonly string[];
	readonly accountCostsIntervalMs: number;
	readonly succeedStatus: SucceedStatus;
}

/** All simulator state, shared by the HTTP front and the programmatic API. */
export class SimulatorCore {
	readonly options: ResolvedOptions;
	readonly accounts: readonly SimulatorAccount[];
	readonly videos = new VideoLibrary(FACE_VIDEOS);
	/** Text to speech audios and identify-face sessions (talking.ts). */
	readonly audios = new AudioLibrary();
	readonly faceSessions = new FaceSessions();
	/** Custom elements and voices (presets are constants). */
	readonly resources = new ResourceLibrary();
	readonly tasks: TaskStore;
	readonly callbacks: CallbackSender;
	readonly faults = new FaultRegistry();
	readonly packs: ResourcePackLedger;
	readonly requests: RecordedRequest[] = [];
	/** Per account, when GET /account/costs last answered. */
	private readonly costsAnsweredAt = new Map<string, number>();
	/** Set once the server listens. */
	serverUrl = '';

	constructor(options: SimulatorOptions = {}) {
		this.options = resolveOptions(options);
		this.accounts = resolveAccounts(options.accounts);
		const initialPacks = options.resourcePacks?.map((pack) => ({ ...pack }));
		this.packs = new ResourcePackLedger(() => initialPacks ?? defaultResourcePacks());
		// Refuse bad packs at construction rather than on the first task.
		if (initialPacks) this.packs.set(this.accounts[0].accessKey, initialPacks);
		this.callbacks = new CallbackSender({
			secrets: this.options.webhookSecrets,
			timeoutMs: CALLBACK_TIMEOUT_MS,
			log: this.options.log,
		});
		this.tasks = new TaskStore({
			videos: this.videos,
			timing: this.options.timing,
			baseUrl: () => this.baseUrl(),
			succeedStatus: this.options.succeedStatus,
			notify: (record) =>
				// The body is serialised now: it must show the status of this change, not a later one.
				this.callbacks.enqueue(
					record.id,
					record.callbackUrl ?? '',
					JSON.stringify(this.tasks.view(record)),
				),
		});
	}

	baseUrl(): string {
		return this.options.publicUrl ?? this.serverUrl;
	}

	/** What a create request of `account` may look up: elements, voices, known media. */
	lookups(account: string): CreateLookups {
		return {
			element: (id) => this.resources.usableElement(account, id),
			voice: (id) => this.resources.usableVoice(account, id),
			media: {
				bases: [this.serverUrl, this.options.publicUrl ?? ''],
				videoSeconds: (id) => this.videos.get(id)?.duration,
			},
		};
	}

	/** Maps an access key or API key to the access key that owns tasks. */
	accountKey(key: string | undefined): string | undefined {
		if (key === undefined) return this.accounts[0].accessKey;
		return this.accounts.find(
			(a) => a.accessKey === key || (a.apiKey !== undefined && a.apiKey === key),
		)?.accessKey;
	}

	recordRequest(
		method: string,
		path: string,
		query: URLSearchParams,
		headers: IncomingHttpHeaders,
	): RecordedRequest {
		const record: RecordedRequest = {
			method,
			path,
			query: firstValues(query),
			headers: { ...headers },
			body: '',
			at: Date.now(),
		};
		if (this.options.recordRequests) {
			this.requests.push(record);
			if (this.requests.length > MAX_RECORDED_REQUESTS) this.requests.shift();
		}
		return record;
	}

	findTask(idOrExternalId: string, account?: string): TaskRecord | undefined {
		if (account === undefined) return this.tasks.findAnywhere(idOrExternalId);
		const key = this.accountKey(account);
		return key === undefined ? undefined : this.tasks.find(key, idOrExternalId);
	}

	getTask(idOrExternalId: string, account?: string): SimulatedAnyTask | undefined {
		const record = this.findTask(idOrExternalId, account);
		return record && this.tasks.view(record);
	}

	/** Access key of a known account, else an Error naming the unknown one. */
	knownAccount(account: string | undefined, what: string): string {
		const key = this.accountKey(account);
		if (key === undefined) throw new Error(`${what}: unknown account '${account}'`);
		return key;
	}

	resourcePacks(account?: string): ResourcePackInfo[] {
		return this.packs.list(this.knownAccount(account, 'resourcePacks'));
	}

	setResourcePacks(packs: readonly ResourcePackSpec[], account?: string): void {
		if (!Array.isArray(packs)) throw new TypeError('setResourcePacks: packs must be a list');
		this.packs.set(this.knownAccount(account, 'setResourcePacks'), packs);
	}

	/** Kling allows GET /account/costs once per second per account; 1302 otherwise. */
	limitAccountCosts(account: string): void {
		const now = Date.now();
		const last = this.costsAnsweredAt.get(account);
		if (last !== undefined && now - last < this.options.accountCostsIntervalMs) {
			throw new KlingError(
				1302,
				'request rate over limit: /account/costs allows 1 request per second',
			);
		}
		this.costsAnsweredAt.set(account, now);
	}

	seedTasks(count: number, options: SeedOptions = {}): void {
		if (!Number.isInteger(count) || count < 0) {
			throw new RangeError(`seedTasks: count must be a non-negative integer, got ${count}`);
		}
		const account = this.knownAccount(options.account, 'seedTasks');
		const status = options.status ?? 'succeed';
		const kind = options.kind ?? 'video-extend';
		if (kind === 'element' || kind === 'voice') {
			throw new Error(`seedTasks: ${kind} tasks cannot be seeded (create them through the API)`);
		}
		if (isCurrentKind(kind)) {
			const fallback =
				kind === 'omni-video'
					? 'kling-3.0-omni'
					: kind === 'motion-control'
						? 'kling-3.0'
						: 'kling-3.0-turbo';
			const output = { duration: 5.041, model: options.model ?? fallback };
			this.tasks.seed(count, account, status, { kind, output });
			return;
		}
		if (kind !== 'video-extend') {
			const output = { duration: 5, model: options.model ?? 'kling-v1-6' };
			this.tasks.seed(count, account, status, { kind, output });
			return;
		}
		const parentId = options.parentVideoId ?? 'sim-video-5s';
		const parent = this.videos.get(parentId);
		if (!parent) throw new Error(`seedTasks: unknown video '${parentId}'`);
		this.tasks.seed(count, account, status, { kind, parent });
	}

	advance(taskId: string): Promise<void> {
		const record = this.tasks.findAnywhere(taskId);
		if (!record) return Promise.reject(new Error(`advance: unknown task '${taskId}'`));
		return this.tasks.advance(record);
	}

	reset(): void {
		this.tasks.clear();
		this.videos.forgetGenerated();
		this.audios.forgetGenerated();
		this.faceSessions.clear();
		this.resources.clear();
		this.requests.length = 0;
		this.callbacks.reset();
		this.faults.clear();
		this.packs.clear();
		this.costsAnsweredAt.clear();
	}

	close(): void {
		this.tasks.stopTimers();
		this.callbacks.close();
	}
}

function resolveOptions(options: SimulatorOptions): ResolvedOptions {
	const webhookSecrets = [...(options.webhookSecrets ?? [])];
	// Fail at construction rather than on the first callback.
	webhookSecrets.forEach(decodeWebhookSecret);
	const timing = options.timing ?? DEFAULT_TIMING;
	if (timing !== 'manual') {
		for (const value of [timing.submittedMs, timing.processingMs]) {
			if (!Number.isFinite(value) || value < 0) {
				throw new RangeError('timing: submittedMs and processingMs must be numbers >= 0');
			}
		}
	}
	const accountCostsIntervalMs = options.accountCostsIntervalMs ?? 1000;
	if (!Number.isFinite(accountCostsIntervalMs) || accountCostsIntervalMs < 0) {
		throw new RangeError('accountCostsIntervalMs must be a number >= 0');
	}
	const videoBytes = options.videoBytes ?? DEFAULT_VIDEO_BYTES;
	if (!Number.isSafeInteger(videoBytes) || videoBytes < 0) {
		throw new RangeError('videoBytes must be a non-negative integer');
	}
	return {
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
		webhookSecrets,
		timing: timing === 'manual' ? 'manual' : { ...timing },
		publicUrl: options.publicUrl?.replace(/\/+$/, ''),
		videoBytes,
		maxConcurrentTasks: options.maxConcurrentTasks ?? Infinity,
		recordRequests: options.recordRequests ?? true,
		log: options.log ?? (() => undefined),
		discontinuedModels: [...(options.discontinuedModels ?? DEFAULT_DISCONTINUED_MODELS)],
		accountCostsIntervalMs,
		succeedStatus: succeedStatus(options.succeedStatus),
	};
}

function succeedStatus(value: SucceedStatus | undefined): SucceedStatus {
	if (value !== undefined && value !== 'succeed' && value !== 'succeeded') {
		throw new RangeError("succeedStatus must be 'succeed' or 'succeeded'");
	}
	return value ?? 'succeed';
}

function resolveAccounts(accounts: SimulatorAccount[] | undefined): SimulatorAccount[] {
	const list = (accounts ?? [DEFAULT_ACCOUNT]).map((a) => ({ ...a }));
	if (list.length === 0) throw new Error('accounts: at least one account is needed');
	const keys = new Set(list.map((a) => a.accessKey));
	if (keys.size !== list.length) throw new Error('accounts: access keys must be unique');
	return list;
}

function firstValues(query: URLSearchParams): Record<string, string> {
	const seen = new Map<string, string>();
	for (const [key, value] of query) {
		if (!seen.has(key)) seen.set(key, value);
	}
	// fromEntries defines own properties, so even a '__proto__' parameter stays plain data.
	return Object.fromEntries(seen);
}
