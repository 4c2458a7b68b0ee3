/**
 * `npm run bench`: the performance figures of issue #6, each against a baseline measured in
 * the same run against the simulator. See bench/README.md.
 *
 *   npm run bench                      all benchmarks, full counts (about 3.5 minutes, 2 cores)
 *   npm run bench -- --quick           smaller counts, a smoke run (under a minute)
 *   npm run bench -- --only=p1,p5      some of p1, p1b, p2, p3, p5, p6
 *   npm run bench -- --latency=50      added latency for P1b, P2 and P1's latency run (ms)
 *   npm run bench -- --write           also put the output into bench/RESULTS.md
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describeMachine, machineLine } from './lib/machine';
import { MB, mb, type MemoryFigures } from './lib/memory';
import { BENCH_DIR, runWorker, SimProcess } from './lib/processes';
import { ms } from './lib/stats';
import type { P1Input, P1Result, Variant } from './p1';
import type { P1bInput, P1bResult } from './p1b';
import type { P2Input, P2Result } from './p2';
import type { P3Input, P3Result } from './p3';
import type { P5Input, P5Result } from './p5';
import type { P6Input, P6Result } from './p6';

interface Settings {
	p1Calls: number;
	p1Warmup: number;
	/** Calls of P1's second run, with latency added. */
	p1LatencyCalls: number;
	p1bItems: number;
	p1bConcurrencies: Array<number | null>;
	p2Tasks: number;
	p3: Omit<P3Input, 'tasks'> & { tasks: number };
	p5Bytes: number;
	p6: { pollTasks: number; getItems: number };
}

const FULL: Settings = {
	p1Calls: 1000,
	p1Warmup: 100,
	p1LatencyCalls: 200,
	p1bItems: 1000,
	p1bConcurrencies: [null, 4, 16],
	p2Tasks: 100_000,
	p3: {
		durationsMinutes: [1, 2, 4, 8],
		scale: 0.01,
		tasks: 8,
		firstPollSeconds: 3,
		maxPollSeconds: 30,
	},
	p5Bytes: 200 * MB,
	p6: { pollTasks: 20, getItems: 1000 },
};

const QUICK: Settings = {
	...FULL,
	p1Calls: 100,
	p1Warmup: 20,
	p1LatencyCalls: 20,
	p1bItems: 200,
	p1bConcurrencies: [null],
	p2Tasks: 20_000,
	p3: { ...FULL.p3, durationsMinutes: [1, 2], tasks: 4 },
	p5Bytes: 50 * MB,
	p6: { pollTasks: 20, getItems: 200 },
};

