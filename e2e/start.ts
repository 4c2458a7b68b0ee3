/**
 * `npm start`: builds the package, starts the Kling simulator and a real n8n (pinned 2.x) with the
 * built package installed, a Kling API credential pointing at the simulator, the examples imported
 * and the trigger workflow active; prints what to open and click; Ctrl-C stops everything.
 *
 * With a real Kling API key in the environment (KLING_API_KEY; an access key + secret key in
 * KLING_ACCESS_KEY + KLING_SECRET_KEY only reaches Kling's legacy API, not its current models),
 * the credential points at Kling's API instead and no simulator starts. See e2e/README.md.
 */
import path from 'node:path';

import { KlingSimulator } from '../simulator';
import { demoChatScript } from './lib/agentWorkflows';
import { ScriptedChatModel } from './lib/chatModel';
import { EXAMPLE_CREDENTIAL, simulatorCredential } from './lib/examples';
import type { N8n } from './lib/n8n';
import { freePort, portIsFree } from './lib/ports';
import { DATA_DIR, N8N_VERSION, buildPackage, ensureN8nInstalled } from './lib/runtime';
import type { KlingCredential, Stack } from './lib/stack';
import { startStack } from './lib/stack';

/** Signs the simulator's callbacks (Kling's own documented test secret, not a real one). */
const DEMO_WEBHOOK_SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';

const USER_FOLDER = path.join(DATA_DIR, 'start');

function say(line = ''): void {
	console.log(line ? `[start] ${line}` : '');
}

function env(name: string): string | undefined {
	const value = process.env[name]?.trim();
	return value ? value : undefined;
}

