/**
 * The Kling nodes as tools of n8n's AI Agent, in a real n8n (2.41) against the Kling simulator:
 * Chat Trigger → AI Agent (3.1 and 2.2) → OpenAI Chat Model + Kling Video + Kling Video Extend.
 * The only stand-in is the chat model: a scripted OpenAI-compatible server (e2e/lib/chatModel.ts)
 * reached through n8n's own OpenAI Chat Model node. See e2e/README.md.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_ACCOUNT, KlingSimulator } from '../simulator';
import type { RecordedRequest } from '../simulator';
import {
	agentWorkflow,
	klingVideoProfile,
	KLING_VIDEO_EXTEND_TOOL,
	KLING_VIDEO_TOOL,
} from './lib/agentWorkflows';
import type { KlingVideoProfile } from './lib/agentWorkflows';
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
const EXAMPLE_6_COPY = {
	id: 'klingChatToVideoE2e',
	webhookId: 'a9e1c3f0-06aa-4d1e-9b00-000000000006',
};

let simulator: KlingSimulator;
let chatModel: ScriptedChatModel;
let n8n: N8n | undefined;
let stack: Stack;
let rest: N8nRest;
let profile: KlingVideoProfile;
let sessionCounter = 0;

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
	const url = toolAnswer(content).find((item) => typeof item.videoUrl === 'string')?.videoUrl;
	return typeof url === 'string' ? url : '';
}

function bodyOf(request: RecordedRequest): Record<string, unknown> {
	return JSON.parse(request.body || '{}') as Record<string, unknown>;
}

const answerWithVideo = (request: ChatRequest) =>
	`Here is your video: ${videoUrlIn(lastToolResult(request)) || '(no video)'}`;

beforeAll(
	async () => {
		const started = Date.now();
		ensureN8nInstalled();
		buildPackage();
		profile = klingVideoProfile();

		simulator = new KlingSimulator({
			port: 0,
			host: '127.0.0.1',
			webhookSecrets: [WEBHOOK_SECRET],
			timing: { submittedMs: 200, processingMs: 600 },
			videoBytes: 16 * 1024,
		});
		const simulatorUrl = await simulator.start();
		chatModel = new ScriptedChatModel();
		const chatModelUrl = await chatModel.start();

		const workflows: Workflow[] = AGENTS.map((agent) =>
			agentWorkflow({
				id: agent.id,
				name: `agent e2e: AI Agent ${agent.version}`,
				agentVersion: agent.version,
				webhookId: agent.webhookId,
				profile,
				waitForCompletion: 'callback',
				publicChat: true,
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
			`n8n, the simulator and the scripted chat model ready in ${((Date.now() - started) / 1000).toFixed(1)} s (Kling Video fields: ${profile.name})`,
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
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const example = require('../examples/06-chat-to-video.json') as Workflow;
	const copy = JSON.parse(JSON.stringify(example)) as Workflow;
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

describe.each(AGENTS)('AI Agent $version with the Kling tools', (agent) => {
	const send = (message: string) => chat(agent.id, agent.webhookId, message);

	it('turns a chat message into a Kling Video call with the model’s arguments, and answers with the video’s URL', async () => {
		chatModel.use([
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: profile.goodArgs }] },
			{ content: answerWithVideo },
		]);
		const turn = await send('Make a 5 second video of a red fox running through snow');

		expect(turn.execution.status).toBe('success');
		const creates = turn.klingRequests.filter(profile.isCreate);
		expect(creates).toHaveLength(1);
		expect(bodyOf(creates[0])).toMatchObject(profile.expectedBody(profile.goodArgs));

		const [toolMessage] = toolMessages(turn.lastRequest);
		const [item] = toolAnswer(messageText(toolMessage));
		expect(item).toEqual({
			taskId: expect.any(String),
			status: expect.stringMatching(/^succeed/),
			videoId: expect.any(String),
			videoUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
			duration: expect.any(Number),
			externalTaskId: expect.any(String),
			waitMode: 'poll (callback is not possible inside an AI agent tool)',
		});
		expect(simulator.getVideo(String(item.videoId))?.model).toBe(profile.modelOf(profile.goodArgs));
		expect(turn.output).toContain(String(item.videoUrl));

		// What the model was told about the tools: what they do, that they cost, how long they take,
		// and the fields it fills (from the $fromAI calls).
		const tools = Object.fromEntries(
			(turn.lastRequest.tools ?? []).map((tool) => [tool.function.name, tool.function]),
		);
		// Kling Video as the editor saves it (Tool Description left as it is), Kling Video Extend
		// with "Set Automatically": both described by the node's description.
		expect(tools.Kling_Video?.description).toBe(
			'Generate Kling AI videos from a prompt or an image (each a paid generation that takes a few minutes) and read their tasks',
		);
		expect(tools.Kling_Video_Extend?.description).toBe(
			'Extend Kling AI videos made by V1.x models by about 4.5 seconds (each a paid generation that takes a few minutes) and read extension tasks',
		);
		expect(Object.keys(tools.Kling_Video?.parameters?.properties ?? {}).sort()).toEqual(
			Object.keys(profile.goodArgs).sort(),
		);
	});

	it('hands a refused call back to the model as the tool’s answer; its corrected call makes exactly one task', async () => {
		chatModel.use([
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: profile.badArgs }] },
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: profile.goodArgs }] },
			{ content: answerWithVideo },
		]);
		const turn = await send('Make a video of a red fox in two shots');

		expect(turn.execution.status).toBe('success');
		const [refused, accepted] = toolMessages(turn.lastRequest).map((message) =>
			toolAnswer(messageText(message)),
		);
		expect(refused).toEqual([{ error: expect.stringMatching(profile.badArgsError) }]);
		expect(accepted[0]).toMatchObject({ status: expect.stringMatching(/^succeed/) });
		expect(turn.klingRequests.filter(profile.isCreate)).toHaveLength(1);
		expect(turn.output).toContain(String(accepted[0].videoUrl));
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
		expect(item).toMatchObject({ status: expect.stringMatching(/^succeed/) });
		expect(item.videoId).not.toBe('sim-video-5s');
		expect(simulator.getVideo(String(item.videoId))?.duration).toBeGreaterThan(5);
		expect(turn.output).toContain(String(item.videoUrl));
	});

	it('lets Kling’s refusal to extend a current model’s video reach the model in plain words, without failing the run', async () => {
		chatModel.use([
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: profile.currentModelArgs }] },
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
		const [made, refused] = toolMessages(turn.lastRequest).map((message) =>
			toolAnswer(messageText(message)),
		);
		expect(simulator.getVideo(String(made[0].videoId))?.model).toBe(
			profile.modelOf(profile.currentModelArgs),
		);
		expect(refused).toEqual([
			{ error: expect.stringMatching(/only kling-v1, kling-v1-5 and kling-v1-6 videos/) },
		]);
		expect(refused[0].error).toMatch(/Kling error 1201/);
		expect(turn.output).toContain('only kling-v1');
	});
});

describe('example 6: chat to video', () => {
	it('answers a chat message with the URL of the video Kling Video made', async () => {
		chatModel.use([
			{ toolCalls: [{ tool: KLING_VIDEO_TOOL, args: profile.goodArgs }] },
			{ content: answerWithVideo },
		]);
		const turn = await chat(EXAMPLE_6_COPY.id, EXAMPLE_6_COPY.webhookId, 'A red fox in the snow');
		expect(turn.execution.status).toBe('success');
		expect(turn.klingRequests.filter(profile.isCreate)).toHaveLength(1);
		const [item] = toolAnswer(lastToolResult(turn.lastRequest));
		expect(turn.output).toContain(String(item.videoUrl));
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
