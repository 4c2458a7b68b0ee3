import type { CallbackDelivery, RecordedRequest } from '../../simulator';
import { EXTEND, type Harness, type Receiver, startReceiver, startSimulator } from './helpers';

describe('simulator admin HTTP interface', () => {
	let h: Harness;
	let receiver: Receiver;

	beforeAll(async () => {
		h = await startSimulator({ timing: 'manual' });
		receiver = await startReceiver();
	});
	afterAll(async () => {
		await h.sim.stop();
		await receiver.close();
	});
	beforeEach(() => h.sim.reset());

	it('queues and clears faults', async () => {
		const queued = await h.raw.post('/__sim/faults', { kind: 'kling-error', code: 1302, count: 5 });
		expect(queued.status).toBe(200);
		expect((await h.api.get(EXTEND)).data.code).toBe(1302);
		expect((await h.raw.get('/__sim/faults')).data).toHaveLength(1);
		expect((await h.raw.delete('/__sim/faults')).status).toBe(200);
		expect((await h.api.get(EXTEND)).data.code).toBe(0);
	});

	it('refuses an invalid fault with 400', async () => {
		const response = await h.raw.post('/__sim/faults', { kind: 'explode' });
		expect(response.status).toBe(400);
		expect(response.data.error).toMatch(/kind/);
		expect(
			(await h.raw.post('/__sim/faults', 'not json', { headers: { 'Content-Type': 'text/plain' } }))
				.status,
		).toBe(400);
	});

	it('lists recorded requests, admin ones included but easy to filter', async () => {
		await h.api.post(EXTEND, { video_id: 'sim-video-5s' });
		await h.api.get(`${EXTEND}?pageNum=1&pageSize=10`);
		const all = (await h.raw.get('/__sim/requests')).data as RecordedRequest[];
		expect(all.map((r) => `${r.method} ${r.path}`)).toEqual([
			`POST ${EXTEND}`,
			`GET ${EXTEND}`,
			'GET /__sim/requests',
		]);
		expect(all[0].body).toBe('{"video_id":"sim-video-5s"}');
		expect(all[1].query).toEqual({ pageNum: '1', pageSize: '10' });
		expect(all.filter((r) => !r.path.startsWith('/__sim/'))).toHaveLength(2);
		const apiOnly = (await h.raw.get('/__sim/requests', { params: { prefix: '/v1/' } })).data;
		expect(apiOnly).toHaveLength(2);
	});

	it('advances tasks and reports callbacks', async () => {
		const created = await h.api.post(EXTEND, {
			video_id: 'sim-video-5s',
			callback_url: receiver.url,
		});
		const taskId = created.data.data.task_id;
		const processing = await h.raw.post(`/__sim/tasks/${taskId}/advance`);
		expect(processing.data.task_status).toBe('processing');
		const done = await h.raw.post(`/__sim/tasks/${taskId}/advance`);
		expect(done.data.task_status).toBe('succeed');
		const callbacks = (await h.raw.get('/__sim/callbacks')).data as CallbackDelivery[];
		expect(callbacks.map((c) => JSON.parse(c.body).task_status)).toEqual([
			'submitted',
			'processing',
			'succeed',
		]);
		expect((await h.raw.post('/__sim/tasks/000000000000000000/advance')).status).toBe(404);
		expect((await h.raw.get(`/__sim/tasks/${taskId}`)).data.task_id).toBe(taskId);
	});

	it('seeds tasks and resets', async () => {
		expect((await h.raw.post('/__sim/seed', { count: 42, status: 'failed' })).data).toEqual({
			ok: true,
			count: 42,
		});
		const listed = await h.api.get(EXTEND, { params: { pageSize: 100 } });
		expect(listed.data.data).toHaveLength(42);
		expect(listed.data.data[0].task_status).toBe('failed');
		expect((await h.raw.post('/__sim/seed', { count: 'many' })).status).toBe(400);

		expect((await h.raw.post('/__sim/reset')).status).toBe(200);
		expect((await h.api.get(EXTEND)).data.data).toEqual([]);
		expect(h.sim.requests.map((r) => r.path)).toEqual([EXTEND]);
	});

	it('answers 404 for unknown admin routes', async () => {
		expect((await h.raw.get('/__sim/nothing')).status).toBe(404);
	});
});
