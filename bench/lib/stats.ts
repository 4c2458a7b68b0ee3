export function median(values: number[]): number {
	return quantile(values, 0.5);
}

export function quantile(values: number[], q: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const position = (sorted.length - 1) * q;
	const low = Math.floor(position);
	const high = Math.ceil(position);
	return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/** Milliseconds since an origin, with sub-millisecond precision. */
export function nowMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const start = nowMs();
	const value = await work();
	return { ms: nowMs() - start, value };
}

export function ms(value: number): string {
	return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}