const BENCHMARKS = ['p1', 'p1b', 'p2', 'p3', 'p5', 'p6'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

interface Args {
	quick: boolean;
	write: boolean;
	latencyMs: number;
	only: Set<Benchmark>;
}

function parseArgs(argv: string[]): Args {
	const args: Args = { quick: false, write: false, latencyMs: 30, only: new Set(BENCHMARKS) };
	for (const arg of argv) {
		const [key, value] = arg.split('=');
		if (key === '--quick') args.quick = true;
		else if (key === '--write') args.write = true;
		else if (key === '--latency') args.latencyMs = Number(value);
		else if (key === '--only') {
			const wanted = value.split(',').map((name) => name.trim().toLowerCase());
			const unknown = wanted.filter((name) => !BENCHMARKS.includes(name as Benchmark));
			if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}`);
			args.only = new Set(wanted as Benchmark[]);
		} else throw new Error(`unknown argument ${arg} (see the top of bench/run.ts)`);
	}
	if (!Number.isFinite(args.latencyMs) || args.latencyMs < 0) throw new Error('bad --latency');
	return args;
}

const lines: string[] = [];

function say(line = ''): void {
	console.log(line);
	lines.push(line);
}

interface Goal {
	op: '<=' | '>=';
	value: number;
}

function verdict(value: number, goal: Goal): string {
	const met = goal.op === '<=' ? value <= goal.value : value >= goal.value;
	return met ? 'PASS' : 'MISS';
}

/** `P1 node/axios median ratio: 1.05x (goal <= 1.15x) PASS` */
function ratioFigure(label: string, ratio: number, goal?: Goal, note?: string): void {
	const goalText = goal ? ` (goal ${goal.op} ${goal.value}x) ${verdict(ratio, goal)}` : '';
	say(`${label}: ${ratio.toFixed(2)}x${goalText}${note ? `  [${note}]` : ''}`);
}

function detail(text: string): void {
	say(`    ${text}`);
}

function count(value: number): string {
	return value.toLocaleString('en-US');
}

/** Other work on the machine skews every figure: say how busy it was. */
function loadLine(atStart: boolean): string {
	const [oneMinute] = os.loadavg();
	if (!atStart) return `load average ${oneMinute.toFixed(2)} (this run included)`;
	const busy = oneMinute > os.cpus().length * 0.5;
	return `load average ${oneMinute.toFixed(2)}${busy ? ' (BUSY: other processes compete, figures are skewed)' : ''}`;
}

function gitDescription(): string {
	try {
		const git = (args: string[]) =>
			execFileSync('git', args, { cwd: BENCH_DIR, encoding: 'utf8' }).trim();
		const dirty = git(['status', '--porcelain', '--', '.', '../nodes', '../credentials']);
		return `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ' with uncommitted changes' : ''}`;
	} catch {
		return 'unknown';
	}
}

async function benchP1(settings: Settings, latencyMs: number): Promise<void> {
	const show = (result: P1Result, suffix: string, goal: Goal) => {
		const f = result.figures;
		const ratio = (a: Variant, b: Variant) => f[a].pairMs / f[b].pairMs;
		ratioFigure(`P1 node/axios median ratio${suffix}`, ratio('node', 'axios'), goal);
		ratioFigure(`P1 bare/axios median ratio${suffix}`, ratio('bare', 'axios'), undefined, 'engine');
		ratioFigure(`P1 node/bare median ratio${suffix}`, ratio('node', 'bare'), undefined, 'package');
		ratioFigure(
			`P1 axios-new-connection/axios median ratio${suffix}`,
			ratio('axiosFresh', 'axios'),
			undefined,
			'connection reuse',
		);
		const variants: Array<[Variant, string]> = [
			['axios', 'axios'],
			['axiosFresh', 'axios, new connection per request'],
			['bare', 'bare declarative node'],
			['node', 'Kling node'],
		];
		detail(
			`median per call, create + get (create / get), ${count(result.calls)} calls each, interleaved; ` +
				'CPU = time this process spent on the call (the simulator runs elsewhere):',
		);
		for (const [variant, name] of variants) {
			detail(
				`  ${name}: ${ms(f[variant].pairMs)} (${ms(f[variant].createMs)} / ${ms(f[variant].getMs)}), ` +
					`CPU ${ms(f[variant].pairCpuMs)}`,
			);
		}
	};
	const goal: Goal = { op: '<=', value: 1.15 };
	const plain = await runWorker<P1Result>('p1', {
		calls: settings.p1Calls,
		warmup: settings.p1Warmup,
		latencyMs: 0,
	} satisfies P1Input);
	show(plain, '', goal);
	if (latencyMs > 0 && settings.p1LatencyCalls > 0) {
		const remote = await runWorker<P1Result>('p1', {
			calls: settings.p1LatencyCalls,
			warmup: 10,
			latencyMs,
		} satisfies P1Input);
		show(remote, ` (+${latencyMs} ms latency)`, goal);
	}
}

async function benchP1b(settings: Settings, latencyMs: number): Promise<void> {
	const result = await runWorker<P1bResult>('p1b', {
		items: settings.p1bItems,
		latencyMs,
		concurrencies: settings.p1bConcurrencies,
	} satisfies P1bInput);
	const main = result.node[0];
	ratioFigure(
		`P1b axios-loop/node time ratio (node ${main.concurrency ?? 'default 8'} in flight)`,
		result.axiosMs / main.ms,
		{ op: '>=', value: 4 },
	);
	detail(
		`Get for ${count(result.items)} items in one execution, +${result.latencyMs} ms latency per answer:`,
	);
	detail(`  axios loop, one at a time: ${ms(result.axiosMs)}`);
	for (const run of result.node) {
		detail(
			`  node, Parallel Requests ${run.concurrency ?? 'default (8)'}: ${ms(run.ms)} ` +
				`(${(result.axiosMs / run.ms).toFixed(2)}x faster, at most ${run.peakInFlight} in flight, ` +
				`first request after ${ms(run.firstRequestMs)})`,
		);
	}
}

async function benchP2(settings: Settings, latencyMs: number): Promise<void> {
	const sim = await SimProcess.start({ timing: 'manual', recordRequests: false });
	try {
		await sim.seed(settings.p2Tasks);
		await sim.latency(latencyMs);
		const axios = await runWorker<P2Result>('p2-axios', { url: sim.url } satisfies P2Input);
		const node = await runWorker<P2Result>('p2-node', { url: sim.url } satisfies P2Input);
		ratioFigure('P2 node/axios time ratio', node.ms / axios.ms, { op: '<=', value: 0.5 });
		ratioFigure(
			'P2 node peak memory (RSS growth)/JSON size',
			node.memory.rssGrowth / node.jsonBytes,
			{
				op: '<=',
				value: 2,
			},
		);
		ratioFigure(
			'P2 node peak heap growth/JSON size',
			node.memory.heapGrowth / node.jsonBytes,
			undefined,
			'JS heap only',
		);
		const complete =
			node.tasks === settings.p2Tasks &&
			node.distinct === node.tasks &&
			node.orderHash === axios.orderHash &&
			axios.tasks === settings.p2Tasks;
		say(
			`P2 tasks out: ${count(node.tasks)}, distinct ${count(node.distinct)}, ` +
				`same order as the axios loop: ${node.orderHash === axios.orderHash ? 'yes' : 'NO'} ` +
				`${complete ? 'PASS' : 'MISS'}`,
		);
		detail(
			`Return All over ${count(settings.p2Tasks)} tasks (pages of 500), +${latencyMs} ms latency per answer; JSON of the tasks ${mb(node.jsonBytes)}:`,
		);
		const memory = (m: MemoryFigures, retained: number) =>
			`peak RSS +${mb(m.rssGrowth)} (${(m.rssGrowth / node.jsonBytes).toFixed(2)}x JSON), ` +
			`peak heap +${mb(m.heapGrowth)} (${(m.heapGrowth / node.jsonBytes).toFixed(2)}x), ` +
			`result after GC ${mb(retained)} (${(retained / node.jsonBytes).toFixed(2)}x)`;
		detail(
			`  axios, one page at a time: ${ms(axios.ms)} (CPU ${ms(axios.cpuMs)}), ${axios.peakInFlight} in flight; ${memory(axios.memory, axios.retainedHeap)}`,
		);
		detail(
			`  node, default Parallel Requests: ${ms(node.ms)} (CPU ${ms(node.cpuMs)}), ${node.peakInFlight} in flight; ${memory(node.memory, node.retainedHeap)}`,
		);
	} finally {
		await sim.stop();
	}
}

async function benchP3(settings: Settings): Promise<void> {
	const result = await runWorker<P3Result>('p3', settings.p3 satisfies P3Input);
	const p3 = settings.p3;
	say(
		`P3 requests per finished task (1 create + GETs); adaptive poll run on a clock scaled by ${result.scale} ` +
			`(${result.tasks} tasks each), fixed polling computed:`,
	);
	const header = [
		'task takes',
		`poll ${p3.firstPollSeconds}->${p3.maxPollSeconds} s (measured)`,
		'(computed)',
		'fixed 1 s',
		'fixed 3 s',
		'Callback (measured)',
		'Kling Trigger',
	];
	const rows = result.rows.map((row) => {
		const spread =
			row.pollGetsMin === row.pollGetsMax
				? ''
				: ` [${row.creates + row.pollGetsMin}-${row.creates + row.pollGetsMax}]`;
		return [
			`${row.minutes} min`,
			`${(row.creates + row.pollGetsMean).toFixed(1)}${spread}`,
			`${row.creates + row.pollGetsComputed}`,
			`${row.creates + row.fixed1s}`,
			`${row.creates + row.fixed3s}`,
			`${(row.creates + row.callbackGetsMean).toFixed(1)}${
				row.callbackGetsMin === row.callbackGetsMax
					? ''
					: ` [${row.creates + row.callbackGetsMin}-${row.creates + row.callbackGetsMax}]`
			}`,
			'1',
		];
	});
	const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i].length)));
	const format = (cells: string[]) =>
		`    | ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
	say(format(header));
	say(`    |${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
	for (const row of rows) say(format(row));
	detail(
		'Callback: the execution waits; each callback about a finished task reads Kling’s copy of it and of the ' +
			'run’s tasks not yet known finished, from the next one on, until one is unfinished; the one that finds ' +
			'all finished resumes it.',
	);
	detail(
		'Kling Trigger: Kling posts each status change to the trigger, so no GET at all; ' +
			'with "Confirm With Kling" on, +1 GET per callback of a selected status (default: succeed, failed).',
	);
}

async function benchP6(settings: Settings, latencyMs: number): Promise<void> {
	const result = await runWorker<P6Result>('p6', {
		...settings.p6,
		latencyMs,
	} satisfies P6Input);
	ratioFigure(
		`P6 poll: GET /tasks requests per round, ${result.pollTasks} tasks waiting together`,
		result.pollRequests / result.pollRounds,
		{ op: '<=', value: 1 },
	);
	detail(
		`  ${result.pollRequests} requests over ${result.pollRounds} rounds; one task a request would be ` +
			`${result.pollTasks * result.pollRounds} (${((result.pollTasks * result.pollRounds) / result.pollRequests).toFixed(1)}x more)`,
	);
	ratioFigure(
		`P6 Get Task, ${count(result.getItems)} items: axios-loop/node time ratio`,
		result.axiosMs / result.nodeMs,
		{ op: '>=', value: 15 },
	);
	ratioFigure(
		`P6 Get Task, ${count(result.getItems)} items: requests/(items/20)`,
		result.getRequests / Math.ceil(result.getItems / 20),
		{ op: '<=', value: 1 },
	);
	detail(
		`  +${result.latencyMs} ms latency per answer: axios one at a time ${ms(result.axiosMs)}, ` +
			`node ${ms(result.nodeMs)} in ${result.getRequests} requests of GET /tasks`,
	);
}

async function benchP5(settings: Settings): Promise<void> {
	const big = await SimProcess.start({
		timing: 'manual',
		recordRequests: false,
		videoBytes: settings.p5Bytes,
	});
	const small = await SimProcess.start({ timing: 'manual', recordRequests: false });
	try {
		await big.seed(1);
		await small.seed(1);
		const input: P5Input = { url: big.url, warmUrl: small.url, idleMs: 2000 };
		const env = { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' };
		const idle = await runWorker<P5Result>('p5-idle', input, env);
		const axios = await runWorker<P5Result>('p5-axios', input, env);
		const node = await runWorker<P5Result>('p5-node', input, env);
		const goalMb = 64;
		const growth = node.memory.rssGrowth / MB;
		say(
			`P5 node peak memory growth (RSS), ${mb(settings.p5Bytes)} download: ${growth.toFixed(1)} MB ` +
				`(goal <= ${goalMb} MB) ${growth <= goalMb ? 'PASS' : 'MISS'}`,
		);
		ratioFigure(
			'P5 node/axios-stream peak RSS growth ratio',
			node.memory.rssGrowth / Math.max(axios.memory.rssGrowth, 1),
		);
		const correct = node.bytes === settings.p5Bytes && node.storedBytes === settings.p5Bytes;
		detail(
			`binary data mode ${node.binaryMode}, ${count(node.storedBytes ?? 0)} bytes on disk ` +
				`(${correct ? 'complete' : 'INCOMPLETE'}); peak heap growth +${mb(node.memory.heapGrowth)}`,
		);
		detail(`  same process idle for ${ms(idle.ms)}: RSS +${mb(idle.memory.rssGrowth)}`);
		detail(
			`  axios stream to /dev/null: RSS +${mb(axios.memory.rssGrowth)}, ${ms(axios.ms)} ` +
				`(${((axios.bytes / MB / axios.ms) * 1000).toFixed(0)} MB/s)`,
		);
		detail(
			`  node Get + Download Video into n8n's binary store: RSS +${mb(node.memory.rssGrowth)}, ` +
				`${ms(node.ms)} (${((node.bytes / MB / node.ms) * 1000).toFixed(0)} MB/s)`,
		);
	} finally {
		await Promise.all([big.stop(), small.stop()]);
	}
}

