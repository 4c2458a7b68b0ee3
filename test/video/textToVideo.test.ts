import type { INodeParameters } from 'n8n-workflow';

import { KlingTestbed, expectNoSecrets, secretsSeen } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';

const TEXT2VIDEO = '/v1/videos/text2video';
const bed = new KlingTestbed();
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

async function run(parameters: INodeParameters, items?: Array<Record<string, string>>) {
	return await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: { operation: 'textToVideo', ...parameters },
		items,
	});
}

function sentBody(): Record<string, unknown> {
	const [request] = bed.apiRequests();
	expect(request.method).toBe('POST');
	expect(request.path).toBe(TEXT2VIDEO);
	return JSON.parse(request.body) as Record<string, unknown>;
}

describe('Kling Video: Text to Video', () => {
	it('sends the defaults (kling-v1-6, std, 5 s, 16:9) with the prompt, and returns the task', async () => {
		const result = await run({ prompt: 'A fox runs through snow' });
		expect(result.error).toBeUndefined();
		expect(sentBody()).toEqual({
			model_name: 'kling-v1-6',
			prompt: 'A fox runs through snow',
			mode: 'std',
			duration: '5',
			aspect_ratio: '16:9',
			external_task_id: expect.stringMatching(/^n8n-1-[0-9a-f]{8}-0$/),
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ task_status: 'submitted' });
		expect(bed.sim.getTaskKind(String(result.items[0].json.task_id))).toBe('text2video');
	});

	it('sends every field the user set under Kling’s names', async () => {
		const result = await run({
			prompt: 'A fox',
			model: 'kling-v2-master',
			mode: 'pro',
			duration: '10',
			aspectRatio: '9:16',
			cameraControl: 'simple',
			cameraConfig: { zoom: -4.5 },
			additionalFields: {
				negativePrompt: 'blur',
				watermark: true,
				callbackUrl: 'https://n8n.example.com/webhook/abc/kling',
				externalTaskId: 'order-7',
			},
		});
		expect(result.error).toBeUndefined();
		expect(sentBody()).toEqual({
			model_name: 'kling-v2-master',
			prompt: 'A fox',
			negative_prompt: 'blur',
			mode: 'pro',
			duration: '10',
			aspect_ratio: '9:16',
			camera_control: {
				type: 'simple',
				config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: -4.5 },
			},
			watermark_info: { enabled: true },
			callback_url: 'https://n8n.example.com/webhook/abc/kling',
			external_task_id: 'order-7',
		});
	});

	it('sends a CFG Scale with a V1.x model, and a camera type without movement values', async () => {
		const result = await run({
			prompt: 'A fox',
			cameraControl: 'forward_up',
			// Hidden for any type but "simple", so never sent with another.
			cameraConfig: { roll: 3 },
			additionalFields: { cfgScale: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(sentBody()).toMatchObject({ cfg_scale: 0, camera_control: { type: 'forward_up' } });
		expect(sentBody().camera_control).toEqual({ type: 'forward_up' });
	});

	it('takes its values from expressions, one task per item', async () => {
		const result = await run({ prompt: '={{ $json.idea }}', duration: '={{ 10 }}' }, [
			{ idea: 'A cat' },
			{ idea: 'A dog' },
		]);
		expect(result.error).toBeUndefined();
		const bodies = bed.apiRequests().map((request) => JSON.parse(request.body));
		expect(bodies.map((body) => body.prompt).sort()).toEqual(['A cat', 'A dog']);
		expect(bodies.every((body) => body.duration === '10')).toBe(true);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	const refusals: Array<[string, INodeParameters, RegExp]> = [
		['an empty prompt', { prompt: '={{ "" }}' }, /^Prompt is required for text to video/],
		['a prompt of spaces', { prompt: '   ' }, /^Prompt is required for text to video/],
		[
			'a prompt over 2,500 characters',
			{ prompt: 'x'.repeat(2501) },
			/^Prompt is too long: 2501 characters, and Kling allows at most 2500$/,
		],
		[
			'a negative prompt over 2,500 characters',
			{ prompt: 'A fox', additionalFields: { negativePrompt: 'y'.repeat(2501) } },
			/^Negative Prompt is too long/,
		],
		[
			'a model that has no text to video',
			{ prompt: 'A fox', model: 'kling-v1-5' },
			/^Model must be one of "kling-v1-6", "kling-v1", .*"kling-v2-6" for text to video, but it is "kling-v1-5"$/,
		],
		[
			'an unknown model',
			{ prompt: 'A fox', model: '={{ "gpt-video" }}' },
			/^Model must be one of .* but it is "gpt-video"$/,
		],
		[
			'CFG Scale outside 0-1',
			{ prompt: 'A fox', additionalFields: { cfgScale: 1.5 } },
			/^CFG Scale must be a number from 0 to 1, but it is 1.5$/,
		],
		[
			'CFG Scale with a V2 model',
			{ prompt: 'A fox', model: 'kling-v2-5-turbo', additionalFields: { cfgScale: 0.5 } },
			/^CFG Scale cannot be used with kling-v2-5-turbo: kling-v2.x models take no CFG Scale$/,
		],
		[
			'an unknown mode',
			{ prompt: 'A fox', mode: '={{ "fast" }}' },
			/^Mode must be one of "std", "pro", but it is "fast"$/,
		],
		[
			'an unknown aspect ratio',
			{ prompt: 'A fox', aspectRatio: '={{ "4:3" }}' },
			/^Aspect Ratio must be one of "16:9", "9:16", "1:1", but it is "4:3"$/,
		],
		[
			'a duration other than 5 or 10',
			{ prompt: 'A fox', duration: '={{ "7" }}' },
			/^Duration must be one of "5", "10" \(seconds\), but it is "7"$/,
		],
		[
			'an unknown camera type',
			{ prompt: 'A fox', cameraControl: '={{ "spin" }}' },
			/^Camera Control type must be one of "simple", "down_back", .* but it is "spin"$/,
		],
		[
			'simple camera control without a movement',
			{ prompt: 'A fox', cameraControl: 'simple' },
			/^Camera Control "simple" needs exactly one non-zero movement .*, but it has 0$/,
		],
		[
			'simple camera control with two movements',
			{ prompt: 'A fox', cameraControl: 'simple', cameraConfig: { pan: 1, tilt: -2 } },
			/^Camera Control "simple" needs exactly one non-zero movement .*, but it has 2$/,
		],
		[
			'a camera movement outside -10..10',
			{ prompt: 'A fox', cameraControl: 'simple', cameraConfig: { zoom: 11 } },
			/^Camera Control Zoom must be a number from -10 to 10, but it is 11$/,
		],
		[
			'a callback URL that is not http(s)',
			{ prompt: 'A fox', additionalFields: { callbackUrl: 'ftp://example.com/x' } },
			/^Callback URL must be an http:\/\/ or https:\/\/ URL/,
		],
		[
			'an empty External Task ID',
			{ prompt: 'A fox', additionalFields: { externalTaskId: '  ' } },
			/^External Task ID is required, but it is only spaces$/,
		],
	];

	it.each(refusals)(
		'refuses %s by name, before anything is sent',
		async (_case, parameters, message) => {
			const result = await run(parameters);
			expect(result.error?.message).toMatch(message);
			expect(bed.apiRequests()).toHaveLength(0);
		},
	);

	it('says in plain words that Kling refused a discontinued model', async () => {
		const result = await run({ prompt: 'A fox', model: 'kling-v1' });
		expect(result.error?.message).toMatch(
			/^Kling refused the model "kling-v1": .*kling-v1 has been discontinued/,
		);
		expect(result.error?.description).toContain('kling-v1-6 (the default)');
		expect(bed.apiRequests()).toHaveLength(1);
	});

	it('puts a refusal on its item with Continue On Fail, and goes on with the others', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'textToVideo', prompt: '={{ $json.idea }}' },
			items: [{ idea: '' }, { idea: 'A fox' }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.error).toMatch(/^Prompt is required/);
		expect(result.items[1].json.task_status).toBe('submitted');
		expect(bed.apiRequests()).toHaveLength(1);
	});

	it('never shows a secret in its output or errors', async () => {
		const credentials = { ...bed.credentials };
		const ok = await run({ prompt: 'A fox' });
		const refused = await run({ prompt: 'A fox', model: 'kling-v1' });
		const text = JSON.stringify([ok.items, refused.error?.message, refused.error?.description]);
		expectNoSecrets(text, secretsSeen(bed.sim, credentials));
	});
});

describe('Kling Video: Get Task and Get Many', () => {
	it('reads a task of the chosen kind by task id and by external id', async () => {
		const created = await run({ prompt: 'A fox', additionalFields: { externalTaskId: 'mine-1' } });
		const taskId = String(created.items[0].json.task_id);
		bed.sim.clearRequests();
		const byId = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'get', taskKind: 'textToVideo', taskId, simplify: true },
		});
		expect(byId.items[0].json).toMatchObject({ taskId, status: 'submitted' });
		const byExternal = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				operation: 'get',
				taskKind: 'textToVideo',
				lookupBy: 'externalTaskId',
				externalTaskId: 'mine-1',
			},
		});
		expect(byExternal.items[0].json.task_id).toBe(taskId);
		expect(bed.apiRequests().map((request) => request.path)).toEqual([
			`${TEXT2VIDEO}/${taskId}`,
			`${TEXT2VIDEO}/mine-1`,
		]);
		// Kling keeps the kinds apart: the image to video endpoint does not know the task.
		const wrongKind = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'get', taskKind: 'imageToVideo', taskId },
		});
		expect(wrongKind.error?.message).toMatch(/^Kling error 1203/);
	});

	it('lists the tasks of the chosen kind only', async () => {
		await run({ prompt: 'A fox' }, [{}, {}, {}]);
		const texts = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'getAll', taskKind: 'textToVideo', returnAll: true },
		});
		expect(texts.items).toHaveLength(3);
		const images = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'getAll', taskKind: 'imageToVideo', limit: 10 },
		});
		expect(images.error).toBeUndefined();
		expect(images.items).toHaveLength(0);
	});

	it('refuses a task kind that is not one of its two, before anything is sent', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'getAll', taskKind: '={{ "videoExtend" }}' },
		});
		expect(result.error?.message).toBe(
			'Task Kind must be one of "textToVideo", "imageToVideo", but it is "videoExtend"',
		);
		expect(bed.apiRequests()).toHaveLength(0);
	});
});
