import type { IBinaryData, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { readBinary } from '../harness/binary';
import { KlingTestbed } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { WaitingExecution } from '../harness/waitingExecution';
import { base64, makePng } from '../simulator/testImages';

/**
 * Each kind of task Kling Video makes, waited for by polling (the simulator's clock and the
 * poll schedule scaled by 1/1000) and by Kling's callback to the waiting execution.
 */
const IMAGE = base64(makePng(640, 360));
const KINDS: Array<[string, INodeParameters, string]> = [
	['Text to Video', { operation: 'textToVideo', prompt: 'A fox' }, 'text2video'],
	[
		'Image to Video',
		{ operation: 'imageToVideo', imageSource: 'base64', image: IMAGE, prompt: 'A fox' },
		'image2video',
	],
];
const scaledPolling = { pollInterval: 0.003, maxPollInterval: 0.03 };

type VideoItem = INodeExecutionData & { binary: { data: IBinaryData } };

describe('Wait for Completion: Poll', () => {
	const bed = new KlingTestbed({
		timing: { submittedMs: 40, processingMs: 200 },
		videoBytes: 2048,
	});
	beforeAll(() => bed.start());
	afterAll(() => bed.stop());
	beforeEach(() => bed.sim.reset());

	it.each(KINDS)('%s: waits for the video and downloads it', async (_kind, parameters, path) => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				...parameters,
				waitForCompletion: 'poll',
				downloadVideo: true,
				simplify: true,
				options: scaledPolling,
			},
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items as VideoItem[];
		expect(item.json).toMatchObject({ status: 'succeeded', duration: 5, parentVideoId: null });
		expect(item.binary.data).toMatchObject({ fileName: `${item.json.videoId}.mp4` });
		expect((await readBinary(item.binary.data)).length).toBe(2048);
		const reads = bed.apiRequests().filter((request) => request.method === 'GET');
		expect(reads.length).toBeGreaterThan(0);
		expect(reads.every((request) => request.path.startsWith(`/v1/videos/${path}/`))).toBe(true);
	});

	it.each(KINDS)('%s: stops at a failed task with Kling’s reason', async (kind, parameters) => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				...parameters,
				prompt: 'simulate-failure',
				waitForCompletion: 'poll',
				options: scaledPolling,
			},
		});
		const what = kind === 'Text to Video' ? 'the prompt' : 'the image';
		expect(result.error?.message).toMatch(
			new RegExp(`^Kling could not generate the video from ${what}: .*simulate-failure`),
		);
	});
});

describe('Wait for Completion: Callback', () => {
	const SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
	const bed = new KlingTestbed({ webhookSecrets: [SECRET], videoBytes: 1024 });
	let waiting: WaitingExecution;
	beforeAll(() => bed.start());
	afterAll(() => bed.stop());
	beforeEach(async () => {
		bed.sim.reset();
		waiting = new WaitingExecution();
		await waiting.start();
	});
	afterEach(() => waiting.stop());

	it.each(KINDS)(
		'%s: waits for Kling’s callbacks, reads the tasks from their endpoint, and goes on with the videos',
		async (_kind, parameters, path) => {
			const first = await waiting.run({
				nodeType: KLING_VIDEO_TYPE,
				parameters: { ...parameters, waitForCompletion: 'callback', downloadVideo: true },
				items: [{}, {}],
				credentials: { klingApi: { ...bed.credentials, webhookSecret: SECRET } },
			});
			expect(first.error).toBeUndefined();
			expect(first.waiting).toBe(true);
			const taskIds = first.items.map((item) => String(item.json.task_id));
			const create = bed.apiRequests().find((request) => request.method === 'POST');
			expect(create?.path).toBe(`/v1/videos/${path}`);
			expect(new URL(JSON.parse(String(create?.body)).callback_url).pathname).toBe(
				'/webhook-waiting/1',
			);
			for (const taskId of taskIds) {
				await bed.sim.advance(taskId);
				await bed.sim.advance(taskId);
			}
			const run = await waiting.finished;
			await waiting.settled();
			expect(run.data.resultData.error).toBeUndefined();
			const output = (run.data.resultData.runData.Kling.at(-1)?.data?.main[0] ?? []) as VideoItem[];
			expect(output.map((item) => item.json.task_id)).toEqual(taskIds);
			for (const item of output) {
				expect(item.json.task_status).toBe('succeed');
				expect((await readBinary(item.binary.data)).length).toBe(1024);
			}
			const reads = bed.apiRequests().filter((request) => request.method === 'GET');
			expect(reads.every((request) => request.path.startsWith(`/v1/videos/${path}/`))).toBe(true);
		},
	);

	it('sends the resume URL even when a Callback URL was saved before choosing Callback (the editor hides it)', async () => {
		const result = await waiting.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				...KINDS[0][1],
				waitForCompletion: 'callback',
				additionalFields: { callbackUrl: 'https://example.com/hook' },
			},
			credentials: { klingApi: bed.credentials },
		});
		expect(result.error).toBeUndefined();
		expect(result.waiting).toBe(true);
		const create = bed.apiRequests().find((request) => request.method === 'POST');
		expect(new URL(JSON.parse(String(create?.body)).callback_url).pathname).toBe(
			'/webhook-waiting/1',
		);
	});
});

describe('Kling’s newer spelling of the final status, "succeeded"', () => {
	const SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
	const bed = new KlingTestbed({
		timing: { submittedMs: 20, processingMs: 60 },
		succeedStatus: 'succeeded',
		webhookSecrets: [SECRET],
		videoBytes: 300,
	});
	beforeAll(() => bed.start());
	afterAll(() => bed.stop());
	beforeEach(() => bed.sim.reset());

	it('ends polling as a success, downloads the video, and Simplify says "succeed"', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				...KINDS[0][1],
				waitForCompletion: 'poll',
				downloadVideo: true,
				simplify: true,
				options: scaledPolling,
			},
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items as VideoItem[];
		expect(item.json.status).toBe('succeeded');
		expect((await readBinary(item.binary.data)).length).toBe(300);
	});

	it('ends a callback wait, passing Kling’s task on as Kling spelt it', async () => {
		const manual = new KlingTestbed({ succeedStatus: 'succeeded', webhookSecrets: [SECRET] });
		const waiting = new WaitingExecution();
		await manual.start();
		await waiting.start();
		try {
			const first = await waiting.run({
				nodeType: KLING_VIDEO_TYPE,
				parameters: { ...KINDS[0][1], waitForCompletion: 'callback' },
				credentials: { klingApi: { ...manual.credentials, webhookSecret: SECRET } },
			});
			expect(first.waiting).toBe(true);
			const taskId = String(first.items[0].json.task_id);
			await manual.sim.advance(taskId);
			await manual.sim.advance(taskId);
			const run = await waiting.finished;
			await waiting.settled();
			const output = run.data.resultData.runData.Kling.at(-1)?.data?.main[0] ?? [];
			expect(output[0].json.task_status).toBe('succeeded');
			expect(output[0].json.waitTimedOut).toBeUndefined();
		} finally {
			await waiting.stop();
			await manual.stop();
		}
	});
});
