import path from 'node:path';

import { RUNTIME_DIR } from './runtime';

/**
 * n8n's internal REST API (/rest), the one the editor uses, driven headless: an owner account is
 * set up once (POST /rest/owner/setup), then every request carries the `n8n-auth` cookie and a
 * fixed `browser-id` header (n8n binds the cookie to the browser id it was issued for).
 */

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished?: boolean;
	startedAt: string | null;
	stoppedAt: string | null;
}

export interface BinaryMeta {
	id?: string;
	mimeType: string;
	fileName?: string;
	fileExtension?: string;
	fileSize?: string;
	bytes?: number;
	data?: string;
}

export interface NodeItem {
	json: Record<string, unknown>;
	binary?: Record<string, BinaryMeta>;
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: { main?: Array<NodeItem[] | null> };
}

export interface ExecutionDetail extends ExecutionSummary {
	/** runData per node name, from the flatted `data` field. */
	runData: Record<string, NodeRun[]>;
	lastNodeExecuted?: string;
	error?: { message?: string };
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

interface ExecutionPage {
	results: ExecutionSummary[];
	count: number;
	estimated: boolean;
	nextCursor?: string | null;
}

/** Execution data is stored with `flatted`; n8n's own copy parses it. */
function parseFlatted(text: string): unknown {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require(path.join(RUNTIME_DIR, 'node_modules', 'flatted')) as {
		parse: (text: string) => unknown;
	};
	return flatted.parse(text);
}

const BROWSER_ID = 'n8n-nodes-kling-e2e';

/** A 2xx answer whose body is not the `{ data }` JSON n8n's REST API sends. */
export class UnexpectedAnswerError extends Error {}

function parseDataAnswer<T>(what: string, response: Response, text: string): T {
	try {
		return (JSON.parse(text) as { data: T }).data;
	} catch (error) {
		throw new UnexpectedAnswerError(
			`${what}: HTTP ${response.status} (${response.headers.get('content-type') ?? 'no content type'}, ` +
				`${text.length} characters) is not JSON (${(error as Error).message}): ${JSON.stringify(text.slice(0, 300))}`,
		);
	}
}

export class N8nRest {
	private cookie = '';

	constructor(readonly baseUrl: string) {}

