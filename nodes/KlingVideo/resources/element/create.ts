import type { IDataObject, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import type { NodeOperation } from '../../../shared/action/operations';
import type { ImageSource } from '../../../shared/checks/imageInput';
import { resolveImage } from '../../../shared/checks/imageInput';
import {
	checkHttpUrl,
	checkOptionalText,
	fail,
	requireText,
} from '../../../shared/checks/validation';
import {
	ELEMENT_DESCRIPTION_MAX,
	ELEMENT_IMAGE_MAX_BYTES,
	ELEMENT_NAME_MAX,
	ELEMENT_TAGS,
	ELEMENT_VIDEO_EXTENSIONS,
	REFERENCE_IMAGES_MAX,
	REFERENCE_IMAGES_MIN,
} from '../../../shared/kling/elementsAndVoices';
import { PRODUCTS } from '../../../shared/kling/products';
import { imageFields, imageLimits, imageSourceField } from '../../../shared/fields/imageFields';
import { PICKER_METHODS } from '../../../shared/loadOptions/resourcePickers';
import { addCommonCreateFields, checkCommonCreateFields } from '../../../shared/tasks/createTask';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import { sendCreateTask } from '../../../shared/waiting/createAndWait';
import { idList, pathExtension, textOf } from '../../../shared/checks/listInput';

const show = { operation: ['create'] };
const showImages = { ...show, referenceType: ['image'] };

const IMAGE_LIMITS = imageLimits(ELEMENT_IMAGE_MAX_BYTES / (1024 * 1024));

const properties: INodeProperties[] = [
	{
		displayName: 'Element Name',
		name: 'elementName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Captain Mira',
		description: `The element’s name, at most ${ELEMENT_NAME_MAX} characters`,
		displayOptions: { show },
	},
	{
		displayName: 'Element Description',
		name: 'elementDescription',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'A ship captain in a blue coat with a grey beard',
		description: `What the element is, at most ${ELEMENT_DESCRIPTION_MAX} characters`,
		displayOptions: { show },
	},
	{
		displayName: 'Reference Type',
		name: 'referenceType',
		type: 'options',
		options: [
			{
				name: 'Images',
				value: 'image',
				description: 'A frontal image and 1 to 3 more images of the character or object',
			},
			{
				name: 'Video',
				value: 'video',
				description:
					'A 3 to 8 second video of a real person (a voice in it makes a voice of the element too)',
			},
		],
		default: 'image',
		description: 'What Kling makes the element from',
		displayOptions: { show },
	},
	imageSourceField(showImages, 'Where the images come from', 'several'),
	...imageFields(showImages, {
		name: 'frontalImage',
		displayName: 'Frontal Image',
		what: 'The element seen from the front',
		maxMegabytes: ELEMENT_IMAGE_MAX_BYTES / (1024 * 1024),
		placeholder: 'https://example.com/front.png',
		defaultsToData: true,
		required: true,
	}),
	{
		displayName: 'Reference Images',
		name: 'referenceImages',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Reference Image' },
		default: [],
		placeholder: 'https://example.com/side.png',
		description: `${REFERENCE_IMAGES_MIN} to ${REFERENCE_IMAGES_MAX} more images of the element (other angles), each as Image Source says: a binary field’s name, a URL or Base64. ${IMAGE_LIMITS}.`,
		displayOptions: { show: showImages },
	},
	{
		displayName: 'Video URL',
		name: 'videoUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/person.mp4',
		description:
			'An http(s) URL of a 3 to 8 second MP4 or MOV video of a real person, 1080p, 16:9 or 9:16, at most 200 MB',
		displayOptions: { show: { ...show, referenceType: ['video'] } },
	},
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'multiOptions',
		options: Object.entries(ELEMENT_TAGS).map(([value, name]) => ({ name, value })),
		default: [],
		description: 'Kling’s tags for the element (optional)',
		displayOptions: { show },
	},
	{
		displayName: 'Voice Name or ID',
		name: 'voiceId',
		type: 'options',
		typeOptions: { loadOptionsMethod: PICKER_METHODS.voices },
		default: '',
		description:
			'A voice the element speaks with (optional; for characters): a custom voice or one of Kling’s presets. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: showImages },
	},
];

const REFERENCE_TYPES: Record<string, string> = { image: 'image_refer', video: 'video_refer' };

/** The body as Kling takes it, from the fields as they are (images unread until the checks). */
function elementBody(ctx: KlingItemContext): IDataObject {
	const get = (name: string, fallback: unknown) => ctx.getNodeParameter(name, fallback);
	const referenceType = get('referenceType', 'image');
	const body: IDataObject = {
		element_name: get('elementName', '') as string,
		element_description: get('elementDescription', '') as string,
		reference_type: REFERENCE_TYPES[String(referenceType)] ?? (referenceType as string),
	};
	if (referenceType === 'video') {
		body.element_video_list = { refer_videos: [{ video_url: get('videoUrl', '') }] };
	} else {
		body.element_image_list = {
			frontal_image: get('frontalImage', ''),
			refer_images: idList(get('referenceImages', [])).map((image_url) => ({ image_url })),
		};
		const voice = textOf(get('voiceId', ''));
		if (voice !== '') body.element_voice_id = voice;
	}
	const tags = idList(get('tags', []));
	if (tags.length > 0) body.tag_list = tags.map((tag_id) => ({ tag_id }));
	return addCommonCreateFields(body, get('additionalFields', {}) as IDataObject);
}

