import type { INodeExecutionData } from 'n8n-workflow';

import { PRESET_ELEMENTS, PRESET_VOICES } from '../../simulator';
import { KlingTestbed } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { base64, makePng } from '../simulator/testImages';

/**
 * Kling Video's Element resource against the simulator: `POST /v1/general/advanced-custom-elements`
 * (waited for like a video task), Get by the creation task, Get Many of custom or preset elements
 * (pageNum/pageSize) and Delete; every input rule refused before anything is sent.
 */
const ELEMENTS = '/v1/general/advanced-custom-elements';
const PRESETS = '/v1/general/advanced-presets-elements';
const DELETE = '/v1/general/delete-advanced-elements';
const PNG = makePng(640, 640);
const scaledPolling = { pollInterval: 0.003, maxPollInterval: 0.03 };

const bed = new KlingTestbed({ timing: { submittedMs: 20, processingMs: 60 } });
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

const imageElement = (extra: Record<string, unknown> = {}) => ({
	resource: 'element',
	operation: 'create',
	elementName: 'Rusty',
	elementDescription: 'A rusty robot',
	referenceType: 'image',
	imageSource: 'base64',
	frontalImage: base64(PNG),
	referenceImages: [base64(PNG)],
	...extra,
});

function bodyOf(index = 0) {
	return JSON.parse(bed.apiRequests()[index].body) as Record<string, unknown>;
}

async function makeElement(name = 'Rusty') {
	const result = await bed.run({
		parameters: imageElement({
			elementName: name,
			waitForCompletion: 'poll',
			simplify: true,
			options: scaledPolling,
		}),
		nodeType: KLING_VIDEO_TYPE,
	});
	expect(result.error).toBeUndefined();
	return result.items[0].json;
}

