import { authenticate, authenticateApiKey } from './auth';
import type { SimulatorCore } from './core';
import { parseCurrentRequest } from './current';
import { KlingError, failure, success } from './errors';
import { parseGenerationRequest } from './generation';
import type { GenerationKind } from './generation';
import {
	CURRENT_MODELS,
	EXTENDABLE_DAYS,
	EXTEND_UNSUPPORTED_MESSAGE,
	EXTENSION_UNITS,
	MOTION_MODELS,
	OMNI_MODELS,
	currentUnitsFor,
	isCurrentModel,
	isExtendable,
	isMotionModel,
	isOmniModel,
	motionUnitsFor,
	omniUnitsFor,
	unitsFor,
} from './models';
import { handleTalking } from './talking';
import { parseMotionRequest } from './motion';
import { parseOmniRequest } from './omni';
import {
	ACCOUNT_COSTS,
	COLLECTIONS,
	CURRENT_COLLECTIONS,
	LEGACY_READ_ONLY,
	TASKS,
	isCurrentPath,
} from './paths';
import {
	createElement,
	createVoice,
	handleResourceRoute,
	resourceTaskNotFound,
} from './resourceApi';
import { listTasks, queryTasks } from './taskQueries';
import { createdAnswer, refuseTakenExternalId, startTask } from './taskStart';
import type { TaskRecord } from './tasks';
import {
	PAGE_NUM,
	PAGE_SIZE,
	VOICE_PAGE_SIZE,
	pageParameter,
	parseCreateRequest,
} from './validation';
import { EXTENSION_SECONDS, MAX_VIDEO_SECONDS } from './videos';
import type { CurrentTaskKind, IncomingApiRequest, JsonAnswer, LegacyTaskKind } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Kling's /v1 task endpoints and /account/costs. Errors become envelopes; nothing here throws. */
export async function handleApi(
	core: SimulatorCore,
	request: IncomingApiRequest,
): Promise<JsonAnswer> {
	try {
		const authorization = request.headers.authorization;
		const { method, path } = request;
		if (isCurrentPath(path)) {
			const account = authenticateApiKey(authorization, core.accounts).accessKey;
			return await handleCurrent(core, account, request);
		}
		const account = authenticate(authorization, core.accounts).accessKey;
		if (path === ACCOUNT_COSTS && method === 'GET') {
			return accountCosts(core, account, request.query);
		}
		// Avatar, Lip-Sync, face identification and text to speech (talking.ts).
		const talking = await handleTalking(core, account, request);
		if (talking) return talking;
		for (const [kind, collection] of Object.entries(COLLECTIONS) as Array<
			[LegacyTaskKind, string]
		>) {
			if (path === collection) {
				if (method === 'POST') return await create(core, account, kind, request.body);
				if (method === 'GET') return list(core, account, kind, request.query);
			} else if (path.startsWith(`${collection}/`)) {
				const id = path.slice(collection.length + 1);
				if (method === 'GET' && id !== '' && !id.includes('/')) return get(core, account, kind, id);
			}
		}
		const readOnly = LEGACY_READ_ONLY.find((collection) => path.startsWith(`${collection}/`));
		if (readOnly && method === 'GET') {
			const id = decodeSegment(path.slice(readOnly.length + 1));
			throw new KlingError(1203, `task not found: ${id}`);
		}
		const resourceAnswer = await handleResourceRoute(core, account, request);
		if (resourceAnswer) return resourceAnswer;
		throw new KlingError(1202, `invalid method: ${method} ${path}`);
	} catch (error) {
		if (error instanceof KlingError) return failure(error);
		core.options.log(`internal error: ${(error as Error).stack ?? String(error)}`);
		return failure(new KlingError(5000));
	}
}

