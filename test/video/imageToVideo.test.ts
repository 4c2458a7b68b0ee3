import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { KlingTestbed } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { makeGif, makeJpeg, makePng } from '../simulator/testImages';

const IMAGE2VIDEO = '/v1/videos/image2video';
const bed = new KlingTestbed();
beforeAll(() => bed.start());
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

function sentBody(): Record<string, unknown> {
	const requests = bed.apiRequests();
	expect(requests).toHaveLength(1);
	expect(requests[0].path).toBe(IMAGE2VIDEO);
	return JSON.parse(requests[0].body) as Record<string, unknown>;
}

const PNG = makePng(640, 360);
const JPEG = makeJpeg(480, 640);

describe('Kling Video: Image to Video, images from a binary field', () => {
	it('sends a PNG of the input item’s "data" field as Base64 (the defaults)', async () => {
		const result = await run({ prompt: 'The fox turns' }, [withFiles({ data: PNG })]);
		expect(result.error).toBeUndefined();
		expect(sentBody()).toEqual({
			model_name: 'kling-v1-6',
			prompt: 'The fox turns',
			mode: 'std',
			duration: '5',
			image: PNG.toString('base64'),
			external_task_id: expect.any(String),
		});
		expect(bed.sim.getTaskKind(String(result.items[0].json.task_id))).toBe('image2video');
	});

	it('sends a JPEG start frame and a PNG end frame from two fields (mode pro)', async () => {
		const end = makePng(480, 640);
		const result = await run({ image: 'start', imageTail: 'end', mode: 'pro' }, [
			withFiles({ start: JPEG, end }),
		]);
		expect(result.error).toBeUndefined();
		expect(sentBody()).toMatchObject({
			image: JPEG.toString('base64'),
			image_tail: end.toString('base64'),
			mode: 'pro',
		});
	});

	it('names the missing binary field and the ones the item has', async () => {
		const result = await run({ image: 'photo' }, [withFiles({ data: PNG, other: PNG })]);
		expect(result.error?.message).toBe('Start Frame: the input item has no binary field "photo"');
		expect(result.error?.description).toBe('Its binary fields are: data, other.');
		const none = await run({});
		expect(none.error?.message).toBe('Start Frame: the input item has no binary field "data"');
		expect(none.error?.description).toMatch(/^The input item has no binary data/);
		expect(bed.apiRequests()).toHaveLength(0);
	});

	const badImages: Array<[string, Buffer, RegExp]> = [
		[
			'too small (299 px wide)',
			makePng(299, 400),
			/^Start Frame is 299×400 px, and Kling needs a width and height of at least 300 px$/,
		],
		[
			'too small (a JPEG 250 px high)',
			makeJpeg(600, 250),
			/^Start Frame is 600×250 px, and Kling needs/,
		],
		[
			'too long (3:1)',
			makePng(900, 300),
			/^Start Frame is 900×300 px, an aspect ratio of 3:1, and Kling allows 1:2.5 to 2.5:1$/,
		],
		[
			'too tall (a JPEG of 1:3)',
			makeJpeg(300, 900),
			/^Start Frame is 300×900 px, an aspect ratio of 0.33:1, and Kling allows 1:2.5 to 2.5:1$/,
		],
		['a GIF', makeGif(640, 360), /^Start Frame must be a JPG or PNG image, but it is a GIF$/],
		['not an image', Buffer.from('hello world'), /^Start Frame must be a JPG or PNG image/],
		[
			'over 10 MB',
			makePng(400, 400, 10 * 1024 * 1024),
			/^Start Frame is 10 MB, and Kling allows at most 10 MB$/,
		],
	];

	it.each(badImages)(
		'refuses a start frame %s, before anything is sent',
		async (_case, bytes, message) => {
			const result = await run({}, [withFiles({ data: bytes })]);
			expect(result.error?.message).toMatch(message);
			expect(bed.apiRequests()).toHaveLength(0);
		},
	);

	it('takes an end frame of any shape (Kling checks the aspect ratio of the start frame only)', async () => {
		const result = await run({ image: '', imageTail: 'data', mode: 'pro' }, [
			withFiles({ data: makePng(1000, 300) }),
		]);
		expect(result.error).toBeUndefined();
		expect(sentBody()).toMatchObject({ image_tail: expect.any(String) });
		expect(sentBody().image).toBeUndefined();
	});
});

