import type { IncomingHttpHeaders } from 'http';

export type TaskStatus = 'submitted' | 'processing' | 'succeed' | 'failed';

/** Kling's legacy /v1 API spells success 'succeed'; its newer API generation 'succeeded'. */
export type SucceedStatus = 'succeed' | 'succeeded';

/** The legacy /v1 task collections; a task is listed and looked up only under its own path. */
export type LegacyTaskKind = 'video-extend' | 'text2video' | 'image2video' | 'element' | 'voice';

/** Tasks of the current API generation (model in the path), read through /tasks. */
export type CurrentTaskKind = 'text-to-video' | 'image-to-video' | 'omni-video' | 'motion-control';

/** Legacy /v1 talking-video tasks (Avatar, Lip-Sync); see talking.ts. */
export type TalkingTaskKind = 'avatar' | 'advanced-lip-sync';

export type TaskKind = LegacyTaskKind | CurrentTaskKind | TalkingTaskKind;

/** Status words of the current API generation. */
export type CurrentTaskStatus = 'submitted' | 'processing' | 'succeeded' | 'failed';

export interface SimulatorAccount {
	accessKey: string;
	secretKey: string;
	apiKey?: string;
}

export interface Timing {
	submittedMs: number;
	processingMs: number;
}

export interface SimulatorOptions {
	/** Default 0: the system picks a free port. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** Default [DEFAULT_ACCOUNT]. */
	accounts?: SimulatorAccount[];
	/** 'whsec_…' secrets; when set, callbacks carry Standard Webhooks headers (one v1 signature each). */
	webhookSecrets?: string[];
	/** Time spent in each status; 'manual' means only advance() moves tasks. */
	timing?: Timing | 'manual';
	/** Base of result video URLs; default the server's own URL. */
	publicUrl?: string;
	/** Size of each served mp4; default 64 KiB. */
	videoBytes?: number;
	/** Per account, tasks in submitted/processing; above it create answers 1303. Default unlimited. */
	maxConcurrentTasks?: number;
	/** Default true; keeps at most the last 200,000. */
	recordRequests?: boolean;
	/** Default: silent. */
	log?: (line: string) => void;
	/**
	 * Legacy model_names that answer HTTP 404 code 1203 "The model '…' has been discontinued and is
	 * no longer available." Default RETIRED_MODELS (today's Kling); [] accepts every listed model.
	 */
	discontinuedModels?: string[];
	/**
	 * The resource packs every account starts with (and gets back on reset()). Default: one online
	 * video pack of 1,000,000 units and one expired pack (see DEFAULT_RESOURCE_PACKS).
	 */
	resourcePacks?: ResourcePackSpec[];
	/**
	 * How task answers and callbacks spell a successful task's status: 'succeed' (default, the
	 * legacy /v1 API) or 'succeeded' (Kling's newer API generation), to test readers of both.
	 */
	succeedStatus?: SucceedStatus;
	/** Minimum time between two GET /account/costs of one account (else 1302). Default 1000; 0 = no limit. */
	accountCostsIntervalMs?: number;
}

export type ResourcePackType = 'decreasing_total' | 'constant_period';
export type ResourcePackStatus = 'toBeOnline' | 'online' | 'expired' | 'runOut';

/** One entry of `resource_pack_subscribe_infos`, as GET /account/costs answers it. */
export interface ResourcePackInfo {
	resource_pack_name: string;
	resource_pack_id: string;
	resource_pack_type: ResourcePackType;
	total_quantity: number;
	remaining_quantity: number;
	/** Epoch ms. */
	purchase_time: number;
	effective_time: number;
	invalid_time: number;
	status: ResourcePackStatus;
}

/**
 * A pack to start with. Times default to "bought a day ago, valid for a year"; remaining_quantity
 * defaults to total_quantity. The status is always derived from the times and the remaining units.
 */
export type ResourcePackSpec = Pick<ResourcePackInfo, 'resource_pack_name' | 'total_quantity'> &
	Partial<Omit<ResourcePackInfo, 'status'>>;

export interface RecordedRequest {
	method: string;
	/** Path without the query string, still URL-encoded. */
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	/** Epoch ms at which the request arrived. */
	at: number;
}

export interface CallbackDelivery {
	url: string;
	/** The raw body sent. */
	body: string;
	headers: Record<string, string>;
	/** HTTP status of the receiver's answer, when it answered. */
	status?: number;
	/** Set when the delivery failed: network error, timeout or a non-2xx answer. */
	error?: string;
	/** Epoch ms at which the delivery started. */
	at: number;
}

export interface SimulatedVideo {
	id: string;
	url: string;
	duration: string;
}

export interface SimulatedResultVideo extends SimulatedVideo {
	watermark_url: string;
}

/** A full video-extend task as Kling returns it from GET, in lists and in callbacks. */
export interface SimulatedTask {
	task_id: string;
	/** 'succeeded' instead of 'succeed' with the succeedStatus option. */
	task_status: TaskStatus | 'succeeded';
	task_status_msg: string;
	task_info: {
		parent_video: SimulatedVideo;
		external_task_id: string;
	};
	task_result: {
		videos: SimulatedResultVideo[];
	};
	watermark_info: { enabled: boolean };
	final_unit_deduction: string;
	created_at: number;
	updated_at: number;
}

/** A text2video or image2video task: the same shape without a parent video. */
export interface SimulatedGenerationTask extends Omit<SimulatedTask, 'task_info'> {
	task_info: { external_task_id: string };
}

