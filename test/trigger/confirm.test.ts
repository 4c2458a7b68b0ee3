import { LOOKUP_TIMING } from '../../nodes/KlingTrigger/klingLookup';
import { expectNoSecrets } from '../harness/kling';
import { NOWHERE, TASKS_PATH, TriggerBed, expectStarted } from './setup';

const ALL_EVENTS = ['submitted', 'processing', 'succeeded', 'failed'];
const CONFIRM = { events: ALL_EVENTS, confirmWithKling: true };

describe('Kling Trigger with Confirm With Kling', () => {
	const bed = new TriggerBed();
	const timing = { ...LOOKUP_TIMING };
	beforeAll(async () => {
		// Kling's advice is 1 s and more; a tenth keeps the suite fast and the order the same.
		Object.assign(LOOKUP_TIMING, { firstRetryDelayMs: 100, catchUpDelayMs: 100 });
		await bed.start();
	});
	afterAll(() => Object.assign(LOOKUP_TIMING, timing));
	afterAll(() => bed.stop());
	beforeEach(() => bed.reset(CONFIRM));

	function taskReads(taskId: string) {
		return bed.sim.requests.filter(
			(request) => request.method === 'GET' && request.path === `${TASKS_PATH}/${taskId}`,
		);
	}

	it('reads each task from Kling with the credential and passes on Kling’s answer', async () => {
		const taskId = await bed.createTask();
		await bed.finish(taskId);
		expect(bed.harness.calls.map((call) => call.status)).toEqual([200, 200, 200]);
		expect(bed.harness.runs.map(([item]) => item.json.task_status)).toEqual([
			'submitted',
			'processing',
			'succeed',
		]);
		expect(bed.harness.runs[2][0].json).toEqual({ ...bed.task(taskId), taskKind: 'videoExtend' });
		const reads = taskReads(taskId);
		expect(reads).toHaveLength(3);
		expect(reads[0].headers.authorization).toMatch(/^Bearer /);
	});

	it('emits Kling’s answer, not the posted body', async () => {
		const taskId = await bed.createTask({ callbackUrl: NOWHERE });
		const posted = {
			...bed.task(taskId),
			task_status_msg: 'posted by someone',
			injected: 'not from Kling',
			task_result: { videos: [{ id: 'x', url: 'http://169.254.169.254/latest' }] },
		};
		const response = await bed.post(JSON.stringify(posted));
		expect(response.status).toBe(200);
		expectStarted(bed, 1);
		expect(bed.harness.runs[0][0].json).toEqual({ ...bed.task(taskId), taskKind: 'videoExtend' });
		expect(bed.harness.runs[0][0].json).not.toHaveProperty('injected');
	});

	it('refuses a callback for a task Kling does not know', async () => {
		const taskId = await bed.createTask({ callbackUrl: NOWHERE, externalTaskId: 'order-7' });
		const unknown = await bed.post(
			JSON.stringify({ ...bed.task(taskId), task_id: '999999999999999999' }),
		);
		expect(unknown.status).toBe(401);
		expect(unknown.data).toEqual({ received: false, reason: 'Kling does not know this task' });
		expect(taskReads('999999999999999999')).toHaveLength(1);

		// Kling's GET also finds tasks by external_task_id; that is not the same task_id.
		const external = await bed.post(
			JSON.stringify({ ...bed.task(taskId), task_id: bed.task(taskId).task_info.external_task_id }),
		);
		expect(external.status).toBe(401);
		expectStarted(bed, 0);
	});

	it('does not pass on a status Kling does not bear out (a forgery, or a callback ahead of Kling)', async () => {
		const taskId = await bed.createTask({ callbackUrl: NOWHERE });
		const started = Date.now();
		const forged = await bed.post(
			JSON.stringify({ ...bed.task(taskId), task_status: 'succeed', updated_at: Date.now() }),
		);
		expect(forged.status).toBe(409);
		expect(forged.data).toEqual({
			received: false,
			reason: 'Kling does not confirm this status yet',
		});
		// Read twice: once at once, once after giving Kling's API a moment to catch up.
		expect(taskReads(taskId)).toHaveLength(2);
		expect(Date.now() - started).toBeGreaterThanOrEqual(90);
		expectStarted(bed, 0);
	});

	it('passes on Kling’s newer state for a late callback, and then treats the real one as a duplicate', async () => {
		const taskId = await bed.createTask();
		const submitted = bed.task(taskId);
		await bed.sim.advance(taskId);
		await bed.sim.advance(taskId);
		await bed.harness.settled();
		bed.harness.reset();

		const late = await bed.post(JSON.stringify(submitted));
		expect(late.status).toBe(200);
		expect(bed.harness.runs.map(([item]) => item.json.task_status)).toEqual([]);
		// All three callbacks already ran: the late copy is Kling's "succeed" again, a duplicate.
		expect(late.data).toEqual({ received: true, ignored: 'duplicate callback' });
	});

	it('applies the events to Kling’s answer, not to the posted status', async () => {
		await bed.reset({ ...CONFIRM, events: ['succeed', 'processing'] });
		const taskId = await bed.createTask({ prompt: 'simulate-failure', callbackUrl: NOWHERE });
		await bed.sim.advance(taskId);
		await bed.sim.advance(taskId);
		const claim = await bed.post(
			JSON.stringify({ ...bed.task(taskId), task_status: 'processing', updated_at: 0 }),
		);
		expect(claim.status).toBe(200);
		expect(claim.data).toEqual({
			received: true,
			ignored: 'status "failed" is not one of the selected events',
		});
		expectStarted(bed, 0);
	});

	it('retries Kling’s passing errors before answering', async () => {
		const taskId = await bed.createTask({ callbackUrl: NOWHERE });
		bed.sim.injectFaults({ kind: 'kling-error', code: 1302, count: 1, match: 'GET' });
		const response = await bed.post(JSON.stringify(bed.task(taskId)));
		expect(response.status).toBe(200);
		expect(taskReads(taskId)).toHaveLength(2);
		expectStarted(bed, 1);
	});

	it('fails the call with a clear error, without secrets, when Kling cannot be asked', async () => {
		const taskId = await bed.createTask({ callbackUrl: NOWHERE });
		const body = JSON.stringify(bed.task(taskId));

		await bed.reset(CONFIRM, { secretKey: 'a-wrong-secret-key-for-this-test' });
		const refused = await bed.post(body);
		expect(refused.status).toBe(500);
		const authError = bed.harness.calls[0].error as Error & { description?: string };
		expect(authError.message).toMatch(/^Kling error 1000, authentication failed/);

		await bed.reset(CONFIRM, { baseUrl: 'http://127.0.0.1:9' });
		const unreachable = await bed.post(body);
		expect(unreachable.status).toBe(500);
		const networkError = bed.harness.calls[0].error as Error & { description?: string };
		expect(networkError.message).toMatch(/^Could not read the task from Kling: /);
		expect(networkError.description).toMatch(/Check the base URL/);

		for (const error of [authError, networkError]) {
			expectNoSecrets(
				JSON.stringify({
					message: error.message,
					description: error.description,
					cause: (error as { cause?: unknown }).cause,
				}),
				[...bed.secrets(), 'a-wrong-secret-key-for-this-test'],
			);
		}
		expectNoSecrets(JSON.stringify([refused.data, unreachable.data]), bed.secrets());
		expectStarted(bed, 0);
	});
});
