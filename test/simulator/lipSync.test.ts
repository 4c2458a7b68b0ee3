import {
	type SimulatedCurrentTask,
	type SimulatedTask,
	lipSyncUnits,
	makeMp4,
	makeWav,
	readAudioInfo,
} from '../../simulator';
import { TASKS, createdAnswer, useSimulatorAndReceiver, waitFor } from './helpers';
import {
	AVATAR,
	type FileServer,
	IDENTIFY_FACE,
	LIP_SYNC,
	TTS,
	startFileServer,
} from './talkingHelpers';
import { base64, makePng } from './testImages';

describe('simulator face identification (POST /v1/videos/identify-face)', () => {
	const ctx = useSimulatorAndReceiver({ timing: 'manual' });
	let files: FileServer;
	beforeAll(async () => {
		files = await startFileServer();
	});
	afterAll(() => files.close());

	const identify = async (body: Record<string, unknown>) => {
		const response = await ctx.h.apiKey.post(IDENTIFY_FACE, body);
		return response.data;
	};
	const spans = (data: { data: { face_data: Array<Record<string, unknown>> } }) =>
		data.data.face_data.map((f) => [f.face_id, f.start_time, f.end_time]);

	it('finds one face over a video the simulator made, and answers a session at once', async () => {
		const { h } = ctx;
		const answer = await identify({ video_id: 'sim-video-5s', video_url: '' });
		expect(answer).toEqual({
			code: 0,
			message: 'SUCCEED',
			request_id: expect.any(String),
			data: {
				session_id: expect.stringMatching(/^\d{18}$/),
				final_unit_deduction: '0.05',
				face_data: [
					{
						face_id: '0',
						face_image: `${h.url}/samples/face-0.png`,
						start_time: 0,
						end_time: 5000,
					},
				],
			},
		});
		const image = await h.raw.get(answer.data.face_data[0].face_image, {
			responseType: 'arraybuffer',
		});
		expect([image.status, image.headers['content-type']]).toEqual([200, 'image/png']);
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBeCloseTo(1_000_000 - 0.05, 6);
	});

	it('follows the face convention: none, two, or one over the whole length', async () => {
		const { h } = ctx;
		expect(spans(await identify({ video_id: 'sim-video-noface' }))).toEqual([]);
		expect(spans(await identify({ video_id: 'sim-video-two-faces' }))).toEqual([
			['0', 0, 7000],
			['1', 4000, 12000],
		]);
		expect(
			spans(await identify({ video_url: `${h.url}/samples/landscape-noface-8s.mp4` })),
		).toEqual([]);
		expect(spans(await identify({ video_url: `${h.url}/samples/two-faces-12s.mp4` }))).toEqual([
			['0', 0, 7000],
			['1', 4000, 12000],
		]);
		expect(spans(await identify({ video_url: `${h.url}/samples/presenter-10s.mov` }))).toEqual([
			['0', 0, 10000],
		]);
		files.put('/clip.mp4', makeMp4(9.5));
		expect(spans(await identify({ video_url: `${files.url}/clip.mp4` }))).toEqual([['0', 0, 9500]]);
		// An avatar video the simulator made, by id and by its URL.
		const avatar = await h.apiKey.post(AVATAR, {
			image: base64(makePng(400, 400)),
			sound_file: base64(makeWav(6.25)),
		});
		await h.sim.advance(avatar.data.data.task_id);
		await h.sim.advance(avatar.data.data.task_id);
		const video = h.sim.getTalkingTask(avatar.data.data.task_id)!.task_result.videos[0];
		expect(spans(await identify({ video_id: video.id }))).toEqual([['0', 0, 6250]]);
		expect(spans(await identify({ video_url: video.watermark_url || video.url }))).toEqual([
			['0', 0, 6250],
		]);
	});

	it('refuses what it cannot take, naming the rule', async () => {
		const { h } = ctx;
		const bad = (message: string) => ({ code: 1201, message: `invalid parameter: ${message}` });
		expect(await identify({})).toMatchObject(
			bad('video_id or video_url is required (exactly one)'),
		);
		expect(
			await identify({ video_id: 'sim-video-5s', video_url: `${h.url}/videos/sim-video-5s.mp4` }),
		).toMatchObject(bad('video_id and video_url are mutually exclusive: give exactly one'));
		expect(await identify({ video_id: 'nope' })).toMatchObject({
			code: 1203,
			message: "resource not found: video_id 'nope' does not exist",
		});
		expect(await identify({ video_id: 'sim-video-v1-old' })).toMatchObject(
			bad(
				"video_id 'sim-video-v1-old' was made more than 30 days ago: identify-face takes videos of the last 30 days",
			),
		);
		expect(await identify({ video_id: 'sim-video-175s' })).toMatchObject(
			bad("video_id 'sim-video-175s' is 175 s long: identify-face takes videos of at most 60 s"),
		);
		expect(await identify({ video_url: `${h.url}/samples/presenter-1s.mp4` })).toMatchObject(
			bad('video_url is 1 s long: it must be 2 to 60 s'),
		);
		expect(await identify({ video_url: `${h.url}/samples/presenter-75s.mp4` })).toMatchObject(
			bad('video_url is 75 s long: it must be 2 to 60 s'),
		);
		expect(await identify({ video_url: `${h.url}/samples/speech-5s.wav` })).toMatchObject(
			bad('video_url must be an MP4 or MOV video (got RIFF WAVE)'),
		);
		expect(await identify({ video_url: `${files.url}/gone.mp4` })).toMatchObject(
			bad('video_url could not be downloaded: HTTP 404'),
		);
		expect(await identify({ video_url: 'https://example.com/a.mp4' })).toMatchObject(
			bad(
				'video_url could not be downloaded: the simulator reaches only http URLs on this machine (127.0.0.1, localhost) and its own files',
			),
		);
		expect(await identify({ video_url: 'a.mp4' })).toMatchObject(
			bad('video_url must be an http(s) URL of an MP4 or MOV video'),
		);
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(1_000_000);
	});
});

