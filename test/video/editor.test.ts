import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { KlingVideo } from '../../nodes/KlingVideo/KlingVideo.node';
import { KlingVideoExtend } from '../../nodes/KlingVideoExtend/KlingVideoExtend.node';
import { VIDEO_ID_FROM_INPUT } from '../../nodes/KlingVideoExtend/resources/task/create';

/** What the editor shows, decided by n8n's own display rules on the nodes' descriptions. */
const video = new KlingVideo();
const extend = new KlingVideoExtend();

function shownProperties(
	description: INodeTypeDescription,
	values: Record<string, unknown>,
): INodeProperties[] {
	const node = { typeVersion: 1 };
	const withDefaults =
		NodeHelpers.getNodeParameters(
			description.properties,
			values as never,
			true,
			false,
			null,
			description,
		) ?? {};
	return description.properties.filter((property: INodeProperties) =>
		NodeHelpers.displayParameter(withDefaults, property, node, description),
	);
}

function shown(description: INodeTypeDescription, values: Record<string, unknown>): string[] {
	return shownProperties(description, values).map((property) => property.name);
}

function resolutionChoices(values: Record<string, unknown>): string[] {
	const fields = shownProperties(video.description, values).filter((p) => p.name === 'resolution');
	expect(fields).toHaveLength(1);
	return (fields[0].options as Array<{ value: string }>).map((option) => option.value).sort();
}

const MODELS = ['kling-3.0-turbo', 'kling-3.0', 'kling-2.6', 'kling-2.5-turbo'];
const OPERATIONS = ['textToVideo', 'imageToVideo'];

