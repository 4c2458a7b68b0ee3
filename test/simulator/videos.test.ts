import type { Readable } from 'stream';

import { SOURCE_VIDEOS } from '../../simulator';
import { EXTEND, startSimulator } from './helpers';

describe('simulator video downloads', () => {
	it('serves deterministic mp4 bytes for source and result videos, watermarked ones different', async () => {
		const h = await startSimulator({ timing: 'manual', videoBytes: 100_000 });
		try {
			const download = async (path: string) => {
				const response = await h.raw.get(path, { responseType: 'arraybuffer' });
				return { response, bytes: Buffer.from(response.data as ArrayBuffer) };
			};
			const plain = await download('/videos/sim-video-5s.mp4');
			expect(plain.response.status).toBe(200);
			expect(plain.response.headers['content-type']).toBe('video/mp4');
			expect(plain.response.headers['content-length']).toBe('100000');
			expect(plain.bytes).toHaveLength(100_000);
			expect(plain.bytes.toString('latin1', 4, 12)).toBe('ftypisom');

			const again = await download('/videos/sim-video-5s.mp4');
			expect(again.bytes.equals(plain.bytes)).toBe(true);
			const watermarked = await download('/videos/sim-video-5s.watermarked.mp4');
			expect(watermarked.bytes).toHaveLength(100_000);
			expect(watermarked.bytes.equals(plain.bytes)).toBe(false);
			const other = await download('/videos/sim-video-10s.mp4');
			expect(other.bytes.equals(plain.bytes)).toBe(false);

			const head = await h.raw.head('/videos/sim-video-10s.watermarked.mp4');
			expect(head.status).toBe(200);
			expect(head.headers['content-length']).toBe('100000');

			for (const video of SOURCE_VIDEOS) {
				expect((await h.raw.head(`/videos/${video.id}.mp4`)).status).toBe(200);
			}

			const created = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				watermark_info: { enabled: true },
			});
			const taskId = created.data.data.task_id;
			await h.sim.advance(taskId);
			await h.sim.advance(taskId);
			const result = h.sim.getTask(taskId)!.task_result.videos[0];
			const resultDownload = await h.raw.get(result.url, { responseType: 'arraybuffer' });
			expect(resultDownload.status).toBe(200);
			expect((await h.raw.get(result.watermark_url, { responseType: 'arraybuffer' })).status).toBe(
				200,
			);
			expect(Buffer.from(resultDownload.data).equals(plain.bytes)).toBe(false);
		} finally {
			await h.sim.stop();
		}
	});

	it('answers 404 for unknown videos, without asking for auth', async () => {
		const h = await startSimulator();
		try {
			for (const path of [
				'/videos/nope.mp4',
				'/videos/nope.watermarked.mp4',
				'/videos/sim-video-5s.mov',
			]) {
				const response = await h.raw.get(path);
				expect(response.status).toBe(404);
				expect(response.data.code).toBe(1203);
			}
		} finally {
			await h.sim.stop();
		}
	});

	it('streams a 200 MB video without holding it in memory', async () => {
		const size = 200 * 1024 * 1024;
		const h = await startSimulator({ videoBytes: size });
		try {
			const head = await h.raw.head('/videos/sim-video-5s.mp4');
			expect(head.headers['content-length']).toBe(String(size));

			const rssBefore = process.memoryUsage().rss;
			let peak = rssBefore;
			const response = await h.raw.get('/videos/sim-video-5s.mp4', { responseType: 'stream' });
			let received = 0;
			let first: Buffer | undefined;
			for await (const chunk of response.data as Readable) {
				first ??= Buffer.from(chunk as Buffer);
				received += (chunk as Buffer).length;
				if (received % (16 * 1024 * 1024) < (chunk as Buffer).length) {
					peak = Math.max(peak, process.memoryUsage().rss);
				}
			}
			expect(received).toBe(size);
			expect(first!.toString('latin1', 4, 8)).toBe('ftyp');
			expect(peak - rssBefore).toBeLessThan(100 * 1024 * 1024);
		} finally {
			await h.sim.stop();
		}
	});
});
