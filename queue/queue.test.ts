/**
 * Queue mode end to end (npm run test:queue): n8n 2.41 as a team scales it out (Postgres, Redis,
 * one main, two workers, two webhook processes) with the package installed in every process,
 * the Kling simulator calling back through a round-robin proxy in front of the webhook
 * processes. Every case is read back from n8n's own records: the REST API (executions, binary
 * data), the processes' logs (which worker ran what, which request lost the resume). See
 * queue/README.md.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_ACCOUNT, KlingSimulator, signWebhook } from '../simulator';
import type { SimulatedTask } from '../simulator';
import { nodeOfType, productionWebhookUrl, simulatorCredential } from '../e2e/lib/examples';
import type { Workflow } from '../e2e/lib/examples';
import type { N8n } from '../e2e/lib/n8n';
import { N8nRest, nodeOutput } from '../e2e/lib/rest';
import type { ExecutionDetail } from '../e2e/lib/rest';
import {
	delay,
	heldWaitWorkflow,
	listSimulatorTasks,
	mapConcurrent,
	triggerNameOf,
	triggerOnlyWorkflow,
	waitFor,
} from '../e2e/lib/helpers';
import { DATA_DIR, buildPackage, ensureN8nInstalled } from '../e2e/lib/runtime';
import type { QueueStack } from './lib/queueStack';
import { startQueueStack } from './lib/queueStack';

const DATA = path.join(DATA_DIR, 'queue');
const WEBHOOK_SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
const OWNER = { email: 'queue@n8n-nodes-kling.invalid', password: 'Queue-only-Passw0rd' };
const VIDEO_BYTES = 64 * 1024;
const BIG_VIDEO_BYTES = 100 * 1024 * 1024;
const WAIT8_ID = 'klingQueueWait8';
const HELD_ID = 'klingQueueHeld1';
const SHORT_ID = 'klingQueueShort1';
const BURST_ID = 'klingQueueBurst1';
const BIG_ID = 'klingQueueBigDownload';
const BIG_CREDENTIAL = { id: 'klingApiBigVideos', name: 'Kling API (100 MB videos)' };
const EXTEND_NODE = 'Extend and wait';
/** Scaled to the ~12 minute budget on 2 cores; README and bench/RESULTS.md say so. */
const REPEATS = 20;
/** Callback-wait runs under way together (each ends with 8 callbacks at once). */
const RUNS_AT_ONCE = 2;
const BURST = 1000;
const SINGLE_BURST = 300;
const CONCURRENCY = 20;

let simulator: KlingSimulator;
let bigSimulator: KlingSimulator;
let queue: QueueStack | undefined;
let stopQueue: (() => Promise<void>) | undefined;
let killQueue: (() => void) | undefined;
let rest: N8nRest;
/** Executions that waited for callbacks: n8n's own log lines about them are expected. */
const waitingExecutions = new Set<string>();
let timedOutExecution: string | undefined;
const figures: string[] = [];

function figure(line: string): void {
	figures.push(line);
	console.log(line);
}

function stack(): QueueStack {
	if (!queue) throw new Error('the queue-mode stack did not start');
	return queue;
}

function workflowById(id: string): Workflow {
	const workflow = stack().stack.imported.find((candidate) => candidate.id === id);
	if (!workflow) throw new Error(`workflow ${id} was not imported`);
	return workflow;
}

async function run(workflowId: string): Promise<string> {
	return await rest.runWorkflow(workflowId, triggerNameOf(workflowById(workflowId)));
}

function expectSuccess(execution: ExecutionDetail): void {
	expect({ status: execution.status, error: execution.error?.message }).toEqual({
		status: 'success',
		error: undefined,
	});
}

/** How often each worker logged that it started this execution (a start and each resume). */
function workerStarts(executionId: string): number[] {
	const line = new RegExp(`Worker started execution ${executionId} \\(job`, 'g');
	return stack().workers.map((worker) => (worker.readLog().match(line) ?? []).length);
}

function total(counts: number[]): number {
	return counts.reduce((sum, count) => sum + count, 0);
}

async function waitUntilWaiting(executionId: string): Promise<void> {
	await waitFor(async () => {
		const execution = await rest.getExecution(executionId);
		if (!['new', 'running', 'waiting'].includes(execution.status)) {
			throw new Error(`execution ${executionId} ended (${execution.status}) instead of waiting`);
		}
		return execution.status === 'waiting' ? execution : undefined;
	}, 60_000);
}

/** The tasks a run of the Extend node made, in item order (by their external ids). */
function tasksOfExecution(executionId: string, count: number): SimulatedTask[] {
	const externalIds = simulator.requests
		.filter((request) => request.method === 'POST' && request.path === '/v1/videos/video-extend')
		.map(
			(request) =>
				(JSON.parse(request.body || '{}') as { external_task_id?: string }).external_task_id,
		)
		.filter((id): id is string => typeof id === 'string' && id.startsWith(`n8n-${executionId}-`));
	const tasks = externalIds
		.map((id) => simulator.getTask(id) as SimulatedTask)
		.sort((a, b) => itemIndexOf(a) - itemIndexOf(b));
	if (tasks.length !== count) {
		throw new Error(`execution ${executionId} made ${tasks.length} tasks, expected ${count}`);
	}
	return tasks;
}

