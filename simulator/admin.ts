import type { SimulatorCore } from './core';
import type { JsonAnswer, ResourcePackSpec, SeedOptions, TaskKind, TaskStatus } from './types';

export const ADMIN_PREFIX = '/__sim/';

const STATUSES: readonly TaskStatus[] = ['submitted', 'processing', 'succeed', 'failed'];
const KINDS: readonly TaskKind[] = [
	'video-extend',
	'text2video',
	'image2video',
	'text-to-video',
	'image-to-video',
	'omni-video',
	'motion-control',
];

/**
 * The control surface for out-of-process users (e2e, demo). Plain JSON rather than Kling envelopes,
 * so nobody mistakes it for part of the imitated API.
 */
export async function handleAdmin(
	core: SimulatorCore,
	method: string,
	path: string,
	query: URLSearchParams,
	body: string,
): Promise<JsonAnswer> {
	const route = `${method} ${path.slice(ADMIN_PREFIX.length - 1)}`;
	try {
		if (route === 'POST /faults') {
			const spec = core.faults.add(parseJson(body));
			return ok({ ok: true, fault: spec, pending: core.faults.pending.length });
		}
		if (route === 'GET /faults') return ok(core.faults.pending);
		if (route === 'DELETE /faults') {
			core.faults.clear();
			return ok({ ok: true });
		}
		if (route === 'GET /requests') {
			const prefix = query.get('prefix');
			const requests = prefix
				? core.requests.filter((r) => r.path.startsWith(prefix))
				: core.requests;
			return ok(requests);
		}
		if (route === 'GET /callbacks') return ok(core.callbacks.deliveries);
		if (route === 'POST /reset') {
			core.reset();
			return ok({ ok: true });
		}
		if (route === 'POST /seed') {
			const { count, ...options } = seedBody(parseJson(body));
			core.seedTasks(count, options);
			return ok({ ok: true, count });
		}
		if (route === 'GET /resource-packs') {
			return ok(core.resourcePacks(query.get('account') ?? undefined));
		}
		if (route === 'PUT /resource-packs') {
			const { packs, account } = packsBody(parseJson(body));
			core.setResourcePacks(packs, account);
			return ok(core.resourcePacks(account));
		}
		const advance = /^POST \/tasks\/([^/]+)\/advance$/.exec(route);
		if (advance) {
			const id = decodeURIComponent(advance[1]);
			if (!core.tasks.findAnywhere(id)) return error(404, `unknown task '${id}'`);
			await core.advance(id);
			return ok(core.getTask(id));
		}
		const task = /^GET \/tasks\/([^/]+)$/.exec(route);
		if (task) {
			const found = core.getTask(decodeURIComponent(task[1]));
			return found ? ok(found) : error(404, 'unknown task');
		}
		return error(404, `no admin route ${route}`);
	} catch (failure) {
		return error(400, (failure as Error).message);
	}
}

function ok(body: unknown): JsonAnswer {
	return { status: 200, body };
}

function error(status: number, message: string): JsonAnswer {
	return { status, body: { ok: false, error: message } };
}

function parseJson(body: string): unknown {
	try {
		return JSON.parse(body === '' ? '{}' : body);
	} catch {
		throw new Error('the body must be JSON');
	}
}

function seedBody(input: unknown): SeedOptions & { count: number } {
	const body = (typeof input === 'object' && input !== null ? input : {}) as Record<
		string,
		unknown
	>;
	if (typeof body.count !== 'number') throw new Error('seed: count (a number) is required');
	if (body.status !== undefined && !STATUSES.includes(body.status as TaskStatus)) {
		throw new Error(`seed: status must be one of ${STATUSES.join(', ')}`);
	}
	if (body.kind !== undefined && !KINDS.includes(body.kind as TaskKind)) {
		throw new Error(`seed: kind must be one of ${KINDS.join(', ')}`);
	}
	for (const name of ['account', 'parentVideoId', 'model']) {
		if (body[name] !== undefined && typeof body[name] !== 'string') {
			throw new Error(`seed: ${name} must be a string`);
		}
	}
	return {
		count: body.count,
		account: body.account as string | undefined,
		status: body.status as TaskStatus | undefined,
		parentVideoId: body.parentVideoId as string | undefined,
		kind: body.kind as TaskKind | undefined,
		model: body.model as string | undefined,
	};
}

function packsBody(input: unknown): { packs: ResourcePackSpec[]; account: string | undefined } {
	const body = (typeof input === 'object' && input !== null ? input : {}) as Record<
		string,
		unknown
	>;
	if (!Array.isArray(body.packs)) throw new Error('resource-packs: packs (a list) is required');
	if (body.account !== undefined && typeof body.account !== 'string') {
		throw new Error('resource-packs: account must be a string');
	}
	return { packs: body.packs as ResourcePackSpec[], account: body.account };
}
