import axios from 'axios';
import type { IBinaryData } from 'n8n-workflow';

import { signKlingJwt } from '../../credentials/KlingApi.credentials';
import { DEFAULT_ACCOUNT } from '../../simulator';

import { readBinary } from '../harness/binary';
import { base64, makePng } from '../simulator/testImages';
import { SECRET, TriggerBed, expectStarted } from './setup';

/**
 * The trigger receives the callbacks of every kind of task: Kling's endpoints tell them apart
 * (video-extend and lip-sync tasks both carry a parent video, the others none), it confirms each
 * with Kling at its own endpoint, and says which kind each item is.
 */
const bed = new TriggerBed({
	simulator: { webhookSecrets: [SECRET], videoBytes: 256 },
	credentials: { webhookSecret: SECRET },
});
beforeAll(() => bed.start());
afterAll(() => bed.stop());

const KINDS = [
	['textToVideo', '/v1/videos/text2video', { model_name: 'kling-v2-6', prompt: 'A fox' }],
	[
		'imageToVideo',
		'/v1/videos/image2video',
		{ model_name: 'kling-v2-6', image: base64(makePng(640, 360)) },
	],
	['videoExtend', '/v1/videos/video-extend', { video_id: 'sim-video-5s' }],
	[
		'avatar',
		'/v1/videos/avatar/image2video',
		{ image: base64(makePng(640, 640)), audio_id: 'sim-audio-5s' },
	],
] as const;

/** Creates a task of the kind at the simulator, with the trigger as its callback URL. */
async function createTask(path: string, body: object): Promise<string> {
	return await bed.createTaskAt(path, { ...body, callback_url: bed.url() });
}

function readsOf(taskId: string) {
	return bed.sim.requests.filter(
		(request) => request.method === 'GET' && request.path.endsWith(taskId),
	);
}

describe('Kling Trigger: the kinds of task', () => {
	it.each(KINDS)(
		'%s: starts a run with the kind named, and the video downloaded',
		async (kind, path, body) => {
			await bed.reset(
				{ options: { downloadVideo: true, simplify: true } },
				{ webhookSecret: SECRET },
			);
			const taskId = await createTask(path, body);
			await bed.finish(taskId);
			expectStarted(bed, 1);
			const [item] = bed.harness.runs[0];
			expect(item.json).toMatchObject({ taskId, status: 'succeeded', taskKind: kind });
			expect((await readBinary(item.binary?.data as IBinaryData)).length).toBe(256);
			// Signed callbacks: a legacy task is looked up only to name its kind, last at its own endpoint.
			const reads = readsOf(taskId).map((request) => request.path);
			expect(reads.at(-1)).toBe(`${path}/${taskId}`);
		},
	);

	it.each(KINDS)(
		'%s: Confirm With Kling reads the task at its own endpoint',
		async (kind, path, body) => {
			await bed.reset({ confirmWithKling: true }, { webhookSecret: SECRET });
			const taskId = await createTask(path, body);
			await bed.finish(taskId);
			expectStarted(bed, 1);
			expect(bed.harness.runs[0][0].json).toMatchObject({ task_id: taskId, taskKind: kind });
			const found = readsOf(taskId).filter((request) => request.path === `${path}/${taskId}`);
			expect(found).toHaveLength(1);
		},
	);

	it('is not misled by a parent video added to the body of a text-to-video task', async () => {
		await bed.reset({ confirmWithKling: true }, { webhookSecret: SECRET });
		const taskId = await createTask(KINDS[0][1], KINDS[0][2]);
		await bed.finish(taskId);
		bed.harness.reset();
		await bed.harness.activate();
		const task = bed.sim.getGenerationTask(taskId);
		const forged = { ...task, task_info: { parent_video: { id: 'sim-video-5s', duration: '5' } } };
		const answer = await bed.deliver(JSON.stringify(forged), { secrets: [SECRET] });
		expect(answer.status).toBe(200);
		expect(bed.harness.runs[0][0].json).toMatchObject({ task_id: taskId, taskKind: 'textToVideo' });
	});

	it('reads a legacy body’s "succeeded" (the current spelling) as "succeeded" too', async () => {
		await bed.reset({ options: { simplify: true } }, { webhookSecret: SECRET });
		const taskId = await createTask(KINDS[0][1], KINDS[0][2]);
		await bed.finish(taskId);
		bed.harness.reset();
		await bed.harness.activate();
		const task = bed.sim.getGenerationTask(taskId);
		const answer = await bed.deliver(
			JSON.stringify({ ...task, task_status: 'succeeded', updated_at: 1 }),
			{
				secrets: [SECRET],
			},
		);
		expect(answer.status).toBe(200);
		expectStarted(bed, 1);
		expect(bed.harness.runs[0][0].json).toMatchObject({
			status: 'succeeded',
			taskKind: 'textToVideo',
		});
	});

	it('names the kind "unknown" when Kling knows the task under no kind (no confirmation asked)', async () => {
		await bed.reset({}, { webhookSecret: SECRET });
		const answer = await bed.deliver(
			JSON.stringify({ task_id: '4242', task_status: 'succeed', task_info: {} }),
			{ secrets: [SECRET] },
		);
		expect(answer.status).toBe(200);
		expect(bed.harness.runs[0][0].json).toMatchObject({ task_id: '4242', taskKind: 'unknown' });
	});

	it('names a lip-sync task "lipSync", though its body carries a parent video as video-extend’s do', async () => {
		await bed.reset({ options: { simplify: true } }, { webhookSecret: SECRET });
		const headers = {
			Authorization: `Bearer ${signKlingJwt(DEFAULT_ACCOUNT.accessKey, DEFAULT_ACCOUNT.secretKey)}`,
		};
		const identified = await axios.post(
			`${bed.sim.url}/v1/videos/identify-face`,
			{ video_id: 'sim-video-5s' },
			{ headers },
		);
		const taskId = await createTask('/v1/videos/advanced-lip-sync', {
			session_id: identified.data.data.session_id,
			face_choose: [
				{
					face_id: '0',
					audio_id: 'sim-audio-5s',
					sound_start_time: 0,
					sound_end_time: 3000,
					sound_insert_time: 0,
				},
			],
		});
		await bed.finish(taskId);
		expectStarted(bed, 1);
		expect(bed.harness.runs[0][0].json).toMatchObject({
			taskId,
			parentVideoId: 'sim-video-5s',
			taskKind: 'lipSync',
		});
	});
});
