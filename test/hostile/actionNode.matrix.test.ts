import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FaultSpec } from '../../simulator';
import { CURRENT_CREATE_TYPE } from '../harness/currentCreateNode';
import {
	KlingTestbed,
	TASKS_PATH,
	apiKeyCredentials,
	expectNoSecrets,
	secretsSeen,
} from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { base64, makePng } from '../simulator/testImages';
import { captureLogs } from './logCapture';

/**
 * Hostile input and hostile answers for Kling Video Extend and Kling Video. Each case says what the user sees
 * (an error naming the field, Kling's explained code, or a success after retries) and checks
 * what reached Kling: nothing for bad input, never a task twice, and no secret anywhere.
 */
const bed = new KlingTestbed();
beforeAll(() => bed.start());
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

const fast = { retryDelay: 5 };
const create = (extra: INodeParameters = {}): INodeParameters => ({
	operation: 'create',
	videoId: 'sim-video-5s',
	options: fast,
	...extra,
});
const withFields = (fields: IDataObject) => create({ additionalFields: fields as INodeParameters });

interface Case {
	name: string;
	/** Kling Video instead of Kling Video Extend. */
	video?: boolean;
	/** Another node type (the harness node that creates current-generation tasks). */
	nodeType?: string;
	/** An API-key credential (the current generation takes no other). */
	apiKey?: boolean;
	parameters: INodeParameters;
	items?: IDataObject[];
	faults?: FaultSpec[];
	/** The error the user sees; absent for a success. */
	error?: RegExp;
	httpCode?: string;
	/** Requests that reached Kling's API. */
	requests?: number;
	/** Tasks that exist at Kling afterwards. */
	tasks?: number;
	/** Request paths that reached Kling, in order. */
	paths?: string[];
}

const invalidInput: Case[] = [
	{
		name: 'video id: an object',
		parameters: create({ videoId: '={{ { a: 1 } }}' }),
		error: /Video ID/,
	},
	{ name: 'video id: a list', parameters: create({ videoId: '={{ [1, 2] }}' }), error: /Video ID/ },
	{
		name: 'video id: null',
		parameters: create({ videoId: '={{ null }}' }),
		error: /^Video ID is required, but it is (null|nothing)/,
	},
	{
		name: 'video id: empty expression',
		parameters: create({ videoId: '={{ "" }}' }),
		error: /^Video ID is required, but it is (an empty text|nothing)/,
	},
	{
		name: 'video id: from a missing field',
		parameters: create({ videoId: '={{ $json.nothing.here }}' }),
		error: /nothing|Video ID|Cannot read/,
	},
	{
		name: 'prompt: 2,501 characters',
		parameters: create({ prompt: 'a'.repeat(2501) }),
		error: /^Prompt is too long: 2501 characters, and Kling allows at most 2500/,
	},
	{
		name: 'prompt: 100,000 characters',
		parameters: create({ prompt: 'a'.repeat(100_000) }),
		error: /^Prompt is too long: 100000 characters/,
	},
	{
		name: 'prompt: 2,501 emoji',
		parameters: create({ prompt: '🎥'.repeat(2501) }),
		error: /^Prompt is too long: 2501 characters/,
	},
	{
		name: 'negative prompt: a number',
		parameters: withFields({ negativePrompt: '={{ 42 }}' }),
		error: /Negative Prompt/,
	},
	{
		name: 'negative prompt: too long',
		parameters: withFields({ negativePrompt: 'n'.repeat(2600) }),
		error: /^Negative Prompt is too long: 2600 characters/,
	},
	{
		name: 'cfg scale: text',
		parameters: withFields({ cfgScale: '={{ "strong" }}' }),
		error: /CFG Scale/,
	},
	{
		name: 'cfg scale: NaN',
		parameters: withFields({ cfgScale: '={{ NaN }}' }),
		error: /CFG Scale/,
	},
	{
		name: 'cfg scale: Infinity',
		parameters: withFields({ cfgScale: '={{ Infinity }}' }),
		error: /CFG Scale/,
	},
	{
		name: 'cfg scale: -1',
		parameters: withFields({ cfgScale: -1 }),
		error: /^CFG Scale must be a number from 0 to 1, but it is -1/,
	},
	{
		name: 'cfg scale: 1.0001',
		parameters: withFields({ cfgScale: 1.0001 }),
		error: /^CFG Scale must be a number from 0 to 1, but it is 1.0001/,
	},
	{
		name: 'callback url: javascript:',
		parameters: withFields({ callbackUrl: 'javascript:alert(1)' }),
		error: /^Callback URL must be an http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'callback url: no host',
		parameters: withFields({ callbackUrl: 'http://' }),
		error: /^Callback URL must be an http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'callback url: empty',
		parameters: withFields({ callbackUrl: '' }),
		error: /^Callback URL must be an http:\/\/ or https:\/\/ URL, but it is an empty text/,
	},
	{
		name: 'external task id: resolves to nothing',
		parameters: withFields({ externalTaskId: '={{ $json.none }}' }),
		error: /^External Task ID is required/,
	},
	{
		name: 'task id: ".."',
		parameters: { operation: 'get', taskId: '..' },
		error: /^Task ID cannot be "\.\."/,
	},
	{
		name: 'task id: "."',
		parameters: { operation: 'get', taskId: '.' },
		error: /^Task ID cannot be "\."/,
	},
	{
		name: 'task id: spaces',
		parameters: { operation: 'get', taskId: '   ' },
		error: /^Task ID is required, but it is only spaces/,
	},
	{
		name: 'limit: 0',
		parameters: { operation: 'getAll', limit: '={{ 0 }}' },
		error: /^Limit must be a whole number from 1 to 500000, but it is 0/,
	},
	{
		name: 'limit: -5',
		parameters: { operation: 'getAll', limit: '={{ -5 }}' },
		error: /^Limit must be a whole number from 1 to 500000, but it is -5/,
	},
	{
		name: 'limit: a billion',
		parameters: { operation: 'getAll', limit: '={{ 1e9 }}' },
		error: /^Limit must be a whole number from 1 to 500000/,
	},
	{
		name: 'limit: 2.5',
		parameters: { operation: 'getAll', limit: '={{ 2.5 }}' },
		error: /^Limit must be a whole number/,
	},
	{
		name: 'target duration: 181',
		parameters: { operation: 'extendUntil', videoId: 'sim-video-5s', targetDuration: 181 },
		error: /^Target Duration must be a number from 4 to 180, but it is 181/,
	},
	{
		name: 'target duration: 0',
		parameters: { operation: 'extendUntil', videoId: 'sim-video-5s', targetDuration: '={{ 0 }}' },
		error: /^Target Duration must be a number from 4 to 180, but it is 0/,
	},
].map((entry) => ({ ...entry, requests: 0, tasks: 0 }));

