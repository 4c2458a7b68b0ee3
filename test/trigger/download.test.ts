import http from 'node:http';
import type { AddressInfo } from 'node:net';

import axios from 'axios';
import type { IBinaryData } from 'n8n-workflow';

import { useFilesystemBinaryData } from '../harness/webhookHarness';
import { NOWHERE, SECRET, TASKS_PATH, TriggerBed, expectStarted, waitFor } from './setup';

/** A file server that sends its headers and a first chunk, then waits to be released. */
async function startSlowServer() {
	let release: () => void = () => {};
	const released = new Promise<void>((resolve) => (release = resolve));
	const requests: string[] = [];
	const server = http.createServer((req, res) => {
		requests.push(req.url ?? '');
		res.writeHead(200, { 'content-type': 'video/mp4' });
		res.write(Buffer.from('slow-'));
		void released.then(() => res.end(Buffer.from('video')));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/result.mp4`,
		requests,
		release,
		close: async () => {
			release();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

async function bytesOf(url: string): Promise<Buffer> {
	const response = await axios.get<ArrayBuffer>(url, { responseType: 'arraybuffer' });
	return Buffer.from(response.data);
}

const DOWNLOAD = { options: { downloadVideo: true } };

describe('Kling Trigger with Download Video', () => {
	const bed = new TriggerBed({
		simulator: { webhookSecrets: [SECRET], videoBytes: 256 * 1024 },
		credentials: { webhookSecret: SECRET },
	});
	let binaryStore: Awaited<ReturnType<typeof useFilesystemBinaryData>>;
	beforeAll(async () => {
		binaryStore = await useFilesystemBinaryData();
		await bed.start();
	});
	afterAll(() => bed.stop());
	beforeEach(() => bed.reset(DOWNLOAD));

	async function stored(binary: IBinaryData | undefined): Promise<Buffer> {
		expect(binary).toBeDefined();
		return await binaryStore.getAsBuffer(binary as IBinaryData);
	}

	it('streams the result video into n8n’s binary store as binary data "data"', async () => {
		const taskId = await bed.createTask();
		await bed.finish(taskId);
		expectStarted(bed, 1);
		const [item] = bed.harness.runs[0];
		const video = bed.task(taskId).task_result.videos[0];
		expect(item.json).toEqual({ ...bed.task(taskId), taskKind: 'videoExtend' });
		const binary = item.binary?.data as IBinaryData;
		expect(binary).toMatchObject({
			mimeType: 'video/mp4',
			fileName: `${video.id}.mp4`,
			fileExtension: 'mp4',
			bytes: 256 * 1024,
		});
		// Written to disk by the filesystem store, not kept in the item as base64.
		expect(binary.id).toMatch(/^filesystem-v2:/);
		expect(binary.data).toBe('filesystem-v2');
		expect((await stored(binary)).equals(await bytesOf(video.url))).toBe(true);
		// Kling had its 200 before the download; the node answered it itself.
		expect(bed.harness.calls[2].response).toEqual({ received: true });
		expect(bed.harness.calls[2].result?.noWebhookResponse).toBe(true);
	});

	it('takes the watermarked file when asked', async () => {
		await bed.reset({ options: { downloadVideo: true, watermarked: true } });
		const taskId = await bed.createTask({ watermark: true });
		await bed.finish(taskId);
		const [item] = bed.harness.runs[0];
		const video = bed.task(taskId).task_result.videos[0];
		expect(item.binary?.data.fileName).toBe(`${video.id}-watermarked.mp4`);
		const bytes = await stored(item.binary?.data);
		expect(bytes.equals(await bytesOf(video.watermark_url))).toBe(true);
		expect(bytes.equals(await bytesOf(video.url))).toBe(false);
	});

	it('reads watermark_url from Kling when the callback leaves it out', async () => {
		await bed.reset({ options: { downloadVideo: true, watermarked: true } });
		const taskId = await bed.createTask({ watermark: true, callbackUrl: NOWHERE });
		await bed.sim.advance(taskId);
		await bed.sim.advance(taskId);
		const task = bed.task(taskId);
		const video: Record<string, unknown> = { ...task.task_result.videos[0] };
		delete video.watermark_url;
		const delivered = await bed.deliver({ ...task, task_result: { videos: [video] } });
		expect(delivered.status).toBe(200);
		const [item] = bed.harness.runs[0];
		expect(item.json.task_result).toEqual({ videos: [video] });
		const bytes = await stored(item.binary?.data);
		expect(bytes.equals(await bytesOf(task.task_result.videos[0].watermark_url))).toBe(true);
		expect(bed.sim.requests.some((request) => request.path === `${TASKS_PATH}/${taskId}`)).toBe(
			true,
		);
	});

	it('downloads nothing for a failed task, and lets n8n answer', async () => {
		const taskId = await bed.createTask({ prompt: 'simulate-failure' });
		await bed.finish(taskId);
		const [item] = bed.harness.runs[0];
		expect(item.json.task_status).toBe('failed');
		expect(item.binary).toBeUndefined();
		expect(bed.harness.calls[2].result?.noWebhookResponse).toBeUndefined();
		expect(bed.harness.calls[2].response).toEqual({ message: 'Workflow was started' });
	});

	it('answers Kling before the download ends', async () => {
		const slow = await startSlowServer();
		try {
			const taskId = await bed.createTask({ callbackUrl: NOWHERE });
			await bed.sim.advance(taskId);
			await bed.sim.advance(taskId);
			const task = bed.task(taskId);
			const body = {
				...task,
				task_result: { videos: [{ ...task.task_result.videos[0], url: slow.url }] },
			};
			const answer = await bed.sim.deliverCallback(bed.url(), body);
			expect(answer).toEqual({ status: 200, body: '{"received":true}' });
			// The download starts after the answer, and hangs until the file server lets go.
			await waitFor(() => slow.requests.length === 1);
			expect(bed.harness.runs).toHaveLength(0);
			slow.release();
			await bed.harness.settled();
			expectStarted(bed, 1);
			expect((await stored(bed.harness.runs[0][0].binary?.data)).toString()).toBe('slow-video');
		} finally {
			await slow.close();
		}
	});

	it('still starts the run when the download fails, and says why', async () => {
		const taskId = await bed.createTask({ callbackUrl: NOWHERE });
		await bed.sim.advance(taskId);
		await bed.sim.advance(taskId);
		const task = bed.task(taskId);
		const gone = `${bed.sim.url}/videos/deleted-after-30-days.mp4`;
		const delivered = await bed.deliver({
			...task,
			task_result: { videos: [{ ...task.task_result.videos[0], url: gone }] },
		});
		expect(delivered.status).toBe(200);
		const [item] = bed.harness.runs[0];
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toMatch(/^The video could not be downloaded: .*404/);
	});

	it('simplifies the item and keeps the binary data', async () => {
		await bed.reset({ options: { downloadVideo: true, simplify: true } });
		const taskId = await bed.createTask();
		await bed.finish(taskId);
		const [item] = bed.harness.runs[0];
		expect(item.json).toMatchObject({ taskId, status: 'succeeded' });
		expect(item.json).not.toHaveProperty('task_result');
		expect(item.binary?.data.mimeType).toBe('video/mp4');
	});

	it('downloads when Kling’s answer has succeeded, though the late callback said processing', async () => {
		await bed.reset({ ...DOWNLOAD, events: ['processing', 'succeed'], confirmWithKling: true });
		const taskId = await bed.createTask({ callbackUrl: NOWHERE });
		await bed.sim.advance(taskId);
		const processing = bed.task(taskId);
		await bed.sim.advance(taskId);
		const delivered = await bed.deliver(processing);
		expect(delivered.json).toEqual({ received: true });
		const [item] = bed.harness.runs[0];
		expect(item.json).toEqual({ ...bed.task(taskId), taskKind: 'videoExtend' });
		const bytes = await stored(item.binary?.data);
		expect(bytes.equals(await bytesOf(bed.task(taskId).task_result.videos[0].url))).toBe(true);
	});

	describe('on a callback neither signed nor token-checked', () => {
		beforeEach(() => bed.reset(DOWNLOAD, { webhookSecret: '' }));

		it('downloads only from Kling’s own copy of the task, never from the posted URL', async () => {
			const elsewhere = await startSlowServer();
			try {
				const taskId = await bed.createTask({ callbackUrl: NOWHERE });
				await bed.sim.advance(taskId);
				await bed.sim.advance(taskId);
				const task = bed.task(taskId);
				const forged = {
					...task,
					task_result: { videos: [{ ...task.task_result.videos[0], url: elsewhere.url }] },
				};
				const response = await bed.post(JSON.stringify(forged));
				expect(response.status).toBe(200);
				expect(elsewhere.requests).toEqual([]);
				const [item] = bed.harness.runs[0];
				expect(item.json).toEqual({ ...task, taskKind: 'videoExtend' });
				const bytes = await stored(item.binary?.data);
				expect(bytes.equals(await bytesOf(task.task_result.videos[0].url))).toBe(true);

				const unknown = await bed.post(JSON.stringify({ ...forged, task_id: '4242' }));
				expect(unknown.status).toBe(401);
				expect(elsewhere.requests).toEqual([]);
				expectStarted(bed, 1);
			} finally {
				await elsewhere.close();
			}
		});
	});
});
