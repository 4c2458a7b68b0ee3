import {
	CURRENT_MODELS,
	MOTION_MODELS,
	OMNI_MODELS,
	PRESET_ELEMENTS,
	PRESET_VOICES,
	SAMPLE_MEDIA,
	DEFAULT_ACCOUNT,
	DEFAULT_DISCONTINUED_MODELS,
	DEFAULT_TIMING,
	EXTENDABLE_VIDEO_IDS,
	KlingSimulator,
	LEGACY_MODELS,
	SAMPLE_VIDEOS,
	SEEDED_AUDIOS,
	SOURCE_VIDEOS,
	TTS_VOICES,
	defaultResourcePacks,
} from './index';
import type { SimulatorOptions, SucceedStatus } from './index';

const HELP = `Kling simulator: a local imitation of Kling AI's video API as it is today: the current
generation (POST /text-to-video/{model}, /image-to-video/{model}, /omni-video/{model},
/motion-control/{model}, GET and POST /tasks; API key only) and the legacy /v1 one
(video-extend, text2video, image2video, custom elements and voices), and GET /account/costs.

Usage: npm run simulator -- [options]

Options (environment variable in brackets; flags win):
  --port <n>              port to listen on, 0 = any free one  [KLING_SIM_PORT]     default 4010
  --host <addr>           address to listen on                 [KLING_SIM_HOST]     default 127.0.0.1
  --access-key <key>      access key of the account            [KLING_SIM_ACCESS_KEY]
  --secret-key <key>      secret key that signs its JWTs       [KLING_SIM_SECRET_KEY]
  --api-key <key>         API key usable as the bearer token   [KLING_SIM_API_KEY]
  --webhook-secret <s>    whsec_… secret that signs callbacks; repeat to simulate a rotation
                                                               [KLING_SIM_WEBHOOK_SECRET, space or comma separated]
  --submitted-ms <n>      time a task stays submitted          [KLING_SIM_SUBMITTED_MS]  default ${DEFAULT_TIMING.submittedMs}
  --processing-ms <n>     time a task stays processing         [KLING_SIM_PROCESSING_MS] default ${DEFAULT_TIMING.processingMs}
  --manual                tasks move only via POST /__sim/tasks/<id>/advance
  --public-url <url>      base of result video URLs            [KLING_SIM_PUBLIC_URL] default the server's URL
  --video-bytes <n>       size of each served mp4              [KLING_SIM_VIDEO_BYTES] default 65536
  --max-concurrent <n>    per-account limit of running tasks (over it: 1303)  [KLING_SIM_MAX_CONCURRENT]
  --discontinued-models <list>  legacy model_names refused as discontinued (404/1203), comma
                          separated, or 'none' to serve them all as before Kling retired them
                                                               [KLING_SIM_DISCONTINUED_MODELS] default ${DEFAULT_DISCONTINUED_MODELS.join(',')}
  --succeed-status <s>    how a successful task's status is spelled: succeed (legacy /v1) or
                          succeeded (Kling's newer API)        [KLING_SIM_SUCCEED_STATUS] default succeed
  --pack-units <n>        units of the online video resource pack (0: every task answers 1102)
                                                               [KLING_SIM_PACK_UNITS] default 1000000
  -h, --help              show this help
`;

type Flags = Map<string, string[]>;

const VALUE_FLAGS = new Set([
	'port',
	'host',
	'access-key',
	'secret-key',
	'api-key',
	'webhook-secret',
	'submitted-ms',
	'processing-ms',
	'public-url',
	'video-bytes',
	'max-concurrent',
	'discontinued-models',
	'pack-units',
	'succeed-status',
]);
const SWITCHES = new Set(['manual', 'help']);