const safePaths: Case[] = [
	{
		name: 'task id "../admin" stays one segment',
		parameters: { operation: 'get', taskId: '../admin' },
		error: /^Kling error 1203/,
		paths: [`${TASKS_PATH}/..%2Fadmin`],
	},
	{
		name: 'task id "a?b=c" stays one segment',
		parameters: { operation: 'get', taskId: 'a?b=c' },
		error: /^Kling error 1203/,
		paths: [`${TASKS_PATH}/a%3Fb%3Dc`],
	},
	{
		name: 'task id "a#b" stays one segment',
		parameters: { operation: 'get', taskId: 'a#b' },
		error: /^Kling error 1203/,
		paths: [`${TASKS_PATH}/a%23b`],
	},
	{
		name: 'task id "100%" stays one segment',
		parameters: { operation: 'get', taskId: '100%' },
		error: /^Kling error 1203/,
		paths: [`${TASKS_PATH}/100%25`],
	},
	{
		name: 'unicode external id is created and found',
		parameters: withFields({ externalTaskId: '任务-①-ü' }),
		tasks: 1,
		requests: 1,
	},
	{
		name: 'unicode prompt of 2,500 emoji is accepted',
		parameters: create({ prompt: '🎬'.repeat(2500) }),
		tasks: 1,
		requests: 1,
	},
	{
		name: 'right-to-left and combining characters are sent as they are',
		parameters: create({ prompt: 'مرحبا e\u0301 ✔' }),
		tasks: 1,
		requests: 1,
	},
];

