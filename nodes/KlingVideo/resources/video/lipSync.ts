import type { IDataObject, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import type { NodeOperation } from '../../../shared/action/operations';
import type { SpeechSource } from '../../../shared/checks/audioInput';
import { checkSpeechSeconds, resolveSpeech, secondsText } from '../../../shared/checks/audioInput';
import {
	checkHttpUrl,
	checkNumberInRange,
	fail,
	requireText,
} from '../../../shared/checks/validation';
import { speechFields } from '../../../shared/fields/speechFields';
import { PRODUCTS } from '../../../shared/kling/products';
import {
	IDENTIFY_FACE_PATH,
	LIP_SYNC_SOUND,
	MIN_LIP_SYNC_MS,
	VOLUME_RANGE,
} from '../../../shared/kling/talking';
import { addCommonCreateFields, checkCommonCreateFields } from '../../../shared/tasks/createTask';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import { requestKling } from '../../../shared/transport/transport';
import { sendCreateTask } from '../../../shared/waiting/createAndWait';

const show = { operation: ['lipSync'] };

type VideoSource = 'url' | 'videoId';

/** The video of the Kling task in the input item (simplified, legacy or current shape). */
const VIDEO_ID_FROM_INPUT =
	"={{ $json.videoId ?? $json.task_result?.videos?.[0]?.id ?? ($json.outputs ?? []).find(output => output.type === 'video')?.id }}";

const MAX_SOUND_MS = LIP_SYNC_SOUND.maxSeconds * 1000;

const properties: INodeProperties[] = [
	{
		displayName: 'Video Source',
		name: 'videoSource',
		type: 'options',
		options: [
			{ name: 'URL', value: 'url', description: 'A video Kling downloads from a public URL' },
			{ name: 'Video ID', value: 'videoId', description: 'A video Kling made' },
		],
		default: 'url',
		description: 'Where the video with the face comes from',
		displayOptions: { show },
	},
	{
		displayName: 'Video',
		name: 'video',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/presenter.mp4',
		description:
			'The http(s) URL of the video: MP4 or MOV, 2 to 60 seconds, 720p or 1080p, at most 100 MB',
		displayOptions: { show: { ...show, videoSource: ['url'] } },
	},
	{
		displayName: 'Video',
		name: 'video',
		type: 'string',
		default: VIDEO_ID_FROM_INPUT,
		placeholder: '743211632612511839',
		description:
			'The ID of a video Kling made in the last 30 days, at most 60 seconds long. By default, the video of the Kling task in the input item.',
		displayOptions: { show: { ...show, videoSource: ['videoId'] } },
	},
	...speechFields(show, 'Lip-Sync takes 2 to 60 seconds of speech'),
	{
		displayName: 'Speech Duration (Seconds)',
		name: 'speechDurationSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 60, numberPrecision: 3 },
		default: 0,
		description:
			'How long the speech is, when the node cannot read it from the file: for an audio ID (Text to Speech’s duration), a URL, or an M4A or AAC file. 0: read it from the file (WAV and MP3).',
		displayOptions: { show },
	},
];

const msOption = (name: string, displayName: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	typeOptions: { minValue: 0, maxValue: MAX_SOUND_MS, numberPrecision: 0 },
	default: 0,
	description,
});

const volumeOption = (name: string, displayName: string, of: string): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	typeOptions: { minValue: VOLUME_RANGE.min, maxValue: VOLUME_RANGE.max, numberPrecision: 2 },
	default: 1,
	description: `The volume of ${of}, from 0 (silent) to 2 (twice as loud); 1 keeps it`,
});

const options: INodeProperties[] = [
	{
		displayName: 'Face ID',
		name: 'faceId',
		type: 'string',
		default: '',
		placeholder: '0',
		description:
			'Which face speaks: a face_id Kling’s face identification finds in the video ("0", "1"…). Empty: the first face it finds.',
	},
	msOption('soundStartTime', 'Sound Start Time (Ms)', 'Where in the speech to start; 0 by default'),
	msOption(
		'soundEndTime',
		'Sound End Time (Ms)',
		'Where in the speech to stop; by default its end. The part used must last at least 2 seconds.',
	),
	msOption(
		'soundInsertTime',
		'Sound Insert Time (Ms)',
		'When in the video the speech starts; by default when the face is first seen (the start of the video for a face seen from the beginning). It must stay inside the video and overlap the face for at least 2 seconds.',
	),
	volumeOption('soundVolume', 'Speech Volume', 'the speech'),
	volumeOption('originalAudioVolume', 'Original Audio Volume', 'the video’s own sound'),
];

