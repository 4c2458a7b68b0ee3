import axios from 'axios';
import http from 'http';

import { DEFAULT_ACCOUNT, KlingSimulator } from '../../simulator';
import { EXTEND, makeToken, startReceiver, startSimulator } from './helpers';

describe('simulator server', () => {
	it('records every request with method, path, query, headers, body and time', async () => {
		const h = await startSimulator();
		try {
			const before = Date.now();
			await h.api.post(`${EXTEND}?x=1&x=2`, { video_id: 'sim-video-5s' });
			await h.raw.head('/videos/sim-video-5s.mp4');
			expect(h.sim.requests).toEqual([
				{
					method: 'POST',
					path: EXTEND,
					query: { x: '1' },
					headers: expect.objectContaining({ authorization: expect.stringMatching(/^Bearer /) }),
					body: '{"video_id":"sim-video-5s"}',
					at: expect.any(Number),
				},
				expect.objectContaining({ method: 'HEAD', path: '/videos/sim-video-5s.mp4', body: '' }),
			]);
			expect(h.sim.requests[0].at).toBeGreaterThanOrEqual(before);
			h.sim.clearRequests();
			expect(h.sim.requests).toEqual([]);
		} finally {
			await h.sim.stop();
		}
	});

	it('records nothing when recordRequests is false, and logs one line per request', async () => {
		const lines: string[] = [];
		const h = await startSimulator({ recordRequests: false, log: (line) => lines.push(line) });
		try {
			await h.api.get(EXTEND);
			await h.raw.get(EXTEND);
			expect(h.sim.requests).toEqual([]);
			expect(lines).toEqual([`GET ${EXTEND} 200 0`, `GET ${EXTEND} 401 1001`]);
		} finally {
			await h.sim.stop();
		}
	});

	it('keeps connections alive and copes with 1,000 concurrent requests', async () => {
		const h = await startSimulator();
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const first = await h.api.get(EXTEND, { httpAgent: agent });
			const second = await h.api.get(EXTEND, { httpAgent: agent });
			expect(first.status).toBe(200);
			expect(second.request.reusedSocket).toBe(true);

			const responses = await Promise.all(
				Array.from({ length: 1000 }, (_, i) =>
					i % 2 === 0 ? h.api.get(EXTEND) : h.api.post(EXTEND, { video_id: 'sim-video-5s' }),
				),
			);
			expect(responses.filter((r) => r.data.code === 0)).toHaveLength(1000);
		} finally {
			agent.destroy();
			await h.sim.stop();
		}
	});

	it('stop() closes everything, is idempotent and cuts pending work short', async () => {
		const receiver = await startReceiver();
		receiver.behave(200, 5000);
		const sim = new KlingSimulator({ timing: { submittedMs: 10_000, processingMs: 10_000 } });
		const url = await sim.start();
		expect(await sim.start()).toBe(url);
		const api = axios.create({
			baseURL: url,
			validateStatus: () => true,
			headers: { Authorization: `Bearer ${DEFAULT_ACCOUNT.apiKey}` },
		});
		await api.post(EXTEND, { video_id: 'sim-video-5s', callback_url: receiver.url });
		sim.injectFaults({ kind: 'delay', ms: 10_000 });
		const held = api.get(EXTEND).then(
			(r) => r.status,
			(e: Error) => e.message,
		);
		await new Promise((resolve) => setTimeout(resolve, 50));

		const started = Date.now();
		await Promise.all([sim.stop(), sim.stop()]);
		await sim.stop();
		expect(Date.now() - started).toBeLessThan(1000);
		expect(await held).not.toBe(200);
		await expect(axios.get(`${url}${EXTEND}`, { timeout: 1000 })).rejects.toMatchObject({
			code: 'ECONNREFUSED',
		});
		await expect(sim.start()).rejects.toThrow(/stopped/);
		await receiver.close();
	});

	it('stop() before start() is harmless, and url is empty until start', async () => {
		const sim = new KlingSimulator();
		expect(sim.url).toBe('');
		await sim.stop();
	});

	it('listens on the requested host and port', async () => {
		const probe = http.createServer();
		await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
		const port = (probe.address() as { port: number }).port;
		await new Promise((resolve) => probe.close(resolve));

		const sim = new KlingSimulator({ port, host: '127.0.0.1' });
		try {
			expect(await sim.start()).toBe(`http://127.0.0.1:${port}`);
			const response = await axios.get(`${sim.url}${EXTEND}`, {
				headers: { Authorization: `Bearer ${makeToken()}` },
			});
			expect(response.data.code).toBe(0);
		} finally {
			await sim.stop();
		}
	});
});
