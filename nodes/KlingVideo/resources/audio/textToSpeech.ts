import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { NodeOperation } from '../../../shared/action/operations';
import {
	checkNumberInRange,
	checkOptionalText,
	fail,
	requireText,
} from '../../../shared/checks/validation';
import {
	MAX_TTS_CHARS,
	TTS_LANGUAGES,
	TTS_PATH,
	TTS_SPEED,
	TTS_VOICES,
} from '../../../shared/kling/talking';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import { readKlingTask } from '../../../shared/kling/task';
import { requestKling } from '../../../shared/transport/transport';

const show = { operation: ['textToSpeech'] };

const LANGUAGE_NAMES: Record<(typeof TTS_LANGUAGES)[number], string> = {
	en: 'English',
	zh: 'Chinese',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'Hello, and welcome to our channel!',
		description: 'What the voice says, at most 1,000 characters',
		displayOptions: { show },
	},
	{
		displayName: 'Voice',
		name: 'voiceId',
		type: 'options',
		options: TTS_VOICES.map(({ id, name, language }) => ({
			name,
			value: id,
			description: `${id} (${LANGUAGE_NAMES[language]})`,
		})).sort((a, b) => a.name.localeCompare(b.name)),
		default: 'oversea_male1',
		description:
			'One of Kling’s text-to-speech voices (its Voice Guide; not the voices of video generation). An expression can give any voice ID of that catalogue.',
		displayOptions: { show },
	},
	{
		displayName: 'Voice Language',
		name: 'voiceLanguage',
		type: 'options',
		options: TTS_LANGUAGES.map((value) => ({ name: LANGUAGE_NAMES[value], value })),
		default: 'en',
		description: 'The language of the text',
		displayOptions: { show },
	},
	{
		displayName: 'Voice Speed',
		name: 'voiceSpeed',
		type: 'number',
		typeOptions: { minValue: TTS_SPEED.min, maxValue: TTS_SPEED.max, numberPrecision: 1 },
		default: 1,
		description: 'How fast the voice speaks, from 0.8 to 2.0 (1.0 is normal)',
		displayOptions: { show },
	},
];

function ttsRequest(ctx: KlingItemContext): IHttpRequestOptions {
	const get = (name: string, fallback: unknown) => ctx.getNodeParameter(name, fallback);
	return {
		method: 'POST',
		url: TTS_PATH,
		body: {
			text: get('text', '') as string,
			voice_id: get('voiceId', '') as string,
			voice_language: get('voiceLanguage', 'en') as string,
			voice_speed: get('voiceSpeed', TTS_SPEED.default) as number,
		},
	};
}

async function checkTts(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = request.body as IDataObject;
	requireText(this, 'Text', body.text, 'Write what the voice should say.');
	checkOptionalText(this, 'Text', body.text, MAX_TTS_CHARS);
	body.voice_id = requireText(
		this,
		'Voice',
		body.voice_id,
		`Choose one of Kling’s text-to-speech voices, e.g. ${TTS_VOICES[0].id}.`,
	);
	if (!(TTS_LANGUAGES as readonly unknown[]).includes(body.voice_language)) {
		fail(
			this,
			`Voice Language must be "en" or "zh", but it is ${JSON.stringify(body.voice_language) ?? 'nothing'}`,
		);
	}
	const speed = checkNumberInRange(
		this,
		'Voice Speed',
		body.voice_speed,
		TTS_SPEED.min,
		TTS_SPEED.max,
	);
	// Kling takes one decimal.
	body.voice_speed = Math.round(speed * 10) / 10;
	return request;
}

const MIME_TYPES: Record<string, string> = {
	wav: 'audio/wav',
	mp3: 'audio/mpeg',
	m4a: 'audio/mp4',
	aac: 'audio/aac',
};

/** The file type of the audio's URL (Kling's path ends in its extension), MP3 otherwise. */
function extensionOf(url: string): string {
	let path = '';
	try {
		path = new URL(url).pathname;
	} catch {
		path = '';
	}
	const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
	return extension in MIME_TYPES ? extension : 'mp3';
}

/**
 * Text to Speech is synchronous: the answer carries the audio (`task_result.audios[{id, url,
 * duration}]`). The item has its audio ID (which Avatar and Lip-Sync take), URL and duration in
 * seconds, and the audio itself as binary data "data".
 */
async function sendTts(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const data = (await requestKling(this, request)) as IDataObject | undefined;
	const result = (data?.task_result ?? {}) as IDataObject;
	const audio = (Array.isArray(result.audios) ? result.audios[0] : undefined) as
		| IDataObject
		| undefined;
	if (!audio || typeof audio.id !== 'string' || typeof audio.url !== 'string') {
		throw new NodeOperationError(this.getNode(), 'Kling answered Text to Speech without an audio', {
			itemIndex: this.getItemIndex(),
			description: `Task ${String(data?.task_id ?? '')}: ${String(data?.task_status_msg ?? '')}`,
		});
	}
	const duration = Number(audio.duration);
	const extension = extensionOf(audio.url);
	const response = (await this.helpers.httpRequest({
		method: 'GET',
		url: audio.url,
		encoding: 'stream',
		returnFullResponse: true,
	})) as { body: Parameters<KlingItemContext['helpers']['prepareBinaryData']>[0] };
	const binary = await this.helpers.prepareBinaryData(
		response.body,
		`${audio.id}.${extension}`,
		MIME_TYPES[extension],
	);
	return [
		{
			json: {
				audioId: audio.id,
				url: audio.url,
				duration: Number.isFinite(duration) ? duration : null,
				// Kling charges the speech too: a run's cost adds it up with the videos'.
				cost: (readKlingTask(data)?.cost ?? null) as IDataObject | null,
			},
			binary: { data: binary },
			pairedItem: { item: this.getItemIndex() },
		},
	];
}

/** `POST /v1/audio/tts` (legacy, synchronous): a voice reads a text. */
export const textToSpeech: NodeOperation = {
	value: 'textToSpeech',
	name: 'Text to Speech',
	action: 'Convert text to speech',
	description: 'Make a speech from a text with one of Kling’s voices, for Avatar and Lip-Sync',
	request: ttsRequest,
	checks: [checkTts],
	send: sendTts,
	properties,
};
