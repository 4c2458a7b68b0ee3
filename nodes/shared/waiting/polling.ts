import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { isFinished, type KlingTask } from '../kling/task';
import type { ProductId } from '../kling/products';
import { PRODUCTS } from '../kling/products';
import type { TaskSource } from '../tasks/taskReads';
import { noSuchTask, readCurrentTasks, readLegacyTask, taskSourceOf } from '../tasks/taskReads';
import type { KlingItemContext } from '../transport/itemContext';
import { perRun } from '../transport/runState';
import { asNodeError } from '../transport/transport';

export interface WaitSettings {
	maxWaitMs: number;
	firstPollMs: number;
	maxPollMs: number;
}

export function waitSettings(ctx: KlingItemContext): WaitSettings {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		maxWaitMs: Number(ctx.getNodeParameter('maxWait', 15)) * 60_000,
		firstPollMs: Number(options.pollInterval ?? 3) * 1000,
		maxPollMs: Number(options.maxPollInterval ?? 30) * 1000,
	};
}

/**
 * The n-th wait between polls: doubling from the first interval up to the cap, with ±10%
 * jitter. With the defaults (3 s doubling to 30 s) a 4-minute task is read at most 12 times.
 */
export function pollDelayMs(poll: number, settings: WaitSettings): number {
	const base = Math.min(settings.maxPollMs, settings.firstPollMs * 2 ** poll);
	return base * (0.9 + Math.random() * 0.2);
}

interface Waiter {
	ctx: KlingItemContext;
	source: TaskSource;
	taskId: string;
	settings: WaitSettings;
	deadline: number;
	poll: number;
	/** When the next read is due. */
	due: number;
	lastStatus: string;
	resolve(task: KlingTask): void;
	reject(error: unknown): void;
}

/**
 * The tasks of one node run that are being waited for, read together: a round comes when the
 * first of them is due (each on its own schedule, see pollDelayMs) and reads all of them, so
 * tasks that wait together cost one read per round. Tasks of the current generation are read
 * 20 a request at `/tasks`; legacy tasks (video extension) each at their own endpoint.
 */
class RunPoller {
	private readonly waiters = new Set<Waiter>();

	private running = false;

	async waitFor(waiter: Omit<Waiter, 'resolve' | 'reject'>): Promise<KlingTask> {
		const finished = new Promise<KlingTask>((resolve, reject) =>
			this.waiters.add({ ...waiter, resolve, reject }),
		);
		if (!this.running) {
			this.running = true;
			void this.loop();
		}
		return await finished;
	}

	private async loop(): Promise<void> {
		try {
			while (this.waiters.size > 0) {
				const waiters = [...this.waiters];
				const wake = Math.min(...waiters.map((waiter) => Math.min(waiter.due, waiter.deadline)));
				const now = Date.now();
				if (wake > now) await sleep(wake - now);
				await this.round();
				this.expire();
			}
		} finally {
			this.running = false;
		}
	}

	/** Stops the waiters whose Max Wait has passed (after a last read), each with its own error. */
	private expire(): void {
		const now = Date.now();
		for (const waiter of this.waiters) {
			if (waiter.deadline > now) continue;
			this.waiters.delete(waiter);
			waiter.reject(maxWaitError(waiter));
		}
	}

	/** Reads every waiting task: one request more costs more than a few ids more in one. */
	private async round(): Promise<void> {
		const waiters = [...this.waiters];
		const current = waiters.filter((waiter) => waiter.source.generation === 'current');
		const legacy = waiters.filter((waiter) => waiter.source.generation === 'legacy');
		await Promise.all([
			this.readCurrent(current),
			...legacy.map(async (waiter) => await this.readLegacy(waiter)),
		]);
	}

	private async readCurrent(waiters: Waiter[]): Promise<void> {
		if (waiters.length === 0) return;
		try {
			const found = await readCurrentTasks(
				waiters[0].ctx,
				'taskId',
				waiters.map((waiter) => waiter.taskId),
			);
			for (const waiter of waiters) this.settle(waiter, found.get(waiter.taskId));
		} catch (error) {
			for (const waiter of waiters) this.fail(waiter, asNodeError(waiter.ctx, error));
		}
	}

	private async readLegacy(waiter: Waiter): Promise<void> {
		try {
			const path = waiter.source.generation === 'legacy' ? waiter.source.path : '';
			this.settle(waiter, await readLegacyTask(waiter.ctx, path, waiter.taskId));
		} catch (error) {
			this.fail(waiter, error);
		}
	}

	private settle(waiter: Waiter, task: KlingTask | undefined): void {
		if (!task) {
			this.fail(waiter, noSuchTask(waiter.ctx, waiter.taskId));
			return;
		}
		waiter.lastStatus = task.status;
		if (isFinished(task)) {
			this.waiters.delete(waiter);
			waiter.resolve(task);
			return;
		}
		waiter.poll++;
		waiter.due = Date.now() + pollDelayMs(waiter.poll, waiter.settings);
	}

	private fail(waiter: Waiter, error: unknown): void {
		this.waiters.delete(waiter);
		waiter.reject(error);
	}
}

const pollerOf = perRun(() => new RunPoller());

function maxWaitError(waiter: Waiter): NodeOperationError {
	const minutes = Math.round((waiter.settings.maxWaitMs / 60_000) * 100) / 100;
	return new NodeOperationError(
		waiter.ctx.getNode(),
		`Task ${waiter.taskId} is still "${waiter.lastStatus}" after the Max Wait of ${minutes} minutes`,
		{
			itemIndex: waiter.ctx.getItemIndex(),
			description:
				'The task goes on at Kling and is not lost: read it later with Get Task, or raise Max Wait.',
		},
	);
}

/**
 * Waits until the task has succeeded or failed; past Max Wait it stops with a clear error. The
 * waiting tasks of a node run are read together (see RunPoller).
 */
export async function waitUntilFinished(
	ctx: KlingItemContext,
	source: TaskSource,
	task: KlingTask,
	settings: WaitSettings,
): Promise<KlingTask> {
	const now = Date.now();
	return await pollerOf(ctx).waitFor({
		ctx,
		source,
		taskId: task.taskId,
		settings,
		deadline: now + settings.maxWaitMs,
		poll: 0,
		due: now + pollDelayMs(0, settings),
		lastStatus: task.status || 'submitted',
	});
}

/** Stops at a failed task unless the user asked to have failed tasks as output. */
export function checkSucceeded(ctx: KlingItemContext, task: KlingTask, product: ProductId): void {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	if (task.status !== 'failed' || options.outputFailedTasks) return;
	const { failure } = PRODUCTS[product];
	throw new NodeOperationError(
		ctx.getNode(),
		`${failure}: ${task.statusMessage || 'the task failed without a reason'}`,
		{
			itemIndex: ctx.getItemIndex(),
			description: `Task ${task.taskId} ended "failed". Turn on "Output Failed Tasks" to pass failed tasks on instead of stopping.`,
		},
	);
}

/** waitUntilFinished for callers that hold items: by task id, answered as Kling's own task. */
export async function pollUntilFinished(
	ctx: KlingItemContext,
	tasksPath: string,
	taskId: string,
	settings: WaitSettings,
): Promise<INodeExecutionData[]> {
	const task = await waitUntilFinished(
		ctx,
		taskSourceOf(tasksPath),
		{ taskId, status: 'submitted' } as KlingTask,
		settings,
	);
	return [{ json: task.raw, pairedItem: { item: ctx.getItemIndex() } }];
}