	private async send(method: string, route: string, body?: unknown): Promise<Response> {
		const response = await fetch(`${this.baseUrl}${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': BROWSER_ID,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		for (const header of response.headers.getSetCookie()) {
			if (header.startsWith('n8n-auth=')) this.cookie = header.split(';')[0];
		}
		return response;
	}

	/** Sends a request and resolves `data` of n8n's `{ data }` answer; throws on HTTP errors. */
	async request<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await this.send(method, route, body);
		const text = await response.text();
		if (!response.ok) {
			throw new Error(`${method} ${route}: HTTP ${response.status} ${text.slice(0, 500)}`);
		}
		return parseDataAnswer<T>(`${method} ${route}`, response, text);
	}

	/** Sets up the owner account of a new instance, or logs in when it exists. */
	async signIn(email: string, password: string): Promise<void> {
		const setup = await this.send('POST', '/rest/owner/setup', {
			email,
			password,
			firstName: 'Kling',
			lastName: 'E2E',
		});
		await setup.text();
		if (setup.ok) return;
		await this.request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	}

	/** What the editor's "Test" / "Save" of a credential does. */
	testCredential(credential: {
		id: string;
		name: string;
		type: string;
		data: Record<string, unknown>;
	}): Promise<CredentialTestResult> {
		return this.request('POST', '/rest/credentials/test', { credentials: credential });
	}

	/** Like "Execute workflow" in the editor, from the given trigger node; resolves the execution id. */
	async runWorkflow(workflowId: string, triggerNodeName: string): Promise<string> {
		const result = await this.request<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`/rest/workflows/${encodeURIComponent(workflowId)}/run`,
			{ triggerToStartFrom: { name: triggerNodeName } },
		);
		if (!result.executionId) {
			throw new Error(`workflow ${workflowId} did not start: ${JSON.stringify(result)}`);
		}
		return result.executionId;
	}

	/**
	 * Waits until n8n has registered the triggers of a published workflow (n8n 2.x activates them
	 * through a publication outbox shortly after start).
	 */
	async waitForPublication(workflowId: string, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let last: unknown;
		for (;;) {
			try {
				last = await this.request<{ status: string }>(
					'GET',
					`/rest/workflows/${encodeURIComponent(workflowId)}/publication-status`,
				);
			} catch (error) {
				// An answer that is not n8n's JSON is reported and asked again until the deadline.
				if (!(error instanceof UnexpectedAnswerError)) throw error;
				console.warn(error.message);
				last = error.message;
			}
			const { status } = (last ?? {}) as { status?: string };
			if (status === 'published') return;
			if (status === 'failed' || status === 'partial') {
				throw new Error(`workflow ${workflowId} failed to activate: ${JSON.stringify(last)}`);
			}
			if (Date.now() > deadline) {
				throw new Error(
					`workflow ${workflowId} not active after ${timeoutMs / 1000} s: ${JSON.stringify(last)}`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	/** Every execution of a workflow, newest first (finished ones and those under way). */
	async listExecutions(workflowId: string): Promise<ExecutionSummary[]> {
		const all: ExecutionSummary[] = [];
		let cursor: string | null | undefined;
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		do {
			const query = `filter=${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
			const page = await this.request<ExecutionPage>('GET', `/rest/executions?${query}`);
			all.push(...page.results);
			cursor = page.nextCursor;
		} while (cursor);
		return all;
	}

	async getExecution(id: string): Promise<ExecutionDetail> {
		const raw = await this.request<ExecutionSummary & { data?: string | null }>(
			'GET',
			`/rest/executions/${encodeURIComponent(id)}`,
		);
		// An execution that has only just been created may have no data yet.
		const data = (typeof raw.data === 'string' ? (parseFlatted(raw.data) ?? {}) : {}) as {
			resultData?: {
				runData?: Record<string, NodeRun[]>;
				lastNodeExecuted?: string;
				error?: { message?: string };
			};
		};
		const summary: ExecutionSummary & { data?: unknown } = { ...raw };
		delete summary.data;
		return {
			...summary,
			runData: data.resultData?.runData ?? {},
			lastNodeExecuted: data.resultData?.lastNodeExecuted,
			error: data.resultData?.error,
		};
	}

	/** Polls an execution until it has ended (not new, running or waiting). */
	async waitForExecution(id: string, timeoutMs = 60_000): Promise<ExecutionDetail> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const execution = await this.getExecution(id);
			if (!['new', 'running', 'waiting'].includes(execution.status)) return execution;
			if (Date.now() > deadline) {
				throw new Error(`execution ${id} still ${execution.status} after ${timeoutMs / 1000} s`);
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** The bytes of a binary property stored by n8n (filesystem mode): the editor's "Download". */
	async downloadBinary(binaryId: string): Promise<{ body: Buffer; contentType: string | null }> {
		const response = await this.send(
			'GET',
			`/rest/binary-data?id=${encodeURIComponent(binaryId)}&action=download`,
		);
		const body = Buffer.from(await response.arrayBuffer());
		if (!response.ok) throw new Error(`binary ${binaryId}: HTTP ${response.status}`);
		return { body, contentType: response.headers.get('content-type') };
	}

	/** The node types n8n serves to the editor (to see that the package's nodes are known). */
	async nodeTypeNames(): Promise<string[]> {
		const response = await this.send('GET', '/types/nodes.json');
		if (!response.ok) throw new Error(`/types/nodes.json: HTTP ${response.status}`);
		const types = (await response.json()) as Array<{ name: string }>;
		return types.map((type) => type.name);
	}
}

/** The items a node put out in its last run (first output). */
export function nodeOutput(execution: ExecutionDetail, nodeName: string): NodeItem[] {
	const runs = execution.runData[nodeName];
	if (!runs || runs.length === 0) {
		throw new Error(
			`node "${nodeName}" did not run in execution ${execution.id} (ran: ${Object.keys(execution.runData).join(', ')})`,
		);
	}
	const run = runs[runs.length - 1];
	if (run.error) throw new Error(`node "${nodeName}" failed: ${run.error.message}`);
	return run.data?.main?.[0] ?? [];
}
