import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { PRESET_ELEMENTS, sampleUrl } from '../../simulator';
import { KlingTestbed, apiKeyCredentials } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { makeJpeg, makePng } from '../simulator/testImages';
import { klingRequests, sentCreate } from './generationHelpers';

/**
 * Kling Video's Omni Video (`POST /omni-video/{model}`, Kling's docs "Omni Video Generation" of
 * Kling 3.0 Omni and O1) through n8n-core against the simulator: the request Kling gets, with the
 * ids its examples show (images `image_1`… in the order first frame, last frame, reference
 * images; the video `video_1`; elements `element_1`…), and each rule of the page refused before
 * anything is sent.
 */
const bed = new KlingTestbed();
beforeAll(async () => {
	await bed.start();
	bed.credentials = apiKeyCredentials(bed.sim.url);
});
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

function withFiles(files: Record<string, Buffer>): INodeExecutionData {
	const binary = Object.fromEntries(
		Object.entries(files).map(([name, bytes]) => [
			name,
			{ data: bytes.toString('base64'), mimeType: 'image/png', fileName: `${name}.png` },
		]),
	);
	return { json: {}, binary };
}

async function run(parameters: INodeParameters, inputItems?: INodeExecutionData[]) {
	return await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: { operation: 'omniVideo', ...parameters },
		inputItems,
	});
}

const path = (model: string) => `/omni-video/${model}`;
const url = (name: string) => `https://example.com/${name}.png`;
const PNG = makePng(640, 360);
// Elements Kling knows (multi-image elements): the simulator's presets.
const [ELEMENT_1, ELEMENT_2, ELEMENT_3] = PRESET_ELEMENTS.filter(
	(element) => element.referenceType === 'image_refer',
).map((element) => element.id);
/** A video of 5 s the simulator can measure, as Kling downloads a reference video. */
const video = () => sampleUrl(bed.sim.url, 'dance-5s.mp4');
const images = (...entries: Array<[string, string]>) => ({
	images: entries.map(([imageSource, image]) => ({ imageSource, image })),
});
const frames = { imageSource: 'url', image: url('first') };

