import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { readBinary } from '../harness/binary';
import { KlingTestbed } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';

/**
 * From a prompt to a long video: Kling Video's output goes straight into Kling Video Extend, and
 * Extend to Duration can itself start from a prompt. The simulator's clock and the poll schedule
 * are scaled by 1/1000.
 */
const bed = new KlingTestbed({ timing: { submittedMs: 20, processingMs: 60 }, videoBytes: 512 });
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

const options = { pollInterval: 0.003, maxPollInterval: 0.03 };

async function finishedVideo(simplify: boolean, model = 'kling-v1-6') {
	const result = await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: {
			operation: 'textToVideo',
			prompt: 'A lighthouse at dawn',
			model,
			waitForCompletion: 'poll',
			simplify,
			options,
		},
	});
	expect(result.error).toBeUndefined();
	return result.items;
}

function extendBodies() {
	return bed
		.apiRequests()
		.filter((request) => request.method === 'POST' && request.path === '/v1/videos/video-extend')
		.map((request) => JSON.parse(request.body) as Record<string, unknown>);
}

describe('Kling Video Extend takes Kling Video’s output as it is', () => {
	it.each([
		['the full task', false],
		['the simplified task', true],
	])('Video ID defaults to the video of %s in the input item', async (_case, simplify) => {
		const [video] = await finishedVideo(simplify);
		const videoId = simplify
			? video.json.videoId
			: (video.json.task_result as { videos: Array<{ id: string }> }).videos[0].id;
		expect(typeof videoId).toBe('string');
		const result = await bed.run({
			parameters: { operation: 'create', prompt: 'The sun rises' },
			inputItems: [video],
		});
		expect(result.error).toBeUndefined();
		expect(extendBodies()[0].video_id).toBe(videoId);
	});

	it('refuses by name an input item without a Kling video, before sending', async () => {
		const result = await bed.run({
			parameters: { operation: 'create' },
			items: [{ somethingElse: 1 }],
		});
		expect(result.error?.message).toBe('Video ID is required, but it is nothing');
		expect(result.error?.description).toContain('task_result.videos[0].id');
		expect(bed.apiRequests()).toHaveLength(0);
	});

	it('passes on Kling’s refusal to extend a video of a V2 model', async () => {
		const [video] = await finishedVideo(true, 'kling-v2-master');
		const result = await bed.run({
			parameters: { operation: 'create' },
			inputItems: [video],
		});
		expect(result.error?.message).toMatch(/^Kling error 1201/);
	});
});

describe('Extend to Duration, starting from a prompt', () => {
	it('makes the first video by text to video, then extends it to the target, with the video', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'extendUntil',
				startFrom: 'prompt',
				firstVideoPrompt: 'A lighthouse at dawn',
				prompt: 'The camera pulls back',
				targetDuration: 20,
				downloadVideo: true,
				options,
			},
		});
		expect(result.error).toBeUndefined();
		const create = bed.apiRequests().find((request) => request.method === 'POST');
		expect(create?.path).toBe('/v1/videos/text2video');
		expect(JSON.parse(String(create?.body))).toEqual({
			model_name: 'kling-v1-6',
			prompt: 'A lighthouse at dawn',
			mode: 'std',
			duration: '5',
			aspect_ratio: '16:9',
			external_task_id: expect.stringMatching(/^n8n-1-[0-9a-f]{8}-0-video$/),
		});
		const steps = result.items[0].json.steps as Array<Record<string, unknown>>;
		expect(steps.map((step) => [step.step, step.duration])).toEqual([
			[0, 5],
			[1, 9.5],
			[2, 14],
			[3, 18.5],
			[4, 23],
		]);
		const bodies = extendBodies();
		expect(bodies.map((body) => body.video_id)).toEqual(steps.slice(0, 4).map((s) => s.videoId));
		expect(bodies.every((body) => body.prompt === 'The camera pulls back')).toBe(true);
		const item = result.items[0] as INodeExecutionData & { binary: { data: IBinaryData } };
		expect(item.json.task_status).toBe('succeed');
		expect((await readBinary(item.binary.data)).length).toBe(512);
	});

	it('says when the first video failed', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'extendUntil',
				startFrom: 'prompt',
				firstVideoPrompt: 'simulate-failure',
				options,
			},
		});
		expect(result.error?.message).toMatch(
			/^The first video of Extend to Duration failed: .*simulate-failure/,
		);
		expect(extendBodies()).toHaveLength(0);
	});

	it('refuses a first video that cannot be extended, or has no prompt, before sending', async () => {
		const v2 = await bed.run({
			parameters: {
				operation: 'extendUntil',
				startFrom: 'prompt',
				firstVideoPrompt: 'A fox',
				firstVideoModel: '={{ "kling-v2-master" }}',
			},
		});
		expect(v2.error?.message).toBe(
			'First Video Model must be one of "kling-v1", "kling-v1-6", but it is "kling-v2-master"',
		);
		const empty = await bed.run({
			parameters: { operation: 'extendUntil', startFrom: 'prompt', firstVideoPrompt: '={{ "" }}' },
		});
		expect(empty.error?.message).toMatch(/^First Video Prompt is required for text to video/);
		const duration = await bed.run({
			parameters: {
				operation: 'extendUntil',
				startFrom: 'prompt',
				firstVideoPrompt: 'A fox',
				firstVideoDuration: '={{ "3" }}',
			},
		});
		expect(duration.error?.message).toMatch(/^First Video Duration must be one of "5", "10"/);
		expect(bed.apiRequests()).toHaveLength(0);
	});

	it('names the first video’s model in plain words when Kling refuses it', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'extendUntil',
				startFrom: 'prompt',
				firstVideoPrompt: 'A fox',
				firstVideoModel: 'kling-v1',
				options,
			},
		});
		expect(result.error?.message).toMatch(
			/^The first video of Extend to Duration failed: Kling refused the model "kling-v1"/,
		);
	});
});
