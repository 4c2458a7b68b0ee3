import { signWebhook } from '../../simulator';
import { verifyStandardWebhook } from '../../nodes/shared/callbacks/webhookSignature';
import { TEST_VECTOR } from '../simulator/helpers';
import { OLD_SECRET, OTHER_SECRET, SECRET, TriggerBed, expectStarted } from './setup';

const vectorHeaders = {
	'webhook-id': TEST_VECTOR.id,
	'webhook-timestamp': String(TEST_VECTOR.timestamp),
	'webhook-signature': TEST_VECTOR.signature,
};

function verifyVector(
	changes: {
		secret?: string;
		headers?: Record<string, string | undefined>;
		body?: string;
		now?: number;
	} = {},
) {
	return verifyStandardWebhook({
		secret: changes.secret ?? TEST_VECTOR.secret,
		headers: { ...vectorHeaders, ...changes.headers },
		rawBody: changes.body ?? TEST_VECTOR.body,
		nowSeconds: changes.now ?? TEST_VECTOR.timestamp,
	});
}

describe('verifyStandardWebhook (nodes/shared/webhookSignature.ts)', () => {
	it('verifies Kling’s test vector, from a string or the raw bytes', () => {
		expect(verifyVector()).toEqual({ valid: true });
		expect(
			verifyStandardWebhook({
				secret: TEST_VECTOR.secret,
				headers: vectorHeaders,
				rawBody: Buffer.from(TEST_VECTOR.body),
				nowSeconds: TEST_VECTOR.timestamp + 299,
			}),
		).toEqual({ valid: true });
	});

	it('refuses a changed body, another secret, and another webhook-id', () => {
		expect(verifyVector({ body: TEST_VECTOR.body.replace('succeeded', 'failed') })).toEqual({
			valid: false,
			reason: 'no valid webhook-signature',
		});
		expect(verifyVector({ body: `${TEST_VECTOR.body} ` }).valid).toBe(false);
		expect(verifyVector({ secret: OTHER_SECRET }).valid).toBe(false);
		expect(verifyVector({ headers: { 'webhook-id': '9876543211' } }).valid).toBe(false);
	});

	it('refuses timestamps more than 5 minutes old or ahead, even with a valid signature', () => {
		const reason = 'webhook-timestamp is too old or in the future';
		expect(verifyVector({ now: TEST_VECTOR.timestamp + 300 }).valid).toBe(true);
		expect(verifyVector({ now: TEST_VECTOR.timestamp + 301 })).toEqual({ valid: false, reason });
		expect(verifyVector({ now: TEST_VECTOR.timestamp - 301 })).toEqual({ valid: false, reason });
	});

	it('refuses missing headers', () => {
		for (const name of Object.keys(vectorHeaders)) {
			expect(verifyVector({ headers: { [name]: undefined } })).toEqual({
				valid: false,
				reason: 'missing webhook-id, webhook-timestamp or webhook-signature',
			});
		}
	});

	it('refuses malformed signatures and timestamps', () => {
		const value = TEST_VECTOR.signature.slice(3);
		for (const signature of [
			value,
			`v2,${value}`,
			'v1,',
			'v1,not base64 at all!',
			`v1,${value.slice(0, -4)}`,
			`v1,${Buffer.from('x'.repeat(32)).toString('base64')}`,
			',,,',
		]) {
			expect(verifyVector({ headers: { 'webhook-signature': signature } }).valid).toBe(false);
		}
		for (const timestamp of ['', 'soon', '1781080794.5', '-1781080794', '1e9']) {
			expect(verifyVector({ headers: { 'webhook-timestamp': timestamp } }).valid).toBe(false);
		}
	});

	it('passes when one of several space-separated signatures is valid (secret rotation)', () => {
		const stale = signWebhook(
			OTHER_SECRET,
			TEST_VECTOR.id,
			TEST_VECTOR.timestamp,
			TEST_VECTOR.body,
		);
		expect(
			verifyVector({ headers: { 'webhook-signature': `${stale} ${TEST_VECTOR.signature}` } }),
		).toEqual({ valid: true });
		expect(
			verifyVector({ headers: { 'webhook-signature': `${TEST_VECTOR.signature} ${stale}` } }),
		).toEqual({ valid: true });
		expect(verifyVector({ headers: { 'webhook-signature': `${stale} ${stale}` } }).valid).toBe(
			false,
		);
	});

	it('fails closed on a secret that decodes to nothing, and never names the secret', () => {
		expect(verifyVector({ secret: 'whsec_' })).toEqual({
			valid: false,
			reason: 'the webhook secret is not usable',
		});
		const verdict = verifyVector({ secret: OTHER_SECRET });
		expect(JSON.stringify(verdict)).not.toContain(OTHER_SECRET.slice('whsec_'.length));
	});
});

