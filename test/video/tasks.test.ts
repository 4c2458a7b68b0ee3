import { CURRENT_CREATE_TYPE } from '../harness/currentCreateNode';
import { KlingTestbed, accessKeyCredentials } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';

/**
 * Kling Video's Get Task and Get Many on the current generation: `GET /tasks` with the ids of
 * all items of a run, 20 a request, and the `POST /tasks` cursor list.
 */
const bed = new KlingTestbed({ videoBytes: 64 });
beforeAll(async () => {
	await bed.start();
	bed.useApiKey();
});
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

function idsOf(query: Record<string, string>, name: string): string[] {
	return (query[name] ?? '').split(',').filter((id) => id !== '');
}

/** Creates `count` current-generation tasks through the shared create; their Kling objects. */
async function createTasks(count: number, prompt = 'A fox') {
	const created = await bed.run({
		nodeType: CURRENT_CREATE_TYPE,
		parameters: { prompt },
		items: Array.from({ length: count }, () => ({})),
	});
	expect(created.error).toBeUndefined();
	bed.sim.clearRequests();
	return created.items.map((item) => item.json);
}

function reads() {
	return bed.apiRequests().filter((request) => request.method === 'GET');
}

describe('Get Task', () => {
	it('reads 45 items’ tasks in 3 requests (20, 20, 5), each item paired with its own task', async () => {
		const tasks = await createTasks(45);
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'get', lookupBy: 'taskId', taskId: '={{ $json.id }}' },
			items: [...tasks].reverse(),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(
			[...tasks].reverse().map((task) => task.id),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 45 }, (_, item) => ({ item })),
		);
		expect(reads().map((read) => read.path)).toEqual(['/tasks', '/tasks', '/tasks']);
		expect(reads().map((read) => idsOf(read.query, 'task_ids').length)).toEqual([20, 20, 5]);
		expect(result.items[0].json).toEqual(bed.sim.getCurrentTask(String(tasks[44].id)));
	});

	it('reads by external id, and simplifies with one word for success', async () => {
		const [task] = await createTasks(1);
		await bed.sim.advance(String(task.id));
		await bed.sim.advance(String(task.id));
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				operation: 'get',
				lookupBy: 'externalTaskId',
				externalTaskId: String(task.external_id),
				simplify: true,
			},
		});
		expect(result.error).toBeUndefined();
		const current = bed.sim.getCurrentTask(String(task.id))!;
		const video = current.outputs[0];
		expect(result.items[0].json).toEqual({
			taskId: task.id,
			status: 'succeeded',
			statusMessage: '',
			externalTaskId: task.external_id,
			videoId: video.id,
			url: video.url,
			watermarkUrl: null,
			duration: Number(video.duration),
			parentVideoId: null,
			parentDuration: null,
			cost: { amount: Number(current.billing[0].amount), unit: 'units' },
			createdAt: new Date(current.create_time).toISOString(),
			updatedAt: new Date(current.update_time).toISOString(),
		});
		expect(reads()).toHaveLength(1);
		expect(reads()[0].query).toEqual({ external_task_ids: task.external_id });
	});

	it('gives an item whose id Kling does not know its own error, the others their tasks, in one request', async () => {
		const tasks = await createTasks(2);
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'get', lookupBy: 'taskId', taskId: '={{ $json.id }}' },
			items: [tasks[0], { id: '404404' }, tasks[1]],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id ?? item.json.error)).toEqual([
			tasks[0].id,
			'Kling has no task "404404"',
			tasks[1].id,
		]);
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(reads()).toHaveLength(1);
	});

	it('refuses an access key + secret key credential before sending', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'get', lookupBy: 'taskId', taskId: '1' },
			credentials: accessKeyCredentials(bed.sim.url),
		});
		expect(result.error?.message).toBe(
			"Kling's current API takes API keys only: create one in Kling's console at https://kling.ai/dev/api-key",
		);
		expect(bed.apiRequests()).toHaveLength(0);
	});

	it('refuses an id with a comma (it would read two tasks) before sending', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'get', lookupBy: 'taskId', taskId: '1,2' },
		});
		expect(result.error?.message).toBe('Task ID cannot contain a comma');
		expect(bed.apiRequests()).toHaveLength(0);
	});
});

describe('Get Many', () => {
	function lists() {
		return bed.apiRequests().filter((request) => request.method === 'POST');
	}

	it('lists with POST /tasks, newest first, at most Limit', async () => {
		const tasks = await createTasks(7);
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'getAll', limit: 5 },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(lists().map((request) => [request.path, JSON.parse(request.body)])).toEqual([
			['/tasks', { limit: 5 }],
		]);
		const listed = new Set(result.items.map((item) => item.json.id));
		expect(tasks.filter((task) => listed.has(task.id))).toHaveLength(5);
	});

	it('returns all with cursor pages of 500', async () => {
		bed.sim.seedTasks(1100, { kind: 'text-to-video', status: 'succeed' });
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'getAll', returnAll: true, simplify: true },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1100);
		expect(new Set(result.items.map((item) => item.json.taskId)).size).toBe(1100);
		expect(result.items.every((item) => item.json.status === 'succeeded')).toBe(true);
		const bodies = lists().map((request) => JSON.parse(request.body));
		expect(bodies.map((body) => body.limit)).toEqual([500, 500, 500]);
		expect(bodies[0].cursor).toBeUndefined();
		expect(typeof bodies[1].cursor).toBe('string');
		expect(bodies[2].cursor).not.toBe(bodies[1].cursor);
	});

	it('filters by status with Kling’s own filter', async () => {
		await createTasks(2, 'simulate-failure');
		const tasks = await createTasks(3);
		for (const task of tasks) {
			await bed.sim.advance(String(task.id));
			await bed.sim.advance(String(task.id));
		}
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'getAll', returnAll: true, statusFilter: ['succeeded'] },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.status)).toEqual([
			'succeeded',
			'succeeded',
			'succeeded',
		]);
		expect(JSON.parse(lists()[0].body)).toEqual({
			limit: 500,
			filters: [{ key: 'status', values: ['succeeded'] }],
		});
	});

	it('refuses an access key + secret key credential before sending', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'getAll', limit: 5 },
			credentials: accessKeyCredentials(bed.sim.url),
		});
		expect(result.error?.message).toMatch(/^Kling's current API takes API keys only/);
		expect(bed.apiRequests()).toHaveLength(0);
	});
});
