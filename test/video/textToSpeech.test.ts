import type { IBinaryData } from 'n8n-workflow';

import { makeWav } from '../../simulator';
import { readBinary } from '../harness/binary';
import {
	KlingTestbed,
	accessKeyCredentials,
	apiKeyCredentials,
	expectNoSecrets,
	secretsSeen,
} from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { AVATAR, TTS, postsTo, runChain, sentBody, talkingRequests } from './talkingHelpers';

/**
 * Kling Video › Audio › Text to Speech: `POST /v1/audio/tts` (synchronous, legacy: an API key or
 * an access key + secret key); the item has the audio ID, URL and duration, and the audio file.
 */
const bed = new KlingTestbed();
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => {
	bed.sim.reset();
	bed.useApiKey();
});

async function tts(parameters: Record<string, unknown>) {
	return await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: { resource: 'audio', operation: 'textToSpeech', ...parameters },
	});
}

const TEXT = 'Hello, and welcome to our channel! Today we make a talking video.';

describe('Kling Video: Text to Speech', () => {
	it('sends text, voice, language and speed as Kling names them, and outputs the audio', async () => {
		const result = await tts({ text: TEXT });
		expect(result.error).toBeUndefined();
		expect(sentBody(bed, TTS)).toEqual({
			text: TEXT,
			voice_id: 'oversea_male1',
			voice_language: 'en',
			voice_speed: 1,
		});
		const [item] = result.items;
		const audio = bed.sim.getAudio(String(item.json.audioId));
		expect(audio).toBeDefined();
		expect(item.json).toEqual({
			audioId: audio?.id,
			url: `${bed.sim.url}/audios/${audio?.id}.wav`,
			duration: audio?.seconds,
			cost: { amount: 0.05, unit: 'units' },
		});
		expect(typeof item.json.duration).toBe('number');
		const binary = item.binary?.data as IBinaryData;
		expect(binary).toMatchObject({ fileName: `${audio?.id}.wav`, mimeType: 'audio/wav' });
		expect(await readBinary(binary)).toEqual(makeWav(audio?.seconds ?? 0));
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('takes a Chinese voice, and a speed rounded to one decimal', async () => {
		const result = await tts({
			text: '你好',
			voiceId: 'chinese_female1',
			voiceLanguage: 'zh',
			voiceSpeed: 1.26,
		});
		expect(result.error).toBeUndefined();
		expect(sentBody(bed, TTS)).toEqual({
			text: '你好',
			voice_id: 'chinese_female1',
			voice_language: 'zh',
			voice_speed: 1.3,
		});
	});

	it('works with an access key + secret key (a legacy endpoint)', async () => {
		const credentials = accessKeyCredentials(bed.sim.url);
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'audio', operation: 'textToSpeech', text: TEXT },
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.audioId).toEqual(expect.any(String));
		expect(postsTo(bed, TTS)[0].headers.authorization).toMatch(/^Bearer ey/);
		expectNoSecrets(JSON.stringify(result.items), secretsSeen(bed.sim, credentials));
	});

	const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
		['an empty text', { text: '  ' }, /^Text is required, but it is only spaces$/],
		[
			'a text over 1,000 characters',
			{ text: 'a'.repeat(1001) },
			/^Text is too long: 1001 characters, and Kling allows at most 1000$/,
		],
		['no voice', { text: TEXT, voiceId: '' }, /^Voice is required/],
		[
			'a language Kling does not take',
			{ text: TEXT, voiceLanguage: 'fr' },
			/^Voice Language must be "en" or "zh", but it is "fr"$/,
		],
		[
			'a speed out of 0.8-2.0',
			{ text: TEXT, voiceSpeed: 2.5 },
			/^Voice Speed must be a number from 0.8 to 2, but it is 2.5$/,
		],
	];

	it.each(refusals)('refuses %s before anything is sent', async (_case, parameters, message) => {
		const result = await tts(parameters);
		expect(result.error?.message).toMatch(message);
		expect(talkingRequests(bed)).toHaveLength(0);
	});

	it('passes on Kling’s refusal of a voice outside its catalogue (given by an expression)', async () => {
		const result = await tts({ text: TEXT, voiceId: '={{ "presets-829" }}' });
		expect(result.error?.message).toMatch(/Voice id not found/);
		expect(postsTo(bed, TTS)).toHaveLength(1);
		const credentials = apiKeyCredentials(bed.sim.url);
		expectNoSecrets(
			JSON.stringify({ message: result.error?.message, description: result.error?.description }),
			secretsSeen(bed.sim, credentials),
		);
	});
});

describe('Text to Speech → Avatar in one workflow run', () => {
	it('the audio ID flows into Avatar’s Speech by default', async () => {
		const result = await runChain(
			{ resource: 'audio', operation: 'textToSpeech', text: TEXT },
			{
				operation: 'avatar',
				imageSource: 'url',
				image: 'https://example.com/face.png',
				speechSource: 'audioId',
			},
			apiKeyCredentials(bed.sim.url),
		);
		expect(result.error).toBeUndefined();
		const audioId = String(result.first[0].json.audioId);
		expect(sentBody(bed, AVATAR)).toEqual({
			image: 'https://example.com/face.png',
			audio_id: audioId,
			mode: 'std',
		});
		const task = bed.sim.getTalkingTask(String(result.second[0].json.task_id));
		expect(task).toBeDefined();
		expect(result.second[0].json).toMatchObject({ task_status: 'submitted' });
	});

	it('and Speech Source Binary Field takes the audio file Text to Speech output', async () => {
		const result = await runChain(
			{ resource: 'audio', operation: 'textToSpeech', text: TEXT },
			{ operation: 'avatar', imageSource: 'url', image: 'https://example.com/face.png' },
			apiKeyCredentials(bed.sim.url),
		);
		expect(result.error).toBeUndefined();
		const audio = bed.sim.getAudio(String(result.first[0].json.audioId));
		expect(sentBody(bed, AVATAR)).toEqual({
			image: 'https://example.com/face.png',
			sound_file: makeWav(audio?.seconds ?? 0).toString('base64'),
			mode: 'std',
		});
	});
});
