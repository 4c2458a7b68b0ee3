import { EXTENDABLE_MODELS, EXTENDABLE_VIDEO_IDS, SOURCE_VIDEOS } from '../../simulator';
import { EXTEND, type Harness, createdAnswer, startSimulator } from './helpers';

describe('simulator create, get and list', () => {
	let h: Harness;

	beforeAll(async () => {
		h = await startSimulator({ timing: 'manual' });
	});
	afterAll(() => h.sim.stop());
	beforeEach(() => h.sim.reset());

	const create = (body: unknown) => h.api.post(EXTEND, body);

	describe('create', () => {
		it('creates a submitted task and answers the documented shape', async () => {
			const before = Date.now();
			const response = await create({
				video_id: 'sim-video-5s',
				prompt: 'A puppy appears',
				negative_prompt: '',
				callback_url: '',
				external_task_id: 'order-1',
			});
			expect(response.status).toBe(200);
			expect(response.data).toEqual(createdAnswer('order-1'));
			expect(response.data.data.created_at).toBeGreaterThanOrEqual(before);
			expect(response.data.data.updated_at).toBe(response.data.data.created_at);
		});

		it('gives unique task ids and request ids', async () => {
			const responses = await Promise.all(
				Array.from({ length: 50 }, () => create({ video_id: 'sim-video-10s' })),
			);
			expect(new Set(responses.map((r) => r.data.data.task_id)).size).toBe(50);
			expect(new Set(responses.map((r) => r.data.request_id)).size).toBe(50);
		});

		it('reads the task back by task_id and by external_task_id', async () => {
			const externalId = 'order #2/ä';
			const created = await create({
				video_id: 'sim-video-10s',
				external_task_id: externalId,
				watermark_info: { enabled: true },
			});
			const taskId = created.data.data.task_id;
			const byId = await h.api.get(`${EXTEND}/${taskId}`);
			const byExternal = await h.api.get(`${EXTEND}/${encodeURIComponent(externalId)}`);
			expect(byId.data.code).toBe(0);
			expect(byExternal.data.data).toEqual(byId.data.data);
			expect(byId.data.data).toEqual({
				task_id: taskId,
				task_status: 'submitted',
				task_status_msg: '',
				task_info: {
					parent_video: {
						id: 'sim-video-10s',
						url: `${h.url}/videos/sim-video-10s.mp4`,
						duration: '10',
					},
					external_task_id: externalId,
				},
				task_result: { videos: [] },
				watermark_info: { enabled: true },
				final_unit_deduction: '0',
				created_at: created.data.data.created_at,
				updated_at: created.data.data.updated_at,
			});
			expect(h.sim.getTask(taskId)).toEqual(byId.data.data);
			expect(h.sim.getTask(externalId)).toEqual(byId.data.data);
		});

		it('answers 1203 (404) "task not found" for unknown ids', async () => {
			const response = await h.api.get(`${EXTEND}/123456789012345678`);
			expect(response.status).toBe(404);
			expect(response.data.code).toBe(1203);
			expect(response.data.message).toMatch(/task not found/);
		});

		it('refuses a duplicate external_task_id of the same account', async () => {
			expect((await create({ video_id: 'sim-video-5s', external_task_id: 'dup' })).data.code).toBe(
				0,
			);
			const again = await create({ video_id: 'sim-video-5s', external_task_id: 'dup' });
			expect(again.status).toBe(400);
			expect(again.data.code).toBe(1201);
			expect(again.data.message).toMatch(/external_task_id.*already exists/);
		});

		it('answers 1203 (404) for an unknown video', async () => {
			const response = await create({ video_id: 'no-such-video' });
			expect(response.status).toBe(404);
			expect(response.data.code).toBe(1203);
			expect(response.data.message).toMatch(/no-such-video/);
		});

		it('refuses an extension past 180 s and allows one that stays within 180 s', async () => {
			const refused = await create({ video_id: 'sim-video-176s' });
			expect(refused.status).toBe(400);
			expect(refused.data.code).toBe(1201);
			expect(refused.data.message).toMatch(/180/);

			const allowed = await create({ video_id: 'sim-video-175s' });
			expect(allowed.data.code).toBe(0);
			await h.sim.advance(allowed.data.data.task_id);
			await h.sim.advance(allowed.data.data.task_id);
			const result = h.sim.getTask(allowed.data.data.task_id)!.task_result.videos[0];
			expect(result.duration).toBe('179.5');
			expect((await create({ video_id: result.id })).data.code).toBe(1201);
		});

		it('answers 1303 (429) over maxConcurrentTasks, counting only unfinished tasks', async () => {
			const limited = await startSimulator({ timing: 'manual', maxConcurrentTasks: 2 });
			try {
				const first = await limited.api.post(EXTEND, { video_id: 'sim-video-5s' });
				await limited.api.post(EXTEND, { video_id: 'sim-video-5s' });
				const third = await limited.api.post(EXTEND, { video_id: 'sim-video-5s' });
				expect(third.status).toBe(429);
				expect(third.data.code).toBe(1303);
				await limited.sim.advance(first.data.data.task_id);
				await limited.sim.advance(first.data.data.task_id);
				expect((await limited.api.post(EXTEND, { video_id: 'sim-video-5s' })).data.code).toBe(0);
			} finally {
				await limited.sim.stop();
			}
		});
	});

	describe('validation', () => {
		const long = 'x'.repeat(2501);
		const cases: Array<[string, Record<string, unknown>, RegExp]> = [
			['missing video_id', {}, /video_id/],
			['empty video_id', { video_id: '' }, /video_id/],
			['numeric video_id', { video_id: 42 }, /video_id/],
			['long prompt', { video_id: 'sim-video-5s', prompt: long }, /prompt.*2500/],
			['prompt not a string', { video_id: 'sim-video-5s', prompt: 5 }, /prompt.*2500/],
			[
				'long negative_prompt',
				{ video_id: 'sim-video-5s', negative_prompt: long },
				/negative_prompt.*2500/,
			],
			['cfg_scale above 1', { video_id: 'sim-video-5s', cfg_scale: 1.5 }, /cfg_scale.*\[0, 1\]/],
			['cfg_scale below 0', { video_id: 'sim-video-5s', cfg_scale: -0.1 }, /cfg_scale.*\[0, 1\]/],
			['cfg_scale as text', { video_id: 'sim-video-5s', cfg_scale: '0.5' }, /cfg_scale/],
			[
				'watermark_info not an object',
				{ video_id: 'sim-video-5s', watermark_info: true },
				/watermark_info/,
			],
			[
				'watermark_info.enabled not boolean',
				{ video_id: 'sim-video-5s', watermark_info: { enabled: 'yes' } },
				/watermark_info.*enabled/,
			],
			[
				'callback_url not a URL',
				{ video_id: 'sim-video-5s', callback_url: 'not a url' },
				/callback_url/,
			],
			[
				'callback_url not http',
				{ video_id: 'sim-video-5s', callback_url: 'ftp://example.com/x' },
				/callback_url.*http/,
			],
			[
				'external_task_id not a string',
				{ video_id: 'sim-video-5s', external_task_id: 7 },
				/external_task_id/,
			],
		];

		it.each(cases)('answers 1201 (400) naming the field: %s', async (_name, body, message) => {
			const response = await create(body);
			expect(response.status).toBe(400);
			expect(response.data.code).toBe(1201);
			expect(response.data.message).toMatch(message);
		});

		it('accepts values at the limits', async () => {
			const response = await create({
				video_id: 'sim-video-5s',
				prompt: 'x'.repeat(2500),
				negative_prompt: 'y'.repeat(2500),
				cfg_scale: 1,
				watermark_info: { enabled: false },
				callback_url: 'https://example.com/hook',
			});
			expect(response.data.code).toBe(0);
		});

		it('answers 1200 (400) for a body that is not JSON', async () => {
			const response = await h.api.post(EXTEND, '{"video_id": ', {
				headers: { 'Content-Type': 'application/json' },
				transformRequest: [(data) => data],
			});
			expect(response.status).toBe(400);
			expect(response.data.code).toBe(1200);
		});
	});

	describe('list', () => {
		it('lists newest first with the full task objects', async () => {
			const ids: string[] = [];
			for (const video of ['sim-video-5s', 'sim-video-10s', 'sim-video-5s']) {
				ids.push((await create({ video_id: video })).data.data.task_id);
			}
			const response = await h.api.get(EXTEND);
			expect(response.data.code).toBe(0);
			expect(response.data.data.map((t: { task_id: string }) => t.task_id)).toEqual(ids.reverse());
			expect(response.data.data[0]).toEqual(h.sim.getTask(ids[0]));
		});

		it('pages over 1,201 seeded tasks with pageSize 500 and defaults to 30 per page', async () => {
			h.sim.seedTasks(1201);
			const page = async (pageNum: number, pageSize: number) =>
				(await h.api.get(EXTEND, { params: { pageNum, pageSize } })).data.data as Array<{
					task_id: string;
					created_at: number;
					task_status: string;
				}>;
			const pages = [
				await page(1, 500),
				await page(2, 500),
				await page(3, 500),
				await page(4, 500),
			];
			expect(pages.map((p) => p.length)).toEqual([500, 500, 201, 0]);
			const all = pages.flat();
			expect(new Set(all.map((t) => t.task_id)).size).toBe(1201);
			for (let i = 1; i < all.length; i += 1) {
				const [newer, older] = [all[i - 1], all[i]];
				expect(
					newer.created_at > older.created_at ||
						(newer.created_at === older.created_at && newer.task_id > older.task_id),
				).toBe(true);
			}
			expect(all.every((t) => t.task_status === 'succeed')).toBe(true);
			expect((await h.api.get(EXTEND)).data.data).toHaveLength(30);
		});

		it.each([
			['pageNum', '0', /pageNum.*\[1, 1000\]/],
			['pageNum', '1001', /pageNum.*\[1, 1000\]/],
			['pageNum', 'abc', /pageNum/],
			['pageNum', '1.5', /pageNum/],
			['pageSize', '0', /pageSize.*\[1, 500\]/],
			['pageSize', '501', /pageSize.*\[1, 500\]/],
		])('answers 1201 for %s=%s', async (name, value, message) => {
			const response = await h.api.get(`${EXTEND}?${name}=${value}`);
			expect(response.status).toBe(400);
			expect(response.data.code).toBe(1201);
			expect(response.data.message).toMatch(message);
		});

		it('stays fast over 100,000 seeded tasks', async () => {
			h.sim.seedTasks(100_000, { status: 'processing', parentVideoId: 'sim-video-10s' });
			const started = Date.now();
			const responses = await Promise.all(
				[1, 2, 200, 1000].map((pageNum) =>
					h.api.get(EXTEND, { params: { pageNum, pageSize: 100 } }),
				),
			);
			expect(Date.now() - started).toBeLessThan(1000);
			expect(responses.map((r) => r.data.data.length)).toEqual([100, 100, 100, 100]);
			expect(responses[3].data.data[99].task_info.parent_video.id).toBe('sim-video-10s');
		});
	});

	it('keeps the source videos across reset', async () => {
		h.sim.reset();
		const extendable = SOURCE_VIDEOS.filter(
			(v) => v.duration + 5 <= 180 && EXTENDABLE_MODELS.includes(v.model) && v.madeDaysAgo <= 30,
		);
		expect(extendable.map((v) => v.id)).toEqual(EXTENDABLE_VIDEO_IDS);
		for (const video of extendable) {
			expect((await create({ video_id: video.id })).data.code).toBe(0);
		}
	});

	it('answers 1202 (404) for unknown routes and methods', async () => {
		for (const [method, path] of [
			['GET', '/v1/images/generations'],
			['DELETE', '/v1/videos/text2video'],
			['GET', '/v1/videos/image2video/a/b'],
			['DELETE', EXTEND],
			['PUT', `${EXTEND}/123`],
			['GET', `${EXTEND}/a/b`],
		]) {
			const response = await h.api.request({ method, url: path });
			expect([method, path, response.status, response.data.code]).toEqual([
				method,
				path,
				404,
				1202,
			]);
		}
		const root = await h.raw.get('/');
		expect(root.status).toBe(404);
		expect(root.data.code).toBe(1202);
	});
});
