import type { INodeProperties } from 'n8n-workflow';

import { commonCreateOptions } from './commonFields';

/** What the current generation has no field for (Kling's docs: no negative prompt, no CFG). */
const LEGACY_ONLY = ['cfgScale', 'negativePrompt'];

/**
 * Additional Fields of Text to Video and Image to Video, sent in Kling's `options`: Callback URL
 * and External Task ID (absent with Wait for Completion = Callback, as in every create), and
 * Watermark.
 */
export function generationOptionsField(operations: string[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { operation: operations } },
		options: commonCreateOptions({ waiting: operations }, '').filter(
			(field) => !LEGACY_ONLY.includes(field.name),
		),
	};
}

/**
 * Additional Fields of the creates of elements and voices (legacy `/v1` bodies): Callback URL and
 * External Task ID (absent with Wait for Completion = Callback, as in every create).
 */
export function taskOptionsField(operations: string[]): INodeProperties {
	const taken = ['callbackUrl', 'externalTaskId'];
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { operation: operations } },
		options: commonCreateOptions({ waiting: operations }, '').filter((field) =>
			taken.includes(field.name),
		),
	};
}
