import type { IDataObject, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import type { NodeOperation } from '../../../shared/action/operations';
import type { SpeechSource } from '../../../shared/checks/audioInput';
import { resolveSpeech } from '../../../shared/checks/audioInput';
import type { ImageSource } from '../../../shared/checks/imageInput';
import { resolveImage } from '../../../shared/checks/imageInput';
import { checkOptionalText, fail } from '../../../shared/checks/validation';
import { imageFields, imageSourceField } from '../../../shared/fields/imageFields';
import { speechFields } from '../../../shared/fields/speechFields';
import { PRODUCTS } from '../../../shared/kling/products';
import {
	AVATAR_SOUND,
	MAX_AVATAR_IMAGE_BYTES,
	MAX_AVATAR_PROMPT,
} from '../../../shared/kling/talking';
import { addCommonCreateFields, checkCommonCreateFields } from '../../../shared/tasks/createTask';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import { sendCreateTask } from '../../../shared/waiting/createAndWait';

const show = { operation: ['avatar'] };

const MODES = ['std', 'pro'];

const properties: INodeProperties[] = [
	imageSourceField(show, 'Where the face image comes from', 'one'),
	...imageFields(show, {
		name: 'image',
		displayName: 'Image',
		what: 'The face that speaks',
		maxMegabytes: MAX_AVATAR_IMAGE_BYTES / (1024 * 1024),
		placeholder: 'https://example.com/face.png',
		defaultsToData: true,
	}),
	...speechFields(show, 'Avatar takes 2 seconds to 5 minutes of speech; the video lasts as long'),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'She smiles and nods while she speaks',
		description:
			'Optional: the expressions, movements and camera of the video, at most 2,500 characters',
		displayOptions: { show },
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Standard', value: 'std', description: 'Faster and cheaper' },
			{ name: 'Professional', value: 'pro', description: 'Higher quality, twice the price' },
		],
		default: 'std',
		displayOptions: { show },
	},
];

/** The body as the fields give it: the image and speech as the user gave them, until the checks. */
function avatarRequest(ctx: KlingItemContext): IHttpRequestOptions {
	const get = (name: string, fallback: unknown) => ctx.getNodeParameter(name, fallback);
	const speech = get('speech', '');
	const body: IDataObject = {
		image: get('image', '') as IDataObject[string],
		...(get('speechSource', 'binaryField') === 'audioId'
			? { audio_id: speech as string }
			: { sound_file: speech as string }),
		mode: get('mode', 'std') as string,
	};
	const prompt = get('prompt', '');
	if (prompt !== '' && prompt !== undefined && prompt !== null) body.prompt = prompt as string;
	addCommonCreateFields(body, get('additionalFields', {}) as IDataObject);
	return { method: 'POST', url: PRODUCTS.avatar.endpoint.path, body };
}

/** Reads and checks the image and the speech, and every other field, before Kling bills anything. */
async function checkAvatar(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = request.body as IDataObject;
	const imageSource = this.getNodeParameter('imageSource', 'binaryField') as ImageSource;
	const image = await resolveImage(
		this,
		'Image',
		body.image,
		imageSource,
		true,
		MAX_AVATAR_IMAGE_BYTES,
	);
	if (!image) {
		fail(
			this,
			'Image is required: the face that speaks',
			'Give a JPG or PNG image as a binary field of the input item, a URL or Base64.',
		);
	}
	body.image = image.image;
	const speechSource = this.getNodeParameter('speechSource', 'binaryField') as SpeechSource;
	const given = body.audio_id ?? body.sound_file;
	delete body.audio_id;
	delete body.sound_file;
	const speech = await resolveSpeech(this, 'Speech', given, speechSource, AVATAR_SOUND);
	Object.assign(body, speech.field);
	checkOptionalText(this, 'Prompt', body.prompt, MAX_AVATAR_PROMPT);
	if (typeof body.mode !== 'string' || !MODES.includes(body.mode)) {
		fail(this, `Mode must be "std" or "pro", but it is ${JSON.stringify(body.mode) ?? 'nothing'}`);
	}
	checkCommonCreateFields(this, body);
	return request;
}

/**
 * `POST /v1/videos/avatar/image2video` (legacy): a face image and a speech (an audio ID of Text
 * to Speech, or a sound file as a URL or Base64) make a talking video as long as the speech.
 */
export const avatar: NodeOperation = {
	value: 'avatar',
	name: PRODUCTS.avatar.label,
	action: 'Generate a talking video from an image and a speech',
	description: 'Start a task that makes a face in an image speak (2 seconds to 5 minutes)',
	creates: 'avatar',
	request: avatarRequest,
	checks: [checkAvatar],
	send: sendCreateTask('avatar'),
	properties,
};