describe('Kling Video: Omni Video, the request Kling gets', () => {
	it('sends a prompt only with the defaults (kling-3.0-omni, 5 s, 720p, 16:9, sound off), and no model_name', async () => {
		const result = await run({ prompt: 'A parrot flies over a harbour' });
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-omni'))).toEqual({
			contents: [{ type: 'prompt', text: 'A parrot flies over a harbour' }],
			settings: { resolution: '720p', duration: 5, aspect_ratio: '16:9', audio: 'off' },
		});
		expect(result.items[0].json).toMatchObject({ status: 'submitted' });
	});

	it('sends reference images from a binary field (as Base64) and a URL as refer_image items image_1, image_2', async () => {
		const result = await run(
			{
				prompt: 'The woman of @image_1 wears the hat of @image_2',
				referenceImages: images(['binaryField', 'portrait'], ['url', url('hat')]),
				aspectRatio: '9:16',
				durationSeconds: 8,
			},
			[withFiles({ portrait: PNG })],
		);
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-omni'))).toEqual({
			contents: [
				{ type: 'prompt', text: 'The woman of @image_1 wears the hat of @image_2' },
				{ type: 'refer_image', url: PNG.toString('base64'), id: 'image_1' },
				{ type: 'refer_image', url: url('hat'), id: 'image_2' },
			],
			settings: { resolution: '720p', duration: 8, aspect_ratio: '9:16', audio: 'off' },
		});
	});

	it('sends a first and a last frame (image_1, image_2) with elements, and no aspect ratio (the frame decides it)', async () => {
		const jpeg = makeJpeg(480, 640);
		const result = await run(
			{
				prompt: '@element_1 drives @element_2 from @image_1 to @image_2',
				imageSource: 'binaryField',
				image: 'first',
				imageTail: 'last',
				elementIds: [ELEMENT_1, ELEMENT_2],
				resolution: '4k',
				audio: 'native',
				additionalFields: { externalTaskId: 'omni-1', watermark: true },
			},
			[withFiles({ first: jpeg, last: PNG })],
		);
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-omni'))).toEqual({
			contents: [
				{ type: 'prompt', text: '@element_1 drives @element_2 from @image_1 to @image_2' },
				{ type: 'first_frame', url: jpeg.toString('base64'), id: 'image_1' },
				{ type: 'last_frame', url: PNG.toString('base64'), id: 'image_2' },
				{ type: 'element', element_id: ELEMENT_1, id: 'element_1' },
				{ type: 'element', element_id: ELEMENT_2, id: 'element_2' },
			],
			settings: { resolution: '4k', duration: 5, audio: 'native' },
			options: { external_task_id: 'omni-1', watermark_info: { enabled: true } },
		});
	});

	it('edits a video: a base_video item video_1 after the reference image, its own sound, multi_shot false', async () => {
		const result = await run({
			prompt: 'Colour the parrot of @video_1 like @image_1',
			referenceImages: images(['url', url('colours')]),
			referenceVideoUrl: video(),
			videoRole: 'edit',
			audio: 'original',
			resolution: '1080p',
		});
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-omni'))).toEqual({
			contents: [
				{ type: 'prompt', text: 'Colour the parrot of @video_1 like @image_1' },
				{ type: 'refer_image', url: url('colours'), id: 'image_1' },
				{ type: 'base_video', url: video(), id: 'video_1' },
			],
			settings: { resolution: '1080p', duration: 5, audio: 'original', multi_shot: false },
		});
	});

	it('follows a reference video on kling-o1 from a first frame (feature_video video_1), with its original sound', async () => {
		const result = await run({
			...frames,
			model: 'kling-o1',
			prompt: 'Start at @image_1 and move like @video_1',
			referenceVideoUrl: video(),
			audio: 'original',
			durationSeconds: 7,
		});
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-o1'))).toEqual({
			contents: [
				{ type: 'prompt', text: 'Start at @image_1 and move like @video_1' },
				{ type: 'first_frame', url: url('first'), id: 'image_1' },
				{ type: 'feature_video', url: video(), id: 'video_1' },
			],
			settings: { resolution: '720p', duration: 7, audio: 'original' },
		});
	});

	it('follows a reference video on kling-3.0-omni with sound off, and no aspect ratio (the video decides it)', async () => {
		const result = await run({
			prompt: 'A dancer in the style of @video_1',
			referenceVideoUrl: video(),
			aspectRatio: '1:1',
		});
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-omni'))).toEqual({
			contents: [
				{ type: 'prompt', text: 'A dancer in the style of @video_1' },
				{ type: 'feature_video', url: video(), id: 'video_1' },
			],
			settings: { resolution: '720p', duration: 5, audio: 'off' },
		});
	});

	it('sends elements and reference images on kling-o1 (7 together), with an aspect ratio', async () => {
		const result = await run({
			model: 'kling-o1',
			prompt: '@element_1, @element_2 and @element_3 meet in @image_1',
			referenceImages: images(
				['url', url('a')],
				['url', url('b')],
				['url', url('c')],
				['url', url('d')],
			),
			elementIds: [ELEMENT_1, ELEMENT_2, ELEMENT_3],
			durationSeconds: 10,
			resolution: '1080p',
		});
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-o1'))).toEqual({
			contents: [
				{ type: 'prompt', text: '@element_1, @element_2 and @element_3 meet in @image_1' },
				{ type: 'refer_image', url: url('a'), id: 'image_1' },
				{ type: 'refer_image', url: url('b'), id: 'image_2' },
				{ type: 'refer_image', url: url('c'), id: 'image_3' },
				{ type: 'refer_image', url: url('d'), id: 'image_4' },
				{ type: 'element', element_id: ELEMENT_1, id: 'element_1' },
				{ type: 'element', element_id: ELEMENT_2, id: 'element_2' },
				{ type: 'element', element_id: ELEMENT_3, id: 'element_3' },
			],
			settings: { resolution: '1080p', duration: 10, aspect_ratio: '16:9', audio: 'off' },
		});
	});

	it('sends multi-shot on kling-3.0-omni: the shots as Kling’s prompt, multi_shot true', async () => {
		const result = await run({
			multiShot: true,
			shots: {
				shot: [
					{ prompt: '@element_1 opens the door', duration: 4 },
					{ prompt: '@element_1 walks into @image_1', duration: 6 },
				],
			},
			durationSeconds: 10,
			referenceImages: images(['url', url('room')]),
			elementIds: [ELEMENT_1],
		});
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-omni'))).toEqual({
			contents: [
				{
					type: 'prompt',
					text: 'shot 1, 4, @element_1 opens the door; shot 2, 6, @element_1 walks into @image_1;',
				},
				{ type: 'refer_image', url: url('room'), id: 'image_1' },
				{ type: 'element', element_id: ELEMENT_1, id: 'element_1' },
			],
			settings: {
				resolution: '720p',
				duration: 10,
				aspect_ratio: '16:9',
				audio: 'off',
				multi_shot: true,
			},
		});
	});
});

