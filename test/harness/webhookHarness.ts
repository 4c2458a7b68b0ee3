import './n8nEnvironment';

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import { Container } from '@n8n/di';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { BinaryDataService, ExecutionLifecycleHooks, HookContext, WebhookContext } from 'n8n-core';

import { KlingTrigger } from '../../nodes/KlingTrigger/KlingTrigger.node';
import { TestNodeTypes } from './nodeTypes';
import { makeAdditionalData } from './runWorkflow';

export const KLING_TRIGGER_TYPE = 'n8n-nodes-kling.klingTrigger';
export const TRIGGER_NODE_NAME = 'Kling Trigger';

/** n8n's own body limit (N8N_PAYLOAD_SIZE_MAX, 16 MB by default), checked before any node. */
export const N8N_PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

export interface TriggerCall {
	method: string;
	/** 'webhook' for the production URL, 'manual' for the test URL, as n8n runs them. */
	mode: WorkflowExecuteMode;
	query: IDataObject;
	headers: http.IncomingHttpHeaders;
	rawBody: Buffer;
	/** HTTP status and body of the answer, whoever wrote it (the node or "n8n"). */
	status: number;
	response: unknown;
	/** What webhook() returned, when it returned. */
	result?: IWebhookResponseData;
	/** What webhook() threw: n8n answers 500 and records a failed execution with it. */
	error?: Error;
	/** Items of a run the call started (first output). */
	items?: INodeExecutionData[];
}

export interface WebhookHarnessOptions {
	parameters?: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
	nodeType?: INodeType;
	workflowId?: string;
	nodeId?: string;
}

type ExpressishRequest = http.IncomingMessage & {
	rawBody: Buffer;
	body: unknown;
	query: IDataObject;
	params: IDataObject;
	contentType?: string;
	encoding: BufferEncoding;
};

type ExpressishResponse = http.ServerResponse & {
	status(code: number): ExpressishResponse;
	json(body: unknown): ExpressishResponse;
	send(body: unknown): ExpressishResponse;
};

class PayloadTooLarge extends Error {}
class UnprocessableBody extends Error {}

/** n8n's body parser answers these before any node sees the request. */
export function answerUnreadBody(response: ExpressishResponse, error: unknown): void {
	if (error instanceof PayloadTooLarge) {
		response.status(413).json({ code: 413, message: 'request entity too large' });
	} else if (error instanceof UnprocessableBody) {
		response.status(422).json({ code: 422, message: 'Failed to parse request body' });
	} else {
		response.status(400).json({ code: 400, message: String(error) });
	}
}

/**
 * A stand-in for n8n's webhook server, on a real loopback HTTP port, that serves one Kling
 * Trigger node the way n8n 2.41 does (packages/cli webhook-helpers and body-parser): the body
 * is read whole into `req.rawBody` (413 over N8N_PAYLOAD_SIZE_MAX), parsed by content type
 * (JSON that does not parse is n8n's own 422), then n8n-core's WebhookContext runs the node's
 * `webhook()`; n8n answers unless the node did, and a returned `workflowData` is a run.
 */
export class WebhookHarness {
	readonly webhookId = randomUUID();
	readonly workflowId: string;
	readonly nodeId: string;
	readonly calls: TriggerCall[] = [];
	parameters: INodeParameters;
	credentials: ICredentialDataDecryptedObject;

	private readonly nodeType: INodeType;
	private readonly nodeTypes = new TestNodeTypes();
	private readonly server: http.Server;
	private readonly pending = new Set<Promise<void>>();
	private baseUrl = '';

	constructor(options: WebhookHarnessOptions = {}) {
		this.nodeType = options.nodeType ?? new KlingTrigger();
		this.nodeTypes.register(KLING_TRIGGER_TYPE, this.nodeType);
		this.parameters = options.parameters ?? {};
		this.credentials = options.credentials ?? {};
		this.workflowId = options.workflowId ?? `wf-${randomUUID()}`;
		this.nodeId = options.nodeId ?? randomUUID();
		this.server = http.createServer((req, res) => {
			const handling = this.handle(req, res).finally(() => this.pending.delete(handling));
			this.pending.add(handling);
		});
	}

