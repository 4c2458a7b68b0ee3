/**
 * P1: one create and one get, one at a time, through the node (n8n-core's WorkflowExecute),
 * through a bare declarative node (the engine alone), and with axios directly.
 */
import '../test/harness/n8nEnvironment';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { accessKeyCredentials } from '../test/harness/kling';
import { runNode, type NodeRunResult } from '../test/harness/runWorkflow';
import { BARE_NODE_TYPE, registerBareNode } from './lib/bareNode';
import { PlainClient } from './lib/plainClient';
import { SimProcess } from './lib/processes';
import { median, nowMs } from './lib/stats';

export interface P1Input {
	calls: number;
	warmup: number;
	latencyMs: number;
}

/** axiosFresh: axios with a new connection per request, as n8n's request helper does. */
export type Variant = 'axios' | 'axiosFresh' | 'node' | 'bare';

export interface VariantFigures {
	createMs: number;
	getMs: number;
	/** Median over calls of create + get. */
	pairMs: number;
	/** Median CPU time (user + system) of this process per create + get: the client's own work. */
	pairCpuMs: number;
}

export interface P1Result {
	calls: number;
	latencyMs: number;
	figures: Record<Variant, VariantFigures>;
}

const VARIANTS: Variant[] = ['axios', 'axiosFresh', 'node', 'bare'];

function firstJson(result: NodeRunResult): Record<string, unknown> {
	if (result.error) throw result.error;
	const json = result.items[0]?.json as Record<string, unknown> | undefined;
	if (!json) throw new Error('the node returned no item');
	return json;
}

export async function p1(input: P1Input): Promise<P1Result> {
	const sim = await SimProcess.start({ timing: 'manual', recordRequests: false });
	try {
		await sim.latency(input.latencyMs);
		const credentials: Record<string, ICredentialDataDecryptedObject> = {
			klingApi: accessKeyCredentials(sim.url),
		};
		registerBareNode();
		let serial = 0;
		const axiosPair = (plain: PlainClient) => async (): Promise<[number, number]> => {
			const start = nowMs();
			const task = await plain.create('sim-video-5s', `bench-axios-${serial++}`);
			const created = nowMs();
			const read = await plain.get(task.task_id);
			if (read.task_id !== task.task_id) throw new Error('axios: wrong task');
			return [created - start, nowMs() - created];
		};

		const pair: Record<Variant, () => Promise<[number, number]>> = {
			axios: axiosPair(new PlainClient(sim.url)),
			axiosFresh: axiosPair(new PlainClient(sim.url, true)),
			node: async () => {
				const start = nowMs();
				const task = firstJson(
					await runNode({
						parameters: { operation: 'create', videoId: 'sim-video-5s', prompt: 'bench' },
						credentials,
					}),
				);
				const created = nowMs();
				const read = firstJson(
					await runNode({
						parameters: { operation: 'get', taskId: String(task.task_id) },
						credentials,
					}),
				);
				if (read.task_id !== task.task_id) throw new Error('node: wrong task');
				return [created - start, nowMs() - created];
			},
			bare: async () => {
				const start = nowMs();
				const created = firstJson(
					await runNode({
						nodeType: BARE_NODE_TYPE,
						parameters: {
							operation: 'create',
							videoId: 'sim-video-5s',
							prompt: 'bench',
							externalTaskId: `bench-bare-${serial++}`,
						},
						credentials,
					}),
				) as { data: { task_id: string } };
				const createdAt = nowMs();
				const read = firstJson(
					await runNode({
						nodeType: BARE_NODE_TYPE,
						parameters: { operation: 'get', taskId: created.data.task_id },
						credentials,
					}),
				) as { data: { task_id: string } };
				if (read.data.task_id !== created.data.task_id) throw new Error('bare: wrong task');
				return [createdAt - start, nowMs() - createdAt];
			},
		};

		const samples = {} as Record<
			Variant,
			{ create: number[]; get: number[]; pair: number[]; cpu: number[] }
		>;
		for (const variant of VARIANTS) samples[variant] = { create: [], get: [], pair: [], cpu: [] };
		for (let call = 0; call < input.warmup + input.calls; call++) {
			// Rotate the order so that no variant always runs first (or after a GC of another's).
			for (let k = 0; k < VARIANTS.length; k++) {
				const variant = VARIANTS[(call + k) % VARIANTS.length];
				const cpuBefore = process.cpuUsage();
				const [createMs, getMs] = await pair[variant]();
				const cpu = process.cpuUsage(cpuBefore);
				if (call < input.warmup) continue;
				samples[variant].cpu.push((cpu.user + cpu.system) / 1000);
				samples[variant].create.push(createMs);
				samples[variant].get.push(getMs);
				samples[variant].pair.push(createMs + getMs);
			}
		}
		const figures = {} as Record<Variant, VariantFigures>;
		for (const variant of VARIANTS) {
			figures[variant] = {
				createMs: median(samples[variant].create),
				getMs: median(samples[variant].get),
				pairMs: median(samples[variant].pair),
				pairCpuMs: median(samples[variant].cpu),
			};
		}
		return { calls: input.calls, latencyMs: input.latencyMs, figures };
	} finally {
		await sim.stop();
	}
}
