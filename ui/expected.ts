/**
 * What README's "Kling Video Extend" table promises, as the editor must show it: the labels of the
 * fields of each operation, top to bottom, and the fields each collection offers. A label or a
 * display rule that changes in the node must change here (and in README) too.
 */

const HEAD = ['Credential', 'Operation'];
const TAIL = ['Simplify', 'Options'];

export const EXTEND_FIELDS = {
	/** Extend Video, Wait for Completion = No (the default). */
	noWait: [...HEAD, 'Video ID', 'Prompt', 'Wait for Completion', 'Additional Fields', ...TAIL],
	/** Extend Video, Wait for Completion = Poll or Callback. */
	waiting: [
		...HEAD,
		'Video ID',
		'Prompt',
		'Wait for Completion',
		'Max Wait (Minutes)',
		'Download Video',
		'Additional Fields',
		...TAIL,
	],
};

/** Additional Fields offered by "Add Field", in the order listed. */
export const ADDITIONAL_FIELDS = [
	'Callback URL',
	'CFG Scale',
	'External Task ID',
	'Negative Prompt',
	'Watermark',
];

/**
 * With Wait for Completion = Callback the node gives Kling the resume URL and names the tasks
 * itself, so Callback URL and External Task ID are not offered.
 */
export const ADDITIONAL_FIELDS_WITH_CALLBACK = ['CFG Scale', 'Negative Prompt', 'Watermark'];

export const EXTEND_UNTIL_FIELDS = [
	...HEAD,
	'Start From',
	'Video ID',
	'Prompt',
	'Target Duration (Seconds)',
	'Max Wait per Step (Minutes)',
	'Download Video',
	'Additional Fields',
	...TAIL,
];

export const GET_FIELDS = {
	byTaskId: [...HEAD, 'Look Up By', 'Task ID', 'Download Video', ...TAIL],
	byExternalId: [...HEAD, 'Look Up By', 'External Task ID', 'Download Video', ...TAIL],
};

export const GET_MANY_FIELDS = {
	limited: [...HEAD, 'Return All', 'Limit', ...TAIL],
	all: [...HEAD, 'Return All', ...TAIL],
};

export const OPTIONS = [
	'First Poll Interval (Seconds)',
	'First Retry Delay (Ms)',
	'Longest Poll Interval (Seconds)',
	'Output Failed Tasks',
	'Parallel Requests',
	'Request Timeout (Ms)',
	'Retries',
	'Watermarked Video',
];

export const OPERATIONS = ['Extend Video', 'Extend to Duration', 'Get Task', 'Get Many'];