/** Kling's codes with the HTTP status Kling's docs ("Error Codes") give each. */
const KLING_CODES: Array<[number, number, boolean]> = [
	[1000, 401, false],
	[1001, 401, false],
	[1002, 401, false],
	[1003, 401, false],
	[1004, 401, true],
	[1100, 429, false],
	[1101, 429, false],
	[1102, 429, false],
	[1103, 403, false],
	[1200, 400, false],
	[1201, 400, false],
	[1202, 404, false],
	[1203, 404, false],
	[1300, 400, false],
	[1301, 400, false],
	[1302, 429, true],
	[1303, 429, true],
	[1304, 429, false],
	[5000, 500, true],
	[5001, 503, true],
	[5002, 504, true],
];

const klingCodes: Case[] = KLING_CODES.map(([code, status, retried]) => ({
	name: `Kling ${code} (HTTP ${status}) ${retried ? 'is retried, then explained' : 'is explained at once'}`,
	parameters: { operation: 'get', taskId: '1', options: { ...fast, maxRetries: 2 } },
	faults: [{ kind: 'kling-error', code, count: 10 }],
	error: new RegExp(`^Kling error ${code}, `),
	httpCode: String(status),
	requests: code === 1004 ? 2 : retried ? 3 : 1,
}));

const hostileAnswers: Case[] = [
	{
		name: 'truncated JSON from Kling is explained',
		parameters: { operation: 'get', taskId: '1' },
		faults: [{ kind: 'malformed', count: 1 }],
		error: /answered HTTP 200 with text that is not valid JSON/,
		requests: 1,
	},
	{
		name: 'a proxy HTML page, then Kling: retried success',
		parameters: { operation: 'getAll', limit: 3, options: fast },
		faults: [{ kind: 'html', status: 502, count: 1 }],
		requests: 2,
	},
	{
		name: 'a proxy HTML page every time: explained',
		parameters: { operation: 'getAll', limit: 3, options: { ...fast, maxRetries: 1 } },
		faults: [{ kind: 'html', status: 503, count: 5 }],
		error: /^Kling's API answered HTTP 503 with an HTML page/,
		requests: 2,
	},
	{
		name: 'a timeout, then Kling: retried success',
		parameters: { operation: 'getAll', limit: 3, options: { ...fast, timeout: 100 } },
		faults: [{ kind: 'delay', ms: 400, count: 1 }],
		requests: 2,
	},
	{
		name: 'a connection reset, then Kling: retried success',
		parameters: { operation: 'getAll', limit: 3, options: fast },
		faults: [{ kind: 'reset', count: 2 }],
		requests: 3,
	},
	{
		name: 'a create whose answer is lost to a reset: one task',
		parameters: create(),
		faults: [
			{ kind: 'reset', afterHandling: true, count: 1, match: 'POST /v1/videos/video-extend' },
		],
		tasks: 1,
	},
	{
		name: 'a create that times out after Kling made it: one task',
		parameters: create({ options: { ...fast, timeout: 100 } }),
		faults: [
			{
				kind: 'delay',
				ms: 400,
				afterHandling: true,
				count: 1,
				match: 'POST /v1/videos/video-extend',
			},
		],
		tasks: 1,
	},
	{
		name: 'a 429 storm over 30 creates: all made, each once',
		parameters: create({
			prompt: '={{ "item " + $json.index }}',
			options: { ...fast, maxRetries: 10 },
		}),
		items: Array.from({ length: 30 }, (_, index) => ({ index })),
		faults: [{ kind: 'kling-error', code: 1303, rate: 0.6, match: 'POST /v1/videos/video-extend' }],
		tasks: 30,
	},
	{
		name: 'a 5xx storm after handling over 30 creates: each once',
		parameters: create({
			prompt: '={{ "item " + $json.index }}',
			options: { ...fast, maxRetries: 10 },
		}),
		items: Array.from({ length: 30 }, (_, index) => ({ index })),
		faults: [
			{
				kind: 'kling-error',
				code: 5000,
				rate: 0.5,
				afterHandling: true,
				match: 'POST /v1/videos/video-extend',
			},
		],
		tasks: 30,
	},
];

const T2V = '/text-to-video/kling-3.0-turbo';
const textToVideo = (extra: INodeParameters = {}): Case['parameters'] => ({
	operation: 'textToVideo',
	prompt: 'A fox',
	options: fast,
	...extra,
});
const imageToVideo = (extra: INodeParameters = {}): Case['parameters'] => ({
	operation: 'imageToVideo',
	imageSource: 'base64',
	image: base64(makePng(640, 360)),
	options: fast,
	...extra,
});
const shots = (shot: unknown) =>
	({ multiShot: true, shots: { shot } }) as unknown as INodeParameters;

