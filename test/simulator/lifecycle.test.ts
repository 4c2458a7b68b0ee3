import { FAILURE_MESSAGE, type SimulatedTask } from '../../simulator';
import { EXTEND, type Harness, sleep, startSimulator, waitFor } from './helpers';

describe('simulator task life cycle', () => {
	describe('on the clock', () => {
		let h: Harness;

		beforeAll(async () => {
			// Long enough for a read to see each status on a loaded 2-core machine (30 ms was not).
			h = await startSimulator({ timing: { submittedMs: 400, processingMs: 600 } });
		});
		afterAll(() => h.sim.stop());

		async function watch(taskId: string, until: (task: SimulatedTask) => boolean) {
			const seen: SimulatedTask[] = [];
			await waitFor(async () => {
				const task = (await h.api.get(`${EXTEND}/${taskId}`)).data.data as SimulatedTask;
				if (seen.at(-1)?.task_status !== task.task_status) seen.push(task);
				return until(task);
			});
			return seen;
		}

		it('goes submitted -> processing -> succeed with a 4.5 s longer result video', async () => {
			const created = await h.api.post(EXTEND, { video_id: 'sim-video-10s' });
			const seen = await watch(created.data.data.task_id, (t) => t.task_status === 'succeed');
			expect(seen.map((t) => t.task_status)).toEqual(['submitted', 'processing', 'succeed']);
			const done = seen[2];
			expect(done.updated_at).toBeGreaterThan(seen[1].updated_at);
			expect(seen[1].updated_at).toBeGreaterThan(seen[0].updated_at);
			expect(done.created_at).toBe(seen[0].created_at);
			expect(done.final_unit_deduction).toBe('1');
			expect(done.task_status_msg).toBe('');
			expect(done.task_result.videos).toEqual([
				{
					id: expect.stringMatching(/^sim-video-/),
					url: expect.stringMatching(new RegExp(`^${h.url}/videos/sim-video-.+\\.mp4$`)),
					watermark_url: '',
					duration: '14.5',
				},
			]);
			// The result is itself a video that can be extended again.
			const again = await h.api.post(EXTEND, { video_id: done.task_result.videos[0].id });
			expect(again.data.code).toBe(0);
		});

		it('fails when the prompt says simulate-failure, still with code 0', async () => {
			const created = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				prompt: 'please simulate-failure now',
			});
			await watch(created.data.data.task_id, (t) => t.task_status === 'failed');
			const response = await h.api.get(`${EXTEND}/${created.data.data.task_id}`);
			expect(response.status).toBe(200);
			expect(response.data.code).toBe(0);
			expect(response.data.data).toMatchObject({
				task_status: 'failed',
				task_status_msg: FAILURE_MESSAGE,
				task_result: { videos: [] },
				final_unit_deduction: '0',
			});
		});

		it('stays processing forever when the prompt says simulate-stuck', async () => {
			const created = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				prompt: 'simulate-stuck',
			});
			const taskId = created.data.data.task_id;
			await watch(taskId, (t) => t.task_status === 'processing');
			await sleep(200);
			expect(h.sim.getTask(taskId)?.task_status).toBe('processing');
			await h.sim.advance(taskId);
			expect(h.sim.getTask(taskId)?.task_status).toBe('processing');
		});
	});

	describe('simulate-held', () => {
		let h: Harness;

		beforeAll(async () => {
			h = await startSimulator({ timing: { submittedMs: 10, processingMs: 10 } });
		});
		afterAll(() => h.sim.stop());

		it('moves only on advance() when the prompt says simulate-held, whatever the timing', async () => {
			const created = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				prompt: 'simulate-held',
			});
			const taskId = created.data.data.task_id;
			await sleep(100);
			expect(h.sim.getTask(taskId)?.task_status).toBe('submitted');
			await h.sim.advance(taskId);
			await sleep(100);
			expect(h.sim.getTask(taskId)?.task_status).toBe('processing');
			await h.sim.advance(taskId);
			expect(h.sim.getTask(taskId)?.task_status).toBe('succeed');
		});
	});

	describe('manual', () => {
		let h: Harness;

		beforeAll(async () => {
			h = await startSimulator({ timing: 'manual' });
		});
		afterAll(() => h.sim.stop());

		it('moves only on advance()', async () => {
			const created = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				watermark_info: { enabled: true },
			});
			const taskId = created.data.data.task_id;
			await sleep(50);
			expect(h.sim.getTask(taskId)?.task_status).toBe('submitted');

			await h.sim.advance(taskId);
			expect(h.sim.getTask(taskId)?.task_status).toBe('processing');
			await h.sim.advance(taskId);
			const done = h.sim.getTask(taskId)!;
			expect(done.task_status).toBe('succeed');
			const video = done.task_result.videos[0];
			expect(video.watermark_url).toBe(`${h.url}/videos/${video.id}.watermarked.mp4`);

			const updatedAt = done.updated_at;
			await h.sim.advance(taskId);
			expect(h.sim.getTask(taskId)?.updated_at).toBe(updatedAt);
		});

		it('advances seeded tasks and rejects unknown ids', async () => {
			h.sim.seedTasks(1, { status: 'submitted' });
			const [seeded] = (await h.api.get(EXTEND, { params: { pageSize: 1 } })).data.data;
			await h.sim.advance(seeded.task_id);
			await h.sim.advance(seeded.task_id);
			expect(h.sim.getTask(seeded.task_id)?.task_status).toBe('succeed');
			await expect(h.sim.advance('000000000000000000')).rejects.toThrow(/unknown task/);
		});

		it('gives failed tasks the failure message on advance', async () => {
			const created = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				prompt: 'simulate-failure',
			});
			await h.sim.advance(created.data.data.task_id);
			await h.sim.advance(created.data.data.task_id);
			expect(h.sim.getTask(created.data.data.task_id)).toMatchObject({
				task_status: 'failed',
				task_status_msg: FAILURE_MESSAGE,
			});
		});

		it('uses publicUrl for video URLs', async () => {
			const other = await startSimulator({
				timing: 'manual',
				publicUrl: 'https://sim.example.com/',
			});
			try {
				const created = await other.api.post(EXTEND, { video_id: 'sim-video-5s' });
				const task = other.sim.getTask(created.data.data.task_id)!;
				expect(task.task_info.parent_video.url).toBe(
					'https://sim.example.com/videos/sim-video-5s.mp4',
				);
			} finally {
				await other.sim.stop();
			}
		});
	});
});
