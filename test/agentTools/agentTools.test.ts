/**
 * The pieces of nodes/shared/agentTools/ that need no n8n: what a tool answers the model and how
 * an error is worded and cleaned. The whole, inside a real n8n and its AI Agent, is
 * e2e/agent.e2e.test.ts.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { redactSecrets, toolErrorMessage } from '../../nodes/shared/agentTools/toolErrors';
import { compactTask, compactToolItem } from '../../nodes/shared/agentTools/toolOutput';
import { simplifyTask, type KlingTask } from '../../nodes/shared/kling/task';
import { isToolRun } from '../../nodes/shared/agentTools/toolRun';

describe('compactTask', () => {
	/** A task as Simplify gives it (kling/task.ts), the only shape a tool's output holds. */
	const simplified = (task: Partial<KlingTask>) => simplifyTask({ ...blankTask, ...task });
	const blankTask: KlingTask = {
		generation: 'current',
		taskId: '',
		status: 'submitted',
		statusMessage: '',
		externalTaskId: '',
		videoId: null,
		url: null,
		watermarkUrl: null,
		duration: null,
		parentVideoId: null,
		parentDuration: null,
		cost: null,
		createdAt: null,
		updatedAt: null,
		raw: {},
	};

	it('keeps the simplified task’s fields an agent acts on', () => {
		expect(
			compactTask(
				simplified({
					taskId: 't1',
					status: 'succeeded',
					videoId: 'v1',
					url: 'https://cdn.example/v1.mp4',
					watermarkUrl: 'https://cdn.example/v1-wm.mp4',
					duration: 5.1,
					externalTaskId: 'n8n-1-abc-0',
					createdAt: 1_796_205_600_000,
				}),
			),
		).toEqual({
			taskId: 't1',
			status: 'succeeded',
			videoId: 'v1',
			url: 'https://cdn.example/v1.mp4',
			duration: 5.1,
			externalTaskId: 'n8n-1-abc-0',
		});
	});

	it('says why a task failed, and that the tool polled instead of waiting for a callback', () => {
		expect(
			compactTask(
				simplified({
					generation: 'legacy',
					taskId: 't2',
					status: 'failed',
					statusMessage: 'content policy',
					externalTaskId: 'mine',
				}),
				'poll (callback is not possible inside an AI agent tool)',
			),
		).toEqual({
			taskId: 't2',
			status: 'failed',
			statusMessage: 'content policy',
			externalTaskId: 'mine',
			waitMode: 'poll (callback is not possible inside an AI agent tool)',
		});
	});

	it('compacts a task item and drops its binary data', () => {
		const item = compactToolItem({
			json: simplified({ taskId: 't3', status: 'processing' }),
			binary: { data: { data: 'AAAA', mimeType: 'video/mp4' } },
			pairedItem: { item: 2 },
		});
		expect(item).toEqual({ json: { taskId: 't3', status: 'processing' }, pairedItem: { item: 2 } });
	});

	it('leaves items that are not tasks as they are, without binary data', () => {
		const item = compactToolItem({
			json: { resourcePackName: 'trial', remaining: 3 },
			binary: { data: { data: 'AAAA', mimeType: 'video/mp4' } },
			pairedItem: { item: 0 },
		});
		expect(item).toEqual({
			json: { resourcePackName: 'trial', remaining: 3 },
			pairedItem: { item: 0 },
		});
	});
});

describe('toolErrorMessage', () => {
	it('joins message and description once, each ending in a full stop', () => {
		const error = Object.assign(new Error('Duration must be one of "5", "10" (seconds)'), {
			description: 'Choose 5 or 10',
		});
		expect(toolErrorMessage(error, [])).toBe(
			'Duration must be one of "5", "10" (seconds). Choose 5 or 10.',
		);
	});

	it('takes out the credential’s secrets, JWTs and Authorization values', () => {
		const jwt =
			'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzaW0tYWNjZXNzLWtleSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';
		const text = `key sim-secret-key, token ${jwt}, header Bearer sim-api-key2, secret whsec_abc123`;
		const redacted = redactSecrets(text, ['sim-secret-key', 'whsec_abc123']);
		expect(redacted).toBe(
			'key [redacted], token [redacted], header Bearer [redacted], secret [redacted]',
		);
	});
});

describe('isToolRun', () => {
	const run = (node: Partial<INode>, isToolExecution?: boolean) =>
		({
			getNode: () => ({ name: 'Kling Video', type: 'n8n-nodes-kling.klingVideo', ...node }),
			isToolExecution: () => isToolExecution ?? false,
		}) as unknown as IExecuteFunctions;

	it('is false for a node in a workflow', () => {
		expect(isToolRun(run({}))).toBe(false);
	});

	it('is true when n8n says so (an agent calling the tool itself, AI Agent 2.x)', () => {
		expect(isToolRun(run({}, true))).toBe(true);
	});

	it('is true for the engine’s run of a tool node (AI Agent 3.x)', () => {
		expect(isToolRun(run({ type: 'n8n-nodes-kling.klingVideoTool' }))).toBe(true);
		expect(isToolRun(run({ rewireOutputLogTo: 'ai_tool' }))).toBe(true);
	});
});
