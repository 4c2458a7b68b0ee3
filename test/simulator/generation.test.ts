import {
	EXTEND_UNSUPPORTED_MESSAGE,
	FAILURE_MESSAGE,
	KlingSimulator,
	LEGACY_MODELS,
	type SimulatedGenerationTask,
} from '../../simulator';
import {
	EXTEND,
	IMAGE2VIDEO,
	TEXT2VIDEO,
	type Harness,
	type Receiver,
	createdAnswer,
	startSimulator,
	useSimulatorAndReceiver,
	verifyStandardWebhook,
} from './helpers';
import { base64, makePng } from './testImages';

const SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
const IMAGE = base64(makePng(640, 360));

describe('simulator text to video and image to video', () => {
	const context = useSimulatorAndReceiver({ timing: 'manual', webhookSecrets: [SECRET] });
	let h: Harness;
	let receiver: Receiver;
	beforeEach(() => ({ h, receiver } = context));

	const text2video = (body: Record<string, unknown> = {}) =>
		h.api.post(TEXT2VIDEO, { model_name: 'kling-v2-6', prompt: 'A fox in the snow', ...body });
	const image2video = (body: Record<string, unknown> = {}) =>
		h.api.post(IMAGE2VIDEO, { model_name: 'kling-v2-6', image: IMAGE, ...body });

	async function finish(taskId: string) {
		await h.sim.advance(taskId);
		await h.sim.advance(taskId);
		return h.sim.getGenerationTask(taskId)!;
	}

	it.each([
		['text2video', TEXT2VIDEO, text2video],
		['image2video', IMAGE2VIDEO, image2video],
	] as const)(
		'%s: creates, reads back by both ids, and lists under its own path',
		async (kind, path, create) => {
			const created = await create({ external_task_id: `order-${kind}` });
			expect(created.status).toBe(200);
			expect(created.data).toEqual(createdAnswer(`order-${kind}`));
			const taskId: string = created.data.data.task_id;
			const byId = await h.api.get(`${path}/${taskId}`);
			const byExternal = await h.api.get(`${path}/order-${kind}`);
			expect(byExternal.data.data).toEqual(byId.data.data);
			expect(byId.data.data).toEqual({
				task_id: taskId,
				task_status: 'submitted',
				task_status_msg: '',
				task_info: { external_task_id: `order-${kind}` },
				task_result: { videos: [] },
				watermark_info: { enabled: false },
				final_unit_deduction: '0',
				created_at: created.data.data.created_at,
				updated_at: created.data.data.updated_at,
			});
			expect(h.sim.getGenerationTask(taskId)).toEqual(byId.data.data);
			expect(h.sim.getTask(taskId)).toBeUndefined();
			expect(h.sim.getTaskKind(`order-${kind}`)).toBe(kind);

			const listed = await h.api.get(path, { params: { pageNum: 1, pageSize: 10 } });
			expect(listed.data.data.map((t: SimulatedGenerationTask) => t.task_id)).toEqual([taskId]);

			const done = await finish(taskId);
			expect(done.task_status).toBe('succeed');
			expect(done.final_unit_deduction).toBe('1');
			const [video] = done.task_result.videos;
			expect(video).toEqual({
				id: expect.stringMatching(/^sim-video-/),
				url: `${h.url}/videos/${video.id}.mp4`,
				watermark_url: '',
				duration: '5',
			});
			expect(h.sim.getVideo(video.id)).toEqual({
				id: video.id,
				duration: 5,
				model: 'kling-v2-6',
				source: false,
				createdAt: expect.any(Number),
				extendable: false,
			});
			expect((await h.raw.head(video.url)).status).toBe(200);
		},
	);

	it('keeps each kind under its own path: another path answers 1203 and lists it not', async () => {
		const t2v = (await text2video({ external_task_id: 'only-t2v' })).data.data.task_id;
		const i2v = (await image2video()).data.data.task_id;
		const ext = (await h.api.post(EXTEND, { video_id: 'sim-video-5s' })).data.data.task_id;
		const cases: Array<[string, string]> = [
			[IMAGE2VIDEO, t2v],
			[EXTEND, t2v],
			[EXTEND, 'only-t2v'],
			[TEXT2VIDEO, i2v],
			[TEXT2VIDEO, ext],
			[IMAGE2VIDEO, ext],
		];
		for (const [path, id] of cases) {
			const response = await h.api.get(`${path}/${id}`);
			expect([path, id, response.status, response.data.code]).toEqual([path, id, 404, 1203]);
		}
		const ids = async (path: string) =>
			(await h.api.get(path)).data.data.map((t: { task_id: string }) => t.task_id);
		expect(await ids(TEXT2VIDEO)).toEqual([t2v]);
		expect(await ids(IMAGE2VIDEO)).toEqual([i2v]);
		expect(await ids(EXTEND)).toEqual([ext]);
	});

	it('keeps external_task_id unique per account across all three kinds', async () => {
		expect((await text2video({ external_task_id: 'shared' })).data.code).toBe(0);
		for (const again of [
			text2video({ external_task_id: 'shared' }),
			image2video({ external_task_id: 'shared' }),
			h.api.post(EXTEND, { video_id: 'sim-video-5s', external_task_id: 'shared' }),
		]) {
			const response = await again;
			expect(response.status).toBe(400);
			expect(response.data.code).toBe(1201);
			expect(response.data.message).toContain("external_task_id 'shared' already exists");
		}
	});

	it('makes 10 s videos for duration "10" and charges pro 3.5 times std', async () => {
		const taskId = (await text2video({ duration: '10', mode: 'pro' })).data.data.task_id;
		const done = await finish(taskId);
		expect(done.task_result.videos[0].duration).toBe('10');
		expect(done.final_unit_deduction).toBe('7');
	});

	it('refuses to extend what the legacy models make today, and extends the seeded V1.x videos', async () => {
		for (const model of LEGACY_MODELS) {
			const made = await finish((await text2video({ model_name: model })).data.data.task_id);
			const refused = await h.api.post(EXTEND, { video_id: made.task_result.videos[0].id });
			expect([refused.status, refused.data.code, refused.data.message]).toEqual([
				400,
				1201,
				EXTEND_UNSUPPORTED_MESSAGE,
			]);
		}
		for (const videoId of ['sim-video-v2-5s', 'sim-video-v3-5s', 'sim-video-v1-old']) {
			const refused = await h.api.post(EXTEND, { video_id: videoId });
			expect([videoId, refused.status, refused.data.code, refused.data.message]).toEqual([
				videoId,
				400,
				1201,
				EXTEND_UNSUPPORTED_MESSAGE,
			]);
		}
		const extended = await h.api.post(EXTEND, { video_id: 'sim-video-10s' });
		expect(extended.data.code).toBe(0);
		await finish(extended.data.data.task_id);
		const task = h.sim.getTask(extended.data.data.task_id)!;
		expect(task.task_result.videos[0].duration).toBe('14.5');
		// An extension of an extendable video stays extendable.
		const again = await h.api.post(EXTEND, { video_id: task.task_result.videos[0].id });
		expect(again.data.code).toBe(0);
	});

	it('follows the prompt words: simulate-failure, simulate-stuck, simulate-held', async () => {
		const failing = (await text2video({ prompt: 'simulate-failure please' })).data.data.task_id;
		const failed = await finish(failing);
		expect(failed.task_status).toBe('failed');
		expect(failed.task_status_msg).toBe(FAILURE_MESSAGE);
		expect(failed.task_result.videos).toEqual([]);
		expect(failed.final_unit_deduction).toBe('0');

		const stuck = (await image2video({ prompt: 'simulate-stuck' })).data.data.task_id;
		expect((await finish(stuck)).task_status).toBe('processing');
	});

	it('accepts masks of another resolution than the image, and the task then fails', async () => {
		const other = base64(makePng(800, 450));
		const trajectories = [
			{ x: 1, y: 1 },
			{ x: 2, y: 2 },
		];
		const fitting = await image2video({
			static_mask: IMAGE,
			dynamic_masks: [{ mask: IMAGE, trajectories }],
		});
		expect((await finish(fitting.data.data.task_id)).task_status).toBe('succeed');

		const misfit = await image2video({
			dynamic_masks: [
				{ mask: IMAGE, trajectories },
				{ mask: other, trajectories },
			],
		});
		expect(misfit.data.code).toBe(0);
		const failed = await finish(misfit.data.data.task_id);
		expect(failed.task_status).toBe('failed');
		expect(failed.task_status_msg).toBe(
			'Mask does not fit the image: dynamic_masks[1].mask is 800x450, image is 640x360; ' +
				"masks must have the image's resolution",
		);
	});

	it('moves on the timing clock, but not a simulate-held task', async () => {
		const timed = await startSimulator({ timing: { submittedMs: 10, processingMs: 10 } });
		try {
			const post = (prompt: string) =>
				timed.api.post(TEXT2VIDEO, { model_name: 'kling-v2-6', prompt });
			const free = (await post('a river')).data.data.task_id;
			const held = (await post('a river simulate-held')).data.data.task_id;
			const status = (id: string) => timed.sim.getGenerationTask(id)!.task_status;
			const deadline = Date.now() + 3000;
			while (status(free) !== 'succeed' && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			expect(status(free)).toBe('succeed');
			expect(status(held)).toBe('submitted');
			await timed.sim.advance(held);
			await timed.sim.advance(held);
			expect(status(held)).toBe('succeed');
		} finally {
			await timed.sim.stop();
		}
	});

	it('posts flat signed callbacks for each status change', async () => {
		const taskId = (await image2video({ callback_url: receiver.url, external_task_id: 'cb-1' }))
			.data.data.task_id;
		await finish(taskId);
		expect(receiver.received).toHaveLength(3);
		const bodies = receiver.received.map((r) => JSON.parse(r.body) as SimulatedGenerationTask);
		expect(bodies.map((b) => b.task_status)).toEqual(['submitted', 'processing', 'succeed']);
		expect(bodies[2]).toEqual(h.sim.getGenerationTask(taskId));
		expect(bodies[2].task_info).toEqual({ external_task_id: 'cb-1' });
		for (const { headers, body } of receiver.received) {
			expect(verifyStandardWebhook(SECRET, headers, body)).toBe(true);
		}
	});

	it('applies injected faults to the new paths', async () => {
		h.sim.injectFaults({ kind: 'kling-error', code: 5001, match: `POST ${TEXT2VIDEO}` });
		const faulted = await text2video();
		expect([faulted.status, faulted.data.code]).toEqual([503, 5001]);
		expect((await image2video()).data.code).toBe(0);
		expect((await text2video()).data.code).toBe(0);

		h.sim.injectFaults({ kind: 'kling-error', code: 1303, match: IMAGE2VIDEO });
		expect((await h.api.get(IMAGE2VIDEO)).data.code).toBe(1303);
	});

	it('honours the concurrency limit across kinds', async () => {
		const limited = await startSimulator({ timing: 'manual', maxConcurrentTasks: 2 });
		try {
			const body = { model_name: 'kling-v2-6', prompt: 'x', image: IMAGE };
			expect((await limited.api.post(TEXT2VIDEO, body)).data.code).toBe(0);
			expect((await limited.api.post(EXTEND, { video_id: 'sim-video-5s' })).data.code).toBe(0);
			const third = await limited.api.post(IMAGE2VIDEO, body);
			expect([third.status, third.data.code]).toEqual([429, 1303]);
		} finally {
			await limited.sim.stop();
		}
	});

	it("spells success 'succeeded' everywhere with succeedStatus, as Kling's newer API does", async () => {
		const newer = await startSimulator({ timing: 'manual', succeedStatus: 'succeeded' });
		try {
			const taskId = (
				await newer.api.post(TEXT2VIDEO, {
					model_name: 'kling-v2-6',
					prompt: 'x',
					callback_url: receiver.url,
				})
			).data.data.task_id;
			await newer.sim.advance(taskId);
			await newer.sim.advance(taskId);
			const got = await newer.api.get(`${TEXT2VIDEO}/${taskId}`);
			expect(got.data.data.task_status).toBe('succeeded');
			expect((await newer.api.get(TEXT2VIDEO)).data.data[0].task_status).toBe('succeeded');
			expect(JSON.parse(receiver.received[2].body).task_status).toBe('succeeded');
			const extended = await newer.api.post(EXTEND, { video_id: 'sim-video-5s' });
			expect(extended.data.code).toBe(0);
		} finally {
			await newer.sim.stop();
		}
		expect(() => new KlingSimulator({ succeedStatus: 'done' as never })).toThrow(
			"succeedStatus must be 'succeed' or 'succeeded'",
		);
	});

	it('serves generation tasks through the admin routes: get, advance, seed', async () => {
		const taskId = (await text2video({ external_task_id: 'admin-t2v' })).data.data.task_id;
		const got = await h.raw.get('/__sim/tasks/admin-t2v');
		expect(got.data).toEqual(h.sim.getGenerationTask(taskId));
		const advanced = await h.raw.post(`/__sim/tasks/${taskId}/advance`);
		expect(advanced.data.task_status).toBe('processing');
		const seeded = await h.raw.post('/__sim/seed', {
			count: 3,
			kind: 'text2video',
			model: 'kling-v2-6',
		});
		expect(seeded.data).toEqual({ ok: true, count: 3 });
		expect((await h.api.get(TEXT2VIDEO)).data.data).toHaveLength(4);
		const bad = await h.raw.post('/__sim/seed', { count: 1, kind: 'text2image' });
		expect(bad.status).toBe(400);
		expect(bad.data.error).toBe(
			'seed: kind must be one of video-extend, text2video, image2video, text-to-video, image-to-video, omni-video, motion-control',
		);
	});

	it('seeds tasks of a kind for paging', async () => {
		h.sim.seedTasks(120, { kind: 'image2video', model: 'kling-v2-1' });
		const page = await h.api.get(IMAGE2VIDEO, { params: { pageNum: 2, pageSize: 100 } });
		expect(page.data.data).toHaveLength(20);
		const video = page.data.data[0].task_result.videos[0];
		expect(h.sim.getVideo(video.id)?.model).toBe('kling-v2-1');
		expect((await h.api.get(TEXT2VIDEO)).data.data).toEqual([]);
	});
});
