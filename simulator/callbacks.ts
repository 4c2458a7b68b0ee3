import { createHmac, randomUUID } from 'crypto';
import http from 'http';
import https from 'https';

import type { CallbackDelivery, CallbackResponse, DeliverCallbackOptions } from './types';

const USER_AGENT = 'kling-simulator';
const RESPONSE_BODY_LIMIT = 64 * 1024;

/** Decodes a Standard Webhooks secret; the 'whsec_' prefix is optional, as in the reference libraries. */
export function decodeWebhookSecret(secret: string): Buffer {
	const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
		throw new TypeError(`webhook secret must be 'whsec_' followed by base64, got '${secret}'`);
	}
	return Buffer.from(encoded, 'base64');
}

/** Standard Webhooks signature: 'v1,' + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)). */
export function signWebhook(
	secret: string,
	webhookId: string,
	timestamp: number,
	rawBody: string,
): string {
	const mac = createHmac('sha256', decodeWebhookSecret(secret))
		.update(`${webhookId}.${timestamp}.${rawBody}`)
		.digest('base64');
	return `v1,${mac}`;
}

export interface CallbackSenderOptions {
	secrets: readonly string[];
	timeoutMs: number;
	log: (line: string) => void;
}

/**
 * Posts callbacks as Kling does: one attempt each, never retried, failures recorded and swallowed,
 * and deliveries for one task strictly in order.
 */
export class CallbackSender {
	readonly deliveries: CallbackDelivery[] = [];
	private readonly chains = new Map<string, Promise<void>>();
	private readonly inFlight = new Set<http.ClientRequest>();
	private readonly httpAgent = new http.Agent({ keepAlive: true });
	private readonly httpsAgent = new https.Agent({ keepAlive: true });
	// Deliveries that started before a reset() must not reappear in the cleared list.
	private generation = 0;
	private closed = false;

	constructor(private readonly options: CallbackSenderOptions) {}

	/** Queues a delivery behind earlier ones with the same key; the promise never rejects. */
	enqueue(key: string, url: string, body: string): Promise<void> {
		const previous = this.chains.get(key) ?? Promise.resolve();
		const next = previous.then(() =>
			this.send(url, body).then(
				() => undefined,
				() => undefined,
			),
		);
		this.chains.set(key, next);
		void next.then(() => {
			if (this.chains.get(key) === next) this.chains.delete(key);
		});
		return next;
	}

	async send(
		url: string,
		body: string,
		options: DeliverCallbackOptions = {},
	): Promise<CallbackResponse> {
		const target = new URL(url);
		const headers: Record<string, string> = {
			'content-type': 'application/json; charset=utf-8',
			'content-length': String(Buffer.byteLength(body)),
			'user-agent': USER_AGENT,
		};
		const secrets = options.secrets ?? this.options.secrets;
		if (secrets.length > 0) {
			const id = options.webhookId ?? `msg_${randomUUID()}`;
			const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
			headers['webhook-id'] = id;
			headers['webhook-timestamp'] = String(timestamp);
			headers['webhook-signature'] = secrets
				.map((secret) => signWebhook(secret, id, timestamp, body))
				.join(' ');
		}
		Object.assign(headers, options.headers);

		const delivery: CallbackDelivery = { url, body, headers, at: Date.now() };
		const generation = this.generation;
		try {
			const response = await this.post(target, body, headers);
			delivery.status = response.status;
			if (response.status < 200 || response.status > 299) {
				delivery.error = `receiver answered HTTP ${response.status}`;
			}
			return response;
		} catch (error) {
			delivery.error = (error as Error).message;
			throw error;
		} finally {
			if (generation === this.generation) {
				this.deliveries.push(delivery);
				this.options.log(
					`callback POST ${url} ${delivery.status ?? '-'}${delivery.error ? ` (${delivery.error})` : ''}`,
				);
			}
		}
	}

	/** Forgets recorded deliveries; ones still under way are not recorded when they end. */
	reset(): void {
		this.generation += 1;
		this.deliveries.length = 0;
	}

	close(): void {
		this.closed = true;
		this.generation += 1;
		for (const request of this.inFlight) request.destroy(new Error('simulator stopped'));
		this.inFlight.clear();
		this.httpAgent.destroy();
		this.httpsAgent.destroy();
	}

	private post(
		target: URL,
		body: string,
		headers: Record<string, string>,
	): Promise<CallbackResponse> {
		if (this.closed) return Promise.reject(new Error('simulator stopped'));
		const secure = target.protocol === 'https:';
		return new Promise((resolve, reject) => {
			const request = (secure ? https : http).request(target, {
				method: 'POST',
				headers,
				agent: secure ? this.httpsAgent : this.httpAgent,
			});
			this.inFlight.add(request);
			request.setTimeout(this.options.timeoutMs, () => {
				request.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`));
			});
			request.on('error', (error) => {
				this.inFlight.delete(request);
				reject(error);
			});
			request.on('response', (response) => {
				const chunks: Buffer[] = [];
				let size = 0;
				response.on('data', (chunk: Buffer) => {
					if (size < RESPONSE_BODY_LIMIT) chunks.push(chunk);
					size += chunk.length;
				});
				response.on('error', reject);
				response.on('end', () => {
					this.inFlight.delete(request);
					resolve({
						status: response.statusCode ?? 0,
						body: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT),
					});
				});
			});
			request.end(body);
		});
	}
}
