/**
 * The Kling nodes as tools of n8n's AI Agent, in a real n8n (2.41) against the Kling simulator:
 * Chat Trigger → AI Agent (3.1 and 2.2) → OpenAI Chat Model + Kling Video + Kling Video Extend.
 * The only stand-in is the chat model: a scripted OpenAI-compatible server (e2e/lib/chatModel.ts)
 * reached through n8n's own OpenAI Chat Model node. See e2e/README.md.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_ACCOUNT, KlingSimulator } from '../simulator';
import type { RecordedRequest } from '../simulator';
import {
	agentWorkflow,
	expectedMotion,
	expectedOmniEdit,
	expectedTextToVideo,
	KLING_MOTION_TOOL,
	KLING_OMNI_TOOL,
	KLING_TASK_TOOL,
	KLING_VIDEO_EXTEND_TOOL,
	KLING_VIDEO_TOOL,
	MULTI_SHOT_ARGS,
	ONE_PROMPT_ARGS,
} from './lib/agentWorkflows';
import type { KlingVideoArgs, MotionArgs, OmniEditArgs } from './lib/agentWorkflows';
import type { ChatRequest } from './lib/chatModel';
import { lastToolResult, messageText, ScriptedChatModel, toolMessages } from './lib/chatModel';
import { simulatorCredential } from './lib/examples';
import type { Workflow } from './lib/examples';
import type { N8n } from './lib/n8n';
import { freePorts } from './lib/ports';
import { N8nRest } from './lib/rest';
import type { ExecutionDetail } from './lib/rest';
import { waitFor } from './lib/helpers';
import { DATA_DIR, buildPackage, ensureN8nInstalled } from './lib/runtime';
import type { Stack } from './lib/stack';
import { startStack } from './lib/stack';

const USER_FOLDER = path.join(DATA_DIR, 'agent');
const WEBHOOK_SECRET = 'whsec_YWdlbnRzdWl0ZXNlY3JldGFnZW50c3VpdGVzZWNyZXQ=';
const OWNER = { email: 'agent@n8n-nodes-kling.invalid', password: 'Agent-only-Passw0rd' };
const OPENAI_CREDENTIAL = {
	id: 'openAiScripted01',
	name: 'Scripted chat model',
	type: 'openAiApi',
	data: { apiKey: 'sk-scripted-chat-model', url: '' },
};
/** Kling Video waits with Callback in the suite's agents: as a tool it must poll instead. */
const AGENTS = [
	{ version: 3.1, id: 'klingAgentV31', webhookId: 'a9e1c3f0-31aa-4d1e-9b00-000000000031' },
	{ version: 2.2, id: 'klingAgentV22', webhookId: 'a9e1c3f0-22aa-4d1e-9b00-000000000022' },
];
const EXAMPLE_6_ID = 'klingChatToVideo';
/** What a tool's output says when Callback was asked for and it polled (nodes/shared/agentTools). */
const CALLBACK_FALLBACK_WAIT_MODE = 'poll (callback is not possible inside an AI agent tool)';
const EXAMPLE_6_COPY = {
	id: 'klingChatToVideoE2e',
	webhookId: 'a9e1c3f0-06aa-4d1e-9b00-000000000006',
};

let simulator: KlingSimulator;
let chatModel: ScriptedChatModel;
let n8n: N8n | undefined;
let stack: Stack;
let rest: N8nRest;
let sessionCounter = 0;
let simulatorUrl: string;

interface ChatTurn {
	/** The agent's final answer, as the chat answers it. */
	output: string;
	execution: ExecutionDetail;
	/** The last request the chat model received in this conversation (it holds all messages). */
	lastRequest: ChatRequest;
	/** The simulator's requests during the conversation. */
	klingRequests: RecordedRequest[];
}

