import { rmSync } from 'node:fs';
import path from 'node:path';

import { KlingSimulator } from '../../simulator';
import { loadExamples, simulatorCredential } from '../../e2e/lib/examples';
import type { Workflow } from '../../e2e/lib/examples';
import type { N8n } from '../../e2e/lib/n8n';
import { freePort } from '../../e2e/lib/ports';
import { DATA_DIR, buildPackage, ensureN8nInstalled } from '../../e2e/lib/runtime';
import type { Stack } from '../../e2e/lib/stack';
import { startStack } from '../../e2e/lib/stack';
import { sampleVideo } from './tools';
import { VideoServer } from './videoServer';

/** Signs the simulator's callbacks (Kling's documented test secret, as npm start uses). */
export const WEBHOOK_SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';

export const USER_FOLDER = path.join(DATA_DIR, 'ui');

/** Example 5, and a copy of it whose Kling Video node the field checks may change. */
export const EXAMPLE_5 = 'klingPromptToMultiShotVideo';
export const EXAMPLE_5_COPY = 'klingUiVideoFields';

/**
 * A copy of example 5 under another id: n8n's editor saves a workflow's changes by itself, so
 * the checks that change fields do it there and example 5 stays as users get it.
 */
function example5Copy(): Workflow {
	const example = loadExamples().find(({ workflow }) => workflow.id === EXAMPLE_5);
	if (!example) throw new Error(`examples/ has no workflow ${EXAMPLE_5}`);
	return { ...example.workflow, id: EXAMPLE_5_COPY, name: 'ui: Kling Video fields' };
}

export interface UiStack {
	stack: Stack;
	simulator: KlingSimulator;
	videos: VideoServer;
	n8n: N8n;
	stop(): Promise<void>;
}

/**
 * What `npm start` runs, on free loopback ports and a fresh n8n data folder: the built package in
 * a real n8n, the examples and their credential, the simulator, and the published trigger. Its
 * result videos come from a VideoServer with a real MP4.
 */
export async function startUiStack(log: (line: string) => void): Promise<UiStack> {
	ensureN8nInstalled();
	log('building the package');
	buildPackage();
	rmSync(USER_FOLDER, { recursive: true, force: true });

	const videos = new VideoServer(sampleVideo(path.join(DATA_DIR, 'ui-video')));
	const videoUrl = await videos.start();
	const simulator = new KlingSimulator({
		host: '127.0.0.1',
		webhookSecrets: [WEBHOOK_SECRET],
		publicUrl: videoUrl,
		timing: { submittedMs: 1000, processingMs: 4000 },
	});
	let n8n: N8n | undefined;
	const stop = async () => {
		await n8n?.stop();
		await simulator.stop().catch(() => undefined);
		await videos.stop();
	};
	try {
		const simulatorUrl = await simulator.start();
		const stack = await startStack({
			userFolder: USER_FOLDER,
			port: await freePort(),
			brokerPort: await freePort(),
			listenAddress: '127.0.0.1',
			host: '127.0.0.1',
			logFormat: 'text',
			logLevel: 'info',
			credential: simulatorCredential(simulatorUrl, WEBHOOK_SECRET),
			extraWorkflows: [example5Copy()],
			log,
			onN8n: (instance) => (n8n = instance),
		});
		return { stack, simulator, videos, n8n: stack.n8n, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