describe('Kling Video in the editor', () => {
	it('has the operations under stable values, "Get Many" for getAll, and the resume webhook’s lifecycle', () => {
		const operation = video.description.properties.find((p) => p.name === 'operation');
		expect(
			operation?.options?.map((option) => [option.name, (option as { value: string }).value]),
		).toEqual([
			['Avatar', 'avatar'],
			['Get Many', 'getAll'],
			['Get Resource Packs', 'getResourcePacks'],
			['Get Task', 'get'],
			['Image to Video', 'imageToVideo'],
			['Lip-Sync', 'lipSync'],
			['Motion Control', 'motionControl'],
			['Omni Video', 'omniVideo'],
			['Text to Video', 'textToVideo'],
		]);
		expect(video.description.webhooks).toHaveLength(1);
		expect(Object.keys(video.webhookMethods.default)).toEqual(['checkExists', 'create', 'delete']);
	});

	it.each(OPERATIONS)(
		'%s: offers the four current models only, kling-3.0-turbo by default',
		(operation) => {
			const model = video.description.properties.find(
				(p) => p.name === 'model' && p.displayOptions?.show?.operation?.includes(operation),
			);
			expect(model?.default).toBe('kling-3.0-turbo');
			expect(
				(model?.options as Array<{ name: string; value: string }>).map((o) => o.value),
			).toEqual(['kling-2.5-turbo', 'kling-2.6', 'kling-3.0', 'kling-3.0-turbo']);
			expect((model?.options as Array<{ name: string }>).map((o) => o.name)).toEqual([
				'Kling 2.5 Turbo',
				'Kling 2.6',
				'Kling 3.0',
				'Kling 3.0 Turbo',
			]);
		},
	);

	it.each(OPERATIONS)('%s: offers 4K on kling-3.0 only', (operation) => {
		expect(resolutionChoices({ operation, model: 'kling-3.0' })).toEqual(['1080p', '4k', '720p']);
		for (const model of ['kling-3.0-turbo', 'kling-2.6', 'kling-2.5-turbo']) {
			expect(resolutionChoices({ operation, model })).toEqual(['1080p', '720p']);
		}
	});

	it.each(OPERATIONS)(
		'%s: shows Audio on kling-3.0 and kling-2.6 only, and says what the others do about sound',
		(operation) => {
			const fields = (model: string) => shown(video.description, { operation, model });
			expect(fields('kling-3.0')).toContain('audio');
			expect(fields('kling-2.6')).toContain('audio');
			expect(fields('kling-3.0-turbo')).not.toContain('audio');
			expect(fields('kling-2.5-turbo')).not.toContain('audio');
			expect(fields('kling-3.0-turbo')).toContain('alwaysSoundNotice');
			expect(fields('kling-2.5-turbo')).toContain('noSoundNotice');
			for (const model of ['kling-3.0', 'kling-2.6']) {
				expect(fields(model)).not.toContain('alwaysSoundNotice');
				expect(fields(model)).not.toContain('noSoundNotice');
			}
		},
	);

	it.each(OPERATIONS)(
		'%s: offers Multi-Shot on the 3.0 models only; Shots replace Prompt while it is on',
		(operation) => {
			for (const model of ['kling-3.0-turbo', 'kling-3.0']) {
				const single = shown(video.description, { operation, model });
				expect(single).toEqual(expect.arrayContaining(['multiShot', 'prompt']));
				expect(single.filter((name) => name === 'prompt')).toHaveLength(1);
				expect(single).not.toContain('shots');
				const multi = shown(video.description, { operation, model, multiShot: true });
				expect(multi).toContain('shots');
				expect(multi).not.toContain('prompt');
			}
			for (const model of ['kling-2.6', 'kling-2.5-turbo']) {
				const fields = shown(video.description, { operation, model, multiShot: true });
				expect(fields).not.toContain('multiShot');
				expect(fields).not.toContain('shots');
				// One Prompt, whatever Multi-Shot was left at on a 3.0 model (its variant for these models).
				expect(fields.filter((name) => name === 'prompt')).toHaveLength(1);
			}
		},
	);

	it('shows Aspect Ratio on text to video only, and Duration (Seconds) on both', () => {
		for (const model of MODELS) {
			expect(shown(video.description, { operation: 'textToVideo', model })).toEqual(
				expect.arrayContaining(['aspectRatio', 'durationSeconds']),
			);
			const image = shown(video.description, { operation: 'imageToVideo', model });
			expect(image).toContain('durationSeconds');
			expect(image).not.toContain('aspectRatio');
		}
	});

	it('Image to Video: no Last Frame on kling-3.0-turbo; Element IDs on kling-3.0, Voice IDs on kling-2.6 with audio', () => {
		const fields = (values: Record<string, unknown>) =>
			shown(video.description, { operation: 'imageToVideo', ...values });
		expect(fields({ model: 'kling-3.0-turbo' })).toEqual(
			expect.arrayContaining(['imageSource', 'image']),
		);
		expect(fields({ model: 'kling-3.0-turbo' })).not.toContain('imageTail');
		for (const model of ['kling-3.0', 'kling-2.6', 'kling-2.5-turbo']) {
			expect(fields({ model })).toContain('imageTail');
		}
		expect(fields({ model: 'kling-3.0' })).toContain('elementIds');
		for (const model of ['kling-3.0-turbo', 'kling-2.6', 'kling-2.5-turbo']) {
			expect(fields({ model })).not.toContain('elementIds');
		}
		expect(fields({ model: 'kling-2.6', audio: 'native' })).toContain('voiceIds');
		expect(fields({ model: 'kling-2.6', audio: 'off' })).not.toContain('voiceIds');
		for (const model of ['kling-3.0-turbo', 'kling-3.0', 'kling-2.5-turbo']) {
			expect(fields({ model, audio: 'native' })).not.toContain('voiceIds');
		}
	});

	it('Omni Video: Kling 3.0 Omni by default, or O1; 4K, Multi-Shot and native sound on 3.0 Omni only', () => {
		const model = video.description.properties.find(
			(p) => p.name === 'model' && p.displayOptions?.show?.operation?.includes('omniVideo'),
		);
		expect(model?.default).toBe('kling-3.0-omni');
		expect((model?.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'kling-3.0-omni',
			'kling-o1',
		]);
		const operation = 'omniVideo';
		expect(resolutionChoices({ operation, model: 'kling-3.0-omni' })).toEqual([
			'1080p',
			'4k',
			'720p',
		]);
		expect(resolutionChoices({ operation, model: 'kling-o1' })).toEqual(['1080p', '720p']);
		const audioChoices = (values: Record<string, unknown>) => {
			const fields = shownProperties(video.description, { operation, ...values }).filter(
				(p) => p.name === 'audio',
			);
			expect(fields).toHaveLength(1);
			expect(fields[0].default).toBe('off');
			return (fields[0].options as Array<{ value: string }>).map((option) => option.value);
		};
		expect(audioChoices({ model: 'kling-3.0-omni' })).toEqual(['native', 'original', 'off']);
		expect(audioChoices({ model: 'kling-o1' })).toEqual(['original', 'off']);
		const inputs = [
			'prompt',
			'referenceImages',
			'imageSource',
			'image',
			'imageTail',
			'referenceVideoUrl',
			'videoRole',
			'elementIds',
			'durationSeconds',
			'aspectRatio',
			'audio',
			'waitForCompletion',
			'additionalFields',
		];
		const omni = shown(video.description, { operation, model: 'kling-3.0-omni' });
		expect(omni).toEqual(expect.arrayContaining([...inputs, 'multiShot']));
		expect(
			shown(video.description, { operation, model: 'kling-3.0-omni', multiShot: true }),
		).toEqual(expect.arrayContaining(['shots']));
		const o1 = shown(video.description, { operation, model: 'kling-o1', multiShot: true });
		expect(o1).toEqual(expect.arrayContaining(inputs));
		expect(o1).not.toContain('multiShot');
		expect(o1).not.toContain('shots');
		expect(o1.filter((name) => name === 'prompt')).toHaveLength(1);
		for (const notice of ['alwaysSoundNotice', 'noSoundNotice', 'voiceIds']) {
			expect(omni).not.toContain(notice);
		}
	});

	it('has none of the legacy fields any more (Mode is Avatar’s own: std or pro)', () => {
		const names = OPERATIONS.flatMap((operation) => shown(video.description, { operation }));
		expect(shown(video.description, { operation: 'avatar' })).toContain('mode');
		for (const legacy of [
			'mode',
			'duration',
			'cameraControl',
			'cameraConfig',
			'notExtendableNotice',
		]) {
			expect(names).not.toContain(legacy);
		}
		const additional = video.description.properties
			.filter((p) => p.name === 'additionalFields')
			.flatMap((p) => (p.options as INodeProperties[]).map((option) => option.name));
		expect([...new Set(additional)].sort()).toEqual(['callbackUrl', 'externalTaskId', 'watermark']);
	});

	it('shows Lip-Sync’s own options (face, times, volumes) in its Options only', () => {
		const optionNames = (values: Record<string, unknown>) =>
			shownProperties(video.description, values)
				.filter((p) => p.name === 'options')
				.flatMap((p) => (p.options as INodeProperties[]).map((option) => option.name));
		const lipSync = optionNames({ operation: 'lipSync' });
		expect(lipSync).toEqual(
			expect.arrayContaining([
				'faceId',
				'soundStartTime',
				'soundEndTime',
				'soundInsertTime',
				'soundVolume',
				'originalAudioVolume',
				'pollInterval',
			]),
		);
		for (const operation of ['textToVideo', 'avatar', 'get']) {
			const others = optionNames({ operation });
			expect(others).toContain('pollInterval');
			expect(others).not.toContain('faceId');
		}
	});

	it('shows the fields of the chosen image source, and Get Task’s fields', () => {
		const fields = shown(video.description, {
			operation: 'imageToVideo',
			model: 'kling-3.0',
			imageSource: 'url',
		});
		expect(fields).toEqual(expect.arrayContaining(['imageSource', 'image', 'imageTail']));
		const getTaskFields = shown(video.description, { operation: 'get' });
		expect(getTaskFields).toEqual(expect.arrayContaining(['lookupBy', 'taskId']));
		// Kling's current API reads every task at GET /tasks, whatever made it.
		expect(getTaskFields).not.toContain('taskKind');
	});
});