function writeResults(): void {
	const file = path.join(BENCH_DIR, 'RESULTS.md');
	const text = readFileSync(file, 'utf8');
	const begin = '<!-- bench:output:begin -->';
	const end = '<!-- bench:output:end -->';
	const from = text.indexOf(begin);
	const to = text.indexOf(end);
	if (from < 0 || to < from) throw new Error(`RESULTS.md has no ${begin} … ${end} block`);
	const block = `${begin}\n\n\`\`\`text\n${lines.join('\n')}\n\`\`\`\n\n`;
	writeFileSync(file, text.slice(0, from) + block + text.slice(to));
	console.log(`\nwrote the output into ${path.relative(process.cwd(), file)}`);
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const settings = args.quick ? QUICK : FULL;
	const started = Date.now();
	say(`Machine: ${machineLine(describeMachine())}; ${loadLine(true)}`);
	say(
		`Run: ${new Date().toISOString()}, commit ${gitDescription()}, ${args.quick ? 'QUICK counts (smoke run, not for figures)' : 'full counts'}`,
	);
	say(
		`Simulator: its own process on 127.0.0.1; every measurement in a fresh process; ` +
			`latency added to each API answer where stated (${args.latencyMs} ms, simulator 'delay' fault), ` +
			`the baseline with the same latency.`,
	);
	say();
	const steps: Array<[Benchmark, () => Promise<void>]> = [
		['p1', () => benchP1(settings, args.latencyMs)],
		['p1b', () => benchP1b(settings, args.latencyMs)],
		['p6', () => benchP6(settings, args.latencyMs)],
		['p2', () => benchP2(settings, args.latencyMs)],
		['p3', () => benchP3(settings)],
		['p5', () => benchP5(settings)],
	];
	for (const [name, step] of steps) {
		if (!args.only.has(name)) continue;
		const stepStarted = Date.now();
		await step();
		console.log(`    (${name}: ${((Date.now() - stepStarted) / 1000).toFixed(0)} s)`);
		say();
	}
	say(`Total: ${((Date.now() - started) / 1000).toFixed(0)} s; at the end ${loadLine(false)}`);
	if (args.write) writeResults();
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		console.error(error);
		process.exit(1);
	},
);
