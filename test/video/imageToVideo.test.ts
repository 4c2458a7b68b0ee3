import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { PRESET_ELEMENTS, PRESET_VOICES } from '../../simulator';
import { KlingTestbed, apiKeyCredentials } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { makeGif, makeJpeg, makePng } from '../simulator/testImages';
import { klingRequests, sentCreate } from './generationHelpers';

const bed = new KlingTestbed();
beforeAll(async () => {
	await bed.start();
	bed.credentials = apiKeyCredentials(bed.sim.url);
});
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

/** An input item carrying files, as n8n's HTTP Request or Read Files nodes hand them on. */
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
		parameters: { operation: 'imageToVideo', ...parameters },
		inputItems,
	});
}

const path = (model: string) => `/image-to-video/${model}`;
const PNG = makePng(640, 360);
const JPEG = makeJpeg(480, 640);
const url = (name: string) => `https://example.com/${name}.png`;
const fromUrl = { imageSource: 'url', image: url('first') };
// Kling looks the IDs up: the simulator's preset elements and voices.
const [el1, el2, el3] = PRESET_ELEMENTS.map((element) => element.id);
const [voice1, voice2] = PRESET_VOICES.map((voice) => voice.id);

describe('Kling Video: Image to Video, images from a binary field', () => {
	it('sends a PNG of the input item’s "data" field as Base64 in a first_frame item (the defaults)', async () => {
		const result = await run({ prompt: 'The fox turns' }, [withFiles({ data: PNG })]);
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-turbo'))).toEqual({
			contents: [
				{ type: 'prompt', text: 'The fox turns' },
				{ type: 'first_frame', url: PNG.toString('base64') },
			],
			settings: { resolution: '720p', duration: 5 },
		});
	});

	it('sends a JPEG first frame and a PNG last frame from two fields (kling-2.5-turbo, 1080p)', async () => {
		const last = makePng(480, 640);
		const result = await run(
			{ model: 'kling-2.5-turbo', image: 'first', imageTail: 'last', resolution: '1080p' },
			[withFiles({ first: JPEG, last })],
		);
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-2.5-turbo'))).toEqual({
			contents: [
				{ type: 'first_frame', url: JPEG.toString('base64') },
				{ type: 'last_frame', url: last.toString('base64') },
			],
			settings: { resolution: '1080p', duration: 5 },
		});
	});

	it('names the missing binary field and the ones the item has', async () => {
		const result = await run({ image: 'photo' }, [withFiles({ data: PNG, other: PNG })]);
		expect(result.error?.message).toBe('First Frame: the input item has no binary field "photo"');
		expect(result.error?.description).toBe('Its binary fields are: data, other.');
		const none = await run({});
		expect(none.error?.message).toBe('First Frame: the input item has no binary field "data"');
		expect(none.error?.description).toMatch(/^The input item has no binary data/);
		expect(klingRequests(bed)).toHaveLength(0);
	});

	const badImages: Array<[string, Buffer, RegExp]> = [
		[
			'too small (299 px wide)',
			makePng(299, 400),
			/^First Frame is 299×400 px, and Kling needs a width and height of at least 300 px$/,
		],
		[
			'too long (3:1)',
			makePng(900, 300),
			/^First Frame is 900×300 px, an aspect ratio of 3:1, and Kling allows 1:2.5 to 2.5:1$/,
		],
		[
			'too tall (a JPEG of 1:3)',
			makeJpeg(300, 900),
			/^First Frame is 300×900 px, an aspect ratio of 0.33:1, and Kling allows 1:2.5 to 2.5:1$/,
		],
		['a GIF', makeGif(640, 360), /^First Frame must be a JPG or PNG image, but it is a GIF$/],
		['not an image', Buffer.from('hello world'), /^First Frame must be a JPG or PNG image/],
		[
			'over 50 MB',
			makePng(400, 400, 50 * 1024 * 1024 + 1024),
			/^First Frame is 50.1 MB, and Kling allows at most 50 MB$/,
		],
	];

	it.each(badImages)(
		'refuses a first frame %s, before anything is sent',
		async (_case, bytes, message) => {
			const result = await run({}, [withFiles({ data: bytes })]);
			expect(result.error?.message).toMatch(message);
			expect(klingRequests(bed)).toHaveLength(0);
		},
	);

	it('checks the last frame as Kling does: its aspect ratio too', async () => {
		const result = await run({ model: 'kling-3.0', imageTail: 'last' }, [
			withFiles({ data: PNG, last: makePng(1000, 300) }),
		]);
		expect(result.error?.message).toMatch(/^Last Frame is 1000×300 px, an aspect ratio of 3.33:1/);
		expect(klingRequests(bed)).toHaveLength(0);
	});
});

