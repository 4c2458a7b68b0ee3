import type { CurrentModel, ModelLimits } from './models';
import {
	IMAGE_TO_VIDEO_MODELS,
	MOTION_CONTROL_MODELS,
	OMNI_VIDEO_MODELS,
	TEXT_TO_VIDEO_MODELS,
} from './models';

/**
 * Kling's products the package speaks, each in one entry: where its tasks are made and read,
 * what it is called and what its failure says, where its prompt goes, what it takes as input,
 * which models serve it with which limits, and whether a create can wait for Kling's callback.
 * Paths, the URL-to-product lookup, wait lists, display rules and messages derive from here.
 *
 * The type is exhaustive: a ProductId without its entry, or an entry without one of its rows,
 * does not compile, and nothing falls back to a default product.
 */
export type ProductId =
	| 'textToVideo'
	| 'imageToVideo'
	| 'omniVideo'
	| 'videoExtend'
	| 'motionControl'
	| 'avatar'
	| 'lipSync'
	| 'element'
	| 'voice';

/**
 * Where a product's tasks are made:
 * - current generation (Kling's docs, "new design standard"): `POST <path>/<model>`, the model in
 *   the path, tasks read at `GET /tasks` and listed at `POST /tasks`;
 * - legacy `/v1` generation: `POST <path>`, tasks read at `GET <path>/<id>`, listed at `GET <path>`.
 */
export type ProductEndpoint =
	| { generation: 'current'; path: `/${string}` }
	| { generation: 'legacy'; path: `/v1/${string}` };

/**
 * Where the prompt goes: a top-level `prompt`, a `contents[]` item `{type: 'prompt', text}`, or
 * nowhere (elements and voices are made from references, not from a prompt).
 */
export type PromptPlace = 'body' | 'contents' | 'none';

/**
 * What a finished task gives: a video (Download Video can fetch it), or one of Kling's resources,
 * an element or a voice (Kling's docs, "Query Task": the `outputs[]` types).
 */
export type ProductResult = 'video' | 'element' | 'voice';

/**
 * What an input is: an image (URL, Base64 or binary field), a list of images (a fixedCollection
 * whose entries each say their source), one video URL, or IDs of Kling's resources.
 */
export type InputKind = 'image' | 'images' | 'videoUrl' | 'elementIds' | 'voiceIds';

export interface ProductInput {
	/** The node's parameter. */
	parameter: string;
	/** Its name in the editor and in errors. */
	label: string;
	kind: InputKind;
	/** Kling's `contents[]` item type. */
	contentType: string;
	/** Only with this input given (a last frame needs a first frame). */
	needs?: string;
	/** An image or a video that may be left empty (else one that needs no other is required). */
	optional?: boolean;
	/**
	 * Kling's item type chosen by another parameter (a video's role) instead of `contentType`:
	 * the parameter, its name in the editor, and the item type of each of its values.
	 */
	contentTypeBy?: { parameter: string; label: string; types: Record<string, string> };
	/**
	 * The items' `id` (what the prompt names as `@<id>`): the prefix and a number counted across
	 * the inputs of the same prefix, e.g. `image_1`, `image_2`. Without it, images have no id and
	 * IDs are numbered "1", "2"… within the input.
	 */
	idPrefix?: string;
	/** Given, it decides the frame shape: no aspect ratio is sent. */
	shapesFrame?: boolean;
}

/** A setting every model of a product takes, one of fixed values, from its own field. */
export interface ProductChoice {
	/** The node's parameter. */
	parameter: string;
	/** Its name in the editor and in errors. */
	label: string;
	/** Kling's `settings` field. */
	setting: string;
	values: string[];
}