describe('Kling Video: Omni Video, Kling’s rules checked before sending', () => {
	const five = (prefix: string) =>
		images(...Array.from({ length: 5 }, (_, i): [string, string] => ['url', url(`${prefix}${i}`)]));
	const refusals: Array<[string, INodeParameters, string]> = [
		[
			'two reference videos (a list given by an expression)',
			{
				prompt: 'x',
				referenceVideoUrl: '={{ ["https://example.com/1.mp4", "https://example.com/2.mp4"] }}',
			},
			'Reference Video URL takes one video: Kling allows at most 1 reference video, but there are 2',
		],
		[
			'8 reference images and elements without a video',
			{ prompt: 'x', referenceImages: five('r'), elementIds: ['1', '2', '3'] },
			'Reference Images and Element Names or IDs can be at most 7 together, but there are 5 + 3 = 8',
		],
		[
			'5 reference images and elements with a video',
			{
				prompt: 'x',
				referenceImages: images(['url', url('a')], ['url', url('b')], ['url', url('c')]),
				elementIds: ['1', '2'],
				referenceVideoUrl: 'https://example.com/clip.mp4',
			},
			'Reference Images and Element Names or IDs can be at most 4 together with a Reference Video URL, but there are 3 + 2 = 5',
		],
		[
			'4 elements with a first frame',
			{ ...frames, prompt: 'x', elementIds: ['1', '2', '3', '4'] },
			'Element Names or IDs can be at most 3 with a First Frame, but there are 4',
		],
		[
			'elements with a first and a last frame on kling-o1',
			{ ...frames, imageTail: url('last'), model: 'kling-o1', prompt: 'x', elementIds: ['1'] },
			'Element Names or IDs cannot be used with a First Frame and a Last Frame on kling-o1',
		],
		[
			'reference images with a first and a last frame on kling-o1',
			{
				...frames,
				imageTail: url('last'),
				model: 'kling-o1',
				prompt: 'x',
				referenceImages: images(['url', url('a')]),
			},
			'Reference Images cannot be used with a First Frame and a Last Frame on kling-o1',
		],
		[
			'7 s from a first frame alone on kling-o1',
			{ ...frames, model: 'kling-o1', prompt: 'x', durationSeconds: 7 },
			'Duration (Seconds) must be 5 or 10 on kling-o1 with a First Frame alone (no Last Frame, Reference Images, Element Names or IDs or Reference Video URL), but it is 7',
		],
		[
			'a first frame with a video to edit',
			{
				...frames,
				prompt: 'x',
				referenceVideoUrl: 'https://example.com/clip.mp4',
				videoRole: 'edit',
			},
			'First Frame cannot be used with Video Role "edit": Kling edits the video as it is, without a first or last frame',
		],
		[
			'multi-shot with a video to edit',
			{
				multiShot: true,
				shots: { shot: [{ prompt: 'a', duration: 5 }] },
				referenceVideoUrl: 'https://example.com/clip.mp4',
				videoRole: 'edit',
			},
			'Multi-Shot cannot be used with Video Role "edit": Kling edits a video as one shot',
		],
		[
			'native sound with a video to edit',
			{
				prompt: 'x',
				referenceVideoUrl: 'https://example.com/clip.mp4',
				videoRole: 'edit',
				audio: 'native',
			},
			'Audio "native" cannot be used with Video Role "edit": choose "original" to keep the video\'s sound, or "off"',
		],
		[
			'sound with a reference video on kling-3.0-omni',
			{ prompt: 'x', referenceVideoUrl: 'https://example.com/clip.mp4', audio: 'original' },
			'Audio must be "off" with a reference video (Video Role "reference") on kling-3.0-omni, but it is "original"',
		],
		[
			'a last frame with a reference video on kling-o1',
			{
				...frames,
				imageTail: url('last'),
				model: 'kling-o1',
				prompt: 'x',
				referenceVideoUrl: 'https://example.com/clip.mp4',
			},
			'Last Frame cannot be used with a reference video (Video Role "reference") on kling-o1: it takes a first frame only',
		],
		[
			'a last frame without a first frame',
			{ imageSource: 'url', imageTail: url('last'), prompt: 'x' },
			'First Frame is required with a Last Frame: Kling does not take a last frame alone',
		],
		[
			'a video URL that is not http(s)',
			{ prompt: 'x', referenceVideoUrl: 'ftp://example.com/clip.mp4' },
			'Reference Video URL must be an http:// or https:// URL, but it is "ftp://example.com/clip.mp4"',
		],
		[
			'a video role Kling does not know (an expression)',
			{
				prompt: 'x',
				referenceVideoUrl: 'https://example.com/clip.mp4',
				videoRole: '={{ "follow" }}',
			},
			'Video Role must be one of "reference", "edit" on kling-3.0-omni, but it is "follow"',
		],
		[
			'native sound on kling-o1 (an expression)',
			{ prompt: 'x', model: 'kling-o1', audio: '={{ "native" }}' },
			'Audio must be one of "original", "off" on kling-o1, but it is "native"',
		],
		[
			'multi-shot on kling-o1 (a model given by an expression)',
			{
				model: '={{ "kling-o1" }}',
				multiShot: true,
				shots: { shot: [{ prompt: 'a', duration: 5 }] },
			},
			'Shots (multi-shot) are available on "kling-3.0-omni" only, not on kling-o1',
		],
		[
			'no prompt (an expression; the editor requires one)',
			{ prompt: '={{ "" }}' },
			'Prompt is required for omni video, but it is empty',
		],
		[
			'a prompt over 2,500 characters on kling-o1',
			{ model: 'kling-o1', prompt: 'x'.repeat(2501) },
			'Prompt is too long: 2501 characters, and Kling allows at most 2500',
		],
		[
			'12 s on kling-o1',
			{ model: 'kling-o1', prompt: 'x', durationSeconds: 12 },
			'Duration (Seconds) must be a whole number from 3 to 10 (seconds) on kling-o1, but it is 12',
		],
		[
			'an aspect ratio Kling does not know, where it is sent (an expression)',
			{ prompt: 'x', aspectRatio: '={{ "4:3" }}' },
			'Aspect Ratio must be one of "16:9", "9:16", "1:1" on omni video, but it is "4:3"',
		],
		[
			'a reference image that is not a URL',
			{ prompt: 'x', referenceImages: images(['url', 'javascript:alert(1)']) },
			'Reference Image 1 must be an http:// or https:// URL, but it is "javascript:alert(1)"',
		],
	];

	it.each(refusals)('refuses %s, before anything is sent', async (_case, parameters, message) => {
		const result = await run(parameters);
		expect(result.error?.message).toBe(message);
		expect(klingRequests(bed)).toHaveLength(0);
	});

	it('reads reference images as Image to Video reads its frames: a small binary image is refused by name', async () => {
		const result = await run(
			{
				prompt: 'x',
				referenceImages: images(['url', url('ok')], ['binaryField', 'small']),
			},
			[withFiles({ small: makePng(200, 200) })],
		);
		expect(result.error?.message).toBe(
			'Reference Image 2 is 200×200 px, and Kling needs a width and height of at least 300 px',
		);
		const missing = await run({ prompt: 'x', referenceImages: images(['binaryField', 'nope']) });
		expect(missing.error?.message).toBe(
			'Reference Image 1: the input item has no binary field "nope"',
		);
		expect(klingRequests(bed)).toHaveLength(0);
	});

	it('refuses an access key + secret key credential before sending', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'omniVideo', prompt: 'A parrot' },
			credentials: {
				...bed.credentials,
				authentication: 'accessKey',
				accessKey: 'ak',
				secretKey: 'sk',
			},
		});
		expect(result.error?.message).toBe(
			"The Kling API credential uses an access key + secret key, and Kling's current models (kling-3.0-omni among them) take only an API key",
		);
		expect(klingRequests(bed)).toHaveLength(0);
	});
});

