import type { IBinaryData, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { makeAac, makeMp3, makeMp4, makeWav } from '../../simulator';
import { readBinary } from '../harness/binary';
import { KlingTestbed, accessKeyCredentials, expectNoSecrets, secretsSeen } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { WaitingExecution } from '../harness/waitingExecution';
import { makeJpeg, makePng } from '../simulator/testImages';
import { AVATAR, postsTo, sentBody, talkingRequests, withFiles } from './talkingHelpers';

/**
 * Kling Video › Avatar: `POST /v1/videos/avatar/image2video` with a face image and a speech (a
 * sound file as Base64 or a URL, or Text to Speech's audio ID); the speech is checked from its
 * own header before anything is sent.
 */
const PNG = makePng(640, 640);
const WAV = makeWav(5);
const FACE_URL = 'https://example.com/face.png';

function face(extra: Record<string, [Buffer, string]> = {}): INodeExecutionData {
	return withFiles({ data: [PNG, 'png'], speech: [WAV, 'wav'], ...extra });
}

describe('Kling Video: Avatar, the request', () => {
	const bed = new KlingTestbed();
	beforeAll(async () => {
		await bed.start();
		bed.useApiKey();
	});
	afterAll(() => bed.stop());
	beforeEach(() => bed.sim.reset());

	async function run(parameters: INodeParameters, inputItems?: INodeExecutionData[]) {
		return await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'avatar', ...parameters },
			inputItems,
		});
	}

	it('sends the image and a WAV of binary fields as raw Base64 (image "data", speech named)', async () => {
		const result = await run({ speech: 'speech' }, [face()]);
		expect(result.error).toBeUndefined();
		expect(sentBody(bed, AVATAR)).toEqual({
			image: PNG.toString('base64'),
			sound_file: WAV.toString('base64'),
			mode: 'std',
		});
		expect(result.items[0].json).toMatchObject({ task_status: 'submitted' });
		expect(bed.sim.getTalkingTask(String(result.items[0].json.task_id))).toBeDefined();
	});

	it('takes MP3, M4A and AAC files too', async () => {
		for (const [bytes, extension] of [
			[makeMp3(3), 'mp3'],
			[makeMp4(4, 'M4A '), 'm4a'],
			[makeAac(4), 'aac'],
		] as Array<[Buffer, string]>) {
			bed.sim.clearRequests();
			const result = await run({ speech: 'speech' }, [face({ speech: [bytes, extension] })]);
			expect(result.error).toBeUndefined();
			expect(sentBody(bed, AVATAR).sound_file).toBe(bytes.toString('base64'));
		}
	});

	it('sends a speech URL as sound_file, an audio ID as audio_id, with prompt, mode and Additional Fields', async () => {
		const byUrl = await run({
			imageSource: 'url',
			image: FACE_URL,
			speechSource: 'url',
			speech: `${bed.sim.url}/samples/speech-6s.mp3`,
			prompt: 'She smiles while she speaks',
			mode: 'pro',
			additionalFields: {
				watermark: true,
				externalTaskId: 'avatar-1',
				callbackUrl: 'https://n8n.example.com/webhook/kling',
			},
		});
		expect(byUrl.error).toBeUndefined();
		expect(sentBody(bed, AVATAR)).toEqual({
			image: FACE_URL,
			sound_file: `${bed.sim.url}/samples/speech-6s.mp3`,
			prompt: 'She smiles while she speaks',
			mode: 'pro',
			watermark_info: { enabled: true },
			external_task_id: 'avatar-1',
			callback_url: 'https://n8n.example.com/webhook/kling',
		});
		bed.sim.clearRequests();
		const byId = await run({
			imageSource: 'base64',
			image: `data:image/jpeg;base64,${makeJpeg(400, 600).toString('base64')}`,
			speechSource: 'audioId',
			speech: 'sim-audio-75s',
		});
		expect(byId.error).toBeUndefined();
		expect(sentBody(bed, AVATAR)).toEqual({
			image: makeJpeg(400, 600).toString('base64'),
			audio_id: 'sim-audio-75s',
			mode: 'std',
		});
	});

	const refusals: Array<[string, INodeParameters, INodeExecutionData[], RegExp]> = [
		[
			'a speech that is no sound (a PNG)',
			{ speech: 'speech' },
			[face({ speech: [PNG, 'png'] })],
			/^Speech must be an MP3, WAV, M4A or AAC file, but it is a PNG image$/,
		],
		[
			'a MOV video as speech',
			{ speech: 'speech' },
			[face({ speech: [makeMp4(4, 'qt  '), 'mov'] })],
			/^Speech must be an MP3, WAV, M4A or AAC file, but it is a MOV video$/,
		],
		[
			'a WAV of 1.5 s',
			{ speech: 'speech' },
			[face({ speech: [makeWav(1.5), 'wav'] })],
			/^Speech is 1.5 s long, and Avatar takes a speech of 2 s to 5 minutes \(300 s\)$/,
		],
		[
			'an MP3 over 5 minutes',
			{ speech: 'speech' },
			[face({ speech: [makeMp3(301), 'mp3'] })],
			/^Speech is 301 s long, and Avatar takes a speech of 2 s to 5 minutes/,
		],
		[
			'a file over 5 MB',
			{ speech: 'speech' },
			[face({ speech: [makeWav(170), 'wav'] })],
			/^Speech is 5.2 MB, and Kling allows at most 5 MB$/,
		],
		[
			'a missing speech field',
			{ speech: 'voice' },
			[face()],
			/^Speech: the input item has no binary field "voice"$/,
		],
		[
			'a speech URL that is not http(s)',
			{ speechSource: 'url', speech: 'ftp://example.com/a.mp3' },
			[face()],
			/^Speech must be an http:\/\/ or https:\/\/ URL/,
		],
		[
			'an empty audio ID',
			{ speechSource: 'audioId', speech: '' },
			[face()],
			/^Speech is required, but it is an empty text$/,
		],
		[
			'a face image too small',
			{ speech: 'speech' },
			[face({ data: [makePng(200, 200), 'png'] })],
			/^Image is 200×200 px, and Kling needs a width and height of at least 300 px$/,
		],
		[
			'a face image over 10 MB',
			{ speech: 'speech' },
			[face({ data: [makePng(400, 400, 10 * 1024 * 1024 + 1024), 'png'] })],
			/^Image is 10.1 MB, and Kling allows at most 10 MB$/,
		],
		[
			'a prompt over 2,500 characters',
			{ speech: 'speech', prompt: 'a'.repeat(2501) },
			[face()],
			/^Prompt is too long: 2501 characters, and Kling allows at most 2500$/,
		],
		[
			'a mode Kling does not know',
			{ speech: 'speech', mode: 'ultra' },
			[face()],
			/^Mode must be "std" or "pro", but it is "ultra"$/,
		],
	];

	it.each(refusals)(
		'refuses %s before anything is sent',
		async (_case, parameters, items, message) => {
			const result = await run(parameters, items);
			expect(result.error?.message).toMatch(message);
			expect(talkingRequests(bed)).toHaveLength(0);
		},
	);

	it('works with an access key + secret key, and no secret reaches the output or an error', async () => {
		const credentials = accessKeyCredentials(bed.sim.url);
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'avatar', speech: 'speech' },
			inputItems: [face()],
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(postsTo(bed, AVATAR)[0].headers.authorization).toMatch(/^Bearer ey/);
		const refused = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'avatar', speechSource: 'audioId', speech: 'sim-audio-301s' },
			inputItems: [face()],
			credentials,
		});
		expect(refused.error?.message).toMatch(/audio_id is 301 s long/);
		expectNoSecrets(
			JSON.stringify([result.items, refused.error?.message, refused.error?.description]),
			secretsSeen(bed.sim, credentials),
		);
	});
});

