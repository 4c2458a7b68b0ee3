import { DEFAULT_ACCOUNT } from '../../simulator';
import { EXTEND, type Harness, makeToken, startSimulator } from './helpers';

describe('simulator authentication', () => {
	let h: Harness;
	const now = () => Math.floor(Date.now() / 1000);

	beforeAll(async () => {
		h = await startSimulator({
			accounts: [
				DEFAULT_ACCOUNT,
				{ accessKey: 'second-access', secretKey: 'second-secret', apiKey: 'second-api' },
			],
		});
	});
	afterAll(() => h.sim.stop());

	const list = (authorization?: string) =>
		h.raw.get(EXTEND, {
			headers: authorization === undefined ? {} : { Authorization: authorization },
		});

	function expectError(
		response: { status: number; data: { message?: unknown; request_id?: string } },
		code: number,
	) {
		expect(response.status).toBe(401);
		expect(response.data).toMatchObject({ code, data: null });
		expect(typeof response.data.message).toBe('string');
		expect(response.data.request_id).toMatch(/^[0-9a-f-]{36}$/);
	}

	it('accepts a valid JWT', async () => {
		const response = await list(`Bearer ${makeToken()}`);
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('application/json');
		expect(response.data).toMatchObject({ code: 0, message: 'SUCCEED', data: [] });
	});

	it('answers 1001 without an Authorization header, or with an empty one', async () => {
		expectError(await list(), 1001);
		expectError(await list('   '), 1001);
	});

	it('answers 1002 for headers that are not "Bearer <token>" and for malformed tokens', async () => {
		expectError(await list(`Basic ${makeToken()}`), 1002);
		expectError(await list('Bearer'), 1002);
		expectError(await list('Bearer a.b.c'), 1002);
		expectError(await list(`Bearer ${makeToken({}, DEFAULT_ACCOUNT.secretKey, 'HS384')}`), 1002);
		expectError(await list(`Bearer ${makeToken({ exp: undefined })}`), 1002);
		const unsigned = [
			{ alg: 'none', typ: 'JWT' },
			{ iss: DEFAULT_ACCOUNT.accessKey, exp: now() + 60 },
		]
			.map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
			.join('.');
		expectError(await list(`Bearer ${unsigned}.`), 1002);
	});

	it('answers 1000 for an unknown access key and for a bad signature', async () => {
		expectError(await list(`Bearer ${makeToken({ iss: 'nobody' })}`), 1000);
		expectError(await list(`Bearer ${makeToken({ iss: undefined })}`), 1000);
		expectError(await list(`Bearer ${makeToken({}, 'wrong-secret')}`), 1000);
	});

	it('answers 1003 for a token that is not valid yet and 1004 for an expired one', async () => {
		expectError(await list(`Bearer ${makeToken({ nbf: now() + 600 })}`), 1003);
		expectError(await list(`Bearer ${makeToken({ exp: now() - 10, nbf: now() - 60 })}`), 1004);
	});

	it('accepts the API key as the bearer token and refuses a wrong one with 1000', async () => {
		expect((await list(`Bearer ${DEFAULT_ACCOUNT.apiKey}`)).data.code).toBe(0);
		expectError(await list('Bearer not-the-api-key'), 1000);
	});

	it('keeps tasks per account', async () => {
		const created = await h.raw.post(
			EXTEND,
			{ video_id: 'sim-video-5s', external_task_id: 'owned-by-second' },
			{ headers: { Authorization: 'Bearer second-api' } },
		);
		expect(created.data.code).toBe(0);
		const taskId = created.data.data.task_id;

		const other = await h.api.get(`${EXTEND}/${taskId}`);
		expect(other.status).toBe(404);
		expect(other.data.code).toBe(1203);
		expect((await h.api.get(EXTEND)).data.data).toEqual([]);

		const secondToken = makeToken({ iss: 'second-access' }, 'second-secret');
		const own = await h.raw.get(`${EXTEND}/owned-by-second`, {
			headers: { Authorization: `Bearer ${secondToken}` },
		});
		expect(own.data.data.task_id).toBe(taskId);
		expect(h.sim.getTask('owned-by-second', 'second-access')?.task_id).toBe(taskId);
		expect(h.sim.getTask('owned-by-second', DEFAULT_ACCOUNT.accessKey)).toBeUndefined();
	});
});
