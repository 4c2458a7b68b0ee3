/**
 * End-to-end: a real n8n (pinned 2.x, installed by e2e/install-n8n.sh) loads the built package as a
 * community package and runs the examples against the Kling simulator. Everything is checked
 * through n8n's own records: its REST API (executions, credential test, node types) and its log.
 * See e2e/README.md.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';

import { KlingSimulator, signWebhook } from '../simulator';
import type { SimulatedTask } from '../simulator';
import { findNode, simulatorCredential } from './lib/examples';
import type { Workflow } from './lib/examples';
import type { N8n } from './lib/n8n';
import { freePorts } from './lib/ports';
import { N8nRest, nodeOutput } from './lib/rest';
import type { ExecutionDetail, ExecutionSummary } from './lib/rest';
import {
	delay,
	heldWaitWorkflow,
	listSimulatorTasks,
	mapConcurrent,
	triggerNameOf,
	triggerOnlyWorkflow,
	waitFor,
} from './lib/helpers';
import { DATA_DIR, buildPackage, ensureN8nInstalled } from './lib/runtime';
import type { ActiveTrigger, Stack } from './lib/stack';
import { startStack } from './lib/stack';

const USER_FOLDER = path.join(DATA_DIR, 'e2e');
const WEBHOOK_SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
const OWNER = { email: 'e2e@n8n-nodes-kling.invalid', password: 'E2e-only-Passw0rd' };
const VIDEO_BYTES = 64 * 1024;
const BURST_WORKFLOW_ID = 'klingE2eBurst001';
const HELD_WAIT_WORKFLOW_ID = 'klingE2eHeldWait01';
const SHORT_WAIT_WORKFLOW_ID = 'klingE2eShortWait1';

let simulator: KlingSimulator;
let n8n: N8n | undefined;
let stack: Stack;
let rest: N8nRest;
let simulatorUrl: string;
let createdTaskId: string | undefined;
/**
 * n8n's own lines about the callback waits, expected and explained where they are allowed:
 * executions that waited for Kling's callback, and the one that waited across the restart.
 */
const callbackWaitExecutions: string[] = [];
let restartedExecution: string | undefined;
let shortWaitRan = false;

function workflowById(id: string): Workflow {
	const workflow = stack.imported.find((candidate) => candidate.id === id);
	if (!workflow) throw new Error(`workflow ${id} was not imported`);
	return workflow;
}

async function runExample(workflowId: string): Promise<ExecutionDetail> {
	const workflow = workflowById(workflowId);
	const executionId = await rest.runWorkflow(workflowId, triggerNameOf(workflow));
	const execution = await rest.waitForExecution(executionId);
	expect({ status: execution.status, error: execution.error?.message }).toEqual({
		status: 'success',
		error: undefined,
	});
	return execution;
}

function resultTrigger(): ActiveTrigger {
	const trigger = stack.triggers.find((candidate) => candidate.workflow.id === 'klingVideoResult');
	if (!trigger) throw new Error('example 2 (Kling Trigger) is not active');
	return trigger;
}

/** Deterministic shuffle, so that a failing run can be repeated exactly. */
function shuffle<T>(entries: T[]): void {
	let seed = 20260807;
	for (let i = entries.length - 1; i > 0; i--) {
		seed = (seed * 1103515245 + 12345) % 2 ** 31;
		const j = seed % (i + 1);
		[entries[i], entries[j]] = [entries[j], entries[i]];
	}
}

/** The simulator's task that a run of the node made for its first item. */
async function taskOfExecution(executionId: string): Promise<SimulatedTask> {
	return await waitFor(async () => {
		const tasks = await listSimulatorTasks(simulatorUrl);
		return tasks.find((task) => task.task_info.external_task_id?.startsWith(`n8n-${executionId}-`));
	}, 30_000);
}

/**
 * POSTs one callback as Kling does (JSON, Standard Webhooks signature), waiting up to 60 s for the
 * answer: under a burst n8n answers more slowly than the simulator's own 10 s sender allows.
 */