describe('Kling Video: Avatar, waiting for the video', () => {
	const SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
	const bed = new KlingTestbed({
		timing: { submittedMs: 40, processingMs: 200 },
		webhookSecrets: [SECRET],
		videoBytes: 1024,
	});
	beforeAll(() => bed.start());
	afterAll(() => bed.stop());
	beforeEach(() => bed.sim.reset());

	it('by Poll: waits at the avatar endpoint, downloads the video, Simplify says "succeeded"', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				operation: 'avatar',
				speech: 'speech',
				waitForCompletion: 'poll',
				downloadVideo: true,
				simplify: true,
				options: { pollInterval: 0.003, maxPollInterval: 0.03 },
			},
			inputItems: [face()],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toMatchObject({ status: 'succeeded', duration: 5 });
		expect((await readBinary(item.binary?.data as IBinaryData)).length).toBe(1024);
		const reads = bed.apiRequests().filter((request) => request.method === 'GET');
		expect(reads.length).toBeGreaterThan(0);
		expect(reads.every((read) => read.path === `${AVATAR}/${item.json.taskId}`)).toBe(true);
	});

	it('by Callback: sends the resume URL, and Kling’s callback resumes the execution', async () => {
		const manual = new KlingTestbed({ webhookSecrets: [SECRET], videoBytes: 512 });
		await manual.start();
		const waiting = new WaitingExecution();
		await waiting.start();
		try {
			const first = await waiting.run({
				nodeType: KLING_VIDEO_TYPE,
				parameters: {
					operation: 'avatar',
					speech: 'speech',
					waitForCompletion: 'callback',
					downloadVideo: true,
					simplify: true,
				},
				inputItems: [face()],
				credentials: { klingApi: { ...manual.credentials, webhookSecret: SECRET } },
			});
			expect(first.error).toBeUndefined();
			expect(first.waiting).toBe(true);
			const body = JSON.parse(postsTo(manual, AVATAR)[0].body) as Record<string, string>;
			expect(new URL(body.callback_url).pathname).toBe('/webhook-waiting/1');
			expect(body.external_task_id).toMatch(/^n8n-1-[0-9a-f]{8}-0$/);
			const taskId = String(first.items[0].json.taskId);
			await manual.sim.advance(taskId);
			await manual.sim.advance(taskId);
			const run = await waiting.finished;
			await waiting.settled();
			expect(run.data.resultData.error).toBeUndefined();
			const output = run.data.resultData.runData.Kling.at(-1)?.data?.main[0] ?? [];
			expect(output[0].json).toMatchObject({ taskId, status: 'succeeded' });
			expect((await readBinary(output[0].binary?.data as IBinaryData)).length).toBe(512);
			const reads = manual.apiRequests().filter((request) => request.method === 'GET');
			expect(reads.every((read) => read.path.startsWith(`${AVATAR}/`))).toBe(true);
		} finally {
			await waiting.stop();
			await manual.stop();
		}
	});

	it('Get Task of Kling Video reads an avatar task at /tasks', async () => {
		bed.useApiKey();
		const created = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'avatar', speech: 'speech', simplify: true },
			inputItems: [face()],
		});
		const taskId = String(created.items[0].json.taskId);
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'get', taskId, simplify: true },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ taskId });
		expect(bed.apiRequests().at(-1)?.path).toBe('/tasks');
	});
});
