import type { INodeExecutionData, INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { KlingVideo } from '../../nodes/KlingVideo/KlingVideo.node';
import { PRESET_ELEMENTS, sampleUrl } from '../../simulator';
import { KlingTestbed, accessKeyCredentials, apiKeyCredentials } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { makePng } from '../simulator/testImages';
import { klingRequests, sentCreate } from './generationHelpers';

/**
 * Kling Video › Motion Control through n8n-core against the simulator: the request as Kling
 * takes it, every rule checked before sending, and Kling's refusal of a motion video said in
 * plain words. The simulator serves motion videos of known lengths at its /samples/ URLs.
 */
const bed = new KlingTestbed({ timing: { submittedMs: 40, processingMs: 200 } });
beforeAll(async () => {
	await bed.start();
	bed.credentials = apiKeyCredentials(bed.sim.url);
});
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

const scaledPolling = { pollInterval: 0.003, maxPollInterval: 0.03 };

async function run(parameters: INodeParameters, inputItems?: INodeExecutionData[]) {
	return await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: { operation: 'motionControl', ...parameters },
		inputItems,
	});
}

const path = (model: string) => `/motion-control/${model}`;
const dance = (seconds: number) => sampleUrl(bed.sim.url, `dance-${seconds}s.mp4`);
const character = 'https://example.com/character.png';
const PNG = makePng(640, 360);
const ELEMENT = PRESET_ELEMENTS[0].id;

/** A character image by URL and a motion video that fits every orientation. */
const given = () => ({ imageSource: 'url', image: character, motionVideoUrl: dance(5) });

describe('Kling Video: Motion Control, the request', () => {
	it('sends the defaults: kling-3.0, the image and video as contents, orientation "video", original sound, 720p, no duration', async () => {
		const result = await run(given());
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0'))).toEqual({
			contents: [
				{ type: 'image', url: character },
				{ type: 'video', url: dance(5) },
			],
			settings: { resolution: '720p', audio: 'original', character_orientation: 'video' },
		});
	});

	it('kling-3.0: a prompt first, the image, the video, then one element; 1080p, sound off, orientation "image", options', async () => {
		const result = await run({
			...given(),
			prompt: 'The astronaut dances on the moon',
			characterOrientation: 'image',
			resolution: '1080p',
			audio: 'off',
			elementIds: [ELEMENT],
			additionalFields: { externalTaskId: 'motion-1', watermark: true },
		});
		expect(result.error).toBeUndefined();
		const body = sentCreate(bed, path('kling-3.0'));
		expect(body).toEqual({
			contents: [
				{ type: 'prompt', text: 'The astronaut dances on the moon' },
				{ type: 'image', url: character },
				{ type: 'video', url: dance(5) },
				{ type: 'element', element_id: ELEMENT, id: '1' },
			],
			settings: { resolution: '1080p', audio: 'off', character_orientation: 'image' },
			options: { external_task_id: 'motion-1', watermark_info: { enabled: true } },
		});
		expect(body).not.toHaveProperty('model_name');
		expect(body.settings).not.toHaveProperty('duration');
	});

	it('kling-2.6: the character image from a binary field as Base64, original sound', async () => {
		const result = await run(
			{ model: 'kling-2.6', motionVideoUrl: dance(12), resolution: '1080p' },
			[{ json: {}, binary: { data: { data: PNG.toString('base64'), mimeType: 'image/png' } } }],
		);
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-2.6'))).toEqual({
			contents: [
				{ type: 'image', url: PNG.toString('base64') },
				{ type: 'video', url: dance(12) },
			],
			settings: { resolution: '1080p', audio: 'original', character_orientation: 'video' },
		});
	});

	it('waits by Poll for a video as long as the motion video', async () => {
		const result = await run({
			...given(),
			motionVideoUrl: dance(25),
			waitForCompletion: 'poll',
			simplify: true,
			options: scaledPolling,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ status: 'succeeded' });
		expect(Math.floor(Number(result.items[0].json.duration))).toBe(25);
	});

	it('stops at a failed task with Motion Control’s words', async () => {
		const result = await run({
			...given(),
			prompt: 'simulate-failure',
			waitForCompletion: 'poll',
			options: scaledPolling,
		});
		expect(result.error?.message).toMatch(
			/^Kling could not move the character like the motion video: .*simulate-failure/,
		);
	});
});

