import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted chat model: a small OpenAI-compatible chat-completions server on loopback. n8n's own
 * OpenAI Chat Model node reaches it through the OpenAI credential's base URL (`url`), with
 * "Use Responses API" off. It answers from a script, so every run is the same, and records every
 * request, so that a test can check what the model was shown (the tools, the tool messages).
 *
 * The script is a list of turns. The turn answered is the number of assistant messages already in
 * the conversation: the first request gets turn 0, the request after the first tool call turn 1…
 */

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool' | string;
	content?: string | Array<{ type: string; text?: string }> | null;
	tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
	name?: string;
}

export interface ChatTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface ChatRequest {
	model?: string;
	messages: ChatMessage[];
	tools?: ChatTool[];
	stream?: boolean;
	[key: string]: unknown;
}

export interface RecordedChatRequest {
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** The raw body, as sent (for checks that nothing secret is in it). */
	raw: string;
	body: ChatRequest;
}

export interface ToolCallStep {
	/** The tool's name as n8n offers it, or a name that normalizes to it ("Kling Video" → Kling_Video). */
	tool: string;
	/** The arguments, or a function of the conversation so far (to name a video a tool made). */
	args: Record<string, unknown> | ((request: ChatRequest) => Record<string, unknown>);
}

/** One answer of the model: tool calls, or a final text (computed from the conversation). */
export type ScriptTurn =
	| { toolCalls: ToolCallStep[] }
	| { content: string | ((request: ChatRequest) => string) };

export type ChatScript = ScriptTurn[];

/** The text of a message (string content or content parts). */
export function messageText(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	if (Array.isArray(message.content))
		return message.content.map((part) => part.text ?? '').join('');
	return '';
}

/** The tool messages of a conversation, oldest first. */
export function toolMessages(request: ChatRequest): ChatMessage[] {
	return request.messages.filter((message) => message.role === 'tool');
}

/** The content of the newest tool message ('' when there is none). */
export function lastToolResult(request: ChatRequest): string {
	const tools = toolMessages(request);
	return tools.length ? messageText(tools[tools.length - 1]) : '';
}

function normalizeName(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

export class ScriptedChatModel {
	readonly requests: RecordedChatRequest[] = [];
	private script: ChatScript = [{ content: 'No script was set for this conversation.' }];
	private server: Server | undefined;
	private baseUrl = '';
	private callCounter = 0;

	/** The script for the next conversations (replaces the previous one). */
	use(script: ChatScript): void {
		this.script = script;
	}

	clearRequests(): void {
		this.requests.length = 0;
	}

	/** Base URL to put into the OpenAI credential's `url`: http://127.0.0.1:<port>/v1 */
	get url(): string {
		return `${this.baseUrl}/v1`;
	}

	/** The recorded chat-completions requests only. */
	get completions(): RecordedChatRequest[] {
		return this.requests.filter((request) => /chat\/completions$/.test(request.path));
	}

	async start(port = 0, host = '127.0.0.1'): Promise<string> {
		const server = createServer((request, response) => {
			this.handle(request, response).catch((error: Error) => {
				response.writeHead(500, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ error: { message: error.message, type: 'server_error' } }));
			});
		});
		this.server = server;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => resolve());
		});
		const address = server.address() as AddressInfo;
		this.baseUrl = `http://${host}:${address.port}`;
		return this.url;
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		const path = (request.url ?? '/').split('?')[0];
		const send = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		if (request.method === 'GET' && /\/models$/.test(path)) {
			return send(200, {
				object: 'list',
				data: [{ id: 'scripted-model', object: 'model', created: 0, owned_by: 'tests' }],
			});
		}
		if (request.method !== 'POST' || !/^(\/v1)?\/chat\/completions$/.test(path)) {
			return send(404, {
				error: { message: `no route ${request.method} ${path}`, type: 'invalid_request_error' },
			});
		}
		const body = JSON.parse(raw || '{}') as ChatRequest;
		this.requests.push({ path, headers: request.headers, raw, body });
		const message = this.answer(body);
		const id = `chatcmpl-scripted-${this.requests.length}`;
		const model = body.model ?? 'scripted-model';
		const finishReason = message.tool_calls ? 'tool_calls' : 'stop';
		if (body.stream) {
			response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			const event = (delta: Record<string, unknown>, finish: string | null) =>
				response.write(
					`data: ${JSON.stringify({
						id,
						object: 'chat.completion.chunk',
						created: Math.floor(Date.now() / 1000),
						model,
						choices: [{ index: 0, delta, finish_reason: finish }],
					})}\n\n`,
				);
			event(
				message.tool_calls
					? {
							role: 'assistant',
							content: null,
							tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })),
						}
					: { role: 'assistant', content: message.content },
				null,
			);
			event({}, finishReason);
			response.end('data: [DONE]\n\n');
			return;
		}
		send(200, {
			id,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model,
			choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
			usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
		});
	}

	private answer(body: ChatRequest): ChatMessage {
		const turn = body.messages.filter((message) => message.role === 'assistant').length;
		const step = this.script[Math.min(turn, this.script.length - 1)];
		if ('content' in step) {
			const content = typeof step.content === 'function' ? step.content(body) : step.content;
			return { role: 'assistant', content };
		}
		const offered = (body.tools ?? []).map((tool) => tool.function.name);
		return {
			role: 'assistant',
			content: null,
			tool_calls: step.toolCalls.map((call) => {
				const name =
					offered.find((candidate) => candidate === call.tool) ??
					offered.find((candidate) => normalizeName(candidate) === normalizeName(call.tool));
				if (!name) {
					throw new Error(`the script calls tool "${call.tool}", offered: ${offered.join(', ')}`);
				}
				this.callCounter += 1;
				return {
					id: `call_scripted_${this.callCounter}`,
					type: 'function',
					function: {
						name,
						arguments: JSON.stringify(
							typeof call.args === 'function' ? call.args(body) : call.args,
						),
					},
				};
			}),
		};
	}
}