/** The speech's and the video's parts of the request, as the fields give them. */
function lipSyncRequest(ctx: KlingItemContext): IHttpRequestOptions {
	const get = (name: string, fallback: unknown) => ctx.getNodeParameter(name, fallback);
	const speech = get('speech', '') as string;
	const video = get('video', '') as string;
	const body: IDataObject = {
		...(get('videoSource', 'url') === 'videoId' ? { video_id: video } : { video_url: video }),
		...(get('speechSource', 'binaryField') === 'audioId'
			? { audio_id: speech }
			: { sound_file: speech }),
	};
	addCommonCreateFields(body, get('additionalFields', {}) as IDataObject);
	return { method: 'POST', url: PRODUCTS.lipSync.endpoint.path, body };
}

interface Face {
	id: string;
	startMs: number;
	endMs: number;
}

/** Kling's face identification (synchronous): the session and the faces it found. */
async function identifyFaces(
	ctx: KlingItemContext,
	video: IDataObject,
): Promise<{ sessionId: string; faces: Face[] }> {
	const data = (await requestKling(ctx, {
		method: 'POST',
		url: IDENTIFY_FACE_PATH,
		body: video,
	})) as IDataObject | undefined;
	const faces = (Array.isArray(data?.face_data) ? (data.face_data as IDataObject[]) : []).map(
		(face) => ({
			id: String(face.face_id ?? ''),
			startMs: Number(face.start_time ?? 0),
			endMs: Number(face.end_time ?? 0),
		}),
	);
	return { sessionId: String(data?.session_id ?? ''), faces };
}

function msText(ms: number): string {
	return `${ms} ms`;
}

/**
 * Reads and checks the video, the speech and the times; identifies the faces of the video (a
 * read); refuses a video without a face, a speech shorter than 2 s and one that would run past
 * the video or miss the face, so no lip-sync task is made for them; then completes Kling's body.
 */
