/**
 * What README's "Kling Video" and "Kling Video Extend" tables promise, as the editor must show it:
 * the labels of the fields of each operation, top to bottom (notices, which have no label, after
 * them), and the fields each collection offers. A label or a display rule that changes in a node
 * must change here (and in README) too.
 */

const HEAD = ['Credential', 'Operation'];
const TAIL = ['Simplify', 'Options'];

/** Kling Video Extend's notice on what Kling can still extend (Extend Video, Extend to Duration). */
const EXTENSION_NOTICE =
	'notice: Kling extends only V1.x videos made through its API in the last 30 days. Kling no longer makes V1.x videos (it retired those models), so videos of its current models (Kling 3.0 Turbo, 3.0, 2.6, 2.5 Turbo) cannot be extended. For a longer video, make one of up to 15 seconds with Kling Video (Kling 3.0 or 3.0 Turbo, with Multi-Shot if you like).';

export const EXTEND_FIELDS = {
	/** Extend Video, Wait for Completion = No (the default). */
	noWait: [
		...HEAD,
		'Video ID',
		'Prompt',
		'Wait for Completion',
		'Additional Fields',
		...TAIL,
		EXTENSION_NOTICE,
	],
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
		EXTENSION_NOTICE,
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

/** Extend to Duration starts from a video only: Kling no longer makes videos it can extend. */
export const EXTEND_UNTIL_FIELDS = [
	...HEAD,
	'Video ID',
	'Prompt',
	'Target Duration (Seconds)',
	'Max Wait per Step (Minutes)',
	'Download Video',
	'Additional Fields',
	...TAIL,
	EXTENSION_NOTICE,
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

/** Kling Video's models as the Model list shows them (n8n sorts options by name). */
export const VIDEO_MODELS = ['Kling 2.5 Turbo', 'Kling 2.6', 'Kling 3.0', 'Kling 3.0 Turbo'];

export const RESOLUTIONS = {
	/** Kling 3.0 only. */
	withFourK: ['1080p (Full HD)', '4K (Ultra HD)', '720p (HD)'],
	others: ['1080p (Full HD)', '720p (HD)'],
};

const ALWAYS_SOUND =
	'notice: Kling 3.0 Turbo always makes its videos with sound: Kling has no setting to turn it off. Choose Kling 3.0 or 2.6 to choose, or Kling 2.5 Turbo for no sound.';
const NO_SOUND = 'notice: Kling 2.5 Turbo makes its videos without sound';

/** After the model's own fields: Kling Video with Wait for Completion = Poll (example 5). */
const VIDEO_TAIL = [
	'Wait for Completion',
	'Max Wait (Minutes)',
	'Download Video',
	'Additional Fields',
	...TAIL,
];

/** What a model adds to the fields of Kling Video that every model has. */
interface ModelFields {
	multiShot?: boolean;
	lastFrame?: boolean;
	audio?: boolean;
	elements?: boolean;
	notice?: string;
}

const when = (condition: boolean | undefined, labels: string[]) => (condition ? labels : []);

function textToVideo(model: ModelFields): string[] {
	return [
		...HEAD,
		'Model',
		...when(model.multiShot, ['Multi-Shot']),
		'Prompt',
		'Duration (Seconds)',
		'Resolution',
		'Aspect Ratio',
		...when(model.audio, ['Audio']),
		...VIDEO_TAIL,
		...when(model.notice !== undefined, [model.notice ?? '']),
	];
}

function imageToVideo(model: ModelFields): string[] {
	return [
		...HEAD,
		'Model',
		'Image Source',
		'First Frame',
		...when(model.lastFrame, ['Last Frame']),
		...when(model.multiShot, ['Multi-Shot']),
		'Prompt',
		'Duration (Seconds)',
		'Resolution',
		...when(model.audio, ['Audio']),
		...when(model.elements, ['Element IDs']),
		...VIDEO_TAIL,
		...when(model.notice !== undefined, [model.notice ?? '']),
	];
}

/**
 * Text to Video with one prompt (Multi-Shot off), per model: Audio only on Kling 3.0 and 2.6,
 * Multi-Shot only on the 3.0 models, a notice where the model decides the sound itself.
 */
export const TEXT_TO_VIDEO_FIELDS: Record<string, string[]> = {
	'Kling 3.0 Turbo': textToVideo({ multiShot: true, notice: ALWAYS_SOUND }),
	'Kling 3.0': textToVideo({ multiShot: true, audio: true }),
	'Kling 2.6': textToVideo({ audio: true }),
	'Kling 2.5 Turbo': textToVideo({ notice: NO_SOUND }),
};

/** Text to Video with Multi-Shot on: Shots, with a Prompt and a Duration per shot, replace Prompt. */
export const MULTI_SHOT_HEAD = [...HEAD, 'Model', 'Multi-Shot', 'Shots'];
export const SHOT_FIELDS = ['Prompt', 'Duration (Seconds)'];

/** Image to Video (image from a binary field): no Last Frame on Kling 3.0 Turbo. */
export const IMAGE_TO_VIDEO_FIELDS: Record<string, string[]> = {
	'Kling 3.0 Turbo': imageToVideo({ multiShot: true, notice: ALWAYS_SOUND }),
	'Kling 3.0': imageToVideo({ multiShot: true, lastFrame: true, audio: true, elements: true }),
};
