import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { SpeechSource } from '../checks/audioInput';

type Show = NonNullable<IDisplayOptions['show']>;

/** The audio ID of Text to Speech's output item before the node (simplified or not). */
export const AUDIO_ID_FROM_INPUT = '={{ $json.audioId ?? $json.task_result?.audios?.[0]?.id }}';

const SPEECH_HINT: Record<SpeechSource, string> = {
	binaryField:
		'the name of a binary field of the input item holding an MP3, WAV, M4A or AAC file of at most 5 MB',
	url: 'an http(s) URL of an MP3, WAV, M4A or AAC file of at most 5 MB',
	audioId:
		'the audio ID Text to Speech answered, less than 30 days old (by default, the audioId of the input item)',
};

function speechField(
	show: Show,
	source: SpeechSource,
	fallback: string,
	length: string,
): INodeProperties {
	return {
		displayName: 'Speech',
		name: 'speech',
		type: 'string',
		default: fallback,
		placeholder: source === 'url' ? 'https://example.com/speech.mp3' : '',
		description: `What is said: ${SPEECH_HINT[source]}. ${length}.`,
		displayOptions: { show: { ...show, speechSource: [source] } },
	};
}

/**
 * Speech Source and Speech of Avatar and Lip-Sync: one Speech field per source, so each says
 * what it takes (the binary field defaults to n8n's "data", the audio ID to the input item's).
 */
export function speechFields(show: Show, length: string): INodeProperties[] {
	return [
		{
			displayName: 'Speech Source',
			name: 'speechSource',
			type: 'options',
			options: [
				{
					name: 'Binary Field',
					value: 'binaryField',
					description: 'A sound file the input item carries (from HTTP Request, Read Files…)',
				},
				{
					name: 'URL',
					value: 'url',
					description: 'A sound file Kling downloads from a public URL',
				},
				{
					name: 'Audio ID',
					value: 'audioId',
					description: 'The audio of Kling Text to Speech (the Audio resource of this node)',
				},
			],
			default: 'binaryField',
			description: 'Where the speech comes from',
			displayOptions: { show },
		},
		speechField(show, 'binaryField', 'data', length),
		speechField(show, 'url', '', length),
		speechField(show, 'audioId', AUDIO_ID_FROM_INPUT, length),
	];
}