export interface Product {
	/** The product's name in the editor and in messages. */
	label: string;
	/** What Kling failed to do when a task of this product ends "failed". */
	failure: string;
	endpoint: ProductEndpoint;
	/**
	 * The legacy `/v1` endpoint that also reads the product's tasks by id: where a legacy-shape
	 * callback about one is read back (Kling's docs, "Callback Protocol": the legacy shape is sent
	 * for "Kling 3.0 Omni and earlier models"). The trigger tries these in turn.
	 */
	legacyTasksPath: `/v1/${string}`;
	/** Whether a create can wait for Kling's callback (Wait for Completion = Callback). */
	callbacks: boolean;
	/**
	 * Whether its legacy tasks name the video they started from (`task_info.parent_video`): a
	 * callback that names one is of one of these products.
	 */
	parentVideo: boolean;
	/** What a finished task gives: a video, an element or a voice. */
	result: ProductResult;
	prompt: PromptPlace;
	/** Whether a `contents` prompt is required (a prompt in the body always is). */
	promptRequired?: boolean;
	inputs: ProductInput[];
	/** Settings of the product's own, sent as chosen (Motion Control's character orientation). */
	choices?: ProductChoice[];
	/** The models that serve it, each with its limits there (none: the product has no model). */
	models: Partial<Record<CurrentModel, ModelLimits>>;
}

export const PRODUCTS: Record<ProductId, Product> = {
	textToVideo: {
		label: 'Text to Video',
		failure: 'Kling could not generate the video from the prompt',
		endpoint: { generation: 'current', path: '/text-to-video' },
		legacyTasksPath: '/v1/videos/text2video',
		callbacks: true,
		parentVideo: false,
		result: 'video',
		prompt: 'body',
		inputs: [],
		models: TEXT_TO_VIDEO_MODELS,
	},
	imageToVideo: {
		label: 'Image to Video',
		failure: 'Kling could not generate the video from the image',
		endpoint: { generation: 'current', path: '/image-to-video' },
		legacyTasksPath: '/v1/videos/image2video',
		callbacks: true,
		parentVideo: false,
		result: 'video',
		prompt: 'contents',
		inputs: [
			{ parameter: 'image', label: 'First Frame', kind: 'image', contentType: 'first_frame' },
			{
				parameter: 'imageTail',
				label: 'Last Frame',
				kind: 'image',
				contentType: 'last_frame',
				needs: 'image',
			},
			{
				parameter: 'elementIds',
				label: 'Element Names or IDs',
				kind: 'elementIds',
				contentType: 'element',
			},
			{
				parameter: 'voiceIds',
				label: 'Voice Names or IDs',
				kind: 'voiceIds',
				contentType: 'voice',
			},
		],
		models: IMAGE_TO_VIDEO_MODELS,
	},
	omniVideo: {
		label: 'Omni Video',
		failure: 'Kling could not generate the video from the prompt and its references',
		endpoint: { generation: 'current', path: '/omni-video' },
		legacyTasksPath: '/v1/videos/omni-video',
		callbacks: true,
		parentVideo: false,
		result: 'video',
		prompt: 'contents',
		promptRequired: true,
		inputs: [
			{
				parameter: 'image',
				label: 'First Frame',
				kind: 'image',
				contentType: 'first_frame',
				optional: true,
				idPrefix: 'image_',
				shapesFrame: true,
			},
			{
				parameter: 'imageTail',
				label: 'Last Frame',
				kind: 'image',
				contentType: 'last_frame',
				needs: 'image',
				idPrefix: 'image_',
			},
			{
				parameter: 'referenceImages',
				label: 'Reference Images',
				kind: 'images',
				contentType: 'refer_image',
				idPrefix: 'image_',
			},
			{
				parameter: 'referenceVideoUrl',
				label: 'Reference Video URL',
				kind: 'videoUrl',
				contentType: 'feature_video',
				optional: true,
				contentTypeBy: {
					parameter: 'videoRole',
					label: 'Video Role',
					types: { reference: 'feature_video', edit: 'base_video' },
				},
				idPrefix: 'video_',
				shapesFrame: true,
			},
			{
				parameter: 'elementIds',
				label: 'Element Names or IDs',
				kind: 'elementIds',
				contentType: 'element',
				idPrefix: 'element_',
			},
		],
		models: OMNI_VIDEO_MODELS,
	},
	videoExtend: {
		label: 'Video Extend',
		failure: 'Kling could not extend the video',
		endpoint: { generation: 'legacy', path: '/v1/videos/video-extend' },
		legacyTasksPath: '/v1/videos/video-extend',
		callbacks: true,
		parentVideo: true,
		result: 'video',
		prompt: 'body',
		inputs: [],
		models: {},
	},
	motionControl: {
		label: 'Motion Control',
		failure: 'Kling could not move the character like the motion video',
		endpoint: { generation: 'current', path: '/motion-control' },
		legacyTasksPath: '/v1/videos/motion-control',
		callbacks: true,
		parentVideo: false,
		result: 'video',
		prompt: 'contents',
		inputs: [
			{ parameter: 'image', label: 'Character Image', kind: 'image', contentType: 'image' },
			{
				parameter: 'motionVideoUrl',
				label: 'Motion Video URL',
				kind: 'videoUrl',
				contentType: 'video',
			},
			{
				parameter: 'elementIds',
				label: 'Element Names or IDs',
				kind: 'elementIds',
				contentType: 'element',
			},
		],
		choices: [
			{
				parameter: 'characterOrientation',
				label: 'Character Orientation',
				setting: 'character_orientation',
				values: ['video', 'image'],
			},
		],
		models: MOTION_CONTROL_MODELS,
	},
	// Kling's talking videos (legacy /v1 only: an API key or an access key + secret key).
	avatar: {
		label: 'Avatar',
		failure: 'Kling could not make the talking video from the image and the speech',
		endpoint: { generation: 'legacy', path: '/v1/videos/avatar/image2video' },
		legacyTasksPath: '/v1/videos/avatar/image2video',
		callbacks: true,
		parentVideo: false,
		result: 'video',
		prompt: 'body',
		inputs: [],
		models: {},
	},
	lipSync: {
		label: 'Lip-Sync',
		failure: 'Kling could not sync the lips in the video to the speech',
		endpoint: { generation: 'legacy', path: '/v1/videos/advanced-lip-sync' },
		legacyTasksPath: '/v1/videos/advanced-lip-sync',
		callbacks: true,
		parentVideo: true,
		result: 'video',
		prompt: 'none',
		inputs: [],
		models: {},
	},
	// Kling's docs, "Element Management": a legacy async task that makes one custom element, read
	// by its task id or external task id at the same path; it takes callback_url.
	element: {
		label: 'Custom Element',
		failure: 'Kling could not create the element',
		endpoint: { generation: 'legacy', path: '/v1/general/advanced-custom-elements' },
		legacyTasksPath: '/v1/general/advanced-custom-elements',
		callbacks: true,
		parentVideo: false,
		result: 'element',
		prompt: 'none',
		inputs: [],
		models: {},
	},
	// Kling's docs, "Voice Management": the same for one custom voice.
	voice: {
		label: 'Custom Voice',
		failure: 'Kling could not create the voice',
		endpoint: { generation: 'legacy', path: '/v1/general/custom-voices' },
		legacyTasksPath: '/v1/general/custom-voices',
		callbacks: true,
		parentVideo: false,
		result: 'voice',
		prompt: 'none',
		inputs: [],
		models: {},
	},
};

