import path from 'node:path';

import type { RecordedRequest } from '../../simulator';
import type { ChatRequest, ChatScript } from './chatModel';
import { lastToolResult, messageText } from './chatModel';
import type { Workflow, WorkflowNode } from './examples';
import { OPENAI_CHAT_MODEL_TYPE } from './examples';
import { ROOT } from './runtime';

/**
 * Workflows that put the Kling nodes behind n8n's AI Agent, for the agent suite and example 6:
 * Chat Trigger → AI Agent (OpenAI Chat Model + Kling Video tool + Kling Video Extend tool).
 *
 * Kling Video's fields are being rewritten for Kling's current models; every field name and value
 * that depends on it is in one place, `KlingVideoProfile`, and the profile is chosen by what the
 * built node offers (a `resolution` field means the current node).
 */

export const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
export const CHAT_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.chatTrigger';
export const KLING_VIDEO_TOOL_TYPE = 'n8n-nodes-kling.klingVideoTool';
export const KLING_VIDEO_EXTEND_TOOL_TYPE = 'n8n-nodes-kling.klingVideoExtendTool';

/** The node names, which n8n turns into the tools' names (Kling_Video, Kling_Video_Extend). */
export const KLING_VIDEO_TOOL = 'Kling Video';
export const KLING_VIDEO_EXTEND_TOOL = 'Kling Video Extend';

export interface KlingVideoProfile {
	name: 'current' | 'legacy';
	/** Kling Video's parameters as a tool: the model fills them through $fromAI. */
	toolParameters: Record<string, unknown>;
	/** Arguments of a good call, on a model whose videos can be extended (V1.x) or not. */
	goodArgs: Record<string, unknown>;
	/** The same call on a current model, whose videos Kling does not extend. */
	currentModelArgs: Record<string, unknown>;
	/** A first call that Kling Video refuses, and what its error must name. */
	badArgs: Record<string, unknown>;
	badArgsError: RegExp;
	/** Whether a recorded simulator request is the creation of a text-to-video task. */
	isCreate(request: RecordedRequest): boolean;
	/** The values the simulator must have received for the given arguments. */
	expectedBody(args: Record<string, unknown>): Record<string, unknown>;
	/** The model a video made with `args` was made by, as the simulator records it. */
	modelOf(args: Record<string, unknown>): string;
}

/** `$fromAI(…)`: the model fills the value; n8n builds the tool's schema from these calls. */
const fromAICall = (key: string, description: string, type = 'string') =>
	`$fromAI('${key}', '${description.replace(/'/g, "\\'")}', '${type}')`;
const fromAI = (key: string, description: string, type = 'string') =>
	`={{ ${fromAICall(key, description, type)} }}`;

/** Kling Video before the rewrite for Kling's current models (kling-v1-6 and the like). */
const LEGACY: KlingVideoProfile = {
	name: 'legacy',
	toolParameters: {
		operation: 'textToVideo',
		prompt: fromAI('prompt', 'What the video shows, in English, at most 2,500 characters'),
		model: fromAI(
			'model',
			'Kling model: kling-v1-6 (its videos can be extended), kling-v2-5-turbo or kling-v2-6',
		),
		duration: fromAI('duration', 'Length of the video in seconds: "5" or "10"'),
		aspectRatio: fromAI('aspectRatio', 'Aspect ratio: 16:9, 9:16 or 1:1'),
	},
	goodArgs: {
		prompt: 'A red fox runs through fresh snow at sunrise',
		model: 'kling-v1-6',
		duration: '5',
		aspectRatio: '16:9',
	},
	currentModelArgs: {
		prompt: 'A paper boat drifts down a rainy street',
		model: 'kling-v2-6',
		duration: '5',
		aspectRatio: '9:16',
	},
	badArgs: {
		prompt: 'A red fox runs through fresh snow at sunrise',
		model: 'kling-v1-6',
		duration: '7',
		aspectRatio: '16:9',
	},
	badArgsError: /Duration must be one of "5", "10" \(seconds\), but it is "7"/,
	isCreate: (request) => request.method === 'POST' && request.path === '/v1/videos/text2video',
	expectedBody: (args) => ({
		prompt: args.prompt,
		model_name: args.model,
		duration: args.duration,
		aspect_ratio: args.aspectRatio,
	}),
	modelOf: (args) => String(args.model),
};

