import type { IBinaryData, ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { readBinary } from '../harness/binary';
import { CURRENT_CREATE_TYPE } from '../harness/currentCreateNode';
import { KlingTestbed } from '../harness/kling';
import { WaitingExecution } from '../harness/waitingExecution';

/**
 * Waiting for tasks of Kling's current generation (`POST /text-to-video/<model>`, read at
 * `/tasks`), by polling (the simulator's clock and the poll schedule scaled by 1/1000) and by
 * Kling's callback to the waiting execution. The tasks are made by a test node that uses the
 * shared create and wait plumbing with the smallest request Kling takes (test/harness).
 */
const scaledPolling = { pollInterval: 0.003, maxPollInterval: 0.03 };
const SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';

type VideoItem = INodeExecutionData & { binary: { data: IBinaryData } };

function idsOf(query: Record<string, string>, name: string): string[] {
	return (query[name] ?? '').split(',').filter((id) => id !== '');
}

describe('Wait for Completion: Poll (current generation)', () => {
	const bed = new KlingTestbed({
		timing: { submittedMs: 40, processingMs: 200 },
		videoBytes: 2048,
	});
	beforeAll(async () => {
		await bed.start();
		bed.useApiKey();
	});
	afterAll(() => bed.stop());
	beforeEach(() => bed.sim.reset());

	it('waits for the video, downloads it, and Simplify says "succeeded"', async () => {
		const result = await bed.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: {
				waitForCompletion: 'poll',
				downloadVideo: true,
				simplify: true,
				options: scaledPolling,
			},
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items as VideoItem[];
		expect(item.json).toMatchObject({ status: 'succeeded', duration: 5.041, parentVideoId: null });
		expect(Object.keys(item.json).sort()).toEqual(
			[
				'taskId',
				'status',
				'statusMessage',
				'externalTaskId',
				'videoId',
				'url',
				'watermarkUrl',
				'duration',
				'parentVideoId',
				'parentDuration',
				'cost',
				'createdAt',
				'updatedAt',
			].sort(),
		);
		expect(item.binary.data).toMatchObject({ fileName: `${item.json.videoId}.mp4` });
		expect((await readBinary(item.binary.data)).length).toBe(2048);
		const reads = bed.apiRequests().filter((request) => request.method === 'GET');
		expect(reads.length).toBeGreaterThan(0);
		expect(reads.every((request) => request.path === '/tasks')).toBe(true);
	});

	it('without Simplify, passes Kling’s own task on as Kling sent it', async () => {
		const result = await bed.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: { waitForCompletion: 'poll', options: scaledPolling },
		});
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(json).toEqual(bed.sim.getCurrentTask(String(json.id)));
		expect(json.status).toBe('succeeded');
	});

	it('stops at a failed task with Kling’s reason', async () => {
		const result = await bed.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: { prompt: 'simulate-failure', waitForCompletion: 'poll', options: scaledPolling },
		});
		expect(result.error?.message).toMatch(
			/^Kling could not generate the video from the prompt: .*simulate-failure/,
		);
	});
});

describe('Wait for Completion: Poll, 20 tasks that finish together', () => {
	const bed = new KlingTestbed({ videoBytes: 64 });
	beforeAll(async () => {
		await bed.start();
		bed.useApiKey();
	});
	afterAll(() => bed.stop());

	async function until(probe: () => boolean): Promise<void> {
		const deadline = Date.now() + 5000;
		while (!probe()) {
			if (Date.now() > deadline) throw new Error('timed out');
			await new Promise((resolve) => setTimeout(resolve, 2));
		}
	}

	it('costs one task read per poll round, not 20', async () => {
		const running = bed.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: { waitForCompletion: 'poll', simplify: true, options: scaledPolling },
			items: Array.from({ length: 20 }, () => ({})),
		});
		const reads = () =>
			bed.apiRequests().filter((request) => request.method === 'GET' && request.path === '/tasks');
		// Every task is created and waited for: a round reads all 20.
		await until(() => reads().some((read) => idsOf(read.query, 'task_ids').length === 20));
		const taskIds = idsOf(reads().at(-1)?.query ?? {}, 'task_ids');
		const before = reads().length;
		for (const taskId of taskIds) await bed.sim.advance(taskId);
		for (const taskId of taskIds) await bed.sim.advance(taskId);
		const result = await running;
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.status)).toEqual(Array(20).fill('succeeded'));
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 20 }, (_, item) => ({ item })),
		);
		const rounds = reads().slice(before - 1);
		expect(rounds.length).toBeGreaterThan(0);
		for (const round of rounds) {
			expect(idsOf(round.query, 'task_ids').sort()).toEqual([...taskIds].sort());
		}
		// No read ever asked for more than 20 ids, nor for one task alone once all were waiting.
		expect(reads().every((read) => idsOf(read.query, 'task_ids').length <= 20)).toBe(true);
	});

	it('reads 45 waiting tasks 20 a request', async () => {
		bed.sim.reset();
		const running = bed.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: { waitForCompletion: 'poll', options: scaledPolling },
			items: Array.from({ length: 45 }, () => ({})),
		});
		const reads = () =>
			bed.apiRequests().filter((request) => request.method === 'GET' && request.path === '/tasks');
		const sizes = () => reads().map((read) => idsOf(read.query, 'task_ids').length);
		await until(() => sizes().filter((size) => size === 20).length >= 2 && sizes().includes(5));
		const last = reads().slice(-3);
		const taskIds = last.flatMap((read) => idsOf(read.query, 'task_ids'));
		expect(new Set(taskIds).size).toBe(45);
		for (const taskId of taskIds) await bed.sim.advance(taskId);
		for (const taskId of taskIds) await bed.sim.advance(taskId);
		const result = await running;
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(45);
		expect(sizes().every((size) => size <= 20)).toBe(true);
	});
});

