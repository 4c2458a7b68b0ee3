import './n8nEnvironment';

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import type {
	IDataObject,
	INodeType,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWebhookResponseData,
} from 'n8n-workflow';
import { WebhookContext } from 'n8n-core';

import type { NodeRunResult, PreparedExecution, RunNodeOptions } from './runWorkflow';
import { NODE_NAME, execute, nodeTypes, prepareExecution, resultOf } from './runWorkflow';
import { answerUnreadBody, expressishResponse, readRequest } from './webhookHarness';

/** One request to the resume URL and what the harness (as n8n) answered. */
export interface ResumeCall {
	status: number;
	response: unknown;
	/** The node's webhook handed data over (n8n would resume the execution with it). */
	handedOver: boolean;
	/** This call resumed the execution (the first to hand data over). */
	resumed: boolean;
}

/**
 * A node run that may put its execution to wait, and n8n's side of waiting, behind a real HTTP
 * server: `/webhook-waiting/<executionId>?signature=<token>` as n8n serves it (token check, the
 * waiting node's restart webhook, a fresh copy of the stored execution per request, resuming
 * when the webhook hands over data), and the wait tracker's resume once waitTill has passed.
 * What n8n's CLI does here is read from its `waiting-webhooks.ts` and `webhook-helpers.ts`.
 */
export class WaitingExecution {
	readonly calls: ResumeCall[] = [];
	private readonly server: http.Server;
	private prepared: PreparedExecution | undefined;
	/** The execution as n8n's database holds it while it waits; undefined once it went on. */
	private stored: IRunExecutionData | undefined;
	private finishedRun: IRun | undefined;
	private resolveFinished: (run: IRun) => void = () => {};
	readonly finished = new Promise<IRun>((resolve) => (this.resolveFinished = resolve));
	private baseUrl = '';

	private readonly pending = new Set<Promise<void>>();

	constructor() {
		this.server = http.createServer((req, res) => {
			const handling = this.handle(req, res).finally(() => this.pending.delete(handling));
			this.pending.add(handling);
		});
	}

	/**
	 * Resolves when every request received so far has been handled to its end (the node answers
	 * Kling before it reads the other tasks, so an answer comes before the end).
	 */
	async settled(): Promise<void> {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		await this.settled();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** Runs the workflow up to its end or its wait; resolves with the node's first run. */
	async run(options: RunNodeOptions): Promise<NodeRunResult & { waiting: boolean }> {
		this.prepared = prepareExecution({
			...options,
			additionalData: { webhookWaitingBaseUrl: `${this.baseUrl}/webhook-waiting` },
		});
		this.prepared.runExecutionData.resumeToken = randomBytes(32).toString('hex');
		const run = await execute(this.prepared);
		const waiting = run.waitTill !== undefined && run.waitTill !== null;
		if (waiting) this.stored = run.data;
		else this.settle(run);
		return { ...resultOf(run), waiting };
	}

	get waitTill(): Date | undefined {
		return this.stored?.waitTill ?? undefined;
	}

	/** The wait tracker's part: the wait is over, n8n resumes the execution as it stands. */
	async timeOut(): Promise<NodeRunResult> {
		const stored = this.takeStored();
		if (!stored) throw new Error('the execution is not waiting');
		const run = await execute(this.preparedExecution(), stored, 'webhook');
		this.settle(run);
		return resultOf(run);
	}

	private settle(run: IRun): void {
		this.finishedRun = run;
		this.resolveFinished(run);
	}

	private preparedExecution(): PreparedExecution {
		if (!this.prepared) throw new Error('run() first');
		return this.prepared;
	}

	private takeStored(): IRunExecutionData | undefined {
		const stored = this.stored;
		this.stored = undefined;
		return stored;
	}

	/** While set, every request is answered 503 unread, as by an n8n that is down. */
	unavailable = false;

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const response = expressishResponse(res);
		if (this.unavailable) {
			req.resume();
			response.status(503).json({ message: 'n8n is not available' });
			return;
		}
		const call: ResumeCall = { status: 0, response: undefined, handedOver: false, resumed: false };
		this.calls.push(call);
		response.onBody = (body) => {
			call.status = response.statusCode;
			call.response = body;
		};
		const url = new URL(req.url ?? '/', this.baseUrl);
		const match = /^\/webhook-waiting\/([^/]+)\/?(.*)$/.exec(url.pathname);
		const query = parseQueryString(url.search.slice(1)) as IDataObject;
		let request: Awaited<ReturnType<typeof readRequest>>;
		try {
			request = await readRequest(req, query);
		} catch (error) {
			answerUnreadBody(response, error);
			return;
		}
		if (!match || match[1] !== '1') {
			response.status(404).json({ message: 'The execution does not exist.' });
			return;
		}
		if (this.finishedRun) {
			response.status(409).json({ message: 'The execution has finished already.' });
			return;
		}
		if (!this.stored) {
			response.status(409).json({ message: 'The execution is running already.' });
			return;
		}
		if (query.signature !== this.stored.resumeToken) {
			response.status(401).json({ error: 'Invalid token' });
			return;
		}

		// n8n reads the execution from its database for every request: a copy.
		const copy = structuredClone(this.stored);
		const prepared = this.preparedExecution();
		const waitingNode = prepared.workflow.getNode(NODE_NAME);
		const nodeType = nodeTypes.getByNameAndVersion(
			waitingNode?.type ?? '',
			waitingNode?.typeVersion,
		) as INodeType;
		const description = nodeType.description.webhooks?.find(
			(webhook) =>
				webhook.restartWebhook === true && webhook.httpMethod === req.method && match[2] === '',
		);
		if (!waitingNode || !description || !nodeType.webhook) {
			response.status(404).json({ message: 'no waiting webhook with a matching path/method' });
			return;
		}
		const stackEntry = copy.executionData?.nodeExecutionStack[0];
		if (!stackEntry) throw new Error('a waiting execution without its node on the stack');
		stackEntry.node.disabled = true;
		copy.waitTill = undefined;
		copy.resultData.runData[NODE_NAME]?.pop();

		const additionalData = {
			...prepared.additionalData,
			httpRequest: request as never,
			httpResponse: response as never,
		};
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: NODE_NAME,
			path: '',
			webhookDescription: description,
			workflowId: prepared.workflow.id,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new WebhookContext(
			prepared.workflow,
			waitingNode,
			additionalData,
			'webhook',
			webhookData,
			[],
			copy,
		);
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook.call(context);
		} catch (error) {
			if (!response.headersSent) response.status(500).json({ message: (error as Error).message });
			return;
		}
		if (!response.headersSent) response.status(200).json({ message: 'Workflow was started' });
		if (!result.workflowData) return;
		call.handedOver = true;
		// The first request that hands data over resumes the execution; later ones find it going.
		if (!this.stored) return;
		this.stored = undefined;
		call.resumed = true;
		stackEntry.data.main = result.workflowData;
		stackEntry.metadata = { ...stackEntry.metadata, forwardAllOutputs: true };
		this.settle(await execute(prepared, copy, 'webhook'));
	}
}