describe('Kling Trigger with a webhook secret in the credential', () => {
	const bed = new TriggerBed({
		simulator: { webhookSecrets: [SECRET] },
		credentials: { webhookSecret: SECRET },
	});
	beforeAll(() => bed.start());
	afterAll(() => bed.stop());
	beforeEach(() => bed.reset({ events: ['submitted', 'processing', 'succeeded', 'failed'] }));
	afterEach(() => jest.restoreAllMocks());

	it('checks Kling’s test vector through n8n’s webhook handling: the signature passes', async () => {
		bed.harness.credentials.webhookSecret = TEST_VECTOR.secret;
		jest.spyOn(Date, 'now').mockReturnValue((TEST_VECTOR.timestamp + 10) * 1000);
		const options = {
			secrets: [TEST_VECTOR.secret],
			webhookId: TEST_VECTOR.id,
			timestamp: TEST_VECTOR.timestamp,
		};
		const delivered = await bed.deliver(TEST_VECTOR.body, options);
		expect(bed.sim.callbacks.at(-1)?.headers['webhook-signature']).toBe(TEST_VECTOR.signature);
		// Kling's sample is a task of the current generation's shape: it starts a run.
		expect(delivered.status).toBe(200);
		expect(bed.harness.runs[0][0].json).toEqual({
			...JSON.parse(TEST_VECTOR.body),
			taskKind: 'video',
		});

		const tampered = await bed.post(TEST_VECTOR.body.replace('1234567890', '1234567891'), {
			headers: vectorHeaders,
		});
		expect(tampered.status).toBe(401);
		expect(tampered.data).toEqual({ received: false, reason: 'no valid webhook-signature' });
		expectStarted(bed, 1);
	});

	it('passes the signed callbacks of a real task, and starts a run for each', async () => {
		const taskId = await bed.createTask();
		await bed.finish(taskId);
		expect(bed.harness.calls.map((call) => call.status)).toEqual([200, 200, 200]);
		expect(bed.harness.runs.map(([item]) => item.json.task_status)).toEqual([
			'submitted',
			'processing',
			'succeed',
		]);
		expect(bed.harness.runs[2][0].json).toEqual({ ...bed.task(taskId), taskKind: 'videoExtend' });
		for (const call of bed.harness.calls) {
			expect(call.headers['webhook-signature']).toMatch(/^v1,/);
		}
	});

	it('refuses a changed body, another secret, and unsigned callbacks', async () => {
		const taskId = await bed.createTask();
		bed.harness.reset();
		const task = bed.task(taskId);
		const body = JSON.stringify(task);

		const signed = bed.sim.callbacks.at(-1)!;
		const changed = await bed.post(body.replace('"submitted"', '"succeed"'), {
			headers: {
				'webhook-id': signed.headers['webhook-id'],
				'webhook-timestamp': signed.headers['webhook-timestamp'],
				'webhook-signature': signed.headers['webhook-signature'],
			},
		});
		expect(changed.status).toBe(401);
		expect(changed.data.reason).toBe('no valid webhook-signature');

		const other = await bed.deliver(body, { secrets: [OTHER_SECRET] });
		expect(other.status).toBe(401);
		expect(other.json.reason).toBe('no valid webhook-signature');

		const unsigned = await bed.deliver(body, { secrets: [] });
		expect(unsigned.status).toBe(401);
		expect(unsigned.json.reason).toBe('missing webhook-id, webhook-timestamp or webhook-signature');
		expectStarted(bed, 0);
	});

	it('refuses old and future timestamps, missing headers and malformed signatures', async () => {
		const taskId = await bed.createTask();
		bed.harness.reset();
		const body = JSON.stringify(bed.task(taskId));
		const now = Math.floor(Date.now() / 1000);

		for (const timestamp of [now - 301, now + 301, now - 86_400]) {
			const replay = await bed.deliver(body, { timestamp });
			expect(replay.status).toBe(401);
			expect(replay.json.reason).toBe('webhook-timestamp is too old or in the future');
		}
		for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
			const missing = await bed.deliver(body, { headers: { [header]: '' } });
			expect(missing.status).toBe(401);
			expect(missing.json.reason).toBe(
				'missing webhook-id, webhook-timestamp or webhook-signature',
			);
		}
		for (const signature of ['v1', 'v1,', 'v1,%%%', 'sha256=abc', 'v2,abc=']) {
			const malformed = await bed.deliver(body, { headers: { 'webhook-signature': signature } });
			expect(malformed.status).toBe(401);
			expect(malformed.json.reason).toBe('no valid webhook-signature');
		}
		const badTimestamp = await bed.deliver(body, { headers: { 'webhook-timestamp': 'now' } });
		expect(badTimestamp.json.reason).toBe('malformed webhook-timestamp');
		expectStarted(bed, 0);
	});

	it('passes during a rotation: two signatures, one made with the credential’s secret', async () => {
		const taskId = await bed.createTask();
		bed.harness.reset();
		const task = bed.task(taskId);
		// Not the delivery the task already made: that one would be a duplicate.
		const body = JSON.stringify({ ...task, updated_at: task.updated_at + 1 });

		const rotating = await bed.deliver(body, { secrets: [OLD_SECRET, SECRET] });
		expect(rotating.status).toBe(200);
		expect(bed.sim.callbacks.at(-1)?.headers['webhook-signature'].split(' ')).toHaveLength(2);
		expectStarted(bed, 1);

		// The user already switched the credential to the new secret; Kling still signs with both.
		bed.harness.credentials.webhookSecret = OLD_SECRET;
		const stillOld = await bed.deliver(
			JSON.stringify({ ...task, updated_at: task.updated_at + 2 }),
			{
				secrets: [SECRET, OLD_SECRET],
			},
		);
		expect(stillOld.status).toBe(200);
		expectStarted(bed, 2);
	});

	it('checks signatures on the test URL too', async () => {
		const taskId = await bed.createTask({ callbackUrl: bed.harness.testUrl });
		expect(bed.harness.calls.map((call) => [call.mode, call.status])).toEqual([['manual', 200]]);
		const forged = await bed.post(JSON.stringify(bed.task(taskId)), { url: bed.harness.testUrl });
		expect(forged.status).toBe(401);
	});
});