describe('Kling Video: Motion Control, refused before sending', () => {
	// Parameters as functions: the sample URLs need the simulator started.
	const refusals: Array<[string, () => INodeParameters, string]> = [
		[
			'a model without motion control',
			() => ({ ...given(), model: 'kling-3.0-turbo' }),
			'Model must be one of "kling-3.0", "kling-2.6", but it is "kling-3.0-turbo"',
		],
		[
			'a retired model',
			() => ({ ...given(), model: 'kling-v1-6' }),
			'Model "kling-v1-6" (Kling V1.6) has been retired by Kling: it no longer makes videos',
		],
		[
			'4K',
			() => ({ ...given(), resolution: '4k' }),
			'Resolution must be one of "720p", "1080p" on kling-3.0, but it is "4k"',
		],
		[
			'Audio "native" (an expression)',
			() => ({ ...given(), model: 'kling-2.6', audio: '={{ "native" }}' }),
			'Audio must be one of "original", "off" on kling-2.6, but it is "native"',
		],
		[
			'an unknown character orientation',
			() => ({ ...given(), characterOrientation: '={{ "sideways" }}' }),
			'Character Orientation must be one of "video", "image" on motion control, but it is "sideways"',
		],
		[
			'no motion video (an expression that gives none)',
			() => ({ ...given(), motionVideoUrl: '={{ $json.video ?? "" }}' }),
			'Motion Video URL is required, but it is an empty text',
		],
		[
			'a motion video that is not an http(s) URL',
			() => ({ ...given(), motionVideoUrl: 'file:///videos/dance.mp4' }),
			'Motion Video URL must be an http:// or https:// URL, but it is "file:///videos/dance.mp4"',
		],
		[
			'no character image',
			() => ({ ...given(), image: '' }),
			'Character Image is required: motion control starts from an image',
		],
		[
			'a character image URL that is not http(s)',
			() => ({ ...given(), image: 'ftp://example.com/character.png' }),
			'Character Image must be an http:// or https:// URL, but it is "ftp://example.com/character.png"',
		],
		[
			'two elements on kling-3.0',
			() => ({ ...given(), elementIds: [ELEMENT, PRESET_ELEMENTS[1].id] }),
			'Element Names or IDs can have at most 1 ID on kling-3.0, but there are 2',
		],
		[
			'an element on kling-2.6 (a model given by an expression)',
			() => ({ ...given(), model: '={{ "kling-2.6" }}', elementIds: [ELEMENT] }),
			'Element Names or IDs can be used on "kling-3.0" only, not on kling-2.6',
		],
		[
			'a prompt over 2,500 characters',
			() => ({ ...given(), prompt: 'x'.repeat(2501) }),
			'Prompt is too long: 2501 characters, and Kling allows at most 2500',
		],
	];

	it.each(refusals)('refuses %s, before anything is sent', async (_case, parameters, message) => {
		const result = await run(parameters());
		expect(result.error?.message).toBe(message);
		expect(klingRequests(bed)).toHaveLength(0);
	});

	it('reads the character image as Image to Video reads its frame', async () => {
		const small = await run({
			...given(),
			imageSource: 'base64',
			image: makePng(200, 200).toString('base64'),
		});
		expect(small.error?.message).toBe(
			'Character Image is 200×200 px, and Kling needs a width and height of at least 300 px',
		);
		const missing = await run({ model: 'kling-2.6', motionVideoUrl: dance(5) }, [{ json: {} }]);
		expect(missing.error?.message).toBe(
			'Character Image: the input item has no binary field "data"',
		);
		expect(klingRequests(bed)).toHaveLength(0);
	});

	it('refuses an access key + secret key credential before sending', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'motionControl', ...given() },
			credentials: accessKeyCredentials(bed.sim.url),
		});
		expect(result.error?.message).toBe(
			"The Kling API credential uses an access key + secret key, and Kling's current models (kling-3.0 among them) take only an API key",
		);
		expect(bed.sim.requests.filter((request) => !request.path.startsWith('/samples/'))).toEqual([]);
	});
});

