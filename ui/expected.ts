/**
 * What README's "Kling Video" and "Kling Video Extend" tables promise, as the editor must show it:
 * the labels of the fields of each operation, top to bottom (notices, which have no label, after
 * them), and the fields each collection offers. A label or a display rule that changes in a node
 * must change here (and in README) too.
 */

/** Kling Video Extend's first fields. */
const HEAD = ['Credential', 'Operation'];
/** Kling Video's: its operations are grouped by Resource (Video by default). */
const VIDEO_HEAD = ['Credential', 'Resource', 'Operation'];
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

/** Kling Video Extend's operations, in n8n's alphabetical order (as Kling Video's). */
export const OPERATIONS = ['Extend to Duration', 'Extend Video', 'Get Many', 'Get Task'];

/** Kling Video's resources, and the operations of Video, as their lists show them (by name). */
export const VIDEO_RESOURCES = ['Audio', 'Element', 'Video', 'Voice'];
export const VIDEO_OPERATIONS = [
	'Avatar',
	'Get Many',
	'Get Resource Packs',
	'Get Task',
	'Image to Video',
	'Lip-Sync',
	'Motion Control',
	'Omni Video',
	'Text to Video',
];

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
		...VIDEO_HEAD,
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
		...VIDEO_HEAD,
		'Model',
		'Image Source',
		'First Frame',
		...when(model.lastFrame, ['Last Frame']),
		...when(model.multiShot, ['Multi-Shot']),
		'Prompt',
		'Duration (Seconds)',
		'Resolution',
		...when(model.audio, ['Audio']),
		...when(model.elements, ['Element Names or IDs']),
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
export const MULTI_SHOT_HEAD = [...VIDEO_HEAD, 'Model', 'Multi-Shot', 'Shots'];
export const SHOT_FIELDS = ['Prompt', 'Duration (Seconds)'];

/** Image to Video (image from a binary field): no Last Frame on Kling 3.0 Turbo. */
export const IMAGE_TO_VIDEO_FIELDS: Record<string, string[]> = {
	'Kling 3.0 Turbo': imageToVideo({ multiShot: true, notice: ALWAYS_SOUND }),
	'Kling 3.0': imageToVideo({ multiShot: true, lastFrame: true, audio: true, elements: true }),
};

/** A new Kling Video node's wait (No): no Max Wait, no Download Video. */
const NO_WAIT_TAIL = ['Wait for Completion', 'Additional Fields', ...TAIL];

/** Additional Fields of Kling Video's creates (no CFG Scale or Negative Prompt on its models). */
export const VIDEO_ADDITIONAL_FIELDS = ['Callback URL', 'External Task ID', 'Watermark'];

/**
 * Omni Video on a node added as "Generate a video with Omni" (Wait for Completion No): Multi-Shot
 * on Kling 3.0 Omni only; both models take reference images, frames, a video and elements.
 */
function omniVideo(multiShot: boolean): string[] {
	return [
		...VIDEO_HEAD,
		'Model',
		...when(multiShot, ['Multi-Shot']),
		'Prompt',
		'Reference Images',
		'Image Source',
		'First Frame',
		'Last Frame',
		'Reference Video URL',
		'Video Role',
		'Element Names or IDs',
		'Duration (Seconds)',
		'Resolution',
		'Aspect Ratio',
		'Audio',
		...NO_WAIT_TAIL,
	];
}

export const OMNI_MODELS = ['Kling 3.0 Omni', 'Kling O1'];

export const OMNI_FIELDS: Record<string, string[]> = {
	'Kling 3.0 Omni': omniVideo(true),
	'Kling O1': omniVideo(false),
};

/** Resolution and Audio per Omni model: 4K and native sound on Kling 3.0 Omni only. */
export const OMNI_CHOICES: Record<string, { resolution: string[]; audio: string[] }> = {
	'Kling 3.0 Omni': { resolution: RESOLUTIONS.withFourK, audio: ['Native', 'Original', 'Off'] },
	'Kling O1': { resolution: RESOLUTIONS.others, audio: ['Original', 'Off'] },
};

export const VIDEO_ROLES = ['Reference', 'Edit'];

const MOTION_NOTICE =
	'notice: The video is as long as the motion video (at least 3 s; up to 30 s with Character Orientation "Video", up to 10 s with "Image"), and Kling bills that length';

/** Motion Control: no Duration (the motion video decides it); an element on Kling 3.0 only. */
function motionControl(elements: boolean): string[] {
	return [
		...VIDEO_HEAD,
		'Model',
		'Image Source',
		'Character Image',
		'Motion Video URL',
		'Character Orientation',
		'Prompt',
		'Resolution',
		'Audio',
		...when(elements, ['Element Names or IDs']),
		...NO_WAIT_TAIL,
		MOTION_NOTICE,
	];
}

