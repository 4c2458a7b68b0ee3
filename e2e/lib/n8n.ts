import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { N8N_BIN, n8nNodeBinary } from './runtime';

/** Which n8n process: the main one, a queue-mode worker or a queue-mode webhook process. */
export type N8nCommand = 'start' | 'worker' | 'webhook';

export interface N8nOptions {
	/** `n8n <command>`; default 'start'. Worker and webhook need EXECUTIONS_MODE=queue in `env`. */
	command?: N8nCommand;
	/** N8N_USER_FOLDER: n8n keeps everything in <userFolder>/.n8n (database, key, binary data). */
	userFolder: string;
	port: number;
	/** Port of n8n's task broker (its default 5679 would clash between two instances). */
	brokerPort: number;
	/** Address to listen on; 127.0.0.1 keeps n8n off the network. */
	listenAddress?: string;
	/** Host name in the URLs n8n shows (editor, webhook URLs); default the listen address. */
	host?: string;
	/** Public base URL of webhooks (N8N_WEBHOOK_URL), when Kling must reach n8n from outside. */
	webhookUrl?: string;
	/** 'json' makes every log line a JSON object with its level (for the e2e log checks). */
	logFormat?: 'text' | 'json';
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	/** Where n8n's stdout and stderr go (appended). Default <userFolder>/n8n.log. */
	logFile?: string;
	/** Also print n8n's output on this process's stdout, each line prefixed. */
	echo?: string;
	/**
	 * Keep the caller's N8N_* (and similar) variables: `npm start` lets users add their own
	 * settings; the e2e suite starts from a clean slate.
	 */
	inheritN8nEnv?: boolean;
	/** Applied last. */
	env?: Record<string, string>;
}

/** Variables that change how n8n behaves; dropped from the inherited environment unless asked. */
const N8N_ENV_PATTERN =
	/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_FUNCTION_ALLOW|NODES_)/;

/**
 * Never passed on: jest sets NODE_ENV=test, and n8n refuses to load nodes "in tests"; Kling keys
 * given to `npm start` go into the credential, not into n8n's environment.
 */
const NEVER_INHERITED = /^(NODE_ENV|JEST_WORKER_ID|NODE_OPTIONS|KLING_.*)$/;

/**
 * Settings that keep n8n quiet and offline: no telemetry, no version notices, no templates, no
 * banners, no list of vetted community nodes, no MCP server registry (all reach n8n's servers at
 * start or when the editor opens), and the notices about future defaults answered explicitly.
 */
export const OFFLINE_SETTINGS: Record<string, string> = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_AI_ENABLED: 'false',
	// The vetted-community-nodes list comes from api.n8n.io; installed packages still load.
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
	N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
	// The MCP server registry is fetched from api.n8n.io at start.
	N8N_DISABLED_MODULES: 'mcp-registry',
	// Answers the deprecation notices about future defaults with today's values.
	N8N_RUNNERS_TASK_TIMEOUT: '300',
	N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: '2147483648',
	N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '5000',
	// Only a launcher of our own would connect here: no internal JS/Python runner is started (no
	// "Python runner missing" or "internal mode deprecated" notices). Code nodes need
	// N8N_RUNNERS_MODE=internal (npm start passes it through).
	N8N_RUNNERS_MODE: 'external',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
	N8N_SECURE_COOKIE: 'false',
	N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
	EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
	N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '15',
};

export function n8nEnvironment(options: N8nOptions): NodeJS.ProcessEnv {
	const inherited: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (NEVER_INHERITED.test(key)) continue;
		if (options.inheritN8nEnv || !N8N_ENV_PATTERN.test(key)) inherited[key] = value;
	}
	const listenAddress = options.listenAddress ?? '127.0.0.1';
	const ours: Record<string, string> = {
		...OFFLINE_SETTINGS,
		N8N_RUNNERS_AUTH_TOKEN: randomBytes(16).toString('hex'),
	};
	// Inherited N8N_* settings win over the defaults above when asked (npm start).
	const env: NodeJS.ProcessEnv = options.inheritN8nEnv
		? { ...ours, ...inherited }
		: { ...inherited, ...ours };
	Object.assign(env, {
		// Nothing goes to the user's home: n8n's data below userFolder, and HOME too for any
		// library that would write a cache there.
		N8N_USER_FOLDER: options.userFolder,
		HOME: options.userFolder,
		N8N_PORT: String(options.port),
		N8N_LISTEN_ADDRESS: listenAddress,
		N8N_HOST: options.host ?? listenAddress,
		N8N_PROTOCOL: 'http',
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_FORMAT: options.logFormat ?? 'text',
		N8N_LOG_LEVEL: options.logLevel ?? 'info',
		N8N_LOG_OUTPUT: 'console',
	});
	if (options.webhookUrl) env.N8N_WEBHOOK_URL = options.webhookUrl;
	Object.assign(env, options.env);
	return env;
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A real n8n: its CLI (import, publish) and its server, with the environment above. */
export class N8n {
	readonly options: N8nOptions;
	readonly env: NodeJS.ProcessEnv;
	readonly logFile: string;
	private child: ChildProcess | undefined;
	private logStream: WriteStream | undefined;
	private exited: Promise<number | null> | undefined;
	private exitCode: number | null | undefined;

	constructor(options: N8nOptions) {
		this.options = options;
		mkdirSync(options.userFolder, { recursive: true });
		this.env = n8nEnvironment(options);
		this.logFile = options.logFile ?? path.join(options.userFolder, 'n8n.log');
	}

	/** http://<host>:<port>, the editor and REST API. */
	get url(): string {
		return `http://${this.options.host ?? this.options.listenAddress ?? '127.0.0.1'}:${this.options.port}`;
	}

