import type {
	IBinaryData,
	IHookFunctions,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import { readBinary } from '../harness/binary';
import { KlingTestbed } from '../harness/kling';
import { WaitingExecution } from '../harness/waitingExecution';

/**
 * Wait for Completion = Callback through n8n-core: the node creates the tasks with the resume
 * URL of its execution and puts the execution to wait; the harness plays n8n's part of waiting
 * (its resume URL over real HTTP, and the wait tracker), and the simulator calls back.
 */
const SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
const bed = new KlingTestbed({ webhookSecrets: [SECRET], videoBytes: 4096 });
let waiting: WaitingExecution;

beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(async () => {
	bed.sim.reset();
	waiting = new WaitingExecution();
	await waiting.start();
});
afterEach(() => waiting.stop());

function callbackParameters(extra: INodeParameters = {}): INodeParameters {
	return { operation: 'create', videoId: 'sim-video-5s', waitForCompletion: 'callback', ...extra };
}

async function runToWait(parameters: INodeParameters, items?: Array<Record<string, string>>) {
	const first = await waiting.run({
		parameters,
		items,
		credentials: { klingApi: { ...bed.credentials, webhookSecret: SECRET } },
	});
	expect(first.error).toBeUndefined();
	expect(first.waiting).toBe(true);
	return first.items.map((item) => String(item.json.task_id ?? item.json.taskId));
}

/** Moves each task through processing to its end; each step's callback is delivered. */
async function finish(taskIds: string[]): Promise<void> {
	for (const taskId of taskIds) {
		await bed.sim.advance(taskId);
		await bed.sim.advance(taskId);
	}
}

/** The callback URL the node sent with its (first) create. */
function sentCallbackUrl(): string {
	const create = bed.apiRequests().find((request) => request.method === 'POST');
	return String((JSON.parse(String(create?.body)) as { callback_url?: string }).callback_url);
}

function getRequests(): number {
	return bed.apiRequests().filter((request) => request.method === 'GET').length;
}

describe('Wait for Completion: Callback', () => {
	it('sends the resume URL as callback URL and waits; the callback that ends the task resumes it', async () => {
		const [taskId] = await runToWait(callbackParameters());
		const callbackUrl = new URL(sentCallbackUrl());
		expect(callbackUrl.pathname).toBe('/webhook-waiting/1');
		expect(callbackUrl.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
		expect(waiting.waitTill?.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);

		await bed.sim.advance(taskId);
		expect(getRequests()).toBe(0);
		await bed.sim.advance(taskId);
		const run = await waiting.finished;
		await waiting.settled();
		expect(run.data.resultData.error).toBeUndefined();
		const output = run.data.resultData.runData.Kling.at(-1)?.data?.main[0] ?? [];
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ task_id: taskId, task_status: 'succeed' });
		expect(output[0].json.waitTimedOut).toBeUndefined();
		// Kling's copy was read once, for the callback that said the task had finished.
		expect(getRequests()).toBe(1);
		// The creation's callback may come while the node is still running (n8n answers 409).
		const statuses = bed.sim.callbacks.map((delivery) => delivery.status);
		expect([200, 409]).toContain(statuses[0]);
		expect(statuses.slice(1)).toEqual([200, 200]);
	});

	it('waits for every item’s task, then gives one item each, in order, with the video', async () => {
		const taskIds = await runToWait(callbackParameters({ downloadVideo: true, simplify: true }), [
			{},
			{},
			{},
		]);
		expect(new Set(taskIds).size).toBe(3);
		await finish([taskIds[2], taskIds[0]]);
		expect(waiting.calls.filter((call) => call.resumed)).toHaveLength(0);
		await finish([taskIds[1]]);
		const run = await waiting.finished;
		const output = (run.data.resultData.runData.Kling.at(-1)?.data?.main[0] ?? []) as Array<
			INodeExecutionData & { binary: { data: IBinaryData } }
		>;
		expect(output.map((item) => item.json.taskId)).toEqual(taskIds);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const item of output) {
			expect(item.json.status).toBe('succeeded');
			expect(item.binary.data).toMatchObject({
				mimeType: 'video/mp4',
				fileName: `${item.json.videoId}.mp4`,
			});
			expect((await readBinary(item.binary.data)).length).toBe(4096);
		}
	});

	it('reads about two tasks per task from Kling when they finish in the order they were made', async () => {
		const taskIds = await runToWait(
			callbackParameters(),
			Array.from({ length: 8 }, () => ({})),
		);
		await finish(taskIds);
		const run = await waiting.finished;
		await waiting.settled();
		expect(run.data.resultData.runData.Kling.at(-1)?.data?.main[0]).toHaveLength(8);
		// Each callback reads its task and the next one (unfinished); the last reads them all.
		expect(getRequests()).toBeLessThanOrEqual(2 * 7 + 8);
	});

	it('hands the run over once when the callbacks of tasks that all finished arrive together', async () => {
		const taskIds = await runToWait(
			callbackParameters(),
			Array.from({ length: 6 }, () => ({})),
		);
		waiting.unavailable = true;
		await finish(taskIds);
		waiting.unavailable = false;
		const url = sentCallbackUrl();
		const answers = await Promise.all(
			taskIds.map(
				async (taskId) =>
					await bed.sim.deliverCallback(url, JSON.stringify(bed.sim.getTask(taskId)), {
						secrets: [SECRET],
					}),
			),
		);
		expect(answers.map((answer) => answer.status)).toEqual(taskIds.map(() => 200));
		const run = await waiting.finished;
		await waiting.settled();
		expect(run.data.resultData.runData.Kling.at(-1)?.data?.main[0]).toHaveLength(6);
		expect(waiting.calls.filter((call) => call.handedOver)).toHaveLength(1);
	});

	it('passes a failed task on as an item naming Kling’s reason', async () => {
		const [taskId] = await runToWait(callbackParameters({ prompt: 'simulate-failure' }));
		await finish([taskId]);
		const run = await waiting.finished;
		expect(run.data.resultData.runData.Kling.at(-1)?.data?.main[0]?.[0].json).toMatchObject({
			task_status: 'failed',
			task_status_msg: expect.stringContaining('simulate-failure'),
		});
	});

	it('refuses a forged callback: a wrong signature, and a good signature on a task Kling has not finished', async () => {
		const [taskId] = await runToWait(callbackParameters());
		const url = sentCallbackUrl();
		const task = bed.sim.getTask(taskId);
		const forged = JSON.stringify({ ...task, task_status: 'succeed' });

		const unsigned = await bed.sim.deliverCallback(url, forged, { secrets: [] });
		expect(unsigned.status).toBe(401);
		const wrongKey = await bed.sim.deliverCallback(url, forged, {
			secrets: ['whsec_b3RoZXJzZWNyZXRvdGhlcnNlY3JldG90aGVyc2VjcmV0'],
		});
		expect(wrongKey.status).toBe(401);
		// Signed as Kling would, but Kling's own copy says the task is still submitted.
		const signed = await bed.sim.deliverCallback(url, forged, { secrets: [SECRET] });
		expect(signed.status).toBe(200);
		expect(waiting.calls.some((call) => call.resumed)).toBe(false);
		expect(waiting.waitTill).toBeDefined();

		await finish([taskId]);
		const run = await waiting.finished;
		expect(run.data.resultData.runData.Kling.at(-1)?.data?.main[0]?.[0].json.task_status).toBe(
			'succeed',
		);
	});

	it('refuses a callback about a task this execution does not wait for', async () => {
		await runToWait(callbackParameters());
		const url = sentCallbackUrl();
		const stranger = JSON.stringify({
			task_id: '1',
			task_status: 'succeed',
			task_info: { external_task_id: 'n8n-1-00000000-0' },
		});
		const answer = await bed.sim.deliverCallback(url, stranger, { secrets: [SECRET] });
		expect(answer.status).toBe(404);
		expect(waiting.waitTill).toBeDefined();
	});

	it('refuses malformed callbacks and a resume URL that was tampered with, and keeps waiting', async () => {
		const [taskId] = await runToWait(callbackParameters());
		const url = sentCallbackUrl();
		const body = JSON.stringify(bed.sim.getTask(taskId));
		const tampered = new URL(url);
		tampered.searchParams.set('kling_items', '0');
		const cases: Array<[string, string, number]> = [
			// n8n's own body parser refuses a body labelled JSON that is not.
			[url, 'not json', 422],
			[url, JSON.stringify({ task_status: 'succeed' }), 400],
			[url, JSON.stringify([body]), 400],
			[url, `{"task_id":"${'x'.repeat(1024 * 1024)}"}`, 413],
			[tampered.toString(), body, 400],
		];
		for (const [target, raw, status] of cases) {
			const answer = await bed.sim.deliverCallback(target, raw, { secrets: [SECRET] });
			expect({ raw: raw.slice(0, 40), status: answer.status }).toEqual({
				raw: raw.slice(0, 40),
				status,
			});
		}
		await waiting.settled();
		expect(waiting.calls.some((call) => call.handedOver)).toBe(false);
		expect(waiting.waitTill).toBeDefined();
	});

	it('goes on at Max Wait with the tasks as submitted, marked waitTimedOut', async () => {
		const [taskId] = await runToWait(callbackParameters({ maxWait: 0.5 }));
		const waitTill = waiting.waitTill?.getTime() ?? 0;
		expect(waitTill - Date.now()).toBeGreaterThan(25_000);
		expect(waitTill - Date.now()).toBeLessThanOrEqual(30_000);
		const result = await waiting.timeOut();
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ task_id: taskId, waitTimedOut: true });
		// A callback after that finds the execution over.
		await finish([taskId]);
		expect(bed.sim.callbacks.at(-1)?.status).toBe(409);
	});

	it('sends the resume URL and ids of its own even when a Callback URL and External Task ID were saved before choosing Callback', async () => {
		// The editor hides both with Callback, and n8n passes no value of a hidden field on.
		await runToWait(
			callbackParameters({
				additionalFields: { callbackUrl: 'https://example.com/hook', externalTaskId: 'mine' },
			}),
		);
		expect(new URL(sentCallbackUrl()).pathname).toBe('/webhook-waiting/1');
		const create = bed.apiRequests().find((request) => request.method === 'POST');
		expect(JSON.parse(String(create?.body)).external_task_id).toMatch(/^n8n-1-[0-9a-f]{8}-0$/);
	});
});

describe('the resume webhook’s lifecycle', () => {
	it('registers nothing at Kling: every step succeeds without a request', async () => {
		const { KlingVideoExtend } = await import('../../nodes/KlingVideoExtend/KlingVideoExtend.node');
		const lifecycle = new KlingVideoExtend().webhookMethods.default;
		const hooks = {} as IHookFunctions;
		expect(await lifecycle.checkExists.call(hooks)).toBe(true);
		expect(await lifecycle.create.call(hooks)).toBe(true);
		expect(await lifecycle.delete.call(hooks)).toBe(true);
		expect(bed.sim.requests).toHaveLength(0);
	});
});
