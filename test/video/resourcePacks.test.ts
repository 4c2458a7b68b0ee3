import { KlingTestbed, apiKeyCredentials } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';

const bed = new KlingTestbed();
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

const DAY_MS = 24 * 60 * 60 * 1000;

async function packs(
	parameters: Record<string, unknown> = {},
	items?: Array<Record<string, string>>,
) {
	return await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: { operation: 'getResourcePacks', ...parameters },
		items,
	});
}

function costRequests() {
	return bed.sim.requests.filter((request) => request.path === '/account/costs');
}

describe('Kling Video: Get Resource Packs', () => {
	it('lists the packs valid now, one item each, as Kling gives them', async () => {
		const before = Date.now();
		const result = await packs();
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.resource_pack_id)).toEqual([
			'sim-pack-video-online',
		]);
		expect(result.items[0].json).toMatchObject({
			total_quantity: 1_000_000,
			remaining_quantity: 1_000_000,
			status: 'online',
		});
		const [request] = costRequests();
		const { query } = request;
		expect(Number(query.start_time)).toBeGreaterThanOrEqual(before);
		expect(query.end_time).toBe(query.start_time);
		expect(query.resource_pack_name).toBeUndefined();
	});

	it('lists a time range and a pack name, and simplifies to a flat item', async () => {
		const start = new Date(Date.now() - 500 * DAY_MS).toISOString();
		const all = await packs({ startTime: start, simplify: true });
		expect(all.items.map((item) => item.json.status)).toEqual(['online', 'expired']);
		expect(all.items[1].json).toEqual({
			name: 'Video Generation - 100 units (simulated, expired)',
			id: 'sim-pack-video-expired',
			type: 'decreasing_total',
			status: 'expired',
			total: 100,
			remaining: 40,
			purchasedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			effectiveAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			invalidAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		const named = await packs({
			startTime: start,
			resourcePackName: 'Video Generation - 100 units (simulated, expired)',
		});
		expect(named.items.map((item) => item.json.resource_pack_id)).toEqual([
			'sim-pack-video-expired',
		]);
		expect(costRequests()[1].query.resource_pack_name).toBe(
			'Video Generation - 100 units (simulated, expired)',
		);
	});

	it('shows the remaining units going down as tasks are made', async () => {
		// Kling's current models take an API key; 10 s of kling-2.5-turbo at 720p cost 0.3 units a second.
		const made = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				operation: 'textToVideo',
				prompt: 'A fox',
				model: 'kling-2.5-turbo',
				durationSeconds: 10,
			},
			credentials: apiKeyCredentials(bed.sim.url),
		});
		expect(made.error).toBeUndefined();
		const result = await packs({ simplify: true });
		expect(result.items[0].json.remaining).toBe(1_000_000 - 3);
	});

	it('asks Kling at most once a second, so several items are all answered', async () => {
		const result = await packs({}, [{}, {}, {}]);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		const times = costRequests().map((request) => request.at);
		expect(times).toHaveLength(3);
		for (let index = 1; index < times.length; index++) {
			expect(times[index] - times[index - 1]).toBeGreaterThanOrEqual(990);
		}
	});

	it('refuses an End Time before the Start Time, or a time that is not one, before sending', async () => {
		const backwards = await packs({
			startTime: '2026-11-02T00:00:00Z',
			endTime: '2026-11-01T00:00:00Z',
		});
		expect(backwards.error?.message).toMatch(/^End Time must not be before Start Time/);
		const nonsense = await packs({ startTime: '={{ "yesterday-ish" }}' });
		expect(nonsense.error?.message).toBe(
			'Start Time must be a date and time, but it is "yesterday-ish"',
		);
		expect(costRequests()).toHaveLength(0);
	});
});
