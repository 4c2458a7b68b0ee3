import { SOURCE_VIDEOS } from '../../simulator';
import { VIDEO_ID_FROM_INPUT } from '../../nodes/KlingVideoExtend/resources/task/create';
import { taskDescription } from '../../nodes/KlingVideoExtend/resources/task';
import { KlingTestbed, TASKS_PATH } from '../harness/kling';

const bed = new KlingTestbed();
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => {
	bed.sim.reset();
});

const SOURCE = 'sim-video-5s';

describe('Extend Video (create)', () => {
	it.each([
		['a simplified task', { taskId: '1', status: 'succeeded', videoId: SOURCE }],
		['Kling’s legacy task', { task_id: '1', task_result: { videos: [{ id: SOURCE }] } }],
		[
			'Kling’s current task',
			{ id: '1', status: 'succeeded', outputs: [{ type: 'video', id: SOURCE, url: 'u' }] },
		],
	])('reads Video ID by default from the input item: %s', async (_shape, item) => {
		const result = await bed.run({
			parameters: { operation: 'create', videoId: VIDEO_ID_FROM_INPUT },
			items: [item],
		});
		expect(result.error).toBeUndefined();
		expect(JSON.parse(bed.apiRequests()[0].body).video_id).toBe(SOURCE);
	});

	it('has that expression as the Video ID default', () => {
		const field = taskDescription.find((property) => property.name === 'videoId');
		expect(field?.default).toBe(VIDEO_ID_FROM_INPUT);
	});

	it('sends every field the user set, under Kling’s names, and returns the task', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'create',
				videoId: SOURCE,
				prompt: 'A puppy appears',
				additionalFields: {
					negativePrompt: 'blur',
					cfgScale: 0.7,
					watermark: true,
					callbackUrl: 'http://127.0.0.1:9/webhook/abc/kling?token=t',
					externalTaskId: 'order-1',
				},
			},
		});
		expect(result.error).toBeUndefined();
		const [request] = bed.apiRequests();
		expect(request.method).toBe('POST');
		expect(request.path).toBe(TASKS_PATH);
		expect(JSON.parse(request.body)).toEqual({
			video_id: SOURCE,
			prompt: 'A puppy appears',
			negative_prompt: 'blur',
			cfg_scale: 0.7,
			watermark_info: { enabled: true },
			callback_url: 'http://127.0.0.1:9/webhook/abc/kling?token=t',
			external_task_id: 'order-1',
		});
		expect(result.items).toHaveLength(1);
		const task = result.items[0].json;
		expect(task).toMatchObject({
			task_status: 'submitted',
			task_info: { external_task_id: 'order-1' },
		});
		expect(typeof task.task_id).toBe('string');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(bed.sim.getTask(String(task.task_id))?.task_info.parent_video.id).toBe(SOURCE);
	});

	it('sends only the video id, and an external id of its own, when nothing else is set', async () => {
		const result = await bed.run({ parameters: { operation: 'create', videoId: SOURCE } });
		expect(result.error).toBeUndefined();
		const body = JSON.parse(bed.apiRequests()[0].body);
		expect(body).toEqual({ video_id: SOURCE, external_task_id: expect.any(String) });
		expect(body.external_task_id).toMatch(/^n8n-1-[0-9a-f]{8}-0$/);
		expect(result.items[0].json.task_info).toEqual({ external_task_id: body.external_task_id });
	});

	it('sends watermark off and a CFG scale of 0 when chosen', async () => {
		await bed.run({
			parameters: {
				operation: 'create',
				videoId: SOURCE,
				additionalFields: { watermark: false, cfgScale: 0 },
			},
		});
		expect(JSON.parse(bed.apiRequests()[0].body)).toEqual({
			video_id: SOURCE,
			watermark_info: { enabled: false },
			cfg_scale: 0,
			external_task_id: expect.any(String),
		});
	});

	it('creates one task per input item, with values from expressions, paired with its item', async () => {
		const result = await bed.run({
			items: [
				{ video: 'sim-video-5s', idea: 'rain' },
				{ video: 'sim-video-10s', idea: 'snow' },
			],
			parameters: {
				operation: 'create',
				videoId: '={{ $json.video }}',
				prompt: '={{ "Then " + $json.idea + " falls" }}',
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const bodies = bed.apiRequests().map((request) => JSON.parse(request.body));
		expect(bodies).toEqual(
			expect.arrayContaining([
				{
					video_id: 'sim-video-5s',
					prompt: 'Then rain falls',
					external_task_id: expect.any(String),
				},
				{
					video_id: 'sim-video-10s',
					prompt: 'Then snow falls',
					external_task_id: expect.any(String),
				},
			]),
		);
		const [first, second] = bodies.map((body) => String(body.external_task_id));
		expect(first).not.toBe(second);
		expect(first.replace(/-\d+$/, '')).toBe(second.replace(/-\d+$/, ''));
	});

	it('gives a flat item with Simplify', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'create',
				videoId: SOURCE,
				additionalFields: { externalTaskId: 'simple-1' },
				simplify: true,
			},
		});
		expect(result.items[0].json).toMatchObject({
			status: 'submitted',
			externalTaskId: 'simple-1',
			videoId: null,
		});
		expect(result.items[0].json.taskId).toEqual(expect.any(String));
		expect(result.items[0].json.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
	});
});

