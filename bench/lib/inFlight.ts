import diagnostics from 'node:diagnostics_channel';

export interface InFlight {
	/** Most requests open at once. */
	peak: number;
	/** When the first request started, in ms after tracking began. */
	firstAtMs: number;
}

/**
 * Counts this process's open requests to the simulator through Node's http module, to show
 * the bound the node keeps (the peak number of requests in flight at once).
 */
export function trackInFlight(baseUrl: string): { stop: () => InFlight } {
	const { host } = new URL(baseUrl);
	const started = performance.now();
	let firstAtMs = NaN;
	let inFlight = 0;
	let peak = 0;
	const open = new WeakSet<object>();
	const onStart = (message: unknown) => {
		const request = (message as { request: { host?: string; getHeader(name: string): unknown } })
			.request;
		if (String(request.getHeader('host')) !== host) return;
		open.add(request);
		if (Number.isNaN(firstAtMs)) firstAtMs = performance.now() - started;
		inFlight++;
		if (inFlight > peak) peak = inFlight;
	};
	const onFinish = (message: unknown) => {
		const request = (message as { request: object }).request;
		if (!open.has(request)) return;
		open.delete(request);
		inFlight--;
	};
	diagnostics.subscribe('http.client.request.start', onStart);
	diagnostics.subscribe('http.client.response.finish', onFinish);
	return {
		stop: () => {
			diagnostics.unsubscribe('http.client.request.start', onStart);
			diagnostics.unsubscribe('http.client.response.finish', onFinish);
			return { peak, firstAtMs };
		},
	};
}
