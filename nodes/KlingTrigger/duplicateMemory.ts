/**
 * Which callbacks each trigger node has already turned into a run, so that a repeated
 * delivery (a retry, a replay) starts nothing.
 *
 * Why module memory and not workflow static data: n8n saves static data written in
 * `webhook()` only when the request starts no run; a run saves its own, older copy when it
 * ends and the change is lost (measured in a real n8n 2.41 by this package's queue suite). This memory lives as long as the n8n process that
 * receives the callbacks, so it holds in a regular n8n (one main process) and in-process
 * tests. It cannot hold across a restart of n8n, nor between several processes that share
 * the webhooks (queue mode with webhook processes, multi-main): each of them remembers only
 * what it received itself.
 *
 * Memory is bounded: at most MAX_KEYS_PER_NODE callbacks per node (the oldest are forgotten
 * first) and MAX_NODES nodes (the node heard from least recently is forgotten first).
 */
export const MAX_KEYS_PER_NODE = 10_000;
export const MAX_NODES = 100;

// Map and Set keep insertion order: the first entry is always the oldest.
const memories = new Map<string, Set<string>>();

export function memoryScope(workflowId: string | undefined, nodeId: string): string {
	return `${workflowId ?? '__UNSAVED__'}/${nodeId}`;
}

function oldest<T>(values: Iterable<T>): T | undefined {
	for (const value of values) return value;
	return undefined;
}

/**
 * Records the key for this node and tells whether it was there already. Checking and
 * recording happen in one synchronous step, so two identical callbacks arriving together
 * cannot both pass.
 */
export function seenBefore(scope: string, key: string): boolean {
	let memory = memories.get(scope);
	if (memory) {
		memories.delete(scope);
	} else {
		memory = new Set();
	}
	memories.set(scope, memory);
	if (memories.size > MAX_NODES) memories.delete(oldest(memories.keys()) as string);

	if (memory.has(key)) return true;
	memory.add(key);
	if (memory.size > MAX_KEYS_PER_NODE) memory.delete(oldest(memory) as string);
	return false;
}

export function forgetNode(scope: string): void {
	memories.delete(scope);
}

/** For tests and diagnostics: how many callbacks a node remembers. */
export function rememberedCount(scope: string): number {
	return memories.get(scope)?.size ?? 0;
}
