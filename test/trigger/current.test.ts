import type { IBinaryData } from 'n8n-workflow';

import { DEFAULT_ACCOUNT } from '../../simulator';
import { readBinary } from '../harness/binary';
import { SECRET, TriggerBed, expectStarted } from './setup';

/**
 * The Kling Trigger with callbacks of Kling's current generation (`id`, `status`, `outputs`,
 * `billing`; Kling's docs, "Callback Protocol"), signed and unsigned, and its duplicate memory:
 * a signed delivery is a repeat when its `webhook-id` is, an unsigned one when its task,
 * status and update time are.
 */
const API_KEY = { authentication: 'apiKey', apiKey: DEFAULT_ACCOUNT.apiKey };
const bed = new TriggerBed({ simulator: { webhookSecrets: [SECRET], videoBytes: 128 } });
beforeAll(() => bed.start());
afterAll(() => bed.stop());

function current(taskId: string) {
	const task = bed.sim.getCurrentTask(taskId);
	if (!task) throw new Error(`no task ${taskId}`);
	return task;
}

describe('Kling Trigger: callbacks of the current generation', () => {
	it('starts a run for a signed "succeeded" callback, with Kling’s task as posted', async () => {
		await bed.reset({}, { ...API_KEY, webhookSecret: SECRET });
		const taskId = await bed.createCurrentTask();
		await bed.finish(taskId);
		expect(bed.harness.calls.map((call) => call.status)).toEqual([200, 200, 200]);
		expectStarted(bed, 1);
		const posted = bed.sim.callbacks.filter((callback) => callback.body.includes(taskId)).at(-1);
		expect(posted?.headers['webhook-signature']).toMatch(/^v1,/);
		expect(bed.harness.runs[0][0].json).toEqual({
			...JSON.parse(String(posted?.body)),
			taskKind: 'video',
		});
		expect(bed.harness.runs[0][0].json).toMatchObject({
			status: 'succeeded',
			billing: expect.any(Array),
		});
	});

	it('simplifies it to the same flat item as the action nodes, and downloads the video', async () => {
		await bed.reset(
			{ options: { simplify: true, downloadVideo: true } },
			{ ...API_KEY, webhookSecret: SECRET },
		);
		const taskId = await bed.createCurrentTask();
		await bed.finish(taskId);
		expectStarted(bed, 1);
		const [item] = bed.harness.runs[0];
		const task = current(taskId);
		expect(item.json).toEqual({
			taskId,
			status: 'succeeded',
			statusMessage: '',
			externalTaskId: '',
			videoId: task.outputs[0].id,
			url: task.outputs[0].url,
			watermarkUrl: null,
			duration: Number(task.outputs[0].duration),
			parentVideoId: null,
			parentDuration: null,
			cost: { amount: Number(task.billing[0].amount), unit: 'units' },
			createdAt: new Date(task.create_time).toISOString(),
			updatedAt: new Date(task.update_time).toISOString(),
			taskKind: 'video',
		});
		expect((await readBinary(item.binary?.data as IBinaryData)).length).toBe(128);
	});

	it('takes unsigned callbacks when the credential has no webhook secret', async () => {
		await bed.reset({ events: ['submitted', 'processing', 'succeeded', 'failed'] }, API_KEY);
		const taskId = await bed.createCurrentTask();
		await bed.finish(taskId);
		const statuses = bed.harness.runs.map(([item]) => item.json.status);
		expect(statuses).toEqual(['submitted', 'processing', 'succeeded']);
	});

	it('keeps an old saved filter’s "succeed" working for "succeeded"', async () => {
		await bed.reset({ events: ['succeed'] }, { ...API_KEY, webhookSecret: SECRET });
		const taskId = await bed.createCurrentTask();
		await bed.finish(taskId);
		expectStarted(bed, 1);
		expect(bed.harness.runs[0][0].json.status).toBe('succeeded');
	});

	it('Confirm With Kling reads the task at GET /tasks?task_ids=', async () => {
		await bed.reset({ confirmWithKling: true }, API_KEY);
		const taskId = await bed.createCurrentTask();
		await bed.finish(taskId);
		expectStarted(bed, 1);
		const reads = bed.sim.requests.filter((request) => request.path === '/tasks');
		expect(reads.length).toBeGreaterThan(0);
		expect(reads.every((read) => read.query.task_ids === taskId)).toBe(true);
		expect(bed.harness.runs[0][0].json).toEqual({ ...current(taskId), taskKind: 'video' });
	});

	it('Confirm With Kling refuses a task Kling does not know', async () => {
		await bed.reset({ confirmWithKling: true }, API_KEY);
		const answer = await bed.deliver(
			JSON.stringify({ id: '987654321', status: 'succeeded', outputs: [], update_time: 1 }),
			{ secrets: [] },
		);
		expect(answer.status).toBe(401);
		expect(answer.json).toEqual({ received: false, reason: 'Kling does not know this task' });
		expectStarted(bed, 0);
	});
});

describe('Kling Trigger: duplicate memory', () => {
	it('signed: a delivery with the same webhook-id is a repeat, another webhook-id is not', async () => {
		await bed.reset({}, { ...API_KEY, webhookSecret: SECRET });
		const taskId = await bed.createCurrentTask();
		await bed.finish(taskId);
		expectStarted(bed, 1);
		const body = JSON.stringify(current(taskId));
		const again = await bed.deliver(body, { secrets: [SECRET], webhookId: 'msg_fixed_1' });
		const repeat = await bed.deliver(body, { secrets: [SECRET], webhookId: 'msg_fixed_1' });
		expect(again.json).toEqual(expect.not.objectContaining({ ignored: 'duplicate callback' }));
		expect(repeat.json).toEqual({ received: true, ignored: 'duplicate callback' });
		expectStarted(bed, 2);
	});

	it('unsigned: the same task, status and update time is a repeat', async () => {
		await bed.reset({}, API_KEY);
		const taskId = await bed.createCurrentTask();
		await bed.finish(taskId);
		expectStarted(bed, 1);
		const task = current(taskId);
		const repeat = await bed.deliver(JSON.stringify(task), { secrets: [] });
		expect(repeat.json).toEqual({ received: true, ignored: 'duplicate callback' });
		const later = await bed.deliver(
			JSON.stringify({ ...task, update_time: task.update_time + 1 }),
			{
				secrets: [],
			},
		);
		expect(later.status).toBe(200);
		expectStarted(bed, 2);
	});
});