function itemIndexOf(task: SimulatedTask): number {
	return Number(String(task.task_info.external_task_id).split('-').at(-1));
}

async function advanceTogether(tasks: SimulatedTask[]): Promise<void> {
	await Promise.all(tasks.map((task) => simulator.advance(task.task_id)));
}

function callbacksOf(task: SimulatedTask) {
	return simulator.callbacks.filter((delivery) =>
		delivery.body.includes(`"task_id":"${task.task_id}"`),
	);
}

/** Eight items (Edit Fields + Split Out) into example 4's Extend node: eight held tasks. */
function eightItemWorkflow(): Workflow {
	const workflow = heldWaitWorkflow(WAIT8_ID, 'queue: 8 items wait for callbacks');
	const manual = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	const extend = nodeOfType(workflow, 'n8n-nodes-kling.klingVideoExtend');
	if (!manual) throw new Error('example 4 has no manual trigger');
	extend.parameters = {
		...extend.parameters,
		videoId: '={{ $json.videoId }}',
		downloadVideo: false,
	};
	const videoIds = Array.from({ length: 8 }, () => 'sim-video-5s');
	workflow.nodes.push(
		{
			id: 'q8-set',
			name: 'Eight videos',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [100, 200],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ videoId: videoIds }), options: {} },
		},
		{
			id: 'q8-split',
			name: 'One item per video',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [200, 200],
			parameters: { fieldToSplitOut: 'videoId', options: {} },
		},
	);
	workflow.connections = {
		...workflow.connections,
		[manual.name]: { main: [[{ node: 'Eight videos', type: 'main', index: 0 }]] },
		'Eight videos': { main: [[{ node: 'One item per video', type: 'main', index: 0 }]] },
		'One item per video': { main: [[{ node: EXTEND_NODE, type: 'main', index: 0 }]] },
	};
	return workflow;
}

/** Manual → Get Task with Download Video, against the simulator that serves 100 MB videos. */
function bigDownloadWorkflow(taskId: string): Workflow {
	return {
		id: BIG_ID,
		name: 'queue: download a 100 MB video',
		active: false,
		nodes: [
			{
				id: 'big-manual',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'big-get',
				name: 'Get and download',
				type: 'n8n-nodes-kling.klingVideoExtend',
				typeVersion: 1,
				position: [240, 0],
				parameters: { operation: 'get', lookupBy: 'taskId', taskId, downloadVideo: true },
				credentials: { klingApi: BIG_CREDENTIAL },
			},
		],
		connections: { Start: { main: [[{ node: 'Get and download', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

interface SignedDelivery {
	body: string;
	headers: Record<string, string>;
}

/** A callback as Kling signs it (Standard Webhooks), kept to be sent again unchanged. */
function signedDelivery(task: SimulatedTask, webhookId: string): SignedDelivery {
	const body = JSON.stringify(task);
	const timestamp = Math.floor(Date.now() / 1000);
	return {
		body,
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'webhook-id': webhookId,
			'webhook-timestamp': String(timestamp),
			'webhook-signature': signWebhook(WEBHOOK_SECRET, webhookId, timestamp, body),
		},
	};
}

/**
 * The same delivery sent again as Kling would resend it: same body and webhook-id, signed anew
 * with the time of sending, so that a replay of a long burst stays inside the 5-minute window.
 */
function redelivered(delivery: SignedDelivery): SignedDelivery {
	const webhookId = delivery.headers['webhook-id'];
	const timestamp = Math.floor(Date.now() / 1000);
	return {
		body: delivery.body,
		headers: {
			...delivery.headers,
			'webhook-timestamp': String(timestamp),
			'webhook-signature': signWebhook(WEBHOOK_SECRET, webhookId, timestamp, delivery.body),
		},
	};
}

async function post(
	url: string,
	delivery: SignedDelivery,
): Promise<{ status: number; body: string }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: delivery.headers,
		body: delivery.body,
		signal: AbortSignal.timeout(120_000),
	});
	return { status: response.status, body: await response.text() };
}

/** The burst trigger's production URL on one webhook process. */
function burstUrl(webhook: N8n): string {
	const workflow = workflowById(BURST_ID);
	const node = nodeOfType(workflow, 'n8n-nodes-kling.klingTrigger');
	return productionWebhookUrl(webhook.url, node, 'kling');
}

/** The workflow's executions in n8n's database, by status. */
function executionsInDatabase(workflowId: string): Record<string, number> {
	const rows = stack().services.sql(
		`select status, count(*) from execution_entity where "workflowId" = '${workflowId}' group by status`,
	);
	return Object.fromEntries(rows.map(([status, count]) => [status, Number(count)]));
}

function totalOf(byStatus: Record<string, number>): number {
	return Object.values(byStatus).reduce((sum, count) => sum + count, 0);
}

/**
 * Waits until the workflow's executions in n8n's database stop changing and none is under way
 * (new, running, waiting); resolves their count by status.
 */
async function settledExecutions(
	workflowId: string,
	timeoutMs: number,
): Promise<Record<string, number>> {
	let last = '';
	let unchanged = 0;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const byStatus = executionsInDatabase(workflowId);
		const underWay = (byStatus.new ?? 0) + (byStatus.running ?? 0) + (byStatus.waiting ?? 0);
		const now = JSON.stringify(byStatus);
		unchanged = underWay === 0 && now === last ? unchanged + 1 : 0;
		last = now;
		if (unchanged >= 3) return byStatus;
		if (Date.now() > deadline) throw new Error(`executions still under way: ${now}`);
		await delay(1000);
	}
}

/** Ids of the workflow's executions, from n8n's database. */
function executionIdsOf(workflowId: string): string[] {
	return stack()
		.services.sql(
			`select id from execution_entity where "workflowId" = '${workflowId}' order by id`,
		)
		.map(([id]) => id);
}

/** How n8n answered, by body (the trigger's own answers and n8n's). */
function answerKinds(answers: Array<{ status: number; body: string }>): string {
	const kinds = new Map<string, number>();
	for (const answer of answers) {
		const key = `${answer.status} ${answer.body.slice(0, 80)}`;
		kinds.set(key, (kinds.get(key) ?? 0) + 1);
	}
	return [...kinds].map(([key, count]) => `${count} x ${key}`).join('; ');
}

/** Stops everything at once when the run is interrupted (Ctrl-C, CI timeout). */
function killOnSignals(): void {
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			killQueue?.();
			process.exit(130);
		});
	}
	process.once('exit', () => killQueue?.());
}

