import { TTS_VOICES, readAudioInfo } from '../../simulator';
import { type Harness, makeToken, startSimulator } from './helpers';
import { TTS } from './talkingHelpers';

describe('simulator text to speech (POST /v1/audio/tts)', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startSimulator({ timing: 'manual' });
	});
	afterAll(() => h.sim.stop());
	beforeEach(() => h.sim.reset());

	const refused = async (body: unknown) => {
		const response = await h.apiKey.post(TTS, body);
		return [response.status, response.data.code, response.data.message];
	};

	it('answers at once with a real WAV of the text’s length, served at its own URL', async () => {
		const text = 'a'.repeat(75); // 75 characters at 15 per second: 5 s
		const response = await h.apiKey.post(TTS, {
			text,
			voice_id: 'oversea_male1',
			voice_language: 'en',
			voice_speed: 1,
		});
		expect(response.status).toBe(200);
		expect(response.data).toEqual({
			code: 0,
			message: 'SUCCEED',
			request_id: expect.any(String),
			data: {
				task_id: expect.stringMatching(/^\d{18}$/),
				task_status: 'succeed',
				task_status_msg: '',
				task_result: {
					audios: [
						{
							id: expect.stringMatching(/^\d{18}$/),
							url: expect.stringMatching(/\/audios\/\d{18}\.wav$/),
							duration: '5',
						},
					],
				},
				final_unit_deduction: '0.05',
				created_at: expect.any(Number),
				updated_at: expect.any(Number),
			},
		});
		const audio = response.data.data.task_result.audios[0];
		expect(audio.url.startsWith(h.url)).toBe(true);
		const download = await h.raw.get(audio.url, { responseType: 'arraybuffer' });
		expect(download.status).toBe(200);
		expect(download.headers['content-type']).toBe('audio/wav');
		expect(readAudioInfo(Buffer.from(download.data))).toEqual({ format: 'wav', seconds: 5 });
		expect(h.sim.getAudio(audio.id)).toEqual({
			id: audio.id,
			seconds: 5,
			createdAt: response.data.data.created_at,
		});
		// 0.05 units from the video pack.
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBeCloseTo(1_000_000 - 0.05, 6);
	});

	it('takes a JWT too, defaults to zh and speed 1, and lasts at least 2 s', async () => {
		const response = await h.api.post(TTS, { text: '你好', voice_id: 'chinese_female1' });
		expect(response.data.code).toBe(0);
		expect(response.data.data.task_result.audios[0].duration).toBe('2');
	});

	it('brings a speed outside 0.8–2.0 into the range and to one decimal, as Kling’s page says', async () => {
		const duration = async (voice_speed: unknown) => {
			const response = await h.apiKey.post(TTS, {
				text: 'b'.repeat(150),
				voice_id: 'uk_man2',
				voice_speed,
			});
			expect(response.data.code).toBe(0);
			return response.data.data.task_result.audios[0].duration;
		};
		expect(await duration(3)).toBe('5'); // 2.0: 150 / 30
		expect(await duration(0.1)).toBe('12.5'); // 0.8: 150 / 12
		expect(await duration(1.54)).toBe('6.7'); // 1.5: 150 / 22.5 = 6.67
	});

	it('knows only its own voice catalogue: anything else is 1201 "Voice id not found"', async () => {
		expect(TTS_VOICES.map((v) => v.id)).toEqual(
			expect.arrayContaining(['oversea_male1', 'oversea_female1', 'chinese_male1']),
		);
		for (const voice_id of ['829824295735410756', 'sim-voice-1', 'Oversea_male1']) {
			expect(await refused({ text: 'hello', voice_id })).toEqual([400, 1201, 'Voice id not found']);
		}
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(1_000_000);
	});

	it('refuses a missing or long text, a missing voice, another language, a speed that is no number', async () => {
		const voice_id = 'oversea_female1';
		expect(await refused({ voice_id })).toEqual([
			400,
			1201,
			'invalid parameter: text is required: the words to speak, at most 1000 characters',
		]);
		expect(await refused({ text: '   ', voice_id })).toEqual([
			400,
			1201,
			'invalid parameter: text is required: the words to speak, at most 1000 characters',
		]);
		expect(await refused({ text: '😀'.repeat(1001), voice_id })).toEqual([
			400,
			1201,
			'invalid parameter: text must be at most 1000 characters (got 1001)',
		]);
		expect((await h.apiKey.post(TTS, { text: '😀'.repeat(1000), voice_id })).data.code).toBe(0);
		expect(await refused({ text: 'hi' })).toEqual([
			400,
			1201,
			'invalid parameter: voice_id is required: a TTS voice id, e.g. oversea_male1',
		]);
		expect(await refused({ text: 'hi', voice_id, voice_language: 'fr' })).toEqual([
			400,
			1201,
			'invalid parameter: voice_language must be one of "zh", "en" (got "fr")',
		]);
		expect(await refused({ text: 'hi', voice_id, voice_speed: '1.0' })).toEqual([
			400,
			1201,
			'invalid parameter: voice_speed must be a number (0.8 to 2; got "1.0")',
		]);
	});

	it('asks for auth like every legacy path, and answers 1102 when the video pack is empty', async () => {
		const none = await h.raw.post(TTS, { text: 'hi', voice_id: 'oversea_male1' });
		expect([none.status, none.data.code]).toEqual([401, 1001]);
		const expired = await h.raw.post(
			TTS,
			{ text: 'hi', voice_id: 'oversea_male1' },
			{ headers: { Authorization: `Bearer ${makeToken({ exp: 1 })}` } },
		);
		expect([expired.status, expired.data.code]).toEqual([401, 1004]);
		h.sim.setResourcePacks([{ resource_pack_name: 'crumbs', total_quantity: 0.04 }]);
		expect(await refused({ text: 'hi', voice_id: 'oversea_male1' })).toEqual([
			429,
			1102,
			'resource pack used up or expired: the task needs 0.05 units, 0.04 remain',
		]);
		expect((await h.apiKey.get(TTS)).data.code).toBe(1202);
	});
});