export const MOTION_CONTROL_MODELS = ['Kling 2.6', 'Kling 3.0'];

export const MOTION_CONTROL_FIELDS: Record<string, string[]> = {
	'Kling 3.0': motionControl(true),
	'Kling 2.6': motionControl(false),
};

export const MOTION_CONTROL_CHOICES = {
	resolution: RESOLUTIONS.others,
	audio: ['Original', 'Off'],
	characterOrientation: ['Video', 'Image'],
};

export const AVATAR_FIELDS = [
	...VIDEO_HEAD,
	'Image Source',
	'Image',
	'Speech Source',
	'Speech',
	'Prompt',
	'Mode',
	...NO_WAIT_TAIL,
];

export const SPEECH_SOURCES = ['Binary Field', 'URL', 'Audio ID'];
export const AVATAR_MODES = ['Standard', 'Professional'];

export const LIP_SYNC_FIELDS = [
	...VIDEO_HEAD,
	'Video Source',
	'Video',
	'Speech Source',
	'Speech',
	'Speech Duration (Seconds)',
	...NO_WAIT_TAIL,
];

export const LIP_SYNC_VIDEO_SOURCES = ['URL', 'Video ID'];

/** Lip-Sync's own Options, among the wait's and the requests'. */
export const LIP_SYNC_OPTIONS = [
	'Face ID',
	'Original Audio Volume',
	'Sound End Time (Ms)',
	'Sound Insert Time (Ms)',
	'Sound Start Time (Ms)',
	'Speech Volume',
];

/** Audio › Text to Speech: synchronous, so no wait. */
export const AUDIO_OPERATIONS = ['Text to Speech'];
export const TEXT_TO_SPEECH_FIELDS = [
	...VIDEO_HEAD,
	'Text',
	'Voice',
	'Voice Language',
	'Voice Speed',
	...TAIL,
];
export const TTS_LANGUAGES = ['English', 'Chinese'];

/** Element and Voice: Create (a task, waited for without a video to download), Get, Get Many, Delete. */
export const LIBRARY_OPERATIONS = ['Create', 'Delete', 'Get', 'Get Many'];

export const ELEMENT_FIELDS = {
	createFromImages: [
		...VIDEO_HEAD,
		'Element Name',
		'Element Description',
		'Reference Type',
		'Image Source',
		'Frontal Image',
		'Reference Images',
		'Tags',
		'Voice Name or ID',
		...NO_WAIT_TAIL,
	],
	createFromVideo: [
		...VIDEO_HEAD,
		'Element Name',
		'Element Description',
		'Reference Type',
		'Video URL',
		'Tags',
		...NO_WAIT_TAIL,
	],
	/** With Wait for Completion = Poll: Max Wait, but no Download Video (an element is no video). */
	createPolling: [
		...VIDEO_HEAD,
		'Element Name',
		'Element Description',
		'Reference Type',
		'Image Source',
		'Frontal Image',
		'Reference Images',
		'Tags',
		'Voice Name or ID',
		'Wait for Completion',
		'Max Wait (Minutes)',
		'Additional Fields',
		...TAIL,
	],
	get: [...VIDEO_HEAD, 'Look Up By', 'Task ID', ...TAIL],
	getMany: [...VIDEO_HEAD, 'Source', 'Return All', 'Limit', ...TAIL],
	delete: [...VIDEO_HEAD, 'Element Name or ID', ...TAIL],
};

export const ELEMENT_REFERENCE_TYPES = ['Images', 'Video'];

export const VOICE_FIELDS = {
	createFromUrl: [...VIDEO_HEAD, 'Voice Name', 'Voice Source', 'Voice URL', ...NO_WAIT_TAIL],
	createFromVideo: [...VIDEO_HEAD, 'Voice Name', 'Voice Source', 'Video ID', ...NO_WAIT_TAIL],
	get: [...VIDEO_HEAD, 'Look Up By', 'Task ID', ...TAIL],
	getMany: [...VIDEO_HEAD, 'Source', 'Return All', 'Limit', ...TAIL],
	delete: [...VIDEO_HEAD, 'Voice Name or ID', ...TAIL],
};

export const VOICE_SOURCES = ['Audio or Video URL', 'Kling Video'];

/** Additional Fields of Element and Voice › Create: no Watermark (no video is made). */
export const LIBRARY_ADDITIONAL_FIELDS = ['Callback URL', 'External Task ID'];

/** The simulator's presets (Kling's), as the pickers list them: by name. */
export const PRESET_ELEMENTS = ['Astronaut', 'Red Fox', 'Street Dancer', 'Vintage Car'];
export const PRESET_VOICES = ['Bright Girl', 'Old Captain', 'Warm Narrator'];
