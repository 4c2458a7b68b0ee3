import axios from 'axios';
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { KlingTestbed } from '../harness/kling';
import { readBinary } from '../harness/binary';

/**
 * The simulator's clock and the node's poll schedule are both scaled by 1/1000 here: a task of
 * 240 ms stands for Kling's 4 minutes, and polls start at 3 ms (3 s) and cap at 30 ms (30 s).
 */
const SCALE = 1000;
const bed = new KlingTestbed({ timing: { submittedMs: 40, processingMs: 200 } });
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

const scaledPolling = { pollInterval: 3 / SCALE, maxPollInterval: 30 / SCALE };

function getCount(): number {
	return bed.apiRequests().filter((request) => request.method === 'GET').length;
}

async function simulatorBytes(url: string): Promise<Buffer> {
	const response = await axios.get(url, { responseType: 'arraybuffer' });
	return Buffer.from(response.data);
}

describe('Wait for Completion: Poll', () => {
	it('reaches succeed within 12 GETs for a "4-minute" task', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'create',
				videoId: 'sim-video-5s',
				waitForCompletion: 'poll',
				options: scaledPolling,
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ task_status: 'succeed' });
		expect(getCount()).toBeGreaterThanOrEqual(1);
		expect(getCount()).toBeLessThanOrEqual(12);
	});

	it('stops at failed with an error naming Kling’s reason', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'create',
				videoId: 'sim-video-5s',
				prompt: 'simulate-failure',
				waitForCompletion: 'poll',
				options: scaledPolling,
			},
		});
		expect(result.error?.message).toBe(
			'Kling could not extend the video: Failure simulated: the prompt asked for it (simulate-failure)',
		);
		expect(result.error?.description).toContain('Output Failed Tasks');
	});

	it('outputs the failed task when asked to', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'create',
				videoId: 'sim-video-5s',
				prompt: 'simulate-failure',
				waitForCompletion: 'poll',
				simplify: true,
				options: { ...scaledPolling, outputFailedTasks: true },
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			status: 'failed',
			statusMessage: expect.stringContaining('simulate-failure'),
		});
	});

	it('gives up at Max Wait with a clear error, and the task is not lost', async () => {
		const started = Date.now();
		const result = await bed.run({
			parameters: {
				operation: 'create',
				videoId: 'sim-video-5s',
				prompt: 'simulate-stuck',
				waitForCompletion: 'poll',
				maxWait: 0.01,
				options: scaledPolling,
			},
		});
		expect(Date.now() - started).toBeLessThan(3000);
		expect(result.error?.message).toMatch(
			/^Task \d+ is still "processing" after the Max Wait of 0.01 minutes$/,
		);
		expect(result.error?.description).toContain('Get Task');
	});

	it('downloads the finished video as binary "data": the simulator’s bytes, name and type', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'create',
				videoId: 'sim-video-5s',
				waitForCompletion: 'poll',
				downloadVideo: true,
				simplify: true,
				options: scaledPolling,
			},
		});
		expect(result.error).toBeUndefined();
		const item = result.items[0] as INodeExecutionData & { binary: { data: IBinaryData } };
		expect(item.binary.data.mimeType).toBe('video/mp4');
		expect(item.binary.data.fileName).toBe(`${item.json.videoId}.mp4`);
		const bytes = await readBinary(item.binary.data);
		expect(bytes.equals(await simulatorBytes(String(item.json.url)))).toBe(true);
	});

	it('downloads the watermarked file when asked', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'create',
				videoId: 'sim-video-5s',
				waitForCompletion: 'poll',
				downloadVideo: true,
				additionalFields: { watermark: true },
				simplify: true,
				options: { ...scaledPolling, watermarked: true },
			},
		});
		expect(result.error).toBeUndefined();
		const item = result.items[0] as INodeExecutionData & { binary: { data: IBinaryData } };
		expect(item.binary.data.fileName).toBe(`${item.json.videoId}-watermarked.mp4`);
		const bytes = await readBinary(item.binary.data);
		expect(bytes.equals(await simulatorBytes(String(item.json.watermarkUrl)))).toBe(true);
		expect(bytes.equals(await simulatorBytes(String(item.json.url)))).toBe(false);
	});
});

