import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { KlingItemContext } from '../transport/itemContext';

/** Kling's documented limits (Kling's docs, "Video Extension" and "Text to Video"). */
export const MAX_PROMPT_LENGTH = 2500;
export const PAGE_SIZE_MAX = 500;
export const PAGE_NUM_MAX = 1000;
export const MAX_LISTABLE_TASKS = PAGE_SIZE_MAX * PAGE_NUM_MAX;

export function fail(ctx: KlingItemContext, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, {
		itemIndex: ctx.getItemIndex(),
		description,
	});
}

function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string') {
		if (value === '') return 'an empty text';
		if (value.trim() === '') return 'only spaces';
		return value.length > 40 ? `"${value.slice(0, 40)}…"` : `"${value}"`;
	}
	if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
	return String(value);
}

export function requireText(
	ctx: KlingItemContext,
	label: string,
	value: unknown,
	hint: string,
): string {
	if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
	if (value !== undefined && value !== null && typeof value !== 'string') {
		fail(ctx, `${label} must be text, but it is ${describeValue(value)}`, hint);
	}
	if (typeof value !== 'string' || value.trim() === '') {
		fail(ctx, `${label} is required, but it is ${describeValue(value)}`, hint);
	}
	return value.trim();
}

export function checkOptionalText(
	ctx: KlingItemContext,
	label: string,
	value: unknown,
	maxLength: number,
): void {
	if (value === undefined || value === null || value === '') return;
	if (typeof value !== 'string') {
		fail(ctx, `${label} must be text, but it is ${describeValue(value)}`);
	}
	// Kling counts characters, not UTF-16 units, so an emoji counts once.
	const length = [...value].length;
	if (length > maxLength) {
		fail(
			ctx,
			`${label} is too long: ${length} characters, and Kling allows at most ${maxLength}`,
			`Shorten ${label.toLowerCase()} to ${maxLength} characters or fewer.`,
		);
	}
}

export function checkNumberInRange(
	ctx: KlingItemContext,
	label: string,
	value: unknown,
	min: number,
	max: number,
	options: { integer?: boolean } = {},
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const kind = options.integer ? 'a whole number' : 'a number';
	if (
		typeof number !== 'number' ||
		!Number.isFinite(number) ||
		number < min ||
		number > max ||
		(options.integer && !Number.isInteger(number))
	) {
		fail(ctx, `${label} must be ${kind} from ${min} to ${max}, but it is ${describeValue(value)}`);
	}
	return number;
}

/**
 * A size in megabytes to a tenth, rounded up: a file just over a limit never reads as the limit
 * itself ("10.1 MB, and Kling allows at most 10 MB").
 */
export function megabytes(bytes: number): string {
	return `${Math.ceil((bytes / 1024 / 1024) * 10) / 10} MB`;
}

export function isHttpUrl(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

export function checkHttpUrl(
	ctx: KlingItemContext,
	label: string,
	value: unknown,
	hint = 'Paste the Production URL of a Kling Trigger node, or another address that accepts POST requests.',
): void {
	if (!isHttpUrl(value)) {
		fail(
			ctx,
			`${label} must be an http:// or https:// URL, but it is ${describeValue(value)}`,
			hint,
		);
	}
}

/**
 * The Callback URL and External Task ID a user gave a create, where the request carries them (the
 * top level of a legacy body, `options` of the current generation's).
 */
export function checkCallbackAndExternalId(ctx: KlingItemContext, holder: IDataObject): void {
	if ('callback_url' in holder) checkHttpUrl(ctx, 'Callback URL', holder.callback_url);
	if ('external_task_id' in holder) {
		holder.external_task_id = requireText(
			ctx,
			'External Task ID',
			holder.external_task_id,
			'Leave the field out, or give an id that is unique in the account.',
		);
	}
}
