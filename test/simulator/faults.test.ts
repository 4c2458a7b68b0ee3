import { EXTEND, type Harness, startSimulator } from './helpers';

describe('simulator fault injection', () => {
	let h: Harness;

	beforeAll(async () => {
		h = await startSimulator({ timing: 'manual' });
	});
	afterAll(() => h.sim.stop());
	beforeEach(() => h.sim.reset());

	const list = () => h.api.get(EXTEND);

	it.each([
		[1302, 429],
		[1303, 429],
		[5000, 500],
		[5001, 503],
		[5002, 504],
	])('kling-error %i answers HTTP %i once, then requests pass again', async (code, status) => {
		h.sim.injectFaults({ kind: 'kling-error', code });
		const faulted = await list();
		expect(faulted.status).toBe(status);
		expect(faulted.data).toMatchObject({ code, data: null });
		expect(faulted.data.request_id).toEqual(expect.any(String));
		expect(faulted.headers['retry-after']).toBeUndefined();
		expect((await list()).data.code).toBe(0);
	});

	it('adds Retry-After when asked and applies to the next count requests', async () => {
		h.sim.injectFaults({ kind: 'kling-error', code: 1302, retryAfter: 3, count: 2 });
		const answers = [await list(), await list(), await list()];
		expect(answers.map((a) => a.status)).toEqual([429, 429, 200]);
		expect(answers[0].headers['retry-after']).toBe('3');
		expect(answers[1].headers['retry-after']).toBe('3');
	});

	it('applies before authentication', async () => {
		h.sim.injectFaults({ kind: 'kling-error', code: 5001 });
		const response = await h.raw.get(EXTEND);
		expect(response.status).toBe(503);
		expect((await h.raw.get(EXTEND)).data.code).toBe(1001);
	});

	it('applies a rate deterministically until clearFaults()', async () => {
		const run = async () => {
			h.sim.clearFaults();
			h.sim.injectFaults({ kind: 'kling-error', code: 5000, rate: 0.3 });
			const statuses: number[] = [];
			for (let i = 0; i < 100; i += 1) statuses.push((await list()).status);
			return statuses;
		};
		const first = await run();
		const failures = first.filter((s) => s === 500).length;
		expect(failures).toBeGreaterThan(15);
		expect(failures).toBeLessThan(45);
		expect(await run()).toEqual(first);
		h.sim.clearFaults();
		expect((await list()).status).toBe(200);
	});

	it('matches on method and path prefix', async () => {
		h.sim.injectFaults({
			kind: 'kling-error',
			code: 5000,
			match: 'POST /v1/videos/video-extend',
			count: 1,
		});
		expect((await list()).status).toBe(200);
		expect((await h.api.get(`${EXTEND}/nope`)).status).toBe(404);
		expect((await h.api.post(EXTEND, { video_id: 'sim-video-5s' })).status).toBe(500);
		expect((await h.api.post(EXTEND, { video_id: 'sim-video-5s' })).status).toBe(200);
	});

	it('afterHandling: the task is created although the answer is a 5xx', async () => {
		h.sim.injectFaults({ kind: 'kling-error', code: 5002, match: 'POST /v1', afterHandling: true });
		const response = await h.api.post(EXTEND, {
			video_id: 'sim-video-5s',
			external_task_id: 'lost-answer',
		});
		expect(response.status).toBe(504);
		expect(h.sim.getTask('lost-answer')?.task_status).toBe('submitted');
		const retry = await h.api.post(EXTEND, {
			video_id: 'sim-video-5s',
			external_task_id: 'lost-answer',
		});
		expect(retry.data.message).toMatch(/already exists/);
		expect((await list()).data.data).toHaveLength(1);
	});

	it('delay holds the request, then handles it normally', async () => {
		h.sim.injectFaults({ kind: 'delay', ms: 150 });
		const started = Date.now();
		const response = await list();
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(response.data.code).toBe(0);
		const quick = Date.now();
		await list();
		expect(Date.now() - quick).toBeLessThan(100);
	});

	it('malformed answers 200 with truncated JSON', async () => {
		h.sim.injectFaults({ kind: 'malformed' });
		const response = await h.api.get(EXTEND, {
			responseType: 'text',
			transformResponse: [(d) => d],
		});
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('application/json');
		expect(response.data).toMatch(/^\{"code":0/);
		expect(() => JSON.parse(response.data)).toThrow();

		h.sim.injectFaults({ kind: 'malformed', afterHandling: true, match: 'POST' });
		const created = await h.api.post(
			EXTEND,
			{ video_id: 'sim-video-5s', external_task_id: 'half-answer' },
			{ responseType: 'text', transformResponse: [(d) => d] },
		);
		expect(() => JSON.parse(created.data)).toThrow();
		expect(h.sim.getTask('half-answer')).toBeDefined();
	});

	it('html answers a proxy error page, 502 by default', async () => {
		h.sim.injectFaults({ kind: 'html' });
		h.sim.injectFaults({ kind: 'html', status: 504 });
		const first = await list();
		expect(first.status).toBe(502);
		expect(first.headers['content-type']).toBe('text/html');
		expect(first.data).toMatch(/<title>502 Bad Gateway<\/title>/);
		const second = await list();
		expect(second.status).toBe(504);
		expect(second.data).toMatch(/504 Gateway Timeout/);
	});

	it('reset destroys the connection without an answer', async () => {
		h.sim.injectFaults({ kind: 'reset' });
		await expect(list()).rejects.toMatchObject({
			code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/),
		});
		expect((await list()).status).toBe(200);
	});

	it('reset afterHandling still creates the task', async () => {
		h.sim.injectFaults({
			kind: 'reset',
			afterHandling: true,
			match: 'POST /v1/videos/video-extend',
		});
		await expect(
			h.api.post(EXTEND, { video_id: 'sim-video-5s', external_task_id: 'cut' }),
		).rejects.toThrow();
		expect(h.sim.getTask('cut')).toBeDefined();
	});

	it('leaves video downloads and admin routes alone', async () => {
		h.sim.injectFaults({ kind: 'kling-error', code: 5000, match: '/', rate: 1 });
		expect((await h.raw.head('/videos/sim-video-5s.mp4')).status).toBe(200);
		expect((await h.raw.get('/__sim/faults')).status).toBe(200);
		expect((await list()).status).toBe(500);
	});

	it('refuses malformed fault specs', () => {
		expect(() => h.sim.injectFaults({ kind: 'boom' } as never)).toThrow(/kind/);
		expect(() => h.sim.injectFaults({ kind: 'kling-error', rate: 2 })).toThrow(/rate/);
	});
});
