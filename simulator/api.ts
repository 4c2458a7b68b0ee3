import { authenticate } from './auth';
import type { SimulatorCore } from './core';
import { KlingError, failure, success } from './errors';
import { parseCreateRequest } from './validation';
import { EXTENSION_SECONDS, MAX_VIDEO_SECONDS } from './videos';
import type { IncomingApiRequest, JsonAnswer } from './types';

const COLLECTION = '/v1/videos/video-extend';

const PAGE_NUM = { name: 'pageNum', min: 1, max: 1000, default: 1 };
const PAGE_SIZE = { name: 'pageSize', min: 1, max: 500, default: 30 };

/** Kling's /v1 video-extend endpoints. Errors become envelopes; nothing here throws. */
export function handleApi(core: SimulatorCore, request: IncomingApiRequest): JsonAnswer {
	try {
		const authorization = request.headers.authorization;
		const account = authenticate(authorization, core.accounts).accessKey;
		const { method, path } = request;
		if (path === COLLECTION) {
			if (method === 'POST') return create(core, account, request.body);
			if (method === 'GET') return list(core, account, request.query);
		} else if (path.startsWith(`${COLLECTION}/`)) {
			const id = path.slice(COLLECTION.length + 1);
			if (method === 'GET' && id !== '' && !id.includes('/')) return get(core, account, id);
		}
		throw new KlingError(1202, `invalid method: ${method} ${path}`);
	} catch (error) {
		if (error instanceof KlingError) return failure(error);
		core.options.log(`internal error: ${(error as Error).stack ?? String(error)}`);
		return failure(new KlingError(5000));
	}
}

function create(core: SimulatorCore, account: string, body: string): JsonAnswer {
	const input = parseCreateRequest(body);
	if (input.externalTaskId !== '' && core.tasks.hasExternalId(account, input.externalTaskId)) {
		throw new KlingError(
			1201,
			`invalid parameter: external_task_id '${input.externalTaskId}' already exists`,
		);
	}
	const parent = core.videos.get(input.videoId);
	if (!parent) {
		throw new KlingError(1203, `resource not found: video_id '${input.videoId}' does not exist`);
	}
	const extended = parent.duration + EXTENSION_SECONDS;
	if (extended > MAX_VIDEO_SECONDS) {
		throw new KlingError(
			1201,
			`invalid parameter: video_id '${input.videoId}' is ${parent.duration} s; extending it would ` +
				`make ${extended} s, over the ${MAX_VIDEO_SECONDS} s (3 minute) limit`,
		);
	}
	if (core.tasks.activeCount(account) >= core.options.maxConcurrentTasks) {
		throw new KlingError(1303);
	}
	const task = core.tasks.create({
		account,
		parent,
		prompt: input.prompt,
		watermark: input.watermark,
		callbackUrl: input.callbackUrl,
		externalTaskId: input.externalTaskId,
	});
	return success({
		task_id: task.id,
		task_status: task.status,
		task_info: { external_task_id: task.externalId },
		created_at: task.createdAt,
		updated_at: task.updatedAt,
	});
}

function get(core: SimulatorCore, account: string, rawId: string): JsonAnswer {
	let id = rawId;
	try {
		id = decodeURIComponent(rawId);
	} catch {
		// A malformed escape cannot name any task; look the raw text up and miss.
	}
	const task = core.tasks.find(account, id);
	if (!task) throw new KlingError(1203, `task not found: ${id}`);
	return success(core.tasks.view(task));
}

function list(core: SimulatorCore, account: string, query: URLSearchParams): JsonAnswer {
	const pageNum = pageParameter(query, PAGE_NUM);
	const pageSize = pageParameter(query, PAGE_SIZE);
	const tasks = core.tasks.list(account, pageNum, pageSize);
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