describe('Kling Video: Image to Video, images from a URL or Base64', () => {
	it('passes a URL on as it is', async () => {
		const result = await run({ ...fromUrl, model: 'kling-2.6' });
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-2.6'))).toEqual({
			contents: [{ type: 'first_frame', url: url('first') }],
			settings: { resolution: '720p', duration: 5, audio: 'off' },
		});
	});

	it('refuses a URL that is not http(s)', async () => {
		const result = await run({ imageSource: 'url', image: 'file:///etc/passwd' });
		expect(result.error?.message).toMatch(/^First Frame must be an http:\/\/ or https:\/\/ URL/);
		expect(klingRequests(bed)).toHaveLength(0);
	});

	it('sends Base64 without a data: prefix, and checks the image it encodes', async () => {
		const result = await run({
			imageSource: 'base64',
			image: `data:image/jpeg;base64,${JPEG.toString('base64')}`,
		});
		expect(result.error).toBeUndefined();
		const contents = sentCreate(bed, path('kling-3.0-turbo')).contents as Array<{ url: string }>;
		expect(contents[0].url).toBe(JPEG.toString('base64'));
		bed.sim.clearRequests();
		const small = await run({
			imageSource: 'base64',
			image: makeJpeg(200, 200).toString('base64'),
		});
		expect(small.error?.message).toMatch(/^First Frame is 200×200 px/);
		const garbage = await run({ imageSource: 'base64', image: 'not base64 at all!' });
		expect(garbage.error?.message).toMatch(/^First Frame must be Base64/);
		expect(klingRequests(bed)).toHaveLength(0);
	});
});

