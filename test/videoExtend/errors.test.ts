import type { INodeParameters } from 'n8n-workflow';

import { KlingTestbed, accessKeyCredentials, expectNoSecrets, secretsSeen } from '../harness/kling';

const bed = new KlingTestbed();
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => {
	bed.sim.reset();
});

const long = (length: number) => 'x'.repeat(length);

describe('input is checked before anything is sent', () => {
	const cases: Array<[string, INodeParameters, RegExp]> = [
		[
			'a video id from an expression that resolves to nothing',
			{ operation: 'create', videoId: '={{ $json.missing }}' },
			/^Video ID is required, but it is (nothing|an empty text)/,
		],
		[
			'a video id of spaces',
			{ operation: 'create', videoId: '   ' },
			/^Video ID is required, but it is only spaces/,
		],
		[
			'a prompt over 2,500 characters',
			{ operation: 'create', videoId: 'sim-video-5s', prompt: long(2501) },
			/^Prompt is too long: 2501 characters, and Kling allows at most 2500/,
		],
		[
			'a negative prompt over 2,500 characters',
			{
				operation: 'create',
				videoId: 'sim-video-5s',
				additionalFields: { negativePrompt: long(3000) },
			},
			/^Negative Prompt is too long: 3000 characters, and Kling allows at most 2500/,
		],
		[
			'a CFG scale above 1',
			{ operation: 'create', videoId: 'sim-video-5s', additionalFields: { cfgScale: 1.5 } },
			/^CFG Scale must be a number from 0 to 1, but it is 1.5/,
		],
		[
			'a CFG scale below 0 from an expression',
			{
				operation: 'create',
				videoId: 'sim-video-5s',
				additionalFields: { cfgScale: '={{ -0.1 }}' },
			},
			/^CFG Scale must be a number from 0 to 1, but it is -0.1/,
		],
		[
			'a callback URL that is not http(s)',
			{
				operation: 'create',
				videoId: 'sim-video-5s',
				additionalFields: { callbackUrl: 'ftp://example.com/hook' },
			},
			/^Callback URL must be an http:\/\/ or https:\/\/ URL, but it is "ftp:\/\/example.com\/hook"/,
		],
		[
			'a callback URL that is not a URL',
			{
				operation: 'create',
				videoId: 'sim-video-5s',
				additionalFields: { callbackUrl: 'my webhook' },
			},
			/^Callback URL must be an http:\/\/ or https:\/\/ URL/,
		],
		[
			'an external task id that resolves to nothing',
			{
				operation: 'create',
				videoId: 'sim-video-5s',
				additionalFields: { externalTaskId: '={{ $json.nothing }}' },
			},
			/^External Task ID is required, but it is/,
		],
		[
			'a task id that resolves to nothing',
			{ operation: 'get', taskId: '={{ $json.missing }}' },
			/^Task ID is required, but it is/,
		],
		['a task id of ".."', { operation: 'get', taskId: '..' }, /^Task ID cannot be "\.\."/],
		[
			'an external task id of spaces',
			{ operation: 'get', lookupBy: 'externalTaskId', externalTaskId: '  ' },
			/^External Task ID is required/,
		],
		[
			'a limit of 0',
			{ operation: 'getAll', limit: '={{ 0 }}' },
			/^Limit must be a whole number from 1 to 500000, but it is 0/,
		],
		[
			'a limit above what Kling can page through',
			{ operation: 'getAll', limit: '={{ 600000 }}' },
			/^Limit must be a whole number from 1 to 500000/,
		],
		[
			'a limit that is not a whole number',
			{ operation: 'getAll', limit: '={{ 2.5 }}' },
			/^Limit must be a whole number from 1 to 500000, but it is 2.5/,
		],
	];

	it.each(cases)(
		'refuses %s, naming the field and its limit',
		async (_name, parameters, message) => {
			const result = await bed.run({ parameters });
			expect(result.error?.message).toMatch(message);
			expect(result.error?.name).toBe('NodeOperationError');
			expect(bed.apiRequests()).toHaveLength(0);
		},
	);

	it('counts characters, not UTF-16 units: 2,500 emoji pass', async () => {
		const result = await bed.run({
			parameters: { operation: 'create', videoId: 'sim-video-5s', prompt: '🎬'.repeat(2500) },
		});
		expect(result.error?.message ?? '').not.toMatch(/Prompt is too long/);
		expect(bed.apiRequests()).toHaveLength(1);
	});

	it('with Continue On Fail, a bad item gets its error and the good ones go on', async () => {
		const result = await bed.run({
			continueOnFail: true,
			items: [{ video: 'sim-video-5s' }, { video: '' }, { video: 'sim-video-10s' }],
			parameters: { operation: 'create', videoId: '={{ $json.video }}' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.task_status).toBe('submitted');
		expect(result.items[1].error?.message).toMatch(/^Video ID is required/);
		expect(result.items[1].error?.name).toBe('NodeOperationError');
		expect(result.items[1].error?.description).toContain('task_result.videos[0].id');
		expect(result.items[2].json.task_status).toBe('submitted');
		expect(bed.apiRequests()).toHaveLength(2);
	});
});

describe('Kling’s errors become plain messages', () => {
	it('a wrong secret: 1000, what it means and what to do, with the request id', async () => {
		const result = await bed.run({
			parameters: { operation: 'getAll', limit: 1 },
			credentials: accessKeyCredentials(bed.sim.url, { secretKey: 'wrong-secret-value' }),
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(/^Kling error 1000, authentication failed/);
		expect(result.error?.message).toContain('Check the access key and secret key');
		expect(result.error?.message).toMatch(/request_id [0-9a-f-]{36}/);
		expect(result.error?.httpCode).toBe('401');
		expect(JSON.stringify(result.run)).not.toContain('wrong-secret-value');
	});

	it('a parameter Kling refuses: 1201 with Kling’s own message (duplicate external id)', async () => {
		const parameters = {
			operation: 'create',
			videoId: 'sim-video-5s',
			additionalFields: { externalTaskId: 'twice' },
		};
		await bed.run({ parameters });
		const result = await bed.run({ parameters });
		expect(result.error?.message).toMatch(
			/^Kling error 1201, a parameter is invalid: .*external_task_id/,
		);
		expect(result.error?.httpCode).toBe('400');
	});

	it('an unknown video: 1203 and the 30-day hint', async () => {
		const result = await bed.run({ parameters: { operation: 'create', videoId: 'no-such-video' } });
		expect(result.error?.message).toMatch(/^Kling error 1203, the resource was not found/);
		expect(result.error?.message).toContain('30 days');
	});

	it('an unknown task: 1203', async () => {
		const result = await bed.run({ parameters: { operation: 'get', taskId: '123' } });
		expect(result.error?.message).toMatch(/^Kling error 1203/);
		expect(result.error?.httpCode).toBe('404');
	});

	it.each([
		[1302, '429', /too many requests/],
		[1303, '429', /too many tasks at once/],
		[5000, '500', /internal error/],
		[5001, '503', /unavailable/],
		[5002, '504', /timed out internally/],
	])('Kling code %s (HTTP %s) is explained', async (code, httpCode, meaning) => {
		bed.sim.injectFaults({ kind: 'kling-error', code, count: 10 });
		const result = await bed.run({
			parameters: { operation: 'get', taskId: '1', options: { retryDelay: 5 } },
		});
		expect(result.error?.message).toMatch(new RegExp(`^Kling error ${code}, `));
		expect(result.error?.message).toMatch(meaning);
		expect(result.error?.httpCode).toBe(httpCode);
	});

	it('an HTML page from a proxy gets a plain message', async () => {
		bed.sim.injectFaults({ kind: 'html', status: 502, count: 10 });
		const result = await bed.run({
			parameters: { operation: 'getAll', limit: 1, options: { retryDelay: 5 } },
		});
		expect(result.error?.message).toBe(
			"Kling's API answered HTTP 502 with an HTML page (often a proxy or gateway error page), not Kling's JSON",
		);
		expect(result.error?.description).toContain('base URL');
	});

	it('a cut-off JSON body gets a plain message', async () => {
		bed.sim.injectFaults({ kind: 'malformed', count: 10 });
		const result = await bed.run({
			parameters: { operation: 'get', taskId: '1', options: { retryDelay: 5 } },
		});
		expect(result.error?.message).toMatch(/answered HTTP 200 with text that is not valid JSON/);
	});

	it('a reset connection is reported, not hidden', async () => {
		bed.sim.injectFaults({ kind: 'reset', count: 10 });
		const result = await bed.run({
			parameters: { operation: 'get', taskId: '1', options: { retryDelay: 5 } },
		});
		expect(result.error).toBeDefined();
		expect(result.error?.message.length).toBeGreaterThan(0);
	});

	it('an address where nothing listens is reported', async () => {
		const result = await bed.run({
			parameters: { operation: 'getAll', limit: 1 },
			credentials: accessKeyCredentials('http://127.0.0.1:9'),
		});
		expect(result.error?.message).toMatch(/connection|refused|ECONNREFUSED/i);
	});

	it('with Continue On Fail, a Kling error goes on the item and the next items go on', async () => {
		const result = await bed.run({
			continueOnFail: true,
			items: [{ id: 'unknown-task' }, { id: '' }],
			parameters: { operation: 'get', taskId: '={{ $json.id }}' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(result.items[0].error?.message).toMatch(/^Kling error 1203/);
		expect(result.items[1].error?.message).toMatch(/^Task ID is required/);
	});
});

describe('secrets stay secret', () => {
	it('no key or token appears in outputs or errors of any operation', async () => {
		const runs = [];
		runs.push(await bed.run({ parameters: { operation: 'create', videoId: 'sim-video-5s' } }));
		runs.push(await bed.run({ parameters: { operation: 'get', taskId: 'nope' } }));
		runs.push(await bed.run({ parameters: { operation: 'getAll', returnAll: true } }));
		bed.sim.injectFaults({ kind: 'reset', count: 1 });
		runs.push(
			await bed.run({ parameters: { operation: 'getAll', limit: 3, options: { retryDelay: 5 } } }),
		);
		bed.sim.injectFaults({ kind: 'html', count: 1 });
		runs.push(
			await bed.run({ parameters: { operation: 'getAll', limit: 3, options: { retryDelay: 5 } } }),
		);
		const secrets = secretsSeen(bed.sim, bed.credentials);
		expect(secrets.length).toBeGreaterThan(3);
		for (const run of runs) {
			expectNoSecrets(JSON.stringify(run.run), secrets);
			if (run.error) {
				expectNoSecrets(
					`${run.error.message} ${run.error.description} ${run.error.stack}`,
					secrets,
				);
			}
		}
	});
});