describe('simulator advanced lip-sync (POST /v1/videos/advanced-lip-sync)', () => {
	const ctx = useSimulatorAndReceiver({ timing: 'manual' });

	const session = async (body: Record<string, unknown>): Promise<string> => {
		const response = await ctx.h.apiKey.post(IDENTIFY_FACE, body);
		expect(response.data.code).toBe(0);
		return response.data.data.session_id;
	};
	const face = (overrides: Record<string, unknown> = {}) => ({
		face_id: '0',
		audio_id: 'sim-audio-5s',
		sound_start_time: 0,
		sound_end_time: 3000,
		sound_insert_time: 1000,
		...overrides,
	});

	it('lip-syncs a face of a session: parent video, length, units, GET, list, /tasks, callbacks', async () => {
		const { h, receiver } = ctx;
		const sessionId = await session({ video_id: 'sim-video-two-faces' });
		const tts = await h.apiKey.post(TTS, { text: 'd'.repeat(90), voice_id: 'chinese_male1' });
		const audio = tts.data.data.task_result.audios[0];
		expect(audio.duration).toBe('6');
		const created = await h.api.post(LIP_SYNC, {
			session_id: sessionId,
			face_choose: [
				face({
					face_id: '1',
					audio_id: audio.id,
					sound_start_time: 1000,
					sound_end_time: 6000,
					sound_insert_time: 7000,
					sound_volume: 2,
					original_audio_volume: 0,
				}),
			],
			external_task_id: 'lips-1',
			callback_url: receiver.url,
		});
		expect(created.data).toEqual(createdAnswer('lips-1'));
		const taskId = created.data.data.task_id;
		await h.sim.advance(taskId);
		await h.sim.advance(taskId);
		const task = (await h.api.get(`${LIP_SYNC}/${taskId}`)).data.data as SimulatedTask;
		expect(task).toEqual({
			task_id: taskId,
			task_status: 'succeed',
			task_status_msg: '',
			task_info: {
				parent_video: {
					id: 'sim-video-two-faces',
					url: `${h.url}/videos/sim-video-two-faces.mp4`,
					duration: '12',
				},
				external_task_id: 'lips-1',
			},
			task_result: {
				videos: [
					{
						id: expect.stringMatching(/^sim-video-/),
						url: expect.stringMatching(/\.mp4$/),
						watermark_url: '',
						duration: '12',
					},
				],
			},
			watermark_info: { enabled: false },
			// 0.5 units per started 5 s of the video: 3 × 0.5.
			final_unit_deduction: '1.5',
			created_at: created.data.data.created_at,
			updated_at: expect.any(Number),
		});
		expect(lipSyncUnits(12)).toBe(1.5);
		expect((await h.apiKey.get(`${LIP_SYNC}/lips-1`)).data.data).toEqual(task);
		expect((await h.apiKey.get(LIP_SYNC)).data.data).toEqual([task]);
		expect((await h.apiKey.get(`${AVATAR}/${taskId}`)).data.code).toBe(1203);
		const current = await h.apiKey.get(TASKS, { params: { external_task_ids: 'lips-1' } });
		expect((current.data.data as SimulatedCurrentTask[])[0]).toMatchObject({
			id: taskId,
			status: 'succeeded',
			outputs: [{ type: 'video', duration: '12' }],
			billing: [{ charge_type: 'unit', amount: '1.5', package_type: 'video' }],
		});
		await waitFor(() => receiver.received.length >= 3, 3000, 'three callbacks');
		expect(JSON.parse(receiver.received[2].body)).toEqual(task);
		// Identify-face, TTS and the lip-sync, from the video pack.
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBeCloseTo(
			1_000_000 - 0.05 - 0.05 - 1.5,
			6,
		);
	});

	it('keeps a copy of a video_url as the parent video, and takes a sound_file', async () => {
		const { h } = ctx;
		const sessionId = await session({ video_url: `${h.url}/samples/presenter-10s.mp4` });
		const created = await h.apiKey.post(LIP_SYNC, {
			session_id: sessionId,
			face_choose: [
				face({
					audio_id: '',
					sound_file: `${h.url}/samples/speech-4s.mp3`,
					sound_end_time: 3984,
					sound_insert_time: 6000,
				}),
			],
			watermark_info: { enabled: true },
		});
		expect(created.data.code).toBe(0);
		const taskId = created.data.data.task_id;
		await h.sim.advance(taskId);
		await h.sim.advance(taskId);
		const task = h.sim.getTalkingTask(taskId)!;
		const parent = task.task_info.parent_video;
		expect(parent).toEqual({
			id: expect.stringMatching(/^sim-video-/),
			url: `${h.url}/videos/${parent.id}.mp4`,
			duration: '10',
		});
		expect(task.task_result.videos[0]).toMatchObject({
			duration: '10',
			watermark_url: expect.stringMatching(/\.watermarked\.mp4$/),
		});
		expect(task.final_unit_deduction).toBe('1');
		const sample = await h.raw.get('/samples/speech-4s.mp3', { responseType: 'arraybuffer' });
		expect(readAudioInfo(Buffer.from(sample.data)).seconds).toBeCloseTo(4.008, 9);
	});

	it('refuses each broken rule with 1201 naming it, and creates nothing', async () => {
		const { h } = ctx;
		const twoFaces = await session({ video_id: 'sim-video-two-faces' });
		const noFace = await session({ video_id: 'sim-video-noface' });
		const refused = async (body: Record<string, unknown>) => {
			const response = await h.apiKey.post(LIP_SYNC, {
				session_id: twoFaces,
				face_choose: [face()],
				...body,
			});
			return [response.status, response.data.code, response.data.message];
		};
		const bad = (message: string) => [400, 1201, `invalid parameter: ${message}`];
		const with_ = (overrides: Record<string, unknown>) => ({ face_choose: [face(overrides)] });

		expect(await refused({ session_id: undefined })).toEqual(
			bad('session_id is required: the session_id identify-face answered'),
		);
		expect(await refused({ session_id: '850508686686064678' })).toEqual(
			bad(
				"session_id '850508686686064678' is unknown or expired (sessions last 24 hours): call identify-face again",
			),
		);
		expect(await refused({ face_choose: [] })).toEqual(
			bad(
				'face_choose is required: a list of exactly one face (lip-sync takes one person; got 0 items)',
			),
		);
		expect(await refused({ face_choose: [face(), face({ face_id: '1' })] })).toEqual(
			bad(
				'face_choose is required: a list of exactly one face (lip-sync takes one person; got 2 items)',
			),
		);
		expect(await refused({ face_choose: ['0'] })).toEqual(
			bad('face_choose[0] must be an object {face_id, audio_id | sound_file, …}'),
		);
		expect(await refused(with_({ face_id: undefined }))).toEqual(
			bad('face_choose[0].face_id is required: a face_id identify-face answered'),
		);
		expect(await refused(with_({ face_id: '2' }))).toEqual(
			bad(`face_choose[0].face_id '2' is not a face of session '${twoFaces}' (faces: 0, 1)`),
		);
		expect(await refused({ session_id: noFace })).toEqual(
			bad(
				`face_choose[0].face_id '0' is not a face of session '${noFace}' (no face was found in this video)`,
			),
		);
		expect(await refused(with_({ sound_insert_time: undefined }))).toEqual(
			bad('face_choose[0].sound_insert_time is required: milliseconds, an integer >= 0 (got null)'),
		);
		expect(await refused(with_({ sound_start_time: -1 }))).toEqual(
			bad('face_choose[0].sound_start_time is required: milliseconds, an integer >= 0 (got -1)'),
		);
		expect(await refused(with_({ sound_end_time: '3000' }))).toEqual(
			bad('face_choose[0].sound_end_time is required: milliseconds, an integer >= 0 (got "3000")'),
		);
		expect(await refused(with_({ sound_volume: 2.5 }))).toEqual(
			bad('face_choose[0].sound_volume must be a number in [0, 2] (got 2.5)'),
		);
		expect(await refused(with_({ original_audio_volume: -0.1 }))).toEqual(
			bad('face_choose[0].original_audio_volume must be a number in [0, 2] (got -0.1)'),
		);
		expect(await refused(with_({ audio_id: undefined }))).toEqual(
			bad(
				'face_choose[0].audio_id or face_choose[0].sound_file is required (exactly one: an audio id from text to speech, or a sound file)',
			),
		);
		expect(await refused(with_({ sound_file: base64(makeWav(3)) }))).toEqual(
			bad(
				'face_choose[0].audio_id and face_choose[0].sound_file are mutually exclusive: give exactly one',
			),
		);
		expect(await refused(with_({ audio_id: 'sim-audio-75s' }))).toEqual(
			bad('face_choose[0].audio_id is 75 s long: it must be 2 to 60 s'),
		);
		expect(await refused(with_({ audio_id: 'sim-audio-old' }))).toEqual(
			bad(
				"face_choose[0].audio_id 'sim-audio-old' was made more than 30 days ago: only audio of the last 30 days is taken",
			),
		);
		expect(await refused(with_({ audio_id: undefined, sound_file: base64(makeWav(61)) }))).toEqual(
			bad('face_choose[0].sound_file is 61 s long: it must be 2 to 60 s'),
		);
		expect(await refused(with_({ sound_start_time: 3000, sound_end_time: 3000 }))).toEqual(
			bad('face_choose[0].sound_end_time must be after sound_start_time (got 3000 and 3000)'),
		);
		expect(await refused(with_({ sound_end_time: 5001 }))).toEqual(
			bad(
				'face_choose[0].sound_end_time must not be after the end of the sound (5000 ms; got 5001)',
			),
		);
		expect(await refused(with_({ sound_start_time: 1500, sound_end_time: 3499 }))).toEqual(
			bad(
				'face_choose[0].sound_start_time to sound_end_time: the cropped sound must be at least 2000 ms (got 1999)',
			),
		);
		expect(await refused(with_({ sound_insert_time: 9001 }))).toEqual(
			bad(
				"face_choose[0].sound_insert_time: the inserted sound must stay inside the video: it would end at 12001 ms, after the video's end (12000 ms)",
			),
		);
		// Face 0 is on screen 0–7 s: 5.5–8.5 s overlaps it 1.5 s.
		expect(await refused(with_({ sound_insert_time: 5500 }))).toEqual(
			bad(
				'face_choose[0].sound_insert_time: the inserted sound (5500–8500 ms) must overlap face "0" (0–7000 ms) for at least 2000 ms (got 1500)',
			),
		);
		expect(await refused(with_({ face_id: '1', sound_insert_time: 0 }))).toEqual(
			bad(
				'face_choose[0].sound_insert_time: the inserted sound (0–3000 ms) must overlap face "1" (4000–12000 ms) for at least 2000 ms (got 0)',
			),
		);
		// At the limits it is taken: 2 s of overlap, ending at the video's end.
		expect((await refused(with_({ sound_insert_time: 5000 })))[1]).toBe(0);
		expect((await refused(with_({ face_id: '1', sound_insert_time: 9000 })))[1]).toBe(0);
		expect(await refused({ external_task_id: 'x' })).toEqual([200, 0, 'SUCCEED']);
		expect(await refused({ external_task_id: 'x' })).toEqual(
			bad("external_task_id 'x' already exists"),
		);
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBeCloseTo(
			1_000_000 - 0.05 * 2 - 1.5 * 3,
			6,
		);
	});

	it('moves through the admin advance route and shows under the admin task route', async () => {
		const { h } = ctx;
		const sessionId = await session({ video_id: 'sim-video-10s' });
		const created = await h.apiKey.post(LIP_SYNC, {
			session_id: sessionId,
			face_choose: [face()],
		});
		const taskId = created.data.data.task_id;
		const advanced = await h.raw.post(`/__sim/tasks/${taskId}/advance`);
		expect(advanced.data).toMatchObject({ task_id: taskId, task_status: 'processing' });
		expect((await h.raw.get(`/__sim/tasks/${taskId}`)).data.task_info.parent_video.id).toBe(
			'sim-video-10s',
		);
	});
});
