import { PRESET_VOICES } from '../../simulator';
import { KlingTestbed } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';

/**
 * Kling Video's Voice resource against the simulator: `POST /v1/general/custom-voices` (waited
 * for like a video task), Get by the creation task, Get Many of custom or preset voices
 * (pageNum/pageSize) and Delete; every input rule refused before anything is sent.
 */
const VOICES = '/v1/general/custom-voices';
const PRESETS = '/v1/general/presets-voices';
const DELETE = '/v1/general/delete-voices';
const scaledPolling = { pollInterval: 0.003, maxPollInterval: 0.03 };

const bed = new KlingTestbed({ timing: { submittedMs: 20, processingMs: 60 } });
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

const clip = (name = 'voice-10s.mp3') => `${bed.sim.url}/samples/${name}`;

const voiceFromClip = (extra: Record<string, unknown> = {}) => ({
	resource: 'voice',
	operation: 'create',
	voiceName: 'Narrator',
	voiceSource: 'url',
	voiceUrl: clip(),
	...extra,
});

async function makeVoice(name = 'Narrator') {
	const result = await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: voiceFromClip({
			voiceName: name,
			waitForCompletion: 'poll',
			simplify: true,
			options: scaledPolling,
		}),
	});
	expect(result.error).toBeUndefined();
	return result.items[0].json;
}

describe('Voice: Create', () => {
	it('sends the clip and, waiting, outputs the voice’s id', async () => {
		const json = await makeVoice();
		const [create, ...reads] = bed.apiRequests();
		expect([create.method, create.path, JSON.parse(create.body)]).toEqual([
			'POST',
			VOICES,
			{
				voice_name: 'Narrator',
				voice_url: clip(),
				external_task_id: expect.stringMatching(/^n8n-/),
			},
		]);
		expect(reads.every((read) => read.path === `${VOICES}/${String(json.taskId)}`)).toBe(true);
		const voiceId = bed.sim.getCurrentTask(String(json.taskId))?.outputs[0].id;
		expect(voiceId).toMatch(/^\d{18}$/);
		expect(json).toMatchObject({ status: 'succeeded', voiceId, voiceName: 'Narrator' });
		expect(json).not.toHaveProperty('elementId');
	});

	it('sends a Kling video’s id instead of a clip, with the user’s external id', async () => {
		await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				resource: 'voice',
				operation: 'create',
				voiceName: 'From video',
				voiceSource: 'video',
				videoId: '891495440020668439',
				additionalFields: { externalTaskId: 'my-voice-1' },
			},
		});
		expect(JSON.parse(bed.apiRequests()[0].body)).toEqual({
			voice_name: 'From video',
			video_id: '891495440020668439',
			external_task_id: 'my-voice-1',
		});
	});

	it.each([
		[
			'a name over 20 characters',
			{ voiceName: 'v'.repeat(21) },
			/^Voice Name is too long: 21 characters, and Kling allows at most 20$/,
		],
		['no name', { voiceName: ' ' }, /^Voice Name is required/],
		[
			'a clip URL that is no URL',
			{ voiceUrl: 'voice.mp3' },
			/^Voice URL must be an http:\/\/ or https:\/\/ URL/,
		],
		[
			'a clip of another kind',
			{ voiceUrl: 'https://example.com/voice.ogg' },
			/^Voice URL must be an MP3, WAV, MP4 or MOV file \(.mp3, .wav, .mp4, .mov\), but it ends in .ogg$/,
		],
		['no video id', { voiceSource: 'video', videoId: ' ' }, /^Video ID is required/],
	])('refuses %s before sending anything', async (_case, extra, message) => {
		const result = await bed.run({ nodeType: KLING_VIDEO_TYPE, parameters: voiceFromClip(extra) });
		expect(result.error?.message).toMatch(message);
		expect(bed.apiRequests()).toHaveLength(0);
	});
});

describe('Voice: Get, Get Many, Delete', () => {
	it('gets a voice by its creation task', async () => {
		const made = await makeVoice();
		bed.sim.clearRequests();
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				resource: 'voice',
				operation: 'get',
				taskId: String(made.taskId),
				simplify: true,
			},
		});
		expect(result.error).toBeUndefined();
		expect(bed.apiRequests().map((r) => [r.method, r.path])).toEqual([
			['GET', `${VOICES}/${String(made.taskId)}`],
		]);
		expect(result.items[0].json).toMatchObject({
			voiceId: String(made.voiceId),
			voiceName: 'Narrator',
		});
	});

	it('lists custom voices with Limit, and Kling’s presets', async () => {
		for (const name of ['One', 'Two']) await makeVoice(name);
		bed.sim.clearRequests();
		const custom = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'voice', operation: 'getAll', limit: 5, simplify: true },
		});
		expect(bed.apiRequests().map((r) => [r.path, r.query])).toEqual([
			[VOICES, { pageNum: '1', pageSize: '5' }],
		]);
		expect(custom.items.map((item) => item.json.voiceName).sort()).toEqual(['One', 'Two']);
		bed.sim.clearRequests();
		const presets = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'voice', operation: 'getAll', source: 'preset', simplify: true },
		});
		expect(bed.apiRequests().map((r) => [r.path, r.query])).toEqual([
			[PRESETS, { pageNum: '1', pageSize: '50' }],
		]);
		expect(presets.items.map((item) => [item.json.voiceId, item.json.voiceName])).toEqual(
			PRESET_VOICES.map((voice) => [voice.id, voice.name]),
		);
	});

	it('deletes a custom voice, and says a preset cannot be deleted', async () => {
		const made = await makeVoice();
		bed.sim.clearRequests();
		const deleted = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'voice', operation: 'delete', voiceId: String(made.voiceId) },
		});
		expect(deleted.error).toBeUndefined();
		const [request] = bed.apiRequests();
		expect([request.method, request.path, JSON.parse(request.body)]).toEqual([
			'POST',
			DELETE,
			{ voice_id: made.voiceId },
		]);
		expect(deleted.items[0].json).toMatchObject({ voiceId: String(made.voiceId), deleted: true });
		const preset = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'voice', operation: 'delete', voiceId: PRESET_VOICES[0].id },
		});
		expect(preset.error?.message).toBe(
			`Voice ${PRESET_VOICES[0].id} is one of Kling's preset voices: only custom voices can be deleted`,
		);
	});
});
