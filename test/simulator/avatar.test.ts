import {
	type SimulatedCurrentTask,
	type SimulatedGenerationTask,
	avatarUnits,
	makeAac,
	makeMp3,
	makeWav,
} from '../../simulator';
import { TASKS, createdAnswer, useSimulatorAndReceiver, waitFor } from './helpers';
import { AVATAR, type FileServer, TTS, startFileServer } from './talkingHelpers';
import { base64, makePng } from './testImages';

const IMAGE = base64(makePng(512, 768));

describe('simulator avatar (POST /v1/videos/avatar/image2video)', () => {
	const ctx = useSimulatorAndReceiver({ timing: 'manual' });
	let files: FileServer;
	beforeAll(async () => {
		files = await startFileServer();
	});
	afterAll(() => files.close());

	const refused = async (body: Record<string, unknown>) => {
		const response = await ctx.h.apiKey.post(AVATAR, { image: IMAGE, ...body });
		return [response.status, response.data.code, response.data.message];
	};
	const finish = async (taskId: string) => {
		await ctx.h.sim.advance(taskId);
		await ctx.h.sim.advance(taskId);
	};

	it('makes a talking video as long as a TTS audio, with callbacks, GET, list and /tasks', async () => {
		const { h, receiver } = ctx;
		const tts = await h.apiKey.post(TTS, { text: 'c'.repeat(170), voice_id: 'oversea_male1' });
		const audio = tts.data.data.task_result.audios[0];
		expect(audio.duration).toBe('11.3');
		const created = await h.api.post(AVATAR, {
			image: IMAGE,
			audio_id: audio.id,
			prompt: 'nods while talking',
			callback_url: receiver.url,
			external_task_id: 'avatar-1',
			watermark_info: { enabled: true },
		});
		expect(created.data).toEqual(createdAnswer('avatar-1'));
		const taskId = created.data.data.task_id;
		await finish(taskId);
		const got = await h.api.get(`${AVATAR}/${taskId}`);
		const task = got.data.data as SimulatedGenerationTask;
		expect(task).toEqual({
			task_id: taskId,
			task_status: 'succeed',
			task_status_msg: '',
			task_info: { external_task_id: 'avatar-1' },
			task_result: {
				videos: [
					{
						id: expect.stringMatching(/^sim-video-/),
						url: expect.stringMatching(/\.mp4$/),
						watermark_url: expect.stringMatching(/\.watermarked\.mp4$/),
						duration: '11.3',
					},
				],
			},
			watermark_info: { enabled: true },
			// 0.4 units per whole second at std: 11 s.
			final_unit_deduction: '4.4',
			created_at: created.data.data.created_at,
			updated_at: expect.any(Number),
		});
		expect(avatarUnits('std', 11.3)).toBe(4.4);
		expect((await h.apiKey.get(`${AVATAR}/avatar-1`)).data.data).toEqual(task);
		expect(h.sim.getTalkingTask('avatar-1')).toEqual(task);
		expect(h.sim.getTaskKind(taskId)).toBe('avatar');
		const list = await h.api.get(AVATAR, { params: { pageNum: 1, pageSize: 10 } });
		expect(list.data.data).toEqual([task]);
		expect((await h.api.get(AVATAR, { params: { pageSize: 501 } })).data.code).toBe(1201);
		// Only under its own path.
		expect((await h.api.get(`/v1/videos/image2video/${taskId}`)).data.code).toBe(1203);
		expect((await h.api.get(`${AVATAR}/nope`)).data).toMatchObject({
			code: 1203,
			message: 'task not found: nope',
		});

		await waitFor(() => receiver.received.length >= 3, 3000, 'three callbacks');
		const bodies = receiver.received.map((r) => JSON.parse(r.body) as SimulatedGenerationTask);
		expect(bodies.map((b) => b.task_status)).toEqual(['submitted', 'processing', 'succeed']);
		expect(bodies[2]).toEqual(task);

		const current = await h.apiKey.get(TASKS, { params: { task_ids: taskId } });
		expect(current.data.data as SimulatedCurrentTask[]).toEqual([
			{
				id: taskId,
				status: 'succeeded',
				message: '',
				create_time: task.created_at,
				update_time: task.updated_at,
				external_id: 'avatar-1',
				outputs: [
					{
						type: 'video',
						id: task.task_result.videos[0].id,
						url: task.task_result.videos[0].url,
						watermark_url: task.task_result.videos[0].watermark_url,
						duration: '11.3',
					},
				],
				billing: [{ charge_type: 'unit', amount: '4.4', package_type: 'video' }],
			},
		]);
		// The TTS call and the avatar, from the video pack.
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBeCloseTo(1_000_000 - 0.05 - 4.4, 6);
	});

	it('reads the length of a Base64 WAV, MP3 or AAC, or of a sound_file URL (own samples and loopback)', async () => {
		const { h } = ctx;
		const duration = async (sound_file: string, mode = 'std') => {
			const created = await h.apiKey.post(AVATAR, { image: IMAGE, sound_file, mode });
			expect(created.data.code).toBe(0);
			const taskId = created.data.data.task_id;
			await finish(taskId);
			const video = h.sim.getTalkingTask(taskId)!;
			return [video.task_result.videos[0].duration, video.final_unit_deduction];
		};
		expect(await duration(base64(makeWav(12.27)), 'pro')).toEqual(['12.27', '9.6']);
		expect(await duration(base64(makeMp3(5, { xing: true })))).toEqual(['4.992', '1.6']);
		expect(await duration(base64(makeAac(3)))).toEqual(['3.008', '1.2']);
		expect(await duration(`${h.url}/samples/speech-20s.wav`)).toEqual(['20', '8']);
		expect(await duration(`${h.url}/samples/speech-250.5s.mp3`)).toEqual(['250.512', '100']);
		expect(await duration(`${h.url}/samples/speech-7s.m4a`)).toEqual(['7', '2.8']);
		files.put('/voice.aac', makeAac(10));
		expect(await duration(`${files.url}/voice.aac`)).toEqual(['10.005', '4']);
		files.put('/voice.wav', makeWav(2));
		expect(await duration(`http://localhost:${new URL(files.url).port}/voice.wav`)).toEqual([
			'2',
			'0.8',
		]);
	});

	it('refuses a sound it cannot use, naming the rule', async () => {
		const { h } = ctx;
		const tts = await h.apiKey.post(TTS, { text: 'hello there', voice_id: 'oversea_male1' });
		const audioId = tts.data.data.task_result.audios[0].id;
		const bad = (message: string) => [400, 1201, `invalid parameter: ${message}`];
		expect(await refused({})).toEqual(
			bad(
				'audio_id or sound_file is required (exactly one: an audio id from text to speech, or a sound file)',
			),
		);
		expect(await refused({ audio_id: audioId, sound_file: base64(makeWav(3)) })).toEqual(
			bad('audio_id and sound_file are mutually exclusive: give exactly one'),
		);
		expect(await refused({ audio_id: '930801290416885794' })).toEqual(
			bad("audio_id '930801290416885794' was not made by text to speech (unknown audio id)"),
		);
		expect(await refused({ audio_id: 'sim-audio-old' })).toEqual(
			bad(
				"audio_id 'sim-audio-old' was made more than 30 days ago: only audio of the last 30 days is taken",
			),
		);
		expect(await refused({ audio_id: 'sim-audio-301s' })).toEqual(
			bad('audio_id is 301 s long: it must be 2 to 300 s'),
		);
		expect(await refused({ audio_id: 'sim-audio-1s' })).toEqual(
			bad('audio_id is 1.5 s long: it must be 2 to 300 s'),
		);
		expect(await refused({ sound_file: base64(makeWav(1.999)) })).toEqual(
			bad('sound_file is 1.999 s long: it must be 2 to 300 s'),
		);
		expect(await refused({ sound_file: `${h.url}/samples/speech-300.1s.mp3` })).toEqual(
			bad('sound_file is 300.096 s long: it must be 2 to 300 s'),
		);
		expect(await refused({ sound_file: base64(Buffer.from('OggS\0\x02 and the rest')) })).toEqual(
			bad('sound_file must be MP3, WAV, M4A or AAC audio (got OGG)'),
		);
		// 170 s of 16 kHz 16-bit WAV is 5.44 MB.
		const big = makeWav(170);
		expect(await refused({ sound_file: base64(big) })).toEqual(
			bad(`sound_file must be at most 5 MB (got ${big.length} bytes)`),
		);
		files.put('/big.wav', big);
		expect(await refused({ sound_file: `${files.url}/big.wav` })).toEqual(
			bad('sound_file must be at most 5 MB (got more than 5242880 bytes)'),
		);
		expect(await refused({ sound_file: `data:audio/wav;base64,${base64(makeWav(3))}` })).toEqual(
			bad('sound_file must be a URL or raw Base64 without a "data:" prefix'),
		);
		expect(await refused({ sound_file: 'not base64!' })).toEqual(
			bad('sound_file must be an http(s) URL or Base64-encoded MP3, WAV, M4A or AAC audio'),
		);
		expect(await refused({ sound_file: `${files.url}/missing.mp3` })).toEqual(
			bad('sound_file could not be downloaded: HTTP 404'),
		);
		expect(await refused({ sound_file: `${h.url}/audios/123.wav` })).toEqual(
			bad('sound_file could not be downloaded: HTTP 404'),
		);
		expect(await refused({ sound_file: 'https://example.com/voice.mp3' })).toEqual(
			bad(
				'sound_file could not be downloaded: the simulator reaches only http URLs on this machine (127.0.0.1, localhost) and its own files',
			),
		);
		expect(await refused({ audio_id: 5 })).toEqual(bad('audio_id must be a string'));
		// Nothing was taken but the TTS call.
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBeCloseTo(1_000_000 - 0.05, 6);
	});

	it('refuses a bad image, prompt, mode or a repeated external_task_id', async () => {
		const { h } = ctx;
		const sound = { audio_id: 'sim-audio-5s' };
		const bad = (message: string) => [400, 1201, `invalid parameter: ${message}`];
		expect(await refused({ ...sound, image: undefined })).toEqual(
			bad('image is required: an http(s) URL or raw Base64 of a JPG or PNG'),
		);
		expect(await refused({ ...sound, image: base64(makePng(200, 400)) })).toEqual(
			bad('image must be at least 300 px wide and high (got 200x400)'),
		);
		expect(await refused({ ...sound, image: base64(makePng(1000, 300)) })).toEqual(
			bad('image must have an aspect ratio between 1:2.5 and 2.5:1 (got 1000x300)'),
		);
		expect(await refused({ ...sound, image: `data:image/png;base64,${IMAGE}` })).toEqual(
			bad('image must be a URL or raw Base64 without a "data:" prefix'),
		);
		expect(await refused({ ...sound, prompt: 'p'.repeat(2501) })).toEqual(
			bad('prompt must be at most 2500 characters (got 2501)'),
		);
		expect(await refused({ ...sound, mode: 'fast' })).toEqual(
			bad('mode must be one of "std", "pro" (got "fast")'),
		);
		expect(await refused({ ...sound, callback_url: 'ftp://x' })).toEqual(
			bad('callback_url must be an http(s) URL'),
		);
		expect(
			(await h.apiKey.post(AVATAR, { image: IMAGE, ...sound, external_task_id: 'a' })).data,
		).toEqual(createdAnswer('a'));
		expect(await refused({ ...sound, external_task_id: 'a' })).toEqual(
			bad("external_task_id 'a' already exists"),
		);
		// Unique across kinds: a text2video task's id is taken too.
		await h.apiKey.post('/v1/videos/text2video', {
			model_name: 'kling-v2-6',
			prompt: 'x',
			external_task_id: 'b',
		});
		expect(await refused({ ...sound, external_task_id: 'b' })).toEqual(
			bad("external_task_id 'b' already exists"),
		);
	});

	it('meets injected faults like every task path: before handling nothing, after it a task', async () => {
		const { h } = ctx;
		h.sim.injectFaults({ kind: 'kling-error', code: 5000, match: `POST ${TTS}` });
		const failed = await h.apiKey.post(TTS, { text: 'hi', voice_id: 'oversea_male1' });
		expect([failed.status, failed.data.code]).toEqual([500, 5000]);
		h.sim.injectFaults({
			kind: 'kling-error',
			code: 5002,
			match: `POST ${AVATAR}`,
			afterHandling: true,
		});
		const timedOut = await h.apiKey.post(AVATAR, {
			image: IMAGE,
			audio_id: 'sim-audio-5s',
			external_task_id: 'after-fault',
		});
		expect([timedOut.status, timedOut.data.code]).toEqual([504, 5002]);
		expect(h.sim.getTalkingTask('after-fault')).toMatchObject({ task_status: 'submitted' });
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBeCloseTo(1_000_000 - 2, 6);
	});

	it('fails on simulate-failure and gives the units back; answers 1102 when the pack holds too few units', async () => {
		const { h } = ctx;
		const created = await h.apiKey.post(AVATAR, {
			image: IMAGE,
			audio_id: 'sim-audio-75s',
			mode: 'pro',
			prompt: 'simulate-failure',
		});
		const taskId = created.data.data.task_id;
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(1_000_000 - 0.8 * 75);
		await finish(taskId);
		expect(h.sim.getTalkingTask(taskId)).toMatchObject({
			task_status: 'failed',
			task_status_msg: 'Failure simulated: the prompt asked for it (simulate-failure)',
			final_unit_deduction: '0',
		});
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(1_000_000);
		h.sim.setResourcePacks([{ resource_pack_name: 'small', total_quantity: 2 }]);
		expect(await refused({ audio_id: 'sim-audio-5s', mode: 'pro' })).toEqual([
			429,
			1102,
			'resource pack used up or expired: the task needs 4 units, 2 remain',
		]);
	});
});