describe('Kling Video: Image to Video, per model', () => {
	it('kling-3.0: last frame, up to 3 elements as @1..@3, 4k with sound, and multi-shot', async () => {
		const result = await run({
			...fromUrl,
			model: 'kling-3.0',
			imageTail: url('last'),
			resolution: '4k',
			audio: 'native',
			durationSeconds: 8,
			multiShot: true,
			shots: {
				shot: [
					{ prompt: '@1 walks in', duration: 3 },
					{ prompt: '@1 meets @2', duration: 5 },
				],
			},
			elementIds: [el1, el2, el3],
			additionalFields: { watermark: false, externalTaskId: 'mine-3' },
		});
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0'))).toEqual({
			contents: [
				{ type: 'prompt', text: 'shot 1, 3, @1 walks in; shot 2, 5, @1 meets @2;' },
				{ type: 'first_frame', url: url('first') },
				{ type: 'last_frame', url: url('last') },
				{ type: 'element', element_id: el1, id: '1' },
				{ type: 'element', element_id: el2, id: '2' },
				{ type: 'element', element_id: el3, id: '3' },
			],
			settings: { resolution: '4k', duration: 8, audio: 'native', multi_shot: true },
			options: { external_task_id: 'mine-3', watermark_info: { enabled: false } },
		});
	});

	it('kling-2.6: up to 2 voices as @1 and @2 with native sound at 1080p, and a last frame', async () => {
		const result = await run({
			...fromUrl,
			model: 'kling-2.6',
			prompt: '@1 whispers softly to @2',
			imageTail: url('last'),
			resolution: '1080p',
			durationSeconds: 10,
			audio: 'native',
			voiceIds: [voice1, voice2],
		});
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-2.6'))).toEqual({
			contents: [
				{ type: 'prompt', text: '@1 whispers softly to @2' },
				{ type: 'first_frame', url: url('first') },
				{ type: 'last_frame', url: url('last') },
				{ type: 'voice', voice_id: voice1, id: '1' },
				{ type: 'voice', voice_id: voice2, id: '2' },
			],
			settings: { resolution: '1080p', duration: 10, audio: 'native' },
		});
	});

	it('kling-3.0-turbo: a first frame and a prompt only, 3 to 15 s', async () => {
		const result = await run({ ...fromUrl, prompt: 'Zoom in', durationSeconds: 15 });
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-turbo'))).toEqual({
			contents: [
				{ type: 'prompt', text: 'Zoom in' },
				{ type: 'first_frame', url: url('first') },
			],
			settings: { resolution: '720p', duration: 15 },
		});
	});

	const refusals: Array<[string, INodeParameters, RegExp]> = [
		[
			'no first frame',
			{ imageSource: 'url', image: '' },
			/^First Frame is required: image to video starts from an image$/,
		],
		[
			'a last frame alone',
			{ imageSource: 'url', image: '', model: 'kling-3.0', imageTail: url('last') },
			/^First Frame is required with a Last Frame: Kling does not take a last frame alone$/,
		],
		[
			'a last frame on kling-3.0-turbo (a model given by an expression)',
			{ ...fromUrl, model: '={{ "kling-3.0-turbo" }}', imageTail: url('last') },
			/^Last Frame cannot be used on kling-3.0-turbo: it takes a first frame only$/,
		],
		[
			'a last frame on kling-2.6 at 720p',
			{ ...fromUrl, model: 'kling-2.6', imageTail: url('last') },
			/^Last Frame on kling-2.6 needs Resolution "1080p", but Resolution is "720p"$/,
		],
		[
			'a last frame on kling-2.5-turbo at 720p',
			{ ...fromUrl, model: 'kling-2.5-turbo', imageTail: url('last') },
			/^Last Frame on kling-2.5-turbo needs Resolution "1080p", but Resolution is "720p"$/,
		],
		[
			'four elements on kling-3.0',
			{ ...fromUrl, model: 'kling-3.0', elementIds: ['a', 'b', 'c', 'd'] },
			/^Element Names or IDs can have at most 3 IDs on kling-3.0, but there are 4$/,
		],
		[
			'elements on kling-2.6 (a model given by an expression)',
			{ ...fromUrl, model: '={{ "kling-2.6" }}', elementIds: ['a'] },
			/^Element Names or IDs can be used on "kling-3.0" only, not on kling-2.6$/,
		],
		[
			'three voices on kling-2.6',
			{
				...fromUrl,
				model: 'kling-2.6',
				resolution: '1080p',
				audio: 'native',
				voiceIds: ['a', 'b', 'c'],
			},
			/^Voice Names or IDs can have at most 2 IDs on kling-2.6, but there are 3$/,
		],
		[
			'voices on kling-3.0 (a model given by an expression)',
			{ ...fromUrl, model: '={{ "kling-3.0" }}', audio: 'native', voiceIds: ['a'] },
			/^Voice Names or IDs can be used on "kling-2.6" only, not on kling-3.0$/,
		],
		[
			'voices with audio off (given by an expression)',
			{ ...fromUrl, model: 'kling-2.6', audio: '={{ "off" }}', voiceIds: '={{ "a,b" }}' },
			/^Voice Names or IDs need Audio "native", but Audio is "off"$/,
		],
		[
			'a prompt over 2,500 characters on kling-3.0-turbo',
			{ ...fromUrl, prompt: 'x'.repeat(2501) },
			/^Prompt is too long: 2501 characters, and Kling allows at most 2500$/,
		],
		[
			'a prompt over 3,072 characters on kling-3.0',
			{ ...fromUrl, model: 'kling-3.0', prompt: 'x'.repeat(3073) },
			/^Prompt is too long: 3073 characters, and Kling allows at most 3072$/,
		],
		[
			'a duration of 3 s on kling-2.5-turbo',
			{ ...fromUrl, model: 'kling-2.5-turbo', durationSeconds: 3 },
			/^Duration \(Seconds\) must be 5 or 10 \(seconds\) on kling-2.5-turbo, but it is 3$/,
		],
		[
			'a retired model',
			{ ...fromUrl, model: 'kling-v1-5' },
			/^Model "kling-v1-5" \(Kling V1.5\) has been retired by Kling: it no longer makes videos$/,
		],
	];

	it.each(refusals)('refuses %s, before anything is sent', async (_case, parameters, message) => {
		const result = await run(parameters);
		expect(result.error?.message).toMatch(message);
		expect(klingRequests(bed)).toHaveLength(0);
	});
});