async function postCallback(
	url: string,
	body: string,
	webhookId: string,
): Promise<{ status: number; body: string; ms: number }> {
	const started = Date.now();
	const timestamp = Math.floor(started / 1000);
	const response = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'webhook-id': webhookId,
			'webhook-timestamp': String(timestamp),
			'webhook-signature': signWebhook(WEBHOOK_SECRET, webhookId, timestamp, body),
		},
		body,
		signal: AbortSignal.timeout(60_000),
	});
	return { status: response.status, body: await response.text(), ms: Date.now() - started };
}

beforeAll(
	async () => {
		const started = Date.now();
		ensureN8nInstalled();
		buildPackage();

		simulator = new KlingSimulator({
			port: 0,
			host: '127.0.0.1',
			webhookSecrets: [WEBHOOK_SECRET],
			timing: { submittedMs: 300, processingMs: 700 },
			videoBytes: VIDEO_BYTES,
		});
		simulatorUrl = await simulator.start();
		// Free ports may be taken by someone else before n8n binds them: then try again.
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
					extraWorkflows: [
						triggerOnlyWorkflow(
							BURST_WORKFLOW_ID,
							'e2e: Kling Trigger burst',
							'0f7c1e2d-9b8a-4c6d-8e5f-e2eb0b57b001',
						),
						heldWaitWorkflow(HELD_WAIT_WORKFLOW_ID, 'e2e: callback wait across a restart'),
						heldWaitWorkflow(SHORT_WAIT_WORKFLOW_ID, 'e2e: callback wait past Max Wait', 0.05),
					],
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
			for (const trigger of stack.triggers) await rest.waitForPublication(trigger.workflow.id);
		} catch (error) {
			const tail = stack.n8n.readLog().trim().split('\n').slice(-30).join('\n');
			console.error(`n8n's log (${stack.n8n.logFile}) ends with:\n${tail}`);
			throw error;
		}
		console.log(`n8n and the simulator ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	},
	15 * 60 * 1000,
);

afterAll(async () => {
	await n8n?.stop();
	await simulator?.stop();
}, 60 * 1000);

interface LogLine {
	level?: string;
	message?: string;
	metadata?: Record<string, unknown>;
	raw: string;
}

function logLines(text: string): LogLine[] {
	return text
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((raw) => {
			try {
				return { ...(JSON.parse(raw) as Omit<LogLine, 'raw'>), raw };
			} catch {
				return { raw };
			}
		});
}

/** Notices about the machine, not about n8n's setup or the package. */
const ENVIRONMENT_NOTICES = [/Running n8n outside a container is deprecated/];

/**
 * Log lines that are a problem: warnings and errors (the package's above all), lines that are not
 * n8n's JSON (stack traces), and any sign of n8n reaching for its own servers.
 */
function problemsIn(log: string): string[] {
	return logLines(log)
		.filter(
			(line) =>
				line.level === 'warn' ||
				line.level === 'error' ||
				line.level === undefined ||
				/ENOTFOUND|EAI_AGAIN|n8n\.io|n8n\.cloud/.test(line.raw),
		)
		.filter((line) => !ENVIRONMENT_NOTICES.some((notice) => notice.test(line.raw)))
		.map((line) => line.raw);
}

describe('n8n loads the package', () => {
	it('as a community package: its nodes and credential are known', async () => {
		expect(stack.pkg.missing).toEqual([]);
		expect(stack.pkg.nodes.map((node) => node.type).sort()).toEqual([
			'n8n-nodes-kling.klingTrigger',
			'n8n-nodes-kling.klingVideo',
			'n8n-nodes-kling.klingVideoExtend',
		]);
		expect(stack.skipped).toEqual([]);
		const names = await rest.nodeTypeNames();
		for (const node of stack.pkg.nodes) expect(names).toContain(node.type);
		// n8n reports at debug level what it loaded from each package (here in the CLI's start).
		const loaded = logLines(stack.importLog).find(
			(line) => line.message === `Loaded all credentials and nodes from ${stack.pkg.name}`,
		);
		expect(loaded?.metadata).toMatchObject({ nodes: stack.pkg.nodes.length, credentials: 1 });
	});

	it('without any error or warning in its log, and without reaching for n8n’s servers', () => {
		expect(problemsIn(stack.importLog)).toEqual([]);
		expect(problemsIn(stack.n8n.readLog())).toEqual([]);
	});
});

describe('Kling API credential', () => {
	const credential = () => ({
		...simulatorCredential(simulatorUrl, WEBHOOK_SECRET),
		type: 'klingApi',
	});

	it('passes n8n’s credential test against the simulator', async () => {
		await expect(rest.testCredential(credential())).resolves.toEqual({
			status: 'OK',
			message: expect.any(String),
		});
	});

	it('fails it with a wrong API key, naming Kling’s error and not the key', async () => {
		const good = credential();
		const result = await rest.testCredential({
			...good,
			data: { ...good.data, apiKey: 'not-the-api-key' },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Kling error 1002/);
		expect(result.message).not.toMatch(/not-the-api-key/);
	});
});

describe('example 1: extend a video', () => {
	it('creates a task at Kling with the Kling Trigger as callback URL', async () => {
		const execution = await runExample('klingExtendVideo');
		const [item] = nodeOutput(execution, 'Extend video');
		createdTaskId = String(item.json.task_id);
		expect(simulator.getTask(createdTaskId)).toBeDefined();
		const create = simulator.requests.find(
			(request) => request.method === 'POST' && request.path === '/v1/videos/video-extend',
		);
		const body = JSON.parse(create?.body ?? '{}') as Record<string, unknown>;
		expect(body).toMatchObject({ video_id: 'sim-video-5s', callback_url: resultTrigger().url });
	});
});

describe('example 2: Kling Trigger → Get task → video', () => {
	it('runs once when the task succeeds: status success, the result video id, the video as binary', async () => {
		expect(createdTaskId).toBeDefined();
		const workflowId = resultTrigger().workflow.id;
		// The simulator posts submitted, processing and succeed about a second apart.
		const execution = await waitFor(async () => {
			for (const summary of await rest.listExecutions(workflowId)) {
				if (['new', 'running'].includes(summary.status)) continue;
				const detail = await rest.getExecution(summary.id);
				const [item] = nodeOutput(detail, 'Kling Trigger');
				if (item?.json.task_id === createdTaskId) return detail;
			}
			return undefined;
		}, 30_000);

		expect(execution.mode).toBe('webhook');
		expect(execution.status).toBe('success');
		const task = simulator.getTask(String(createdTaskId)) as SimulatedTask;
		expect(task.task_status).toBe('succeed');
		const videoId = task.task_result.videos[0].id;

		const [triggered] = nodeOutput(execution, 'Kling Trigger');
		expect(triggered.json).toMatchObject({ task_id: createdTaskId, task_status: 'succeed' });
		const results = nodeOutput(execution, 'Get the finished task');
		expect(results).toHaveLength(1);
		const [result] = results;
		expect(result.json).toMatchObject({ taskId: createdTaskId, status: 'succeeded', videoId });

		const binary = result.binary?.data;
		expect(binary).toMatchObject({ mimeType: 'video/mp4', fileName: `${videoId}.mp4` });
		expect(binary?.id).toMatch(/^filesystem/);
		const { body, contentType } = await rest.downloadBinary(String(binary?.id));
		expect(contentType).toMatch(/^video\/mp4/);
		expect(body.length).toBe(VIDEO_BYTES);
		expect(body.subarray(4, 8).toString('latin1')).toBe('ftyp');
		const original = Buffer.from(
			await (await fetch(`${simulatorUrl}/videos/${videoId}.mp4`)).arrayBuffer(),
		);
		expect(body.equals(original)).toBe(true);

		// Every callback of the task was answered with 200; only the final one started a run.
		const deliveries = simulator.callbacks.filter((delivery) =>
			delivery.body.includes(`"task_id":"${createdTaskId}"`),
		);
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
		const runs = [];
		for (const summary of await rest.listExecutions(workflowId)) {
			const detail = await rest.getExecution(summary.id);
			if (nodeOutput(detail, 'Kling Trigger')[0]?.json.task_id === createdTaskId) runs.push(detail);
		}
		expect(runs).toHaveLength(1);
	});
});

describe('example 3: failed tasks', () => {
	it('lists the tasks and keeps only the failed ones', async () => {
		simulator.seedTasks(3, { status: 'failed' });
		simulator.seedTasks(4, { status: 'succeed' });
		const execution = await runExample('klingFailedTasks');
		const listed = nodeOutput(execution, 'Get many tasks').map((item) => item.json);
		const failed = nodeOutput(execution, 'Only failed tasks').map((item) => item.json);
		expect(listed.length).toBeGreaterThanOrEqual(8);
		const expected = listed
			.filter((task) => task.task_status === 'failed')
			.map((task) => task.task_id);
		expect(expected).toHaveLength(3);
		expect(failed.map((task) => task.task_id).sort()).toEqual([...expected].sort());
		for (const task of failed) expect(task.task_status_msg).toEqual(expect.any(String));
	});
});

describe('example 4: extend a video and wait for Kling’s callback', () => {
	it('waits in n8n until Kling calls back, then goes on with the task and the video', async () => {
		const workflow = workflowById('klingExtendAndWait');
		const executionId = await rest.runWorkflow(workflow.id, triggerNameOf(workflow));
		callbackWaitExecutions.push(executionId);
		const execution = await rest.waitForExecution(executionId);
		expect({ status: execution.status, error: execution.error?.message }).toEqual({
			status: 'success',
			error: undefined,
		});
		const task = await taskOfExecution(executionId);
		expect(task.task_status).toBe('succeed');
		const videoId = task.task_result.videos[0].id;

		// Kling was given this execution's resume URL, and called it.
		const callbacks = simulator.callbacks.filter((delivery) =>
			delivery.body.includes(`"task_id":"${task.task_id}"`),
		);
		expect(callbacks.length).toBeGreaterThanOrEqual(2);
		const resumeUrl = new URL(callbacks[0].url);
		expect(resumeUrl.pathname).toBe(`/webhook-waiting/${executionId}`);
		expect(resumeUrl.searchParams.get('signature')).toEqual(expect.any(String));
		expect(callbacks.at(-1)?.status).toBe(200);

		const [item] = nodeOutput(execution, 'Extend and wait');
		expect(item.json).toMatchObject({ taskId: task.task_id, status: 'succeeded', videoId });
		const binary = item.binary?.data;
		expect(binary).toMatchObject({ mimeType: 'video/mp4', fileName: `${videoId}.mp4` });
		const { body } = await rest.downloadBinary(String(binary?.id));
		const original = Buffer.from(
			await (await fetch(`${simulatorUrl}/videos/${videoId}.mp4`)).arrayBuffer(),
		);
		expect(body.equals(original)).toBe(true);
		expect(nodeOutput(execution, 'Succeeded?')).toHaveLength(1);
	});

	it('keeps waiting across a restart of n8n, and goes on when Kling calls back after it', async () => {
		const workflow = workflowById(HELD_WAIT_WORKFLOW_ID);
		const executionId = await rest.runWorkflow(workflow.id, triggerNameOf(workflow));
		callbackWaitExecutions.push(executionId);
		restartedExecution = executionId;
		await waitFor(async () => {
			const execution = await rest.getExecution(executionId);
			return execution.status === 'waiting' ? execution : undefined;
		}, 30_000);
		const task = await taskOfExecution(executionId);

		await stack.n8n.stop();
		// Kling's callback while n8n is down is lost (Kling sends it once); the task goes on.
		await simulator.advance(task.task_id);
		await stack.n8n.start();
		await simulator.advance(task.task_id);
		const final = simulator.callbacks.filter((delivery) =>
			delivery.body.includes(`"task_id":"${task.task_id}"`),
		);
		expect(final.at(-2)?.status).toBeUndefined();
		expect(final.at(-1)?.status).toBe(200);

		const execution = await rest.waitForExecution(executionId);
		expect({ status: execution.status, error: execution.error?.message }).toEqual({
			status: 'success',
			error: undefined,
		});
		const [item] = nodeOutput(execution, 'Extend and wait');
		expect(item.json).toMatchObject({ taskId: task.task_id, status: 'succeeded' });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4' });
		// The triggers of the published workflows are back for what follows.
		for (const trigger of stack.triggers) await rest.waitForPublication(trigger.workflow.id);
	}, 180_000);

	it('goes on at Max Wait without a callback: the task as submitted, marked waitTimedOut', async () => {
		const workflow = workflowById(SHORT_WAIT_WORKFLOW_ID);
		const executionId = await rest.runWorkflow(workflow.id, triggerNameOf(workflow));
		callbackWaitExecutions.push(executionId);
		shortWaitRan = true;
		const task = await taskOfExecution(executionId);
		// n8n's wait tracker looks for executions due to resume once a minute.
		const execution = await rest.waitForExecution(executionId, 150_000);
		expect({ status: execution.status, error: execution.error?.message }).toEqual({
			status: 'success',
			error: undefined,
		});
		const [item] = nodeOutput(execution, 'Extend and wait');
		expect(item.json).toMatchObject({
			taskId: task.task_id,
			status: 'submitted',
			waitTimedOut: true,
		});
		expect(nodeOutput(execution, 'Succeeded?')).toHaveLength(0);
	}, 180_000);
});

describe('example 5: from a prompt to a 15-second multi-shot video with sound', () => {
	it('asks Kling 3.0 for three shots adding up to 15 s with native sound, and ends with the video', async () => {
		const workflow = workflowById('klingPromptToMultiShotVideo');
		const node = findNode(workflow, (candidate) => candidate.name === 'Text to Video');
		const shots = (node.parameters.shots as { shot: Array<{ prompt: string; duration: number }> })
			.shot;
		const since = Date.now();
		const executionId = await rest.runWorkflow(workflow.id, triggerNameOf(workflow));
		const execution = await rest.waitForExecution(executionId, 120_000);
		expect({ status: execution.status, error: execution.error?.message }).toEqual({
			status: 'success',
			error: undefined,
		});

		// Exactly one create, and it is Kling's multi-shot request for Kling 3.0 as Kling documents
		// it: the shots in its prompt, their lengths adding up to settings.duration.
		const creates = simulator.requests.filter(
			(request) =>
				request.at >= since &&
				request.method === 'POST' &&
				/^\/(text|image)-to-video\//.test(request.path),
		);
		expect(creates.map((request) => request.path)).toEqual(['/text-to-video/kling-3.0']);
		const body = JSON.parse(creates[0].body) as {
			prompt: string;
			settings: Record<string, unknown>;
			model_name?: string;
		};
		expect(shots.map((shot) => shot.duration)).toEqual([5, 5, 5]);
		expect(body.prompt).toBe(
			shots.map((shot, index) => `shot ${index + 1}, 5, ${shot.prompt};`).join(' '),
		);
		expect(body.settings).toMatchObject({ duration: 15, audio: 'native', multi_shot: true });
		expect(body.model_name).toBeUndefined();

		// The finished video, simplified, with the video itself as binary data.
		const [video] = nodeOutput(execution, 'Text to Video');
		expect(video.json).toMatchObject({ status: 'succeeded' });
		const videoId = String(video.json.videoId);
		expect(videoId).not.toBe('undefined');
		const binary = video.binary?.data;
		expect(binary).toMatchObject({ mimeType: 'video/mp4' });
		const { body: bytes } = await rest.downloadBinary(String(binary?.id));
		expect(bytes.length).toBe(VIDEO_BYTES);
		expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
	}, 180_000);
});

/** Kling's creates of the current generation and of the talking videos, since `since`. */
function createsSince(since: number) {
	return simulator.requests.filter(
		(request) =>
			request.at >= since &&
			request.method === 'POST' &&
			/^\/((text|image)-to-video|omni-video|motion-control)\/|^\/v1\/(audio\/tts|videos\/)/.test(
				request.path,
			),
	);
}

/** Runs an example from its Manual trigger and waits for it to succeed (tasks poll: up to 2 min). */
async function runPolledExample(workflowId: string): Promise<ExecutionDetail> {
	const workflow = workflowById(workflowId);
	const executionId = await rest.runWorkflow(workflow.id, triggerNameOf(workflow));
	const execution = await rest.waitForExecution(executionId, 120_000);
	expect({ status: execution.status, error: execution.error?.message }).toEqual({
		status: 'success',
		error: undefined,
	});
	return execution;
}

/** The item's video as binary `data`: an MP4 of the simulator's size, the task's own video. */
async function expectVideoBinary(item: {
	json: Record<string, unknown>;
	binary?: Record<string, { id?: string; mimeType?: string; fileName?: string }>;
}): Promise<void> {
	const videoId = String(item.json.videoId);
	const binary = item.binary?.data;
	expect(binary).toMatchObject({ mimeType: 'video/mp4', fileName: `${videoId}.mp4` });
	const { body } = await rest.downloadBinary(String(binary?.id));
	expect(body.length).toBe(VIDEO_BYTES);
	expect(body.subarray(4, 8).toString('latin1')).toBe('ftyp');
	const original = Buffer.from(
		await (await fetch(`${simulatorUrl}/videos/${videoId}.mp4`)).arrayBuffer(),
	);
	expect(body.equals(original)).toBe(true);
}

describe('example 7: make a video, edit it with Omni, sum what both cost', () => {
	it('gives the first video’s URL to Omni as base_video, ends with the edited video and the summed cost', async () => {
		const workflow = workflowById('klingVideoThenEdit');
		const edit = findNode(workflow, (candidate) => candidate.name === 'Make the car red');
		const since = Date.now();
		const execution = await runPolledExample(workflow.id);

		const [made] = nodeOutput(execution, 'Text to Video');
		expect(made.json).toMatchObject({ status: 'succeeded', cost: { amount: 3, unit: 'units' } });
		const madeUrl = String(made.json.url);
		expect(madeUrl).toBe(`${simulatorUrl}/videos/${String(made.json.videoId)}.mp4`);

		// Exactly two creates: the video, then Kling's Omni request that edits it (base_video,
		// named video_1 as the prompt does), one shot, no native sound.
		const creates = createsSince(since);
		expect(creates.map((request) => request.path)).toEqual([
			'/text-to-video/kling-3.0',
			'/omni-video/kling-3.0-omni',
		]);
		const body = JSON.parse(creates[1].body) as Record<string, unknown>;
		expect(body).toEqual({
			contents: [
				{ type: 'prompt', text: edit.parameters.prompt },
				{ type: 'base_video', url: madeUrl, id: 'video_1' },
			],
			settings: { resolution: '720p', duration: 5, audio: 'off', multi_shot: false },
			options: expect.any(Object),
		});
		expect(String(edit.parameters.prompt)).toContain('@video_1');

		const [edited] = nodeOutput(execution, 'Make the car red');
		expect(edited.json).toMatchObject({
			status: 'succeeded',
			duration: 5.041,
			cost: { amount: 4.5, unit: 'units' },
		});
		expect(simulator.getVideo(String(edited.json.videoId))?.model).toBe('kling-3.0-omni');
		await expectVideoBinary(edited);

		// n8n's Summarize names its fields after the aggregation and the field, dots as "_".
		expect(nodeOutput(execution, 'Both tasks')).toHaveLength(2);
		expect(nodeOutput(execution, 'Total cost').map((item) => item.json)).toEqual([
			{ cost_unit: 'units', sum_cost_amount: 7.5, count_taskId: 2 },
		]);
	}, 180_000);
});

describe('example 8: a character dances like a motion video', () => {
	it('sends the downloaded image and the dance video to Motion Control; the video is as long as the dance', async () => {
		const since = Date.now();
		const execution = await runPolledExample('klingMotionControlDance');

		const image = simulator.requests.filter(
			(request) => request.at >= since && request.path === '/samples/face-1.png',
		);
		expect(image.map((request) => request.method)).toEqual(['GET']);
		const [character] = nodeOutput(execution, 'Character image');
		expect(character.binary?.data).toMatchObject({ mimeType: 'image/png' });
		const png = Buffer.from(
			await (await fetch(`${simulatorUrl}/samples/face-1.png`)).arrayBuffer(),
		);

		const creates = createsSince(since);
		expect(creates.map((request) => request.path)).toEqual(['/motion-control/kling-3.0']);
		const body = JSON.parse(creates[0].body) as Record<string, unknown>;
		expect(body).toEqual({
			contents: [
				{ type: 'prompt', text: 'The character dances on a rooftop at night, city lights behind' },
				{ type: 'image', url: png.toString('base64') },
				{ type: 'video', url: `${simulatorUrl}/samples/dance-12s.mp4` },
			],
			settings: { resolution: '720p', audio: 'original', character_orientation: 'video' },
			options: expect.any(Object),
		});

		const [video] = nodeOutput(execution, 'Dance like the video');
		expect(video.json).toMatchObject({
			status: 'succeeded',
			duration: 12,
			cost: { amount: 10.8, unit: 'units' },
		});
		await expectVideoBinary(video);
	}, 180_000);
});

describe('example 9: from a script to a talking video', () => {
	it('speaks the script, then makes the face say it by its audio ID; the video is as long as the speech', async () => {
		const workflow = workflowById('klingScriptToTalkingVideo');
		const speak = findNode(workflow, (candidate) => candidate.name === 'Speak the script');
		const since = Date.now();
		const execution = await runPolledExample(workflow.id);

		const [speech] = nodeOutput(execution, 'Speak the script');
		const audioId = String(speech.json.audioId);
		expect(speech.json).toMatchObject({ audioId: expect.any(String), duration: 7.7 });
		expect(speech.binary?.data).toMatchObject({ mimeType: 'audio/wav' });

		const creates = createsSince(since);
		expect(creates.map((request) => request.path)).toEqual([
			'/v1/audio/tts',
			'/v1/videos/avatar/image2video',
		]);
		expect(JSON.parse(creates[0].body)).toEqual({
			text: speak.parameters.text,
			voice_id: 'oversea_female1',
			voice_language: 'en',
			voice_speed: 1,
		});
		const avatar = JSON.parse(creates[1].body) as Record<string, unknown>;
		expect(avatar).toMatchObject({
			image: `${simulatorUrl}/samples/face-1.png`,
			audio_id: audioId,
			mode: 'std',
			prompt: 'She smiles and nods while she speaks',
		});
		expect(avatar).not.toHaveProperty('sound_file');

		const [video] = nodeOutput(execution, 'Talking video');
		expect(video.json).toMatchObject({
			status: 'succeeded',
			duration: speech.json.duration,
			cost: { amount: 2.8, unit: 'units' },
		});
		await expectVideoBinary(video);
	}, 180_000);
});

describe('the active Kling Trigger under a burst', () => {
	const DISTINCT = 1000;
	const REPEATED = 50;
	const CONCURRENCY = 20;

	it(`answers ${DISTINCT} callbacks and ${REPEATED} repeats: one execution per distinct callback`, async () => {
		const trigger = stack.triggers.find((candidate) => candidate.workflow.id === BURST_WORKFLOW_ID);
		if (!trigger) throw new Error('the burst workflow is not active');
		const known = new Set((await listSimulatorTasks(simulatorUrl)).map((task) => task.task_id));
		simulator.seedTasks(DISTINCT, { status: 'succeed' });
		const tasks = (await listSimulatorTasks(simulatorUrl)).filter(
			(task) => !known.has(task.task_id),
		);
		expect(tasks).toHaveLength(DISTINCT);

		// Each callback as Kling sends it (signed, Standard Webhooks); a repeat is the same delivery
		// again (same body, same webhook-id), as a retry or a replay would be.
		const deliveries = tasks.map((task, index) => ({
			body: JSON.stringify(task),
			webhookId: `msg_e2e_burst_${index}`,
		}));
		const all = [...deliveries, ...deliveries.slice(0, REPEATED)];
		shuffle(all);

		const started = Date.now();
		const answers = await mapConcurrent(all, CONCURRENCY, (delivery) =>
			postCallback(trigger.localUrl, delivery.body, delivery.webhookId),
		);
		const sentIn = Date.now() - started;
		expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
		const ignored = answers.filter((answer) => /duplicate/.test(answer.body));
		expect(ignored).toHaveLength(REPEATED);

		// Wait until n8n has run and saved everything it started (the count stays put).
		let executions: ExecutionSummary[] = [];
		let unchanged = 0;
		const deadline = Date.now() + 5 * 60 * 1000;
		while (unchanged < 3) {
			if (Date.now() > deadline) {
				throw new Error(`executions still under way: ${executions.length} so far`);
			}
			await delay(1000);
			const now = await rest.listExecutions(trigger.workflow.id);
			const settled = now.every((e) => !['new', 'running', 'waiting'].includes(e.status));
			unchanged = settled && now.length === executions.length ? unchanged + 1 : 0;
			executions = now;
		}
		const settledIn = Date.now() - started;
		expect(executions).toHaveLength(DISTINCT);
		expect(executions.filter((e) => e.status !== 'success')).toEqual([]);

		// Each distinct callback exactly once, read back from n8n's records of the runs.
		const details = await mapConcurrent(executions, 10, (e) => rest.getExecution(e.id));
		const triggered = details.map((detail) =>
			String(nodeOutput(detail, 'Kling Trigger')[0]?.json.task_id),
		);
		expect(new Set(triggered).size).toBe(DISTINCT);
		expect([...triggered].sort()).toEqual(tasks.map((task) => task.task_id).sort());

		const latencies = answers.map((answer) => answer.ms).sort((a, b) => a - b);
		const at = (share: number) =>
			latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))];
		console.log(
			`burst: ${all.length} callbacks (${CONCURRENCY} at a time) answered in ${(sentIn / 1000).toFixed(1)} s ` +
				`(answer p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms); ` +
				`${executions.length} executions settled after ${(settledIn / 1000).toFixed(1)} s`,
		);
	});
});

/**
 * What n8n 2.41 logs about waiting executions, none of it about the package: a callback that
 * arrives while its execution still runs (the simulator calls back as soon as a task is created,
 * before the node has put the execution to wait) makes n8n's waiting-webhook handler fail on the
 * execution's data, which n8n has not stored yet (it answers 500; the callback only said
 * "submitted"); and at start n8n names the executions that were waiting when it stopped.
 */
function knownWaitingNotice(line: string): boolean {
	if (shortWaitRan && NEGATIVE_TIMEOUT_WARNING.some((pattern) => pattern.test(line))) return true;
	const { message } = (line.startsWith('{') ? JSON.parse(line) : {}) as { message?: string };
	return (
		callbackWaitExecutions.some(
			(id) =>
				message ===
				`Error in handling webhook request POST /webhook-waiting/${id}: Cannot read properties of undefined (reading 'resumeToken')`,
		) || message === `Found unfinished executions: ${restartedExecution}`
	);
}

/**
 * Node's warning when n8n's wait tracker, which looks once a minute, schedules the resume of an
 * execution whose Max Wait has already passed (setTimeout with a negative delay).
 */
const NEGATIVE_TIMEOUT_WARNING = [
	/^\(node:\d+\) TimeoutNegativeWarning: -\d+ is a negative number\.$/,
	/^Timeout duration was set to 1\.$/,
	/^\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)$/,
];

describe('after all of the above', () => {
	it('n8n’s log still has no error or warning, but for its notices about waiting executions', () => {
		expect(problemsIn(stack.n8n.readLog()).filter((line) => !knownWaitingNotice(line))).toEqual([]);
	});
});