describe('Kling Video: Image to Video, images from a URL or Base64', () => {
	it('passes a URL on as it is', async () => {
		const result = await run({ imageSource: 'url', image: 'https://example.com/frame.png' });
		expect(result.error).toBeUndefined();
		expect(sentBody().image).toBe('https://example.com/frame.png');
	});

	it('refuses a URL that is not http(s)', async () => {
		const result = await run({ imageSource: 'url', image: 'file:///etc/passwd' });
		expect(result.error?.message).toMatch(/^Start Frame must be an http:\/\/ or https:\/\/ URL/);
		expect(bed.apiRequests()).toHaveLength(0);
	});

	it('sends Base64 without a data: prefix, and checks the image it encodes', async () => {
		const result = await run({
			imageSource: 'base64',
			image: `data:image/jpeg;base64,${JPEG.toString('base64')}`,
		});
		expect(result.error).toBeUndefined();
		expect(sentBody().image).toBe(JPEG.toString('base64'));
		bed.sim.clearRequests();
		const small = await run({
			imageSource: 'base64',
			image: makeJpeg(200, 200).toString('base64'),
		});
		expect(small.error?.message).toMatch(/^Start Frame is 200×200 px/);
		const garbage = await run({ imageSource: 'base64', image: 'not base64 at all!' });
		expect(garbage.error?.message).toMatch(/^Start Frame must be Base64/);
		expect(bed.apiRequests()).toHaveLength(0);
	});
});