	async start(): Promise<string> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.baseUrl = `http://127.0.0.1:${port}`;
		return this.productionUrl;
	}

	async stop(): Promise<void> {
		await this.settled();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** The node's Production URL, as the editor shows it. */
	get productionUrl(): string {
		return `${this.baseUrl}/webhook/${this.webhookId}/${this.webhookDescription.path}`;
	}

	get testUrl(): string {
		return `${this.baseUrl}/webhook-test/${this.webhookId}/${this.webhookDescription.path}`;
	}

	/** Items of every run started so far, oldest first. */
	get runs(): INodeExecutionData[][] {
		return this.calls.flatMap((call) => (call.items ? [call.items] : []));
	}

	/** Resolves when every request received so far has been handled to its end. */
	async settled(): Promise<void> {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	reset(): void {
		this.calls.length = 0;
	}

	/** What n8n does when the workflow is published: checkExists, then create if needed. */
	async activate(): Promise<void> {
		const methods = this.nodeType.webhookMethods?.default;
		if (!methods) return;
		const context = this.hookContext('trigger', 'activate');
		if (!(await methods.checkExists.call(context))) await methods.create.call(context);
	}

	/** What n8n does when the workflow is unpublished. */
	async deactivate(): Promise<void> {
		await this.nodeType.webhookMethods?.default?.delete.call(
			this.hookContext('internal', 'update'),
		);
	}

	private get webhookDescription(): IWebhookDescription {
		const description = this.nodeType.description.webhooks?.[0];
		if (!description) throw new Error('the node declares no webhook');
		return description;
	}

	/** The node as n8n stores it: parameters with their defaults filled in by the editor. */
	private node(): INode {
		const { description } = this.nodeType;
		const parameters = NodeHelpers.getNodeParameters(
			description.properties,
			this.parameters,
			true,
			false,
			{ typeVersion: 1 },
			description,
		);
		return {
			id: this.nodeId,
			name: TRIGGER_NODE_NAME,
			type: KLING_TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: parameters ?? {},
			credentials: { klingApi: { id: '1', name: 'Kling account' } },
			webhookId: this.webhookId,
		};
	}

	private workflow(node: INode): Workflow {
		return new Workflow({
			id: this.workflowId,
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes,
		});
	}

	private additionalData(
		overrides: Partial<IWorkflowExecuteAdditionalData> = {},
	): IWorkflowExecuteAdditionalData {
		return makeAdditionalData(
			{ klingApi: this.credentials },
			new ExecutionLifecycleHooks('webhook', '', {} as never),
			{
				webhookBaseUrl: `${this.baseUrl}/webhook`,
				webhookTestBaseUrl: `${this.baseUrl}/webhook-test`,
				...overrides,
			},
		);
	}

	private webhookData(
		node: INode,
		additionalData: IWorkflowExecuteAdditionalData,
		isTest: boolean,
	): IWebhookData {
		return {
			httpMethod: 'POST',
			node: node.name,
			path: `${this.webhookId}/${this.webhookDescription.path}`,
			webhookDescription: this.webhookDescription,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.webhookId,
			isTest,
		};
	}

	private hookContext(mode: WorkflowExecuteMode, activation: 'activate' | 'update'): HookContext {
		const node = this.node();
		const additionalData = this.additionalData();
		return new HookContext(
			this.workflow(node),
			node,
			additionalData,
			mode,
			activation,
			this.webhookData(node, additionalData, false),
		);
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const response = expressishResponse(res);
		const url = new URL(req.url ?? '/', this.baseUrl);
		const match = /^\/(webhook|webhook-test)\/([^/]+)\/(.+)$/.exec(url.pathname);
		if (
			!match ||
			match[2] !== this.webhookId ||
			match[3] !== this.webhookDescription.path ||
			req.method !== 'POST'
		) {
			req.resume();
			response.status(404).json({ code: 404, message: 'The requested webhook is not registered.' });
			return;
		}
		const call: TriggerCall = {
			method: req.method,
			mode: match[1] === 'webhook-test' ? 'manual' : 'webhook',
			query: parseQueryString(url.search.slice(1)) as IDataObject,
			headers: req.headers,
			rawBody: Buffer.alloc(0),
			status: 0,
			response: undefined,
		};
		this.calls.push(call);
		response.onBody = (body) => {
			call.status = response.statusCode;
			call.response = body;
		};

		let request: ExpressishRequest;
		try {
			request = await readRequest(req, call.query);
			call.rawBody = request.rawBody;
		} catch (error) {
			answerUnreadBody(response, error);
			return;
		}

		const node = this.node();
		const workflow = this.workflow(node);
		const additionalData = this.additionalData({
			httpRequest: request as never,
			httpResponse: response as never,
			// A new webhook call has no execution yet: n8n stores its binary data under a
			// temporary id and moves it once the run exists.
			executionId: undefined,
		});
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			call.mode,
			this.webhookData(node, additionalData, call.mode === 'manual'),
			[],
			null,
		);
		let result: IWebhookResponseData;
		try {
			result = await (this.nodeType.webhook as NonNullable<INodeType['webhook']>).call(context);
		} catch (error) {
			call.error = error as Error;
			if (!response.headersSent) {
				response
					.status(500)
					.json({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			}
			return;
		}
		call.result = result;
		if (result.workflowData) call.items = result.workflowData[0] ?? [];
		if (result.noWebhookResponse) {
			if (!response.headersSent) {
				// n8n would leave the request hanging: make the node's mistake loud instead.
				call.error = new Error('webhook() returned noWebhookResponse without answering');
				response.status(500).json({ message: call.error.message });
			}
			return;
		}
		if (response.headersSent) return;
		if (result.workflowData) {
			response.status(200).json({ message: 'Workflow was started' });
		} else {
			response.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
		}
	}
}

export function expressishResponse(
	res: http.ServerResponse,
): ExpressishResponse & { onBody?: (body: unknown) => void } {
	const response = res as ExpressishResponse & { onBody?: (body: unknown) => void };
	response.status = (code: number) => {
		response.statusCode = code;
		return response;
	};
	response.json = (body: unknown) => {
		response.setHeader('content-type', 'application/json; charset=utf-8');
		response.onBody?.(body);
		response.end(JSON.stringify(body));
		return response;
	};
	response.send = (body: unknown) => {
		if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body)) {
			return response.json(body);
		}
		response.onBody?.(body);
		response.end(body as string | Buffer | undefined);
		return response;
	};
	return response;
}

