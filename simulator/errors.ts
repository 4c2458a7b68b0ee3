import { randomUUID } from 'crypto';
import type { ServerResponse } from 'http';

import type { JsonAnswer } from './types';

/** Kling's error table (Kling's docs, "Error Codes"): code -> HTTP status and a message in Kling's wording. */
export const KLING_ERRORS: Readonly<Record<number, { http: number; message: string }>> = {
	1000: { http: 401, message: 'authentication failed' },
	1001: { http: 401, message: 'Authorization header is empty' },
	1002: { http: 401, message: 'Authorization is invalid' },
	1003: { http: 401, message: 'token is not yet valid' },
	1004: { http: 401, message: 'token has expired' },
	1100: { http: 429, message: 'account exception' },
	1101: { http: 429, message: 'account in arrears' },
	1102: { http: 429, message: 'resource pack used up or expired' },
	1103: { http: 403, message: 'no permission for this API or model' },
	1200: { http: 400, message: 'invalid request parameters' },
	1201: { http: 400, message: 'invalid parameter key or value' },
	1202: { http: 404, message: 'invalid method' },
	1203: { http: 404, message: 'resource not found' },
	1300: { http: 400, message: 'platform policy triggered' },
	1301: { http: 400, message: 'content security policy triggered' },
	1302: { http: 429, message: 'request rate over limit' },
	1303: { http: 429, message: 'parallel task over resource pack limit' },
	1304: { http: 429, message: 'IP whitelist policy' },
	5000: { http: 500, message: 'internal server error' },
	5001: { http: 503, message: 'service unavailable' },
	5002: { http: 504, message: 'internal timeout' },
};

export function httpStatusFor(code: number): number {
	// Codes outside the table are only reachable through fault injection; keep them plausible.
	return KLING_ERRORS[code]?.http ?? (code >= 5000 ? 500 : 400);
}

export class KlingError extends Error {
	constructor(
		readonly code: number,
		message?: string,
	) {
		super(message ?? KLING_ERRORS[code]?.message ?? `error ${code}`);
		this.name = 'KlingError';
	}

	get httpStatus(): number {
		return httpStatusFor(this.code);
	}
}

export function newRequestId(): string {
	return randomUUID();
}

export function envelope(code: number, message: string, data: unknown) {
	return { code, message, request_id: newRequestId(), data };
}

export function success(data: unknown): JsonAnswer {
	return { status: 200, body: envelope(0, 'SUCCEED', data) };
}

export function failure(error: KlingError, headers?: Record<string, string>): JsonAnswer {
	return { status: error.httpStatus, body: envelope(error.code, error.message, null), headers };
}

/** The Kling code of an answer, for logs; undefined for non-envelope bodies. */
export function codeOf(answer: JsonAnswer): number | undefined {
	const body = answer.body as { code?: unknown } | null;
	return body && typeof body === 'object' && typeof body.code === 'number' ? body.code : undefined;
}

export function writeJson(res: ServerResponse, answer: JsonAnswer): void {
	const text = JSON.stringify(answer.body);
	res.writeHead(answer.status, {
		...answer.headers,
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
	});
	res.end(text);
}
