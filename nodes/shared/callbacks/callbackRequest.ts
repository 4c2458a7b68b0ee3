import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { readKlingTask, type KlingTask } from '../kling/task';
import type { SignatureVerdict } from './webhookSignature';
import { secretsMatch, verifyStandardWebhook } from './webhookSignature';

/** Kling's callback bodies are a few kilobytes; anything near this is not one of them. */
export const MAX_BODY_BYTES = 1024 * 1024;

interface RequestWithRawBody {
	rawBody?: unknown;
}

interface JsonResponse {
	status(code: number): { json(body: unknown): unknown };
}

/** Answers the request here and starts nothing; the reason never names a secret. */
export function refuse(
	ctx: IWebhookFunctions,
	status: number,
	reason: string,
): IWebhookResponseData {
	(ctx.getResponseObject() as JsonResponse).status(status).json({ received: false, reason });
	return { noWebhookResponse: true };
}

/** Answers 200 before slow work (a download), so Kling is not kept waiting for it. */
export function acknowledge(ctx: IWebhookFunctions): void {
	(ctx.getResponseObject() as JsonResponse).status(200).json({ received: true });
}

/**
 * The bytes Kling sent. n8n keeps them as `rawBody` next to its own parse of the body; the
 * signature covers these bytes, and parsing them here (instead of taking n8n's parse) means
 * the node reads exactly what was verified, whatever content type the sender claimed.
 */
export function rawBodyOf(ctx: IWebhookFunctions): Buffer | undefined {
	const { rawBody } = ctx.getRequestObject() as RequestWithRawBody;
	if (Buffer.isBuffer(rawBody)) return rawBody;
	const parsed = ctx.getBodyData() as unknown;
	return typeof parsed === 'string' ? Buffer.from(parsed, 'utf8') : undefined;
}

export type ParsedCallback = { ok: true; task: KlingTask } | { ok: false; reason: string };

export function parseCallback(raw: Buffer): ParsedCallback {
	let text = raw.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return { ok: false, reason: 'the body is not JSON' };
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { ok: false, reason: 'the body is not a JSON object' };
	}
	// Kling's callback is its task object, of the current shape (`id`, `status`, `outputs`) or
	// the legacy one (`task_id`, `task_status`, `task_result`): Kling's docs, "Callback Protocol".
	const task = readKlingTask(body);
	if (!task || task.taskId === '') return { ok: false, reason: 'the body has no id or task_id' };
	return { ok: true, task };
}

/** The `webhook-id` header of a signed delivery (Standard Webhooks), when there is one. */
export function webhookIdOf(ctx: IWebhookFunctions): string | undefined {
	const headers = ctx.getHeaderData() as IDataObject;
	const value = headers['webhook-id'];
	const id = Array.isArray(value) ? value[0] : value;
	return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Returns why the URL token is refused, or undefined when it matches. */
export function tokenProblem(ctx: IWebhookFunctions, expected: string): string | undefined {
	if (expected === '') return 'token check is on but the node has no token';
	const given = (ctx.getQueryData() as IDataObject).token;
	if (given === undefined || given === '') return 'the callback URL has no token';
	// A repeated ?token= arrives as an array: it is not the one token the user set.
	if (typeof given !== 'string' || !secretsMatch(given, expected)) return 'wrong token';
	return undefined;
}

/** The callback's Standard Webhooks signature, when the credential has a webhook secret. */
export function signatureVerdict(
	ctx: IWebhookFunctions,
	credentials: ICredentialDataDecryptedObject,
	rawBody: Buffer,
): SignatureVerdict | undefined {
	const secret = String(credentials.webhookSecret ?? '').trim();
	if (secret === '') return undefined;
	return verifyStandardWebhook({
		secret,
		headers: ctx.getHeaderData() as Record<string, string | string[] | undefined>,
		rawBody,
	});
}
