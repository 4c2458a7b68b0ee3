import type { KlingTask } from '../kling/task';

/**
 * What this n8n process has learnt about the runs that wait for Kling's callbacks: the tasks
 * already read as finished (callbacks need not read them again), and whether a callback has
 * already handed the run back to n8n. Tasks that finish together send their callbacks together;
 * each of them could otherwise find the whole run finished and resume the execution a second
 * time, running the rest of the workflow twice.
 *
 * Like the trigger's duplicate memory it lives in the n8n process: it holds in a regular n8n (one
 * main process), not across a restart (the callbacks then read Kling again, which is only
 * slower) nor between several webhook processes. At most MAX_RUNS runs are kept, the one heard
 * from least recently is forgotten first.
 */
export const MAX_RUNS = 200;

export interface WaitingRun {
	/** Finished tasks by item index; null for an item that has no task (its create failed). */
	readonly finished: Map<number, KlingTask | null>;
	resumed: boolean;
}

// A Map keeps insertion order: the first entry is the oldest.
const runs = new Map<string, WaitingRun>();

/** The memory of the run whose tasks' external ids start with this prefix. */
export function waitingRun(idPrefix: string): WaitingRun {
	let run = runs.get(idPrefix);
	if (run) {
		runs.delete(idPrefix);
	} else {
		run = { finished: new Map(), resumed: false };
	}
	runs.set(idPrefix, run);
	if (runs.size > MAX_RUNS) runs.delete(runs.keys().next().value as string);
	return run;
}