describe('Kling Video’s Element and Voice resources in the editor', () => {
	it('offers Element and Voice beside Video and Audio, each with Create, Delete, Get and Get Many', () => {
		const resource = video.description.properties.find((p) => p.name === 'resource');
		expect(resource?.default).toBe('video');
		expect(resource?.options?.map((option) => (option as { value: string }).value)).toEqual([
			'audio',
			'element',
			'video',
			'voice',
		]);
		for (const value of ['element', 'voice']) {
			const operation = video.description.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(value),
			);
			expect(operation?.default).toBe('create');
			expect(operation?.options?.map((option) => (option as { value: string }).value)).toEqual([
				'create',
				'delete',
				'get',
				'getAll',
			]);
		}
	});

	it('Element Create: images or a video, tags, a voice, the wait (no Download Video), Callback URL and External Task ID', () => {
		const base = { resource: 'element', operation: 'create', waitForCompletion: 'poll' };
		const images = shown(video.description, base);
		expect(images).toEqual(
			expect.arrayContaining([
				'elementName',
				'elementDescription',
				'referenceType',
				'imageSource',
				'frontalImage',
				'referenceImages',
				'tags',
				'voiceId',
				'waitForCompletion',
				'maxWait',
				'additionalFields',
			]),
		);
		expect(images).not.toContain('downloadVideo');
		expect(images).not.toContain('videoUrl');
		const fromVideo = shown(video.description, { ...base, referenceType: 'video' });
		expect(fromVideo).toContain('videoUrl');
		expect(fromVideo).not.toContain('frontalImage');
		const additional = shownProperties(video.description, base).find(
			(p) => p.name === 'additionalFields',
		);
		expect(additional?.options?.map((option) => (option as { name: string }).name)).toEqual([
			'callbackUrl',
			'externalTaskId',
		]);
	});

	it('Voice Create: a clip URL or a Kling video’s ID; Get without Download Video', () => {
		const base = { resource: 'voice', operation: 'create' };
		expect(shown(video.description, base)).toEqual(
			expect.arrayContaining(['voiceName', 'voiceSource', 'voiceUrl']),
		);
		expect(shown(video.description, { ...base, voiceSource: 'video' })).toContain('videoId');
		expect(shown(video.description, { resource: 'voice', operation: 'get' })).not.toContain(
			'downloadVideo',
		);
	});
});