beforeAll(
	async () => {
		const started = Date.now();
		killOnSignals();
		ensureN8nInstalled();
		buildPackage();
		simulator = new KlingSimulator({
			port: 0,
			host: '127.0.0.1',
			webhookSecrets: [WEBHOOK_SECRET],
			timing: { submittedMs: 300, processingMs: 700 },
			videoBytes: VIDEO_BYTES,
		});
		await simulator.start();
		bigSimulator = new KlingSimulator({
			port: 0,
			host: '127.0.0.1',
			videoBytes: BIG_VIDEO_BYTES,
			timing: 'manual',
		});
		await bigSimulator.start();

		queue = await startQueueStack({
			dataDir: DATA,
			credential: simulatorCredential(simulator.url, WEBHOOK_SECRET),
			simulatorUrl: simulator.url,
			extraWorkflows: [
				eightItemWorkflow(),
				heldWaitWorkflow(HELD_ID, 'queue: one held task'),
				heldWaitWorkflow(SHORT_ID, 'queue: callback lost, Max Wait', 0.5),
				triggerOnlyWorkflow(
					BURST_ID,
					'queue: Kling Trigger burst',
					'0f7c1e2d-9b8a-4c6d-8e5f-e2eb0b57c001',
				),
			],
			log: (line) => console.log(`[queue] ${line}`),
			onStarted: (stop, kill) => {
				stopQueue = stop;
				killQueue = kill;
			},
		});
		rest = new N8nRest(queue.main.url);
		await rest.signIn(OWNER.email, OWNER.password);
		for (const trigger of queue.stack.triggers) await rest.waitForPublication(trigger.workflow.id);

		// The 100 MB case: a second credential (its simulator serves 100 MB videos) and its
		// workflow, imported with n8n's CLI into the running instance.
		bigSimulator.seedTasks(1, { status: 'succeed' });
		const bigTask = (
			(await (
				await fetch(`${bigSimulator.url}/v1/videos/video-extend?pageNum=1&pageSize=1`, {
					headers: { authorization: `Bearer ${DEFAULT_ACCOUNT.apiKey}` },
				})
			).json()) as { data: SimulatedTask[] }
		).data[0];
		const importDir = path.join(DATA, 'import-big');
		mkdirSync(importDir, { recursive: true });
		const credentialFile = path.join(importDir, 'credential.json');
		try {
			const data = simulatorCredential(bigSimulator.url, WEBHOOK_SECRET).data;
			writeFileSync(
				credentialFile,
				JSON.stringify([{ ...BIG_CREDENTIAL, type: 'klingApi', data }]),
				{
					mode: 0o600,
				},
			);
			await queue.main.cli(['import:credentials', `--input=${credentialFile}`]);
		} finally {
			rmSync(credentialFile, { force: true });
		}
		const workflowFile = path.join(importDir, 'workflow.json');
		writeFileSync(workflowFile, JSON.stringify([bigDownloadWorkflow(bigTask.task_id)]));
		await queue.main.cli(['import:workflow', `--input=${workflowFile}`]);
		console.log(`queue-mode n8n ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	},
	10 * 60 * 1000,
);

afterAll(async () => {
	try {
		await stopQueue?.();
	} finally {
		await simulator?.stop();
		await bigSimulator?.stop();
		if (figures.length > 0) {
			writeFileSync(path.join(DATA, 'figures.txt'), `${figures.join('\n')}\n`);
		}
	}
}, 120 * 1000);

describe('n8n in queue mode with the package in every process', () => {
	it('runs one main, two workers and two webhook processes on Postgres and Redis', async () => {
		const { main, workers, webhooks } = stack();
		expect([main, ...workers, ...webhooks].every((n8n) => n8n.running)).toBe(true);
		const names = await rest.nodeTypeNames();
		expect(names).toEqual(
			expect.arrayContaining(['n8n-nodes-kling.klingTrigger', 'n8n-nodes-kling.klingVideoExtend']),
		);
		for (const worker of workers) expect(worker.readLog()).toMatch(/n8n worker is now ready/);
		for (const webhook of webhooks) {
			expect(webhook.readLog()).toMatch(/Webhook listener waiting for requests/);
		}
	});
});

describe('the examples through queue mode', () => {
	let createdTaskId = '';

	it('example 1 runs on a worker and gives Kling the trigger’s URL behind the webhook processes', async () => {
		const executionId = await run('klingExtendVideo');
		const execution = await rest.waitForExecution(executionId);
		expectSuccess(execution);
		expect(total(workerStarts(executionId))).toBe(1);
		createdTaskId = String(nodeOutput(execution, 'Extend video')[0].json.task_id);
		const create = simulator.requests.find(
			(request) => request.method === 'POST' && request.body.includes(`"video_id":"sim-video-5s"`),
		);
		const trigger = stack().stack.triggers.find((t) => t.workflow.id === 'klingVideoResult');
		expect(JSON.parse(create?.body ?? '{}')).toMatchObject({ callback_url: trigger?.url });
		expect(trigger?.url.startsWith(stack().stack.n8n.webhookBase)).toBe(true);
	});

	it('example 2: Kling’s callback reaches a webhook process, the run happens on a worker, with the video', async () => {
		const execution = await waitFor(async () => {
			for (const summary of await rest.listExecutions('klingVideoResult')) {
				if (['new', 'running'].includes(summary.status)) continue;
				const detail = await rest.getExecution(summary.id);
				if (nodeOutput(detail, 'Kling Trigger')[0]?.json.task_id === createdTaskId) return detail;
			}
			return undefined;
		}, 60_000);
		expectSuccess(execution);
		expect(execution.mode).toBe('webhook');
		expect(total(workerStarts(execution.id))).toBe(1);
		const served = stack().proxy.served.filter((request) => request.path.includes('/webhook/'));
		expect(served.length).toBeGreaterThanOrEqual(1);
		const webhookUrls = stack().webhooks.map((webhook) => webhook.url);
		for (const request of served) expect(webhookUrls).toContain(request.target);

		const [result] = nodeOutput(execution, 'Get the finished task');
		const videoId = String(result.json.videoId);
		const binary = result.binary?.data;
		expect(binary).toMatchObject({ mimeType: 'video/mp4', fileName: `${videoId}.mp4` });
		expect(String(binary?.id)).toMatch(/^database/);
		const { body } = await rest.downloadBinary(String(binary?.id));
		const original = Buffer.from(
			await (await fetch(`${simulator.url}/videos/${videoId}.mp4`)).arrayBuffer(),
		);
		expect(body.equals(original)).toBe(true);
	});

	it('example 3 lists and filters on a worker', async () => {
		simulator.seedTasks(2, { status: 'failed' });
		const executionId = await run('klingFailedTasks');
		const execution = await rest.waitForExecution(executionId);
		expectSuccess(execution);
		expect(total(workerStarts(executionId))).toBe(1);
		const failed = nodeOutput(execution, 'Only failed tasks');
		expect(failed.length).toBeGreaterThanOrEqual(2);
		for (const item of failed) expect(item.json.task_status).toBe('failed');
	});

	it('example 4 waits in Postgres, a webhook process resumes it, a worker finishes it with the video', async () => {
		const executionId = await run('klingExtendAndWait');
		waitingExecutions.add(executionId);
		const execution = await rest.waitForExecution(executionId, 90_000);
		expectSuccess(execution);
		// Started on a worker, resumed on a worker.
		expect(total(workerStarts(executionId))).toBe(2);
		const [task] = tasksOfExecution(executionId, 1);
		const last = callbacksOf(task).at(-1);
		expect(new URL(String(last?.url)).pathname).toBe(`/webhook-waiting/${executionId}`);
		expect(last?.status).toBe(200);
		const [item] = nodeOutput(execution, EXTEND_NODE);
		expect(item.json).toMatchObject({ taskId: task.task_id, status: 'succeeded' });
		expect(String(item.binary?.data?.id)).toMatch(/^database/);
	});
});

describe('Wait for Completion = Callback, 8 tasks finishing together, callbacks over both webhook processes', () => {
	it(`resumes exactly once, on a worker, with 8 items in order (${REPEATS} runs)`, async () => {
		const counts = { resumed: 0, http200: 0, http409: 0, http500: 0 };
		const other = new Map<string, number>();
		const byProcess = new Map<string, number>();
		const started = Date.now();
		await mapConcurrent(
			Array.from({ length: REPEATS }, (_, index) => index),
			RUNS_AT_ONCE,
			async () => {
				const executionId = await run(WAIT8_ID);
				waitingExecutions.add(executionId);
				await waitUntilWaiting(executionId);
				const tasks = tasksOfExecution(executionId, 8);
				await advanceTogether(tasks); // processing: answered, the run keeps waiting
				const sentAt = Date.now();
				await advanceTogether(tasks); // succeed: all eight within the same second
				const finals = tasks.map((task) => callbacksOf(task).at(-1));
				expect(Math.max(...finals.map((d) => d?.at ?? 0)) - sentAt).toBeLessThan(1000);

				const execution = await rest.waitForExecution(executionId, 90_000);
				expectSuccess(execution);
				const items = nodeOutput(execution, EXTEND_NODE);
				expect(items.map((item) => item.json.taskId)).toEqual(tasks.map((task) => task.task_id));
				expect(items.every((item) => item.json.status === 'succeeded')).toBe(true);
				// The rest of the workflow ran once: one run of the If node, eight items through.
				expect(execution.runData['Succeeded?']).toHaveLength(1);
				expect(nodeOutput(execution, 'Succeeded?')).toHaveLength(8);
				const starts = workerStarts(executionId);
				expect(total(starts)).toBe(2);
				counts.resumed += 1;
				for (const delivery of finals) {
					const status = delivery?.status;
					if (status === 200) counts.http200 += 1;
					else if (status === 409) counts.http409 += 1;
					else if (status === 500) counts.http500 += 1;
					else {
						const key = `${status ?? 'no answer'} ${delivery?.error ?? ''}`.trim();
						other.set(key, (other.get(key) ?? 0) + 1);
					}
				}
				for (const request of stack().proxy.served) {
					if (!request.path.startsWith(`/webhook-waiting/${executionId}?`)) continue;
					byProcess.set(request.target, (byProcess.get(request.target) ?? 0) + 1);
				}
			},
		);
		// The losers of n8n's compare-and-set, as n8n logs them.
		const losers = stack()
			.webhooks.map(
				(webhook) =>
					(webhook.readLog().match(/already being resumed by another process/g) ?? []).length,
			)
			.reduce((sum, count) => sum + count, 0);
		expect(counts.resumed).toBe(REPEATS);
		expect(byProcess.size).toBe(2);
		figure(
			`callback wait, 8 tasks x ${REPEATS} runs (${RUNS_AT_ONCE} at a time, ${((Date.now() - started) / 1000).toFixed(0)} s): ` +
				`${counts.resumed} resumed exactly once on a worker; final callbacks answered ` +
				`200: ${counts.http200}, 409: ${counts.http409}, 500: ${counts.http500}, ` +
				`other: ${JSON.stringify(Object.fromEntries(other))}; ` +
				`compare-and-set losers logged by the webhook processes: ${losers}; ` +
				`resume requests per webhook process: ${[...byProcess.values()].join(' / ')}`,
		);
	}, 600_000);
});

describe('nothing lost while processes are down', () => {
	it('both workers restarted while the execution waits: Kling’s callback afterwards resumes it', async () => {
		const executionId = await run(HELD_ID);
		waitingExecutions.add(executionId);
		await waitUntilWaiting(executionId);
		const [task] = tasksOfExecution(executionId, 1);
		await Promise.all(stack().workers.map((worker) => worker.stop()));
		await Promise.all(stack().workers.map((worker) => worker.start(180_000)));
		const afterRestart = await rest.getExecution(executionId);
		await simulator.advance(task.task_id);
		await simulator.advance(task.task_id);
		const execution = await rest.waitForExecution(executionId, 90_000);
		figure(
			`workers restarted while an execution waited: status after the restart ${afterRestart.status}, ` +
				`final callback answered ${callbacksOf(task).at(-1)?.status}, execution ${execution.status}`,
		);
		expectSuccess(execution);
		expect(nodeOutput(execution, EXTEND_NODE)[0].json).toMatchObject({ status: 'succeeded' });
	}, 400_000);

	it('the worker that started it stopped when Kling calls back: the other worker finishes it', async () => {
		const executionId = await run(HELD_ID);
		waitingExecutions.add(executionId);
		await waitUntilWaiting(executionId);
		const [task] = tasksOfExecution(executionId, 1);
		const first = workerStarts(executionId).findIndex((count) => count > 0);
		const [stopped, other] = first === 0 ? stack().workers : [...stack().workers].reverse();
		await stopped.stop();
		await simulator.advance(task.task_id);
		await simulator.advance(task.task_id);
		const execution = await rest.waitForExecution(executionId, 90_000);
		expectSuccess(execution);
		expect(other.readLog()).toMatch(new RegExp(`Worker started execution ${executionId} \\(job`));
		// Back again, the stopped worker's start-up recovery leaves the finished execution alone.
		await stopped.start(180_000);
		await delay(2000);
		expect((await rest.getExecution(executionId)).status).toBe('success');
	}, 400_000);

	it('Kling’s callback while no worker runs at all: queued in Redis, then crashed by n8n’s start-up recovery (measured)', async () => {
		const executionId = await run(HELD_ID);
		waitingExecutions.add(executionId);
		await waitUntilWaiting(executionId);
		const [task] = tasksOfExecution(executionId, 1);
		await Promise.all(stack().workers.map((worker) => worker.stop()));
		await simulator.advance(task.task_id);
		await simulator.advance(task.task_id);
		const answered = callbacksOf(task).at(-1)?.status;
		await delay(2000);
		const meanwhile = await rest.getExecution(executionId);
		await Promise.all(stack().workers.map((worker) => worker.start(180_000)));
		const execution = await rest.waitForExecution(executionId, 90_000);
		figure(
			`callback while both workers were down: answered ${answered}, execution meanwhile ` +
				`${meanwhile.status}, after the workers' start ${execution.status}`,
		);
		expect(answered).toBe(200);
		expect(meanwhile.status).toBe('running');
		// n8n 2.41: the worker that ran the execution's first part finds it unfinished in its own
		// event log when it starts, and marks the execution, now 'running' in the queue, crashed
		// (execution-recovery.service.js). README tells how to restart workers without this.
		expect(execution.status).toBe('crashed');
	}, 400_000);

	it('one webhook process down: behind a failing-over balancer the callback resumes the run', async () => {
		const [down, up] = stack().webhooks;
		const { proxy } = stack();
		await down.stop();
		try {
			// A callback that reaches no process is lost (Kling sends it once): Max Wait ends that run.
			const lostId = await run(SHORT_ID);
			waitingExecutions.add(lostId);
			timedOutExecution = lostId;
			await waitUntilWaiting(lostId);
			const [lostTask] = tasksOfExecution(lostId, 1);
			proxy.setTargets([down.url]);
			await simulator.advance(lostTask.task_id);
			await simulator.advance(lostTask.task_id);
			expect(callbacksOf(lostTask).at(-1)?.status).toBe(502);

			proxy.setTargets([down.url, up.url]);
			proxy.failover = true;
			const executionId = await run(HELD_ID);
			waitingExecutions.add(executionId);
			await waitUntilWaiting(executionId);
			const [task] = tasksOfExecution(executionId, 1);
			await simulator.advance(task.task_id);
			await simulator.advance(task.task_id);
			expect(callbacksOf(task).at(-1)?.status).toBe(200);
			const execution = await rest.waitForExecution(executionId, 90_000);
			expectSuccess(execution);
			expect(nodeOutput(execution, EXTEND_NODE)[0].json).toMatchObject({ status: 'succeeded' });
		} finally {
			proxy.failover = false;
			proxy.setTargets(stack().webhooks.map((webhook) => webhook.url));
			await down.start(180_000);
		}
	}, 400_000);
});

