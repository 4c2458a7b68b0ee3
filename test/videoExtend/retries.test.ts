import { KlingTestbed, TASKS_PATH } from '../harness/kling';

const bed = new KlingTestbed();
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

/** Retries wait 10 ms, 20 ms, 40 ms… here instead of Kling's advised 1 s, 2 s, 4 s…. */
const fastRetries = { retryDelay: 10 };

const posts = () => bed.apiRequests().filter((request) => request.method === 'POST');

describe('retries', () => {
	it.each([1302, 1303, 5000, 5001, 5002])('retries Kling code %s and succeeds', async (code) => {
		bed.sim.injectFaults({ kind: 'kling-error', code, count: 2 });
		const result = await bed.run({
			parameters: { operation: 'getAll', limit: 5, options: fastRetries },
		});
		expect(result.error).toBeUndefined();
		expect(bed.apiRequests()).toHaveLength(3);
	});

	it('retries a reset connection and an HTML gateway page', async () => {
		bed.sim.injectFaults({ kind: 'reset', count: 1 });
		bed.sim.injectFaults({ kind: 'html', status: 502, count: 1 });
		const result = await bed.run({
			parameters: { operation: 'getAll', limit: 5, options: fastRetries },
		});
		expect(result.error).toBeUndefined();
		expect(bed.apiRequests()).toHaveLength(3);
	});

	it('gives up after the configured number of retries with Kling’s explanation', async () => {
		bed.sim.injectFaults({ kind: 'kling-error', code: 1302, count: 10 });
		const result = await bed.run({
			parameters: { operation: 'getAll', limit: 5, options: { ...fastRetries, maxRetries: 2 } },
		});
		expect(result.error?.message).toMatch(/^Kling error 1302, too many requests/);
		expect(bed.apiRequests()).toHaveLength(3);
	});

	it('never retries other Kling codes', async () => {
		for (const code of [1000, 1102, 1103, 1201, 1301]) {
			bed.sim.reset();
			bed.sim.injectFaults({ kind: 'kling-error', code, count: 5 });
			const result = await bed.run({
				parameters: { operation: 'getAll', limit: 5, options: fastRetries },
			});
			expect(result.error?.message).toMatch(new RegExp(`^Kling error ${code}`));
			expect(bed.apiRequests()).toHaveLength(1);
		}
	});

	it('retries 1004 (expired token) once: every request signs its token afresh', async () => {
		bed.sim.injectFaults({ kind: 'kling-error', code: 1004, count: 1 });
		const result = await bed.run({
			parameters: { operation: 'getAll', limit: 5, options: { ...fastRetries, maxRetries: 0 } },
		});
		expect(result.error).toBeUndefined();
		expect(bed.apiRequests()).toHaveLength(2);

		bed.sim.reset();
		bed.sim.injectFaults({ kind: 'kling-error', code: 1004, count: 5 });
		const twice = await bed.run({
			parameters: { operation: 'getAll', limit: 5, options: fastRetries },
		});
		expect(twice.error?.message).toMatch(/^Kling error 1004/);
		expect(bed.apiRequests()).toHaveLength(2);
	});

	it('honours Retry-After', async () => {
		bed.sim.injectFaults({ kind: 'kling-error', code: 1302, count: 1, retryAfter: 1 });
		const started = Date.now();
		const result = await bed.run({
			parameters: { operation: 'getAll', limit: 5, options: fastRetries },
		});
		expect(result.error).toBeUndefined();
		const [first, second] = bed.apiRequests();
		expect(second.at - first.at).toBeGreaterThanOrEqual(950);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('backs off exponentially from the first delay', async () => {
		bed.sim.injectFaults({ kind: 'kling-error', code: 5000, count: 3 });
		await bed.run({
			parameters: { operation: 'getAll', limit: 5, options: { retryDelay: 100 } },
		});
		const times = bed.apiRequests().map((request) => request.at);
		const gaps = times.slice(1).map((time, index) => time - times[index]);
		expect(gaps).toHaveLength(3);
		expect(gaps[0]).toBeGreaterThanOrEqual(95);
		expect(gaps[1]).toBeGreaterThanOrEqual(195);
		expect(gaps[2]).toBeGreaterThanOrEqual(395);
		expect(gaps[2]).toBeLessThan(700);
	});
});

describe('a create is never sent twice for the same item', () => {
	it('after a 5xx that came once Kling had made the task, it finds the task instead of sending again', async () => {
		bed.sim.injectFaults({
			kind: 'kling-error',
			code: 5002,
			afterHandling: true,
			match: 'POST /v1/videos/video-extend',
			count: 1,
		});
		const result = await bed.run({
			parameters: { operation: 'create', videoId: 'sim-video-5s', options: fastRetries },
		});
		expect(result.error).toBeUndefined();
		expect(posts()).toHaveLength(1);
		const externalId = JSON.parse(posts()[0].body).external_task_id;
		expect(bed.apiRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
			`POST ${TASKS_PATH}`,
			`GET ${TASKS_PATH}/${externalId}`,
		]);
		expect(result.items[0].json.task_info).toMatchObject({ external_task_id: externalId });
	});

	it('after a timeout, the same: one task, found by its external id', async () => {
		bed.sim.injectFaults({
			kind: 'delay',
			ms: 400,
			afterHandling: true,
			match: 'POST /v1/videos/video-extend',
			count: 1,
		});
		const result = await bed.run({
			parameters: {
				operation: 'create',
				videoId: 'sim-video-5s',
				additionalFields: { externalTaskId: 'mine-1' },
				options: { ...fastRetries, timeout: 100 },
			},
		});
		expect(result.error).toBeUndefined();
		expect(posts()).toHaveLength(1);
		expect(bed.sim.getTask('mine-1')).toBeDefined();
		expect(result.items[0].json.task_info).toMatchObject({ external_task_id: 'mine-1' });
	});

	it('a 5xx before Kling made the task: looked up, not found, sent again: one task', async () => {
		bed.sim.injectFaults({
			kind: 'kling-error',
			code: 5000,
			match: 'POST /v1/videos/video-extend',
			count: 1,
		});
		const result = await bed.run({
			parameters: { operation: 'create', videoId: 'sim-video-5s', options: fastRetries },
		});
		expect(result.error).toBeUndefined();
		expect(posts()).toHaveLength(2);
		const ids = posts().map((request) => JSON.parse(request.body).external_task_id);
		expect(ids[0]).toBe(ids[1]);
		expect(bed.sim.getTask(ids[0])).toBeDefined();
	});

	it('a 429 is refused work: sent again without a look-up', async () => {
		bed.sim.injectFaults({
			kind: 'kling-error',
			code: 1303,
			match: 'POST /v1/videos/video-extend',
			count: 2,
		});
		const result = await bed.run({
			parameters: { operation: 'create', videoId: 'sim-video-5s', options: fastRetries },
		});
		expect(result.error).toBeUndefined();
		expect(bed.apiRequests().map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
	});

	it('across 20 items under a storm of 5xx after handling, each item makes exactly one task', async () => {
		bed.sim.injectFaults({
			kind: 'kling-error',
			code: 5000,
			afterHandling: true,
			match: 'POST /v1/videos/video-extend',
			rate: 0.5,
		});
		const items = Array.from({ length: 20 }, (_, index) => ({ index }));
		const result = await bed.run({
			items,
			parameters: {
				operation: 'create',
				videoId: 'sim-video-5s',
				prompt: '={{ "item " + $json.index }}',
				options: { ...fastRetries, maxRetries: 8 },
			},
		});
		bed.sim.clearFaults();
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(20);
		const list = await bed.run({ parameters: { operation: 'getAll', returnAll: true } });
		const taskIds = list.items.map((item) => (item.json as { task_id: string }).task_id);
		expect(taskIds).toHaveLength(20);
		expect(new Set(taskIds).size).toBe(20);
	});
});

describe('bounded concurrency', () => {
	it('keeps at most "Parallel Requests" requests in flight across items', async () => {
		const taskIds: string[] = [];
		for (let index = 0; index < 3; index++) {
			const created = await bed.run({
				parameters: { operation: 'create', videoId: 'sim-video-5s' },
			});
			taskIds.push(String(created.items[0].json.task_id));
		}
		bed.sim.clearRequests();
		const delay = 100;
		bed.sim.injectFaults({
			kind: 'delay',
			ms: delay,
			match: 'GET /v1/videos/video-extend',
			rate: 1,
		});
		const items = Array.from({ length: 24 }, (_, index) => ({ id: taskIds[index % 3] }));
		const result = await bed.run({
			items,
			parameters: { operation: 'get', taskId: '={{ $json.id }}', options: { concurrency: 4 } },
		});
		bed.sim.clearFaults();
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.task_id)).toEqual(items.map((item) => item.id));
		// Each request is in flight at least from its arrival for `delay` ms.
		const starts = bed.apiRequests().map((request) => request.at);
		const overlap = Math.max(
			...starts.map(
				(start) => starts.filter((other) => other <= start && start < other + delay).length,
			),
		);
		expect(overlap).toBeLessThanOrEqual(4);
		expect(overlap).toBeGreaterThanOrEqual(2);
	});
});
