import { LOOKUP_TIMING } from '../../nodes/KlingTrigger/klingLookup';
import { expectNoSecrets } from '../harness/kling';
import { useFilesystemBinaryData } from '../harness/webhookHarness';
import { NOWHERE, OTHER_SECRET, SECRET, TOKEN, TriggerBed } from './setup';

const PARAMETERS = {
	events: ['submitted', 'processing', 'succeeded', 'failed'],
	tokenCheck: true,
	token: TOKEN,
	confirmWithKling: true,
	options: { downloadVideo: true },
};

describe('no secret leaves the Kling Trigger', () => {
	const bed = new TriggerBed({
		simulator: { webhookSecrets: [SECRET] },
		credentials: { webhookSecret: SECRET, apiKey: 'sim-api-key' },
	});
	const timing = { ...LOOKUP_TIMING };
	beforeAll(async () => {
		Object.assign(LOOKUP_TIMING, { firstRetryDelayMs: 10, catchUpDelayMs: 10 });
		await useFilesystemBinaryData();
		await bed.start();
		await bed.reset(PARAMETERS);
	});
	afterAll(async () => {
		Object.assign(LOOKUP_TIMING, timing);
		await bed.stop();
	});

	it('in outputs, answers and errors, accepted or refused', async () => {
		const withToken = `?token=${TOKEN}`;
		const taskId = await bed.createTask({ callbackUrl: bed.url(withToken) });
		await bed.finish(taskId);
		const other = await bed.createTask({ callbackUrl: NOWHERE });
		const body = JSON.stringify(bed.task(other));

		await bed.deliver(body, { query: '?token=wrong' });
		await bed.deliver(body, { query: withToken, secrets: [] });
		await bed.deliver(body, { query: withToken, secrets: [OTHER_SECRET] });
		await bed.deliver(body, { query: withToken, timestamp: 1 });
		await bed.deliver('["not", "an object"]', { query: withToken });
		await bed.deliver({ ...bed.task(other), task_id: '31337' }, { query: withToken });
		await bed.deliver(`{"task_id":"x","pad":"${'x'.repeat(1024 * 1024)}"}`, { query: withToken });
		bed.harness.credentials.secretKey = 'not-the-secret-key';
		await bed.deliver(body, { query: withToken });
		bed.harness.credentials.baseUrl = 'http://127.0.0.1:9';
		await bed.deliver(body, { query: withToken });

		const calls = bed.harness.calls;
		expect(calls.map((call) => call.status)).toEqual([
			200, 200, 200, 401, 401, 401, 401, 400, 401, 413, 500, 500,
		]);
		expect(bed.harness.runs).toHaveLength(3);
		expect(bed.harness.runs[2][0].binary?.data).toBeDefined();

		const seen = JSON.stringify(
			calls.map((call) => ({
				response: call.response,
				items: call.items,
				error: call.error && {
					message: call.error.message,
					description: (call.error as { description?: unknown }).description,
					context: (call.error as { context?: unknown }).context,
					cause: (call.error as { cause?: unknown }).cause,
				},
			})),
		);
		const secrets = bed.secrets([
			SECRET.slice('whsec_'.length),
			OTHER_SECRET.slice('whsec_'.length),
			'not-the-secret-key',
		]);
		expect(secrets.length).toBeGreaterThan(5);
		expectNoSecrets(seen, secrets);
		// What Kling itself got back.
		expectNoSecrets(JSON.stringify(bed.sim.callbacks.map((delivery) => delivery.error)), secrets);
	});
});
