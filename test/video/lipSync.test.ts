import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { makeAac, makeMp3, makeWav } from '../../simulator';
import { KlingTestbed, accessKeyCredentials, expectNoSecrets, secretsSeen } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { IDENTIFY_FACE, LIP_SYNC, postsTo, talkingRequests, withFiles } from './talkingHelpers';

/**
 * Kling Video › Lip-Sync: Kling's two steps in one node, `POST /v1/videos/identify-face` (a
 * read) then `POST /v1/videos/advanced-lip-sync` with the chosen face and the speech. What Kling
 * would refuse is refused before the lip-sync task is made.
 */
const bed = new KlingTestbed({ timing: { submittedMs: 40, processingMs: 200 }, videoBytes: 256 });
beforeAll(async () => {
	await bed.start();
	bed.useApiKey();
});
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

const sample = (name: string) => `${bed.sim.url}/samples/${name}`;

async function run(parameters: INodeParameters, inputItems?: INodeExecutionData[]) {
	return await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: { operation: 'lipSync', ...parameters },
		inputItems,
	});
}

function speech(bytes: Buffer, extension = 'wav'): INodeExecutionData[] {
	return [withFiles({ data: [bytes, extension] })];
}

function lipSyncBody(): Record<string, unknown> {
	const creates = postsTo(bed, LIP_SYNC);
	expect(creates).toHaveLength(1);
	const body = JSON.parse(creates[0].body) as Record<string, unknown>;
	expect(body.external_task_id).toMatch(/^n8n-/);
	delete body.external_task_id;
	return body;
}

describe('Kling Video: Lip-Sync, the requests', () => {
	it('identifies the faces of a video URL, then syncs all of a WAV from the start of the first face', async () => {
		const result = await run(
			{ videoSource: 'url', video: sample('presenter-10s.mp4') },
			speech(makeWav(4)),
		);
		expect(result.error).toBeUndefined();
		expect(JSON.parse(postsTo(bed, IDENTIFY_FACE)[0].body)).toEqual({
			video_url: sample('presenter-10s.mp4'),
		});
		const body = lipSyncBody();
		expect(body).toEqual({
			session_id: expect.any(String),
			face_choose: [
				{
					face_id: '0',
					sound_file: makeWav(4).toString('base64'),
					sound_start_time: 0,
					sound_end_time: 4000,
					sound_insert_time: 0,
				},
			],
		});
		expect(result.items[0].json).toMatchObject({ task_status: 'submitted' });
		// identify-face first, then the one lip-sync create.
		expect(talkingRequests(bed).map((request) => request.path)).toEqual([IDENTIFY_FACE, LIP_SYNC]);
	});

	it('reads an MP3’s length from its frames', async () => {
		const result = await run({ video: sample('presenter-10s.mp4') }, speech(makeMp3(3), 'mp3'));
		expect(result.error).toBeUndefined();
		const [choice] = lipSyncBody().face_choose as Array<Record<string, unknown>>;
		expect(choice.sound_end_time).toBe(3000);
	});

	it('takes a video ID, an audio ID with its duration, a chosen face, the times and volumes from Options', async () => {
		const result = await run({
			videoSource: 'videoId',
			video: 'sim-video-two-faces',
			speechSource: 'audioId',
			speech: 'sim-audio-5s',
			speechDurationSeconds: 5,
			options: {
				faceId: '1',
				soundStartTime: 1000,
				soundInsertTime: 6000,
				soundVolume: 1.5,
				originalAudioVolume: 0.2,
			},
		});
		expect(result.error).toBeUndefined();
		expect(JSON.parse(postsTo(bed, IDENTIFY_FACE)[0].body)).toEqual({
			video_id: 'sim-video-two-faces',
		});
		expect(lipSyncBody()).toEqual({
			session_id: expect.any(String),
			face_choose: [
				{
					face_id: '1',
					audio_id: 'sim-audio-5s',
					sound_start_time: 1000,
					sound_end_time: 5000,
					sound_insert_time: 6000,
					sound_volume: 1.5,
					original_audio_volume: 0.2,
				},
			],
		});
	});

	it('puts the speech where the chosen face is first seen by default', async () => {
		const result = await run(
			{ video: sample('two-faces-12s.mp4'), options: { faceId: '1' } },
			speech(makeWav(3)),
		);
		expect(result.error).toBeUndefined();
		const [choice] = lipSyncBody().face_choose as Array<Record<string, unknown>>;
		expect(choice).toMatchObject({ face_id: '1', sound_insert_time: 4000, sound_end_time: 3000 });
	});

	it('waits for the lip-sync task by Poll at its endpoint, with Additional Fields', async () => {
		const result = await run(
			{
				video: sample('presenter-10s.mp4'),
				waitForCompletion: 'poll',
				simplify: true,
				additionalFields: { externalTaskId: 'lips-1', watermark: true },
				options: { pollInterval: 0.003, maxPollInterval: 0.03 },
			},
			speech(makeWav(4)),
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			status: 'succeeded',
			externalTaskId: 'lips-1',
			duration: 10,
		});
		const body = JSON.parse(postsTo(bed, LIP_SYNC)[0].body) as Record<string, unknown>;
		expect(body).toMatchObject({ external_task_id: 'lips-1', watermark_info: { enabled: true } });
		const reads = bed.apiRequests().filter((request) => request.method === 'GET');
		expect(reads.every((read) => read.path.startsWith(`${LIP_SYNC}/`))).toBe(true);
	});

	it('works with an access key + secret key; no secret in the output or an error', async () => {
		const credentials = accessKeyCredentials(bed.sim.url);
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'lipSync', video: sample('presenter-10s.mp4') },
			inputItems: speech(makeWav(4)),
			credentials,
		});
		expect(result.error).toBeUndefined();
		const refused = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'lipSync', video: sample('landscape-noface-8s.mp4') },
			inputItems: speech(makeWav(4)),
			credentials,
		});
		expect(refused.error).toBeDefined();
		expectNoSecrets(
			JSON.stringify([result.items, refused.error?.message, refused.error?.description]),
			secretsSeen(bed.sim, credentials),
		);
	});
});