function parseFlags(argv: string[]): Flags {
	const flags: Flags = new Map();
	for (let i = 0; i < argv.length; i += 1) {
		const arg = argv[i];
		if (arg === '-h') {
			flags.set('help', ['']);
			continue;
		}
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!match) throw new Error(`unexpected argument '${arg}'`);
		const [, name, inline] = match;
		if (SWITCHES.has(name)) {
			flags.set(name, ['']);
			continue;
		}
		if (!VALUE_FLAGS.has(name)) throw new Error(`unknown option --${name}`);
		const value = inline ?? argv[++i];
		if (value === undefined) throw new Error(`--${name} needs a value`);
		flags.set(name, [...(flags.get(name) ?? []), value]);
	}
	return flags;
}

function setting(flags: Flags, name: string, env: string): string | undefined {
	const values = flags.get(name);
	if (values) return values[values.length - 1];
	const value = process.env[env];
	return value === undefined || value === '' ? undefined : value;
}

function integer(flags: Flags, name: string, env: string): number | undefined {
	const raw = setting(flags, name, env);
	if (raw === undefined) return undefined;
	if (!/^\d+$/.test(raw))
		throw new Error(`--${name} (${env}) must be a non-negative integer, got '${raw}'`);
	return Number(raw);
}

interface CliSettings extends SimulatorOptions {
	accounts: [{ accessKey: string; secretKey: string; apiKey: string }];
	webhookSecrets: string[];
	timing: NonNullable<SimulatorOptions['timing']>;
}

function optionsFrom(flags: Flags): CliSettings {
	const account = {
		accessKey: setting(flags, 'access-key', 'KLING_SIM_ACCESS_KEY') ?? DEFAULT_ACCOUNT.accessKey,
		secretKey: setting(flags, 'secret-key', 'KLING_SIM_SECRET_KEY') ?? DEFAULT_ACCOUNT.secretKey,
		apiKey: setting(flags, 'api-key', 'KLING_SIM_API_KEY') ?? DEFAULT_ACCOUNT.apiKey,
	};
	const webhookSecrets =
		flags.get('webhook-secret') ??
		(process.env.KLING_SIM_WEBHOOK_SECRET ?? '').split(/[\s,]+/).filter(Boolean);
	const timing = flags.has('manual')
		? ('manual' as const)
		: {
				submittedMs:
					integer(flags, 'submitted-ms', 'KLING_SIM_SUBMITTED_MS') ?? DEFAULT_TIMING.submittedMs,
				processingMs:
					integer(flags, 'processing-ms', 'KLING_SIM_PROCESSING_MS') ?? DEFAULT_TIMING.processingMs,
			};
	const discontinued = setting(flags, 'discontinued-models', 'KLING_SIM_DISCONTINUED_MODELS');
	const packUnits = integer(flags, 'pack-units', 'KLING_SIM_PACK_UNITS');
	const resourcePacks =
		packUnits === undefined
			? undefined
			: defaultResourcePacks().map((pack, index) =>
					index === 0
						? {
								...pack,
								resource_pack_name: `Video Generation - ${packUnits} units (simulated)`,
								total_quantity: packUnits,
							}
						: pack,
				);
	return {
		port: integer(flags, 'port', 'KLING_SIM_PORT') ?? 4010,
		host: setting(flags, 'host', 'KLING_SIM_HOST') ?? '127.0.0.1',
		accounts: [account],
		webhookSecrets,
		timing,
		publicUrl: setting(flags, 'public-url', 'KLING_SIM_PUBLIC_URL'),
		videoBytes: integer(flags, 'video-bytes', 'KLING_SIM_VIDEO_BYTES'),
		maxConcurrentTasks: integer(flags, 'max-concurrent', 'KLING_SIM_MAX_CONCURRENT'),
		discontinuedModels:
			discontinued === undefined
				? undefined
				: discontinued.split(/[\s,]+/).filter((m) => m !== '' && m !== 'none'),
		resourcePacks,
		succeedStatus: setting(flags, 'succeed-status', 'KLING_SIM_SUCCEED_STATUS') as
			| SucceedStatus
			| undefined,
		log: (line) => console.log(`${new Date().toISOString()} ${line}`),
	};
}