describe('Kling Video Extend in the editor', () => {
	it('always shows Video ID (read from the input item by default); Start From is gone', () => {
		const videoId = extend.description.properties.find((p) => p.name === 'videoId');
		expect(videoId?.default).toBe(VIDEO_ID_FROM_INPUT);
		for (const operation of ['create', 'extendUntil']) {
			expect(shown(extend.description, { operation })).toContain('videoId');
			expect(shown(extend.description, { operation, startFrom: 'prompt' })).toContain('videoId');
		}
		const names = extend.description.properties.map((p) => p.name);
		for (const gone of ['startFrom', 'firstVideoPrompt', 'firstVideoModel']) {
			expect(names).not.toContain(gone);
		}
	});

	it('says on Extend Video and Extend to Duration what Kling still extends', () => {
		for (const operation of ['create', 'extendUntil']) {
			const notice = shownProperties(extend.description, { operation }).find(
				(p) => p.name === 'extensionNotice',
			);
			expect(notice?.type).toBe('notice');
			expect(notice?.displayName).toMatch(
				/^Kling extends only V1\.x videos made through its API in the last 30 days\. Kling no longer makes V1\.x videos/,
			);
		}
		expect(shown(extend.description, { operation: 'get' })).not.toContain('extensionNotice');
		expect(extend.description.description).toMatch(/V1\.x/);
	});
});