export async function readRequest(
	req: http.IncomingMessage,
	query: IDataObject,
): Promise<ExpressishRequest> {
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > N8N_PAYLOAD_SIZE_MAX) {
		req.resume();
		throw new PayloadTooLarge();
	}
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > N8N_PAYLOAD_SIZE_MAX) throw new PayloadTooLarge();
		chunks.push(chunk as Buffer);
	}
	const rawBody = Buffer.concat(chunks);
	const [mediaType, ...parameters] = String(req.headers['content-type'] ?? '').split(';');
	const contentType = mediaType.trim().toLowerCase() || undefined;
	const charset = parameters
		.map((parameter) => parameter.trim().split('='))
		.find(([name]) => name.toLowerCase() === 'charset')?.[1];
	const encoding = (
		charset?.toLowerCase() === 'utf-8' || !charset ? 'utf8' : charset
	) as BufferEncoding;

	let body: unknown;
	if (rawBody.length > 0) {
		const text = rawBody.toString(encoding).replace(/^\uFEFF/, '');
		if (contentType === 'application/json') {
			try {
				body = JSON.parse(text);
			} catch {
				throw new UnprocessableBody();
			}
		} else if (contentType === 'application/x-www-form-urlencoded') {
			body = parseQueryString(text);
		} else if (contentType === 'text/plain') {
			body = text;
		}
	}
	return Object.assign(req, {
		rawBody,
		body,
		query,
		params: {},
		contentType,
		encoding,
	}) as ExpressishRequest;
}

let binaryStoreReady: Promise<void> | undefined;

/**
 * Puts n8n-core's binary data service in filesystem mode (n8n's default outside queue mode),
 * under the test's temporary N8N_USER_FOLDER, so that prepareBinaryData writes streams to
 * disk as n8n does; without it the service keeps binary data in memory as base64.
 */
export async function useFilesystemBinaryData(): Promise<BinaryDataService> {
	const service = Container.get(BinaryDataService);
	binaryStoreReady ??= service.init();
	await binaryStoreReady;
	return service;
}
