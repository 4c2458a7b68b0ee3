import { randomBytes } from 'node:crypto';

import type { KlingItemContext } from '../transport/itemContext';
import { perRun } from '../transport/runState';

/**
 * A short random reference shared by all items of one node run (keyed by the run's execute
 * data, like the transport's limiter). External task ids made from it are unique across n8n
 * instances and executions, and all of one run's ids can be rebuilt from it and the item count.
 */
export const runRefOf = perRun(() => randomBytes(4).toString('hex'));

/** All external ids of one run are this prefix, a dash and the item index. */
export function externalTaskIdPrefix(executionId: string, runRef: string) {
	return `n8n-${executionId}-${runRef}`;
}

export function generatedExternalTaskId(executionId: string, runRef: string, itemIndex: number) {
	return `${externalTaskIdPrefix(executionId, runRef)}-${itemIndex}`;
}

export function executionIdOf(ctx: KlingItemContext): string {
	const id = ctx.getExecutionId();
	return id === undefined || id === null || id === '' ? 'manual' : String(id);
}
