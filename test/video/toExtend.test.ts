import { KlingTestbed, apiKeyCredentials } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';

/**
 * From Kling Video to Kling Video Extend, as Kling is today: Kling extends only V1.x videos made
 * through its API in the last 30 days, and no longer makes any. A video of a current model gets
 * Kling's refusal, said in plain words; the simulator's seeded V1.x videos still extend.
 */
const bed = new KlingTestbed();
beforeAll(async () => {
	await bed.start();
	bed.credentials = apiKeyCredentials(bed.sim.url);
});
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

const EXTEND_PATH = '/v1/videos/video-extend';

/** A finished video of a current model, made by Kling Video (the simulator moved on by hand). */
async function currentModelVideo(model: string): Promise<string> {
	const result = await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: {
			operation: 'textToVideo',
			model,
			prompt: 'A lighthouse at dawn',
			additionalFields: { externalTaskId: `video-${model}` },
		},
	});
	expect(result.error).toBeUndefined();
	const taskId = String(bed.sim.getCurrentTask(`video-${model}`)?.id);
	for (let step = 0; step < 3; step++) await bed.sim.advance(taskId);
	const task = bed.sim.getCurrentTask(taskId);
	expect(task?.status).toBe('succeeded');
	return String(task?.outputs[0].id);
}

function extendRequests() {
	return bed.sim.requests.filter((r) => r.method === 'POST' && r.path === EXTEND_PATH);
}

describe('Kling Video Extend on the videos Kling Video makes today', () => {
	it.each(['kling-3.0-turbo', 'kling-2.6'])(
		'says in plain words that Kling does not extend a %s video',
		async (model) => {
			const videoId = await currentModelVideo(model);
			const result = await bed.run({ parameters: { operation: 'create', videoId } });
			expect(result.error?.message).toBe(
				`Kling extends only V1.x videos made through its API in the last 30 days; this video (${videoId}) cannot be extended`,
			);
			expect(result.error?.description).toMatch(/^Kling no longer makes V1\.x videos/);
			expect(extendRequests()).toHaveLength(1);
		},
	);

	it('says the same at the first step of Extend to Duration', async () => {
		const videoId = await currentModelVideo('kling-3.0');
		const result = await bed.run({
			parameters: { operation: 'extendUntil', videoId, targetDuration: 20 },
		});
		expect(result.error?.message).toBe(
			`Kling extends only V1.x videos made through its API in the last 30 days; this video (${videoId}) cannot be extended`,
		);
		expect(extendRequests()).toHaveLength(1);
	});

	it('still extends a V1.x video made through the API (the simulator’s seeded ones)', async () => {
		const result = await bed.run({ parameters: { operation: 'create', videoId: 'sim-video-5s' } });
		expect(result.error).toBeUndefined();
		expect(JSON.parse(extendRequests()[0].body)).toMatchObject({ video_id: 'sim-video-5s' });
	});
});

describe('Extend to Duration no longer starts from a prompt', () => {
	it('ignores a saved Start From: A Prompt and reads the Video ID, sending nothing without one', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'extendUntil',
				startFrom: 'prompt',
				firstVideoPrompt: 'A lighthouse at dawn',
			},
			items: [{ idea: 'no video here' }],
		});
		expect(result.error?.message).toBe('Video ID is required, but it is nothing');
		expect(bed.sim.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});
});
