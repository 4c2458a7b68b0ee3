import { PRESET_ELEMENTS, PRESET_VOICES } from '../../simulator';
import { type Harness, createdAnswer, startSimulator } from './helpers';
import { base64, makePng } from './testImages';

const PNG = base64(makePng(640, 640));
const ELEMENTS = '/v1/general/advanced-custom-elements';
const VOICES = '/v1/general/custom-voices';

describe('simulator custom elements and voices', () => {
	let h: Harness;
	const sample = (name: string) => `${h.url}/samples/${name}`;

	beforeAll(async () => {
		h = await startSimulator({ timing: 'manual' });
	});
	afterAll(() => h.sim.stop());
	beforeEach(() => h.sim.reset());

	const imageElement = (extra: Record<string, unknown> = {}) => ({
		element_name: 'Rusty',
		element_description: 'A rusty robot',
		reference_type: 'image_refer',
		element_image_list: { frontal_image: PNG, refer_images: [{ image_url: PNG }] },
		tag_list: [{ tag_id: 'o_104' }],
		...extra,
	});

	async function finish(id: string) {
		await h.sim.advance(id);
		await h.sim.advance(id);
	}

	async function makeElement(extra: Record<string, unknown> = {}) {
		const made = await h.api.post(ELEMENTS, imageElement(extra));
		expect(made.data.code).toBe(0);
		await finish(made.data.data.task_id);
		const got = await h.api.get(`${ELEMENTS}/${made.data.data.task_id}`);
		return {
			taskId: made.data.data.task_id as string,
			element: got.data.data.task_result.elements[0],
		};
	}

	async function refused(
		answer: Promise<{ status: number; data: { code: number; message: string } }>,
		message: string,
	) {
		const { status, data } = await answer;
		expect([status, data.code, data.message]).toEqual([400, 1201, `invalid parameter: ${message}`]);
	}

	describe('elements', () => {
		it('makes an element through an async task, readable by task id, external id, list and /tasks', async () => {
			const made = await h.apiKey.post(
				ELEMENTS,
				imageElement({ external_task_id: 'el-1', element_voice_id: PRESET_VOICES[1].id }),
			);
			expect([made.status, made.data]).toEqual([200, createdAnswer('el-1')]);
			const taskId = made.data.data.task_id;
			const pending = await h.api.get(`${ELEMENTS}/el-1`);
			expect(pending.data.data).toMatchObject({
				task_id: taskId,
				task_status: 'submitted',
				task_result: { elements: [] },
			});
			await finish(taskId);
			const got = await h.api.get(`${ELEMENTS}/${taskId}`);
			expect(got.data.data).toEqual({
				task_id: taskId,
				task_status: 'succeed',
				task_status_msg: '',
				task_info: { external_task_id: 'el-1' },
				task_result: {
					elements: [
						{
							element_id: expect.stringMatching(/^\d{15}$/),
							element_name: 'Rusty',
							element_description: 'A rusty robot',
							reference_type: 'image_refer',
							element_image_list: { frontal_image: PNG, refer_images: [{ image_url: PNG }] },
							element_video_list: { refer_videos: [] },
							element_voice_info: {
								voice_id: PRESET_VOICES[1].id,
								voice_name: 'Bright Girl',
								trial_url: sample('voice-10s.mp3'),
								owned_by: 'kling',
							},
							tag_list: [{ tag_id: 'o_104', tag_name: 'Item' }],
							owned_by: expect.stringMatching(/^\d{10}$/),
							status: 'succeed',
						},
					],
				},
				final_unit_deduction: '0',
				created_at: expect.any(Number),
				updated_at: expect.any(Number),
			});
			const elementId = got.data.data.task_result.elements[0].element_id;
			const listed = await h.api.get(`${ELEMENTS}?pageNum=1&pageSize=10`);
			expect(listed.data.data.map((t: { task_id: string }) => t.task_id)).toEqual([taskId]);
			const current = await h.apiKey.get(`/tasks?task_ids=${taskId}`);
			expect(current.data.data).toEqual([
				expect.objectContaining({
					id: taskId,
					status: 'succeeded',
					external_id: 'el-1',
					outputs: [
						{
							type: 'element',
							id: elementId,
							name: 'Rusty',
							description: 'A rusty robot',
							element_type: 'multi_image_elements',
							references: [
								{ type: 'image', role: 'frontal', url: PNG },
								{ type: 'image', role: 'refer', url: PNG },
								{
									type: 'voice',
									role: 'refer',
									url: sample('voice-10s.mp3'),
									id: PRESET_VOICES[1].id,
									name: 'Bright Girl',
									owned_by: 'kling',
								},
							],
							owned_by: got.data.data.task_result.elements[0].owned_by,
							status: 'succeeded',
							tags: [{ id: 104, name: 'Item', description: 'Item' }],
						},
					],
					billing: [{ charge_type: 'unit', amount: '0', package_type: 'video' }],
				}),
			]);
		});

		it('lets current creates use an element only once made, and no more once deleted', async () => {
			const made = await h.api.post(ELEMENTS, imageElement());
			const taskId = made.data.data.task_id;
			const omni = (elementId: string) =>
				h.apiKey.post('/omni-video/kling-3.0-omni', {
					contents: [
						{ type: 'prompt', text: '@e walks' },
						{ type: 'first_frame', url: PNG },
						{ type: 'element', element_id: elementId, id: 'e' },
					],
				});
			await finish(taskId);
			const { element } = await makeElement();
			expect((await omni(element.element_id)).data.code).toBe(0);
			const i2v = await h.apiKey.post('/image-to-video/kling-3.0', {
				contents: [
					{ type: 'first_frame', url: PNG },
					{ type: 'element', element_id: element.element_id, id: 'e' },
				],
			});
			expect(i2v.data.code).toBe(0);
			const deleted = await h.api.post('/v1/general/delete-advanced-elements', {
				element_id: element.element_id,
			});
			expect([deleted.status, deleted.data.code, deleted.data.data]).toEqual([
				200,
				0,
				{ task_id: expect.stringMatching(/^\d{18}$/), task_status: 'succeed' },
			]);
			await refused(
				omni(element.element_id),
				`contents[2].element_id '${element.element_id}' does not exist in this account (neither a custom element nor a preset)`,
			);
			const shown = await h.apiKey.get(`/tasks?task_ids=${taskId}`);
			expect(shown.data.data[0].outputs[0].status).toBe('succeeded');
			await refused(
				h.api.post('/v1/general/delete-elements', { element_id: element.element_id }),
				`element_id '${element.element_id}' is already deleted`,
			);
			const other = await makeElement();
			await refused(
				h.api.post('/v1/general/delete-elements', { element_id: PRESET_ELEMENTS[0].id }),
				`element_id '${PRESET_ELEMENTS[0].id}' is a preset element: only custom elements can be deleted`,
			);
			const gone = await h.api.post('/v1/general/delete-elements', {
				element_id: other.element.element_id,
			});
			expect(gone.data.code).toBe(0);
			const after = await h.api.get(`${ELEMENTS}/${other.taskId}`);
			expect(after.data.data.task_result.elements[0].status).toBe('deleted');
		});

		it('shows no element output while its task runs', async () => {
			const made = await h.api.post(ELEMENTS, imageElement());
			await h.sim.advance(made.data.data.task_id);
			const outputs = (await h.apiKey.get(`/tasks?task_ids=${made.data.data.task_id}`)).data.data[0]
				.outputs;
			expect(outputs).toEqual([]);
		});

		it('makes a video-character element from a 3-8 s video', async () => {
			const made = await h.api.post(ELEMENTS, {
				element_name: 'Dancer',
				element_description: 'Moves well',
				reference_type: 'video_refer',
				element_video_list: { refer_videos: [{ video_url: sample('dance-5s.mp4') }] },
			});
			expect(made.data.code).toBe(0);
			await finish(made.data.data.task_id);
			const current = await h.apiKey.get(`/tasks?task_ids=${made.data.data.task_id}`);
			expect(current.data.data[0].outputs[0]).toMatchObject({
				element_type: 'video_character_elements',
				references: [{ type: 'video', role: 'refer', url: sample('dance-5s.mp4') }],
				tags: [],
			});
		});

		it('lists the presets, owned by kling', async () => {
			const presets = await h.apiKey.get(
				'/v1/general/advanced-presets-elements?pageNum=1&pageSize=2',
			);
			expect(presets.data.data).toHaveLength(2);
			expect(presets.data.data[0]).toEqual({
				task_id: '',
				task_status: 'succeed',
				task_status_msg: '',
				task_info: { external_task_id: '' },
				task_result: {
					elements: [
						expect.objectContaining({
							element_id: '100000000000161',
							element_name: 'Astronaut',
							owned_by: 'kling',
							status: 'succeed',
						}),
					],
				},
				created_at: expect.any(Number),
				updated_at: expect.any(Number),
			});
			const all = await h.api.get('/v1/general/advanced-presets-elements');
			expect(
				all.data.data.map(
					(t: { task_result: { elements: Array<{ element_id: string }> } }) =>
						t.task_result.elements[0].element_id,
				),
			).toEqual(PRESET_ELEMENTS.map((e) => e.id));
		});

		it('answers an unknown task as Kling does (400/1201)', async () => {
			const answer = await h.api.get(`${ELEMENTS}/nope`);
			expect([answer.status, answer.data.code, answer.data.message]).toEqual([
				400,
				1201,
				'Task not found by id/external id: nope',
			]);
		});

		it.each([
			[
				'a long name',
				{ element_name: 'x'.repeat(21) },
				'element_name must be at most 20 characters (got 21)',
			],
			[
				'no description',
				{ element_description: '' },
				'element_description is required: a string of at most 100 characters',
			],
			[
				'a long description',
				{ element_description: 'x'.repeat(101) },
				'element_description must be at most 100 characters (got 101)',
			],
			[
				'a bad reference type',
				{ reference_type: 'photo' },
				'reference_type must be "image_refer" (a multi-image element) or "video_refer" (a video-character element) (got "photo")',
			],
			[
				'four refer images',
				{
					element_image_list: {
						frontal_image: PNG,
						refer_images: [1, 2, 3, 4].map(() => ({ image_url: PNG })),
					},
				},
				'element_image_list.refer_images must be a list of 1 to 3 {"image_url": …} (got 4)',
			],
			[
				'no refer images',
				{ element_image_list: { frontal_image: PNG, refer_images: [] } },
				'element_image_list.refer_images must be a list of 1 to 3 {"image_url": …} (got 0)',
			],
			[
				'no frontal image',
				{ element_image_list: { refer_images: [{ image_url: PNG }] } },
				'element_image_list.frontal_image is required: an http(s) URL or raw Base64 of a JPG/PNG image',
			],
			[
				'a small frontal image',
				{
					element_image_list: {
						frontal_image: base64(makePng(200, 200)),
						refer_images: [{ image_url: PNG }],
					},
				},
				'element_image_list.frontal_image must be at least 300 px wide and high (got 200x200)',
			],
			[
				'an unknown voice',
				{ element_voice_id: '42' },
				"element_voice_id '42' does not exist in this account (neither a custom voice nor a preset)",
			],
			[
				'an unknown tag',
				{ tag_list: [{ tag_id: 'o_109' }] },
				'tag_list[0].tag_id must be one of o_101, o_102, o_103, o_104, o_105, o_106, o_107, o_108 (got "o_109")',
			],
			[
				'a video element of 12 s',
				{
					reference_type: 'video_refer',
					element_video_list: { refer_videos: [{ video_url: 'SAMPLE' }] },
				},
				'element_video_list.refer_videos[0].video_url must be a 3 to 8 s video (got 12 s)',
			],
			[
				'a video element without a video',
				{
					reference_type: 'video_refer',
					element_video_list: { refer_videos: [{ video_url: '' }] },
				},
				'element_video_list.refer_videos[0].video_url must not be empty',
			],
			[
				'two videos',
				{
					reference_type: 'video_refer',
					element_video_list: { refer_videos: [{ video_url: 'a' }, { video_url: 'b' }] },
				},
				'element_video_list.refer_videos is required with reference_type "video_refer": exactly one {"video_url": …}',
			],
		])('refuses %s with 400/1201 naming the rule', async (_name, extra, message) => {
			const body = imageElement(extra);
			const list = (body as { element_video_list?: { refer_videos: Array<{ video_url: string }> } })
				.element_video_list;
			if (list?.refer_videos?.[0]?.video_url === 'SAMPLE')
				list.refer_videos[0].video_url = sample('dance-12s.mp4');
			await refused(h.api.post(ELEMENTS, body), message);
			expect((await h.api.get(ELEMENTS)).data.data).toEqual([]);
		});

		it('keeps external_task_id unique across element and video tasks', async () => {
			await h.apiKey.post('/text-to-video/kling-2.6', {
				prompt: 'x',
				options: { external_task_id: 'same' },
			});
			const answer = await h.api.post(ELEMENTS, imageElement({ external_task_id: 'same' }));
			expect([answer.status, answer.data.code, answer.data.message]).toEqual([
				400,
				1201,
				"invalid parameter: external_task_id 'same' already exists",
			]);
		});
	});

	describe('voices', () => {
		it('makes a voice from a clip for 0.05 units, shown in both shapes', async () => {
			const made = await h.api.post(VOICES, {
				voice_name: 'Me',
				voice_url: sample('voice-10s.mp3'),
				video_id: '',
			});
			expect([made.status, made.data]).toEqual([200, createdAnswer('')]);
			const taskId = made.data.data.task_id;
			await finish(taskId);
			const got = await h.api.get(`${VOICES}/${taskId}`);
			expect(got.data.data).toMatchObject({
				task_status: 'succeed',
				task_result: {
					voices: [
						{
							voice_id: expect.stringMatching(/^\d{18}$/),
							voice_name: 'Me',
							trial_url: sample('voice-10s.mp3'),
							owned_by: expect.stringMatching(/^\d{10}$/),
						},
					],
				},
				final_unit_deduction: '0.05',
			});
			const voiceId = got.data.data.task_result.voices[0].voice_id;
			const current = await h.apiKey.get(`/tasks?task_ids=${taskId}`);
			expect(current.data.data[0]).toMatchObject({
				outputs: [
					{
						type: 'voice',
						id: voiceId,
						name: 'Me',
						url: sample('voice-10s.mp3'),
						owned_by: got.data.data.task_result.voices[0].owned_by,
						status: 'succeeded',
					},
				],
				billing: [{ charge_type: 'unit', amount: '0.05', package_type: 'video' }],
			});
			expect(h.sim.getResourcePacks()[0].remaining_quantity).toBeCloseTo(1_000_000 - 0.05, 6);
			// kling-2.6 image-to-video takes it as a voice item; an unknown one is refused.
			const i2v = (id: string) =>
				h.apiKey.post('/image-to-video/kling-2.6', {
					contents: [
						{ type: 'first_frame', url: PNG },
						{ type: 'voice', voice_id: id, id: '1' },
					],
					settings: { audio: 'native', resolution: '1080p' },
				});
			expect((await i2v(voiceId)).data.code).toBe(0);
			await refused(
				i2v('123'),
				"contents[1].voice_id '123' does not exist in this account (neither a custom voice nor a preset)",
			);
			const deleted = await h.api.post('/v1/general/delete-voices', { voice_id: voiceId });
			expect(deleted.data.code).toBe(0);
			await refused(
				i2v(voiceId),
				`contents[1].voice_id '${voiceId}' does not exist in this account (neither a custom voice nor a preset)`,
			);
			await refused(
				h.api.post('/v1/general/delete-voices', { voice_id: PRESET_VOICES[0].id }),
				`voice_id '${PRESET_VOICES[0].id}' is a preset voice: only custom voices can be deleted`,
			);
			const listed = await h.api.get(`${VOICES}?pageSize=1000`);
			expect(listed.data.data).toHaveLength(1);
			const tooMany = await h.api.get(`${VOICES}?pageSize=1001`);
			expect(tooMany.data.code).toBe(1201);
		});

		it('makes a voice from a kling-2.6 video with sound, not from a silent or 3.0 one', async () => {
			const finishVideo = async (path: string, body: unknown) => {
				const made = await h.apiKey.post(path, body);
				await finish(made.data.data.id);
				return (await h.apiKey.get(`/tasks?task_ids=${made.data.data.id}`)).data.data[0].outputs[0]
					.id as string;
			};
			const voiced = await finishVideo('/text-to-video/kling-2.6', {
				prompt: 'x',
				settings: { audio: 'native', resolution: '1080p' },
			});
			const silent = await finishVideo('/text-to-video/kling-2.6', { prompt: 'x' });
			const three = await finishVideo('/text-to-video/kling-3.0', {
				prompt: 'x',
				settings: { audio: 'native' },
			});
			expect(
				(await h.api.post(VOICES, { voice_name: 'From video', video_id: voiced })).data.code,
			).toBe(0);
			for (const id of [silent, three]) {
				await refused(
					h.api.post(VOICES, { voice_name: 'No', video_id: id }),
					`video_id '${id}' cannot make a voice: only videos made by kling-2.6 with sound on, or by the Avatar or Lip-Sync API, can`,
				);
			}
			await refused(
				h.api.post(VOICES, { voice_name: 'No', video_id: 'nope' }),
				"video_id 'nope' does not exist",
			);
		});

		it('lists the presets', async () => {
			const presets = await h.api.get('/v1/general/presets-voices?pageSize=1000');
			expect(presets.data.data).toEqual(
				PRESET_VOICES.map((voice) => ({
					task_id: '',
					task_status: 'succeed',
					task_status_msg: '',
					task_result: {
						voices: [
							{
								voice_id: voice.id,
								voice_name: voice.name,
								trial_url: sample('voice-10s.mp3'),
								owned_by: 'kling',
							},
						],
					},
					created_at: expect.any(Number),
					updated_at: expect.any(Number),
				})),
			);
		});

		it.each([
			[
				'a long name',
				{ voice_name: 'x'.repeat(21), voice_url: 'SAMPLE:voice-10s.mp3' },
				'voice_name must be at most 20 characters (got 21)',
			],
			[
				'no clip nor video',
				{ voice_name: 'x' },
				'voice_url or video_id is required: a 5-30 s clip of one voice, or a video that has one',
			],
			[
				'both',
				{ voice_name: 'x', voice_url: 'SAMPLE:voice-10s.mp3', video_id: 'v' },
				'give voice_url or video_id, not both',
			],
			[
				'a 3 s clip',
				{ voice_name: 'x', voice_url: 'SAMPLE:voice-3s.mp3' },
				'voice_url must be 5 to 30 s of one clean voice (got 3 s)',
			],
			[
				'a 40 s clip',
				{ voice_name: 'x', voice_url: 'SAMPLE:voice-40s.wav' },
				'voice_url must be 5 to 30 s of one clean voice (got 40 s)',
			],
			[
				'an .ogg clip',
				{ voice_name: 'x', voice_url: 'https://example.invalid/me.ogg' },
				'voice_url must be an .mp3, .wav, .mp4, .mov file (got ".ogg")',
			],
			[
				'a clip that is not there',
				{ voice_name: 'x', voice_url: 'SAMPLE:nope.mp3' },
				'voice_url could not be downloaded: HTTP 404',
			],
		])('refuses %s with 400/1201 naming the rule', async (_name, body, message) => {
			const url = (body as { voice_url?: string }).voice_url;
			const fixed = url?.startsWith('SAMPLE:')
				? { ...body, voice_url: sample(url.slice(7)) }
				: body;
			await refused(h.api.post(VOICES, fixed), message);
			expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(1_000_000);
		});
	});
});
