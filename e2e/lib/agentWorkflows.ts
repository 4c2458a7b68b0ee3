import type { ChatRequest, ChatScript } from './chatModel';
import { lastToolResult, messageText } from './chatModel';
import type { Workflow, WorkflowNode } from './examples';
import { OPENAI_CHAT_MODEL_TYPE } from './examples';

/**
 * Workflows that put the Kling nodes behind n8n's AI Agent, for the agent suite and example 6:
 * Chat Trigger → AI Agent (OpenAI Chat Model + Kling Video tool + Kling Video Extend tool).
 * Kling Video's fields are those of Kling's current models (`POST /text-to-video/{model}`).
 */

export const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
export const CHAT_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.chatTrigger';
export const KLING_VIDEO_TOOL_TYPE = 'n8n-nodes-kling.klingVideoTool';
export const KLING_VIDEO_EXTEND_TOOL_TYPE = 'n8n-nodes-kling.klingVideoExtendTool';

/** The node names, which n8n turns into the tools' names (Kling_Video, Kling_Video_Extend). */
export const KLING_VIDEO_TOOL = 'Kling Video';
export const KLING_VIDEO_EXTEND_TOOL = 'Kling Video Extend';
/** Kling Video's Get Task as a tool of its own (n8n names it Kling_Task): the model names the task. */
export const KLING_TASK_TOOL = 'Kling Task';

/**
 * `$fromAI(…)`: the model fills the value; n8n builds the tool's schema from these calls. An
 * argument with a default (a JavaScript literal, the call's fourth argument) may be left out: AI
 * Agent 2.2 checks the model's arguments against that schema, where every other one is required.
 */
const fromAICall = (key: string, description: string, type = 'string', fallback?: string) =>
	`$fromAI('${key}', '${description.replace(/'/g, "\\'")}', '${type}'${fallback === undefined ? '' : `, ${fallback}`})`;
const fromAI = (key: string, description: string, type = 'string', fallback?: string) =>
	`={{ ${fromAICall(key, description, type, fallback)} }}`;

/**
 * The shots as the model gives them: a JSON array of `{prompt, duration}` (one object reads as one
 * shot). Used in several fields with the same key, description and type, which n8n takes as one
 * argument of the tool. n8n's schema wants a json argument non-empty, its default included, so a
 * call without shots gets `[{}]`: one empty entry, which is no shot.
 */
const SHOTS_FROM_AI = `[].concat(${fromAICall(
	'shots',
	'Only for a multi-shot video on kling-3.0-turbo or kling-3.0: a JSON array of 1 to 6 shots, each {"prompt": what the shot shows, "duration": whole seconds, at least 1}, their durations adding up to durationSeconds. Leave it out for a video from one prompt.',
	'json',
	'[{}]',
)})`;

/** Kling Video takes up to 6 shots (nodes/shared/kling/models.ts, MAX_SHOTS). */
const MAX_SHOTS = 6;

/**
 * Kling Video's Text to Video as a tool on Kling's current models: the model fills prompt, model,
 * durationSeconds, resolution, aspectRatio, audio and shots. Multi-Shot follows the shots (on when
 * any has a prompt or a duration), so that the model need not keep two values in step; being an expression, it also
 * keeps both Prompt and Shots shown for n8n (a display rule counts an expression as shown).
 */
export const KLING_VIDEO_TOOL_PARAMETERS: Record<string, unknown> = {
	operation: 'textToVideo',
	model: fromAI(
		'model',
		'Kling model: kling-3.0-turbo (default, always with sound), kling-3.0, kling-2.6 or kling-2.5-turbo (no sound)',
	),
	prompt: fromAI(
		'prompt',
		'What the video shows, in English, at most 2,500 characters (leave it out when there are shots)',
		'string',
		"''",
	),
	durationSeconds: fromAI(
		'durationSeconds',
		'Length of the whole video in whole seconds: 3 to 15 on kling-3.0-turbo and kling-3.0, 5 or 10 on kling-2.6 and kling-2.5-turbo',
		'number',
	),
	resolution: fromAI('resolution', 'Resolution: 720p or 1080p (4k on kling-3.0 only)'),
	aspectRatio: fromAI('aspectRatio', 'Aspect ratio: 16:9, 9:16 or 1:1'),
	audio: fromAI(
		'audio',
		'Sound on kling-3.0 and kling-2.6: native (made with the video; on kling-2.6 it needs 1080p) or off. Say off on the other models.',
	),
	multiShot: `={{ ${SHOTS_FROM_AI}.some((shot) => Boolean(shot?.prompt || shot?.duration)) }}`,
	// n8n drops a whole Shots given as one expression when it loads the workflow (it keeps a
	// fixedCollection only as entries), so each entry reads its shot; Kling Video skips the empty.
	shots: {
		shot: Array.from({ length: MAX_SHOTS }, (_, index) => ({
			prompt: `={{ ${SHOTS_FROM_AI}[${index}]?.prompt }}`,
			duration: `={{ ${SHOTS_FROM_AI}[${index}]?.duration }}`,
		})),
	},
};