/**
 * Kling Video (current models, an API-key credential): hostile values in every field, and hostile
 * answers to its requests.
 */
const videoCases: Case[] = (
	[
		{
			name: 'video: prompt is an object',
			parameters: textToVideo({ prompt: '={{ { a: 1 } }}' }),
			error: /^Prompt (is required|must be text)/,
		},
		{
			name: 'video: prompt of 3,073 emoji',
			parameters: textToVideo({ prompt: '🎬'.repeat(3073) }),
			error: /^Prompt is too long: 3073 characters/,
		},
		{
			name: 'video: model is a list',
			parameters: textToVideo({ model: '={{ ["kling-3.0"] }}' }),
			error: /^Model must be one of/,
		},
		{
			name: 'video: model with a path',
			parameters: textToVideo({ model: '={{ "../kling-3.0" }}' }),
			error: /^Model must be one of/,
		},
		{
			name: 'video: duration as the text "10" is Kling’s 10',
			parameters: textToVideo({ durationSeconds: '={{ "10" }}' }),
			requests: 1,
		},
		{
			name: 'video: duration NaN',
			parameters: textToVideo({ durationSeconds: '={{ NaN }}' }),
			error: /^Duration \(Seconds\) must be a whole number from 3 to 15/,
		},
		{
			name: 'video: aspect ratio an object',
			parameters: textToVideo({ aspectRatio: '={{ { w: 16 } }}' }),
			error: /^Aspect Ratio must be one of/,
		},
		{
			name: 'video: resolution 8k',
			parameters: textToVideo({ model: 'kling-3.0', resolution: '={{ "8k" }}' }),
			error: /^Resolution must be one of "720p", "1080p", "4k" on kling-3.0/,
		},
		{
			name: 'video: shot duration as text',
			parameters: textToVideo(shots([{ prompt: 'A fox', duration: '={{ "five" }}' }])),
			error: /^Shot 1 Duration must be a whole number of seconds/,
		},
		{
			name: 'video: shot prompt that smuggles a second shot',
			parameters: textToVideo(shots([{ prompt: 'A fox; shot 2, 1, a cat', duration: 5 }])),
			error: /^Shot 1 Prompt cannot contain a semicolon/,
		},
		{
			name: 'video: element IDs as an object',
			parameters: imageToVideo({ model: 'kling-3.0', elementIds: '={{ { a: 1 } }}' }),
			error:
				/^Element Names or IDs must be a list of IDs \(or IDs separated by commas\), but it is \{"a":1\}$/,
			requests: 0,
		},
		{
			name: 'video: image URL javascript:',
			parameters: imageToVideo({ imageSource: 'url', image: 'javascript:alert(1)' }),
			error: /^First Frame must be an http/,
		},
		{
			name: 'video: image Base64 of a PNG header only',
			parameters: imageToVideo({ image: base64(makePng(640, 360)).slice(0, 12) }),
			error: /^First Frame must be a JPG or PNG image/,
		},
		{
			name: 'video: image from binary field __proto__',
			parameters: imageToVideo({ imageSource: 'binaryField', image: '__proto__' }),
			error: /^First Frame: the input item has no binary field "__proto__"/,
		},
		{
			name: 'video: image is a number',
			parameters: imageToVideo({ image: '={{ 42 }}' }),
			error: /^First Frame must be text/,
		},
		{
			name: 'video: resource packs from a negative time',
			parameters: { operation: 'getResourcePacks', startTime: '={{ -5 }}' },
			error: /^Start Time must be a date and time/,
		},
		{
			name: 'video: resource pack name with & and ?',
			parameters: { operation: 'getResourcePacks', resourcePackName: 'a&b?c=d#e' },
			requests: 0,
		},
		{
			name: 'video: get task "a/b?c&d=e": one value of the query, not a path',
			parameters: { operation: 'get', lookupBy: 'taskId', taskId: 'a/b?c&d=e' },
			apiKey: true,
			error: /^Kling has no task "a\/b\?c&d=e"/,
			paths: ['/tasks'],
		},
		{
			name: 'video: get task with an access key + secret key: refused, nothing sent',
			parameters: { operation: 'get', lookupBy: 'taskId', taskId: '1' },
			apiKey: false,
			error: /^Kling's current API takes API keys only/,
			requests: 0,
		},
		{
			name: 'current: a create that times out after Kling made it: one task',
			nodeType: CURRENT_CREATE_TYPE,
			apiKey: true,
			parameters: { options: { ...fast, timeout: 100 } },
			faults: [{ kind: 'delay', ms: 400, afterHandling: true, count: 1, match: `POST ${T2V}` }],
			tasks: 1,
		},
		{
			name: 'current: a 429 storm over 20 creates: all made, each once',
			nodeType: CURRENT_CREATE_TYPE,
			apiKey: true,
			parameters: { prompt: '={{ "item " + $json.index }}', options: { ...fast, maxRetries: 10 } },
			items: Array.from({ length: 20 }, (_, index) => ({ index })),
			faults: [{ kind: 'kling-error', code: 1303, rate: 0.6, match: `POST ${T2V}` }],
			tasks: 20,
		},
		{
			name: 'current: a 5xx storm after handling over 20 creates: each once',
			nodeType: CURRENT_CREATE_TYPE,
			apiKey: true,
			parameters: { prompt: '={{ "item " + $json.index }}', options: { ...fast, maxRetries: 10 } },
			items: Array.from({ length: 20 }, (_, index) => ({ index })),
			faults: [
				{
					kind: 'kling-error',
					code: 5000,
					rate: 0.5,
					afterHandling: true,
					match: `POST ${T2V}`,
				},
			],
			tasks: 20,
		},
		{
			name: 'video: a retired model: plain words, nothing sent',
			parameters: textToVideo({ model: 'kling-v1' }),
			error: /^Model "kling-v1" \(Kling V1.0\) has been retired by Kling/,
			requests: 0,
		},
		{
			name: 'video: an HTML gateway page for a create',
			parameters: textToVideo({ options: { ...fast, maxRetries: 0 } }),
			faults: [{ kind: 'html', status: 502, count: 1, match: `POST ${T2V}` }],
			error: /answered HTTP 502 with an HTML page/,
		},
	] as Case[]
).map((entry) => ({ ...entry, video: true }));