describe('Element: Create', () => {
	it('sends Kling’s body (images, tags, bound voice) and, waiting, outputs the element’s id', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: imageElement({
				tags: ['o_102', 'o_104'],
				voiceId: PRESET_VOICES[0].id,
				waitForCompletion: 'poll',
				simplify: true,
				options: scaledPolling,
			}),
		});
		expect(result.error).toBeUndefined();
		const [create, ...reads] = bed.apiRequests();
		expect([create.method, create.path]).toEqual(['POST', ELEMENTS]);
		const body = bodyOf();
		expect(body).toEqual({
			element_name: 'Rusty',
			element_description: 'A rusty robot',
			reference_type: 'image_refer',
			element_image_list: {
				frontal_image: base64(PNG),
				refer_images: [{ image_url: base64(PNG) }],
			},
			element_voice_id: PRESET_VOICES[0].id,
			tag_list: [{ tag_id: 'o_102' }, { tag_id: 'o_104' }],
			external_task_id: expect.stringMatching(/^n8n-/),
		});
		const json = result.items[0].json;
		const taskId = String(json.taskId);
		expect(
			reads.every((read) => read.method === 'GET' && read.path === `${ELEMENTS}/${taskId}`),
		).toBe(true);
		// Kling's /tasks shows the same task in the new shape, its element among the outputs.
		const elementId = bed.sim.getCurrentTask(taskId)?.outputs[0].id;
		expect(elementId).toMatch(/^\d{15}$/);
		expect(json).toMatchObject({
			status: 'succeeded',
			elementId,
			elementName: 'Rusty',
			voiceId: PRESET_VOICES[0].id,
			voiceName: PRESET_VOICES[0].name,
			videoId: null,
			url: null,
		});
	});

	it('reads the images from binary fields, and without waiting outputs Kling’s submitted task', async () => {
		const png = { data: base64(PNG), mimeType: 'image/png', fileName: 'front.png' };
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: imageElement({
				imageSource: 'binaryField',
				frontalImage: 'front',
				referenceImages: ['side', 'back'],
			}),
			inputItems: [{ json: {}, binary: { front: png, side: png, back: png } }],
		});
		expect(result.error).toBeUndefined();
		expect(bed.apiRequests()).toHaveLength(1);
		expect(bodyOf().element_image_list).toEqual({
			frontal_image: base64(PNG),
			refer_images: [{ image_url: base64(PNG) }, { image_url: base64(PNG) }],
		});
		expect(result.items[0].json).toMatchObject({ task_status: 'submitted' });
	});

	it('makes a video-character element from a 3-8 s video URL', async () => {
		const videoUrl = `${bed.sim.url}/samples/dance-5s.mp4`;
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				resource: 'element',
				operation: 'create',
				elementName: 'Dancer',
				elementDescription: 'A dancer',
				referenceType: 'video',
				videoUrl,
				waitForCompletion: 'poll',
				simplify: true,
				options: scaledPolling,
			},
		});
		expect(result.error).toBeUndefined();
		expect(bodyOf()).toEqual({
			element_name: 'Dancer',
			element_description: 'A dancer',
			reference_type: 'video_refer',
			element_video_list: { refer_videos: [{ video_url: videoUrl }] },
			external_task_id: expect.stringMatching(/^n8n-/),
		});
		expect(result.items[0].json).toMatchObject({ status: 'succeeded', elementName: 'Dancer' });
		expect(result.items[0].json.elementId).toMatch(/^\d+$/);
	});

	it('stops at a failed task with the product’s words', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: imageElement({
				elementDescription: 'simulate-failure',
				waitForCompletion: 'poll',
				options: scaledPolling,
			}),
		});
		expect(result.error?.message).toMatch(/^Kling could not create the element: /);
	});

	const big = base64(makePng(640, 640, 11 * 1024 * 1024));
	it.each([
		[
			'a name over 20 characters',
			{ elementName: 'x'.repeat(21) },
			/^Element Name is too long: 21 characters, and Kling allows at most 20$/,
		],
		['no name', { elementName: ' ' }, /^Element Name is required/],
		['no description', { elementDescription: ' ' }, /^Element Description is required/],
		[
			'a description over 100',
			{ elementDescription: 'd'.repeat(101) },
			/^Element Description is too long: 101 characters, and Kling allows at most 100$/,
		],
		['no frontal image', { frontalImage: ' ' }, /^Frontal Image is required/],
		[
			'no reference image',
			{ referenceImages: [] },
			/^Reference Images must have 1 to 3 images besides the frontal image, but there are 0$/,
		],
		[
			'four reference images',
			{ referenceImages: Array(4).fill(base64(PNG)) },
			/^Reference Images must have 1 to 3 images besides the frontal image, but there are 4$/,
		],
		[
			'an image over 10 MB',
			{ referenceImages: [big] },
			/^Reference Image 1 is 11.1 MB, and Kling allows at most 10 MB$/,
		],
		['a small image', { frontalImage: base64(makePng(200, 640)) }, /^Frontal Image is 200×640 px/],
		[
			'a tag Kling lacks',
			{ tags: '={{ ["o_102", "o_999"] }}' },
			/^Tags must be among Kling's tags o_101, .*, but they have \["o_999"\]$/,
		],
		[
			'a video URL that is no URL',
			{ referenceType: 'video', videoUrl: 'dance.mp4' },
			/^Video URL must be an http:\/\/ or https:\/\/ URL/,
		],
		[
			'a video that is no MP4 or MOV',
			{ referenceType: 'video', videoUrl: 'https://example.com/a.avi' },
			/^Video URL must be an MP4 or MOV video \(.mp4, .mov\), but it ends in .avi$/,
		],
		[
			'a bad callback URL',
			{ additionalFields: { callbackUrl: 'nope' } },
			/^Callback URL must be an http/,
		],
	])('refuses %s before sending anything', async (_case, extra, message) => {
		const result = await bed.run({ nodeType: KLING_VIDEO_TYPE, parameters: imageElement(extra) });
		expect(result.error?.message).toMatch(message);
		expect(bed.apiRequests()).toHaveLength(0);
	});
});