export const PRODUCT_IDS = Object.keys(PRODUCTS) as ProductId[];

/**
 * Kling's current API generation reads every task at one endpoint (Kling's docs, "Query Task":
 * `GET /tasks?task_ids=` or `external_task_ids=`, at most MAX_TASK_IDS ids, and `POST /tasks`,
 * a cursor list).
 */
export const CURRENT_TASKS_PATH = '/tasks';
export const MAX_TASK_IDS = 20;
export const MAX_TASK_LIST_PAGE = 500;

export function isLegacyUrl(url: unknown): boolean {
	return String(url ?? '').startsWith('/v1/');
}

/** The create URL of a product: its path, and the model's on the current generation. */
export function createUrlOf(product: ProductId, model?: string): string {
	const { endpoint } = PRODUCTS[product];
	return endpoint.generation === 'current' ? `${endpoint.path}/${model ?? ''}` : endpoint.path;
}

/** The models of a product, in the table's order. */
export function modelsOf(product: ProductId): CurrentModel[] {
	return Object.keys(PRODUCTS[product].models) as CurrentModel[];
}

export function limitsOf(product: ProductId, model: string): ModelLimits | undefined {
	return (PRODUCTS[product].models as Record<string, ModelLimits | undefined>)[model];
}

/** The models of a product that lack something, for the editor's `hide` rules. */
export function modelsWithout(
	product: ProductId,
	has: (limits: ModelLimits) => boolean,
): CurrentModel[] {
	return modelsOf(product).filter((model) => !has(limitsOf(product, model)!));
}
