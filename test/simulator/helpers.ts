import axios, { type AxiosInstance } from 'axios';
import { createHmac, timingSafeEqual } from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';
import jwt from 'jsonwebtoken';

import { DEFAULT_ACCOUNT, KlingSimulator, type SimulatorOptions } from '../../simulator';

export const EXTEND = '/v1/videos/video-extend';
export const TEXT2VIDEO = '/v1/videos/text2video';
export const IMAGE2VIDEO = '/v1/videos/image2video';
export const ACCOUNT_COSTS = '/account/costs';
export const TEXT_TO_VIDEO = '/text-to-video';
export const IMAGE_TO_VIDEO = '/image-to-video';
export const TASKS = '/tasks';

/** What the current generation's create endpoints answer for a new task. */
export function createdCurrentAnswer(externalId: string) {
	return {
		code: 0,
		message: 'SUCCEED',
		request_id: expect.any(String),
		data: {
			id: expect.stringMatching(/^\d{18}$/),
			status: 'submitted',
			create_time: expect.any(Number),
			update_time: expect.any(Number),
			external_id: externalId,
		},
	};
}

/** What every create endpoint answers for a new task (Kling's documented shape). */
export function createdAnswer(externalTaskId: string) {
	return {
		code: 0,
		message: 'SUCCEED',
		request_id: expect.any(String),
		data: {
			task_id: expect.stringMatching(/^\d{18}$/),
			task_status: 'submitted',
			task_info: { external_task_id: externalTaskId },
			created_at: expect.any(Number),
			updated_at: expect.any(Number),
		},
	};
}

/** A Kling JWT; claims set to undefined are left out. */
export function makeToken(
	claims: { iss?: unknown; exp?: unknown; nbf?: unknown } = {},
	secret: string = DEFAULT_ACCOUNT.secretKey,
	algorithm: jwt.Algorithm = 'HS256',
): string {
	const now = Math.floor(Date.now() / 1000);
	const payload: Record<string, unknown> = {
		iss: DEFAULT_ACCOUNT.accessKey,
		exp: now + 1800,
		nbf: now - 5,
		...claims,
	};
	for (const key of Object.keys(payload)) {
		if (payload[key] === undefined) delete payload[key];
	}
	return jwt.sign(payload, secret, { algorithm, noTimestamp: true });
}

export interface Harness {
	sim: KlingSimulator;
	url: string;
	/** Authenticated with a valid JWT of the default account; never throws on HTTP status. */
	api: AxiosInstance;
	/** Authenticated with the default account's API key (the only auth the current API takes). */
	apiKey: AxiosInstance;
	/** No Authorization header. */
	raw: AxiosInstance;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Harness> {
	const sim = new KlingSimulator(options);
	const url = await sim.start();
	const api = axios.create({
		baseURL: url,
		validateStatus: () => true,
		headers: { Authorization: `Bearer ${makeToken()}` },
	});
	const apiKey = axios.create({
		baseURL: url,
		validateStatus: () => true,
		headers: { Authorization: `Bearer ${DEFAULT_ACCOUNT.apiKey}` },
	});
	const raw = axios.create({ baseURL: url, validateStatus: () => true });
	return { sim, url, api, apiKey, raw };
}

export interface ReceivedCallback {
	headers: http.IncomingHttpHeaders;
	body: string;
	at: number;
}

export interface Receiver {
	url: string;
	received: ReceivedCallback[];
	/** Status and delay of the receiver's answers from now on. */
	behave(status: number, delayMs?: number): void;
	close(): Promise<void>;
}

/** A small callback receiver on loopback. */
export async function startReceiver(): Promise<Receiver> {
	const received: ReceivedCallback[] = [];
	let status = 200;
	let delayMs = 0;
	const timers = new Set<NodeJS.Timeout>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				at: Date.now(),
			});
			const answer = () => {
				res.writeHead(status, { 'Content-Type': 'text/plain' });
				res.end('received');
			};
			if (delayMs === 0) {
				answer();
				return;
			}
			const timer = setTimeout(() => {
				timers.delete(timer);
				answer();
			}, delayMs);
			timers.add(timer);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/kling/callback`,
		received,
		behave(nextStatus, nextDelayMs = 0) {
			status = nextStatus;
			delayMs = nextDelayMs;
		},
		close() {
			timers.forEach(clearTimeout);
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

/**
 * Starts a simulator and a callback receiver for the enclosing describe block, stops them after
 * it, and resets both before each test. Read them from the returned object inside tests.
 */
export function useSimulatorAndReceiver(options: SimulatorOptions): {
	h: Harness;
	receiver: Receiver;
} {
	const context = {} as { h: Harness; receiver: Receiver };
	beforeAll(async () => {
		context.h = await startSimulator(options);
		context.receiver = await startReceiver();
	});
	afterAll(async () => {
		await context.h.sim.stop();
		await context.receiver.close();
	});
	beforeEach(() => {
		context.h.sim.reset();
		context.receiver.received.length = 0;
	});
	return context;
}

/** Polls until probe returns something truthy. */
export async function waitFor<T>(
	probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
	timeoutMs = 3000,
	what = 'condition',
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(10);
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Standard Webhooks verification written from the spec, independently of the simulator's signer:
 * true when any of the space-separated v1 signatures matches.
 */
export function verifyStandardWebhook(
	secret: string,
	headers: http.IncomingHttpHeaders,
	rawBody: string,
): boolean {
	const id = headers['webhook-id'];
	const timestamp = headers['webhook-timestamp'];
	const signatures = headers['webhook-signature'];
	if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') {
		return false;
	}
	const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
	const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest();
	return signatures.split(' ').some((entry) => {
		const [version, signature] = entry.split(',');
		const given = Buffer.from(signature ?? '', 'base64');
		return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
	});
}

export const TEST_VECTOR = {
	secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=',
	id: '9876543210',
	timestamp: 1781080794,
	body: '{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}',
	signature: 'v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=',
};