/** Kling Video for Kling's current models (issue #15): POST /text-to-video/{model}. */
const CURRENT: KlingVideoProfile = {
	name: 'current',
	toolParameters: {
		model: fromAI('model', 'Kling model: kling-3.0-turbo, kling-3.0, kling-2.6 or kling-2.5-turbo'),
		prompt: fromAI('prompt', 'What the video shows, in English'),
		resolution: fromAI('resolution', 'Resolution: 720p, 1080p or 4k'),
		durationSeconds: fromAI('durationSeconds', 'Length of the whole video in seconds', 'number'),
		aspectRatio: fromAI('aspectRatio', 'Aspect ratio: 16:9, 9:16 or 1:1'),
		audio: fromAI('audio', 'Sound: native (made with the video) or off'),
		shots: `={{ { shot: ${fromAICall(
			'shots',
			'The shots as a JSON array of {"prompt": string, "duration": seconds}; their durations add up to durationSeconds; [] for one shot',
			'json',
		)} } }}`,
	},
	goodArgs: {
		model: 'kling-3.0-turbo',
		prompt: 'A red fox runs through fresh snow at sunrise',
		resolution: '1080p',
		durationSeconds: 8,
		aspectRatio: '16:9',
		audio: 'native',
		shots: [
			{ prompt: 'The fox leaves the forest', duration: 3 },
			{ prompt: 'The fox runs across the snowfield', duration: 5 },
		],
	},
	currentModelArgs: {
		model: 'kling-3.0-turbo',
		prompt: 'A paper boat drifts down a rainy street',
		resolution: '720p',
		durationSeconds: 5,
		aspectRatio: '9:16',
		audio: 'off',
		shots: [],
	},
	badArgs: {
		model: 'kling-3.0-turbo',
		prompt: 'A red fox runs through fresh snow at sunrise',
		resolution: '1080p',
		durationSeconds: 8,
		aspectRatio: '16:9',
		audio: 'native',
		shots: [
			{ prompt: 'The fox leaves the forest', duration: 3 },
			{ prompt: 'The fox runs across the snowfield', duration: 3 },
		],
	},
	badArgsError: /shot/i,
	isCreate: (request) => request.method === 'POST' && /^\/text-to-video\//.test(request.path),
	expectedBody: (args) => ({ ...args }),
	modelOf: (args) => String(args.model),
};

/** The profile of the built Kling Video node (dist/). */
export function klingVideoProfile(): KlingVideoProfile {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { KlingVideo } = require(path.join(ROOT, 'dist/nodes/KlingVideo/KlingVideo.node.js')) as {
		KlingVideo: new () => { description: { properties: Array<{ name: string }> } };
	};
	const names = new KlingVideo().description.properties.map((property) => property.name);
	return names.includes('resolution') ? CURRENT : LEGACY;
}

export interface AgentWorkflowOptions {
	id: string;
	name: string;
	/** AI Agent typeVersion: 3.1 (n8n 2.41's default) or 2.2. */
	agentVersion: number;
	/** The Chat Trigger's webhook id: its chat answers at /webhook/<webhookId>/chat. */
	webhookId: string;
	profile: KlingVideoProfile;
	/** Kling Video's Wait for Completion as a tool: Callback falls back to Poll. */
	waitForCompletion?: 'poll' | 'callback';
	/** Whether anyone may post to the chat's production URL (the suite does; examples do not). */
	publicChat?: boolean;
	withExtendTool?: boolean;
	/** First Poll Interval of the tools (seconds); the nodes' default is 3. */
	pollIntervalSeconds?: number;
}

const systemMessage = (withExtendTool: boolean) =>
	'You make videos with Kling. Call the Kling Video tool to make one' +
	(withExtendTool ? ', and Kling Video Extend to make one longer' : '') +
	'. Answer with the URL of the finished video.';