describe('Get Task (get)', () => {
	async function finishedTask(externalTaskId: string, prompt = 'go'): Promise<string> {
		const created = await bed.run({
			parameters: {
				operation: 'create',
				videoId: SOURCE,
				prompt,
				additionalFields: { externalTaskId, watermark: true },
			},
		});
		const taskId = String(created.items[0].json.task_id);
		await bed.sim.advance(taskId);
		await bed.sim.advance(taskId);
		bed.sim.clearRequests();
		return taskId;
	}

	it('looks a task up by task id and returns Kling’s full task', async () => {
		const taskId = await finishedTask('by-id');
		const result = await bed.run({ parameters: { operation: 'get', taskId } });
		expect(result.error).toBeUndefined();
		expect(bed.apiRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET ${TASKS_PATH}/${taskId}`,
		]);
		expect(result.items[0].json).toEqual(bed.sim.getTask(taskId));
		expect(result.items[0].json).toMatchObject({ task_status: 'succeed' });
	});

	it('looks a task up by external task id', async () => {
		const taskId = await finishedTask('by-external');
		const result = await bed.run({
			parameters: { operation: 'get', lookupBy: 'externalTaskId', externalTaskId: 'by-external' },
		});
		expect(result.items[0].json.task_id).toBe(taskId);
		expect(bed.apiRequests()[0].path).toBe(`${TASKS_PATH}/by-external`);
	});

	it('encodes an id so that it stays one path segment', async () => {
		const odd = 'a/../b?c=d#e f%';
		await finishedTask(odd);
		const result = await bed.run({
			parameters: { operation: 'get', lookupBy: 'externalTaskId', externalTaskId: odd },
		});
		expect(result.error).toBeUndefined();
		expect(bed.apiRequests()[0].path).toBe(`${TASKS_PATH}/${encodeURIComponent(odd)}`);
		expect(result.items[0].json.task_info).toMatchObject({ external_task_id: odd });
	});

	it('simplifies a finished task: ids, URLs, duration as a number, ISO times', async () => {
		const taskId = await finishedTask('simplified');
		const task = bed.sim.getTask(taskId)!;
		const result = await bed.run({ parameters: { operation: 'get', taskId, simplify: true } });
		const video = task.task_result.videos[0];
		expect(result.items[0].json).toEqual({
			taskId,
			status: 'succeeded',
			statusMessage: '',
			externalTaskId: 'simplified',
			parentVideoId: SOURCE,
			parentDuration: 5,
			videoId: video.id,
			url: video.url,
			watermarkUrl: video.watermark_url,
			duration: 9.5,
			cost: { amount: Number(task.final_unit_deduction), unit: 'units' },
			createdAt: new Date(task.created_at).toISOString(),
			updatedAt: new Date(task.updated_at).toISOString(),
		});
	});

	it('returns a failed task as data with its reason: failure is not an error of the request', async () => {
		const taskId = await finishedTask('will-fail', 'simulate-failure please');
		const result = await bed.run({ parameters: { operation: 'get', taskId, simplify: true } });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			status: 'failed',
			statusMessage: expect.stringContaining('simulate-failure'),
			videoId: null,
		});
	});
});

describe('Get Many Tasks (getAll)', () => {
	const pageRequests = () =>
		bed
			.apiRequests()
			.map((request) => [Number(request.query.pageNum), Number(request.query.pageSize)]);

	it('Return All reads every page with the largest page size until a short page: 1,201 tasks', async () => {
		bed.sim.seedTasks(1201);
		const result = await bed.run({
			parameters: { operation: 'getAll', returnAll: true, options: { concurrency: 1 } },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1201);
		expect(new Set(result.items.map((item) => item.json.task_id)).size).toBe(1201);
		expect(pageRequests()).toEqual([
			[1, 500],
			[2, 500],
			[3, 500],
		]);
		const times = result.items.map((item) => Number(item.json.created_at));
		expect([...times].sort((a, b) => b - a)).toEqual(times);
		expect(result.items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(
			true,
		);
	});

	it('Return All with parallel pages keeps the order and asks for at most one wave past the end', async () => {
		bed.sim.seedTasks(2600);
		const result = await bed.run({
			parameters: { operation: 'getAll', returnAll: true, options: { concurrency: 4 } },
		});
		expect(result.items).toHaveLength(2600);
		const times = result.items.map((item) => Number(item.json.created_at));
		expect([...times].sort((a, b) => b - a)).toEqual(times);
		expect(new Set(result.items.map((item) => item.json.task_id)).size).toBe(2600);
		expect(
			pageRequests()
				.map(([page]) => page)
				.sort((a, b) => a - b),
		).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
	});

	it('Return All stops after one request when the first page is short', async () => {
		bed.sim.seedTasks(3);
		const result = await bed.run({
			parameters: { operation: 'getAll', returnAll: true, options: { concurrency: 1 } },
		});
		expect(result.items).toHaveLength(3);
		expect(pageRequests()).toEqual([[1, 500]]);
	});

	it('Return All over an empty account gives no items and no error', async () => {
		const result = await bed.run({ parameters: { operation: 'getAll', returnAll: true } });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(0);
	});

	it('Limit asks for only what it needs: 50 in one page', async () => {
		bed.sim.seedTasks(120);
		const result = await bed.run({ parameters: { operation: 'getAll' } });
		expect(result.items).toHaveLength(50);
		expect(pageRequests()).toEqual([[1, 50]]);
	});

	it('Limit above one page reads just enough pages: 1,201 of 1,500', async () => {
		bed.sim.seedTasks(1500);
		const result = await bed.run({ parameters: { operation: 'getAll', limit: 1201 } });
		expect(result.items).toHaveLength(1201);
		expect(pageRequests()).toEqual([
			[1, 500],
			[2, 500],
			[3, 500],
		]);
	});

	it('simplifies every task of a list', async () => {
		bed.sim.seedTasks(2);
		const result = await bed.run({ parameters: { operation: 'getAll', limit: 5, simplify: true } });
		expect(result.items).toHaveLength(2);
		for (const item of result.items) {
			expect(Object.keys(item.json)).toContain('taskId');
			expect(item.json.duration).toBe(9.5);
		}
	});

	it('the simulator’s source videos are what the tests extend', () => {
		expect(SOURCE_VIDEOS.map((video) => video.id)).toContain(SOURCE);
	});
});
