import { type SimulatedTask, signWebhook } from '../../simulator';
import {
	EXTEND,
	type Receiver,
	TEST_VECTOR,
	startReceiver,
	startSimulator,
	verifyStandardWebhook,
	waitFor,
} from './helpers';

const SECRET_A = `whsec_${Buffer.from('first secret for the simulator!!').toString('base64')}`;
const SECRET_B = `whsec_${Buffer.from('second secret, after rotation').toString('base64')}`;

describe('simulator callbacks', () => {
	let receiver: Receiver;

	beforeEach(async () => {
		receiver = await startReceiver();
	});
	afterEach(() => receiver.close());

	it('signWebhook reproduces Kling’s test vector', () => {
		expect(
			signWebhook(TEST_VECTOR.secret, TEST_VECTOR.id, TEST_VECTOR.timestamp, TEST_VECTOR.body),
		).toBe(TEST_VECTOR.signature);
	});

	it('posts the flat task object on creation and each status change, in order, unsigned by default', async () => {
		const h = await startSimulator({ timing: { submittedMs: 20, processingMs: 40 } });
		try {
			const created = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				callback_url: receiver.url,
				external_task_id: 'cb-1',
			});
			const taskId = created.data.data.task_id;
			await waitFor(() => receiver.received.length >= 3, 3000, 'three callbacks');
			const bodies = receiver.received.map((r) => JSON.parse(r.body) as SimulatedTask);
			expect(bodies.map((b) => b.task_status)).toEqual(['submitted', 'processing', 'succeed']);
			expect(bodies.every((b) => b.task_id === taskId)).toBe(true);
			expect(bodies[2]).toEqual((await h.api.get(`${EXTEND}/${taskId}`)).data.data);
			expect(bodies[0]).toEqual({
				task_id: taskId,
				task_status: 'submitted',
				task_status_msg: '',
				task_info: {
					parent_video: { id: 'sim-video-5s', url: expect.any(String), duration: '5' },
					external_task_id: 'cb-1',
				},
				task_result: { videos: [] },
				watermark_info: { enabled: false },
				final_unit_deduction: '0',
				created_at: created.data.data.created_at,
				updated_at: created.data.data.updated_at,
			});
			for (const { headers } of receiver.received) {
				expect(headers['content-type']).toBe('application/json; charset=utf-8');
				expect(headers['webhook-id']).toBeUndefined();
				expect(headers['webhook-signature']).toBeUndefined();
			}
			expect(h.sim.callbacks.map((c) => [c.url, c.status, c.error])).toEqual([
				[receiver.url, 200, undefined],
				[receiver.url, 200, undefined],
				[receiver.url, 200, undefined],
			]);
			expect(h.sim.callbacks.map((c) => c.body)).toEqual(receiver.received.map((r) => r.body));
		} finally {
			await h.sim.stop();
		}
	});

	it('signs with Standard Webhooks headers when a secret is configured', async () => {
		const h = await startSimulator({ timing: 'manual', webhookSecrets: [SECRET_A] });
		try {
			const created = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				callback_url: receiver.url,
			});
			await h.sim.advance(created.data.data.task_id);
			await h.sim.advance(created.data.data.task_id);
			expect(receiver.received).toHaveLength(3);
			const now = Math.floor(Date.now() / 1000);
			for (const { headers, body } of receiver.received) {
				expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
				expect(Math.abs(Number(headers['webhook-timestamp']) - now)).toBeLessThanOrEqual(5);
				expect(verifyStandardWebhook(SECRET_A, headers, body)).toBe(true);
				expect(verifyStandardWebhook(SECRET_B, headers, body)).toBe(false);
				expect(verifyStandardWebhook(SECRET_A, headers, `${body} `)).toBe(false);
			}
			const ids = receiver.received.map((r) => r.headers['webhook-id']);
			expect(new Set(ids).size).toBe(3);
		} finally {
			await h.sim.stop();
		}
	});

	it('sends one signature per secret while a secret is rotated', async () => {
		const h = await startSimulator({ timing: 'manual', webhookSecrets: [SECRET_A, SECRET_B] });
		try {
			await h.api.post(EXTEND, { video_id: 'sim-video-5s', callback_url: receiver.url });
			await waitFor(() => receiver.received.length === 1);
			const { headers, body } = receiver.received[0];
			const signatures = String(headers['webhook-signature']).split(' ');
			expect(signatures).toHaveLength(2);
			expect(
				verifyStandardWebhook(SECRET_A, { ...headers, 'webhook-signature': signatures[0] }, body),
			).toBe(true);
			expect(
				verifyStandardWebhook(SECRET_B, { ...headers, 'webhook-signature': signatures[1] }, body),
			).toBe(true);
		} finally {
			await h.sim.stop();
		}
	});

	it('deliverCallback sends one callback, signed as asked, and reports the answer', async () => {
		const h = await startSimulator({ webhookSecrets: [SECRET_A] });
		try {
			const answer = await h.sim.deliverCallback(receiver.url, TEST_VECTOR.body, {
				secrets: [TEST_VECTOR.secret],
				webhookId: TEST_VECTOR.id,
				timestamp: TEST_VECTOR.timestamp,
			});
			expect(answer).toEqual({ status: 200, body: 'received' });
			expect(receiver.received[0].body).toBe(TEST_VECTOR.body);
			expect(receiver.received[0].headers).toMatchObject({
				'webhook-id': TEST_VECTOR.id,
				'webhook-timestamp': String(TEST_VECTOR.timestamp),
				'webhook-signature': TEST_VECTOR.signature,
			});

			await h.sim.deliverCallback(receiver.url, { task_id: '1' });
			expect(receiver.received[1].body).toBe('{"task_id":"1"}');
			expect(
				verifyStandardWebhook(SECRET_A, receiver.received[1].headers, receiver.received[1].body),
			).toBe(true);

			await h.sim.deliverCallback(
				receiver.url,
				{ task_id: '2' },
				{ secrets: [], headers: { 'x-extra': 'yes' } },
			);
			expect(receiver.received[2].headers['webhook-signature']).toBeUndefined();
			expect(receiver.received[2].headers['x-extra']).toBe('yes');
			expect(h.sim.callbacks).toHaveLength(3);
		} finally {
			await h.sim.stop();
		}
	});

	it('records failed deliveries without retrying or crashing', async () => {
		const h = await startSimulator({ timing: 'manual' });
		try {
			receiver.behave(500);
			const created = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				callback_url: receiver.url,
			});
			await h.sim.advance(created.data.data.task_id);
			expect(receiver.received).toHaveLength(2);
			expect(h.sim.callbacks.map((c) => [c.status, c.error])).toEqual([
				[500, 'receiver answered HTTP 500'],
				[500, 'receiver answered HTTP 500'],
			]);

			const gone = await startReceiver();
			await gone.close();
			const unreachable = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				callback_url: gone.url,
			});
			await h.sim.advance(unreachable.data.data.task_id);
			const failures = h.sim.callbacks.filter((c) => c.url === gone.url);
			expect(failures).toHaveLength(2);
			expect(
				failures.every((c) => c.status === undefined && /ECONNREFUSED/.test(c.error ?? '')),
			).toBe(true);
			await expect(h.sim.deliverCallback(gone.url, {})).rejects.toThrow(/ECONNREFUSED/);
			expect((await h.api.get(`${EXTEND}/${unreachable.data.data.task_id}`)).data.code).toBe(0);
		} finally {
			await h.sim.stop();
		}
	});

	it('answers the API at once while a slow receiver holds the callback, and keeps order', async () => {
		const h = await startSimulator({ timing: { submittedMs: 10, processingMs: 10 } });
		try {
			receiver.behave(200, 150);
			const started = Date.now();
			const created = await h.api.post(EXTEND, {
				video_id: 'sim-video-5s',
				callback_url: receiver.url,
			});
			expect(Date.now() - started).toBeLessThan(100);
			await waitFor(() => h.sim.callbacks.length === 3, 3000, 'three deliveries');
			expect(receiver.received.map((r) => JSON.parse(r.body).task_status)).toEqual([
				'submitted',
				'processing',
				'succeed',
			]);
			// Each delivery waited for the previous answer: they are at least the delay apart.
			const times = receiver.received.map((r) => r.at);
			expect(times[1] - times[0]).toBeGreaterThanOrEqual(140);
			expect(times[2] - times[1]).toBeGreaterThanOrEqual(140);
			expect(h.sim.getTask(created.data.data.task_id)?.task_status).toBe('succeed');
		} finally {
			await h.sim.stop();
		}
	});
});