describe('Kling Video: Lip-Sync, refusals (no lip-sync task made)', () => {
	const beforeIdentify: Array<[string, INodeParameters, INodeExecutionData[] | undefined, RegExp]> =
		[
			[
				'a speech shorter than 2 s',
				{},
				speech(makeWav(1.5)),
				/^Speech is 1.5 s long, and Lip-Sync takes a speech of 2 s to 60 s$/,
			],
			[
				'a speech over 60 s',
				{},
				speech(makeWav(61)),
				/^Speech is 61 s long, and Lip-Sync takes a speech of 2 s to 60 s$/,
			],
			[
				'a cropped speech under 2 s',
				{ options: { soundStartTime: 2500 } },
				speech(makeWav(4)),
				/^The speech used is 1.5 s long \(2500 ms to 4000 ms\), and Lip-Sync needs at least 2 s$/,
			],
			[
				'an end after the speech',
				{ options: { soundEndTime: 5000 } },
				speech(makeWav(4)),
				/^Sound End Time is 5000 ms, after the end of the speech \(4000 ms\)$/,
			],
			[
				'an audio ID whose length is unknown',
				{ speechSource: 'audioId', speech: 'sim-audio-5s' },
				undefined,
				/^Lip-Sync needs the length of the speech, and the node cannot read it from an audio ID$/,
			],
			[
				'an AAC file whose length is unknown',
				{},
				speech(makeAac(4), 'aac'),
				/^Lip-Sync needs the length of the speech, and the node cannot read it from an AAC file$/,
			],
			[
				'a Speech Duration over 60 s',
				{ speechSource: 'url', speech: 'https://example.com/a.mp3', speechDurationSeconds: 75 },
				undefined,
				/^Speech is 75 s long, and Lip-Sync takes a speech of 2 s to 60 s$/,
			],
			[
				'no video',
				{ video: '' },
				speech(makeWav(4)),
				/^Video must be an http:\/\/ or https:\/\/ URL/,
			],
			[
				'no video ID in the input item',
				{ videoSource: 'videoId', video: '={{ $json.videoId }}' },
				speech(makeWav(4)),
				/^Video is required/,
			],
			[
				'a volume over 2',
				{ options: { soundVolume: 3 } },
				speech(makeWav(4)),
				/^Speech Volume must be a number from 0 to 2, but it is 3$/,
			],
		];

	it.each(beforeIdentify)(
		'refuses %s before anything is sent',
		async (_case, parameters, items, message) => {
			const result = await run({ video: sample('presenter-10s.mp4'), ...parameters }, items);
			expect(result.error?.message).toMatch(message);
			expect(talkingRequests(bed)).toHaveLength(0);
		},
	);

	const afterIdentify: Array<[string, INodeParameters, number, RegExp]> = [
		[
			'a video without a face',
			{ video: 'landscape-noface-8s.mp4' },
			4,
			/^Kling found no face in the video, so it cannot sync lips in it$/,
		],
		[
			'a face the video does not have',
			{ video: 'presenter-10s.mp4', options: { faceId: '3' } },
			4,
			/^Face ID "3" is not a face Kling found in the video$/,
		],
		[
			'a speech that overruns the video',
			{ video: 'presenter-10s.mp4', options: { soundInsertTime: 7000 } },
			4,
			/^The speech would run past the end of the video: inserted at 7000 ms and 4 s long, it would end at 11000 ms, and the video ends at 10000 ms$/,
		],
		[
			'a speech that misses the face',
			{ video: 'two-faces-12s.mp4', options: { faceId: '0', soundInsertTime: 6000 } },
			4,
			/^The speech \(6000 ms to 10000 ms\) overlaps face "0" \(0 ms to 7000 ms\) for 1000 ms, and Kling needs at least 2 s$/,
		],
	];

	it.each(afterIdentify)(
		'refuses %s after identify-face, with no lip-sync create',
		async (_case, parameters, seconds, message) => {
			const result = await run(
				{ ...parameters, video: sample(String(parameters.video)) },
				speech(makeWav(seconds)),
			);
			expect(result.error?.message).toMatch(message);
			expect(postsTo(bed, IDENTIFY_FACE)).toHaveLength(1);
			expect(postsTo(bed, LIP_SYNC)).toHaveLength(0);
		},
	);

	it('names the faces Kling found when the chosen one is not among them', async () => {
		const result = await run(
			{ video: sample('two-faces-12s.mp4'), options: { faceId: '7' } },
			speech(makeWav(4)),
		);
		expect(result.error?.description).toMatch(
			/^The faces it found: "0" \(0 ms to 7000 ms\), "1" \(4000 ms to 12000 ms\)\./,
		);
	});
});
