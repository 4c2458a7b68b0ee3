import { SimulatorCore } from './core';
import { EXTENDABLE_DAYS, isExtendable } from './models';
import { SimulatorHttpServer } from './server';
import type {
	CallbackDelivery,
	CallbackResponse,
	DeliverCallbackOptions,
	FaultSpec,
	RecordedRequest,
	ResourcePackInfo,
	ResourcePackSpec,
	SeedOptions,
	SimulatedAnyTask,
	SimulatedCurrentOutput,
	SimulatedCurrentTask,
	SimulatedGenerationTask,
	SimulatedTask,
	SimulatedVideoOutput,
	SimulatorOptions,
	TaskKind,
} from './types';

export { DEFAULT_ACCOUNT, DEFAULT_TIMING } from './core';
export { signWebhook, decodeWebhookSecret } from './callbacks';
export { KLING_ERRORS } from './errors';
export { FAILURE_MESSAGE, FAILURE_WORD, HELD_WORD, STUCK_WORD } from './tasks';
export {
	EXTENDABLE_VIDEO_IDS,
	EXTENSION_SECONDS,
	MAX_VIDEO_SECONDS,
	SOURCE_VIDEOS,
} from './videos';
export {
	CURRENT_MODELS,
	CURRENT_MODEL_RULES,
	CURRENT_PRODUCT_LIMITS,
	MOTION_MODELS,
	MOTION_MODEL_RULES,
	MOTION_VIDEO_SECONDS,
	OMNI_LIMITS,
	OMNI_MODELS,
	OMNI_MODEL_RULES,
	motionUnitsFor,
	omniUnitsFor,
	DEFAULT_DISCONTINUED_MODELS,
	DEFAULT_MODEL,
	EXTENDABLE_DAYS,
	EXTENDABLE_MODELS,
	EXTEND_UNSUPPORTED_MESSAGE,
	EXTENSION_UNITS,
	IMAGE2VIDEO_MODELS,
	LEGACY_MODELS,
	RETIRED_MODELS,
	TEXT2VIDEO_MODELS,
	currentUnitsFor,
	discontinuedMessage,
	unitsFor,
} from './models';
export type {
	Audio,
	CurrentModel,
	CurrentModelRules,
	CurrentProduct,
	CurrentProductLimits,
	MotionModel,
	MotionModelRules,
	OmniModel,
	OmniModelRules,
	ProductLimits,
	Resolution,
} from './models';
export { SAMPLE_MEDIA, sampleUrl } from './referenceMedia';
export { SAMPLES_PREFIX } from './samples';
export type { SampleMedia } from './referenceMedia';
export { ELEMENT_TAGS, PRESET_ELEMENTS, PRESET_VOICES } from './resources';
export {
	ELEMENT_UNITS,
	VOICE_CLIP_SECONDS,
	VOICE_UNITS,
	ELEMENT_VIDEO_SECONDS,
} from './resourceApi';
export { AKSK_NOT_SUPPORTED_MESSAGE } from './auth';
export { MAX_SHOTS, MAX_SHOT_WORDS } from './current';
export { MAX_TASK_IDS, TASKS, TASK_IDS_LIMIT_MESSAGE, TASK_LIST_LIMIT } from './taskQueries';
export { defaultResourcePacks } from './packs';
export {
	readImageHeader,
	MAX_CURRENT_IMAGE_BYTES,
	MAX_IMAGE_BYTES,
	MIN_IMAGE_PIXELS,
} from './images';
export type { ImageHeader } from './images';
export {
	ACCOUNT_COSTS,
	COLLECTIONS,
	CURRENT_COLLECTIONS,
	DELETE_ELEMENT_PATHS,
	DELETE_VOICE_PATH,
	PRESET_ELEMENTS_PATH,
	PRESET_VOICES_PATH,
} from './paths';
export type { SourceVideo } from './videos';
export {
	AUDIO_DAYS,
	MAX_SOUND_BYTES,
	MAX_TTS_CHARS,
	SEEDED_AUDIOS,
	TTS_SPEED,
	TTS_UNITS,
	TTS_VOICES,
	VOICE_NOT_FOUND_MESSAGE,
	ttsSeconds,
} from './audio';
export type { SeededAudio, TtsVoice } from './audio';
export {
	FACE_SESSION_HOURS,
	FACE_UNITS,
	FACE_VIDEOS,
	MAX_FACE_VIDEO_SECONDS,
	MIN_FACE_VIDEO_SECONDS,
} from './faces';
export { SAMPLE_VIDEOS } from './samples';
export type { FaceSpan, SampleVideo } from './samples';
export {
	AUDIO_FORMATS,
	makeAac,
	makeMp3,
	makeMp4,
	makeWav,
	readAudioInfo,
	readVideoInfo,
} from './media';
export type { AudioFormat, AudioInfo, VideoFormat, VideoInfo } from './media';
export {
	AVATAR_SOUND,
	AVATAR_UNITS_PER_SECOND,
	IDENTIFY_FACE_PATH,
	LIP_SYNC_SOUND,
	LIP_SYNC_UNITS_PER_5S,
	TALKING_COLLECTIONS,
	TTS_PATH,
	avatarUnits,
	lipSyncUnits,
} from './talking';
export type {
	CallbackDelivery,
	CallbackResponse,
	DeliverCallbackOptions,
	FaultKind,
	FaultSpec,
	RecordedRequest,
	ResourcePackInfo,
	ResourcePackSpec,
	ResourcePackStatus,
	ResourcePackType,
	SeedOptions,
	SimulatedAnyTask,
	SimulatedCurrentOutput,
	SimulatedCurrentTask,
	SimulatedElement,
	SimulatedElementOutput,
	SimulatedGenerationTask,
	SimulatedResourceTask,
	SimulatedResultVideo,
	SimulatedVideoOutput,
	SimulatedVoice,
	SimulatedVoiceOutput,
	SimulatedTask,
	SimulatedVideo,
	SimulatorAccount,
	SimulatorOptions,
	SucceedStatus,
	TaskKind,
	TalkingTaskKind,
	CurrentTaskKind,
	CurrentTaskStatus,
	LegacyTaskKind,
	TaskStatus,
	Timing,
} from './types';