describe('Kling Video: Motion Control, Kling’s refusal of the motion video in plain words', () => {
	it('a 40 s motion video: Kling takes up to 30 s with "video"', async () => {
		const result = await run({ ...given(), motionVideoUrl: dance(40) });
		expect(result.error?.message).toBe(
			'The motion video is 40 s long: with Character Orientation "video" Kling takes up to 30 s, with "image" up to 10 s',
		);
		expect(result.error?.description).toMatch(
			/^Cut the motion video to at most 30 s \(10 s with Character Orientation "image"\)\. Kling said: /,
		);
		// Kling refused the create: one request, no task to read.
		expect(klingRequests(bed).map((request) => request.path)).toEqual([path('kling-3.0')]);
	});

	it('a 12 s motion video with orientation "image": set it to "video"', async () => {
		const result = await run({
			...given(),
			motionVideoUrl: dance(12),
			characterOrientation: 'image',
		});
		expect(result.error?.message).toBe(
			'The motion video is 12 s long: with Character Orientation "video" Kling takes up to 30 s, with "image" up to 10 s',
		);
		expect(result.error?.description).toMatch(
			/^Character Orientation is "image": set it to "video" to use up to 30 s of motion, or cut the video to 10 s\./,
		);
	});

	it('a 2 s motion video: at least 3 s', async () => {
		const result = await run({ ...given(), motionVideoUrl: dance(2) });
		expect(result.error?.message).toBe(
			'The motion video is 2 s long: Kling needs at least 3 s of motion',
		);
	});

	it('a motion video Kling cannot read', async () => {
		const result = await run({
			...given(),
			motionVideoUrl: `${bed.sim.url}/samples/voice-10s.wav`,
		});
		expect(result.error?.message).toMatch(/^Kling could not use the motion video: /);
		expect(result.error?.description).toMatch(/^Motion Video URL must be a public http\(s\) link/);
	});
});

describe('Kling Video: Motion Control in the editor', () => {
	const { description } = new KlingVideo();

	/** The fields n8n shows for these values, by its own display rules. */
	function shown(values: Record<string, unknown>): INodeProperties[] {
		const node = { typeVersion: 1 };
		const withDefaults =
			NodeHelpers.getNodeParameters(
				description.properties,
				{ operation: 'motionControl', ...values } as never,
				true,
				false,
				null,
				description,
			) ?? {};
		return description.properties.filter((property) =>
			NodeHelpers.displayParameter(withDefaults, property, node, description),
		);
	}
	const names = (values: Record<string, unknown>) => shown(values).map((field) => field.name);

	it('offers kling-3.0 (the default) and kling-2.6, and no duration, aspect ratio or multi-shot', () => {
		const [model] = shown({}).filter((field) => field.name === 'model');
		expect(model.default).toBe('kling-3.0');
		expect((model.options as Array<{ value: string }>).map((option) => option.value)).toEqual([
			'kling-2.6',
			'kling-3.0',
		]);
		for (const gone of ['durationSeconds', 'aspectRatio', 'multiShot', 'shots', 'imageTail']) {
			expect(names({})).not.toContain(gone);
		}
		expect(names({})).toEqual(
			expect.arrayContaining([
				'motionLengthNotice',
				'imageSource',
				'image',
				'motionVideoUrl',
				'characterOrientation',
				'prompt',
				'resolution',
				'audio',
				'waitForCompletion',
				'additionalFields',
			]),
		);
	});

	it('defaults to orientation "video", original sound and 720p; Element IDs on kling-3.0 only', () => {
		const field = (name: string) => shown({}).find((each) => each.name === name);
		expect(field('characterOrientation')?.default).toBe('video');
		expect(field('audio')?.default).toBe('original');
		expect(field('resolution')?.default).toBe('720p');
		expect(
			(field('resolution')?.options as Array<{ value: string }>).map((option) => option.value),
		).toEqual(['1080p', '720p']);
		expect(names({ model: 'kling-3.0' })).toContain('elementIds');
		expect(names({ model: 'kling-2.6' })).not.toContain('elementIds');
	});
});