async function checkLipSync(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = request.body as IDataObject;
	const videoSource = this.getNodeParameter('videoSource', 'url') as VideoSource;
	let video: IDataObject;
	if (videoSource === 'videoId') {
		video = {
			video_id: requireText(
				this,
				'Video',
				body.video_id,
				'Give the ID of a video Kling made (by default the field reads it from the input item), or set Video Source to URL.',
			),
		};
	} else {
		const url = typeof body.video_url === 'string' ? body.video_url.trim() : body.video_url;
		checkHttpUrl(
			this,
			'Video',
			url,
			'Give the URL of an MP4 or MOV video of 2 to 60 seconds, or set Video Source to Video ID.',
		);
		video = { video_url: url };
	}
	const speechSource = this.getNodeParameter('speechSource', 'binaryField') as SpeechSource;
	const speech = await resolveSpeech(
		this,
		'Speech',
		body.audio_id ?? body.sound_file,
		speechSource,
		LIP_SYNC_SOUND,
	);

	const given = this.getNodeParameter('options', {}) as IDataObject;
	const ms = (name: string, label: string) =>
		given[name] === undefined || given[name] === ''
			? undefined
			: checkNumberInRange(this, label, given[name], 0, MAX_SOUND_MS, { integer: true });
	const start = ms('soundStartTime', 'Sound Start Time (Ms)') ?? 0;
	const endGiven = ms('soundEndTime', 'Sound End Time (Ms)');
	const insertGiven = ms('soundInsertTime', 'Sound Insert Time (Ms)');
	const volumes: IDataObject = {};
	for (const [name, field, label] of [
		['soundVolume', 'sound_volume', 'Speech Volume'],
		['originalAudioVolume', 'original_audio_volume', 'Original Audio Volume'],
	]) {
		if (given[name] === undefined || given[name] === '') continue;
		volumes[field] = checkNumberInRange(
			this,
			label,
			given[name],
			VOLUME_RANGE.min,
			VOLUME_RANGE.max,
		);
	}

	const speechMs = speechLengthMs(this, speech.seconds);
	if (speechMs === undefined && endGiven === undefined) {
		fail(
			this,
			`Lip-Sync needs the length of the speech, and the node cannot read it from ${speechKind(speechSource, speech.format)}`,
			'Fill Speech Duration (Seconds) with the length of the speech (Text to Speech’s output item has it as duration), or set Options › Sound End Time.',
		);
	}
	const end = endGiven ?? (speechMs as number);
	if (speechMs !== undefined && end > speechMs) {
		fail(
			this,
			`Sound End Time is ${msText(end)}, after the end of the speech (${msText(speechMs)})`,
			'Leave Sound End Time out to use the speech to its end.',
		);
	}
	if (end <= start) {
		fail(this, `Sound End Time (${msText(end)}) must be after Sound Start Time (${msText(start)})`);
	}
	const length = end - start;
	if (length < MIN_LIP_SYNC_MS) {
		fail(
			this,
			`The speech used is ${secondsText(length / 1000)} long (${msText(start)} to ${msText(end)}), and Lip-Sync needs at least ${MIN_LIP_SYNC_MS / 1000} s`,
			'Use a longer speech, or widen Sound Start Time to Sound End Time.',
		);
	}
	checkCommonCreateFields(this, body);

	const { sessionId, faces } = await identifyFaces(this, video);
	if (faces.length === 0) {
		fail(
			this,
			'Kling found no face in the video, so it cannot sync lips in it',
			'Use a video in which a person’s face is clearly seen. No lip-sync task was made.',
		);
	}
	const faceId = given.faceId === undefined ? '' : String(given.faceId).trim();
	const face = faceId === '' ? faces[0] : faces.find((each) => each.id === faceId);
	if (!face) {
		fail(
			this,
			`Face ID "${faceId}" is not a face Kling found in the video`,
			`The faces it found: ${faces.map((each) => `"${each.id}" (${msText(each.startMs)} to ${msText(each.endMs)})`).join(', ')}. No lip-sync task was made.`,
		);
	}
	const insert = insertGiven ?? face.startMs;
	const videoEnd = Math.max(...faces.map((each) => each.endMs));
	const insertEnd = insert + length;
	if (insertEnd > videoEnd) {
		fail(
			this,
			`The speech would run past the end of the video: inserted at ${msText(insert)} and ${secondsText(length / 1000)} long, it would end at ${msText(insertEnd)}, and the video ends at ${msText(videoEnd)}`,
			'Use a shorter speech (or Options › Sound Start Time and Sound End Time to use part of it), or an earlier Sound Insert Time. No lip-sync task was made.',
		);
	}
	const overlap = Math.min(insertEnd, face.endMs) - Math.max(insert, face.startMs);
	if (overlap < MIN_LIP_SYNC_MS) {
		fail(
			this,
			`The speech (${msText(insert)} to ${msText(insertEnd)}) overlaps face "${face.id}" (${msText(face.startMs)} to ${msText(face.endMs)}) for ${msText(Math.max(0, overlap))}, and Kling needs at least ${MIN_LIP_SYNC_MS / 1000} s`,
			'Set Options › Sound Insert Time to a moment the face is seen, or choose another Face ID. No lip-sync task was made.',
		);
	}

	delete body.video_id;
	delete body.video_url;
	delete body.audio_id;
	delete body.sound_file;
	body.session_id = sessionId;
	body.face_choose = [
		{
			face_id: face.id,
			...speech.field,
			sound_start_time: start,
			sound_end_time: end,
			sound_insert_time: insert,
			...volumes,
		},
	];
	return request;
}

/** The speech's length in ms: from the file's header, else from Speech Duration (Seconds). */
function speechLengthMs(ctx: KlingItemContext, fromFile: number | undefined): number | undefined {
	if (fromFile !== undefined) return Math.round(fromFile * 1000);
	const given = ctx.getNodeParameter('speechDurationSeconds', 0);
	if (given === 0 || given === '' || given === undefined || given === null) return undefined;
	const seconds = checkNumberInRange(ctx, 'Speech Duration (Seconds)', given, 0, 3600);
	checkSpeechSeconds(ctx, 'Speech', seconds, LIP_SYNC_SOUND);
	return Math.round(seconds * 1000);
}

function speechKind(source: SpeechSource, format: string | undefined): string {
	if (source === 'audioId') return 'an audio ID';
	if (source === 'url') return 'a URL';
	return `an ${String(format).toUpperCase()} file`;
}

/**
 * Kling's two steps in one: `POST /v1/videos/identify-face` (which faces the video shows, and a
 * session), then `POST /v1/videos/advanced-lip-sync` with the chosen face and the speech.
 */
export const lipSync: NodeOperation = {
	value: 'lipSync',
	name: PRODUCTS.lipSync.label,
	action: 'Sync the lips in a video to a speech',
	description: 'Start a task that makes a face in a video say a speech (2 to 60 seconds)',
	creates: 'lipSync',
	request: lipSyncRequest,
	checks: [checkLipSync],
	send: sendCreateTask('lipSync'),
	properties,
	options,
};