const cases: Case[] = [
	...invalidInput,
	...safePaths,
	...klingCodes,
	...hostileAnswers,
	...videoCases,
];

it('has at least 40 cases for the action node', () => {
	expect(cases.length).toBeGreaterThanOrEqual(40);
});

it.each(cases.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
	for (const fault of entry.faults ?? []) bed.sim.injectFaults(fault);
	const logs = captureLogs();
	let result;
	try {
		result = await bed.run({
			parameters: entry.parameters,
			items: entry.items,
			// Kling's current models take an API key only.
			...(entry.video ? { nodeType: KLING_VIDEO_TYPE } : {}),
			...(entry.nodeType ? { nodeType: entry.nodeType } : {}),
			...((entry.apiKey ?? entry.video) ? { credentials: apiKeyCredentials(bed.sim.url) } : {}),
		});
	} finally {
		logs.restore();
	}
	bed.sim.clearFaults();

	if (entry.error) {
		expect(result.error?.message).toMatch(entry.error);
		if (entry.httpCode) expect(result.error?.httpCode).toBe(entry.httpCode);
	} else {
		expect(result.error?.message).toBeUndefined();
	}
	const api = bed.sim.requests.filter((request) =>
		/^\/(v1|tasks|text-to-video|image-to-video)\//.test(`${request.path}/`),
	);
	if (entry.requests !== undefined) expect(api).toHaveLength(entry.requests);
	if (entry.paths) expect(api.map((request) => request.path)).toEqual(entry.paths);
	if (entry.tasks !== undefined) {
		const list = await bed.run(
			entry.video
				? {
						nodeType: KLING_VIDEO_TYPE,
						parameters: { operation: 'getAll', returnAll: true },
						credentials: apiKeyCredentials(bed.sim.url),
					}
				: { parameters: { operation: 'getAll', returnAll: true } },
		);
		expect(list.items).toHaveLength(entry.tasks);
	}
	const secrets = secretsSeen(bed.sim, bed.credentials);
	expectNoSecrets(JSON.stringify(result.run), secrets);
	expectNoSecrets(`${result.error?.message} ${result.error?.description}`, secrets);
	expectNoSecrets(logs.text(), secrets);
});