async function handleCurrent(
	core: SimulatorCore,
	account: string,
	request: IncomingApiRequest,
): Promise<JsonAnswer> {
	const { method, path } = request;
	if (path === TASKS) {
		if (method === 'GET') return queryTasks(core, account, request.query);
		if (method === 'POST') return listTasks(core, account, request.body);
	}
	for (const [kind, collection] of Object.entries(CURRENT_COLLECTIONS) as Array<
		[CurrentTaskKind, string]
	>) {
		if (!path.startsWith(`${collection}/`) || method !== 'POST') continue;
		const model = decodeSegment(path.slice(collection.length + 1));
		const create = await currentCreate(core, account, kind, model, request.body);
		refuseTakenExternalId(core, account, create.externalTaskId, 'current');
		const task = startTask(core, create.units, {
			kind,
			account,
			output: create.output,
			prompt: create.prompt,
			watermark: create.watermark,
			callbackUrl: create.callbackUrl,
			externalTaskId: create.externalTaskId,
		});
		return success({
			id: task.id,
			status: 'submitted',
			create_time: task.createdAt,
			update_time: task.updatedAt,
			external_id: task.externalId,
		});
	}
	throw new KlingError(1202, `invalid method: ${method} ${path}`);
}

interface CurrentCreate {
	output: { duration: number; model: string; sound: boolean };
	units: number;
	prompt: string;
	watermark: boolean;
	callbackUrl: string | undefined;
	externalTaskId: string;
}

/** The models of each current product; another model in the path answers 404/1203. */
const PRODUCT_MODELS: Readonly<Record<CurrentTaskKind, readonly string[]>> = {
	'text-to-video': CURRENT_MODELS,
	'image-to-video': CURRENT_MODELS,
	'omni-video': OMNI_MODELS,
	'motion-control': MOTION_MODELS,
};

/** Parses a create of any current product: what the task will make and the units it takes. */
async function currentCreate(
	core: SimulatorCore,
	account: string,
	kind: CurrentTaskKind,
	model: string,
	body: string,
): Promise<CurrentCreate> {
	const lookups = core.lookups(account);
	// Kling's videos run a little past the whole seconds asked for, e.g. "5.041" (seen live).
	const past = 0.041;
	if ((kind === 'text-to-video' || kind === 'image-to-video') && isCurrentModel(model)) {
		const input = await parseCurrentRequest(kind, model, body, lookups);
		return {
			...input,
			output: { duration: input.duration + past, model, sound: input.sound },
			units: currentUnitsFor(model, input),
		};
	}
	if (kind === 'omni-video' && isOmniModel(model)) {
		const input = await parseOmniRequest(model, body, lookups);
		return {
			...input,
			output: { duration: input.duration + past, model, sound: input.audio !== 'off' },
			units: omniUnitsFor(model, input),
		};
	}
	if (kind === 'motion-control' && isMotionModel(model)) {
		const input = await parseMotionRequest(model, body, lookups);
		// The output follows the motion video, and is billed on its length.
		return {
			...input,
			output: { duration: input.seconds, model, sound: input.audio !== 'off' },
			units: motionUnitsFor(model, input),
		};
	}
	throw new KlingError(
		1203,
		`The model '${model}' does not exist for ${kind}; models: ${PRODUCT_MODELS[kind].join(', ')}`,
	);
}

function decodeSegment(raw: string): string {
	try {
		return decodeURIComponent(raw);
	} catch {
		return raw;
	}
}

async function create(
	core: SimulatorCore,
	account: string,
	kind: LegacyTaskKind,
	body: string,
): Promise<JsonAnswer> {
	let task: TaskRecord;
	if (kind === 'video-extend') task = extend(core, account, body);
	else if (kind === 'element') task = await createElement(core, account, body);
	else if (kind === 'voice') task = await createVoice(core, account, body);
	else task = await generate(core, account, kind, body);
	return createdAnswer(task);
}