/** Sends a chat message to a published Chat Trigger and waits for the agent's answer. */
async function chat(workflowId: string, webhookId: string, message: string): Promise<ChatTurn> {
	simulator.clearRequests();
	chatModel.clearRequests();
	const before = new Set((await rest.listExecutions(workflowId)).map((execution) => execution.id));
	const response = await fetch(`${stack.n8n.url}/webhook/${webhookId}/chat`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			action: 'sendMessage',
			sessionId: `agent-e2e-${++sessionCounter}`,
			chatInput: message,
		}),
		signal: AbortSignal.timeout(120_000),
	});
	const text = await response.text();
	expect({ status: response.status, text: response.ok ? 'ok' : text }).toEqual({
		status: 200,
		text: 'ok',
	});
	const output = String((JSON.parse(text) as { output?: unknown }).output ?? '');
	const executionId = await waitFor(async () => {
		const executions = await rest.listExecutions(workflowId);
		return executions.find((execution) => !before.has(execution.id))?.id;
	}, 30_000);
	const execution = await rest.waitForExecution(executionId);
	const completions = chatModel.completions;
	return {
		output,
		execution,
		lastRequest: completions[completions.length - 1].body,
		klingRequests: [...simulator.requests],
	};
}

/** The items a tool answered, as the model read them in a tool message. */
function toolAnswer(content: string): Array<Record<string, unknown>> {
	const parsed = JSON.parse(content) as unknown;
	return (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
}

/** A video URL in a tool's answer. */
function videoUrlIn(content: string): string {
	const url = toolAnswer(content).find((item) => typeof item.url === 'string')?.url;
	return typeof url === 'string' ? url : '';
}

function bodyOf(request: RecordedRequest): Record<string, unknown> {
	return JSON.parse(request.body || '{}') as Record<string, unknown>;
}

/** Kling Video's creates: `POST /text-to-video/{model}` on Kling's current API. */
const isCreate = (request: RecordedRequest) =>
	request.method === 'POST' && request.path.startsWith('/text-to-video/');

/** The create carries exactly the model's arguments, as Kling takes them. */
function expectCreateOf(request: RecordedRequest, args: KlingVideoArgs): void {
	const expected = expectedTextToVideo(args);
	const body = bodyOf(request);
	expect({ path: request.path, prompt: body.prompt, settings: body.settings }).toEqual(expected);
	expect(body).not.toHaveProperty('model_name');
	expect(Object.keys(body).sort()).toEqual(['options', 'prompt', 'settings']);
}

const answerWithVideo = (request: ChatRequest) =>
	`Here is your video: ${videoUrlIn(lastToolResult(request)) || '(no video)'}`;

beforeAll(
	async () => {
		const started = Date.now();
		ensureN8nInstalled();
		buildPackage();

		simulator = new KlingSimulator({
			port: 0,
			host: '127.0.0.1',
			webhookSecrets: [WEBHOOK_SECRET],
			timing: { submittedMs: 200, processingMs: 600 },
			videoBytes: 16 * 1024,
		});
		simulatorUrl = await simulator.start();
		chatModel = new ScriptedChatModel();
		const chatModelUrl = await chatModel.start();

		const workflows: Workflow[] = AGENTS.map((agent) =>
			agentWorkflow({
				id: agent.id,
				name: `agent e2e: AI Agent ${agent.version}`,
				agentVersion: agent.version,
				webhookId: agent.webhookId,
				waitForCompletion: 'callback',
				publicChat: true,
				withNewOperationTools: true,
				pollIntervalSeconds: 0.5,
			}),
		);
		workflows.push(example6PublicCopy());
		for (let attempt = 1; ; attempt++) {
			rmSync(USER_FOLDER, { recursive: true, force: true });
			const [port, brokerPort] = await freePorts(2);
			try {
				stack = await startStack({
					userFolder: USER_FOLDER,
					port,
					brokerPort,
					listenAddress: '127.0.0.1',
					logFormat: 'json',
					logLevel: 'info',
					credential: simulatorCredential(simulatorUrl, WEBHOOK_SECRET),
					simulatorUrl,
					extraCredentials: [
						{ ...OPENAI_CREDENTIAL, data: { ...OPENAI_CREDENTIAL.data, url: chatModelUrl } },
					],
					extraWorkflows: workflows,
					publish: workflows.map((workflow) => workflow.id),
					onN8n: (instance) => (n8n = instance),
				});
				break;
			} catch (error) {
				await n8n?.stop();
				if (attempt >= 3 || !/already in use/.test((error as Error).message)) throw error;
			}
		}
		rest = new N8nRest(stack.n8n.url);
		try {
			await rest.signIn(OWNER.email, OWNER.password);
			for (const workflow of workflows) await rest.waitForPublication(workflow.id);
		} catch (error) {
			const tail = stack.n8n.readLog().trim().split('\n').slice(-30).join('\n');
			console.error(`n8n's log (${stack.n8n.logFile}) ends with:\n${tail}`);
			throw error;
		}
		console.log(
			`n8n, the simulator and the scripted chat model ready in ${((Date.now() - started) / 1000).toFixed(1)} s `,
		);
	},
	15 * 60 * 1000,
);

afterAll(async () => {
	await n8n?.stop();
	await simulator?.stop();
	await chatModel?.stop();
}, 60 * 1000);

/** Example 6 as imported, with its chat made public (the file leaves it private) to post to it. */
function example6PublicCopy(): Workflow {
	const file = path.join(__dirname, '..', 'examples', '06-chat-to-video.json');
	const copy = JSON.parse(readFileSync(file, 'utf8')) as Workflow;
	for (const node of copy.nodes) {
		if (node.type === '@n8n/n8n-nodes-langchain.chatTrigger') {
			node.webhookId = EXAMPLE_6_COPY.webhookId;
			node.parameters = {
				...node.parameters,
				public: true,
				mode: 'webhook',
				authentication: 'none',
				options: { responseMode: 'lastNode' },
			};
		}
	}
	return { ...copy, id: EXAMPLE_6_COPY.id, name: `${copy.name} (e2e, public chat)` };
}

/** The item a tool answers for a finished task: the simplified task's fields an agent needs. */
const finishedTask = (waitMode?: string) => ({
	taskId: expect.any(String),
	status: 'succeeded',
	videoId: expect.any(String),
	url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
	duration: expect.any(Number),
	externalTaskId: expect.any(String),
	...(waitMode ? { waitMode } : {}),
});

/** Shots of MULTI_SHOT_ARGS that add up to 6 s while durationSeconds is 8. */
const SHOTS_SHORT_OF_DURATION: KlingVideoArgs = {
	...MULTI_SHOT_ARGS,
	shots: [
		{ prompt: 'A red fox leaves the forest at sunrise', duration: 3 },
		{ prompt: 'The fox runs across the snowfield, the camera follows it', duration: 3 },
	],
};

/** A current model's video, from one prompt, that Kling will not extend. */
const PAPER_BOAT_ARGS: KlingVideoArgs = {
	model: 'kling-2.6',
	prompt: 'A paper boat drifts down a rainy street',
	durationSeconds: 5,
	resolution: '720p',
	aspectRatio: '9:16',
	audio: 'off',
};

describe.each(AGENTS)('AI Agent $version with the Kling tools', (agent) => {
	const send = (message: string) => chat(agent.id, agent.webhookId, message);

	it('turns a chat message into a Kling Video call with the model’s arguments, and answers with the video’s URL', async () => {
		chatModel.use([
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: MULTI_SHOT_ARGS }] },
			{ content: answerWithVideo },
		]);
		const turn = await send('Make an 8 second video of a red fox in two shots, with sound');

		expect(turn.execution.status).toBe('success');
		const creates = turn.klingRequests.filter(isCreate);
		expect(creates).toHaveLength(1);
		expectCreateOf(creates[0], MULTI_SHOT_ARGS);

		// Kling Video waits with Callback in these workflows: as a tool it polls, and says so.
		const [toolMessage] = toolMessages(turn.lastRequest);
		const [item] = toolAnswer(messageText(toolMessage));
		expect(item).toEqual(finishedTask(CALLBACK_FALLBACK_WAIT_MODE));
		expect(simulator.getVideo(String(item.videoId))?.model).toBe(MULTI_SHOT_ARGS.model);
		expect(turn.output).toContain(String(item.url));

		// What the model was told about the tools: what they do, that they cost, how long they take,
		// and the fields it fills (from the $fromAI calls).
		const tools = Object.fromEntries(
			(turn.lastRequest.tools ?? []).map((tool) => [tool.function.name, tool.function]),
		);
		// Kling Video as the editor saves it (Tool Description left as it is): since it has a
		// Resource field, n8n describes it by the operation's action and the node's name
		// (n8n-workflow's makeDescription). Kling Video Extend, with "Set Automatically" and no
		// Resource field, by the node's description.
		expect(tools.Kling_Video?.description).toBe('Generate a video from text in Kling Video');
		expect(tools.Kling_Video_Extend?.description).toBe(
			'Extend Kling AI videos by about 4.5 seconds (each a paid generation that takes a few minutes) and read extension tasks. Kling extends only V1.x videos made through its API in the last 30 days, and no longer makes V1.x videos.',
		);
		expect(Object.keys(tools.Kling_Video?.parameters?.properties ?? {}).sort()).toEqual(
			['aspectRatio', 'audio', 'durationSeconds', 'model', 'prompt', 'resolution', 'shots'].sort(),
		);
	});

	it('hands shots that do not add up to the duration back to the model; its corrected call makes exactly one task', async () => {
		chatModel.use([
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: SHOTS_SHORT_OF_DURATION }] },
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: MULTI_SHOT_ARGS }] },
			{ content: answerWithVideo },
		]);
		const turn = await send('Make an 8 second video of a red fox in two shots');

		expect(turn.execution.status).toBe('success');
		const [refused, accepted] = toolMessages(turn.lastRequest).map((message) =>
			toolAnswer(messageText(message)),
		);
		expect(refused).toEqual([
			{
				error:
					'The shots add up to 6 s, but Duration (Seconds) is 8: they must add up to it. Change the shots’ durations, or set Duration (Seconds) to their sum.',
			},
		]);
		expect(accepted).toEqual([finishedTask(CALLBACK_FALLBACK_WAIT_MODE)]);
		const creates = turn.klingRequests.filter(isCreate);
		expect(creates).toHaveLength(1);
		expectCreateOf(creates[0], MULTI_SHOT_ARGS);
		expect(turn.output).toContain(String(accepted[0].url));
	});

	it('reads the task the model names (its task ID through $fromAI) with Kling Video’s Get Task as a tool', async () => {
		chatModel.use([
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: ONE_PROMPT_ARGS }] },
			{
				toolCalls: [
					{
						tool: KLING_TASK_TOOL,
						args: (request) => ({
							taskId: String(toolAnswer(lastToolResult(request))[0]?.taskId ?? ''),
						}),
					},
				],
			},
			{ content: answerWithVideo },
		]);
		const turn = await send('Make a video of a red fox, then read its task again');

		expect(turn.execution.status).toBe('success');
		const [made, read] = toolMessages(turn.lastRequest).map((message) =>
			toolAnswer(messageText(message)),
		);
		const taskId = String(made[0].taskId);
		expect(read).toEqual([{ ...finishedTask(), taskId }]);
		const reads = turn.klingRequests.filter(
			(request) => request.method === 'GET' && request.path === '/tasks',
		);
		expect(reads.map((request) => request.query)).toContainEqual({ task_ids: taskId });
		const tools = (turn.lastRequest.tools ?? []).map((tool) => tool.function);
		const taskTool = tools.find((tool) => tool.name === 'Kling_Task');
		expect(Object.keys(taskTool?.parameters?.properties ?? {})).toEqual(['taskId']);
		expect(turn.output).toContain(String(read[0].url));
	});

	it('extends a V1.x video the model names with Kling Video Extend, and answers with the extended video’s URL', async () => {
		chatModel.use([
			{
				toolCalls: [
					{
						tool: KLING_VIDEO_EXTEND_TOOL,
						args: { videoId: 'sim-video-5s', prompt: 'The fox jumps over a fallen tree' },
					},
				],
			},
			{ content: answerWithVideo },
		]);
		const turn = await send('Extend my video sim-video-5s: the fox jumps over a fallen tree');

		expect(turn.execution.status).toBe('success');
		const extends_ = turn.klingRequests.filter(
			(request) => request.method === 'POST' && request.path === '/v1/videos/video-extend',
		);
		expect(extends_).toHaveLength(1);
		expect(bodyOf(extends_[0])).toMatchObject({
			video_id: 'sim-video-5s',
			prompt: 'The fox jumps over a fallen tree',
		});
		const [item] = toolAnswer(lastToolResult(turn.lastRequest));
		expect(item).toEqual(finishedTask());
		expect(item.videoId).not.toBe('sim-video-5s');
		expect(simulator.getVideo(String(item.videoId))?.duration).toBeGreaterThan(5);
		expect(turn.output).toContain(String(item.url));
	});

	it('lets Kling’s refusal to extend a current model’s video reach the model in plain words, without failing the run', async () => {
		chatModel.use([
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: PAPER_BOAT_ARGS }] },
			{
				toolCalls: [
					{
						tool: KLING_VIDEO_EXTEND_TOOL,
						args: (request) => ({
							videoId: String(toolAnswer(lastToolResult(request))[0]?.videoId ?? ''),
							prompt: 'The boat reaches the harbour',
						}),
					},
				],
			},
			{ content: (request) => `Kling said: ${lastToolResult(request)}` },
		]);
		const turn = await send('Make a video of a paper boat, then make it longer');

		expect(turn.execution.status).toBe('success');
		const creates = turn.klingRequests.filter(isCreate);
		expect(creates).toHaveLength(1);
		expectCreateOf(creates[0], PAPER_BOAT_ARGS);
		const [made, refused] = toolMessages(turn.lastRequest).map((message) =>
			toolAnswer(messageText(message)),
		);
		expect(simulator.getVideo(String(made[0].videoId))?.model).toBe(PAPER_BOAT_ARGS.model);
		expect(refused).toEqual([{ error: expect.any(String) }]);
		const error = String(refused[0].error);
		expect(error).toContain(
			`Kling extends only V1.x videos made through its API in the last 30 days; this video (${String(made[0].videoId)}) cannot be extended.`,
		);
		expect(error).toContain('videos of its current models');
		expect(error).toContain(
			"Kling's message: Video extension only supports V1.x videos generated through the API within the last 30 days",
		);
		expect(turn.output).toContain('only V1.x videos');
	});
	it('edits a video the model names by URL with Kling Video’s Omni Video as a tool (base_video), and answers with the edited video’s URL', async () => {
		const args: OmniEditArgs = {
			prompt: 'Make the dancer in @video_1 wear a red coat',
			videoUrl: `${simulatorUrl}/samples/dance-5s.mp4`,
			durationSeconds: 5,
			audio: 'original',
		};
		chatModel.use([{ toolCalls: [{ tool: KLING_OMNI_TOOL, args }] }, { content: answerWithVideo }]);
		const turn = await send(`Make the dancer in ${args.videoUrl} wear a red coat`);

		expect(turn.execution.status).toBe('success');
		const creates = turn.klingRequests.filter(
			(request) => request.method === 'POST' && request.path.startsWith('/omni-video/'),
		);
		expect(creates.map((request) => request.path)).toEqual(['/omni-video/kling-3.0-omni']);
		const { options, ...body } = bodyOf(creates[0]);
		expect(body).toEqual(expectedOmniEdit(args));
		expect(options).toEqual({ external_task_id: expect.any(String) });
		const [item] = toolAnswer(lastToolResult(turn.lastRequest));
		expect(item).toEqual(finishedTask());
		expect(simulator.getVideo(String(item.videoId))?.model).toBe('kling-3.0-omni');
		expect(turn.output).toContain(String(item.url));
		const tool = (turn.lastRequest.tools ?? [])
			.map((entry) => entry.function)
			.find((entry) => entry.name === 'Kling_Omni_Video');
		expect(Object.keys(tool?.parameters?.properties ?? {}).sort()).toEqual(
			['audio', 'durationSeconds', 'prompt', 'videoUrl'].sort(),
		);
	});

	it('moves the character of an image URL like a motion video URL with Motion Control as a tool, and answers with the video’s URL', async () => {
		const args: MotionArgs = {
			imageUrl: `${simulatorUrl}/samples/face-2.png`,
			motionVideoUrl: `${simulatorUrl}/samples/dance-12s.mp4`,
			characterOrientation: 'video',
			prompt: 'On a stage with spotlights',
		};
		chatModel.use([
			{ toolCalls: [{ tool: KLING_MOTION_TOOL, args }] },
			{ content: answerWithVideo },
		]);
		const turn = await send('Make the person of my picture dance like the dancer of this video');

		expect(turn.execution.status).toBe('success');
		const creates = turn.klingRequests.filter(
			(request) => request.method === 'POST' && request.path.startsWith('/motion-control/'),
		);
		expect(creates.map((request) => request.path)).toEqual(['/motion-control/kling-3.0']);
		const { options, ...body } = bodyOf(creates[0]);
		expect(body).toEqual(expectedMotion(args));
		expect(options).toEqual({ external_task_id: expect.any(String) });
		const [item] = toolAnswer(lastToolResult(turn.lastRequest));
		expect(item).toEqual({ ...finishedTask(), duration: 12 });
		expect(turn.output).toContain(String(item.url));
		const tool = (turn.lastRequest.tools ?? [])
			.map((entry) => entry.function)
			.find((entry) => entry.name === 'Kling_Motion_Control');
		expect(Object.keys(tool?.parameters?.properties ?? {}).sort()).toEqual(
			['characterOrientation', 'imageUrl', 'motionVideoUrl', 'prompt'].sort(),
		);
	});
});