/** The arguments of Kling Video's tool, as a model sends them. */
export type KlingVideoArgs = Record<string, unknown> & {
	model: string;
	prompt?: string;
	durationSeconds: number;
	resolution: string;
	aspectRatio: string;
	audio: string;
	shots?: Array<{ prompt: string; duration: number }>;
};

/** A multi-shot video on kling-3.0, with sound: every field the tool offers. */
export const MULTI_SHOT_ARGS: KlingVideoArgs = {
	model: 'kling-3.0',
	durationSeconds: 8,
	resolution: '1080p',
	aspectRatio: '16:9',
	audio: 'native',
	shots: [
		{ prompt: 'A red fox leaves the forest at sunrise', duration: 3 },
		{ prompt: 'The fox runs across the snowfield, the camera follows it', duration: 5 },
	],
};

/** A video from one prompt on Kling 3.0 Turbo, the default model. */
export const ONE_PROMPT_ARGS: KlingVideoArgs = {
	model: 'kling-3.0-turbo',
	prompt: 'A red fox runs through fresh snow at sunrise',
	durationSeconds: 5,
	resolution: '720p',
	aspectRatio: '16:9',
	audio: 'off',
};

/** Kling's text-to-video request for the arguments: path and body (Kling's docs, each model). */
export function expectedTextToVideo(args: KlingVideoArgs): {
	path: string;
	prompt: string;
	settings: Record<string, unknown>;
} {
	const shots = args.shots ?? [];
	const settings: Record<string, unknown> = {
		resolution: args.resolution,
		duration: args.durationSeconds,
		aspect_ratio: args.aspectRatio,
	};
	// Only kling-3.0 and kling-2.6 have an audio setting; only kling-3.0 a multi_shot one.
	if (args.model === 'kling-3.0' || args.model === 'kling-2.6') settings.audio = args.audio;
	if (shots.length > 0 && args.model === 'kling-3.0') settings.multi_shot = true;
	return {
		path: `/text-to-video/${args.model}`,
		prompt: shots.length
			? shots.map((shot, index) => `shot ${index + 1}, ${shot.duration}, ${shot.prompt};`).join(' ')
			: String(args.prompt),
		settings,
	};
}

/**
 * Kling Video's newer operations, each a tool of its own (a tool node runs one operation): Omni
 * Video editing a video the model names by URL, and Motion Control moving the character of an
 * image URL like a motion video URL. n8n names them Kling_Omni_Video and Kling_Motion_Control.
 */
export const KLING_OMNI_TOOL = 'Kling Omni Video';
export const KLING_MOTION_TOOL = 'Kling Motion Control';

/** Omni Video on kling-3.0-omni, Video Role Edit: the model fills what changes and the video. */
export const KLING_OMNI_TOOL_PARAMETERS: Record<string, unknown> = {
	operation: 'omniVideo',
	descriptionType: 'manual',
	toolDescription:
		'Edit a video with Kling 3.0 Omni: give the public URL of the video (MP4 or MOV, 3 to 15.5 s) and what to change; the prompt names the video @video_1. Answers with the edited video’s URL. A paid generation that takes a few minutes.',
	model: 'kling-3.0-omni',
	prompt: fromAI(
		'prompt',
		'What to change in the video, in English, naming the video @video_1 (e.g. "make the car in @video_1 red")',
	),
	referenceVideoUrl: fromAI('videoUrl', 'The public http(s) URL of the video to edit'),
	videoRole: 'edit',
	multiShot: false,
	durationSeconds: fromAI(
		'durationSeconds',
		'Length of the edited video in whole seconds, 3 to 15 (usually that of the video)',
		'number',
	),
	resolution: '720p',
	audio: fromAI('audio', 'original (keep the video’s sound) or off (silent)'),
};

/** Motion Control on kling-3.0: the character image and the motion video by URL. */
export const KLING_MOTION_TOOL_PARAMETERS: Record<string, unknown> = {
	operation: 'motionControl',
	descriptionType: 'manual',
	toolDescription:
		'Make the character of an image move like the person in a motion video, with Kling 3.0 Motion Control: give the public URL of the image (JPG or PNG) and of the motion video (MP4 or MOV, at least 3 s). The video is as long as the motion video. Answers with the video’s URL. A paid generation that takes a few minutes.',
	model: 'kling-3.0',
	imageSource: 'url',
	image: fromAI('imageUrl', 'The public http(s) URL of the character image'),
	motionVideoUrl: fromAI('motionVideoUrl', 'The public http(s) URL of the motion video'),
	characterOrientation: fromAI(
		'characterOrientation',
		'video (the character turns as the person in the video does; motion videos up to 30 s) or image (it keeps the image’s orientation; up to 10 s)',
	),
	prompt: fromAI('prompt', 'Optional: the scene or background, in English', 'string', "''"),
	resolution: '720p',
	audio: 'original',
};

