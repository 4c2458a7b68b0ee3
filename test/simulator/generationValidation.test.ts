import http from 'http';
import type { AddressInfo } from 'net';

import {
	IMAGE2VIDEO_MODELS,
	LEGACY_MODELS,
	RETIRED_MODELS,
	TEXT2VIDEO_MODELS,
	readImageHeader,
} from '../../simulator';
import { IMAGE2VIDEO, TEXT2VIDEO, type Harness, startSimulator } from './helpers';
import { base64, makeGif, makeJpeg, makePng } from './testImages';

const PNG = base64(makePng(640, 360));
const JPEG = base64(makeJpeg(1280, 720));
const simple = (config: Record<string, unknown>) => ({ type: 'simple', config });
const point = (x: number, y: number) => ({ x, y });
const mask = (points = 2) => ({
	mask: PNG,
	trajectories: Array.from({ length: points }, (_, i) => point(i, i)),
});

describe('simulator legacy text2video and image2video: retired models', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startSimulator({ timing: 'manual' });
	});
	afterAll(() => h.sim.stop());

	it.each(
		RETIRED_MODELS.flatMap((model) => [TEXT2VIDEO, IMAGE2VIDEO].map((path) => [model, path])),
	)("answers %s on %s with HTTP 404, code 1203, in Kling's words", async (model_name, path) => {
		const response = await h.api.post(path, { model_name, prompt: 'x', image: PNG });
		expect([response.status, response.data.code, response.data.message]).toEqual([
			404,
			1203,
			`The model '${model_name}' has been discontinued and is no longer available.`,
		]);
	});

	it("treats a missing model_name as Kling's default kling-v1, which is retired", async () => {
		for (const path of [TEXT2VIDEO, IMAGE2VIDEO]) {
			const response = await h.api.post(path, { prompt: 'x', image: PNG });
			expect([response.status, response.data.code, response.data.message]).toEqual([
				404,
				1203,
				"The model 'kling-v1' has been discontinued and is no longer available.",
			]);
		}
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(1_000_000);
	});

	it.each(LEGACY_MODELS)(
		'serves %s on both endpoints, with the API key or a JWT',
		async (model) => {
			const apiKey = { headers: { Authorization: 'Bearer sim-api-key' } };
			expect((await h.api.post(TEXT2VIDEO, { model_name: model, prompt: 'x' })).data.code).toBe(0);
			expect(
				(await h.raw.post(IMAGE2VIDEO, { model_name: model, image: PNG }, apiKey)).data.code,
			).toBe(0);
		},
	);

	it('refuses cfg_scale on kling-v3, a model without it', async () => {
		const response = await h.api.post(TEXT2VIDEO, {
			model_name: 'kling-v3',
			prompt: 'x',
			cfg_scale: 0.5,
		});
		expect(response.data.message).toBe(
			'invalid parameter: cfg_scale is not supported by kling-v3 (only kling-v1.x models take cfg_scale)',
		);
	});
});

/**
 * The rules of the legacy fields as Kling documents them, most of which only the retired V1.x
 * models took: checked with retirement switched off (discontinuedModels: []).
 */