describe('Kling Video: Omni Video, waiting by Poll', () => {
	const polled = new KlingTestbed({
		timing: { submittedMs: 40, processingMs: 200 },
		videoBytes: 512,
	});
	beforeAll(async () => {
		await polled.start();
		polled.useApiKey();
	});
	afterAll(() => polled.stop());

	it('waits for the task at /tasks and hands on its video, downloaded', async () => {
		const result = await polled.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				operation: 'omniVideo',
				model: 'kling-o1',
				prompt: 'A parrot lands on @image_1',
				referenceImages: images(['url', url('branch')]),
				waitForCompletion: 'poll',
				downloadVideo: true,
				simplify: true,
				options: { pollInterval: 0.003, maxPollInterval: 0.03 },
			},
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toMatchObject({ status: 'succeeded', url: expect.stringMatching(/^http/) });
		expect(item.binary?.data).toMatchObject({ fileName: `${String(item.json.videoId)}.mp4` });
		const requests = polled.apiRequests();
		const creates = requests.filter((request) => request.method === 'POST');
		expect(creates.map((request) => request.path)).toEqual(['/omni-video/kling-o1']);
		const reads = requests.filter((request) => request.method === 'GET');
		expect(reads.length).toBeGreaterThan(0);
		expect(reads.every((request) => request.path === '/tasks')).toBe(true);
	});
});