function extend(core: SimulatorCore, account: string, body: string): TaskRecord {
	const input = parseCreateRequest(body);
	refuseTakenExternalId(core, account, input.externalTaskId);
	const parent = core.videos.get(input.videoId);
	if (!parent) {
		throw new KlingError(1203, `resource not found: video_id '${input.videoId}' does not exist`);
	}
	const age = Date.now() - parent.createdAt;
	if (!isExtendable(parent.model) || age > EXTENDABLE_DAYS * DAY_MS) {
		throw new KlingError(1201, EXTEND_UNSUPPORTED_MESSAGE);
	}
	const extended = parent.duration + EXTENSION_SECONDS;
	if (extended > MAX_VIDEO_SECONDS) {
		throw new KlingError(
			1201,
			`invalid parameter: video_id '${input.videoId}' is ${parent.duration} s; extending it would ` +
				`make ${extended} s, over the ${MAX_VIDEO_SECONDS} s (3 minute) limit`,
		);
	}
	return startTask(core, EXTENSION_UNITS, {
		account,
		parent,
		prompt: input.prompt,
		watermark: input.watermark,
		callbackUrl: input.callbackUrl,
		externalTaskId: input.externalTaskId,
	});
}

async function generate(
	core: SimulatorCore,
	account: string,
	kind: GenerationKind,
	body: string,
): Promise<TaskRecord> {
	const input = await parseGenerationRequest(kind, body, core.options.discontinuedModels);
	refuseTakenExternalId(core, account, input.externalTaskId);
	return startTask(core, unitsFor(input.mode, input.duration), {
		kind,
		account,
		output: { duration: input.duration, model: input.model },
		failure: input.failure,
		prompt: input.prompt,
		watermark: input.watermark,
		callbackUrl: input.callbackUrl,
		externalTaskId: input.externalTaskId,
	});
}

function get(
	core: SimulatorCore,
	account: string,
	kind: LegacyTaskKind,
	rawId: string,
): JsonAnswer {
	// A malformed escape cannot name any task; the raw text is looked up and misses.
	const id = decodeSegment(rawId);
	const task = core.tasks.find(account, id, kind);
	if (!task && (kind === 'element' || kind === 'voice')) throw resourceTaskNotFound(id);
	if (!task) throw new KlingError(1203, `task not found: ${id}`);
	return success(core.tasks.view(task));
}

function list(
	core: SimulatorCore,
	account: string,
	kind: LegacyTaskKind,
	query: URLSearchParams,
): JsonAnswer {
	const pageNum = pageParameter(query, PAGE_NUM);
	const pageSize = pageParameter(query, kind === 'voice' ? VOICE_PAGE_SIZE : PAGE_SIZE);
	const tasks = core.tasks.list(account, pageNum, pageSize, kind);
	return success(tasks.map((task) => core.tasks.view(task)));
}

/**
 * The account's resource packs whose validity overlaps [start_time, end_time], optionally only
 * those named resource_pack_name. At most one call per second per account (else 1302).
 */
function accountCosts(core: SimulatorCore, account: string, query: URLSearchParams): JsonAnswer {
	const start = epochParameter(query, 'start_time');
	const end = epochParameter(query, 'end_time');
	if (end < start) {
		throw new KlingError(1201, 'invalid parameter: end_time must not be before start_time');
	}
	core.limitAccountCosts(account);
	const name = query.get('resource_pack_name');
	const packs = core.packs
		.list(account)
		.filter((pack) => pack.effective_time <= end && pack.invalid_time >= start)
		.filter((pack) => !name || pack.resource_pack_name === name);
	return success({ code: 0, msg: 'success', resource_pack_subscribe_infos: packs });
}

function epochParameter(query: URLSearchParams, name: string): number {
	const raw = query.get(name);
	if (raw === null || !/^\d{1,15}$/.test(raw)) {
		throw new KlingError(
			1201,
			`invalid parameter: ${name} is required: a time in milliseconds since 1970 (got '${raw ?? ''}')`,
		);
	}
	return Number(raw);
}
