import axios from 'axios';

import { DEFAULT_ACCOUNT, KlingSimulator, type ResourcePackInfo } from '../../simulator';
import {
	ACCOUNT_COSTS,
	EXTEND,
	IMAGE2VIDEO,
	TEXT2VIDEO,
	type Harness,
	makeToken,
	startSimulator,
} from './helpers';
import { base64, makePng } from './testImages';

const DAY = 24 * 60 * 60 * 1000;
const IMAGE = base64(makePng(400, 400));

describe('simulator resource packs and GET /account/costs', () => {
	let h: Harness;

	beforeAll(async () => {
		h = await startSimulator({ timing: 'manual', accountCostsIntervalMs: 0 });
	});
	afterAll(() => h.sim.stop());
	beforeEach(() => h.sim.reset());

	const costs = (params: Record<string, unknown>) => h.api.get(ACCOUNT_COSTS, { params });
	const everything = () => costs({ start_time: 0, end_time: Date.now() + 1000 * DAY });
	const packs = async (): Promise<ResourcePackInfo[]> =>
		(await everything()).data.data.resource_pack_subscribe_infos;
	const text2video = (body: Record<string, unknown> = {}) =>
		h.api.post(TEXT2VIDEO, { model_name: 'kling-v2-6', prompt: 'x', ...body });

	it('answers the documented shape: an online pack and an expired one by default', async () => {
		const now = Date.now();
		const response = await everything();
		expect(response.status).toBe(200);
		expect(response.data).toEqual({
			code: 0,
			message: 'SUCCEED',
			request_id: expect.any(String),
			data: { code: 0, msg: 'success', resource_pack_subscribe_infos: expect.any(Array) },
		});
		const [online, expired] = response.data.data.resource_pack_subscribe_infos;
		expect(online).toEqual({
			resource_pack_name: 'Video Generation - 1,000,000 units (simulated)',
			resource_pack_id: 'sim-pack-video-online',
			resource_pack_type: 'decreasing_total',
			total_quantity: 1_000_000,
			remaining_quantity: 1_000_000,
			purchase_time: expect.any(Number),
			effective_time: expect.any(Number),
			invalid_time: expect.any(Number),
			status: 'online',
		});
		expect(online.effective_time).toBeLessThan(now);
		expect(online.invalid_time).toBeGreaterThan(now);
		expect(expired).toMatchObject({ status: 'expired', remaining_quantity: 40 });
		expect(expired.invalid_time).toBeLessThan(now);
	});

	it('takes units as tasks are created: std 5 s 1, 10 s 2, pro 3.5 times, an extension 1', async () => {
		await text2video();
		await text2video({ duration: '10' });
		await h.api.post(IMAGE2VIDEO, { model_name: 'kling-v2-6', image: IMAGE, mode: 'pro' });
		await h.api.post(EXTEND, { video_id: 'sim-video-5s' });
		expect((await packs())[0].remaining_quantity).toBe(1_000_000 - 1 - 2 - 3.5 - 1);
		expect(h.sim.getResourcePacks()).toEqual(await packs());
	});

	it('gives the units of a failed task back', async () => {
		const taskId = (await text2video({ prompt: 'simulate-failure', duration: '10' })).data.data
			.task_id;
		expect((await packs())[0].remaining_quantity).toBe(1_000_000 - 2);
		await h.sim.advance(taskId);
		await h.sim.advance(taskId);
		expect((await packs())[0].remaining_quantity).toBe(1_000_000);
	});

	it('answers 429 code 1102 once the online packs are used up, and marks them runOut', async () => {
		h.sim.setResourcePacks([{ resource_pack_name: 'tiny', total_quantity: 3 }]);
		expect((await text2video({ duration: '10' })).data.code).toBe(0);
		const tooBig = await text2video({ duration: '10' });
		expect([tooBig.status, tooBig.data.code]).toEqual([429, 1102]);
		expect(tooBig.data.message).toBe(
			'resource pack used up or expired: the task needs 2 units, 1 remain',
		);
		expect((await text2video()).data.code).toBe(0);
		const [pack] = await packs();
		expect(pack).toMatchObject({
			resource_pack_name: 'tiny',
			remaining_quantity: 0,
			status: 'runOut',
		});
		const refused = await h.api.post(EXTEND, { video_id: 'sim-video-5s' });
		expect([refused.status, refused.data.code]).toEqual([429, 1102]);
		expect((await h.api.get(TEXT2VIDEO)).data.data).toHaveLength(2);
	});

	it('takes units only from online packs, the one ending first first, across packs', async () => {
		const now = Date.now();
		h.sim.setResourcePacks([
			{ resource_pack_name: 'later', total_quantity: 10, invalid_time: now + 20 * DAY },
			{
				resource_pack_name: 'sooner',
				total_quantity: 10,
				remaining_quantity: 1,
				invalid_time: now + 2 * DAY,
			},
			{ resource_pack_name: 'future', total_quantity: 99, effective_time: now + DAY },
			{
				resource_pack_name: 'old',
				total_quantity: 99,
				invalid_time: now - DAY,
				effective_time: now - 9 * DAY,
			},
			{ resource_pack_name: 'monthly', resource_pack_type: 'constant_period', total_quantity: 0 },
		]);
		await text2video({ duration: '10' });
		const byName = Object.fromEntries((await packs()).map((p) => [p.resource_pack_name, p]));
		expect(byName.sooner).toMatchObject({ remaining_quantity: 0, status: 'runOut' });
		expect(byName.later).toMatchObject({ remaining_quantity: 9, status: 'online' });
		expect(byName.future).toMatchObject({ remaining_quantity: 99, status: 'toBeOnline' });
		expect(byName.old).toMatchObject({ remaining_quantity: 99, status: 'expired' });
		expect(byName.monthly).toMatchObject({
			resource_pack_type: 'constant_period',
			status: 'runOut',
		});
	});

	it('filters by resource_pack_name and by the time range', async () => {
		const now = Date.now();
		const named = await costs({
			start_time: 0,
			end_time: now,
			resource_pack_name: 'Video Generation - 100 units (simulated, expired)',
		});
		expect(
			named.data.data.resource_pack_subscribe_infos.map((p: ResourcePackInfo) => p.status),
		).toEqual(['expired']);
		const recent = await costs({ start_time: now - DAY / 2, end_time: now });
		expect(
			recent.data.data.resource_pack_subscribe_infos.map((p: ResourcePackInfo) => p.status),
		).toEqual(['online']);
		const none = await costs({ start_time: 0, end_time: now, resource_pack_name: 'nope' });
		expect(none.data.data.resource_pack_subscribe_infos).toEqual([]);
	});

	it.each([
		[{}, 'start_time is required'],
		[{ start_time: 0 }, 'end_time is required'],
		[
			{ start_time: 'yesterday', end_time: 1 },
			"start_time is required: a time in milliseconds since 1970 (got 'yesterday')",
		],
		[{ start_time: 5, end_time: 4 }, 'end_time must not be before start_time'],
	])('refuses %j with 1201', async (params, message) => {
		const response = await costs(params);
		expect([response.status, response.data.code]).toEqual([400, 1201]);
		expect(response.data.message).toContain(message);
	});

	it('needs authentication', async () => {
		const response = await h.raw.get(ACCOUNT_COSTS, { params: { start_time: 0, end_time: 1 } });
		expect([response.status, response.data.code]).toEqual([401, 1001]);
	});

	it('keeps packs per account and gives the starting packs back on reset', async () => {
		const other = { accessKey: 'other-ak', secretKey: 'other-sk', apiKey: 'other-api' };
		const two = await startSimulator({
			timing: 'manual',
			accounts: [DEFAULT_ACCOUNT, other],
			resourcePacks: [{ resource_pack_name: 'start', total_quantity: 5 }],
		});
		try {
			const asOther = axios.create({
				baseURL: two.url,
				validateStatus: () => true,
				headers: { Authorization: 'Bearer other-api' },
			});
			await asOther.post(TEXT2VIDEO, { model_name: 'kling-v2-6', prompt: 'x', duration: '10' });
			expect(two.sim.getResourcePacks('other-ak')[0].remaining_quantity).toBe(3);
			expect(two.sim.getResourcePacks()[0].remaining_quantity).toBe(5);
			two.sim.setResourcePacks(
				[{ resource_pack_name: 'none left', total_quantity: 0 }],
				'other-api',
			);
			expect(
				(await asOther.post(TEXT2VIDEO, { model_name: 'kling-v2-6', prompt: 'x' })).data.code,
			).toBe(1102);
			two.sim.reset();
			expect(two.sim.getResourcePacks('other-ak')).toEqual([
				expect.objectContaining({ resource_pack_name: 'start', remaining_quantity: 5 }),
			]);
			expect(() => two.sim.getResourcePacks('nobody')).toThrow("unknown account 'nobody'");
		} finally {
			await two.sim.stop();
		}
	});

	it('refuses bad packs naming the field', () => {
		expect(() => h.sim.setResourcePacks([{ resource_pack_name: '', total_quantity: 1 }])).toThrow(
			'resource pack 0: resource_pack_name must be a non-empty string',
		);
		expect(() => h.sim.setResourcePacks([{ resource_pack_name: 'x', total_quantity: -1 }])).toThrow(
			'resource pack 0: total_quantity must be a number >= 0',
		);
		expect(
			() =>
				new KlingSimulator({
					resourcePacks: [
						{ resource_pack_name: 'x', total_quantity: 1, resource_pack_type: 'monthly' as never },
					],
				}),
		).toThrow('resource_pack_type must be one of decreasing_total, constant_period');
	});

	it('sets and reads packs through the admin routes', async () => {
		const put = await h.raw.put('/__sim/resource-packs', {
			packs: [{ resource_pack_name: 'admin pack', total_quantity: 2 }],
		});
		expect(put.status).toBe(200);
		expect(put.data).toEqual([
			expect.objectContaining({ resource_pack_name: 'admin pack', status: 'online' }),
		]);
		await text2video({ duration: '10' });
		const got = await h.raw.get('/__sim/resource-packs');
		expect(got.data[0]).toMatchObject({ remaining_quantity: 0, status: 'runOut' });
		const bad = await h.raw.put('/__sim/resource-packs', { packs: 'all' });
		expect(bad.status).toBe(400);
		expect(bad.data.error).toBe('resource-packs: packs (a list) is required');
	});

	it('allows one GET /account/costs per second per account: 429 code 1302 for the next', async () => {
		const limited = await startSimulator({ timing: 'manual' });
		try {
			const params = { start_time: 0, end_time: Date.now() };
			expect((await limited.api.get(ACCOUNT_COSTS, { params })).data.code).toBe(0);
			const second = await limited.api.get(ACCOUNT_COSTS, { params });
			expect([second.status, second.data.code]).toEqual([429, 1302]);
			// A refused call does not push the window; an API key is the same account.
			await new Promise((resolve) => setTimeout(resolve, 1000));
			const byApiKey = await limited.raw.get(ACCOUNT_COSTS, {
				params,
				headers: { Authorization: `Bearer ${DEFAULT_ACCOUNT.apiKey}` },
			});
			expect(byApiKey.data.code).toBe(0);
			const byJwt = await limited.raw.get(ACCOUNT_COSTS, {
				params,
				headers: { Authorization: `Bearer ${makeToken()}` },
			});
			expect(byJwt.data.code).toBe(1302);
			limited.sim.reset();
			expect((await limited.api.get(ACCOUNT_COSTS, { params })).data.code).toBe(0);
		} finally {
			await limited.sim.stop();
		}
	});

	it('applies faults matched on /account/costs, and not the default /v1 ones', async () => {
		h.sim.injectFaults({ kind: 'kling-error', code: 5000 });
		const untouched = await everything();
		expect(untouched.data.code).toBe(0);
		h.sim.clearFaults();
		h.sim.injectFaults({ kind: 'html', status: 502, match: `GET ${ACCOUNT_COSTS}` });
		const faulted = await everything();
		expect(faulted.status).toBe(502);
		expect(String(faulted.data)).toContain('nginx');
	});
});
