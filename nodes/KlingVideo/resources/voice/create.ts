import type { IDataObject, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import type { NodeOperation } from '../../../shared/action/operations';
import { pathExtension, textOf } from '../../../shared/checks/listInput';
import {
	checkHttpUrl,
	checkOptionalText,
	fail,
	requireText,
} from '../../../shared/checks/validation';
import { VOICE_CLIP_EXTENSIONS, VOICE_NAME_MAX } from '../../../shared/kling/elementsAndVoices';
import { PRODUCTS } from '../../../shared/kling/products';
import { addCommonCreateFields, checkCommonCreateFields } from '../../../shared/tasks/createTask';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import { sendCreateTask } from '../../../shared/waiting/createAndWait';

const show = { operation: ['create'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Voice Name',
		name: 'voiceName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Calm Narrator',
		description: `The voice’s name, at most ${VOICE_NAME_MAX} characters`,
		displayOptions: { show },
	},
	{
		displayName: 'Voice Source',
		name: 'voiceSource',
		type: 'options',
		options: [
			{
				name: 'Audio or Video URL',
				value: 'url',
				description: 'A 5 to 30 second clip of one clean human voice',
			},
			{
				name: 'Kling Video',
				value: 'video',
				description:
					'A video made by Kling 2.6 with sound on, or by the Avatar or Lip-Sync API: the voice in it',
			},
		],
		default: 'url',
		description: 'What Kling takes the voice from',
		displayOptions: { show },
	},
	{
		displayName: 'Voice URL',
		name: 'voiceUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/voice.mp3',
		description:
			'An http(s) URL of an MP3, WAV, MP4 or MOV clip of 5 to 30 seconds with one clean human voice',
		displayOptions: { show: { ...show, voiceSource: ['url'] } },
	},
	{
		displayName: 'Video ID',
		name: 'videoId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '891495440020668439',
		description:
			'The ID of a Kling video with a voice: made by Kling 2.6 with sound on, or by the Avatar or Lip-Sync API',
		displayOptions: { show: { ...show, voiceSource: ['video'] } },
	},
];

function voiceBody(ctx: KlingItemContext): IDataObject {
	const get = (name: string, fallback: unknown) => ctx.getNodeParameter(name, fallback);
	const body: IDataObject = { voice_name: get('voiceName', '') as string };
	if (get('voiceSource', 'url') === 'video') body.video_id = get('videoId', '') as string;
	else body.voice_url = get('voiceUrl', '') as string;
	return addCommonCreateFields(body, get('additionalFields', {}) as IDataObject);
}

/** Every rule Kling states for a voice that can be checked here, before anything is sent. */
async function checkVoice(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = request.body as IDataObject;
	body.voice_name = requireText(
		this,
		'Voice Name',
		body.voice_name,
		`Name the voice in at most ${VOICE_NAME_MAX} characters.`,
	);
	checkOptionalText(this, 'Voice Name', body.voice_name, VOICE_NAME_MAX);
	if ('video_id' in body) {
		body.video_id = requireText(
			this,
			'Video ID',
			typeof body.video_id === 'number' ? textOf(body.video_id) : body.video_id,
			'Give the ID of a Kling video with a voice (Kling 2.6 with sound, Avatar or Lip-Sync).',
		);
	} else {
		const url = requireText(
			this,
			'Voice URL',
			body.voice_url,
			'Give the http(s) URL of a 5 to 30 second MP3, WAV, MP4 or MOV clip of one voice.',
		);
		checkHttpUrl(this, 'Voice URL', url, 'Give the http(s) URL of an MP3, WAV, MP4 or MOV clip.');
		const extension = pathExtension(url);
		if (!VOICE_CLIP_EXTENSIONS.includes(extension)) {
			fail(
				this,
				`Voice URL must be an MP3, WAV, MP4 or MOV file (${VOICE_CLIP_EXTENSIONS.join(', ')}), but ${extension === '' ? 'its path has no extension' : `it ends in ${extension}`}`,
				'Kling reads the kind of the clip from its name.',
			);
		}
		body.voice_url = url;
	}
	checkCommonCreateFields(this, body);
	return request;
}

/**
 * `POST /v1/general/custom-voices`: an async task that makes one custom voice from a clip or a
 * Kling video; with Wait for Completion its output carries the voice's `voice_id`.
 */
export const createVoice: NodeOperation = {
	value: 'create',
	name: 'Create',
	action: 'Create a voice',
	description: 'Start a task that makes a custom voice from a 5 to 30 second clip or a Kling video',
	creates: 'voice',
	request: (ctx) => ({ method: 'POST', url: PRODUCTS.voice.endpoint.path, body: voiceBody(ctx) }),
	checks: [checkVoice],
	send: sendCreateTask('voice'),
	properties,
};