/** Chat Trigger → AI Agent, with the OpenAI Chat Model and the Kling tools. */
export function agentWorkflow(options: AgentWorkflowOptions): Workflow {
	const pollOptions =
		options.pollIntervalSeconds === undefined ? {} : { pollInterval: options.pollIntervalSeconds };
	const nodes: WorkflowNode[] = [
		{
			id: `${options.id}-chat`,
			name: 'When chat message received',
			type: CHAT_TRIGGER_TYPE,
			typeVersion: 1.4,
			position: [0, 0],
			webhookId: options.webhookId,
			parameters: options.publicChat
				? {
						public: true,
						mode: 'webhook',
						authentication: 'none',
						options: { responseMode: 'lastNode' },
					}
				: { options: {} },
		},
		{
			id: `${options.id}-agent`,
			name: 'AI Agent',
			type: AGENT_TYPE,
			typeVersion: options.agentVersion,
			position: [220, 0],
			parameters: { options: { systemMessage: systemMessage(options.withExtendTool !== false) } },
		},
		{
			id: `${options.id}-model`,
			name: 'OpenAI Chat Model',
			type: OPENAI_CHAT_MODEL_TYPE,
			typeVersion: 1.3,
			position: [120, 220],
			parameters: {
				model: { __rl: true, mode: 'list', value: 'gpt-4.1-mini' },
				// The Responses API is OpenAI's own; Chat Completions is what compatible servers speak.
				responsesApiEnabled: false,
				options: {},
			},
		},
		{
			id: `${options.id}-video`,
			name: KLING_VIDEO_TOOL,
			type: KLING_VIDEO_TOOL_TYPE,
			typeVersion: 1,
			position: [300, 220],
			parameters: {
				...options.profile.toolParameters,
				waitForCompletion: options.waitForCompletion ?? 'poll',
				maxWait: 15,
				simplify: true,
				options: pollOptions,
			},
			credentials: { klingApi: { id: 'klingApiExamples', name: 'Kling API account' } },
		},
	];
	const connections: Record<string, unknown> = {
		'When chat message received': {
			main: [[{ node: 'AI Agent', type: 'main', index: 0 }]],
		},
		'OpenAI Chat Model': {
			ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
		},
		[KLING_VIDEO_TOOL]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
	};
	if (options.withExtendTool !== false) {
		nodes.push({
			id: `${options.id}-extend`,
			name: KLING_VIDEO_EXTEND_TOOL,
			type: KLING_VIDEO_EXTEND_TOOL_TYPE,
			typeVersion: 1,
			position: [480, 220],
			parameters: {
				operation: 'create',
				// "Set Automatically": n8n describes the tool by the operation's action text.
				descriptionType: 'auto',
				videoId: fromAI(
					'videoId',
					'ID of the Kling video to extend (only videos made by kling-v1, kling-v1-5 or kling-v1-6 extend)',
				),
				prompt: fromAI('prompt', 'What happens in the added seconds, in English'),
				waitForCompletion: 'poll',
				maxWait: 15,
				simplify: true,
				options: pollOptions,
			},
			credentials: { klingApi: { id: 'klingApiExamples', name: 'Kling API account' } },
		});
		connections[KLING_VIDEO_EXTEND_TOOL] = {
			ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]],
		};
	}
	return {
		id: options.id,
		name: options.name,
		active: false,
		nodes,
		connections,
		// Without it n8n runs in its legacy order, and AI Agent 3.x resumes before its tools ran.
		settings: { executionOrder: 'v1' },
	};
}

/** The user's newest chat message. */
function lastUserMessage(request: ChatRequest): string {
	const users = request.messages.filter((message) => message.role === 'user');
	return users.length ? messageText(users[users.length - 1]) : '';
}

/**
 * The script of `npm start`'s chat model for example 6: every chat message becomes a Kling Video
 * call with that message as the prompt, then the answer names the video's URL (or the error).
 */
export function demoChatScript(profile: KlingVideoProfile): ChatScript {
	return [
		{
			toolCalls: [
				{
					tool: KLING_VIDEO_TOOL,
					args: (request) => ({
						...profile.goodArgs,
						prompt: lastUserMessage(request) || String(profile.goodArgs.prompt),
					}),
				},
			],
		},
		{
			content: (request) => {
				const result = lastToolResult(request);
				const url = /"videoUrl":"([^"]+)"/.exec(result)?.[1];
				return url
					? `Your video is ready: ${url}`
					: `Kling Video did not make the video: ${result}`;
			},
		},
	];
}