async function main(): Promise<void> {
	const flags = parseFlags(process.argv.slice(2));
	if (flags.has('help')) {
		process.stdout.write(HELP);
		return;
	}
	const options = optionsFrom(flags);
	const simulator = new KlingSimulator(options);
	const url = await simulator.start();
	const [account] = options.accounts;
	const { timing, webhookSecrets: secrets } = options;
	console.log(
		[
			`Kling simulator listening on ${url}`,
			`  access key: ${account.accessKey}`,
			`  secret key: ${account.secretKey}`,
			`  API key:    ${account.apiKey}`,
			`  callbacks:  ${secrets.length > 0 ? `signed (Standard Webhooks, ${secrets.length} secret${secrets.length > 1 ? 's' : ''})` : 'unsigned'}`,
			`  timing:     ${timing === 'manual' ? 'manual (POST /__sim/tasks/<id>/advance)' : `submitted ${timing.submittedMs} ms, processing ${timing.processingMs} ms`}`,
			`  videos:     ${options.publicUrl ?? url}/videos/<id>.mp4`,
			`  current API (API key only): POST /text-to-video/{model}, POST /image-to-video/{model}, GET/POST /tasks`,
			`    models: ${CURRENT_MODELS.join(', ')}`,
			`    POST /omni-video/{${OMNI_MODELS.join(',')}}, POST /motion-control/{${MOTION_MODELS.join(',')}}`,
			`  legacy API: /v1/videos/{video-extend,text2video,image2video}, /account/costs`,
			`    /v1/general/advanced-custom-elements, /v1/general/custom-voices (presets, delete)`,
			`    preset elements: ${PRESET_ELEMENTS.map((e) => `${e.id} ${e.name}`).join(', ')}`,
			`    preset voices: ${PRESET_VOICES.map((v) => `${v.id} ${v.name}`).join(', ')}`,
			`  samples: ${SAMPLE_MEDIA.map((m) => `${options.publicUrl ?? url}/samples/${m.name}`).join(', ')}`,
			`    models: ${LEGACY_MODELS.join(', ')}`,
			`    discontinued (404/1203): ${(options.discontinuedModels ?? DEFAULT_DISCONTINUED_MODELS).join(', ') || 'none'}`,
			`  talking videos (legacy): POST /v1/audio/tts, /v1/videos/avatar/image2video, POST /v1/videos/identify-face, /v1/videos/advanced-lip-sync`,
			`    TTS voices: ${TTS_VOICES.map((v) => `${v.id} (${v.language})`).join(', ')}`,
			`    seeded audio ids: ${SEEDED_AUDIOS.map((a) => `${a.id} (${a.seconds} s${a.madeDaysAgo > 30 ? `, ${a.madeDaysAgo} d old` : ''})`).join(', ')}`,
			`    faces: one per video over its whole length; none: sim-video-noface (8 s); two: sim-video-two-faces (12 s)`,
			`    samples: ${options.publicUrl ?? url}/samples/{${SAMPLE_VIDEOS.map((v) => v.name).join(',')}}, /samples/speech-<seconds>s.{wav,mp3,m4a,aac}`,
			`  seeded videos: ${SOURCE_VIDEOS.map((v) => `${v.id} (${v.duration} s, ${v.model}, made ${v.madeDaysAgo} d ago)`).join(', ')}`,
			`    video-extend takes: ${EXTENDABLE_VIDEO_IDS.join(', ')} (and their extensions)`,
			`  resource packs: ${simulator
				.getResourcePacks()
				.map((p) => `${p.resource_pack_name} (${p.remaining_quantity} left, ${p.status})`)
				.join('; ')}`,
			`  prompt words: simulate-failure, simulate-stuck, simulate-held; admin API under ${url}/__sim/`,
		].join('\n'),
	);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal}: stopping`);
		simulator.stop().then(
			() => process.exit(0),
			(error: Error) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
	console.error(`kling simulator: ${error.message}`);
	process.exit(1);
});
