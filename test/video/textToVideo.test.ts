import type { INodeParameters } from 'n8n-workflow';

import { KlingTestbed, apiKeyCredentials, expectNoSecrets, secretsSeen } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { klingRequests, sentCreate } from './generationHelpers';

const bed = new KlingTestbed();
beforeAll(async () => {
	await bed.start();
	bed.credentials = apiKeyCredentials(bed.sim.url);
});
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

async function run(parameters: INodeParameters, items?: Array<Record<string, string>>) {
	return await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: { operation: 'textToVideo', ...parameters },
		items,
	});
}

const path = (model: string) => `/text-to-video/${model}`;

describe('Kling Video: Text to Video on the current models', () => {
	it('sends the defaults (kling-3.0-turbo, 5 s, 720p, 16:9) with the prompt, and no model_name', async () => {
		const result = await run({ prompt: 'A fox runs through snow' });
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-turbo'))).toEqual({
			prompt: 'A fox runs through snow',
			settings: { resolution: '720p', duration: 5, aspect_ratio: '16:9' },
		});
		expect(result.items).toHaveLength(1);
	});

	it.each<[string, INodeParameters, Record<string, unknown>]>([
		[
			'kling-3.0 at 4k with sound, 15 s, 9:16',
			{
				model: 'kling-3.0',
				resolution: '4k',
				durationSeconds: 15,
				aspectRatio: '9:16',
				audio: 'native',
			},
			{ resolution: '4k', duration: 15, aspect_ratio: '9:16', audio: 'native' },
		],
		[
			'kling-3.0 silent (its default)',
			{ model: 'kling-3.0' },
			{ resolution: '720p', duration: 5, aspect_ratio: '16:9', audio: 'off' },
		],
		[
			'kling-2.6 with native sound at 1080p, 10 s',
			{ model: 'kling-2.6', resolution: '1080p', durationSeconds: 10, audio: 'native' },
			{ resolution: '1080p', duration: 10, aspect_ratio: '16:9', audio: 'native' },
		],
		[
			'kling-2.5-turbo (no audio field), 1:1',
			{ model: 'kling-2.5-turbo', durationSeconds: 10, aspectRatio: '1:1' },
			{ resolution: '720p', duration: 10, aspect_ratio: '1:1' },
		],
		[
			'kling-3.0-turbo at 1080p, 3 s (no audio field: it always has sound)',
			{ model: 'kling-3.0-turbo', resolution: '1080p', durationSeconds: 3 },
			{ resolution: '1080p', duration: 3, aspect_ratio: '16:9' },
		],
	])('%s: exactly the settings the model has', async (_case, parameters, settings) => {
		const result = await run({ prompt: 'A fox', ...parameters });
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path(String(parameters.model)))).toEqual({ prompt: 'A fox', settings });
	});

	it('sends Watermark, Callback URL and External Task ID in options', async () => {
		const result = await run({
			prompt: 'A fox',
			additionalFields: {
				watermark: true,
				callbackUrl: 'https://n8n.example.com/webhook/abc/kling',
				externalTaskId: 'order-7',
			},
		});
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-turbo'))).toEqual({
			prompt: 'A fox',
			settings: { resolution: '720p', duration: 5, aspect_ratio: '16:9' },
			options: {
				callback_url: 'https://n8n.example.com/webhook/abc/kling',
				external_task_id: 'order-7',
				watermark_info: { enabled: true },
			},
		});
	});

	it('sends Shots as Kling’s multi-shot prompt, with multi_shot on kling-3.0 only', async () => {
		const shots = {
			shot: [
				{ prompt: 'A lighthouse at dawn', duration: 4 },
				{ prompt: 'Waves break below, the camera pulls back', duration: 6 },
				{ prompt: 'Gulls fly into the sun', duration: 5 },
			],
		};
		const multi =
			'shot 1, 4, A lighthouse at dawn; shot 2, 6, Waves break below, the camera pulls back; shot 3, 5, Gulls fly into the sun;';
		const three = await run({
			model: 'kling-3.0',
			multiShot: true,
			shots,
			durationSeconds: 15,
			audio: 'native',
		});
		expect(three.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0'))).toEqual({
			prompt: multi,
			settings: {
				resolution: '720p',
				duration: 15,
				aspect_ratio: '16:9',
				audio: 'native',
				multi_shot: true,
			},
		});
		bed.sim.clearRequests();
		const turbo = await run({ multiShot: true, shots, durationSeconds: 15 });
		expect(turbo.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0-turbo'))).toEqual({
			prompt: multi,
			settings: { resolution: '720p', duration: 15, aspect_ratio: '16:9' },
		});
	});

	it('reads shots from entries filled by expressions, skipping the entries left empty', async () => {
		// An agent's tool fills a fixed number of entries from a list (n8n keeps Shots only as
		// entries); the entries past the list's end come out empty and are no shots.
		const entry = (index: number) => ({
			prompt: `={{ $json.shots[${index}]?.prompt }}`,
			duration: `={{ $json.shots[${index}]?.duration }}`,
		});
		const result = await run(
			{
				model: 'kling-3.0',
				// Both expressions, as in a tool: n8n then shows (and requires) Prompt as well.
				prompt: '={{ $json.prompt }}',
				multiShot: '={{ $json.shots.length > 0 }}',
				shots: { shot: [0, 1, 2, 3, 4, 5].map(entry) },
				durationSeconds: 8,
			},
			[
				{
					shots: [
						{ prompt: 'A fox', duration: 3 },
						{ prompt: 'Snow falls', duration: 5 },
					],
				},
			] as never,
		);
		expect(result.error).toBeUndefined();
		expect(sentCreate(bed, path('kling-3.0'))).toMatchObject({
			prompt: 'shot 1, 3, A fox; shot 2, 5, Snow falls;',
			settings: { duration: 8, multi_shot: true },
		});
	});

	it('sends the prompt on kling-2.6 when Multi-Shot was left on with a 3.0 model (hidden, so not read)', async () => {
		const result = await run({
			model: 'kling-2.6',
			multiShot: true,
			shots: { shot: [{ prompt: 'A fox', duration: 5 }] },
			prompt: 'A cat on a windowsill',
			durationSeconds: 5,
		});
		expect(result.error).toBeUndefined();
		const sent = sentCreate(bed, path('kling-2.6')) as { prompt: string; settings: object };
		expect(sent.prompt).toBe('A cat on a windowsill');
		expect(sent.settings).not.toHaveProperty('multi_shot');
	});

	it('takes its values from expressions, one task per item', async () => {
		const result = await run(
			{ prompt: '={{ $json.idea }}', model: '={{ $json.model }}', durationSeconds: '={{ 10 }}' },
			[
				{ idea: 'A cat', model: 'kling-2.6' },
				{ idea: 'A dog', model: 'kling-3.0' },
			],
		);
		expect(result.error).toBeUndefined();
		const creates = klingRequests(bed).filter((request) => request.method === 'POST');
		expect(creates.map((request) => request.path).sort()).toEqual([
			path('kling-2.6'),
			path('kling-3.0'),
		]);
		const bodies = creates.map((request) => JSON.parse(request.body));
		expect(bodies.map((body) => body.prompt).sort()).toEqual(['A cat', 'A dog']);
		expect(bodies.every((body) => body.settings.duration === 10)).toBe(true);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	const shot = (prompt: string, duration: number) => ({ prompt, duration });
	const refusals: Array<[string, INodeParameters, RegExp]> = [
		['an empty prompt', { prompt: '={{ "" }}' }, /^Prompt is required for text to video/],
		['a prompt of spaces', { prompt: '   ' }, /^Prompt is required for text to video/],
		[
			'an empty prompt on kling-2.6 after Multi-Shot was on with a 3.0 model',
			{ model: 'kling-2.6', durationSeconds: 5, multiShot: true, prompt: '' },
			/^Prompt is required for text to video/,
		],
		[
			'a prompt over 3,072 characters on kling-3.0-turbo',
			{ prompt: 'x'.repeat(3073) },
			/^Prompt is too long: 3073 characters, and Kling allows at most 3072$/,
		],
		[
			'a prompt over 2,500 characters on kling-2.6',
			{ prompt: 'x'.repeat(2501), model: 'kling-2.6' },
			/^Prompt is too long: 2501 characters, and Kling allows at most 2500$/,
		],
		[
			'an unknown model',
			{ prompt: 'A fox', model: '={{ "gpt-video" }}' },
			/^Model must be one of "kling-3.0-turbo", "kling-3.0", "kling-2.6", "kling-2.5-turbo", but it is "gpt-video"$/,
		],
		[
			'4k on kling-3.0-turbo',
			{ prompt: 'A fox', resolution: '={{ "4k" }}' },
			/^Resolution must be one of "720p", "1080p" on kling-3.0-turbo, but it is "4k"$/,
		],
		[
			'a duration of 16 s on kling-3.0',
			{ prompt: 'A fox', model: 'kling-3.0', durationSeconds: 16 },
			/^Duration \(Seconds\) must be a whole number from 3 to 15 \(seconds\) on kling-3.0, but it is 16$/,
		],
		[
			'a duration of 2.5 s on kling-3.0-turbo',
			{ prompt: 'A fox', durationSeconds: 2.5 },
			/^Duration \(Seconds\) must be a whole number from 3 to 15 \(seconds\) on kling-3.0-turbo, but it is 2.5$/,
		],
		[
			'a duration of 7 s on kling-2.6',
			{ prompt: 'A fox', model: 'kling-2.6', durationSeconds: 7 },
			/^Duration \(Seconds\) must be 5 or 10 \(seconds\) on kling-2.6, but it is 7$/,
		],
		[
			'a duration of 15 s on kling-2.5-turbo',
			{ prompt: 'A fox', model: 'kling-2.5-turbo', durationSeconds: 15 },
			/^Duration \(Seconds\) must be 5 or 10 \(seconds\) on kling-2.5-turbo, but it is 15$/,
		],
		[
			'an unknown aspect ratio',
			{ prompt: 'A fox', aspectRatio: '={{ "4:3" }}' },
			/^Aspect Ratio must be one of "16:9", "9:16", "1:1" on text to video, but it is "4:3"$/,
		],
		[
			'an unknown audio value',
			{ prompt: 'A fox', model: 'kling-3.0', audio: '={{ "loud" }}' },
			/^Audio must be one of "native", "off" on kling-3.0, but it is "loud"$/,
		],
		[
			'native audio on kling-2.6 at 720p',
			{ prompt: 'A fox', model: 'kling-2.6', audio: 'native' },
			/^Audio "native" on kling-2.6 needs Resolution "1080p", but Resolution is "720p"$/,
		],
		[
			'native audio on kling-2.5-turbo (a model given by an expression)',
			{ prompt: 'A fox', model: '={{ "kling-2.5-turbo" }}', audio: 'native' },
			/^Audio must be "off" on kling-2.5-turbo: it has no sound$/,
		],
		[
			'shots on kling-2.6 (a model given by an expression)',
			{
				model: '={{ "kling-2.6" }}',
				multiShot: true,
				shots: { shot: [shot('A', 5)] },
				durationSeconds: 5,
			},
			/^Shots \(multi-shot\) are available on "kling-3.0-turbo", "kling-3.0" only, not on kling-2.6$/,
		],
		[
			'Multi-Shot without shots',
			{ multiShot: true },
			/^Shots must have 1 to 6 shots, but there are 0$/,
		],
		[
			'a shot of 0 s',
			{ multiShot: true, shots: { shot: [shot('A', 5), shot('B', 0)] } },
			/^Shot 2 Duration must be a whole number of seconds, at least 1, but it is 0$/,
		],
		[
			'a shot without a prompt',
			{ multiShot: true, shots: { shot: [shot('', 5)] } },
			/^Shot 1 Prompt is required, but it is an empty text$/,
		],
		[
			'a shot prompt over 512 characters',
			{ multiShot: true, shots: { shot: [shot('y'.repeat(513), 5)] } },
			/^Shot 1 Prompt is too long: 513 characters, and Kling allows at most 512$/,
		],
		[
			'a shot prompt with a semicolon',
			{ multiShot: true, shots: { shot: [shot('A; B', 5)] } },
			/^Shot 1 Prompt cannot contain a semicolon \(;\): Kling separates the shots with it$/,
		],
		[
			'shots that do not add up to Duration',
			{ multiShot: true, shots: { shot: [shot('A', 3), shot('B', 4)] }, durationSeconds: 10 },
			/^The shots add up to 7 s, but Duration \(Seconds\) is 10: they must add up to it$/,
		],
		[
			'a callback URL that is not http(s)',
			{ prompt: 'A fox', additionalFields: { callbackUrl: 'ftp://example.com/x' } },
			/^Callback URL must be an http:\/\/ or https:\/\/ URL/,
		],
		[
			'a Watermark that is not true or false',
			{ prompt: 'A fox', additionalFields: { watermark: '={{ "yes" }}' } },
			/^Watermark must be true or false, but it is "yes"$/,
		],
		[
			'an empty External Task ID',
			{ prompt: 'A fox', additionalFields: { externalTaskId: '  ' } },
			/^External Task ID is required, but it is only spaces$/,
		],
	];

	it.each(refusals)(
		'refuses %s by name, before anything is sent',
		async (_case, parameters, message) => {
			const result = await run(parameters);
			expect(result.error?.message).toMatch(message);
			expect(klingRequests(bed)).toHaveLength(0);
		},
	);

	it('leaves a seventh shot to n8n, which allows at most 6 (the field’s limit)', async () => {
		await expect(
			run({ multiShot: true, shots: { shot: Array(7).fill(shot('A', 2)) }, durationSeconds: 14 }),
		).rejects.toThrow(/At most 6 fields are allowed/);
		expect(klingRequests(bed)).toHaveLength(0);
	});

	it.each([
		['kling-v1-6', 'Kling V1.6'],
		['kling-v1', 'Kling V1.0'],
		['kling-v2-master', 'Kling V2.0 Master'],
		['kling-v2-1-master', 'Kling V2.1 Master'],
	])(
		'says a saved workflow’s %s was retired by Kling, with the current choices, before sending',
		async (model, name) => {
			const result = await run({ prompt: 'A fox', model });
			expect(result.error?.message).toBe(
				`Model "${model}" (${name}) has been retired by Kling: it no longer makes videos`,
			);
			expect(result.error?.description).toBe(
				'Choose one of the current models: "kling-3.0-turbo" (Kling 3.0 Turbo), "kling-3.0" (Kling 3.0), "kling-2.6" (Kling 2.6), "kling-2.5-turbo" (Kling 2.5 Turbo).',
			);
			expect(klingRequests(bed)).toHaveLength(0);
		},
	);

	it.each([
		['kling-v3', 'Kling 3.0', 'kling-3.0'],
		['kling-v2-6', 'Kling 2.6', 'kling-2.6'],
		['kling-v2-5-turbo', 'Kling 2.5 Turbo', 'kling-2.5-turbo'],
	])(
		'says %s is the legacy name and suggests the current one, before sending',
		async (legacy, name, current) => {
			const result = await run({ prompt: 'A fox', model: `={{ "${legacy}" }}` });
			expect(result.error?.message).toBe(
				`Model "${legacy}" is the legacy API's name of ${name}: this node now uses Kling's current names, so choose "${current}"`,
			);
			expect(klingRequests(bed)).toHaveLength(0);
		},
	);

	it('refuses an access key + secret key credential before sending, and says to create an API key', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'textToVideo', prompt: 'A fox' },
			credentials: {
				...bed.credentials,
				authentication: 'accessKey',
				accessKey: 'ak',
				secretKey: 'sk',
			},
		});
		expect(result.error?.message).toBe(
			"The Kling API credential uses an access key + secret key, and Kling's current models (kling-3.0-turbo among them) take only an API key",
		);
		expect(result.error?.description).toContain('https://kling.ai/dev/api-key');
		expect(result.error?.description).toContain('set Authentication to API Key');
		expect(klingRequests(bed)).toHaveLength(0);
	});

	it('says Kling’s 401/1002 for access keys in the same plain words, should it come back', async () => {
		bed.sim.injectFaults({ kind: 'kling-error', code: 1002, match: 'POST /text-to-video' });
		const result = await run({ prompt: 'A fox' });
		// The simulator's fault carries Kling's generic 1002 text: the node keeps Kling's error then.
		expect(result.error?.message).toMatch(/1002/);
		bed.sim.clearFaults();
		// With an API key nobody has, Kling answers 401/1002 with its AK/SK text.
		const refused = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'textToVideo', prompt: 'A fox' },
			credentials: { ...bed.credentials, apiKey: 'not-a-key' },
		});
		expect(refused.error?.message).toBe(
			'Kling refused the credential: its current models (kling-3.0-turbo among them) take only an API key, not an access key + secret key',
		);
		expect(refused.error?.description).toContain('https://kling.ai/dev/api-key');
	});

	it('puts a refusal on its item with Continue On Fail, and goes on with the others', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'textToVideo', prompt: '={{ $json.idea }}' },
			items: [{ idea: '' }, { idea: 'A fox' }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.error).toMatch(/^Prompt is required/);
		expect(result.items[1].json.error).toBeUndefined();
		expect(klingRequests(bed)).toHaveLength(1);
	});

	it('never shows a secret in its output or errors', async () => {
		const credentials = { ...bed.credentials };
		const ok = await run({ prompt: 'A fox' });
		const refused = await run({ prompt: 'A fox', model: 'kling-v1' });
		const text = JSON.stringify([ok.items, refused.error?.message, refused.error?.description]);
		expectNoSecrets(text, secretsSeen(bed.sim, credentials));
	});
});
