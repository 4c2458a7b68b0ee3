/**
 * P5: peak memory growth while a 200 MB result is downloaded. Each variant runs in a fresh
 * process of its own (started by run.ts) with n8n's binary data in filesystem mode.
 */
import '../test/harness/n8nEnvironment';

import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';

import type { IBinaryData } from 'n8n-workflow';

import { accessKeyCredentials } from '../test/harness/kling';
import { runNode } from '../test/harness/runWorkflow';
import { useFilesystemBinaryData } from '../test/harness/webhookHarness';
import { MemorySampler, type MemoryFigures } from './lib/memory';
import { PlainClient, streamTo } from './lib/plainClient';
import { nowMs } from './lib/stats';

export interface P5Input {
	/** Simulator with the big video. */
	url: string;
	/** Simulator with a small video, to warm the same code paths up first. */
	warmUrl: string;
	/** For the idle baseline: how long to sample. */
	idleMs?: number;
}

export interface P5Result {
	ms: number;
	bytes: number;
	memory: MemoryFigures;
	/** For the node: where n8n's binary store put the file, and its size there. */
	storedBytes?: number;
	binaryMode?: string;
}

async function videoUrlOf(baseUrl: string): Promise<{ taskId: string; url: string }> {
	const [task] = await new PlainClient(baseUrl).page(1, 1);
	const videos = (task.task_result as { videos: Array<{ url: string }> }).videos;
	return { taskId: task.task_id, url: videos[0].url };
}

export async function p5Idle(input: P5Input): Promise<P5Result> {
	// The same modules as the node variant, loaded and warmed, then nothing for a while.
	await useFilesystemBinaryData();
	await streamTo((await videoUrlOf(input.warmUrl)).url, createWriteStream('/dev/null'));
	const sampler = new MemorySampler().start();
	const start = nowMs();
	await new Promise((resolve) => setTimeout(resolve, input.idleMs ?? 2000));
	return { ms: nowMs() - start, bytes: 0, memory: sampler.stop() };
}

export async function p5Axios(input: P5Input): Promise<P5Result> {
	await streamTo((await videoUrlOf(input.warmUrl)).url, createWriteStream('/dev/null'));
	const { url } = await videoUrlOf(input.url);
	const sampler = new MemorySampler().start();
	const start = nowMs();
	const bytes = await streamTo(url, createWriteStream('/dev/null'));
	return { ms: nowMs() - start, bytes, memory: sampler.stop() };
}

export async function p5Node(input: P5Input): Promise<P5Result> {
	const service = await useFilesystemBinaryData();
	const run = async (baseUrl: string) => {
		const { taskId } = await videoUrlOf(baseUrl);
		const result = await runNode({
			parameters: { operation: 'get', taskId, downloadVideo: true },
			credentials: { klingApi: accessKeyCredentials(baseUrl) },
		});
		if (result.error) throw result.error;
		const binary = result.items[0]?.binary?.data as IBinaryData | undefined;
		if (!binary) throw new Error('no binary data');
		return binary;
	};
	await run(input.warmUrl);
	const sampler = new MemorySampler().start();
	const start = nowMs();
	const binary = await run(input.url);
	const ms = nowMs() - start;
	const memory = sampler.stop();
	const storedBytes = binary.id ? (await stat(service.getPath(binary.id))).size : undefined;
	return {
		ms,
		bytes: binary.bytes ?? 0,
		memory,
		storedBytes,
		binaryMode: binary.id ? binary.id.split(':')[0] : 'memory (base64 in the item)',
	};
}