describe('the Kling Trigger under a burst over both webhook processes', () => {
	let deliveries: SignedDelivery[] = [];
	let firstTarget: number[] = [];
	let rateTwo = 0;

	it(`${BURST} signed callbacks: exactly ${BURST} executions, each callback once`, async () => {
		const known = new Set((await listSimulatorTasks(simulator.url)).map((task) => task.task_id));
		simulator.seedTasks(BURST, { status: 'succeed' });
		const tasks = (await listSimulatorTasks(simulator.url)).filter(
			(task) => !known.has(task.task_id),
		);
		expect(tasks).toHaveLength(BURST);
		deliveries = tasks.map((task, index) => signedDelivery(task, `msg_queue_burst_${index}`));
		firstTarget = deliveries.map((_, index) => index % 2);
		const urls = stack().webhooks.map(burstUrl);

		const started = Date.now();
		const answers = await mapConcurrent(deliveries, CONCURRENCY, (delivery, index) =>
			post(urls[firstTarget[index]], delivery),
		);
		const sentIn = (Date.now() - started) / 1000;
		expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
		rateTwo = BURST / sentIn;

		const byStatus = await settledExecutions(BURST_ID, 8 * 60_000);
		const ids = executionIdsOf(BURST_ID);
		const details = await mapConcurrent(ids, 10, (id) => rest.getExecution(id));
		const triggered = details.map((d) => String(nodeOutput(d, 'Kling Trigger')[0]?.json.task_id));
		const expected = tasks.map((task) => task.task_id);
		const missing = expected.filter((id) => !triggered.includes(id));
		const doubled = triggered.filter((id, index) => triggered.indexOf(id) !== index);
		figure(
			`burst: ${BURST} callbacks over two webhook processes (${CONCURRENCY} at a time) answered in ` +
				`${sentIn.toFixed(1)} s = ${rateTwo.toFixed(1)} callbacks/s; answers: ${answerKinds(answers)}; ` +
				`executions in n8n's database: ${JSON.stringify(byStatus)}; missing ${missing.length}, doubled ${doubled.length}`,
		);
		expect({ missing, doubled }).toEqual({ missing: [], doubled: [] });
		expect(byStatus).toEqual({ success: BURST });
	}, 900_000);

	it(`all ${BURST} replayed inside the signature window: the same process refuses them, the other process (measured)`, async () => {
		const urls = stack().webhooks.map(burstUrl);
		const before = totalOf(executionsInDatabase(BURST_ID));
		const same = await mapConcurrent(deliveries, CONCURRENCY, (delivery, index) =>
			post(urls[firstTarget[index]], redelivered(delivery)),
		);
		expect(same.every((answer) => answer.status === 200 && /duplicate/.test(answer.body))).toBe(
			true,
		);
		const other = await mapConcurrent(deliveries, CONCURRENCY, (delivery, index) =>
			post(urls[1 - firstTarget[index]], redelivered(delivery)),
		);
		expect(other.every((answer) => answer.status === 200)).toBe(true);
		const refused = other.filter((answer) => /duplicate/.test(answer.body)).length;
		const after = totalOf(await settledExecutions(BURST_ID, 8 * 60_000));
		figure(
			`replay of all ${BURST} burst callbacks (same body and webhook-id, signed anew inside the 5-minute window): ` +
				`to the process that took them ${BURST - same.filter((a) => /duplicate/.test(a.body)).length} new runs; to the ` +
				`other webhook process ${refused} refused as duplicates, ${after - before} new runs`,
		);
		expect(after - before).toBe(BURST - refused);
	}, 1_200_000);

	it(`callbacks per second: two webhook processes against one (${SINGLE_BURST} callbacks)`, async () => {
		const known = new Set((await listSimulatorTasks(simulator.url)).map((task) => task.task_id));
		simulator.seedTasks(SINGLE_BURST, { status: 'succeed' });
		const tasks = (await listSimulatorTasks(simulator.url)).filter(
			(task) => !known.has(task.task_id),
		);
		const single = tasks.map((task, index) => signedDelivery(task, `msg_queue_single_${index}`));
		const before = totalOf(executionsInDatabase(BURST_ID));
		const url = burstUrl(stack().webhooks[0]);
		const started = Date.now();
		const answers = await mapConcurrent(single, CONCURRENCY, (delivery) => post(url, delivery));
		const sentIn = (Date.now() - started) / 1000;
		expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
		const after = totalOf(await settledExecutions(BURST_ID, 5 * 60_000));
		expect(after - before).toBe(SINGLE_BURST);
		const rateOne = SINGLE_BURST / sentIn;
		figure(
			`burst: ${SINGLE_BURST} callbacks to one webhook process answered in ${sentIn.toFixed(1)} s = ` +
				`${rateOne.toFixed(1)} callbacks/s; two processes / one: ${(rateTwo / rateOne).toFixed(2)}x`,
		);
	}, 600_000);
});

