import type { SimulatorCore } from './core';
import { KlingError, success } from './errors';
import type { NewTask, TaskRecord } from './tasks';
import type { JsonAnswer } from './types';

/** External ids are unique per account across both generations; a repeat creates nothing. */
export function refuseTakenExternalId(
	core: SimulatorCore,
	account: string,
	externalId: string,
	generation: 'legacy' | 'current' = 'legacy',
): void {
	if (externalId === '' || !core.tasks.hasExternalId(account, externalId)) return;
	throw new KlingError(
		1201,
		generation === 'current'
			? `External_task_id '${externalId}' already exists`
			: `invalid parameter: external_task_id '${externalId}' already exists`,
	);
}

/** The account-wide checks every new task passes: concurrency, then the units it takes. */
export function startTask(core: SimulatorCore, units: number, task: NewTask): TaskRecord {
	if (core.tasks.activeCount(task.account) >= core.options.maxConcurrentTasks) {
		throw new KlingError(1303);
	}
	const refund = core.packs.take(task.account, units);
	return core.tasks.create({ ...task, units, refund });
}

/** The legacy answer to a create: the new task's id, status and external id. */
export function createdAnswer(task: TaskRecord): JsonAnswer {
	return success({
		task_id: task.id,
		task_status: task.status,
		task_info: { external_task_id: task.externalId },
		created_at: task.createdAt,
		updated_at: task.updatedAt,
	});
}