	/** Base of production webhook URLs (…/webhook/<webhookId>/<path>). */
	get webhookBase(): string {
		return (this.options.webhookUrl ?? `${this.url}/`).replace(/\/+$/, '');
	}

	get running(): boolean {
		return this.child !== undefined && this.exitCode === undefined;
	}

	/** The process id of the running n8n (to read its memory), undefined when stopped. */
	get pid(): number | undefined {
		return this.running ? this.child?.pid : undefined;
	}

	/**
	 * Runs `n8n <args>` (import:workflow, publish:workflow, …) and resolves its output. `env` is
	 * added to the instance's environment (a log level, say).
	 */
	cli(args: string[], env: Record<string, string> = {}): Promise<string> {
		return new Promise((resolve, reject) => {
			const child = spawn(n8nNodeBinary(), [N8N_BIN, ...args], {
				env: { ...this.env, ...env },
				cwd: this.options.userFolder,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let output = '';
			child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
			child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
			child.on('error', reject);
			child.on('close', (code) => {
				if (code === 0) resolve(output);
				else reject(new Error(`n8n ${args.join(' ')} failed (exit ${code}):\n${output}`));
			});
		});
	}

	/**
	 * Starts `n8n start` (or the `command` of the options) and resolves once n8n is ready: it
	 * listens on its port, its readiness check passes and its REST API answers JSON (the webhooks
	 * of published workflows come a moment later, see N8nRest.waitForPublication). A webhook
	 * process is ready when it says it waits for requests and its readiness check passes, a
	 * worker when it says it is ready (it serves nothing on the port).
	 */
	async start(timeoutMs = 120_000): Promise<void> {
		if (this.child) throw new Error('n8n already started');
		// The log is appended to: only what this start writes tells that it is ready.
		const logStart = this.readLog().length;
		this.logStream = createWriteStream(this.logFile, { flags: 'a' });
		// Its own process group: a Ctrl-C in the terminal reaches only the caller, which then stops
		// n8n once (a second SIGINT would cut n8n's graceful shutdown short).
		const command = this.options.command ?? 'start';
		const child = spawn(n8nNodeBinary(), [N8N_BIN, command], {
			env: this.env,
			cwd: this.options.userFolder,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		this.child = child;
		this.exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				this.exitCode = code ?? (signal ? -1 : null);
				resolve(code);
			});
		});
		const forward = (chunk: Buffer) => {
			this.logStream?.write(chunk);
			if (this.options.echo !== undefined) {
				const prefix = this.options.echo;
				const text = chunk.toString().replace(/\n$/, '');
				process.stdout.write(`${text.replace(/^/gm, prefix)}\n`);
			}
		};
		child.stdout?.on('data', forward);
		child.stderr?.on('data', forward);

		const readyLine = {
			start: new RegExp(`n8n ready on \\S+, port ${this.options.port}\\b`),
			webhook: /Webhook listener waiting for requests/,
			worker: /n8n worker is now ready/,
		}[command];
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exitCode !== undefined) {
				const tail = this.readLog().trim().split('\n').slice(-5).join('\n');
				throw new Error(
					`n8n exited (code ${this.exitCode}) before it was ready; ${this.logFile} ends with:\n${tail}`,
				);
			}
			// Only once this n8n says it listens: another program could answer on a port that
			// was free when it was chosen. Then n8n's own readiness check: until its start is
			// complete, n8n answers other requests with HTTP 200 "n8n is starting up. Please wait"
			// (abstract-server.js), which a REST client would take for an answer.
			if (readyLine.test(this.readLog().slice(logStart)) && (await this.answersReady(command))) {
				return;
			}
			await delay(300);
		}
		throw new Error(`n8n was not ready at ${this.url} within ${timeoutMs / 1000} s`);
	}

	/** n8n's /healthz/readiness says ready, and its REST API answers JSON (main only). */
	private async answersReady(command: N8nCommand): Promise<boolean> {
		if (command === 'worker') return true;
		try {
			const readiness = await fetch(`${this.url}/healthz/readiness`);
			await readiness.arrayBuffer();
			if (readiness.status !== 200) return false;
			if (command === 'webhook') return true;
			const settings = await fetch(`${this.url}/rest/settings`);
			await settings.arrayBuffer();
			return settings.ok && /application\/json/.test(settings.headers.get('content-type') ?? '');
		} catch {
			return false;
		}
	}

	/** Resolves with n8n's exit code when it stops on its own (or is stopped). */
	whenExited(): Promise<number | null> {
		return this.exited ?? Promise.resolve(null);
	}

	/** SIGINT (n8n's graceful shutdown), then SIGKILL after `graceMs`. Idempotent; start() again restarts. */
	async stop(graceMs = 25_000): Promise<void> {
		const child = this.child;
		if (!child) return;
		if (this.exitCode === undefined) {
			child.kill('SIGINT');
			const timer = setTimeout(() => {
				// The whole group: n8n and any task runner it started.
				try {
					if (child.pid) process.kill(-child.pid, 'SIGKILL');
				} catch {
					child.kill('SIGKILL');
				}
			}, graceMs);
			await this.exited;
			clearTimeout(timer);
		}
		await new Promise<void>((resolve) => {
			if (!this.logStream) return resolve();
			this.logStream.end(() => resolve());
			this.logStream = undefined;
		});
		// Stopped for good: start() may start it again on the same data (a restart).
		this.child = undefined;
		this.exited = undefined;
		this.exitCode = undefined;
	}

	/** n8n's output so far. */
	readLog(): string {
		try {
			return readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}
}
