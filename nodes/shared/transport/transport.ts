import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { KlingItemContext } from './itemContext';
import { perRun } from './runState';
import { KLING_ERRORS } from '../kling/errors';
import { klingCodeOf } from './klingResponse';

export interface TransportSettings {
	concurrency: number;
	maxRetries: number;
	retryDelayMs: number;
	timeoutMs: number;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_RETRY_DELAY_MS = 1000;
export const DEFAULT_TIMEOUT_MS = 60_000;

export function transportSettings(ctx: KlingItemContext): TransportSettings {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const defaults = ctx.transportDefaults ?? {};
	return {
		concurrency: Number(options.concurrency ?? DEFAULT_CONCURRENCY),
		maxRetries: Number(options.maxRetries ?? defaults.maxRetries ?? DEFAULT_MAX_RETRIES),
		retryDelayMs: Number(options.retryDelay ?? defaults.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS),
		timeoutMs: Number(options.timeout ?? defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS),
	};
}

/**
 * The node starts every item's request at once. Items of one node run share this
 * limiter (keyed by the run's execute data, the same object for all of them), so a run of
 * 1,000 items keeps at most `concurrency` requests in flight.
 */
class Limiter {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private readonly size: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active >= this.size) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		} else {
			this.active++;
		}
		try {
			return await task();
		} finally {
			const next = this.waiting.shift();
			if (next) next();
			else this.active--;
		}
	}
}

/** The run's limiter, sized by the settings of the item that first sends. */
const limiterOf = perRun((ctx) => new Limiter(Math.max(1, transportSettings(ctx).concurrency)));

type Failure = 'rateLimited' | 'serverError' | 'networkError' | 'expiredToken' | 'final';

/** Network failures after which the request may or may not have reached Kling. */
const TRANSIENT_NETWORK_CODES = [
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ESOCKETTIMEDOUT',
	'socket hang up',
	'timeout of',
];

function classify(error: unknown): Failure {
	const code = klingCodeOf(error);
	if (code === 1004) return 'expiredToken';
	if (code === 1302 || code === 1303) return 'rateLimited';
	if (code !== undefined) return KLING_ERRORS[code]?.retryable ? 'serverError' : 'final';
	const details = error as { httpCode?: unknown; messages?: unknown; message?: unknown };
	const text = [
		details.httpCode,
		details.message,
		...(Array.isArray(details.messages) ? details.messages : []),
	]
		.map(String)
		.join(' ');
	if (TRANSIENT_NETWORK_CODES.some((network) => text.includes(network))) return 'networkError';
	// A gateway page (HTML 502/503/504) means Kling was not reached or did not answer.
	if (/^50[234]$/.test(String(details.httpCode))) return 'serverError';
	return 'final';
}

function retryAfterMs(error: unknown): number | undefined {
	const seconds = (error as { context?: IDataObject })?.context?.retryAfterSeconds;
	return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Exponential backoff from the first delay, with up to 25% jitter so retries spread out. */
export function backoffMs(attempt: number, firstDelayMs: number): number {
	return firstDelayMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.25);
}

/** Errors leave the transport as n8n errors; one that already is one is passed on as it is. */
export function asNodeError(ctx: KlingItemContext, error: unknown): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeApiError(ctx.getNode(), error as JsonObject, { itemIndex: ctx.getItemIndex() });
}

export interface SendOptions {
	/**
	 * Called after a failure that leaves it unknown whether Kling acted on the request
	 * (5xx, timeout, reset): it may find the result, so the request is not sent again.
	 */
	recover?: () => Promise<unknown>;
	/** Called when Kling refuses a repeat of a request that did reach it the first time. */
	onRepeatRefused?: (error: unknown) => Promise<unknown>;
}

/**
 * Sends one request to Kling within the run's limit of parallel requests, with Kling's advice
 * on failures (Kling's docs, "Error codes"): 1302/1303 and 5000-5002 and dropped connections are retried with
 * exponential backoff from the first delay (Retry-After wins when Kling sends it); 1004 is
 * retried once, with the fresh token every request gets; everything else fails at once.
 */
export async function requestKling(
	ctx: KlingItemContext,
	requestOptions: IHttpRequestOptions,
	sendOptions: SendOptions = {},
): Promise<unknown> {
	const settings = transportSettings(ctx);
	const limiter = limiterOf(ctx);
	const request: IHttpRequestOptions = { ...requestOptions, timeout: settings.timeoutMs };
	let tokenRenewed = false;
	let lastFailure: Failure | undefined;
	for (let attempt = 1; ; attempt++) {
		try {
			return await limiter.run(async () => await ctx.sendKlingRequest(request));
		} catch (error) {
			const failure = classify(error);
			if (lastFailure !== undefined && sendOptions.onRepeatRefused && failure === 'final') {
				const found = await sendOptions.onRepeatRefused(error);
				if (found !== undefined) return found;
			}
			if (failure === 'final') throw asNodeError(ctx, error);
			if (failure === 'expiredToken') {
				if (tokenRenewed) throw asNodeError(ctx, error);
				tokenRenewed = true;
				attempt--;
				continue;
			}
			if (attempt > settings.maxRetries) throw asNodeError(ctx, error);
			lastFailure = failure;
			await sleep(retryAfterMs(error) ?? backoffMs(attempt, settings.retryDelayMs));
			if ((failure === 'serverError' || failure === 'networkError') && sendOptions.recover) {
				const found = await sendOptions.recover();
				if (found !== undefined) return found;
			}
		}
	}
}

/** requestKling, with Kling's `data` as items of the item it was sent for (one per entry of a list). */
export async function sendWithRetries(
	ctx: KlingItemContext,
	requestOptions: IHttpRequestOptions,
	sendOptions: SendOptions = {},
): Promise<INodeExecutionData[]> {
	const data = await requestKling(ctx, requestOptions, sendOptions);
	const pairedItem = { item: ctx.getItemIndex() };
	return (Array.isArray(data) ? data : [data]).map((entry) => ({
		json: (entry ?? {}) as IDataObject,
		pairedItem,
	}));
}