describe('Get Task with Download Video', () => {
	it('adds the result video of a finished task', async () => {
		const created = await bed.run({
			parameters: {
				operation: 'create',
				videoId: 'sim-video-10s',
				waitForCompletion: 'poll',
				options: scaledPolling,
			},
		});
		const taskId = String(created.items[0].json.task_id);
		const result = await bed.run({ parameters: { operation: 'get', taskId, downloadVideo: true } });
		const item = result.items[0] as INodeExecutionData & { binary: { data: IBinaryData } };
		expect(item.binary.data.mimeType).toBe('video/mp4');
		const url = (item.json as { task_result: { videos: Array<{ url: string }> } }).task_result
			.videos[0].url;
		expect((await readBinary(item.binary.data)).equals(await simulatorBytes(url))).toBe(true);
	});
});

describe('Extend to Duration', () => {
	it('extends a 5 s video to 20 s in four steps, passing each result id on', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'extendUntil',
				videoId: 'sim-video-5s',
				targetDuration: 20,
				simplify: true,
				options: scaledPolling,
			},
		});
		expect(result.error).toBeUndefined();
		const steps = result.items[0].json.steps as Array<{ videoId: string; duration: number }>;
		expect(steps.map((step) => step.duration)).toEqual([9.5, 14, 18.5, 23]);
		const creates = bed
			.apiRequests()
			.filter((request) => request.method === 'POST')
			.map((request) => JSON.parse(request.body).video_id);
		expect(creates).toEqual(['sim-video-5s', ...steps.slice(0, 3).map((step) => step.videoId)]);
		expect(result.items[0].json).toMatchObject({ status: 'succeeded', duration: 23 });
		expect(result.items[0].json.videoId).toBe(steps[3].videoId);
	});

	it('stops at a failed step 2, saying which step and why, and keeps what finished', async () => {
		const running = bed.run({
			parameters: {
				operation: 'extendUntil',
				videoId: 'sim-video-5s',
				targetDuration: 20,
				options: scaledPolling,
			},
		});
		// Once step 1 is sent, Kling refuses the next create (step 2) for its content policy.
		while (bed.apiRequests().filter((request) => request.method === 'POST').length < 1) {
			await new Promise((resolve) => setImmediate(resolve));
		}
		bed.sim.injectFaults({
			kind: 'kling-error',
			code: 1301,
			match: 'POST /v1/videos/video-extend',
			count: 1,
		});
		const result = await running;
		expect(result.error?.message).toMatch(
			/^Step 2 of Extend to Duration failed: Kling error 1301, the content security policy was triggered/,
		);
		const step1 = bed.sim.getTask(
			String(
				bed
					.apiRequests()
					.filter((request) => request.method === 'GET')
					.at(0)
					?.path.split('/')
					.at(-1),
			),
		);
		const step1Video = step1?.task_result.videos[0];
		expect(result.error?.description).toBe(
			`Finished: step 1 made video ${step1Video?.id} (9.5 s). The last finished video can be extended again.`,
		);
	});

	it('stops before a step that would pass 3 minutes', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'extendUntil',
				videoId: 'sim-video-175s',
				targetDuration: 180,
				options: scaledPolling,
			},
		});
		expect(result.error?.message).toBe(
			"The video is 179.5 s after step 1: one more step would pass Kling's 3 minutes, so 180 s cannot be reached",
		);
		expect(bed.apiRequests().filter((request) => request.method === 'POST')).toHaveLength(1);
	});

	it('refuses a target past 180 s before any request', async () => {
		const result = await bed.run({
			parameters: { operation: 'extendUntil', videoId: 'sim-video-5s', targetDuration: 181 },
		});
		expect(result.error?.message).toBe(
			'Target Duration must be a number from 4 to 180, but it is 181',
		);
		expect(bed.apiRequests()).toHaveLength(0);
	});
});
