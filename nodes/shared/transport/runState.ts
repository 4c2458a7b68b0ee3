import type { KlingItemContext } from './itemContext';

/**
 * State shared by the items of one node run (an execution of the node, or a callback to its
 * waiting execution): the request limiter, the batched task reads, the poller, the run's
 * reference for external ids, the pace of /account/costs. Each is kept under the run's execute
 * data (the same object for every item of the run) and goes away with it.
 *
 * `perRun(create)` gives a function that answers the run's own state, made on first use.
 */
export function perRun<T>(create: (ctx: KlingItemContext) => T): (ctx: KlingItemContext) => T {
	const states = new WeakMap<object, T>();
	return (ctx) => {
		const key = ctx.getExecuteData() as object;
		if (!states.has(key)) states.set(key, create(ctx));
		return states.get(key)!;
	};
}