/** VmRSS of a process in bytes (Linux). */
function rssOf(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) * 1024 : 0;
}

describe('Download Video in database binary mode', () => {
	it('a 100 MB result: the item carries the whole file; the worker’s memory growth is measured', async () => {
		const { workers } = stack();
		const pids = workers.map((worker) => worker.pid as number);
		const baseline = pids.map(rssOf);
		const peaks = [...baseline];
		const sampler = setInterval(() => {
			pids.forEach((pid, index) => (peaks[index] = Math.max(peaks[index], rssOf(pid))));
		}, 20);
		let execution: ExecutionDetail;
		const started = Date.now();
		try {
			const executionId = await rest.runWorkflow(BIG_ID, 'Start');
			execution = await rest.waitForExecution(executionId, 180_000);
		} finally {
			clearInterval(sampler);
		}
		const seconds = (Date.now() - started) / 1000;
		expectSuccess(execution);
		const ranOn = workerStarts(execution.id).findIndex((count) => count > 0);
		expect(ranOn).toBeGreaterThanOrEqual(0);
		const [item] = nodeOutput(execution, 'Get and download');
		const binary = item.binary?.data;
		expect(String(binary?.id)).toMatch(/^database/);
		const { body } = await rest.downloadBinary(String(binary?.id));
		expect(body.length).toBe(BIG_VIDEO_BYTES);
		const original = Buffer.from(
			await (await fetch(`${bigSimulator.url}/videos/${String(binary?.fileName)}`)).arrayBuffer(),
		);
		const hash = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
		expect(hash(body)).toBe(hash(original));
		const growth = (peaks[ranOn] - baseline[ranOn]) / 1024 / 1024;
		figure(
			`database binary mode: Get Task + Download Video of ${BIG_VIDEO_BYTES / 1024 / 1024} MiB on a worker in ` +
				`${seconds.toFixed(1)} s; the worker's peak RSS growth ${growth.toFixed(0)} MB ` +
				`(${(growth / (BIG_VIDEO_BYTES / 1024 / 1024)).toFixed(2)}x the file)`,
		);
	}, 300_000);
});

