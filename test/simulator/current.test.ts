import http from 'http';
import type { AddressInfo } from 'net';

import {
	AKSK_NOT_SUPPORTED_MESSAGE,
	CURRENT_MODELS,
	DEFAULT_ACCOUNT,
	EXTEND_UNSUPPORTED_MESSAGE,
	FAILURE_MESSAGE,
	MAX_CURRENT_IMAGE_BYTES,
} from '../../simulator';
import {
	EXTEND,
	IMAGE_TO_VIDEO,
	TASKS,
	TEXT2VIDEO,
	TEXT_TO_VIDEO,
	type Harness,
	createdCurrentAnswer,
	makeToken,
	startSimulator,
} from './helpers';
import { base64, makeGif, makeJpeg, makePng } from './testImages';

const PNG = base64(makePng(640, 360));
const JPEG = base64(makeJpeg(1280, 720));
const first = (url = PNG) => ({ type: 'first_frame', url });
const last = (url = JPEG) => ({ type: 'last_frame', url });
const prompt = (text: string) => ({ type: 'prompt', text });

describe('simulator current generation: creating tasks', () => {
	let h: Harness;
	let images: http.Server;
	let imagesUrl = '';

	beforeAll(async () => {
		h = await startSimulator({ timing: 'manual' });
		const big = makePng(640, 360, MAX_CURRENT_IMAGE_BYTES);
		images = http.createServer((req, res) => {
			if (req.url === '/big.png') {
				res.writeHead(200, { 'Content-Type': 'image/png' });
				res.end(big);
				return;
			}
			res.writeHead(req.url === '/ok.png' ? 200 : 404, { 'Content-Type': 'image/png' });
			res.end(req.url === '/ok.png' ? makePng(1000, 400) : '');
		});
		await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
		imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await h.sim.stop();
		images.closeAllConnections();
		await new Promise((resolve) => images.close(resolve));
	});
	beforeEach(() => h.sim.reset());

	const t2v = (model: string, body: Record<string, unknown> = {}) =>
		h.apiKey.post(`${TEXT_TO_VIDEO}/${model}`, { prompt: 'A fox in the snow', ...body });
	const i2v = (model: string, body: Record<string, unknown> = {}) =>
		h.apiKey.post(`${IMAGE_TO_VIDEO}/${model}`, { contents: [first()], ...body });

	async function finish(id: string) {
		await h.sim.advance(id);
		await h.sim.advance(id);
		return h.sim.getCurrentTask(id)!;
	}

	it.each(CURRENT_MODELS)('creates text-to-video and image-to-video tasks on %s', async (model) => {
		const made = await t2v(model, { options: { external_task_id: `t2v-${model}` } });
		expect([made.status, made.data]).toEqual([200, createdCurrentAnswer(`t2v-${model}`)]);
		const fromImage = await i2v(model, { contents: [prompt('It runs'), first()] });
		expect([fromImage.status, fromImage.data]).toEqual([200, createdCurrentAnswer('')]);
		expect(h.sim.getTaskKind(made.data.data.id)).toBe('text-to-video');
		expect(h.sim.getTaskKind(fromImage.data.data.id)).toBe('image-to-video');
		// Nothing of the legacy shape: getTask and getGenerationTask are for /v1 tasks.
		expect(h.sim.getGenerationTask(made.data.data.id)).toBeUndefined();
	});

	it('runs the life cycle and shows outputs, billing and the watermark as Kling does', async () => {
		const plain = await t2v('kling-3.0-turbo', { settings: { duration: 3 } });
		const marked = await i2v('kling-2.6', {
			settings: { resolution: '1080p', duration: 10 },
			options: { watermark_info: { enabled: true } },
		});
		const id = plain.data.data.id;
		expect(h.sim.getCurrentTask(id)).toEqual({
			id,
			status: 'submitted',
			message: '',
			create_time: plain.data.data.create_time,
			update_time: plain.data.data.update_time,
			external_id: '',
			outputs: [],
			billing: [],
		});
		await h.sim.advance(id);
		expect(h.sim.getCurrentTask(id)?.status).toBe('processing');
		const done = await finish(id);
		expect(done.status).toBe('succeeded');
		expect(done.outputs).toEqual([
			{
				type: 'video',
				id: expect.stringMatching(/^sim-video-/),
				url: `${h.url}/videos/${done.outputs[0].id}.mp4`,
				duration: '3.041',
			},
		]);
		// 0.8 units per second at 720p (Kling's price list), as seen live: "2.4" for 3 s.
		expect(done.billing).toEqual([{ charge_type: 'unit', amount: '2.4', package_type: 'video' }]);
		expect((await h.raw.get(done.outputs[0].url)).status).toBe(200);

		const withMark = await finish(marked.data.data.id);
		expect(withMark.outputs[0]).toEqual({
			type: 'video',
			id: withMark.outputs[0].id,
			url: `${h.url}/videos/${withMark.outputs[0].id}.mp4`,
			watermark_url: `${h.url}/videos/${withMark.outputs[0].id}.watermarked.mp4`,
			duration: '10.041',
		});
		expect(withMark.billing[0].amount).toBe('5');
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBeCloseTo(1_000_000 - 7.4, 6);
	});

	it('fails a simulate-failure task with its message, no billing and its units back', async () => {
		const failing = await i2v('kling-3.0', { contents: [prompt('simulate-failure'), first()] });
		const failed = await finish(failing.data.data.id);
		expect(failed).toMatchObject({
			status: 'failed',
			message: FAILURE_MESSAGE,
			outputs: [],
			billing: [],
		});
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(1_000_000);
	});

	it('refuses to extend current-generation videos', async () => {
		const done = await finish((await t2v('kling-3.0')).data.data.id);
		const refused = await h.api.post(EXTEND, { video_id: done.outputs[0].id });
		expect([refused.status, refused.data.code, refused.data.message]).toEqual([
			400,
			1201,
			EXTEND_UNSUPPORTED_MESSAGE,
		]);
	});

	describe('authentication', () => {
		const paths: Array<[string, string, unknown]> = [
			['POST', `${TEXT_TO_VIDEO}/kling-3.0`, { prompt: 'x' }],
			['POST', `${IMAGE_TO_VIDEO}/kling-2.6`, { contents: [first()] }],
			['GET', `${TASKS}?task_ids=1`, undefined],
			['POST', TASKS, {}],
		];

		it.each(paths)(
			"%s %s answers an AK/SK JWT with 401/1002 in Kling's words",
			async (method, url, data) => {
				const response = await h.api.request({ method, url, data });
				expect([response.status, response.data.code, response.data.message]).toEqual([
					401,
					1002,
					AKSK_NOT_SUPPORTED_MESSAGE,
				]);
			},
		);

		it.each(paths)('%s %s answers an unknown API key the same way', async (method, url, data) => {
			for (const token of ['sk-garbage', makeToken({}, 'not-the-secret')]) {
				const response = await h.raw.request({
					method,
					url,
					data,
					headers: { Authorization: `Bearer ${token}` },
				});
				expect([response.status, response.data.code, response.data.message]).toEqual([
					401,
					1002,
					AKSK_NOT_SUPPORTED_MESSAGE,
				]);
			}
			const none = await h.raw.request({ method, url, data });
			expect([none.status, none.data.code]).toEqual([401, 1001]);
		});

		it('leaves the legacy endpoints to both the API key and the JWT', async () => {
			const body = { model_name: 'kling-v2-6', prompt: 'x' };
			expect((await h.api.post(TEXT2VIDEO, body)).data.code).toBe(0);
			expect((await h.apiKey.post(TEXT2VIDEO, body)).data.code).toBe(0);
			expect(DEFAULT_ACCOUNT.apiKey).toBe('sim-api-key');
		});
	});

	it.each([
		['text-to-video', 'kling-v2-6'],
		['text-to-video', 'kling-3.0-omni'],
		['image-to-video', 'kling-o1'],
		['image-to-video', 'kling-9'],
	])(
		'answers an unknown model in the path (%s/%s) with 404/1203 naming it',
		async (kind, model) => {
			const response = await h.apiKey.post(`/${kind}/${model}`, {
				prompt: 'x',
				contents: [first()],
			});
			expect([response.status, response.data.code]).toEqual([404, 1203]);
			expect(response.data.message).toBe(
				`The model '${model}' does not exist for ${kind}; models: kling-3.0-turbo, kling-3.0, kling-2.6, kling-2.5-turbo`,
			);
		},
	);

	it('answers other methods and paths of the current generation with 1202', async () => {
		for (const [method, url] of [
			['GET', `${TEXT_TO_VIDEO}/kling-3.0`],
			['POST', TEXT_TO_VIDEO],
			['DELETE', TASKS],
		]) {
			const response = await h.apiKey.request({ method, url });
			expect([method, url, response.status, response.data.code]).toEqual([method, url, 404, 1202]);
		}
	});

	const accepted: Array<[string, string, Record<string, unknown>]> = [
		[
			'kling-3.0 t2v, every setting',
			`${TEXT_TO_VIDEO}/kling-3.0`,
			{
				prompt: 'p'.repeat(3072),
				settings: {
					resolution: '4k',
					duration: 15,
					aspect_ratio: '1:1',
					audio: 'native',
					multi_shot: true,
				},
				options: {
					callback_url: '',
					external_task_id: 'every',
					watermark_info: { enabled: false },
				},
			},
		],
		[
			'kling-3.0-turbo t2v, 3 s 9:16 1080p',
			`${TEXT_TO_VIDEO}/kling-3.0-turbo`,
			{ prompt: 'x', settings: { resolution: '1080p', duration: 3, aspect_ratio: '9:16' } },
		],
		[
			'kling-3.0-turbo, a multi-shot prompt adding up to the duration',
			`${TEXT_TO_VIDEO}/kling-3.0-turbo`,
			{
				prompt: 'shot 1, 3, a fox wakes; shot 2, 1, it yawns; shot 3, 4, it runs;',
				settings: { duration: 8 },
			},
		],
		[
			'kling-3.0, six shots without the last semicolon',
			`${TEXT_TO_VIDEO}/kling-3.0`,
			{
				prompt: `shot 1, 1, a; shot 2, 1, b; shot 3, 1, c; shot 4, 1, d; shot 5, 1, e; shot 6, 1, ${'w'.repeat(512)}`,
				settings: { duration: 6 },
			},
		],
		[
			'kling-3.0 with multi_shot off: the shot wording is plain text',
			`${TEXT_TO_VIDEO}/kling-3.0`,
			{ prompt: 'shot 1, 9, anything', settings: { multi_shot: false, duration: 5 } },
		],
		[
			// Kling has no shot rule on the models without multi-shot: the wording is plain words,
			// even when its shot lengths would not add up (this used to be refused).
			'kling-2.6 t2v, shot-like wording as plain words',
			`${TEXT_TO_VIDEO}/kling-2.6`,
			{ prompt: 'shot 1, 9, a fox; shot 3, 0, a hare;', settings: { duration: 5 } },
		],
		[
			'kling-2.5-turbo i2v, shot-like wording as plain words',
			`${IMAGE_TO_VIDEO}/kling-2.5-turbo`,
			{ contents: [prompt('shot 1, 5;'), first()], settings: { duration: 10 } },
		],
		[
			'kling-2.6 t2v, native audio at 1080p, 10 s',
			`${TEXT_TO_VIDEO}/kling-2.6`,
			{ prompt: 'x', settings: { audio: 'native', resolution: '1080p', duration: 10 } },
		],
		[
			'kling-2.5-turbo t2v, nulls as absent',
			`${TEXT_TO_VIDEO}/kling-2.5-turbo`,
			{ prompt: 'x', settings: { audio: null, duration: null }, options: null },
		],
		[
			'kling-3.0 i2v, first and last frame, three elements',
			`${IMAGE_TO_VIDEO}/kling-3.0`,
			{
				contents: [
					prompt('@e1 meets @e2 and @e3'),
					first(),
					last(),
					...[1, 2, 3].map((n) => ({
						type: 'element',
						element_id: `10000000000016${n}`,
						id: `e${n}`,
					})),
				],
				settings: { resolution: '4k', duration: 12, audio: 'native', multi_shot: false },
			},
		],
		[
			'kling-2.6 i2v, two voices with native audio at 1080p and a last frame',
			`${IMAGE_TO_VIDEO}/kling-2.6`,
			{
				contents: [
					prompt('@1 whispers to @2'),
					first(),
					last(),
					{ type: 'voice', voice_id: '100000000000000001', id: '1' },
					{ type: 'voice', voice_id: '100000000000000002', id: '2' },
				],
				settings: { audio: 'native', resolution: '1080p', duration: 5 },
			},
		],
		[
			'kling-2.5-turbo i2v, first and last frame at 1080p',
			`${IMAGE_TO_VIDEO}/kling-2.5-turbo`,
			{ contents: [first(), last()], settings: { resolution: '1080p' } },
		],
		[
			'kling-3.0-turbo i2v, a 2.5:1 image from a local URL and one of elsewhere',
			`${IMAGE_TO_VIDEO}/kling-3.0-turbo`,
			{ contents: [first('IMAGES/ok.png')] },
		],
		[
			'kling-3.0 i2v, an image URL elsewhere taken as it is',
			`${IMAGE_TO_VIDEO}/kling-3.0`,
			{ contents: [first('https://example.com/a.webp'), last('https://example.com/b.png')] },
		],
	];

	it.each(accepted)('accepts %s', async (_name, url, body) => {
		const withUrls = JSON.parse(JSON.stringify(body).replace(/IMAGES/g, imagesUrl));
		const response = await h.apiKey.post(url, withUrls);
		expect([response.status, response.data.code, response.data.message]).toEqual([
			200,
			0,
			'SUCCEED',
		]);
	});

	const T = (model: string) => `${TEXT_TO_VIDEO}/${model}`;
	const I = (model: string) => `${IMAGE_TO_VIDEO}/${model}`;
	const refused: Array<[string, string, Record<string, unknown>, string]> = [
		['no prompt', T('kling-3.0'), { prompt: undefined }, 'prompt is required for text-to-video'],
		['a blank prompt', T('kling-2.6'), { prompt: ' ' }, 'prompt is required for text-to-video'],
		[
			'a prompt of 3073 characters on kling-3.0-turbo t2v',
			T('kling-3.0-turbo'),
			{ prompt: 'p'.repeat(3073) },
			'prompt must be at most 3072 characters for kling-3.0-turbo text-to-video (got 3073)',
		],
		[
			'a prompt of 2501 characters on kling-2.6 t2v',
			T('kling-2.6'),
			{ prompt: 'p'.repeat(2501) },
			'prompt must be at most 2500 characters for kling-2.6 text-to-video (got 2501)',
		],
		[
			'a prompt of 2501 characters on kling-3.0-turbo i2v',
			I('kling-3.0-turbo'),
			{ contents: [prompt('p'.repeat(2501)), first()] },
			'prompt must be at most 2500 characters for kling-3.0-turbo image-to-video (got 2501)',
		],
		...(
			[
				['model_name', 'kling-v3', 'the model is the last segment of the path'],
				['negative_prompt', 'blur', 'write negative wording into the prompt'],
				['cfg_scale', 0.5, 'the current API has no cfg_scale'],
				['mode', 'pro', 'settings.resolution takes the place of mode'],
				['camera_control', { type: 'down_back' }, 'the current API has no camera control'],
				['image_tail', PNG, 'the end frame goes in contents[]'],
				['duration', 5, 'use settings.duration'],
				['callback_url', 'http://x', 'use options.callback_url'],
			] as const
		).map(([field, value, why]): [string, string, Record<string, unknown>, string] => [
			`the legacy field ${field}`,
			T('kling-3.0'),
			{ [field]: value },
			`${field} is a legacy /v1 field, not supported by kling-3.0 text-to-video: ${why}`,
		]),
		[
			'a field of no generation',
			T('kling-3.0'),
			{ seed: 4 },
			'seed is not a field of kling-3.0 text-to-video (fields: prompt, settings, options)',
		],
		[
			'a top-level prompt on image-to-video',
			I('kling-3.0'),
			{ prompt: 'x' },
			'prompt goes into contents[] on image-to-video',
		],
		['settings not an object', T('kling-3.0'), { settings: '720p' }, 'settings must be an object'],
		[
			'4k on kling-3.0-turbo',
			T('kling-3.0-turbo'),
			{ settings: { resolution: '4k' } },
			'settings.resolution must be one of "720p", "1080p" for kling-3.0-turbo (got "4k")',
		],
		[
			'4k on kling-2.6',
			I('kling-2.6'),
			{ settings: { resolution: '4k' } },
			'settings.resolution must be one of "720p", "1080p" for kling-2.6 (got "4k")',
		],
		[
			'2 s on kling-3.0',
			T('kling-3.0'),
			{ settings: { duration: 2 } },
			'settings.duration must be an integer from 3 to 15 (seconds, a number) for kling-3.0 (got 2)',
		],
		[
			'16 s on kling-3.0-turbo',
			I('kling-3.0-turbo'),
			{ settings: { duration: 16 } },
			'settings.duration must be an integer from 3 to 15',
		],
		[
			'5.5 s on kling-3.0',
			T('kling-3.0'),
			{ settings: { duration: 5.5 } },
			'settings.duration must be an integer from 3 to 15',
		],
		['duration as a string', T('kling-3.0'), { settings: { duration: '5' } }, '(got "5")'],
		[
			'7 s on kling-2.6',
			T('kling-2.6'),
			{ settings: { duration: 7 } },
			'settings.duration must be 5 or 10 (seconds, a number) for kling-2.6 (got 7)',
		],
		[
			'3 s on kling-2.5-turbo',
			I('kling-2.5-turbo'),
			{ settings: { duration: 3 } },
			'settings.duration must be 5 or 10',
		],
		[
			'aspect_ratio 4:3',
			T('kling-2.5-turbo'),
			{ settings: { aspect_ratio: '4:3' } },
			'settings.aspect_ratio must be one of "16:9", "9:16", "1:1" for kling-2.5-turbo (got "4:3")',
		],
		[
			'aspect_ratio on image-to-video',
			I('kling-3.0'),
			{ settings: { aspect_ratio: '16:9' } },
			'settings.aspect_ratio is not supported by kling-3.0 image-to-video (settings: resolution, duration, audio, multi_shot)',
		],
		[
			'audio on kling-3.0-turbo',
			T('kling-3.0-turbo'),
			{ settings: { audio: 'off' } },
			'settings.audio is not supported by kling-3.0-turbo text-to-video (settings: resolution, duration, aspect_ratio)',
		],
		[
			'audio on kling-2.5-turbo',
			I('kling-2.5-turbo'),
			{ settings: { audio: 'native' } },
			'settings.audio is not supported by kling-2.5-turbo image-to-video',
		],
		[
			'audio "original"',
			T('kling-3.0'),
			{ settings: { audio: 'original' } },
			'settings.audio must be one of "native", "off" for kling-3.0 (got "original")',
		],
		[
			'native audio at 720p on kling-2.6',
			T('kling-2.6'),
			{ settings: { audio: 'native' } },
			'settings.audio "native" on kling-2.6 needs settings.resolution "1080p" (got "720p")',
		],
		[
			'multi_shot on kling-2.6',
			T('kling-2.6'),
			{ settings: { multi_shot: true } },
			'settings.multi_shot is not supported by kling-2.6 text-to-video',
		],
		[
			'multi_shot on kling-3.0-turbo',
			T('kling-3.0-turbo'),
			{ settings: { multi_shot: true } },
			'settings.multi_shot is not supported by kling-3.0-turbo',
		],
		[
			'multi_shot not a boolean',
			T('kling-3.0'),
			{ settings: { multi_shot: 'yes' } },
			'settings.multi_shot must be a boolean',
		],
		[
			'a legacy setting',
			T('kling-3.0'),
			{ settings: { mode: 'pro' } },
			'settings.mode is not supported by kling-3.0 text-to-video',
		],
		[
			'shots adding up to less than the duration',
			T('kling-3.0'),
			{ prompt: 'shot 1, 2, a; shot 2, 2, b;', settings: { duration: 5 } },
			'multi-shot prompt: the shot lengths add up to 4 s, but settings.duration is 5',
		],
		[
			'seven shots',
			T('kling-3.0-turbo'),
			{
				prompt: Array.from({ length: 7 }, (_, i) => `shot ${i + 1}, 2, s${i};`).join(' '),
				settings: { duration: 14 },
			},
			'multi-shot prompt: at most 6 shots (got 7)',
		],
		[
			'a shot of 0 s',
			T('kling-3.0'),
			{ prompt: 'shot 1, 0, a; shot 2, 5, b;', settings: { duration: 5 } },
			'multi-shot prompt: shot 1 must last at least 1 second (got 0)',
		],
		[
			'shots out of order',
			T('kling-3.0'),
			{ prompt: 'shot 1, 2, a; shot 3, 3, b;', settings: { duration: 5 } },
			'multi-shot prompt: shots must be numbered 1, 2, 3… in order (shot 2 says 3)',
		],
		[
			'a shot without words',
			T('kling-3.0'),
			{ prompt: 'shot 1, 5;', settings: { duration: 5 } },
			'multi-shot prompt: shot 1 must read "shot <n>, <seconds>, <words>;" (got "shot 1, 5")',
		],
		[
			'a shot of 513 characters',
			T('kling-3.0'),
			{ prompt: `shot 1, 5, ${'w'.repeat(513)};`, settings: { duration: 5 } },
			'multi-shot prompt: the words of shot 1 must be at most 512 characters (got 513)',
		],
		[
			'multi-shot on image-to-video too',
			I('kling-3.0'),
			{ contents: [prompt('shot 1, 3, a; shot 2, 3, b;'), first()], settings: { duration: 5 } },
			'the shot lengths add up to 6 s, but settings.duration is 5',
		],
		[
			'no contents',
			I('kling-3.0'),
			{ contents: undefined },
			'contents is required for image-to-video',
		],
		['empty contents', I('kling-3.0'), { contents: [] }, 'contents is required for image-to-video'],
		[
			'contents without a first frame',
			I('kling-3.0'),
			{ contents: [prompt('x')] },
			'contents needs a first_frame item',
		],
		[
			'a last frame alone',
			I('kling-3.0'),
			{ contents: [last()] },
			'a last_frame alone is not supported: add a first_frame item',
		],
		[
			'two first frames',
			I('kling-3.0'),
			{ contents: [first(), first()] },
			'contents may have at most one first_frame item',
		],
		[
			'an item without a type',
			I('kling-3.0'),
			{ contents: [first(), { url: PNG }] },
			'contents[1] must be an object with a type (prompt, first_frame, last_frame, element)',
		],
		[
			'a last frame on kling-3.0-turbo',
			I('kling-3.0-turbo'),
			{ contents: [first(), last()] },
			'contents[1].type "last_frame" is not supported by kling-3.0-turbo image-to-video (types: prompt, first_frame)',
		],
		[
			'a last frame at 720p on kling-2.6',
			I('kling-2.6'),
			{ contents: [first(), last()] },
			'last_frame on kling-2.6 needs settings.resolution "1080p" (got "720p")',
		],
		[
			'a last frame at 720p on kling-2.5-turbo',
			I('kling-2.5-turbo'),
			{ contents: [first(), last()], settings: { resolution: '720p' } },
			'last_frame on kling-2.5-turbo needs settings.resolution "1080p" (got "720p")',
		],
		[
			'an element on kling-2.6',
			I('kling-2.6'),
			{ contents: [first(), { type: 'element', element_id: '1', id: 'e' }] },
			'contents[1].type "element" is not supported by kling-2.6 image-to-video (types: prompt, first_frame, last_frame, voice)',
		],
		[
			'four elements on kling-3.0',
			I('kling-3.0'),
			{
				contents: [
					first(),
					...[1, 2, 3, 4].map((n) => ({
						type: 'element',
						element_id: `10000000000016${n}`,
						id: `e${n}`,
					})),
				],
			},
			'contents may have at most 3 element items on kling-3.0',
		],
		[
			'an element without an id',
			I('kling-3.0'),
			{ contents: [first(), { type: 'element', element_id: '1' }] },
			'contents[1].id is required',
		],
		[
			'a voice on kling-3.0',
			I('kling-3.0'),
			{ contents: [first(), { type: 'voice', voice_id: '100000000000000001', id: '1' }] },
			'contents[1].type "voice" is not supported by kling-3.0 image-to-video',
		],
		[
			'three voices on kling-2.6',
			I('kling-2.6'),
			{
				contents: [
					first(),
					...[1, 2, 3].map((n) => ({
						type: 'voice',
						voice_id: `10000000000000000${n}`,
						id: `${n}`,
					})),
				],
				settings: { audio: 'native', resolution: '1080p' },
			},
			'contents may have at most 2 voice items on kling-2.6',
		],
		[
			'a voice with audio off',
			I('kling-2.6'),
			{ contents: [first(), { type: 'voice', voice_id: '100000000000000001', id: '1' }] },
			'voice items need settings.audio "native" (audio must not be "off")',
		],
		[
			'a voice without voice_id',
			I('kling-2.6'),
			{
				contents: [first(), { type: 'voice', id: '1' }],
				settings: { audio: 'native', resolution: '1080p' },
			},
			'contents[1].voice_id is required',
		],
		[
			'a frame without url',
			I('kling-3.0'),
			{ contents: [{ type: 'first_frame' }] },
			'contents[0].url is required',
		],
		[
			'a GIF first frame',
			I('kling-3.0'),
			{ contents: [first(base64(makeGif(640, 480)))] },
			'first_frame url must be a JPG or PNG image (got GIF)',
		],
		[
			'a last frame 299 px high',
			I('kling-3.0'),
			{ contents: [first(), last(base64(makePng(640, 299)))] },
			'last_frame url must be at least 300 px wide and high (got 640x299)',
		],
		[
			'a first frame wider than 2.5:1',
			I('kling-2.6'),
			{ contents: [first(base64(makePng(1001, 400)))] },
			'first_frame url must have an aspect ratio between 1:2.5 and 2.5:1 (got 1001x400)',
		],
		[
			'a last frame taller than 1:2.5',
			I('kling-3.0'),
			{ contents: [first(), last(base64(makePng(400, 1001)))] },
			'last_frame url must have an aspect ratio between 1:2.5 and 2.5:1',
		],
		[
			'a data: URL',
			I('kling-3.0'),
			{ contents: [first(`data:image/png;base64,${PNG}`)] },
			'first_frame url must be a URL or raw Base64 without a "data:" prefix',
		],
		[
			'text that is not Base64',
			I('kling-3.0'),
			{ contents: [first('not base64!')] },
			'first_frame url must be an http(s) URL or Base64-encoded JPG/PNG bytes',
		],
		[
			'an image over 50 MB from a local URL',
			I('kling-3.0'),
			{ contents: [first('IMAGES/big.png')] },
			'first_frame url must be at most 50 MB',
		],
		[
			'a local image URL that answers 404',
			I('kling-3.0'),
			{ contents: [first('IMAGES/missing.png')] },
			'first_frame url could not be downloaded: HTTP 404',
		],
		[
			'options not an object',
			T('kling-3.0'),
			{ options: [] },
			'options must be an object {callback_url, external_task_id, watermark_info}',
		],
		[
			'an unknown option',
			T('kling-3.0'),
			{ options: { webhook: 'x' } },
			'options.webhook is not an option (options: callback_url, external_task_id, watermark_info)',
		],
		[
			'a callback_url that is not http',
			T('kling-3.0'),
			{ options: { callback_url: 'ftp://x' } },
			'callback_url must be an http(s) URL',
		],
		[
			'watermark_info without enabled',
			T('kling-3.0'),
			{ options: { watermark_info: {} } },
			'watermark_info must be an object with a boolean enabled',
		],
		[
			'an external_task_id that is not a string',
			T('kling-3.0'),
			{ options: { external_task_id: 7 } },
			'external_task_id must be a string',
		],
	];

	it.each(refused)(
		'refuses %s with 400/1201 naming the rule',
		async (_name, url, body, message) => {
			const base = url.startsWith(TEXT_TO_VIDEO) ? { prompt: 'x' } : { contents: [first()] };
			const withUrls = JSON.parse(
				JSON.stringify({ ...base, ...body }).replace(/IMAGES/g, imagesUrl),
			);
			const response = await h.apiKey.post(url, withUrls);
			expect([response.status, response.data.code]).toEqual([400, 1201]);
			expect(response.data.message).toContain(message);
			expect(response.data.data).toBeNull();
			expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(1_000_000);
			expect((await h.apiKey.post(TASKS, {})).data.data.result).toEqual([]);
		},
	);

	it('refuses a body that is not a JSON object with 1200', async () => {
		const response = await h.apiKey.post(`${TEXT_TO_VIDEO}/kling-3.0`, '"x"', {
			headers: { 'Content-Type': 'application/json' },
		});
		expect([response.status, response.data.code]).toEqual([400, 1200]);
	});

	it('keeps external_task_id unique per account across both generations, creating nothing more', async () => {
		const options = { external_task_id: 'order-1' };
		const made = await t2v('kling-3.0', { options });
		expect(made.data.code).toBe(0);
		const units = h.sim.getResourcePacks()[0].remaining_quantity;
		for (const again of [t2v('kling-2.6', { options }), i2v('kling-3.0-turbo', { options })]) {
			const response = await again;
			expect([response.status, response.data.code, response.data.message]).toEqual([
				400,
				1201,
				"External_task_id 'order-1' already exists",
			]);
		}
		const legacy = await h.api.post(TEXT2VIDEO, {
			model_name: 'kling-v2-6',
			prompt: 'x',
			external_task_id: 'order-1',
		});
		expect([legacy.status, legacy.data.code]).toEqual([400, 1201]);
		expect(
			(
				await h.api.post(TEXT2VIDEO, {
					model_name: 'kling-v3',
					prompt: 'x',
					external_task_id: 'legacy-1',
				})
			).data.code,
		).toBe(0);
		const current = await t2v('kling-3.0', { options: { external_task_id: 'legacy-1' } });
		expect(current.data.message).toBe("External_task_id 'legacy-1' already exists");

		const listed = await h.apiKey.post(TASKS, {});
		expect(listed.data.data.result).toHaveLength(2);
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(units - 1);
		expect(h.sim.getCurrentTask('order-1')?.id).toBe(made.data.data.id);
	});

	it('applies injected faults to the current paths by default, and the concurrency limit', async () => {
		h.sim.injectFaults({ kind: 'kling-error', code: 5001 });
		const faulted = await t2v('kling-3.0');
		expect([faulted.status, faulted.data.code]).toEqual([503, 5001]);
		h.sim.injectFaults({ kind: 'kling-error', code: 1302, match: `GET ${TASKS}` });
		expect((await h.apiKey.get(`${TASKS}?task_ids=1`)).data.code).toBe(1302);
		expect((await t2v('kling-3.0')).data.code).toBe(0);

		const limited = await startSimulator({ timing: 'manual', maxConcurrentTasks: 1 });
		try {
			const body = { prompt: 'x' };
			expect((await limited.apiKey.post(`${TEXT_TO_VIDEO}/kling-3.0`, body)).data.code).toBe(0);
			const second = await limited.api.post(EXTEND, { video_id: 'sim-video-5s' });
			expect([second.status, second.data.code]).toEqual([429, 1303]);
		} finally {
			await limited.sim.stop();
		}
	});

	it('moves current tasks on the timing clock', async () => {
		const timed = await startSimulator({ timing: { submittedMs: 10, processingMs: 10 } });
		try {
			const id = (await timed.apiKey.post(`${TEXT_TO_VIDEO}/kling-2.5-turbo`, { prompt: 'x' })).data
				.data.id;
			const deadline = Date.now() + 3000;
			while (timed.sim.getCurrentTask(id)?.status !== 'succeeded' && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			expect(timed.sim.getCurrentTask(id)?.status).toBe('succeeded');
		} finally {
			await timed.sim.stop();
		}
	});
});