describe('simulator text/image to video validation', () => {
	let h: Harness;
	let images: http.Server;
	let imagesUrl = '';
	const served = new Map<string, { status: number; body: Buffer }>();

	beforeAll(async () => {
		h = await startSimulator({ timing: 'manual', discontinuedModels: [] });
		images = http.createServer((req, res) => {
			const file = served.get(req.url ?? '');
			res.writeHead(file?.status ?? 404, { 'Content-Type': 'application/octet-stream' });
			res.end(file?.body ?? '');
		});
		await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
		imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
		served.set('/wide.png', { status: 200, body: makePng(1000, 400) });
		served.set('/ok.jpg', { status: 200, body: makeJpeg(720, 1280) });
		served.set('/small.jpg', { status: 200, body: makeJpeg(299, 600) });
		served.set('/anim.gif', { status: 200, body: makeGif(640, 480) });
		served.set('/gone.png', { status: 410, body: Buffer.from('gone') });
	});
	afterAll(async () => {
		await h.sim.stop();
		images.closeAllConnections();
		await new Promise((resolve) => images.close(resolve));
	});
	beforeEach(() => h.sim.reset());

	describe('reads image headers', () => {
		it('takes format and size from a PNG IHDR and a JPEG SOF0', () => {
			expect(readImageHeader(makePng(640, 360))).toEqual({
				format: 'png',
				width: 640,
				height: 360,
			});
			expect(readImageHeader(makeJpeg(1280, 720))).toEqual({
				format: 'jpeg',
				width: 1280,
				height: 720,
			});
			expect(() => readImageHeader(makeGif(640, 480))).toThrow('got GIF');
			expect(() => readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toThrow('SOF');
		});
	});

	const accepted: Array<[string, string, Record<string, unknown>]> = [
		['text2video, only a prompt (model default aside)', TEXT2VIDEO, { prompt: 'x' }],
		[
			'text2video, every field',
			TEXT2VIDEO,
			{
				prompt: 'p'.repeat(2500),
				negative_prompt: 'n'.repeat(2500),
				cfg_scale: 0,
				mode: 'pro',
				aspect_ratio: '9:16',
				duration: '10',
				camera_control: simple({ horizontal: 0, vertical: 0, pan: -10, tilt: 0, roll: 0, zoom: 0 }),
				callback_url: '',
				external_task_id: 'all-fields',
			},
		],
		['text2video, cfg_scale 1', TEXT2VIDEO, { prompt: 'x', cfg_scale: 1 }],
		['text2video, aspect 1:1', TEXT2VIDEO, { prompt: 'x', aspect_ratio: '1:1' }],
		[
			'text2video, a preset camera move without config',
			TEXT2VIDEO,
			{ prompt: 'x', camera_control: { type: 'down_back' } },
		],
		[
			'text2video, a preset camera move with an empty config',
			TEXT2VIDEO,
			{ prompt: 'x', camera_control: { type: 'forward_up', config: {} } },
		],
		[
			'text2video, nulls treated as absent',
			TEXT2VIDEO,
			{ prompt: 'x', mode: null, duration: null },
		],
		['image2video, a PNG as Base64', IMAGE2VIDEO, { image: PNG }],
		['image2video, a JPEG as Base64 and no prompt', IMAGE2VIDEO, { image: JPEG }],
		['image2video, a 2.5:1 PNG from a local URL', IMAGE2VIDEO, { image: 'IMAGES/wide.png' }],
		['image2video, a JPEG from a local URL', IMAGE2VIDEO, { image: 'IMAGES/ok.jpg' }],
		[
			'image2video, a URL elsewhere is taken as it is',
			IMAGE2VIDEO,
			{ image: 'https://example.com/any.webp' },
		],
		[
			'image2video, start and end frame in pro',
			IMAGE2VIDEO,
			{ image: PNG, image_tail: JPEG, mode: 'pro' },
		],
		['image2video, only an end frame in pro', IMAGE2VIDEO, { image_tail: PNG, mode: 'pro' }],
		[
			'image2video, a wide end frame (only image has the aspect rule)',
			IMAGE2VIDEO,
			{ image: PNG, image_tail: base64(makePng(1000, 300 + 50)), mode: 'pro' },
		],
		[
			'image2video, motion brush',
			IMAGE2VIDEO,
			{ image: PNG, static_mask: PNG, dynamic_masks: Array.from({ length: 6 }, () => mask(77)) },
		],
		[
			'image2video, camera control',
			IMAGE2VIDEO,
			{ image: PNG, camera_control: simple({ zoom: 5 }) },
		],
		[
			'image2video, kling-v2-1 pro 10 s',
			IMAGE2VIDEO,
			{ image: PNG, model_name: 'kling-v2-1', mode: 'pro', duration: '10' },
		],
	];

	it.each(accepted)('accepts %s', async (_name, path, body) => {
		const withUrls = JSON.parse(
			JSON.stringify({ model_name: 'kling-v1-6', ...body }).replace(/IMAGES/g, imagesUrl),
		);
		const response = await h.api.post(path, withUrls);
		expect([response.status, response.data.code, response.data.message]).toEqual([
			200,
			0,
			'SUCCEED',
		]);
	});

	it.each(TEXT2VIDEO_MODELS.filter((m) => m !== 'kling-v1'))(
		'text2video accepts model %s',
		async (model_name) => {
			expect((await h.api.post(TEXT2VIDEO, { model_name, prompt: 'x' })).data.code).toBe(0);
		},
	);

	it.each(IMAGE2VIDEO_MODELS.filter((m) => m !== 'kling-v1'))(
		'image2video accepts model %s',
		async (model_name) => {
			expect((await h.api.post(IMAGE2VIDEO, { model_name, image: PNG })).data.code).toBe(0);
		},
	);

	const t2vModels = TEXT2VIDEO_MODELS.join(', ');
	const refused: Array<[string, string, Record<string, unknown>, string]> = [
		[
			'kling-v1-5 on text2video',
			TEXT2VIDEO,
			{ prompt: 'x', model_name: 'kling-v1-5' },
			`model_name must be one of ${t2vModels} for text2video (got "kling-v1-5")`,
		],
		[
			'kling-v2-1 on text2video',
			TEXT2VIDEO,
			{ prompt: 'x', model_name: 'kling-v2-1' },
			'model_name must be one of',
		],
		[
			'an unknown model',
			IMAGE2VIDEO,
			{ image: PNG, model_name: 'kling-v9' },
			'model_name must be one of kling-v1, kling-v1-6, kling-v2-master, kling-v2-1-master, kling-v2-5-turbo, kling-v2-6, kling-v3, kling-v1-5, kling-v2-1 for image2video (got "kling-v9")',
		],
		[
			'a model that is not a string',
			TEXT2VIDEO,
			{ prompt: 'x', model_name: 16 },
			'model_name must be one of',
		],
		[
			'no prompt on text2video',
			TEXT2VIDEO,
			{},
			'prompt is required for text to video (at most 2500 characters)',
		],
		['a blank prompt on text2video', TEXT2VIDEO, { prompt: '  ' }, 'prompt is required'],
		[
			'a prompt of 2501 characters',
			TEXT2VIDEO,
			{ prompt: 'p'.repeat(2501) },
			'prompt must be at most 2500 characters (got 2501)',
		],
		[
			'a negative prompt of 2501 characters',
			IMAGE2VIDEO,
			{ image: PNG, negative_prompt: 'n'.repeat(2501) },
			'negative_prompt must be at most 2500 characters (got 2501)',
		],
		[
			'cfg_scale 1.5',
			TEXT2VIDEO,
			{ prompt: 'x', cfg_scale: 1.5 },
			'cfg_scale must be a number in [0, 1]',
		],
		[
			'cfg_scale -0.1',
			IMAGE2VIDEO,
			{ image: PNG, cfg_scale: -0.1 },
			'cfg_scale must be a number in [0, 1]',
		],
		[
			'cfg_scale with kling-v2-master',
			TEXT2VIDEO,
			{ prompt: 'x', model_name: 'kling-v2-master', cfg_scale: 0.5 },
			'cfg_scale is not supported by kling-v2-master (only kling-v1.x models take cfg_scale)',
		],
		[
			'cfg_scale with kling-v2-1',
			IMAGE2VIDEO,
			{ image: PNG, model_name: 'kling-v2-1', cfg_scale: 0 },
			'cfg_scale is not supported by kling-v2-1',
		],
		[
			'mode fast',
			TEXT2VIDEO,
			{ prompt: 'x', mode: 'fast' },
			'mode must be one of "std", "pro" (got "fast")',
		],
		[
			'aspect_ratio 4:3',
			TEXT2VIDEO,
			{ prompt: 'x', aspect_ratio: '4:3' },
			'aspect_ratio must be one of "16:9", "9:16", "1:1" (got "4:3")',
		],
		[
			'aspect_ratio on image2video',
			IMAGE2VIDEO,
			{ image: PNG, aspect_ratio: '16:9' },
			'aspect_ratio is not supported by image to video: the image decides it',
		],
		[
			'duration as a number',
			TEXT2VIDEO,
			{ prompt: 'x', duration: 5 },
			'duration must be one of "5", "10" (got 5)',
		],
		[
			'duration "7"',
			IMAGE2VIDEO,
			{ image: PNG, duration: '7' },
			'duration must be one of "5", "10" (got "7")',
		],
		[
			'camera_control not an object',
			TEXT2VIDEO,
			{ prompt: 'x', camera_control: 'simple' },
			'camera_control must be an object {type, config}',
		],
		[
			'camera_control of an unknown type',
			TEXT2VIDEO,
			{ prompt: 'x', camera_control: { type: 'orbit' } },
			'camera_control.type must be one of simple, down_back, forward_up, right_turn_forward, left_turn_forward (got "orbit")',
		],
		[
			'simple without config',
			TEXT2VIDEO,
			{ prompt: 'x', camera_control: { type: 'simple' } },
			'camera_control.config is required for type simple: {horizontal, vertical, pan, tilt, roll, zoom} with exactly one non-zero value in [-10, 10]',
		],
		[
			'simple with two non-zero values',
			TEXT2VIDEO,
			{ prompt: 'x', camera_control: simple({ pan: 1, zoom: 2 }) },
			'camera_control.config must have exactly one non-zero value for type simple (got 2)',
		],
		[
			'simple with all zero',
			TEXT2VIDEO,
			{ prompt: 'x', camera_control: simple({ pan: 0 }) },
			'exactly one non-zero value for type simple (got 0)',
		],
		[
			'simple with zoom 11',
			TEXT2VIDEO,
			{ prompt: 'x', camera_control: simple({ zoom: 11 }) },
			'camera_control.config.zoom must be a number in [-10, 10]',
		],
		[
			'simple with tilt -10.5',
			IMAGE2VIDEO,
			{ image: PNG, camera_control: simple({ tilt: -10.5 }) },
			'camera_control.config.tilt must be a number in [-10, 10]',
		],
		[
			'simple with an unknown axis',
			TEXT2VIDEO,
			{ prompt: 'x', camera_control: simple({ dolly: 1 }) },
			'camera_control.config.dolly is not a camera setting',
		],
		[
			'a preset with a config',
			TEXT2VIDEO,
			{ prompt: 'x', camera_control: { type: 'left_turn_forward', config: { pan: 3 } } },
			'camera_control.config must be empty for type left_turn_forward: only simple takes one',
		],
		[
			'no image at all',
			IMAGE2VIDEO,
			{ prompt: 'x' },
			'image or image_tail is required (at least one: an http(s) URL or raw Base64)',
		],
		[
			'an image that is not a string',
			IMAGE2VIDEO,
			{ image: { url: 'x' } },
			'image must be a string: an http(s) URL or raw Base64',
		],
		[
			'a data: URL',
			IMAGE2VIDEO,
			{ image: `data:image/png;base64,${PNG}` },
			'image must be a URL or raw Base64 without a "data:" prefix',
		],
		[
			'text that is not Base64',
			IMAGE2VIDEO,
			{ image: 'not an image!' },
			'image must be an http(s) URL or Base64-encoded JPG/PNG bytes',
		],
		[
			'a GIF',
			IMAGE2VIDEO,
			{ image: base64(makeGif(640, 480)) },
			'image must be a JPG or PNG image (got GIF)',
		],
		[
			'a GIF from a local URL',
			IMAGE2VIDEO,
			{ image: 'IMAGES/anim.gif' },
			'image must be a JPG or PNG image (got GIF)',
		],
		[
			'a PNG 299 px high',
			IMAGE2VIDEO,
			{ image: base64(makePng(600, 299)) },
			'image must be at least 300 px wide and high (got 600x299)',
		],
		[
			'a JPEG 299 px wide from a local URL',
			IMAGE2VIDEO,
			{ image: 'IMAGES/small.jpg' },
			'image must be at least 300 px wide and high (got 299x600)',
		],
		[
			'a panorama over 2.5:1',
			IMAGE2VIDEO,
			{ image: base64(makePng(1001, 400)) },
			'image must have an aspect ratio between 1:2.5 and 2.5:1 (got 1001x400)',
		],
		[
			'a tall JPEG over 1:2.5',
			IMAGE2VIDEO,
			{ image: base64(makeJpeg(300, 751)) },
			'image must have an aspect ratio between 1:2.5 and 2.5:1 (got 300x751)',
		],
		[
			'a PNG over 10 MB',
			IMAGE2VIDEO,
			{ image: base64(makePng(400, 400, 10 * 1024 * 1024)) },
			'image must be at most 10 MB',
		],
		[
			'a local URL that answers 410',
			IMAGE2VIDEO,
			{ image: 'IMAGES/gone.png' },
			'image could not be downloaded: HTTP 410',
		],
		[
			'a small end frame',
			IMAGE2VIDEO,
			{ image: PNG, image_tail: base64(makeJpeg(300, 200)), mode: 'pro' },
			'image_tail must be at least 300 px wide and high (got 300x200)',
		],
		[
			'an end frame in std',
			IMAGE2VIDEO,
			{ image: PNG, image_tail: PNG },
			'image_tail (an end frame) requires mode "pro"',
		],
		[
			'an end frame with camera control',
			IMAGE2VIDEO,
			{ image: PNG, image_tail: PNG, mode: 'pro', camera_control: simple({ pan: 1 }) },
			'image_tail (an end frame), static_mask/dynamic_masks and camera_control cannot be combined: use one of them',
		],
		[
			'an end frame with a static mask',
			IMAGE2VIDEO,
			{ image: PNG, image_tail: PNG, mode: 'pro', static_mask: PNG },
			'cannot be combined',
		],
		[
			'masks with camera control',
			IMAGE2VIDEO,
			{ image: PNG, dynamic_masks: [mask()], camera_control: simple({ roll: 2 }) },
			'cannot be combined',
		],
		[
			'a static mask that is a GIF',
			IMAGE2VIDEO,
			{ image: PNG, static_mask: base64(makeGif(640, 360)) },
			'static_mask must be a JPG or PNG image (got GIF)',
		],
		[
			'seven dynamic masks',
			IMAGE2VIDEO,
			{ image: PNG, dynamic_masks: Array.from({ length: 7 }, () => mask()) },
			'dynamic_masks must be a list of at most 6 {mask, trajectories} groups',
		],
		[
			'a dynamic mask without mask',
			IMAGE2VIDEO,
			{ image: PNG, dynamic_masks: [{ trajectories: [point(0, 0), point(1, 1)] }] },
			'dynamic_masks[0].mask is required',
		],
		[
			'a trajectory of one point',
			IMAGE2VIDEO,
			{ image: PNG, dynamic_masks: [mask(), mask(1)] },
			'dynamic_masks[1].trajectories must be a list of 2 to 77 points {x, y}',
		],
		[
			'a trajectory of 78 points',
			IMAGE2VIDEO,
			{ image: PNG, dynamic_masks: [mask(78)] },
			'dynamic_masks[0].trajectories must be a list of 2 to 77 points {x, y}',
		],
		[
			'a point with a negative x',
			IMAGE2VIDEO,
			{ image: PNG, dynamic_masks: [{ mask: PNG, trajectories: [point(0, 0), point(-1, 1)] }] },
			'dynamic_masks[0].trajectories[1] must be {x, y}: pixel coordinates >= 0 (origin bottom-left)',
		],
		[
			'a dynamic mask image under 300 px',
			IMAGE2VIDEO,
			{
				image: PNG,
				dynamic_masks: [
					{ mask: base64(makePng(100, 100)), trajectories: [point(0, 0), point(1, 1)] },
				],
			},
			'dynamic_masks[0].mask must be at least 300 px',
		],
		[
			'a callback_url that is not http',
			TEXT2VIDEO,
			{ prompt: 'x', callback_url: 'ftp://x' },
			'callback_url must be an http(s) URL',
		],
	];

	it.each(refused)('refuses %s with 1201 naming the field', async (_name, path, body, message) => {
		const withUrls = JSON.parse(
			JSON.stringify({ model_name: 'kling-v1-6', ...body }).replace(/IMAGES/g, imagesUrl),
		);
		const response = await h.api.post(path, withUrls);
		expect([response.status, response.data.code]).toEqual([400, 1201]);
		expect(response.data.message).toMatch(/^invalid parameter: /);
		expect(response.data.message).toContain(message);
		expect(response.data.data).toBeNull();
	});

	it('creates no task and takes no units for a refused request', async () => {
		const before = h.sim.getResourcePacks()[0].remaining_quantity;
		await h.api.post(IMAGE2VIDEO, { model_name: 'kling-v1-6', image: base64(makeGif(640, 480)) });
		expect((await h.api.get(IMAGE2VIDEO)).data.data).toEqual([]);
		expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(before);
	});

	it('refuses a body that is not a JSON object with 1200', async () => {
		for (const path of [TEXT2VIDEO, IMAGE2VIDEO]) {
			const response = await h.api.post(path, '[1]', {
				headers: { 'Content-Type': 'application/json' },
			});
			expect([response.status, response.data.code]).toEqual([400, 1200]);
		}
	});

	it('accepts kling-v1 when no model is discontinued', async () => {
		const open = await startSimulator({ timing: 'manual', discontinuedModels: [] });
		try {
			expect((await open.api.post(TEXT2VIDEO, { prompt: 'x' })).data.code).toBe(0);
			const done = await open.api.post(IMAGE2VIDEO, { model_name: 'kling-v1', image: PNG });
			const taskId = done.data.data.task_id;
			await open.sim.advance(taskId);
			await open.sim.advance(taskId);
			const videoId = open.sim.getGenerationTask(taskId)!.task_result.videos[0].id;
			expect(open.sim.getVideo(videoId)?.model).toBe('kling-v1');
			expect(
				(await open.api.post('/v1/videos/video-extend', { video_id: videoId })).data.code,
			).toBe(0);
		} finally {
			await open.sim.stop();
		}
	});
});
