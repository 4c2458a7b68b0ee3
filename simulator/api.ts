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
	currentUnitsFor,
	isCurrentModel,
	isExtendable,
	unitsFor,
} from './models';
import { ACCOUNT_COSTS, COLLECTIONS, CURRENT_COLLECTIONS, TASKS, isCurrentPath } from './paths';
import { listTasks, queryTasks } from './taskQueries';
import type { NewTask, TaskRecord } from './tasks';
import { parseCreateRequest } from './validation';
import { EXTENSION_SECONDS, MAX_VIDEO_SECONDS } from './videos';
import type { CurrentTaskKind, IncomingApiRequest, JsonAnswer, LegacyTaskKind } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

const PAGE_NUM = { name: 'pageNum', min: 1, max: 1000, default: 1 };
const PAGE_SIZE = { name: 'pageSize', min: 1, max: 500, default: 30 };

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
		if (!isCurrentModel(model)) {
			throw new KlingError(
				1203,
				`The model '${model}' does not exist for ${kind}; models: ${CURRENT_MODELS.join(', ')}`,
			);
		}
		const input = await parseCurrentRequest(kind, model, request.body);
		refuseTakenExternalId(core, account, input.externalTaskId, 'current');
		const units = currentUnitsFor(model, input);
		const task = startTask(core, units, {
			kind,
			account,
			// Kling's videos run a little past the whole seconds asked for, e.g. "5.041" (seen live).
			output: { duration: input.duration + 0.041, model },
			prompt: input.prompt,
			watermark: input.watermark,
			callbackUrl: input.callbackUrl,
			externalTaskId: input.externalTaskId,
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
	const task =
		kind === 'video-extend'
			? extend(core, account, body)
			: await generate(core, account, kind, body);
	return success({
		task_id: task.id,
		task_status: task.status,
		task_info: { external_task_id: task.externalId },
		created_at: task.createdAt,
		updated_at: task.updatedAt,
	});
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

/** External ids are unique per account across both generations; a repeat creates nothing. */
function refuseTakenExternalId(
	core: SimulatorCore,
	account: string,
	externalId: string,
	generation: 'legacy' | 'current' = 'legacy',
): void {
	if (externalId === '' || !core.tasks.hasExternalId(account, externalId)) return;
	throw new KlingError(
		1201,
		generation === 'current'
			? `External_task_id '${externalId}' already exists`
			: `invalid parameter: external_task_id '${externalId}' already exists`,
	);
}

/** The account-wide checks every new task passes: concurrency, then the units it takes. */
function startTask(core: SimulatorCore, units: number, task: NewTask): TaskRecord {
	if (core.tasks.activeCount(task.account) >= core.options.maxConcurrentTasks) {
		throw new KlingError(1303);
	}
	const refund = core.packs.take(task.account, units);
	return core.tasks.create({ ...task, units, refund });
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
	const pageSize = pageParameter(query, PAGE_SIZE);
	const tasks = core.tasks.list(account, pageNum, pageSize, kind);
	return success(tasks.map((task) => core.tasks.view(task)));
}

function pageParameter(query: URLSearchParams, spec: typeof PAGE_NUM): number {
	const raw = query.get(spec.name);
	if (raw === null || raw === '') return spec.default;
	const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!(value >= spec.min && value <= spec.max)) {
		throw new KlingError(
			1201,
			`invalid parameter: ${spec.name} must be an integer in [${spec.min}, ${spec.max}], got '${raw}'`,
		);
	}
	return value;
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
