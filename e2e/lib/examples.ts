import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_ACCOUNT } from '../../simulator';
import { ROOT } from './runtime';

export const EXAMPLES_DIR = path.join(ROOT, 'examples');

/** The address the examples' callback URLs are written for: n8n's default on one machine. */
export const EXAMPLE_N8N_URL = 'http://localhost:5678';

/**
 * The address the examples' sample media are written for: the Kling simulator of `npm start` on
 * its default port (its `/samples/` files: a face image, dance videos). Rewritten to the
 * simulator actually running; with Kling's real API, users put URLs of their own media there.
 */
export const EXAMPLE_SIMULATOR_URL = 'http://localhost:4010';

/** The credential the examples refer to; start.ts and the e2e suite import one with this id. */
export const EXAMPLE_CREDENTIAL = { id: 'klingApiExamples', name: 'Kling API account' };

/**
 * That credential for a Kling simulator at baseUrl, with its default account's API key: Kling's
 * current models take nothing else (an access key + secret key only reaches the legacy API).
 */
export function simulatorCredential(baseUrl: string, webhookSecret: string) {
	return {
		...EXAMPLE_CREDENTIAL,
		data: {
			authentication: 'apiKey',
			apiKey: DEFAULT_ACCOUNT.apiKey,
			region: 'custom',
			baseUrl,
			webhookSecret,
		},
	};
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}

export interface Workflow {
	id: string;
	name: string;
	active: boolean;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface Example {
	file: string;
	workflow: Workflow;
}

/** examples/*.json, in file-name order. */
export function loadExamples(): Example[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Workflow,
		}));
}

export function findNode(
	workflow: Workflow,
	predicate: (node: WorkflowNode) => boolean,
): WorkflowNode {
	const node = workflow.nodes.find(predicate);
	if (!node) throw new Error(`workflow "${workflow.name}" has no such node`);
	return node;
}

export function nodeOfType(workflow: Workflow, type: string): WorkflowNode {
	return findNode(workflow, (node) => node.type === type);
}

export interface PrepareOptions {
	/** The credential to use instead of EXAMPLE_CREDENTIAL. */
	credential: { id: string; name: string };
	/** Where this n8n's webhooks are reached (replaces http://localhost:5678 in callback URLs). */
	webhookBase: string;
	/** The Kling simulator's URL (replaces http://localhost:4010 in sample media URLs). */
	simulatorUrl?: string;
	/** Video to extend in the create example (a real Kling video id with real keys). */
	videoId?: string;
	/**
	 * The OpenAI credential for the examples' OpenAI Chat Model nodes (left for the user in the
	 * files): npm start and the suites point it at a scripted chat model.
	 */
	chatModelCredential?: { id: string; name: string };
}

/** n8n's OpenAI Chat Model node, which the agent example uses. */
export const OPENAI_CHAT_MODEL_TYPE = '@n8n/n8n-nodes-langchain.lmChatOpenAi';

function rewriteStrings(value: unknown, rewrite: (text: string) => string): unknown {
	if (typeof value === 'string') return rewrite(value);
	if (Array.isArray(value)) return value.map((entry) => rewriteStrings(entry, rewrite));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [key, rewriteStrings(entry, rewrite)]),
		);
	}
	return value;
}

/** `text` with the address `from` at its start replaced by `to` (both without a trailing slash). */
function rebase(text: string, from: string, to: string): string {
	return text.startsWith(`${from}/`) ? `${to}/${text.slice(from.length + 1)}` : text;
}

/**
 * A copy of an example for one n8n: its credential, its webhook address in callback URLs, the
 * simulator's address in sample media URLs and, with real keys, the video to extend. The files
 * themselves stay as users import them.
 */
export function prepareWorkflow(workflow: Workflow, options: PrepareOptions): Workflow {
	const base = options.webhookBase.replace(/\/+$/, '');
	const simulator = options.simulatorUrl?.replace(/\/+$/, '');
	const copy = JSON.parse(JSON.stringify(workflow)) as Workflow;
	copy.nodes = copy.nodes.map((node) => {
		const prepared: WorkflowNode = {
			...node,
			parameters: rewriteStrings(node.parameters, (text) => {
				const rebased = rebase(text, EXAMPLE_N8N_URL, base);
				return simulator ? rebase(rebased, EXAMPLE_SIMULATOR_URL, simulator) : rebased;
			}) as Record<string, unknown>,
		};
		if (node.credentials?.klingApi) {
			prepared.credentials = { ...node.credentials, klingApi: { ...options.credential } };
		}
		if (options.chatModelCredential && node.type === OPENAI_CHAT_MODEL_TYPE) {
			prepared.credentials = { ...node.credentials, openAiApi: { ...options.chatModelCredential } };
		}
		if (options.videoId && typeof prepared.parameters.videoId === 'string') {
			prepared.parameters = { ...prepared.parameters, videoId: options.videoId };
		}
		return prepared;
	});
	return copy;
}

/** The production URL of a trigger node's webhook: <base>/webhook/<webhookId>/<path>. */
export function productionWebhookUrl(
	webhookBase: string,
	node: WorkflowNode,
	webhookPath: string,
): string {
	if (!node.webhookId) throw new Error(`node "${node.name}" has no webhookId`);
	const base = webhookBase.replace(/\/+$/, '');
	const suffix = webhookPath.replace(/^\/+/, '');
	return suffix
		? `${base}/webhook/${node.webhookId}/${suffix}`
		: `${base}/webhook/${node.webhookId}`;
}