/** A video the simulator serves, and the model that made it (V1.x ones can be extended). */
export interface SimulatorVideoInfo {
	id: string;
	/** Seconds. */
	duration: number;
	model: string;
	/** One of SOURCE_VIDEOS rather than a task's result. */
	source: boolean;
	/** Epoch ms at which it was made. */
	createdAt: number;
	/** Whether video-extend takes it: a V1.x video of the last 30 days (its length aside). */
	extendable: boolean;
}

/**
 * A local imitation of Kling's video API over real HTTP, both generations, for tests, benchmarks and demos.
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
	 * The video-extend task as GET would return it as data (a snapshot), by task_id or
	 * external_task_id; undefined for other kinds (see getGenerationTask, getCurrentTask). With an
	 * account (access key or API key), only that account's tasks are searched.
	 */
	getTask(idOrExternalId: string, account?: string): SimulatedTask | undefined {
		return this.taskOfKind(idOrExternalId, account, ['video-extend']) as SimulatedTask | undefined;
	}

	/** Like getTask, for text2video and image2video tasks (which carry no parent video). */
	getGenerationTask(idOrExternalId: string, account?: string): SimulatedGenerationTask | undefined {
		return this.taskOfKind(idOrExternalId, account, ['text2video', 'image2video']) as
			| SimulatedGenerationTask
			| undefined;
	}

	/** Like getTask, for avatar and advanced-lip-sync tasks (lip-sync ones carry a parent video). */
	getTalkingTask(idOrExternalId: string, account?: string): SimulatedTask | undefined {
		return this.taskOfKind(idOrExternalId, account, ['avatar', 'advanced-lip-sync']) as
			| SimulatedTask
			| undefined;
	}

	/** A text to speech audio (or a seeded one): its length in seconds and when it was made. */
	getAudio(id: string): { id: string; seconds: number; createdAt: number } | undefined {
		const audio = this.core.audios.get(id);
		return audio && { id, seconds: audio.seconds, createdAt: audio.createdAt };
	}

	/**
	 * Any task (both generations) as the current generation's /tasks shows it: id, status
	 * ('succeeded'), message, create_time, update_time, external_id, outputs, billing. Outputs are
	 * typed as videos; for element and voice tasks ask for SimulatedCurrentOutput (or the type).
	 */
	getCurrentTask<Output extends SimulatedCurrentOutput = SimulatedVideoOutput>(
		idOrExternalId: string,
		account?: string,
	): SimulatedCurrentTask<Output> | undefined {
		const record = this.core.findTask(idOrExternalId, account);
		// Only the caller knows which kind of task it asked for.
		return record && (this.core.tasks.currentView(record) as SimulatedCurrentTask<Output>);
	}

	/**
	 * Which collection a task belongs to: 'video-extend', 'text2video', 'image2video', 'avatar',
	 * 'advanced-lip-sync' (legacy) or 'text-to-video', 'image-to-video' (current generation).
	 */
	getTaskKind(idOrExternalId: string, account?: string): TaskKind | undefined {
		return this.core.findTask(idOrExternalId, account)?.kind;
	}

	/** A served video (source or result) with its model and duration. */
	getVideo(id: string): SimulatorVideoInfo | undefined {
		const video = this.core.videos.get(id);
		if (!video) return undefined;
		const { duration, model, source, createdAt } = video;
		const fresh = Date.now() - createdAt <= EXTENDABLE_DAYS * 24 * 60 * 60 * 1000;
		return { id, duration, model, source, createdAt, extendable: isExtendable(model) && fresh };
	}

	/** The account's resource packs (default the first account), as GET /account/costs lists them. */
	getResourcePacks(account?: string): ResourcePackInfo[] {
		return this.core.resourcePacks(account);
	}

	/**
	 * Replaces an account's resource packs (default the first account) until reset(), which gives
	 * back the constructor's `resourcePacks`. Throws a TypeError naming a bad field.
	 */
	setResourcePacks(packs: ResourcePackSpec[], account?: string): void {
		this.core.setResourcePacks(packs, account);
	}

	/**
	 * Fast bulk creation without timers, callbacks or units; default 'succeed' extensions of
	 * sim-video-5s, or with `kind` text2video/image2video tasks making 5 s `model` videos.
	 */
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

	/**
	 * Forgets tasks and their result videos, requests, callbacks and faults, and gives every account
	 * its starting resource packs back; source videos stay.
	 */
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

	private taskOfKind(
		id: string,
		account: string | undefined,
		kinds: readonly TaskKind[],
	): SimulatedAnyTask | undefined {
		const record = this.core.findTask(id, account);
		return record && kinds.includes(record.kind) ? this.core.tasks.view(record) : undefined;
	}
}

function urlHost(host: string): string {
	// A wildcard address is not somewhere a client can connect to.
	if (host === '0.0.0.0' || host === '') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}