async function checkImages(ctx: KlingItemContext, list: IDataObject): Promise<void> {
	const source = ctx.getNodeParameter('imageSource', 'binaryField') as ImageSource;
	const read = async (label: string, value: unknown) =>
		(await resolveImage(ctx, label, value, source, true, ELEMENT_IMAGE_MAX_BYTES))?.image;
	const frontal = await read('Frontal Image', list.frontal_image);
	if (frontal === undefined) {
		fail(
			ctx,
			'Frontal Image is required: an image element starts from an image of the front',
			'Give it as a binary field, a URL or Base64, as Image Source says.',
		);
	}
	list.frontal_image = frontal;
	const refer = list.refer_images as IDataObject[];
	if (refer.length < REFERENCE_IMAGES_MIN || refer.length > REFERENCE_IMAGES_MAX) {
		fail(
			ctx,
			`Reference Images must have ${REFERENCE_IMAGES_MIN} to ${REFERENCE_IMAGES_MAX} images besides the frontal image, but there are ${refer.length}`,
			'Add other views of the element (side, back, close-up) as Image Source says.',
		);
	}
	for (const [index, item] of refer.entries()) {
		item.image_url = await read(`Reference Image ${index + 1}`, item.image_url);
	}
}

function checkVideo(ctx: KlingItemContext, list: IDataObject): void {
	const [video] = list.refer_videos as IDataObject[];
	const url = requireText(
		ctx,
		'Video URL',
		video.video_url,
		'Give the http(s) URL of a 3 to 8 second MP4 or MOV video of a real person.',
	);
	checkHttpUrl(ctx, 'Video URL', url, 'Give the http(s) URL of an MP4 or MOV video.');
	const extension = pathExtension(url);
	if (extension !== '' && !ELEMENT_VIDEO_EXTENSIONS.includes(extension)) {
		fail(
			ctx,
			`Video URL must be an MP4 or MOV video (${ELEMENT_VIDEO_EXTENSIONS.join(', ')}), but it ends in ${extension}`,
		);
	}
	video.video_url = url;
}

/** Every rule Kling states for an element, checked before anything is sent. */
async function checkElement(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = request.body as IDataObject;
	const hint = (max: number) => `Give at most ${max} characters.`;
	body.element_name = requireText(this, 'Element Name', body.element_name, hint(ELEMENT_NAME_MAX));
	checkOptionalText(this, 'Element Name', body.element_name, ELEMENT_NAME_MAX);
	body.element_description = requireText(
		this,
		'Element Description',
		body.element_description,
		`Say what the element is, in at most ${ELEMENT_DESCRIPTION_MAX} characters.`,
	);
	checkOptionalText(this, 'Element Description', body.element_description, ELEMENT_DESCRIPTION_MAX);
	if (body.reference_type === 'image_refer') {
		await checkImages(this, body.element_image_list as IDataObject);
	} else if (body.reference_type === 'video_refer') {
		checkVideo(this, body.element_video_list as IDataObject);
	} else {
		fail(
			this,
			`Reference Type must be "image" or "video", but it is ${JSON.stringify(body.reference_type)}`,
		);
	}
	const tags = ((body.tag_list ?? []) as IDataObject[]).map((tag) => String(tag.tag_id));
	const unknown = tags.filter((tag) => !(tag in ELEMENT_TAGS));
	if (unknown.length > 0) {
		fail(
			this,
			`Tags must be among Kling's tags ${Object.keys(ELEMENT_TAGS).join(', ')}, but they have ${JSON.stringify(unknown)}`,
			`The tags: ${Object.entries(ELEMENT_TAGS)
				.map(([id, name]) => `${id} ${name}`)
				.join(', ')}.`,
		);
	}
	checkCommonCreateFields(this, body);
	return request;
}

/**
 * `POST /v1/general/advanced-custom-elements`: an async task that makes one custom element from
 * images or a video; with Wait for Completion its output carries the element's `element_id`.
 */
export const createElement: NodeOperation = {
	value: 'create',
	name: 'Create',
	action: 'Create an element',
	description:
		'Start a task that makes a custom element (a character or object videos can show) from images or a video',
	creates: 'element',
	request: (ctx) => ({
		method: 'POST',
		url: PRODUCTS.element.endpoint.path,
		body: elementBody(ctx),
	}),
	checks: [checkElement],
	send: sendCreateTask('element'),
	properties,
};
