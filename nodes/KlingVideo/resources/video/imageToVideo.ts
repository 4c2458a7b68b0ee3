import type { IDataObject, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { commonCreateOptions } from '../../../shared/fields/commonFields';
import { checkCommonCreateFields } from '../../../shared/tasks/createTask';
import { checkGenerationBody } from '../../../shared/kling/generation';
import { generationFields } from '../../../shared/fields/generationFields';
import type { ImageHeader, ImageSource } from '../../../shared/checks/imageInput';
import { resolveImage } from '../../../shared/checks/imageInput';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import { TASK_KINDS } from '../../../shared/kling/taskKinds';
import { fail } from '../../../shared/checks/validation';
import { generationBody } from './textToVideo';

const show = { operation: ['imageToVideo'] };

export const MAX_DYNAMIC_MASKS = 6;
export const TRAJECTORY_POINTS = { min: 2, max: 77 };

interface MaskFields {
	mask?: unknown;
	trajectory?: unknown;
}

/**
 * The body with the images as the user gave them (a URL, Base64, or a binary field's name);
 * validateImageToVideoInput checks them and puts in what Kling takes.
 */
export function imageToVideoRequest(ctx: KlingItemContext): IHttpRequestOptions {
	const body = generationBody(ctx, 'imageToVideo');
	body.image = ctx.getNodeParameter('image', '') as IDataObject[string];
	body.image_tail = ctx.getNodeParameter('imageTail', '') as IDataObject[string];
	const fields = ctx.getNodeParameter('additionalFields', {}) as IDataObject;
	if ('staticMask' in fields) body.static_mask = fields.staticMask;
	const masks = (fields.dynamicMasks as { masks?: MaskFields[] } | undefined)?.masks;
	if (masks !== undefined) {
		body.dynamic_masks = masks.map((group) => ({
			mask: group.mask,
			trajectories: group.trajectory,
		}));
	}
	return { method: 'POST', url: TASK_KINDS.imageToVideo.path, body };
}

function isGiven(value: unknown): boolean {
	return (
		value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '')
	);
}

/** A trajectory as JSON text or a list: [{"x": 1, "y": 2}, …] or [[1, 2], …]. */
function readTrajectory(ctx: KlingItemContext, label: string, value: unknown): IDataObject[] {
	let points = value;
	if (typeof value === 'string') {
		try {
			points = JSON.parse(value);
		} catch {
			points = undefined;
		}
	}
	const { min, max } = TRAJECTORY_POINTS;
	const format = `a list of ${min} to ${max} points such as [{"x": 100, "y": 200}, {"x": 300, "y": 220}] (pixels, origin at the bottom left)`;
	if (!Array.isArray(points)) fail(ctx, `${label} must be ${format}`);
	if (points.length < min || points.length > max) {
		fail(ctx, `${label} must have ${min} to ${max} points, but it has ${points.length}`, format);
	}
	return points.map((point: unknown, index) => {
		const [x, y] = Array.isArray(point)
			? point
			: [(point as IDataObject)?.x, (point as IDataObject)?.y];
		const valid = [x, y].every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0);
		if (!valid) {
			fail(
				ctx,
				`${label}: point ${index + 1} must be whole pixel numbers x and y of 0 or more, but it is ${JSON.stringify(point)}`,
				format,
			);
		}
		return { x, y };
	});
}

/**
 * Checks every rule of Kling's image to video before anything is sent: the shared fields, at
 * least one frame, what cannot be combined, the masks, then each image's own bytes.
 */
export async function validateImageToVideoInput(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = request.body as IDataObject;
	checkGenerationBody(this, 'imageToVideo', body);
	const hasImage = isGiven(body.image);
	const hasTail = isGiven(body.image_tail);
	if (!hasImage && !hasTail) {
		fail(
			this,
			'Start Frame or End Frame is required: Kling needs at least one image',
			'Give the start frame (and optionally the end frame) as a URL, Base64 or a binary field, as Image Source says.',
		);
	}
	const masks = (body.dynamic_masks as IDataObject[] | undefined) ?? [];
	const hasMasks = isGiven(body.static_mask) || masks.length > 0;
	const used = [
		hasTail && 'End Frame',
		hasMasks && 'Static Mask / Dynamic Masks',
		body.camera_control !== undefined && 'Camera Control',
	].filter((name): name is string => typeof name === 'string');
	if (used.length > 1) {
		fail(
			this,
			`${used.join(' and ')} cannot be combined: Kling takes an end frame, masks (motion brush) or camera control, one of them`,
			'Remove all but one of them.',
		);
	}
	if (hasTail && body.mode !== 'pro') {
		fail(
			this,
			`End Frame needs Mode "pro", but Mode is ${JSON.stringify(body.mode)}`,
			'Kling makes videos between a start and an end frame only in Professional mode.',
		);
	}
	if (masks.length > MAX_DYNAMIC_MASKS) {
		fail(
			this,
			`Dynamic Masks can have at most ${MAX_DYNAMIC_MASKS} masks, but there are ${masks.length}`,
		);
	}
	masks.forEach((group, index) => {
		if (!isGiven(group.mask)) fail(this, `Dynamic Mask ${index + 1}: Mask is required`);
		group.trajectories = readTrajectory(
			this,
			`Dynamic Mask ${index + 1}: Trajectory`,
			group.trajectories,
		);
	});
	checkCommonCreateFields(this, body);

	const source = this.getNodeParameter('imageSource', 'url') as ImageSource;
	const resolve = async (label: string, value: unknown, aspectRatio: boolean) =>
		await resolveImage(this, label, value, source, aspectRatio);
	const image = await resolve('Start Frame', body.image, true);
	const tail = await resolve('End Frame', body.image_tail, false);
	const staticMask = await resolve('Static Mask', body.static_mask, false);
	const maskHeaders: Array<ImageHeader | undefined> = staticMask ? [staticMask.header] : [];
	for (const [index, group] of masks.entries()) {
		const mask = await resolve(`Dynamic Mask ${index + 1}: Mask`, group.mask, false);
		group.mask = mask?.image;
		maskHeaders.push(mask?.header);
	}
	checkMaskSizes(this, image?.header, maskHeaders);
	for (const [field, resolved] of [
		['image', image],
		['image_tail', tail],
		['static_mask', staticMask],
	] as const) {
		if (resolved) body[field] = resolved.image;
		else delete body[field];
	}
	if (masks.length === 0) delete body.dynamic_masks;
	return request;
}

