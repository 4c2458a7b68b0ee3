import {
	DEFAULT_ACCOUNT,
	type SimulatedCurrentTask,
	type SimulatedGenerationTask,
} from '../../simulator';
import {
	EXTEND,
	IMAGE_TO_VIDEO,
	TASKS,
	TEXT2VIDEO,
	TEXT_TO_VIDEO,
	type Harness,
	type Receiver,
	startSimulator,
	useSimulatorAndReceiver,
	verifyStandardWebhook,
} from './helpers';
import { base64, makePng } from './testImages';

const SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
const PNG = base64(makePng(640, 360));
const DAY_MS = 24 * 60 * 60 * 1000;

describe('simulator current generation: reading tasks and callbacks', () => {
	const context = useSimulatorAndReceiver({ timing: 'manual', webhookSecrets: [SECRET] });
	let h: Harness;
	let receiver: Receiver;
	beforeEach(() => ({ h, receiver } = context));

	const t2v = async (options: Record<string, unknown> = {}, prompt = 'A fox') =>
		(await h.apiKey.post(`${TEXT_TO_VIDEO}/kling-3.0-turbo`, { prompt, options })).data.data
			.id as string;
	const ids = (tasks: SimulatedCurrentTask[]) => tasks.map((t) => t.id);
	const getTasks = (query: string) => h.apiKey.get(`${TASKS}?${query}`);
	const listTasks = (body: Record<string, unknown> = {}) => h.apiKey.post(TASKS, body);

	async function finish(id: string) {
		await h.sim.advance(id);
		await h.sim.advance(id);
	}

	describe('GET /tasks', () => {
		it('reads tasks by task_ids or by external_task_ids, in the order asked', async () => {
			const a = await t2v({ external_task_id: 'ext-a' });
			const b = await t2v({ external_task_id: 'ext-b' });
			await finish(b);
			const byIds = await getTasks(`task_ids=${b},${a}`);
			expect(byIds.status).toBe(200);
			expect(byIds.data).toEqual({
				code: 0,
				message: 'SUCCEED',
				request_id: expect.any(String),
				data: [h.sim.getCurrentTask(b), h.sim.getCurrentTask(a)],
			});
			expect(byIds.data.data[0].status).toBe('succeeded');
			const byExternal = await getTasks('external_task_ids=ext-a, ext-b');
			expect(ids(byExternal.data.data)).toEqual([a, b]);
		});

		it('answers unknown ids with 200 and an empty list, and leaves them out of a mix', async () => {
			const a = await t2v();
			const unknown = await getTasks('task_ids=123456789012345678');
			expect([unknown.status, unknown.data.code, unknown.data.data]).toEqual([200, 0, []]);
			expect(ids((await getTasks(`task_ids=nope,${a}`)).data.data)).toEqual([a]);
			expect((await getTasks('external_task_ids=nope')).data.data).toEqual([]);
		});

		it('refuses both parameters, neither, and more than 20 ids with 400/1201', async () => {
			const cases: Array<[string, string]> = [
				['task_ids=1&external_task_ids=2', 'use task_ids or external_task_ids, not both'],
				['', 'task_ids or external_task_ids is required'],
				['task_ids=', 'task_ids or external_task_ids is required'],
				[
					`task_ids=${Array.from({ length: 21 }, (_, i) => i).join(',')}`,
					'task_ids and external_task_ids cannot exceed 20 in total',
				],
				[
					`task_ids=${Array.from({ length: 11 }, (_, i) => i).join(',')}&external_task_ids=${Array.from({ length: 10 }, (_, i) => i).join(',')}`,
					'task_ids and external_task_ids cannot exceed 20 in total',
				],
			];
			for (const [query, message] of cases) {
				const response = await getTasks(query);
				expect([query, response.status, response.data.code]).toEqual([query, 400, 1201]);
				expect(response.data.message).toContain(message);
			}
			const twenty = await getTasks(
				`task_ids=${Array.from({ length: 20 }, (_, i) => i).join(',')}`,
			);
			expect([twenty.status, twenty.data.data]).toEqual([200, []]);
		});

		it('shows legacy tasks too, in the new shape, with succeeded for succeed', async () => {
			const legacy = await h.api.post(TEXT2VIDEO, {
				model_name: 'kling-v2-6',
				prompt: 'x',
				external_task_id: 'legacy-t2v',
				watermark_info: { enabled: true },
			});
			const legacyId = legacy.data.data.task_id;
			const extension = (await h.api.post(EXTEND, { video_id: 'sim-video-5s' })).data.data.task_id;
			await finish(legacyId);
			await finish(extension);
			const legacyTask = h.sim.getGenerationTask(legacyId) as SimulatedGenerationTask;
			const [video] = legacyTask.task_result.videos;
			const read = await getTasks(`task_ids=${legacyId},${extension}`);
			expect(read.data.data[0]).toEqual({
				id: legacyId,
				status: 'succeeded',
				message: '',
				create_time: legacyTask.created_at,
				update_time: legacyTask.updated_at,
				external_id: 'legacy-t2v',
				outputs: [
					{
						type: 'video',
						id: video.id,
						url: video.url,
						watermark_url: video.watermark_url,
						duration: '5',
					},
				],
				billing: [{ charge_type: 'unit', amount: '1', package_type: 'video' }],
			});
			expect(read.data.data[1].outputs[0].duration).toBe('9.5');
			expect(read.data.data[1].outputs[0]).not.toHaveProperty('watermark_url');
			// The legacy endpoint still answers in its own shape.
			expect((await h.api.get(`${TEXT2VIDEO}/${legacyId}`)).data.data.task_status).toBe('succeed');
		});

		it("shows only the caller's account", async () => {
			const other = { accessKey: 'ak-2', secretKey: 'sk-2', apiKey: 'api-2' };
			const two = await startSimulator({ timing: 'manual', accounts: [DEFAULT_ACCOUNT, other] });
			try {
				const mine = (await two.apiKey.post(`${TEXT_TO_VIDEO}/kling-3.0`, { prompt: 'x' })).data
					.data.id;
				const asOther = { headers: { Authorization: 'Bearer api-2' } };
				expect((await two.raw.get(`${TASKS}?task_ids=${mine}`, asOther)).data.data).toEqual([]);
				expect((await two.raw.post(TASKS, {}, asOther)).data.data.result).toEqual([]);
				expect(ids((await two.apiKey.get(`${TASKS}?task_ids=${mine}`)).data.data)).toEqual([mine]);
			} finally {
				await two.sim.stop();
			}
		});
	});

	describe('POST /tasks', () => {
		it('lists the last 30 days newest first, both generations, with the defaults', async () => {
			const first = await t2v();
			const legacy = (await h.api.post(TEXT2VIDEO, { model_name: 'kling-v3', prompt: 'x' })).data
				.data.task_id;
			const last = (
				await h.apiKey.post(`${IMAGE_TO_VIDEO}/kling-3.0`, {
					contents: [{ type: 'first_frame', url: PNG }],
				})
			).data.data.id;
			const response = await listTasks();
			expect(response.status).toBe(200);
			expect(response.data.data).toEqual({
				result: [last, legacy, first].map((id) => h.sim.getCurrentTask(id)),
				count: 3,
				next_cursor: '',
				has_more: false,
			});
		});

		it('takes the range as numbers or strings and refuses a start not before the end', async () => {
			const id = await t2v();
			const created = h.sim.getCurrentTask(id)!.create_time;
			const inside = await listTasks({ start_time: String(created), end_time: created + 1 });
			expect(ids(inside.data.data.result)).toEqual([id]);
			const before = await listTasks({ start_time: created - DAY_MS, end_time: created - 1 });
			expect(before.data.data.result).toEqual([]);
			const defaultStart = await listTasks({ end_time: created + 31 * DAY_MS });
			expect(defaultStart.data.data.result).toEqual([]);
			for (const body of [
				{ start_time: created, end_time: created },
				{ start_time: created + 1, end_time: created },
				{ start_time: 'yesterday' },
				{ end_time: -1 },
			]) {
				const response = await listTasks(body);
				expect([JSON.stringify(body), response.status, response.data.code]).toEqual([
					JSON.stringify(body),
					400,
					1201,
				]);
			}
		});

		it('takes limit from 1 to 500, default 100', async () => {
			h.sim.seedTasks(501, { kind: 'text-to-video' });
			const page = await listTasks();
			expect([page.data.data.count, page.data.data.has_more]).toEqual([100, true]);
			expect((await listTasks({ limit: 500 })).data.data.count).toBe(500);
			expect((await listTasks({ limit: '3' })).data.data.count).toBe(3);
			for (const limit of [0, 501, 2.5, 'many']) {
				const response = await listTasks({ limit });
				expect([limit, response.status, response.data.code]).toEqual([limit, 400, 1201]);
				expect(response.data.message).toContain('limit must be an integer from 1 to 500');
			}
		});

		it('filters on status and product_type', async () => {
			const done = await t2v();
			await finish(done);
			const failed = await t2v({}, 'simulate-failure');
			await finish(failed);
			const waiting = await t2v();
			const filter = (key: string, values: string[]) => listTasks({ filters: [{ key, values }] });
			expect(ids((await filter('status', ['succeeded'])).data.data.result)).toEqual([done]);
			expect(ids((await filter('status', ['failed', 'submitted'])).data.data.result)).toEqual([
				waiting,
				failed,
			]);
			expect((await filter('product_type', ['video'])).data.data.count).toBe(3);
			expect((await filter('product_type', ['image'])).data.data.result).toEqual([]);
			for (const filters of [
				[{ key: 'model', values: ['x'] }],
				[{ key: 'status', values: ['succeed'] }],
				'status',
			]) {
				const response = await listTasks({ filters });
				expect([response.status, response.data.code]).toEqual([400, 1201]);
			}
		});

		it('pages with a stable cursor: tasks created meanwhile do not shift the pages', async () => {
			h.sim.seedTasks(25, { kind: 'image-to-video' });
			const all = ids((await listTasks({ limit: 500 })).data.data.result);
			expect(all).toHaveLength(25);
			const seen: string[] = [];
			let body: Record<string, unknown> = { limit: 10 };
			for (let page = 0; page < 10; page += 1) {
				const response = await listTasks(body);
				expect(response.data.code).toBe(0);
				seen.push(...ids(response.data.data.result));
				// A task created while paging belongs after the range and never shows up.
				await t2v();
				if (!response.data.data.has_more) {
					expect(response.data.data.next_cursor).toBe('');
					break;
				}
				// The cursor wins over any range sent with it.
				body = { cursor: response.data.data.next_cursor, limit: 10, start_time: 1, end_time: 2 };
			}
			expect(seen).toEqual(all);
			const bad = await listTasks({ cursor: 'not-a-cursor' });
			expect([bad.status, bad.data.code]).toEqual([400, 1201]);
		});
	});

	describe('callbacks', () => {
		it('posts the new shape on every status change, signed with Standard Webhooks', async () => {
			const id = await t2v({ callback_url: receiver.url, external_task_id: 'cb-new' });
			await finish(id);
			expect(receiver.received).toHaveLength(3);
			const bodies = receiver.received.map((r) => JSON.parse(r.body) as SimulatedCurrentTask);
			expect(bodies.map((b) => b.status)).toEqual(['submitted', 'processing', 'succeeded']);
			expect(bodies[2]).toEqual(h.sim.getCurrentTask(id));
			expect(bodies[2]).not.toHaveProperty('task_id');
			expect(bodies[2].external_id).toBe('cb-new');
			for (const { headers, body } of receiver.received) {
				expect(headers['webhook-id']).toEqual(expect.any(String));
				expect(verifyStandardWebhook(SECRET, headers, body)).toBe(true);
			}
		});

		it('sends them unsigned without a webhook secret', async () => {
			const plain = await startSimulator({ timing: 'manual' });
			try {
				const id = (
					await plain.apiKey.post(`${TEXT_TO_VIDEO}/kling-2.6`, {
						prompt: 'x',
						options: { callback_url: receiver.url },
					})
				).data.data.id;
				await plain.sim.advance(id);
				expect(receiver.received).toHaveLength(2);
				expect(receiver.received[1].headers).not.toHaveProperty('webhook-signature');
				expect(JSON.parse(receiver.received[1].body).status).toBe('processing');
			} finally {
				await plain.sim.stop();
			}
		});

		it('keeps the legacy shape for legacy tasks', async () => {
			const legacy = await h.api.post(TEXT2VIDEO, {
				model_name: 'kling-v2-5-turbo',
				prompt: 'x',
				callback_url: receiver.url,
			});
			await finish(legacy.data.data.task_id);
			const last = JSON.parse(receiver.received[2].body);
			expect(last.task_status).toBe('succeed');
			expect(last).not.toHaveProperty('status');
		});
	});

	it('serves current tasks through the admin routes in their own shape', async () => {
		const id = await t2v({ external_task_id: 'admin-current' });
		expect((await h.raw.get('/__sim/tasks/admin-current')).data).toEqual(h.sim.getCurrentTask(id));
		const advanced = await h.raw.post(`/__sim/tasks/${id}/advance`);
		expect(advanced.data.status).toBe('processing');
		const seeded = await h.raw.post('/__sim/seed', { count: 2, kind: 'image-to-video' });
		expect(seeded.data).toEqual({ ok: true, count: 2 });
		const listed = (await listTasks()).data.data.result as SimulatedCurrentTask[];
		expect(listed).toHaveLength(3);
		expect(listed[0]).toMatchObject({
			status: 'succeeded',
			outputs: [{ type: 'video', duration: '5.041' }],
		});
		expect(h.sim.getVideo(listed[0].outputs[0].id)).toMatchObject({
			model: 'kling-3.0-turbo',
			extendable: false,
		});
	});
});