describe('at the end', () => {
	it('the run whose callback reached no process went on at Max Wait, marked waitTimedOut', async () => {
		expect(timedOutExecution).toBeDefined();
		// n8n's wait tracker (on main) looks for due executions once a minute.
		const execution = await rest.waitForExecution(String(timedOutExecution), 150_000);
		expectSuccess(execution);
		expect(nodeOutput(execution, EXTEND_NODE)[0].json).toMatchObject({ waitTimedOut: true });
	}, 200_000);

	it('no process logged an error or warning, but n8n’s own notices about waiting executions', () => {
		const problems: string[] = [];
		for (const n8n of stack().all) {
			for (const raw of n8n.readLog().split('\n')) {
				if (raw.trim() === '') continue;
				let parsed: { level?: string; message?: string } = {};
				try {
					parsed = JSON.parse(raw) as typeof parsed;
				} catch {
					// a line that is not n8n's JSON (a stack trace, a Node warning)
				}
				if (parsed.level === 'info' || parsed.level === 'debug') continue;
				if (KNOWN_NOTICES.some((notice) => notice.test(raw))) continue;
				if (knownWaitingNotice(withoutColours(parsed.message ?? ''))) continue;
				problems.push(`${path.basename(path.dirname(n8n.logFile))}: ${raw.slice(0, 300)}`);
			}
		}
		expect(problems).toEqual([]);
	});
});

