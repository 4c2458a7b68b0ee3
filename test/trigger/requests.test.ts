import {
	MAX_KEYS_PER_NODE,
	MAX_NODES,
	rememberedCount,
	seenBefore,
} from '../../nodes/KlingTrigger/duplicateMemory';
import { MAX_BODY_BYTES } from '../../nodes/shared/callbacks/callbackRequest';
import { runNode } from '../harness/runWorkflow';
import { WebhookHarness } from '../harness/webhookHarness';
import { NOWHERE, TriggerBed, expectStarted } from './setup';

const bed = new TriggerBed();
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => bed.reset());

describe('events', () => {
	it('starts the workflow for succeed and failed by default, and answers the others 200', async () => {
		const good = await bed.createTask();
		await bed.finish(good);
		const bad = await bed.createTask({ prompt: 'simulate-failure' });
		await bed.finish(bad);
		expect(bed.harness.calls.map((call) => call.status)).toEqual([200, 200, 200, 200, 200, 200]);
		expect(bed.harness.runs.map(([item]) => [item.json.task_id, item.json.task_status])).toEqual([
			[good, 'succeed'],
			[bad, 'failed'],
		]);
		expect(bed.harness.runs[1][0].json.task_status_msg).toMatch(/simulate-failure/);
		expect(bed.harness.calls[0].response).toEqual({
			received: true,
			ignored: 'status "submitted" is not one of the selected events',
		});
		expect(bed.harness.calls[1].response).toEqual({
			received: true,
			ignored: 'status "processing" is not one of the selected events',
		});
	});

	it('starts it for the statuses chosen', async () => {
		await bed.reset({ events: ['processing'] });
		const taskId = await bed.createTask();
		await bed.finish(taskId);
		expect(bed.harness.runs.map(([item]) => item.json.task_status)).toEqual(['processing']);
	});

	it('answers a status Kling does not have 200, starts nothing, and does not echo it', async () => {
		await bed.reset({ events: ['submitted', 'processing', 'succeeded', 'failed'] });
		const response = await bed.post(
			JSON.stringify({ task_id: '1', task_status: '<script>alert(1)</script>' }),
		);
		expect(response.status).toBe(200);
		expect(response.data).toEqual({
			received: true,
			ignored: 'status is not one of the selected events',
		});
		expectStarted(bed, 0);
	});
});

describe('output', () => {
	it('is the callback body as Kling posted it', async () => {
		const taskId = await bed.createTask();
		await bed.finish(taskId);
		const [item] = bed.harness.runs[0];
		const delivered = bed.sim.callbacks.filter((callback) => callback.body.includes(taskId));
		expect(item.json).toEqual({ ...JSON.parse(delivered[2].body), taskKind: 'videoExtend' });
		expect(item.binary).toBeUndefined();
	});

	it('with Simplify, is the same flat item as the action node gives', async () => {
		await bed.reset({ options: { simplify: true } });
		const taskId = await bed.createTask();
		await bed.finish(taskId);
		const [item] = bed.harness.runs[0];
		const task = bed.task(taskId);
		const video = task.task_result.videos[0];
		expect(item.json).toEqual({
			taskId,
			status: 'succeeded',
			statusMessage: '',
			externalTaskId: '',
			parentVideoId: 'sim-video-5s',
			parentDuration: 5,
			videoId: video.id,
			url: video.url,
			watermarkUrl: null,
			duration: Number(video.duration),
			cost: { amount: Number(task.final_unit_deduction), unit: 'units' },
			createdAt: new Date(task.created_at).toISOString(),
			updatedAt: new Date(task.updated_at).toISOString(),
			taskKind: 'videoExtend',
		});
		const action = await runNode({
			parameters: { operation: 'get', lookupBy: 'taskId', taskId, simplify: true },
			credentials: { klingApi: bed.harness.credentials },
		});
		expect(action.error).toBeUndefined();
		// The trigger adds the kind of task; the action node knows it from its operation.
		const { taskKind, ...flat } = item.json;
		expect(taskKind).toBe('videoExtend');
		expect(action.items[0].json).toEqual(flat);
	});
});

