import { KlingError } from './errors';

export const MAX_PROMPT_CHARS = 2500;

export interface CreateInput {
	videoId: string;
	prompt: string;
	negativePrompt: string;
	cfgScale: number;
	watermark: boolean;
	callbackUrl: string | undefined;
	externalTaskId: string;
}

/** Parses and checks a create body; messages name the field and its limit, as Kling's 1201 does. */
export function parseCreateRequest(raw: string): CreateInput {
	const fields = parseBody(raw);
	const videoId = fields.video_id;
	if (typeof videoId !== 'string' || videoId.trim() === '') {
		throw invalid('video_id is required and must be a non-empty string');
	}
	return {
		videoId,
		prompt: text(fields, 'prompt'),
		negativePrompt: text(fields, 'negative_prompt'),
		cfgScale: cfgScale(fields.cfg_scale),
		watermark: watermark(fields.watermark_info),
		callbackUrl: callbackUrl(fields.callback_url),
		externalTaskId: externalTaskId(fields.external_task_id),
	};
}

/** The body as a JSON object, else 1200. */
export function parseBody(raw: string): Record<string, unknown> {
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		throw new KlingError(1200, 'invalid request parameters: the body is not valid JSON');
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new KlingError(1200, 'invalid request parameters: the body must be a JSON object');
	}
	return body as Record<string, unknown>;
}

// Optional fields treat null like absence: clients commonly serialise unset options as null.
export function absent(value: unknown): value is null | undefined {
	return value === undefined || value === null;
}

export function text(fields: Record<string, unknown>, name: string): string {
	const value = fields[name];
	if (absent(value)) return '';
	if (typeof value !== 'string') {
		throw invalid(`${name} must be a string of at most ${MAX_PROMPT_CHARS} characters`);
	}
	// Characters as a person counts them (code points): an emoji is one, not two UTF-16 units.
	const characters = [...value].length;
	if (characters > MAX_PROMPT_CHARS) {
		throw invalid(`${name} must be at most ${MAX_PROMPT_CHARS} characters (got ${characters})`);
	}
	return value;
}

export function cfgScale(value: unknown): number {
	if (absent(value)) return 0.5;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
		throw invalid('cfg_scale must be a number in [0, 1]');
	}
	return value;
}

export function watermark(value: unknown): boolean {
	if (absent(value)) return false;
	const enabled =
		typeof value === 'object' && !Array.isArray(value)
			? (value as { enabled?: unknown }).enabled
			: undefined;
	if (typeof enabled !== 'boolean') {
		throw invalid(
			'watermark_info must be an object with a boolean enabled, e.g. {"enabled": true}',
		);
	}
	return enabled;
}

export function callbackUrl(value: unknown): string | undefined {
	// Kling's own example sends "callback_url": "", meaning no callback.
	if (absent(value) || value === '') return undefined;
	if (typeof value === 'string') {
		try {
			const url = new URL(value);
			if (url.protocol === 'http:' || url.protocol === 'https:') return value;
		} catch {
			// reported below
		}
	}
	throw invalid('callback_url must be an http(s) URL');
}

export function externalTaskId(value: unknown): string {
	if (absent(value)) return '';
	if (typeof value !== 'string') {
		throw invalid('external_task_id must be a string');
	}
	return value;
}

export function invalid(detail: string): KlingError {
	return new KlingError(1201, `invalid parameter: ${detail}`);
}

export interface PageSpec {
	readonly name: string;
	readonly min: number;
	readonly max: number;
	readonly default: number;
}

/** Legacy lists: pageNum 1-1000 (default 1), pageSize 1-500 (default 30; voices up to 1000). */
export const PAGE_NUM: PageSpec = { name: 'pageNum', min: 1, max: 1000, default: 1 };
export const PAGE_SIZE: PageSpec = { name: 'pageSize', min: 1, max: 500, default: 30 };
export const VOICE_PAGE_SIZE: PageSpec = { ...PAGE_SIZE, max: 1000 };

export function pageParameter(query: URLSearchParams, spec: PageSpec): number {
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