/** n8n colours some messages (its 409 answers) with terminal escapes even in its JSON log. */
const COLOUR_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');
function withoutColours(message: string): string {
	return message.replace(COLOUR_ESCAPE, '');
}

/** About the machine or the libraries n8n brings, not about the package or the setup. */
const KNOWN_NOTICES = [
	/Running n8n outside a container is deprecated/,
	// Debian 12's Postgres is 15; n8n 2.41 asks for 16 or 17 but works with it.
	/Postgres 15 is not supported/,
	// n8n's own use of the pg driver.
	/DeprecationWarning: Calling client\.query\(\) when the client is already executing a query/,
	/node --trace-deprecation/,
	/TimeoutNegativeWarning|Timeout duration was set to 1\.|node --trace-warnings/,
	// n8n names a process after its container's host name: several processes of one kind in one
	// container (this suite) share it. In a deployment each container has its own.
	/Cluster check warning Detected multiple instances sharing the same hostId/,
	// n8n's Bull queue in a webhook process under the burst (one listener per request in flight).
	/MaxListenersExceededWarning: Possible EventEmitter memory leak detected\. \d+ global:(completed|failed) listeners added to \[Queue\]/,
	// A webhook process the suite stops on purpose (one process down) while the proxy still holds
	// connections to it: n8n gives up its graceful shutdown after N8N_GRACEFUL_SHUTDOWN_TIMEOUT.
	/Shutdown timed out after \d+ seconds/,
	// Postgres answering slowly on a loaded machine (n8n retries the ping).
	/Database ping failed \(\d\/3\): Database connection timed out/,
];