/** Kling fails a task whose masks differ in size, or do not have the start frame's shape. */
function checkMaskSizes(
	ctx: KlingItemContext,
	image: ImageHeader | undefined,
	masks: Array<ImageHeader | undefined>,
): void {
	const known = masks.filter((mask): mask is ImageHeader => mask !== undefined);
	const [first] = known;
	if (!first) return;
	if (known.some((mask) => mask.width !== first.width || mask.height !== first.height)) {
		fail(
			ctx,
			`The masks must all have the same size, but they are ${known.map((mask) => `${mask.width}×${mask.height}`).join(', ')} px`,
		);
	}
	if (image && Math.abs(image.width / image.height - first.width / first.height) > 0.01) {
		fail(
			ctx,
			`The masks (${first.width}×${first.height} px) must have the Start Frame's aspect ratio (${image.width}×${image.height} px)`,
		);
	}
}

const IMAGE_SOURCE_HINT: Record<ImageSource, string> = {
	binaryField: 'the name of a binary field of the input item',
	url: 'an http(s) URL',
	base64: 'raw Base64 (a data: prefix is removed)',
};

function imageField(
	name: string,
	displayName: string,
	what: string,
	source: ImageSource,
	fallback: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: fallback,
		placeholder: source === 'url' ? 'https://example.com/frame.png' : '',
		description: `${what}: ${IMAGE_SOURCE_HINT[source]}. JPG or PNG, at most 10 MB, at least 300×300 px.`,
		displayOptions: { show: { ...show, imageSource: [source] } },
	};
}

const SOURCES: ImageSource[] = ['binaryField', 'url', 'base64'];

export const imageToVideoDescription: INodeProperties[] = [
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{
				name: 'Binary Field',
				value: 'binaryField',
				description:
					'Images the input item carries as files (from HTTP Request, Google Drive, a form…)',
			},
			{ name: 'URL', value: 'url', description: 'Images Kling downloads from public URLs' },
			{ name: 'Base64', value: 'base64', description: 'Images encoded as Base64 text' },
		],
		default: 'binaryField',
		description: 'Where the frames and masks come from',
		displayOptions: { show },
	},
	// One field per source, so each says what it takes; the binary field defaults to n8n's "data".
	...SOURCES.map((source) =>
		imageField(
			'image',
			'Start Frame',
			'The first frame of the video (aspect ratio 1:2.5 to 2.5:1)',
			source,
			source === 'binaryField' ? 'data' : '',
		),
	),
	...SOURCES.map((source) =>
		imageField(
			'imageTail',
			'End Frame',
			'Optional: the last frame of the video. Needs Mode "pro"; not with camera control or masks.',
			source,
			'',
		),
	),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'The woman turns to the camera and smiles',
		description: 'What happens in the video, at most 2,500 characters (optional)',
		displayOptions: { show },
	},
	...generationFields('imageToVideo', 'imageToVideo'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			...commonCreateOptions(
				{ waiting: ['imageToVideo'] },
				'What the video should not show, at most 2,500 characters',
				'. Not with kling-v2.x models, which take none.',
			),
			{
				displayName: 'Static Mask',
				name: 'staticMask',
				type: 'string',
				default: '',
				description:
					'Motion brush: the area that stays still, as an image of the Start Frame’s shape, from the same Image Source. Not with an end frame or camera control.',
			},
			{
				displayName: 'Dynamic Masks',
				name: 'dynamicMasks',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Dynamic Mask',
				default: {},
				description:
					'Motion brush: up to 6 areas that move along a path. Not with an end frame or camera control.',
				options: [
					{
						displayName: 'Mask',
						name: 'masks',
						values: [
							{
								displayName: 'Mask',
								name: 'mask',
								type: 'string',
								default: '',
								description:
									'The area that moves, as an image from the same Image Source, the same size as the other masks',
							},
							{
								displayName: 'Trajectory',
								name: 'trajectory',
								type: 'json',
								default: '[{"x": 100, "y": 100}, {"x": 200, "y": 100}]',
								description:
									'The path the area follows: 2 to 77 points {"x", "y"} in pixels of the image, origin at the bottom left',
							},
						],
					},
				],
			},
		],
	},
];