describe('Wait for Completion: Callback (current generation)', () => {
	const bed = new KlingTestbed({ webhookSecrets: [SECRET], videoBytes: 1024 });
	let waiting: WaitingExecution;
	beforeAll(async () => {
		await bed.start();
		bed.useApiKey();
	});
	afterAll(() => bed.stop());
	beforeEach(async () => {
		bed.sim.reset();
		waiting = new WaitingExecution();
		await waiting.start();
	});
	afterEach(() => waiting.stop());

	async function waitThroughCallbacks(credentials: ICredentialDataDecryptedObject) {
		const first = await waiting.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: { waitForCompletion: 'callback', downloadVideo: true, simplify: true },
			items: [{}, {}, {}],
			credentials: { klingApi: { ...bed.credentials, ...credentials } },
		});
		expect(first.error).toBeUndefined();
		expect(first.waiting).toBe(true);
		const taskIds = first.items.map((item) => String(item.json.taskId));
		const create = bed.apiRequests().find((request) => request.method === 'POST');
		const options = JSON.parse(String(create?.body)).options;
		expect(new URL(options.callback_url).pathname).toBe('/webhook-waiting/1');
		expect(options.external_task_id).toMatch(/^n8n-1-[0-9a-f]{8}-0$/);
		for (const taskId of taskIds) {
			await bed.sim.advance(taskId);
			await bed.sim.advance(taskId);
		}
		const run = await waiting.finished;
		await waiting.settled();
		expect(run.data.resultData.error).toBeUndefined();
		const output = (run.data.resultData.runData.Kling.at(-1)?.data?.main[0] ?? []) as VideoItem[];
		expect(output.map((item) => item.json.taskId)).toEqual(taskIds);
		for (const item of output) {
			expect(item.json.status).toBe('succeeded');
			expect((await readBinary(item.binary.data)).length).toBe(1024);
		}
		return taskIds;
	}

	it('takes signed new-shape callbacks and reads the run’s tasks at /tasks by external id, 20 a request', async () => {
		await waitThroughCallbacks({ webhookSecret: SECRET });
		const delivered = bed.sim.callbacks.filter((callback) =>
			callback.url.includes('webhook-waiting'),
		);
		expect(delivered.length).toBeGreaterThan(0);
		for (const callback of delivered) {
			expect(JSON.parse(callback.body)).toHaveProperty('outputs');
			expect(callback.headers['webhook-signature']).toMatch(/^v1,/);
		}
		const reads = bed.apiRequests().filter((request) => request.method === 'GET');
		expect(reads.length).toBeGreaterThan(0);
		for (const read of reads) {
			expect(read.path).toBe('/tasks');
			expect(idsOf(read.query, 'external_task_ids').length).toBeGreaterThan(0);
		}
	});

	it('takes unsigned new-shape callbacks when the credential has no webhook secret', async () => {
		bed.sim.reset();
		const unsigned = new KlingTestbed({ videoBytes: 1024 });
		await unsigned.start();
		unsigned.useApiKey();
		try {
			const first = await waiting.run({
				nodeType: CURRENT_CREATE_TYPE,
				parameters: { waitForCompletion: 'callback' },
				credentials: { klingApi: unsigned.credentials },
			});
			expect(first.waiting).toBe(true);
			const taskId = String(first.items[0].json.id);
			await unsigned.sim.advance(taskId);
			await unsigned.sim.advance(taskId);
			const run = await waiting.finished;
			await waiting.settled();
			const output = run.data.resultData.runData.Kling.at(-1)?.data?.main[0] ?? [];
			expect(output[0].json).toMatchObject({ id: taskId, status: 'succeeded' });
			expect(output[0].json.waitTimedOut).toBeUndefined();
			const callbacks = unsigned.sim.callbacks.filter((c) => c.url.includes('webhook-waiting'));
			expect(callbacks.every((c) => c.headers['webhook-signature'] === undefined)).toBe(true);
		} finally {
			await unsigned.stop();
		}
	});

	it('refuses a forged "succeeded": Kling’s own copy decides', async () => {
		const first = await waiting.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: { waitForCompletion: 'callback' },
			credentials: { klingApi: bed.credentials },
		});
		const task = bed.sim.getCurrentTask(String(first.items[0].json.id));
		const create = bed.apiRequests().find((request) => request.method === 'POST');
		const url = JSON.parse(String(create?.body)).options.callback_url as string;
		const forged = JSON.stringify({ ...task, status: 'succeeded' });
		const answer = await bed.sim.deliverCallback(url, forged);
		await waiting.settled();
		expect(answer.status).toBe(200);
		expect(waiting.calls.some((call) => call.handedOver)).toBe(false);
	});
});