/**
 * n8n's lines about callbacks to waiting executions: a callback while the execution still runs
 * (the simulator calls back at once when a task is created) or while another process is
 * resuming it (n8n's handler then finds no resumable node), a resume that another process won
 * (compare-and-set), and a callback after the execution was resumed or finished (409).
 */
function knownWaitingNotice(message: string): boolean {
	const id =
		/^Error in handling webhook request POST \/webhook-waiting\/(\d+): /.exec(message)?.[1] ??
		/^Execution is already being resumed by another process \(execution (\d+)\)$/.exec(
			message,
		)?.[1] ??
		/^409 The execution "(\d+)" is running already\.$/.exec(message)?.[1] ??
		/^409 The execution "(\d+) has finished already\.$/.exec(message)?.[1] ??
		/^Found unfinished executions: (\d+)$/.exec(message)?.[1];
	if (id === undefined || !waitingExecutions.has(id)) return false;
	const detail = message.replace(
		/^Error in handling webhook request POST \/webhook-waiting\/\d+: /,
		'',
	);
	return [
		/^Cannot read properties of undefined \(reading '(resumeToken|node)'\)$/,
		/already being resumed by another process/,
		/is running already\.$/,
		/has finished already\.$/,
		/^Found unfinished executions/,
	].some((pattern) => pattern.test(detail));
}