export interface OmniEditArgs extends Record<string, unknown> {
	prompt: string;
	videoUrl: string;
	durationSeconds: number;
	audio: string;
}

export interface MotionArgs extends Record<string, unknown> {
	imageUrl: string;
	motionVideoUrl: string;
	characterOrientation: string;
	prompt: string;
}

/** Kling's Omni request for an edit (Kling's "Omni Video Generation" page): base_video video_1. */
export function expectedOmniEdit(args: OmniEditArgs): Record<string, unknown> {
	return {
		contents: [
			{ type: 'prompt', text: args.prompt },
			{ type: 'base_video', url: args.videoUrl, id: 'video_1' },
		],
		settings: {
			resolution: '720p',
			duration: args.durationSeconds,
			audio: args.audio,
			multi_shot: false,
		},
	};
}

/** Kling's Motion Control request (its "Motion Control" page): no duration. */
export function expectedMotion(args: MotionArgs): Record<string, unknown> {
	return {
		contents: [
			...(args.prompt ? [{ type: 'prompt', text: args.prompt }] : []),
			{ type: 'image', url: args.imageUrl },
			{ type: 'video', url: args.motionVideoUrl },
		],
		settings: {
			resolution: '720p',
			audio: 'original',
			character_orientation: args.characterOrientation,
		},
	};
}

export interface AgentWorkflowOptions {
	id: string;
	name: string;
	/** AI Agent typeVersion: 3.1 (n8n 2.41's default) or 2.2. */
	agentVersion: number;
	/** The Chat Trigger's webhook id: its chat answers at /webhook/<webhookId>/chat. */
	webhookId: string;
	/** Kling Video's Wait for Completion as a tool: Callback falls back to Poll. */
	waitForCompletion?: 'poll' | 'callback';
	/** Whether anyone may post to the chat's production URL (the suite does; examples do not). */
	publicChat?: boolean;
	withExtendTool?: boolean;
	/** Kling Omni Video and Kling Motion Control as tools too (they poll). */
	withNewOperationTools?: boolean;
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
				...KLING_VIDEO_TOOL_PARAMETERS,
				waitForCompletion: options.waitForCompletion ?? 'poll',
				maxWait: 15,
				simplify: true,
				options: pollOptions,
			},
			credentials: { klingApi: { id: 'klingApiExamples', name: 'Kling API account' } },
		},
	];
	nodes.push({
		id: `${options.id}-task`,
		name: KLING_TASK_TOOL,
		type: KLING_VIDEO_TOOL_TYPE,
		typeVersion: 1,
		position: [660, 220],
		parameters: {
			operation: 'get',
			descriptionType: 'manual',
			toolDescription:
				'Read a Kling video task by its task ID: its status and, once it has succeeded, the video URL. Free, and answers at once.',
			lookupBy: 'taskId',
			taskId: fromAI('taskId', 'The taskId that Kling Video answered when it made the video'),
			simplify: true,
		},
		credentials: { klingApi: { id: 'klingApiExamples', name: 'Kling API account' } },
	});
	const connections: Record<string, unknown> = {
		'When chat message received': {
			main: [[{ node: 'AI Agent', type: 'main', index: 0 }]],
		},
		'OpenAI Chat Model': {
			ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
		},
		[KLING_VIDEO_TOOL]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		[KLING_TASK_TOOL]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
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
					'ID of the Kling video to extend. Kling extends only V1.x videos made through its API in the last 30 days: videos of its current models (kling-3.0-turbo, kling-3.0, kling-2.6, kling-2.5-turbo) cannot be extended.',
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
	if (options.withNewOperationTools) {
		const tools: Array<[string, Record<string, unknown>, number]> = [
			[KLING_OMNI_TOOL, KLING_OMNI_TOOL_PARAMETERS, 840],
			[KLING_MOTION_TOOL, KLING_MOTION_TOOL_PARAMETERS, 1020],
		];
		for (const [name, parameters, x] of tools) {
			nodes.push({
				id: `${options.id}-${name.replace(/\W+/g, '-').toLowerCase()}`,
				name,
				type: KLING_VIDEO_TOOL_TYPE,
				typeVersion: 1,
				position: [x, 220],
				parameters: {
					...parameters,
					waitForCompletion: 'poll',
					maxWait: 15,
					simplify: true,
					options: pollOptions,
				},
				credentials: { klingApi: { id: 'klingApiExamples', name: 'Kling API account' } },
			});
			connections[name] = { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] };
		}
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
export function demoChatScript(): ChatScript {
	return [
		{
			toolCalls: [
				{
					tool: KLING_VIDEO_TOOL,
					args: (request) => ({
						...ONE_PROMPT_ARGS,
						prompt: lastUserMessage(request) || ONE_PROMPT_ARGS.prompt,
					}),
				},
			],
		},
		{
			content: (request) => {
				const result = lastToolResult(request);
				const url = /"url":"([^"]+)"/.exec(result)?.[1];
				return url
					? `Your video is ready: ${url}`
					: `Kling Video did not make the video: ${result}`;
			},
		},
	];
}
