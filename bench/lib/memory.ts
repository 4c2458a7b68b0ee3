/** Peak memory of this process while something runs, sampled on a short timer. */
export interface MemoryFigures {
	/** Before the run, after a full GC. */
	baseRss: number;
	baseHeapUsed: number;
	/** Highest values seen while the run went on. */
	peakRss: number;
	peakHeapUsed: number;
	/** Peaks minus bases. */
	rssGrowth: number;
	heapGrowth: number;
	samples: number;
}

export function collectGarbage(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with node --expose-gc');
	gc();
	gc();
}

export class MemorySampler {
	private timer: NodeJS.Timeout | undefined;

	private figures: MemoryFigures;

	constructor(private readonly intervalMs = 2) {
		collectGarbage();
		const { rss, heapUsed } = process.memoryUsage();
		this.figures = {
			baseRss: rss,
			baseHeapUsed: heapUsed,
			peakRss: rss,
			peakHeapUsed: heapUsed,
			rssGrowth: 0,
			heapGrowth: 0,
			samples: 0,
		};
	}

	start(): this {
		this.timer = setInterval(() => this.sample(), this.intervalMs);
		return this;
	}

	sample(): void {
		const { rss, heapUsed } = process.memoryUsage();
		const figures = this.figures;
		figures.samples++;
		if (rss > figures.peakRss) figures.peakRss = rss;
		if (heapUsed > figures.peakHeapUsed) figures.peakHeapUsed = heapUsed;
	}

	stop(): MemoryFigures {
		if (this.timer) clearInterval(this.timer);
		this.sample();
		const figures = this.figures;
		figures.rssGrowth = figures.peakRss - figures.baseRss;
		figures.heapGrowth = figures.peakHeapUsed - figures.baseHeapUsed;
		return { ...figures };
	}
}

export const MB = 1024 * 1024;

export function mb(bytes: number): string {
	return `${(bytes / MB).toFixed(1)} MB`;
}
