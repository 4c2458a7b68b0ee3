import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { klingBaseUrl } from '../../credentials/KlingApi.credentials';
import { describeKlingCode } from '../shared/kling/errors';
import { klingCodeOf, unwrapKlingResponse } from '../shared/transport/klingResponse';
import type { TaskKind } from '../shared/kling/taskKinds';
import { TASK_KINDS } from '../shared/kling/taskKinds';
import { isKlingTask, normalizeStatus, type KlingTask } from '../shared/kling/task';

const TASK_NOT_FOUND = 1203;
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * Kling advises backoff from 1 s; three tries keep the caller's wait to a few seconds. A
 * callback that is ahead of Kling's API gets one more read after catchUpDelayMs. (An object,
 * so that tests can shorten the waits.)
 */
export const LOOKUP_TIMING = { attempts: 3, firstRetryDelayMs: 1000, catchUpDelayMs: 1000 };

function isRetryable(error: unknown): boolean {
	const code = klingCodeOf(error);
	if (code !== undefined) return describeKlingCode(code).retryable;
	const httpCode = Number((error as { httpCode?: unknown })?.httpCode);
	// No HTTP status at all means the request did not get an answer (network, timeout).
	return !Number.isFinite(httpCode) || httpCode === 0 || httpCode >= 500;
}

/**
 * Reads a task of one kind from Kling's API with the node's credential. Resolves undefined when
 * Kling does not know the task in this account under that kind. Passing errors (rate limits, 5xx, network) are
 * retried a few times; other failures throw an error that names Kling's code and never
 * carries the request (its Authorization header) along.
 */
export async function readTaskFromKling(
	ctx: IWebhookFunctions,
	credentials: ICredentialDataDecryptedObject,
	taskId: string,
	kind: TaskKind,
	attempts = LOOKUP_TIMING.attempts,
): Promise<KlingTask | undefined> {
	for (let attempt = 1; ; attempt++) {
		try {
			const response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'klingApi', {
				method: 'GET',
				baseURL: klingBaseUrl(credentials),
				url: `${TASK_KINDS[kind].path}/${encodeURIComponent(taskId)}`,
				json: true,
				ignoreHttpStatusErrors: true,
				returnFullResponse: true,
				timeout: REQUEST_TIMEOUT_MS,
			});
			const data = unwrapKlingResponse(ctx.getNode(), response);
			// The GET route also finds tasks by external_task_id: only the same task_id counts.
			return isKlingTask(data) && data.task_id === taskId ? data : undefined;
		} catch (error) {
			if (klingCodeOf(error) === TASK_NOT_FOUND) return undefined;
			if (attempt >= attempts || !isRetryable(error)) throw sanitize(ctx, error);
			await sleep(LOOKUP_TIMING.firstRetryDelayMs * 2 ** (attempt - 1));
		}
	}
}

/**
 * The kind of a task as Kling has it, and its copy: each kind's endpoint is asked in turn, the
 * kind the body suggests first. Undefined when no endpoint knows the task.
 */
export async function findTaskAtKling(
	ctx: IWebhookFunctions,
	credentials: ICredentialDataDecryptedObject,
	taskId: string,
	order: TaskKind[],
	attempts?: number,
): Promise<{ task: KlingTask; kind: TaskKind } | undefined> {
	for (const kind of order) {
		const task = await readTaskFromKling(ctx, credentials, taskId, kind, attempts);
		if (task) return { task, kind };
	}
	return undefined;
}

function sanitize(ctx: IWebhookFunctions, error: unknown): Error {
	if (error instanceof NodeApiError && klingCodeOf(error) !== undefined) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `Could not read the task from Kling: ${message}`, {
		description:
			'The callback was not passed on, because Confirm With Kling (or Download Video on an unverified callback) needs Kling’s own copy of the task. Check the base URL of the Kling API credential.',
	});
}

const STATUS_RANK: Record<string, number> = {
	submitted: 0,
	processing: 1,
	succeed: 2,
	failed: 2,
};

/** Whether Kling's copy of the task is older than the callback that announced it. */
export function isBehind(fromKling: KlingTask, posted: KlingTask): boolean {
	const klingRank = STATUS_RANK[normalizeStatus(fromKling.task_status)] ?? 0;
	const postedRank = STATUS_RANK[normalizeStatus(posted.task_status)] ?? 0;
	if (klingRank !== postedRank) return klingRank < postedRank;
	const klingTime = Number(fromKling.updated_at);
	const postedTime = Number(posted.updated_at);
	return Number.isFinite(klingTime) && Number.isFinite(postedTime) && klingTime < postedTime;
}
