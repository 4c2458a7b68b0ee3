import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_ACCOUNT, KlingSimulator, type SimulatorOptions } from '../../simulator';
import type { RecordedRequest } from '../../simulator';
import { runNode, type NodeRunResult, type RunNodeOptions } from './runWorkflow';

export const TASKS_PATH = '/v1/videos/video-extend';

/** Kling's API paths of both generations (not the simulator's admin or video files). */
export function isApiPath(path: string): boolean {
	return /^\/(v1\/|tasks|text-to-video\/|image-to-video\/|omni-video\/)/.test(path);
}

export function accessKeyCredentials(
	baseUrl: string,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		authentication: 'accessKey',
		accessKey: DEFAULT_ACCOUNT.accessKey,
		secretKey: DEFAULT_ACCOUNT.secretKey,
		region: 'custom',
		baseUrl,
		...overrides,
	};
}

export function apiKeyCredentials(baseUrl: string): ICredentialDataDecryptedObject {
	return { authentication: 'apiKey', apiKey: DEFAULT_ACCOUNT.apiKey, region: 'custom', baseUrl };
}

/** A simulator for one test file, with the node run against it through n8n-core. */
export class KlingTestbed {
	readonly sim: KlingSimulator;

	credentials: ICredentialDataDecryptedObject = {};

	constructor(options: SimulatorOptions = {}) {
		this.sim = new KlingSimulator({ timing: 'manual', ...options });
	}

	async start(): Promise<void> {
		const url = await this.sim.start();
		this.credentials = accessKeyCredentials(url);
	}

	async stop(): Promise<void> {
		await this.sim.stop();
	}

	/** API requests the simulator received (admin and video downloads left out), of both generations. */
	apiRequests(): RecordedRequest[] {
		return this.sim.requests.filter((request) => isApiPath(request.path));
	}

	/** The same bed with an API-key credential (the current generation takes no other). */
	useApiKey(): void {
		this.credentials = apiKeyCredentials(this.sim.url);
	}

	async run(
		options: Omit<RunNodeOptions, 'credentials'> & {
			credentials?: ICredentialDataDecryptedObject;
		},
	): Promise<NodeRunResult> {
		return await runNode({
			...options,
			credentials: { klingApi: options.credentials ?? this.credentials },
		});
	}
}

/** Everything that must never leave the node: keys and the tokens seen on the wire. */
export function secretsSeen(
	sim: KlingSimulator,
	credentials: ICredentialDataDecryptedObject,
): string[] {
	const secrets = [credentials.secretKey, credentials.apiKey, credentials.webhookSecret].filter(
		(value): value is string => typeof value === 'string' && value.length > 0,
	);
	for (const request of sim.requests) {
		const authorization = request.headers.authorization;
		if (typeof authorization === 'string') secrets.push(authorization.replace(/^Bearer /, ''));
	}
	return secrets;
}

export function expectNoSecrets(text: string, secrets: string[]): void {
	for (const secret of secrets) {
		expect(text.includes(secret)).toBe(false);
	}
}