describe('Element: Get, Get Many, Delete', () => {
	it('gets an element by its creation task id and by its external id', async () => {
		const made = await makeElement();
		for (const [lookupBy, id] of [
			['taskId', String(made.taskId)],
			['externalTaskId', String(made.externalTaskId)],
		]) {
			bed.sim.clearRequests();
			const result = await bed.run({
				nodeType: KLING_VIDEO_TYPE,
				parameters: {
					resource: 'element',
					operation: 'get',
					lookupBy,
					[lookupBy]: id,
					simplify: true,
				},
			});
			expect(result.error).toBeUndefined();
			expect(bed.apiRequests().map((r) => [r.method, r.path])).toEqual([
				['GET', `${ELEMENTS}/${String(id)}`],
			]);
			expect(result.items[0].json).toMatchObject({
				elementId: String(made.elementId),
				elementName: 'Rusty',
			});
		}
	});

	it('lists custom elements a page at a time (Limit), and all of them (Return All)', async () => {
		for (const name of ['A', 'B', 'C']) await makeElement(name);
		bed.sim.clearRequests();
		const limited = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'element', operation: 'getAll', limit: 2, simplify: true },
		});
		expect(limited.error).toBeUndefined();
		expect(bed.apiRequests().map((r) => [r.method, r.path, r.query])).toEqual([
			['GET', ELEMENTS, { pageNum: '1', pageSize: '2' }],
		]);
		expect(limited.items).toHaveLength(2);
		bed.sim.clearRequests();
		const all = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'element', operation: 'getAll', returnAll: true, simplify: true },
		});
		// Pages of 500 until a short one (a few at a time, as every legacy list).
		const pages = bed.apiRequests().map((r) => r.query);
		expect(pages[0]).toEqual({ pageNum: '1', pageSize: '500' });
		expect(pages.every((page) => page.pageSize === '500')).toBe(true);
		expect(all.items.map((item: INodeExecutionData) => item.json.elementName).sort()).toEqual([
			'A',
			'B',
			'C',
		]);
	});

	it('lists Kling’s preset elements (empty task ids) one item each', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'element', operation: 'getAll', source: 'preset', simplify: true },
		});
		expect(result.error).toBeUndefined();
		expect(bed.apiRequests().map((r) => [r.path, r.query])).toEqual([
			[PRESETS, { pageNum: '1', pageSize: '50' }],
		]);
		expect(result.items.map((item) => [item.json.elementId, item.json.elementName])).toEqual(
			PRESET_ELEMENTS.map((element) => [element.id, element.name]),
		);
	});

	it('deletes a custom element by its id', async () => {
		const made = await makeElement();
		bed.sim.clearRequests();
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'element', operation: 'delete', elementId: String(made.elementId) },
		});
		expect(result.error).toBeUndefined();
		const [request] = bed.apiRequests();
		expect([request.method, request.path, JSON.parse(request.body)]).toEqual([
			'POST',
			DELETE,
			{ element_id: made.elementId },
		]);
		expect(result.items[0].json).toMatchObject({
			elementId: String(made.elementId),
			deleted: true,
		});
	});

	it('says in plain words that a preset cannot be deleted, and that an unknown id is not there', async () => {
		const preset = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'element', operation: 'delete', elementId: PRESET_ELEMENTS[0].id },
		});
		expect(preset.error?.message).toBe(
			`Element ${PRESET_ELEMENTS[0].id} is one of Kling's preset elements: only custom elements can be deleted`,
		);
		const unknown = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'element', operation: 'delete', elementId: '123' },
		});
		expect(unknown.error?.message).toBe(
			'Kling has no custom element 123 to delete in this account',
		);
	});

	it('refuses an empty element id or several before sending anything', async () => {
		for (const elementId of [' ', '1,2']) {
			const result = await bed.run({
				nodeType: KLING_VIDEO_TYPE,
				parameters: { resource: 'element', operation: 'delete', elementId },
			});
			expect(result.error?.message).toMatch(/^Element ID (is required|must be one ID)/);
		}
		expect(bed.apiRequests()).toHaveLength(0);
	});
});
