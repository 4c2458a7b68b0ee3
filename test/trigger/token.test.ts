import { secretsMatch } from '../../nodes/shared/callbacks/webhookSignature';
import { SECRET, TOKEN, TriggerBed, expectStarted } from './setup';

const ALL_EVENTS = ['submitted', 'processing', 'succeeded', 'failed'];

describe('secretsMatch', () => {
	it('matches only the same text, whatever the lengths', () => {
		expect(secretsMatch(TOKEN, TOKEN)).toBe(true);
		expect(secretsMatch(`${TOKEN}x`, TOKEN)).toBe(false);
		expect(secretsMatch(TOKEN.slice(0, -1), TOKEN)).toBe(false);
		expect(secretsMatch(TOKEN.toUpperCase(), TOKEN)).toBe(false);
		expect(secretsMatch('', TOKEN)).toBe(false);
		expect(secretsMatch('', '')).toBe(false);
	});
});

describe('Kling Trigger with Check URL Token', () => {
	const bed = new TriggerBed();
	beforeAll(() => bed.start());
	afterAll(() => bed.stop());
	beforeEach(() => bed.reset({ events: ALL_EVENTS, tokenCheck: true, token: TOKEN }));

	it('passes callbacks to the URL with the right token', async () => {
		const taskId = await bed.createTask({ callbackUrl: bed.url(`?token=${TOKEN}`) });
		await bed.finish(taskId);
		expect(bed.harness.calls.map((call) => call.status)).toEqual([200, 200, 200]);
		expectStarted(bed, 3);
		expect(bed.harness.runs[2][0].json).toEqual({ ...bed.task(taskId), taskKind: 'videoExtend' });
	});

	it('refuses a wrong token, and a missing one, with 401 and no run', async () => {
		const taskId = await bed.createTask({ callbackUrl: bed.url('?token=guess') });
		expect(bed.harness.calls[0].status).toBe(401);
		expect(bed.harness.calls[0].response).toEqual({ received: false, reason: 'wrong token' });

		const body = JSON.stringify(bed.task(taskId));
		const cases: Array<[string, string]> = [
			['', 'the callback URL has no token'],
			['?token=', 'the callback URL has no token'],
			['?tok=' + TOKEN, 'the callback URL has no token'],
			[`?token=${TOKEN.slice(0, -1)}`, 'wrong token'],
			[`?token=${TOKEN}0`, 'wrong token'],
			[`?token=${TOKEN.toUpperCase()}`, 'wrong token'],
			[`?token=${TOKEN}&token=${TOKEN}`, 'wrong token'],
		];
		for (const [query, reason] of cases) {
			const response = await bed.post(body, { query });
			expect([query, response.status, response.data]).toEqual([
				query,
				401,
				{ received: false, reason },
			]);
		}
		expectStarted(bed, 0);
	});

	it('does not let a refused forgery use up the real callback', async () => {
		const taskId = await bed.createTask({ callbackUrl: bed.url(`?token=${TOKEN}`) });
		await bed.sim.advance(taskId);
		const processing = bed.task(taskId);
		bed.harness.reset();
		const forged = await bed.post(JSON.stringify({ ...processing, task_status: 'succeed' }), {
			query: '?token=nope',
		});
		expect(forged.status).toBe(401);
		await bed.sim.advance(taskId);
		await bed.harness.settled();
		expect(bed.harness.runs.map(([item]) => item.json.task_status)).toEqual(['succeed']);
	});

	it('needs both the token and the signature when the credential also has a secret', async () => {
		await bed.reset(
			{ events: ALL_EVENTS, tokenCheck: true, token: TOKEN },
			{ webhookSecret: SECRET },
		);
		const taskId = await bed.createTask({ callbackUrl: bed.url(`?token=${TOKEN}`) });
		expect(bed.harness.calls[0].response).toEqual({
			received: false,
			reason: 'missing webhook-id, webhook-timestamp or webhook-signature',
		});
		const body = JSON.stringify(bed.task(taskId));
		const signedWithoutToken = await bed.deliver(body, { secrets: [SECRET] });
		expect(signedWithoutToken.status).toBe(401);
		expect(signedWithoutToken.json.reason).toBe('the callback URL has no token');
		const both = await bed.deliver(body, { secrets: [SECRET], query: `?token=${TOKEN}` });
		expect(both.status).toBe(200);
		expectStarted(bed, 1);
	});

	it('refuses every callback when the token check is on but the token is empty', async () => {
		await bed.reset({ events: ALL_EVENTS, tokenCheck: true, token: '' });
		await bed.createTask({ callbackUrl: bed.url('?token=') });
		const response = await bed.post('{"task_id":"1","task_status":"succeed"}', {
			query: '?token=',
		});
		expect(response.status).toBe(401);
		expect(response.data.reason).toBe('token check is on but the node has no token');
		expectStarted(bed, 0);
	});
});
