import type { IDataObject, IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { describeKlingCode } from '../kling/errors';

/** Every Kling answer is `{ code, message, request_id, data }`; code 0 is success. */
export interface KlingEnvelope {
	code: number;
	message?: string;
	request_id?: string;
	data?: unknown;
}

function isEnvelope(body: unknown): body is KlingEnvelope {
	return (
		typeof body === 'object' &&
		body !== null &&
		!Array.isArray(body) &&
		typeof (body as IDataObject).code === 'number'
	);
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

function describeForeignBody(body: unknown): string {
	if (typeof body !== 'string' || body.trim() === '') return 'an empty answer';
	if (/^\s*</.test(body)) return 'an HTML page (often a proxy or gateway error page)';
	return 'text that is not valid JSON (a broken or cut-off answer)';
}

/**
 * Turns Kling's answer into its `data`, or into a NodeApiError that says the Kling code,
 * what it means, what to do and the request id. Requests are sent with
 * `ignoreHttpStatusErrors`, so this sees Kling's envelope on 4xx and 5xx answers too.
 */
export function unwrapKlingResponse(
	node: INode,
	response: Pick<IN8nHttpFullResponse, 'statusCode' | 'body'> & Partial<IN8nHttpFullResponse>,
	itemIndex?: number,
): unknown {
	const status = response.statusCode;
	const body = parseBody(response.body);
	if (!isEnvelope(body)) {
		throw new NodeApiError(node, { httpCode: String(status) } as JsonObject, {
			message: `Kling's API answered HTTP ${status} with ${describeForeignBody(body)}, not Kling's JSON`,
			description:
				'Check the base URL in the Kling API credential (a proxy or a wrong address answers like this), then try again later.',
			httpCode: String(status),
			itemIndex,
		});
	}
	if (body.code === 0 && status < 400) return body.data;

	const info = describeKlingCode(body.code);
	const requestId = body.request_id ? ` (request_id ${body.request_id})` : '';
	const klingMessage = body.message ? `: ${body.message}` : '';
	const error = new NodeApiError(node, body as unknown as JsonObject, {
		message: `Kling error ${body.code}, ${info.meaning}${klingMessage}. ${info.advice}${requestId}`,
		description: `HTTP ${status}. Kling's message: ${body.message ?? '(none)'}. Request ID: ${body.request_id ?? '(none)'}.`,
		httpCode: String(status),
		itemIndex,
	});
	// The transport reads these to decide whether and when to retry.
	error.context.klingCode = body.code;
	if (typeof body.message === 'string') error.context.klingMessage = body.message;
	const retryAfter = Number(headerValue(response.headers, 'retry-after'));
	if (Number.isFinite(retryAfter) && retryAfter >= 0) error.context.retryAfterSeconds = retryAfter;
	throw error;
}

function headerValue(headers: IDataObject | undefined, name: string): unknown {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((header) => header.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

/** The Kling code that an error from unwrapKlingResponse carries, if any. */
export function klingCodeOf(error: unknown): number | undefined {
	const code = (error as { context?: IDataObject })?.context?.klingCode;
	return typeof code === 'number' ? code : undefined;
}