describe('example 6: chat to video', () => {
	it('answers a chat message with the URL of the video Kling Video made on its default model', async () => {
		chatModel.use([
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: ONE_PROMPT_ARGS }] },
			{ content: answerWithVideo },
		]);
		const turn = await chat(EXAMPLE_6_COPY.id, EXAMPLE_6_COPY.webhookId, 'A red fox in the snow');
		expect(turn.execution.status).toBe('success');
		const creates = turn.klingRequests.filter(isCreate);
		expect(creates).toHaveLength(1);
		expectCreateOf(creates[0], ONE_PROMPT_ARGS);
		const [item] = toolAnswer(lastToolResult(turn.lastRequest));
		expect(item).toEqual(finishedTask());
		expect(turn.output).toContain(String(item.url));
		expect(stack.imported.map((workflow) => workflow.id)).toContain(EXAMPLE_6_ID);
	});
});

describe('what the model sees', () => {
	it('holds no API key, secret key, JWT or webhook secret in any request the chat model received', () => {
		// Everything the model was sent in this suite: tool answers, errors, the tools' schemas.
		const seen = chatModel.requests.map((request) => request.raw).join('\n');
		expect(seen.length).toBeGreaterThan(0);
		for (const secret of [
			DEFAULT_ACCOUNT.apiKey,
			DEFAULT_ACCOUNT.accessKey,
			DEFAULT_ACCOUNT.secretKey,
			WEBHOOK_SECRET,
		]) {
			expect(seen).not.toContain(secret);
		}
		expect(seen).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
		expect(seen).not.toMatch(/Bearer\s/i);
	});
});