function integerEnv(name: string, fallback: number): number {
	const raw = env(name);
	if (raw === undefined) return fallback;
	if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a number, got '${raw}'`);
	return Number(raw);
}

/**
 * The credential for Kling's real API from the environment, or undefined (simulator). An API key
 * comes first: Kling's current models (example 5) take nothing else.
 */
function realCredential(): KlingCredential | undefined {
	const accessKey = env('KLING_ACCESS_KEY');
	const secretKey = env('KLING_SECRET_KEY');
	const apiKey = env('KLING_API_KEY');
	if (!apiKey && !(accessKey && secretKey)) {
		if (accessKey || secretKey) {
			throw new Error('KLING_ACCESS_KEY and KLING_SECRET_KEY go together (or set KLING_API_KEY)');
		}
		return undefined;
	}
	const baseUrl = env('KLING_BASE_URL');
	const region = baseUrl ? 'custom' : (env('KLING_REGION') ?? 'global');
	if (!['global', 'china', 'custom'].includes(region)) {
		throw new Error(
			`KLING_REGION must be global or china (or set KLING_BASE_URL), got '${region}'`,
		);
	}
	const data: Record<string, string> = apiKey
		? { authentication: 'apiKey', apiKey }
		: { authentication: 'accessKey', accessKey: accessKey ?? '', secretKey: secretKey ?? '' };
	data.region = region;
	if (baseUrl) data.baseUrl = baseUrl;
	const webhookSecret = env('KLING_WEBHOOK_SECRET');
	if (webhookSecret) data.webhookSecret = webhookSecret;
	return { ...EXAMPLE_CREDENTIAL, data };
}

async function main(): Promise<void> {
	const real = realCredential();
	const n8nPort = integerEnv('N8N_PORT', 5678);
	const webhookUrl = env('N8N_WEBHOOK_URL') ?? env('WEBHOOK_URL');

	if (!(await portIsFree(n8nPort))) {
		throw new Error(
			`port ${n8nPort} is taken (another n8n, or an earlier npm start still running?): stop it, or set N8N_PORT`,
		);
	}

	ensureN8nInstalled();
	say('building the package (npm run build)');
	buildPackage();

	let simulator: KlingSimulator | undefined;
	let chatModel: ScriptedChatModel | undefined;
	let n8n: N8n | undefined;
	let stopping: Promise<void> | undefined;
	const shutdown = (reason: string, code: number): Promise<void> => {
		stopping ??= (async () => {
			say(`${reason}: stopping n8n and the simulator`);
			await n8n?.stop();
			await simulator?.stop();
			await chatModel?.stop();
			say('stopped');
			process.exit(code);
		})();
		return stopping;
	};
	process.on('SIGINT', () => void shutdown('SIGINT', 0));
	process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

	try {
		let credential: KlingCredential;
		let simulatorUrl: string | undefined;
		if (real) {
			credential = real;
			say(
				`real Kling API (${real.data.region === 'custom' ? real.data.baseUrl : `region ${real.data.region}`}), keys from the environment`,
			);
		} else {
			const wanted = integerEnv('KLING_SIM_PORT', 4010);
			simulator = new KlingSimulator({
				port: (await portIsFree(wanted)) ? wanted : 0,
				host: '127.0.0.1',
				webhookSecrets: [DEMO_WEBHOOK_SECRET],
				timing: {
					submittedMs: integerEnv('KLING_SIM_SUBMITTED_MS', 1000),
					processingMs: integerEnv('KLING_SIM_PROCESSING_MS', 4000),
				},
				log: (line) => console.log(`[kling-sim] ${line}`),
			});
			simulatorUrl = await simulator.start();
			say(`Kling simulator on ${simulatorUrl}`);
			credential = simulatorCredential(simulatorUrl, DEMO_WEBHOOK_SECRET);
		}

		// Example 6's chat model: a scripted stand-in for OpenAI, so that no account is needed.
		chatModel = new ScriptedChatModel();
		chatModel.use(demoChatScript());
		const chatModelUrl = await chatModel.start();
		say(`scripted chat model (OpenAI-compatible) on ${chatModelUrl}`);

		const stack: Stack = await startStack({
			userFolder: USER_FOLDER,
			port: n8nPort,
			brokerPort: await freePort(),
			listenAddress: '127.0.0.1',
			host: 'localhost',
			webhookUrl,
			logFormat: 'text',
			logLevel: 'info',
			echo: '[n8n] ',
			inheritN8nEnv: true,
			credential,
			extraCredentials: [
				{
					id: 'openAiScriptedChat',
					name: 'Scripted chat model (npm start)',
					type: 'openAiApi',
					data: { apiKey: 'sk-scripted-chat-model', url: chatModelUrl },
				},
			],
			simulatorUrl,
			videoId: real ? env('KLING_VIDEO_ID') : undefined,
			log: say,
			onN8n: (instance) => (n8n = instance),
		});
		printGuide(stack, real);
		void stack.n8n.whenExited().then((code) => shutdown(`n8n exited (code ${code})`, code ? 1 : 0));
	} catch (error) {
		console.error(`[start] ${(error as Error).message}`);
		await shutdown('error', 1);
	}
}

function printGuide(stack: Stack, realKeys: KlingCredential | undefined): void {
	const real = realKeys !== undefined;
	const { n8n, pkg, imported, skipped, triggers } = stack;
	const byId = (id: string) => imported.find((workflow) => workflow.id === id);
	const create = byId('klingExtendVideo');
	const result = byId('klingVideoResult');
	const failed = byId('klingFailedTasks');
	const wait = byId('klingExtendAndWait');
	const fromPrompt = byId('klingPromptToMultiShotVideo');
	const chatToVideo = byId('klingChatToVideo');
	const videoThenEdit = byId('klingVideoThenEdit');
	const dance = byId('klingMotionControlDance');
	const talking = byId('klingScriptToTalkingVideo');
	const lines = [
		'',
		'──────────────────────────────────────────────────────────────────────────────',
		`n8n ${N8N_VERSION} is running with ${pkg.name} ${pkg.version} (${real ? "Kling's real API" : 'the Kling simulator'}).`,
		'',
		`  Editor: ${n8n.url}`,
		'          First visit: n8n asks for an owner account (stored in .n8n-data/start/ only).',
		'',
	];
	let step = 1;
	if (fromPrompt) {
		lines.push(
			`  ${step++}. Start here: open "${fromPrompt.name}"`,
			'     and click "Execute workflow". Kling Video asks Kling 3.0 for a 15 s video',
			'     in three shots with sound and polls until it is ready: the video is in the',
			'     Binary tab of "Text to Video".',
		);
		if (real) lines.push('     On Kling it costs 13.5 units (15 s at 720p with sound).');
		if (realKeys && realKeys.data.authentication !== 'apiKey') {
			lines.push(
				'  ! Kling 3.0 takes API keys only: set KLING_API_KEY (Kling console, API keys)',
				'    for this example; the access key + secret key reach only the extension examples.',
			);
		}
	}
	if (chatToVideo) {
		lines.push(
			`  ${step++}. Open "${chatToVideo.name}", click "Open chat" and type what the`,
			'     video should show. The AI Agent calls Kling Video as a tool and answers with the',
			"     video's URL. Its chat model is a scripted stand-in for OpenAI (it always calls",
			'     Kling Video with your message): pick your own OpenAI credential to chat for real.',
		);
	}
	// What each costs on Kling (CURRENT-GENERATION.md §7 video prices, RESOURCES.md for speech and
	// Avatar), for the lengths the examples ask for; Kling bills the output's length.
	if (videoThenEdit) {
		lines.push(
			`  ${step++}. Open "${videoThenEdit.name}" and click "Execute workflow": Kling 3.0`,
			'     makes a 5 s clip of a car, Omni (kling-3.0-omni) edits that clip by its URL to',
			'     make the car red (Binary tab of "Make the car red"), and "Total cost" sums what',
			'     both tasks cost (sum_cost_amount per cost_unit).',
		);
		if (real) {
			lines.push(
				'     On Kling: about 7.5 units (5 s silent at 720p, 3; editing 5 s at 720p, 4.5).',
			);
		}
	}
	if (dance) {
		lines.push(
			`  ${step++}. Open "${dance.name}" and click "Execute workflow": the character of`,
			'     the image dances like the 12 s motion video (Motion Control on kling-3.0).',
		);
		if (real) {
			lines.push(
				'     On Kling: 10.8 units (12 s at 720p, 0.9 a second). Put your own image URL and a',
				'     public URL of a dance video in it first: the sample URLs are the simulator’s.',
			);
		}
	}
	if (talking) {
		lines.push(
			`  ${step++}. Open "${talking.name}" and click "Execute workflow": Text to Speech`,
			'     reads the script, Avatar makes the face say it (a video as long as the speech).',
		);
		if (real) {
			lines.push(
				'     On Kling: about 2.85 units (speech 0.05; Avatar std 0.4 a whole second, about 7 s).',
				'     Put a public URL of a face image in "Talking video" first.',
			);
		}
	}
	if (create) {
		lines.push(
			`  ${step++}. Open "${create.name}" and click "Execute workflow".`,
			real
				? '     It asks Kling to extend KLING_VIDEO_ID, with the Kling Trigger as callback URL.'
				: '     The simulator starts extending sim-video-5s and posts each status to the Kling Trigger.',
		);
	}
	if (result) {
		lines.push(
			`  ${step++}. Open "${result.name}" (published) and its Executions tab: a few seconds`,
			'     later a run shows the finished task; in "Get the finished task", the Binary tab',
			'     holds the extended video.',
		);
	}
	if (failed) {
		lines.push(
			`  ${step++}. Open "${failed.name}" and click "Execute workflow": the failed tasks.`,
			real ? '' : '     Put "simulate-failure" in the prompt of example 1 to make one fail.',
		);
	}
	if (wait) {
		lines.push(
			`  ${step++}. Open "${wait.name}" and click "Execute workflow":`,
			'     the execution waits for Kling to call back, then "Extend and wait" shows the',
			'     finished task, with the video in its Binary tab.',
		);
	}
	for (const trigger of triggers) {
		lines.push(`  Kling Trigger (production URL): ${trigger.url}`);
	}
	if (real && !process.env.N8N_WEBHOOK_URL && !process.env.WEBHOOK_URL && triggers.length > 0) {
		lines.push(
			'  ! Kling cannot reach localhost: set N8N_WEBHOOK_URL to a public address of this n8n',
			'    (a tunnel) so that callbacks arrive at the Kling Trigger and at waiting executions.',
		);
	}
	if (real && !env('KLING_VIDEO_ID') && create) {
		lines.push('  ! Set KLING_VIDEO_ID to one of your Kling videos for example 1.');
	}
	for (const { file, reason } of skipped)
		lines.push(`  (not imported: examples/${file}, ${reason})`);
	lines.push(
		'',
		`  n8n's data and log: ${path.relative(process.cwd(), n8n.options.userFolder) || '.'}/  ·  Stop: Ctrl-C`,
		'──────────────────────────────────────────────────────────────────────────────',
		'',
	);
	console.log(lines.filter((line, index, all) => line !== '' || all[index - 1] !== '').join('\n'));
}

main().catch((error: Error) => {
	console.error(`[start] ${error.message}`);
	process.exit(1);
});