describe('Kling Video: Image to Video, rules and combinations', () => {
	const url = (name: string) => `https://example.com/${name}.png`;
	const base = { imageSource: 'url', image: url('start') };
	const mask = (trajectory: unknown) =>
		({ mask: url('mask'), trajectory }) as unknown as INodeParameters;
	const twoPoints = '[{"x": 10, "y": 20}, {"x": 30, "y": 40}]';

	it('sends masks with their trajectories under Kling’s names', async () => {
		const result = await run({
			...base,
			additionalFields: {
				staticMask: url('still'),
				dynamicMasks: {
					masks: [
						mask(twoPoints),
						mask([
							[1, 2],
							[3, 4],
							[5, 6],
						]),
					],
				},
			},
		});
		expect(result.error).toBeUndefined();
		expect(sentBody()).toMatchObject({
			static_mask: url('still'),
			dynamic_masks: [
				{
					mask: url('mask'),
					trajectories: [
						{ x: 10, y: 20 },
						{ x: 30, y: 40 },
					],
				},
				{
					mask: url('mask'),
					trajectories: [
						{ x: 1, y: 2 },
						{ x: 3, y: 4 },
						{ x: 5, y: 6 },
					],
				},
			],
		});
	});

	const refusals: Array<[string, INodeParameters, RegExp]> = [
		[
			'no image at all',
			{ imageSource: 'url', image: '' },
			/^Start Frame or End Frame is required: Kling needs at least one image$/,
		],
		[
			'an end frame with camera control',
			{ ...base, imageTail: url('end'), mode: 'pro', cameraControl: 'forward_up' },
			/^End Frame and Camera Control cannot be combined/,
		],
		[
			'an end frame with a static mask',
			{ ...base, imageTail: url('end'), mode: 'pro', additionalFields: { staticMask: url('m') } },
			/^End Frame and Static Mask \/ Dynamic Masks cannot be combined/,
		],
		[
			'masks with camera control',
			{
				...base,
				cameraControl: 'simple',
				cameraConfig: { pan: 2 },
				additionalFields: { dynamicMasks: { masks: [mask(twoPoints)] } },
			},
			/^Static Mask \/ Dynamic Masks and Camera Control cannot be combined/,
		],
		[
			'an end frame in mode std',
			{ ...base, imageTail: url('end') },
			/^End Frame needs Mode "pro", but Mode is "std"$/,
		],
		[
			'a model without image to video',
			{ ...base, model: '={{ "kling-v3" }}' },
			/^Model must be one of .*"kling-v1-5", "kling-v2-1" for image to video, but it is "kling-v3"$/,
		],
		[
			'CFG Scale with kling-v2-1',
			{ ...base, model: 'kling-v2-1', additionalFields: { cfgScale: 0.3 } },
			/^CFG Scale cannot be used with kling-v2-1/,
		],
		[
			'a duration of 15',
			{ ...base, duration: '={{ "15" }}' },
			/^Duration must be one of "5", "10" \(seconds\), but it is "15"$/,
		],
		[
			'seven dynamic masks',
			{ ...base, additionalFields: { dynamicMasks: { masks: Array(7).fill(mask(twoPoints)) } } },
			/^Dynamic Masks can have at most 6 masks, but there are 7$/,
		],
		[
			'a trajectory of one point',
			{ ...base, additionalFields: { dynamicMasks: { masks: [mask('[{"x": 1, "y": 1}]')] } } },
			/^Dynamic Mask 1: Trajectory must have 2 to 77 points, but it has 1$/,
		],
		[
			'a trajectory of 78 points',
			{
				...base,
				additionalFields: {
					dynamicMasks: { masks: [mask(Array.from({ length: 78 }, (_, x) => ({ x, y: 1 })))] },
				},
			},
			/^Dynamic Mask 1: Trajectory must have 2 to 77 points, but it has 78$/,
		],
		[
			'a trajectory point below 0',
			{
				...base,
				additionalFields: {
					dynamicMasks: { masks: [mask('[{"x": 1, "y": 1}, {"x": -5, "y": 2}]')] },
				},
			},
			/^Dynamic Mask 1: Trajectory: point 2 must be whole pixel numbers x and y of 0 or more/,
		],
		[
			'a trajectory that is not a list',
			{ ...base, additionalFields: { dynamicMasks: { masks: [mask('{"x": 1}')] } } },
			/^Dynamic Mask 1: Trajectory must be a list of 2 to 77 points/,
		],
		[
			'a dynamic mask without its mask',
			{ ...base, additionalFields: { dynamicMasks: { masks: [{ trajectory: twoPoints }] } } },
			/^Dynamic Mask 1: Mask is required$/,
		],
	];

	it.each(refusals)('refuses %s, before anything is sent', async (_case, parameters, message) => {
		const result = await run(parameters);
		expect(result.error?.message).toMatch(message);
		expect(bed.apiRequests()).toHaveLength(0);
	});

	it('refuses masks of different sizes or of another shape than the start frame', async () => {
		const files = withFiles({
			data: makePng(640, 360),
			still: makePng(640, 360),
			moving: makePng(1280, 720),
			square: makePng(400, 400),
		});
		const sizes = await run(
			{
				additionalFields: {
					staticMask: 'still',
					dynamicMasks: { masks: [{ mask: 'moving', trajectory: twoPoints }] },
				},
			},
			[files],
		);
		expect(sizes.error?.message).toBe(
			'The masks must all have the same size, but they are 640×360, 1280×720 px',
		);
		const shape = await run({ additionalFields: { staticMask: 'square' } }, [files]);
		expect(shape.error?.message).toBe(
			"The masks (400×400 px) must have the Start Frame's aspect ratio (640×360 px)",
		);
		expect(bed.apiRequests()).toHaveLength(0);
	});
});