/** A video output of a current task. watermark_url only when a watermark was asked for. */
export interface SimulatedVideoOutput {
	type: 'video';
	id: string;
	url: string;
	watermark_url?: string;
	/** Seconds as a string, e.g. "5.041". */
	duration: string;
}

/** What an element task made, as /tasks shows it (Kling's docs, "Query Task": element). */
export interface SimulatedElementOutput {
	type: 'element';
	id: string;
	name: string;
	description: string;
	element_type: 'video_character_elements' | 'multi_image_elements';
	references: Array<{
		type: 'image' | 'video' | 'voice';
		role: 'frontal' | 'refer';
		url: string;
		id?: string;
		name?: string;
		owned_by?: string;
	}>;
	/** 'kling' for presets, else the creator's id (digits). */
	owned_by: string;
	status: 'succeeded' | 'deleted';
	tags: Array<{ id: number; name: string; description: string }>;
}

/** What a voice task made, as /tasks shows it. */
export interface SimulatedVoiceOutput {
	type: 'voice';
	id: string;
	name: string;
	url: string;
	owned_by: string;
	status: 'succeeded' | 'deleted';
}

export type SimulatedCurrentOutput =
	| SimulatedVideoOutput
	| SimulatedElementOutput
	| SimulatedVoiceOutput;

/**
 * A task as the current API generation shows it: /tasks, POST /tasks and its callbacks. Outputs
 * are videos unless said otherwise (element and voice tasks: SimulatedCurrentTask<SimulatedCurrentOutput>).
 */
export interface SimulatedCurrentTask<
	Output extends SimulatedCurrentOutput = SimulatedVideoOutput,
> {
	id: string;
	status: CurrentTaskStatus;
	/** Why it failed; '' otherwise. */
	message: string;
	create_time: number;
	update_time: number;
	external_id: string;
	/** Once succeeded. */
	outputs: Output[];
	/** Once succeeded (element tasks: amount "0"). */
	billing: Array<{ charge_type: 'unit'; amount: string; package_type: 'video' }>;
}

/** An element as the legacy element pages show it (task_result.elements[]). */
export interface SimulatedElement {
	element_id: string;
	element_name: string;
	element_description: string;
	reference_type: 'image_refer' | 'video_refer';
	element_image_list: { frontal_image?: string; refer_images: Array<{ image_url: string }> };
	element_video_list: { refer_videos: Array<{ video_url: string }> };
	element_voice_info?: {
		voice_id: string;
		voice_name: string;
		trial_url: string;
		owned_by: string;
	};
	tag_list: Array<{ tag_id: string; tag_name: string }>;
	owned_by: string;
	status: 'succeed' | 'deleted';
}

/** A voice as the legacy voice pages show it (task_result.voices[]). */
export interface SimulatedVoice {
	voice_id: string;
	voice_name: string;
	trial_url: string;
	owned_by: string;
	/** The simulator's addition: deleted voices show it (Kling's legacy voices have no status). */
	status?: 'deleted';
}

/** An element or voice task as the legacy pages show it. */
export interface SimulatedResourceTask {
	task_id: string;
	task_status: TaskStatus | 'succeeded';
	task_status_msg: string;
	task_info: { external_task_id: string };
	task_result: { elements: SimulatedElement[] } | { voices: SimulatedVoice[] };
	final_unit_deduction: string;
	created_at: number;
	updated_at: number;
}

export type SimulatedAnyTask =
	| SimulatedTask
	| SimulatedGenerationTask
	| SimulatedResourceTask
	| SimulatedCurrentTask<SimulatedCurrentOutput>;

export type FaultKind = 'kling-error' | 'delay' | 'malformed' | 'html' | 'reset';

export interface FaultSpec {
	kind: FaultKind;
	/** For kling-error; the HTTP status follows Kling's error table. Default 5000. */
	code?: number;
	/** For delay: wait this long, then handle the request normally. */
	ms?: number;
	/** For html: status of the proxy error page (default 502). */
	status?: number;
	/** Seconds; adds a Retry-After header to kling-error answers. */
	retryAfter?: number;
	/** Apply to the next N matching requests (default 1 when neither count nor rate is given). */
	count?: number;
	/** Apply to this share (0..1) of matching requests, until clearFaults(). Deterministic. */
	rate?: number;
	/** 'METHOD /path-prefix', e.g. 'POST /v1/videos/video-extend'; default all /v1 requests. */
	match?: string;
	/** Handle the request for real first, then answer with the fault. */
	afterHandling?: boolean;
}

export interface SeedOptions {
	/** Access key (or API key) of the owning account; default the first account. */
	account?: string;
	/** Default 'succeed'. */
	status?: TaskStatus;
	/** Default 'sim-video-5s'; video-extend tasks only. */
	parentVideoId?: string;
	/** Default 'video-extend'. */
	kind?: TaskKind;
	/**
	 * Model of generation tasks (and of their videos); default 'kling-v1-6' for text2video and
	 * image2video, 'kling-3.0-turbo' for text-to-video and image-to-video.
	 */
	model?: string;
}

export interface DeliverCallbackOptions {
	/** Sign with these secrets; undefined uses the configured ones, [] sends unsigned. */
	secrets?: string[];
	webhookId?: string;
	/** Seconds. */
	timestamp?: number;
	/** Extra headers, applied last (they may override the computed ones). */
	headers?: Record<string, string>;
}

export interface CallbackResponse {
	status: number;
	body: string;
}

/** A JSON answer before it is written, so faults can replace it after real handling. */
export interface JsonAnswer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export interface IncomingApiRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: string;
}
