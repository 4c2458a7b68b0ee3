import { CURRENT_CREATE_TYPE } from '../harness/currentCreateNode';
import { KlingTestbed } from '../harness/kling';

/**
 * No duplicate paid task on the current generation: every create carries
 * `options.external_task_id`, and when a repeat of a create that did land is refused with 1201
 * "already exists", the first task is read by its external id and the node goes on with it.
 */
const bed = new KlingTestbed();
const fastRetries = { retryDelay: 5, timeout: 2000 };
beforeAll(async () => {
	await bed.start();
	bed.useApiKey();
});
afterAll(() => bed.stop());
beforeEach(() => {
	bed.sim.reset();
	bed.sim.clearFaults();
});

const CREATE = 'POST /text-to-video/kling-3.0-turbo';

function trail(): string[] {
	return bed.apiRequests().map((request) => `${request.method} ${request.path}`);
}

function createBodies() {
	return bed
		.apiRequests()
		.filter((request) => request.method === 'POST')
		.map((request) => JSON.parse(request.body));
}

describe('a create whose first answer is lost', () => {
	it('gives every create an external id of the node’s own, in options', async () => {
		const result = await bed.run({ nodeType: CURRENT_CREATE_TYPE, parameters: {} });
		expect(result.error).toBeUndefined();
		const [body] = createBodies();
		expect(body.options.external_task_id).toMatch(/^n8n-1-[0-9a-f]{8}-0$/);
		expect(result.items[0].json.external_id).toBe(body.options.external_task_id);
	});

	it('keeps the user’s external id', async () => {
		const result = await bed.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: { externalTaskId: 'mine-7' },
		});
		expect(result.error).toBeUndefined();
		expect(createBodies()[0].options.external_task_id).toBe('mine-7');
	});

	it('a dropped connection after Kling made the task: found by its external id, not sent again', async () => {
		bed.sim.injectFaults({ kind: 'reset', afterHandling: true, match: CREATE, count: 1 });
		const result = await bed.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: { options: fastRetries },
		});
		expect(result.error).toBeUndefined();
		expect(trail()).toEqual([CREATE, 'GET /tasks']);
		const externalId = createBodies()[0].options.external_task_id;
		expect(bed.apiRequests()[1].query).toEqual({ external_task_ids: externalId });
		expect(result.items[0].json).toEqual(bed.sim.getCurrentTask(externalId));
	});

	it('a repeat refused with 1201 "already exists": reads that first task and goes on (one task)', async () => {
		// The first answer is lost and so is the look-up: the create is sent again, and Kling
		// refuses the repeated external id.
		bed.sim.injectFaults({ kind: 'reset', afterHandling: true, match: CREATE, count: 1 });
		bed.sim.injectFaults({ kind: 'kling-error', code: 1200, match: 'GET /tasks', count: 1 });
		const result = await bed.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: { simplify: true, options: fastRetries },
		});
		expect(result.error).toBeUndefined();
		expect(trail()).toEqual([CREATE, 'GET /tasks', CREATE, 'GET /tasks']);
		const [first, repeat] = createBodies();
		expect(repeat.options.external_task_id).toBe(first.options.external_task_id);
		const task = bed.sim.getCurrentTask(first.options.external_task_id)!;
		expect(result.items[0].json).toMatchObject({ taskId: task.id, status: 'submitted' });
		const listed = await bed.run({
			nodeType: 'n8n-nodes-kling.klingVideo',
			parameters: { operation: 'getAll', returnAll: true },
		});
		expect(listed.items).toHaveLength(1);
	});

	it('a 429 on a create that landed: the repeat is refused with 1201 and the first task read', async () => {
		bed.sim.injectFaults({
			kind: 'kling-error',
			code: 1303,
			afterHandling: true,
			match: CREATE,
			count: 1,
		});
		const result = await bed.run({
			nodeType: CURRENT_CREATE_TYPE,
			parameters: { options: fastRetries },
		});
		expect(result.error).toBeUndefined();
		expect(trail()).toEqual([CREATE, CREATE, 'GET /tasks']);
		expect(result.items[0].json.external_id).toBe(createBodies()[0].options.external_task_id);
	});
});