describe('duplicates', () => {
	it('starts the workflow once for the same task, status and updated_at', async () => {
		const taskId = await bed.createTask({ callbackUrl: NOWHERE });
		await bed.sim.advance(taskId);
		await bed.sim.advance(taskId);
		const body = JSON.stringify(bed.task(taskId));
		const first = await bed.deliver(body);
		const again = await bed.deliver(body);
		expect([first.status, again.status]).toEqual([200, 200]);
		expect(again.json).toEqual({ received: true, ignored: 'duplicate callback' });
		expectStarted(bed, 1);

		// Identical deliveries at the same moment still make one run.
		const burst = JSON.stringify({ ...bed.task(taskId), updated_at: 42 });
		const answers = await Promise.all(Array.from({ length: 8 }, () => bed.deliver(burst)));
		expect(answers.every((answer) => answer.status === 200)).toBe(true);
		expectStarted(bed, 2);

		// Another updated_at is another change of the task.
		await bed.deliver(JSON.stringify({ ...bed.task(taskId), updated_at: 43 }));
		expectStarted(bed, 3);
	});

	it('keeps one memory per trigger node', async () => {
		const other = new WebhookHarness({
			workflowId: bed.harness.workflowId,
			parameters: {},
			credentials: bed.harness.credentials,
		});
		await other.start();
		try {
			const taskId = await bed.createTask({ callbackUrl: NOWHERE });
			await bed.sim.advance(taskId);
			await bed.sim.advance(taskId);
			const body = JSON.stringify(bed.task(taskId));
			await bed.deliver(body);
			await bed.sim.deliverCallback(other.productionUrl, body);
			await bed.sim.deliverCallback(other.productionUrl, body);
			await other.settled();
			expectStarted(bed, 1);
			expect(other.runs).toHaveLength(1);
		} finally {
			await other.stop();
		}
	});

	it('forgets on activation and deactivation (n8n’s create and delete), not in between', async () => {
		const taskId = await bed.createTask({ callbackUrl: NOWHERE });
		await bed.sim.advance(taskId);
		await bed.sim.advance(taskId);
		const body = JSON.stringify(bed.task(taskId));
		await bed.deliver(body);
		await bed.deliver(body);
		expectStarted(bed, 1);
		await bed.harness.activate();
		await bed.deliver(body);
		expectStarted(bed, 2);
		await bed.harness.deactivate();
		await bed.deliver(body);
		expectStarted(bed, 3);
	});

	it('holds a bounded number of callbacks per node and of nodes', () => {
		const scope = 'memory-test/node';
		for (let index = 0; index <= MAX_KEYS_PER_NODE; index++) {
			expect(seenBefore(scope, `task-${index}|succeed|1`)).toBe(false);
		}
		expect(rememberedCount(scope)).toBe(MAX_KEYS_PER_NODE);
		// The oldest was forgotten, the newest is remembered.
		expect(seenBefore(scope, `task-${MAX_KEYS_PER_NODE}|succeed|1`)).toBe(true);
		expect(seenBefore(scope, 'task-0|succeed|1')).toBe(false);

		for (let node = 0; node < MAX_NODES; node++) seenBefore(`memory-test/other-${node}`, 'k');
		expect(rememberedCount(scope)).toBe(0);
		expect(rememberedCount('memory-test/other-0')).toBe(1);
	});
});

describe('broken requests', () => {
	async function expectRefused(
		body: string | Buffer,
		options: Parameters<TriggerBed['post']>[1],
		status: number,
		reason: string,
	) {
		const response = await bed.post(body, options);
		expect([response.status, response.data]).toEqual([status, { received: false, reason }]);
	}

	it('answers 400 to a body that is not JSON, whatever its content type says', async () => {
		for (const contentType of ['text/plain', null, 'application/octet-stream']) {
			await expectRefused('task_id=1', { contentType }, 400, 'the body is not JSON');
		}
		await expectRefused(
			'task_id=1&task_status=succeed',
			{ contentType: 'application/x-www-form-urlencoded' },
			400,
			'the body is not JSON',
		);
		await expectRefused('', {}, 400, 'the body is not JSON');
		await expectRefused(
			'{"task_id": "1",',
			{ contentType: 'text/plain' },
			400,
			'the body is not JSON',
		);
		expectStarted(bed, 0);
	});

	it('leaves a body sent as JSON that does not parse to n8n, which answers 422 before the node', async () => {
		const response = await bed.post('{"task_id": "1",');
		expect(response.status).toBe(422);
		expect(bed.harness.calls[0].result).toBeUndefined();
		expectStarted(bed, 0);
	});

	it('answers 400 to JSON that is not an object, or has neither id nor task_id', async () => {
		for (const body of ['[{"task_id":"1"}]', '"task_id"', '42', 'null', 'true']) {
			await expectRefused(body, {}, 400, 'the body is not a JSON object');
		}
		for (const body of ['{}', '{"task_id":1}', '{"task_id":""}', '{"id":1,"status":"succeeded"}']) {
			await expectRefused(body, {}, 400, 'the body has no id or task_id');
		}
		expectStarted(bed, 0);
	});

	it('accepts a body of 1 MB and answers 413 to one byte more', async () => {
		await bed.reset({ events: ['succeed'] });
		const task = { task_id: 'big', task_status: 'succeed', updated_at: 1, padding: '' };
		const fixed = Buffer.byteLength(JSON.stringify(task));
		const atLimit = JSON.stringify({ ...task, padding: 'x'.repeat(MAX_BODY_BYTES - fixed) });
		expect(Buffer.byteLength(atLimit)).toBe(1024 * 1024);
		const accepted = await bed.post(atLimit);
		expect(accepted.status).toBe(200);
		expectStarted(bed, 1);

		const over = JSON.stringify({
			...task,
			updated_at: 2,
			padding: 'x'.repeat(MAX_BODY_BYTES - fixed + 1),
		});
		await expectRefused(over, {}, 413, 'the body is larger than 1 MB');
		const large = JSON.stringify({ ...task, padding: 'x'.repeat(3 * MAX_BODY_BYTES) });
		await expectRefused(large, {}, 413, 'the body is larger than 1 MB');
		await expectRefused(large, { contentType: 'text/plain' }, 413, 'the body is larger than 1 MB');
		expectStarted(bed, 1);
	});

	it('is not reached by other methods or paths (n8n answers those itself)', async () => {
		const wrongPath = await bed.post('{}', { url: `${bed.url()}/more` });
		expect(wrongPath.status).toBe(404);
		expect(bed.harness.calls).toHaveLength(0);
	});
});
