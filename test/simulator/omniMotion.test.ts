import http from 'http';
import type { AddressInfo } from 'net';

import { CURRENT_PRODUCT_LIMITS, SAMPLE_MEDIA } from '../../simulator';
import { makeMp4 } from '../../simulator/media';
import { type Harness, createdCurrentAnswer, startSimulator } from './helpers';
import { base64, makePng } from './testImages';

const PNG = base64(makePng(640, 360));
const STAR = '100000000000161';
const FOX = '100000000000162';
const CAR = '100000000000163';
const DANCER = '100000000000164';

describe('simulator omni-video and motion-control', () => {
	let h: Harness;
	let media: http.Server;
	let mediaUrl = '';
	const sample = (name: string) => `${h.url}/samples/${name}`;

	beforeAll(async () => {
		h = await startSimulator({ timing: 'manual' });
		media = http.createServer((req, res) => {
			if (req.url === '/clip-7s.mp4') {
				res.writeHead(200, { 'Content-Type': 'video/mp4' });
				res.end(makeMp4(7.5));
				return;
			}
			if (req.url === '/not-a-video.mp4') {
				res.writeHead(200, { 'Content-Type': 'video/mp4' });
				res.end(Buffer.from('hello'));
				return;
			}
			res.writeHead(404);
			res.end();
		});
		await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
		mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await h.sim.stop();
		media.closeAllConnections();
		await new Promise((resolve) => media.close(resolve));
	});
	beforeEach(() => h.sim.reset());

	const p = (text: string) => ({ type: 'prompt', text });
	const first = { type: 'first_frame', url: PNG };
	const last = { type: 'last_frame', url: PNG };
	const refer = (n: number) =>
		Array.from({ length: n }, (_, i) => ({ type: 'refer_image', url: PNG, id: `image_${i}` }));
	const element = (id: string, n = 1) => ({ type: 'element', element_id: id, id: `element_${n}` });
	// SAMPLE:<name> is one of the simulator's samples, MEDIA:<path> the test's own media server:
	// both URLs are known only once the servers listen.
	const resolve = (contents: unknown[]) =>
		contents.map((item) => {
			const url = (item as { url?: unknown }).url;
			if (typeof url !== 'string') return item;
			if (url.startsWith('SAMPLE:')) return { ...(item as object), url: sample(url.slice(7)) };
			if (url.startsWith('MEDIA:'))
				return { ...(item as object), url: `${mediaUrl}${url.slice(6)}` };
			return item;
		});
	const omni = (model: string, contents: unknown[], settings: Record<string, unknown> = {}) =>
		h.apiKey.post(`/omni-video/${model}`, { contents: resolve(contents), settings });
	const motion = (model: string, contents: unknown[], settings: Record<string, unknown> = {}) =>
		h.apiKey.post(`/motion-control/${model}`, { contents: resolve(contents), settings });
	const image = { type: 'image', url: PNG };
	const video = (name: string) => ({ type: 'video', url: `SAMPLE:${name}` });

	async function finish(id: string) {
		await h.sim.advance(id);
		await h.sim.advance(id);
		return h.sim.getCurrentTask(id)!;
	}

	async function refusedWith(
		answer: Promise<{ status: number; data: { code: number; message: string } }>,
		message: string,
	) {
		const { status, data } = await answer;
		expect([status, data.code, data.message]).toEqual([400, 1201, `invalid parameter: ${message}`]);
		// Nothing was created.
		const listed = await h.apiKey.post('/tasks', {});
		expect(listed.data.data.count).toBe(0);
	}

	describe('samples', () => {
		it.each(SAMPLE_MEDIA)('serves $name with its length in its own header', async (media) => {
			const answer = await h.raw.get(sample(media.name), { responseType: 'arraybuffer' });
			expect(answer.status).toBe(200);
			expect(answer.headers['content-type']).toBe(media.contentType);
			const { readMedia } = await import('../../simulator/referenceMedia');
			expect(readMedia(Buffer.from(answer.data)).seconds).toBeCloseTo(media.seconds, 6);
		});

		it('answers an unknown sample with 404/1203', async () => {
			const answer = await h.raw.get(sample('nope.mp4'));
			expect([answer.status, answer.data.code]).toEqual([404, 1203]);
		});
	});

	describe('omni-video', () => {
		it('creates, runs and bills a kling-3.0-omni task with native audio', async () => {
			const made = await h.apiKey.post('/omni-video/kling-3.0-omni', {
				contents: [p('A fox @element_1 in the snow'), element(FOX)],
				settings: { resolution: '1080p', duration: 7, audio: 'native', aspect_ratio: '9:16' },
				options: { external_task_id: 'omni-1' },
			});
			expect([made.status, made.data]).toEqual([200, createdCurrentAnswer('omni-1')]);
			expect(h.sim.getTaskKind('omni-1')).toBe('omni-video');
			const done = await finish(made.data.data.id);
			expect(done.status).toBe('succeeded');
			expect(done.outputs).toEqual([
				{
					type: 'video',
					id: expect.stringMatching(/^sim-video-/),
					url: expect.stringMatching(/\/videos\/sim-video-.+\.mp4$/),
					duration: '7.041',
				},
			]);
			// 3.0 Omni with audio at 1080p: 1.0 unit a second.
			expect(done.billing).toEqual([{ charge_type: 'unit', amount: '7', package_type: 'video' }]);
			expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(1_000_000 - 7);
		});

		it.each([
			[
				'kling-3.0-omni silent 4k 5 s',
				'kling-3.0-omni',
				[p('x')],
				{ resolution: '4k', aspect_ratio: '1:1' },
				'15',
			],
			['kling-o1 720p 10 s', 'kling-o1', [p('x'), first], { duration: 10 }, '6'],
			[
				'kling-3.0-omni base video (video input) 1080p',
				'kling-3.0-omni',
				[p('x'), { type: 'base_video', url: 'SAMPLE:dance-5s.mp4' }],
				{ resolution: '1080p', multi_shot: false, audio: 'original' },
				'6',
			],
			[
				'kling-o1 feature video 720p 4 s',
				'kling-o1',
				[p('x'), { type: 'feature_video', url: 'SAMPLE:dance-5s.mp4' }],
				{ duration: 4 },
				'3.6',
			],
		])("bills %s at Kling's price", async (_name, model, contents, settings, amount) => {
			const made = await omni(model, contents, settings);
			expect(made.data.code).toBe(0);
			const done = await finish(made.data.data.id);
			expect(done.billing[0].amount).toBe(amount);
		});

		it("accepts the page's combinations", async () => {
			const ok = async (model: string, contents: unknown[], settings = {}) => {
				const answer = await omni(model, contents, settings);
				expect([answer.status, answer.data.code, answer.data.message]).toEqual([200, 0, 'SUCCEED']);
			};
			await ok('kling-3.0-omni', [p('x'), ...refer(7)], { aspect_ratio: '16:9' });
			await ok('kling-3.0-omni', [p('x'), ...refer(3), element(DANCER), element(STAR, 2)], {
				aspect_ratio: '16:9',
			});
			await ok('kling-3.0-omni', [
				p('x'),
				first,
				last,
				element(FOX),
				element(CAR, 2),
				element(STAR, 3),
			]);
			await ok(
				'kling-3.0-omni',
				[p('x'), { type: 'feature_video', url: sample('dance-12s.mp4') }, ...refer(4)],
				{ multi_shot: true },
			);
			await ok(
				'kling-3.0-omni',
				[p('x'), { type: 'base_video', url: sample('dance-5s.mp4') }, element(DANCER)],
				{ multi_shot: false },
			);
			await ok('kling-o1', [p('x'), first], { duration: 5 });
			await ok('kling-o1', [p('x'), first, element(FOX)], { duration: 7 });
			await ok(
				'kling-o1',
				[p('x'), first, { type: 'feature_video', url: sample('dance-5s.mp4') }],
				{ duration: 7 },
			);
			// A loopback URL is downloaded and its mvhd read: 7.5 s.
			await ok('kling-o1', [p('x'), { type: 'base_video', url: `${mediaUrl}/clip-7s.mp4` }]);
			// A video the simulator made is known by its URL.
			const made = await finish((await omni('kling-o1', [p('x'), first])).data.data.id);
			await ok('kling-o1', [p('x'), { type: 'base_video', url: made.outputs[0].url }]);
			// Shot-like wording on O1 is plain words (it has no multi-shot).
			await ok('kling-o1', [p('shot 1, 9, nonsense;'), first]);
			await ok('kling-3.0-omni', [p('shot 1, 2, a; shot 2, 3, b;'), first]);
		});

		const refused: Array<[string, string, unknown[], Record<string, unknown>, string]> = [
			[
				'a 3.0 Omni resolution on O1',
				'kling-o1',
				[p('x'), first],
				{ resolution: '4k' },
				'settings.resolution must be one of "720p", "1080p" for kling-o1 (got "4k")',
			],
			[
				'11 s on O1',
				'kling-o1',
				[p('x'), first, element(FOX)],
				{ duration: 11 },
				'settings.duration must be an integer from 3 to 10 (seconds, a number) for kling-o1 (got 11)',
			],
			[
				'16 s on 3.0 Omni',
				'kling-3.0-omni',
				[p('x'), first],
				{ duration: 16 },
				'settings.duration must be an integer from 3 to 15 (seconds, a number) for kling-3.0-omni (got 16)',
			],
			[
				'native audio on O1',
				'kling-o1',
				[p('x'), first],
				{ audio: 'native' },
				'settings.audio must be one of "original", "off" for kling-o1 (got "native")',
			],
			[
				'multi_shot on O1',
				'kling-o1',
				[p('x'), first],
				{ multi_shot: false },
				'settings.multi_shot is not supported by kling-o1 omni-video (settings: resolution, duration, aspect_ratio, audio)',
			],
			[
				'no prompt',
				'kling-3.0-omni',
				[first],
				{},
				'contents needs a prompt item with text: {"type": "prompt", "text": …}',
			],
			[
				'two reference videos',
				'kling-3.0-omni',
				[
					p('x'),
					{ type: 'feature_video', url: 'SAMPLE:dance-5s.mp4' },
					{ type: 'base_video', url: 'SAMPLE:dance-5s.mp4', id: 'v2' },
				],
				{ multi_shot: false, audio: 'off' },
				'at most one reference video (feature_video or base_video) (got 2)',
			],
			[
				'eight reference images',
				'kling-3.0-omni',
				[p('x'), ...refer(8)],
				{ aspect_ratio: '1:1' },
				'refer_image items and multi-image elements together may be at most 7 (got 8)',
			],
			[
				'six images and two multi-image elements',
				'kling-3.0-omni',
				[p('x'), ...refer(6), element(FOX), element(CAR, 2)],
				{ aspect_ratio: '1:1' },
				'refer_image items and multi-image elements together may be at most 7 (got 8)',
			],
			[
				'five with a video-character element',
				'kling-3.0-omni',
				[p('x'), ...refer(5), element(DANCER)],
				{ aspect_ratio: '1:1' },
				'with video-character elements, refer_image items and multi-image elements together may be at most 4 (got 5)',
			],
			[
				'five with a reference video',
				'kling-3.0-omni',
				[p('x'), { type: 'feature_video', url: 'SAMPLE:dance-5s.mp4' }, ...refer(5)],
				{},
				'with a reference video, refer_image items and multi-image elements together may be at most 4 (got 5)',
			],
			[
				'both element kinds with a video',
				'kling-3.0-omni',
				[
					p('x'),
					{ type: 'feature_video', url: 'SAMPLE:dance-5s.mp4' },
					element(DANCER),
					element(FOX, 2),
				],
				{},
				'with a reference video, video-character elements and multi-image elements cannot be combined',
			],
			[
				'four elements with a first frame',
				'kling-3.0-omni',
				[p('x'), first, element(FOX), element(CAR, 2), element(STAR, 3), element(DANCER, 4)],
				{},
				'with a first_frame, at most 3 element items (got 4)',
			],
			[
				'a video-character element on O1',
				'kling-o1',
				[p('x'), first, element(DANCER)],
				{},
				"kling-o1 takes multi-image elements only: contents[2].element_id '100000000000164' is a video-character element",
			],
			[
				'O1 first and last frame with an element',
				'kling-o1',
				[p('x'), first, last, element(FOX)],
				{},
				'kling-o1 with a first_frame and a last_frame takes no element and no refer_image items',
			],
			[
				'O1 first and last frame with a reference image',
				'kling-o1',
				[p('x'), first, last, ...refer(1)],
				{},
				'kling-o1 with a first_frame and a last_frame takes no element and no refer_image items',
			],
			[
				'O1 only a first frame for 7 s',
				'kling-o1',
				[p('x'), first],
				{ duration: 7 },
				'kling-o1 with only a first_frame makes 5 or 10 s videos: settings.duration must be 5 or 10 (got 7)',
			],
			[
				'editing with a first frame',
				'kling-3.0-omni',
				[p('x'), first, { type: 'base_video', url: 'SAMPLE:dance-5s.mp4' }],
				{ multi_shot: false },
				'base_video (editing) cannot be combined with a first_frame or last_frame',
			],
			[
				'editing with multi-shot left on',
				'kling-3.0-omni',
				[p('x'), { type: 'base_video', url: 'SAMPLE:dance-5s.mp4' }],
				{},
				'base_video (editing) does not support multi-shot: set settings.multi_shot to false',
			],
			[
				'editing with native sound',
				'kling-3.0-omni',
				[p('x'), { type: 'base_video', url: 'SAMPLE:dance-5s.mp4' }],
				{ multi_shot: false, audio: 'native' },
				'base_video (editing) does not support settings.audio "native" (use "original" or "off")',
			],
			[
				'a feature video with sound on 3.0 Omni',
				'kling-3.0-omni',
				[p('x'), { type: 'feature_video', url: 'SAMPLE:dance-5s.mp4' }],
				{ audio: 'original' },
				'feature_video on kling-3.0-omni needs settings.audio "off" (got "original")',
			],
			[
				'a feature video and a last frame on O1',
				'kling-o1',
				[p('x'), first, last, { type: 'feature_video', url: 'SAMPLE:dance-5s.mp4' }],
				{},
				'feature_video on kling-o1 takes a first_frame only, no last_frame',
			],
			[
				'no aspect ratio without a first frame or video',
				'kling-3.0-omni',
				[p('x'), ...refer(1)],
				{},
				'settings.aspect_ratio is required when there is neither a first_frame nor a reference video (16:9, 9:16, 1:1)',
			],
			[
				'a last frame alone',
				'kling-3.0-omni',
				[p('x'), last],
				{},
				'a last_frame alone is not supported: add a first_frame item',
			],
			[
				'shots not adding up on 3.0 Omni',
				'kling-3.0-omni',
				[p('shot 1, 2, a; shot 2, 2, b;'), first],
				{},
				'multi-shot prompt: the shot lengths add up to 4 s, but settings.duration is 5',
			],
			[
				'an unknown element',
				'kling-3.0-omni',
				[p('x'), first, element('123456789012345')],
				{},
				"contents[2].element_id '123456789012345' does not exist in this account (neither a custom element nor a preset)",
			],
			[
				'a duplicate id',
				'kling-3.0-omni',
				[p('x'), { ...first, id: 'a' }, { type: 'refer_image', url: PNG, id: 'a' }],
				{},
				'contents[2].id "a" is used twice: ids must be unique within a task',
			],
			[
				'a 12 s reference video on O1',
				'kling-o1',
				[p('x'), { type: 'feature_video', url: 'SAMPLE:dance-12s.mp4' }],
				{},
				'feature_video must be 3 to 10 s long on kling-o1 (got 12 s)',
			],
			[
				'a 25 s reference video on 3.0 Omni',
				'kling-3.0-omni',
				[p('x'), { type: 'base_video', url: 'SAMPLE:dance-25s.mp4' }],
				{ multi_shot: false },
				'base_video must be 3 to 15.5 s long on kling-3.0-omni (got 25 s)',
			],
			[
				'a 2 s reference video',
				'kling-3.0-omni',
				[p('x'), { type: 'feature_video', url: 'SAMPLE:dance-2s.mp4' }],
				{},
				'feature_video must be 3 to 15.5 s long on kling-3.0-omni (got 2 s)',
			],
			[
				'a Base64 video',
				'kling-3.0-omni',
				[p('x'), { type: 'feature_video', url: 'AAAA' }],
				{},
				'contents[1].url must be an http(s) URL: videos are given by URL only',
			],
			[
				'a video that is not there',
				'kling-3.0-omni',
				[p('x'), { type: 'feature_video', url: 'MEDIA:/missing.mp4' }],
				{},
				'contents[1] (feature_video) url could not be downloaded: HTTP 404',
			],
			[
				'a video without an mvhd',
				'kling-3.0-omni',
				[p('x'), { type: 'feature_video', url: 'MEDIA:/not-a-video.mp4' }],
				{},
				'contents[1] (feature_video) url could not be read: an MP4 or MOV video is needed (no mvhd box with its length)',
			],
		];

		it.each(refused)(
			'refuses %s with 400/1201 naming the rule',
			async (_name, model, contents, settings, message) => {
				await refusedWith(omni(model, contents, settings), message);
				expect(h.sim.getResourcePacks()[0].remaining_quantity).toBe(1_000_000);
			},
		);

		it('answers an unknown omni model with 404/1203 listing the models', async () => {
			const answer = await omni('kling-3.0', [p('x'), first]);
			expect([answer.status, answer.data.code, answer.data.message]).toEqual([
				404,
				1203,
				"The model 'kling-3.0' does not exist for omni-video; models: kling-3.0-omni, kling-o1",
			]);
		});

		it('refuses a video URL it cannot reach as could not be downloaded', async () => {
			const answer = await omni('kling-3.0-omni', [
				p('x'),
				{ type: 'feature_video', url: 'http://127.0.0.1:1/x.mp4' },
			]);
			expect([answer.status, answer.data.code]).toEqual([400, 1201]);
			expect(answer.data.message).toMatch(
				/^invalid parameter: contents\[1\] \(feature_video\) url could not be downloaded: /,
			);
		});
	});

	describe('motion-control', () => {
		it('makes a video as long as the motion video and bills that length', async () => {
			const made = await motion(
				'kling-3.0',
				[p('dance'), image, video('dance-25s.mp4'), element(STAR)],
				{
					character_orientation: 'video',
					resolution: '1080p',
				},
			);
			expect([made.status, made.data]).toEqual([200, createdCurrentAnswer('')]);
			expect(h.sim.getTaskKind(made.data.data.id)).toBe('motion-control');
			const done = await finish(made.data.data.id);
			expect(done.outputs[0].duration).toBe('25');
			// 3.0 motion control at 1080p: 1.2 units a second of output.
			expect(done.billing).toEqual([{ charge_type: 'unit', amount: '30', package_type: 'video' }]);
			const cheap = await motion('kling-2.6', [image, video('dance-5s.mp4')], {
				character_orientation: 'image',
				audio: 'off',
			});
			const cheapDone = await finish(cheap.data.data.id);
			expect([cheapDone.outputs[0].duration, cheapDone.billing[0].amount]).toEqual(['5', '2.5']);
		});

		it('reads the length of a downloaded motion video', async () => {
			const made = await motion(
				'kling-2.6',
				[image, { type: 'video', url: `${mediaUrl}/clip-7s.mp4` }],
				{
					character_orientation: 'image',
				},
			);
			const done = await finish(made.data.data.id);
			expect([done.outputs[0].duration, done.billing[0].amount]).toEqual(['7.5', '3.75']);
		});

		const refused: Array<[string, string, unknown[], Record<string, unknown>, string]> = [
			[
				'no orientation',
				'kling-3.0',
				[image, video('dance-5s.mp4')],
				{},
				'settings.character_orientation is required: "image" (up to 10 s of motion) or "video" (up to 30 s)',
			],
			[
				'a bad orientation',
				'kling-3.0',
				[image, video('dance-5s.mp4')],
				{ character_orientation: 'camera' },
				'settings.character_orientation must be one of "image", "video" for kling-3.0 (got "camera")',
			],
			[
				'a duration',
				'kling-3.0',
				[image, video('dance-5s.mp4')],
				{ character_orientation: 'image', duration: 5 },
				'settings.duration is not supported by kling-3.0 motion-control: the output follows the motion video (settings: character_orientation, audio, resolution)',
			],
			[
				'4k',
				'kling-3.0',
				[image, video('dance-5s.mp4')],
				{ character_orientation: 'image', resolution: '4k' },
				'settings.resolution must be one of "720p", "1080p" for kling-3.0 (got "4k")',
			],
			[
				'native audio',
				'kling-2.6',
				[image, video('dance-5s.mp4')],
				{ character_orientation: 'image', audio: 'native' },
				'settings.audio must be one of "original", "off" for kling-2.6 (got "native")',
			],
			[
				'an element on 2.6',
				'kling-2.6',
				[image, video('dance-5s.mp4'), element(STAR)],
				{ character_orientation: 'image' },
				'contents[2].type "element" is not supported by kling-2.6 motion-control (types: prompt, image, video)',
			],
			[
				'two elements on 3.0',
				'kling-3.0',
				[image, video('dance-5s.mp4'), element(STAR), element(FOX, 2)],
				{ character_orientation: 'image' },
				'contents may have at most 1 element item on kling-3.0',
			],
			[
				'an unknown element',
				'kling-3.0',
				[image, video('dance-5s.mp4'), element('999999999999999')],
				{ character_orientation: 'image' },
				"contents[2].element_id '999999999999999' does not exist in this account (neither a custom element nor a preset)",
			],
			[
				'no image',
				'kling-3.0',
				[video('dance-5s.mp4')],
				{ character_orientation: 'image' },
				'contents needs an image item (the character): {"type": "image", "url": …}',
			],
			[
				'no video',
				'kling-3.0',
				[image],
				{ character_orientation: 'image' },
				'contents needs a video item (the motion): {"type": "video", "url": …}',
			],
			[
				'a Base64 video',
				'kling-3.0',
				[image, { type: 'video', url: 'AAAA' }],
				{ character_orientation: 'image' },
				'contents[1].url must be an http(s) URL: videos are given by URL only',
			],
			[
				'12 s with orientation image',
				'kling-3.0',
				[image, video('dance-12s.mp4')],
				{ character_orientation: 'image' },
				'the motion video is 12 s; with settings.character_orientation "image" it may be at most 10 s (with "video", up to 30 s)',
			],
			[
				'40 s with orientation video',
				'kling-2.6',
				[image, video('dance-40s.mp4')],
				{ character_orientation: 'video' },
				'the motion video is 40 s; with settings.character_orientation "video" it may be at most 30 s',
			],
			[
				'2 s',
				'kling-2.6',
				[image, video('dance-2s.mp4')],
				{ character_orientation: 'video' },
				'the motion video must be at least 3 s long (got 2 s)',
			],
			[
				'a GIF character',
				'kling-3.0',
				[{ type: 'image', url: 'R0lGODlhAQABAAAAACw=' }, video('dance-5s.mp4')],
				{ character_orientation: 'image' },
				'contents[0] (image) url must be a JPG or PNG image (got GIF)',
			],
		];

		it.each(refused)(
			'refuses %s with 400/1201 naming the rule',
			async (_name, model, contents, settings, message) => {
				await refusedWith(motion(model, contents, settings), message);
			},
		);

		it('answers a motion model that does not exist with 404/1203', async () => {
			const answer = await motion('kling-2.5-turbo', [image, video('dance-5s.mp4')], {
				character_orientation: 'image',
			});
			expect([answer.status, answer.data.code, answer.data.message]).toEqual([
				404,
				1203,
				"The model 'kling-2.5-turbo' does not exist for motion-control; models: kling-3.0, kling-2.6",
			]);
		});

		it('takes the API key only, like every current path', async () => {
			const answer = await h.api.post('/motion-control/kling-3.0', {
				contents: [image, video('dance-5s.mp4')],
			});
			expect([answer.status, answer.data.code]).toEqual([401, 1002]);
		});
	});

	it('exports the limits of every current product and model', () => {
		expect(Object.keys(CURRENT_PRODUCT_LIMITS)).toEqual([
			'text-to-video',
			'image-to-video',
			'omni-video',
			'motion-control',
		]);
		expect(Object.keys(CURRENT_PRODUCT_LIMITS['omni-video'])).toEqual([
			'kling-3.0-omni',
			'kling-o1',
		]);
		expect(CURRENT_PRODUCT_LIMITS['omni-video']['kling-o1']).toEqual({
			resolutions: ['720p', '1080p'],
			defaultResolution: '720p',
			durations: [3, 4, 5, 6, 7, 8, 9, 10],
			defaultDuration: 5,
			audio: ['original', 'off'],
			defaultAudio: 'off',
			aspectRatios: ['16:9', '9:16', '1:1'],
			multiShot: false,
			multiShotSetting: false,
			lastFrame: true,
			maxElements: 7,
			maxVoices: 0,
			maxPromptChars: 2500,
			inputVideoSeconds: { min: 3, max: 10 },
		});
		expect(CURRENT_PRODUCT_LIMITS['motion-control']['kling-3.0']).toMatchObject({
			resolutions: ['720p', '1080p'],
			durations: [],
			audio: ['original', 'off'],
			defaultAudio: 'original',
			maxElements: 1,
			inputVideoSeconds: { min: 3, max: 30, maxWithImageOrientation: 10 },
		});
		expect(CURRENT_PRODUCT_LIMITS['motion-control']['kling-2.6'].maxElements).toBe(0);
		expect(CURRENT_PRODUCT_LIMITS['image-to-video']['kling-2.6']).toMatchObject({
			maxVoices: 2,
			audio: ['native', 'off'],
			lastFrame: true,
			aspectRatios: [],
		});
		expect(CURRENT_PRODUCT_LIMITS['text-to-video']['kling-3.0-turbo']).toMatchObject({
			audio: [],
			multiShot: true,
			multiShotSetting: false,
			maxPromptChars: 3072,
		});
		expect(CURRENT_PRODUCT_LIMITS['image-to-video']['kling-3.0-turbo'].maxPromptChars).toBe(2500);
	});
});
