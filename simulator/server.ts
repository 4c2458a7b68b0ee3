import http from 'http';
import type { AddressInfo } from 'net';
import { pipeline } from 'stream';

import { ADMIN_PREFIX, handleAdmin } from './admin';
import { handleApi } from './api';
import type { SimulatorCore } from './core';
import { KlingError, codeOf, failure, writeJson } from './errors';
import { writeFault } from './faults';
import { findSample, sampleBytes } from './referenceMedia';
import { SAMPLES_PREFIX } from './samples';
import { isApiPath } from './paths';
import { isMediaPath, mediaFile } from './talking';
import { createVideoStream, parseVideoPath } from './videos';
import type { JsonAnswer } from './types';

// Current image to video may carry two 50 MB frames as Base64 (4/3 larger).
const BODY_LIMIT = 140 * 1024 * 1024;

/** One request and what was answered, for the request log. */
interface Exchange {
	readonly req: http.IncomingMessage;
	readonly res: http.ServerResponse;
	readonly method: string;
	readonly path: string;
	readonly query: URLSearchParams;
	body: string;
	code: number | undefined;
}

/** The HTTP front: routing, fault injection, request recording and connection bookkeeping. */
export class SimulatorHttpServer {
	private readonly server: http.Server;
	private readonly sleeps = new Map<NodeJS.Timeout, () => void>();
	private closing: Promise<void> | undefined;

	constructor(private readonly core: SimulatorCore) {
		this.server = http.createServer({ keepAlive: true }, (req, res) => {
			this.handle(req, res).catch((error: Error) => this.crashed(res, error));
		});
		// Clients that keep connections open between polls should not see them dropped mid-test.
		this.server.keepAliveTimeout = 30_000;
	}

	listen(port: number, host: string): Promise<AddressInfo> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			// A deep backlog lets a burst of 1,000 new connections queue instead of being refused.
			this.server.listen({ port, host, backlog: 4096 }, () => {
				this.server.off('error', reject);
				resolve(this.server.address() as AddressInfo);
			});
		});
	}

	close(): Promise<void> {
		if (!this.closing) {
			this.closing = new Promise((resolve) => {
				for (const [timer, wake] of this.sleeps) {
					clearTimeout(timer);
					wake();
				}
				this.sleeps.clear();
				if (!this.server.listening) {
					resolve();
					return;
				}
				this.server.close(() => resolve());
				this.server.closeAllConnections();
			});
		}
		return this.closing;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator.invalid');
		const method = req.method ?? 'GET';
		const exchange: Exchange = {
			req,
			res,
			method,
			path: url.pathname,
			query: url.searchParams,
			body: '',
			code: undefined,
		};
		const record = this.core.recordRequest(method, url.pathname, url.searchParams, req.headers);
		res.on('close', () => this.logExchange(exchange));

		const body = await readBody(req);
		if (body === undefined) {
			this.send(
				exchange,
				failure(new KlingError(1200, 'invalid request parameters: body too large')),
			);
			return;
		}
		exchange.body = body;
		record.body = body;

		const { path } = exchange;
		if (path.startsWith(ADMIN_PREFIX)) {
			this.send(exchange, await handleAdmin(this.core, method, path, url.searchParams, body));
		} else if (path.startsWith('/videos/')) {
			this.serveVideo(exchange);
		} else if (isMediaPath(path) || path.startsWith(SAMPLES_PREFIX)) {
			this.serveMedia(exchange);
		} else if (isApiPath(path)) {
			await this.serveApi(exchange);
		} else {
			this.send(exchange, failure(new KlingError(1202, `invalid method: ${method} ${path}`)));
		}
	}

	private async serveApi(exchange: Exchange): Promise<void> {
		const { method, path } = exchange;
		const plan = this.core.faults.plan(method, path);
		if (plan.delayBeforeMs > 0 && !(await this.sleep(plan.delayBeforeMs))) return;
		if (plan.fault && !plan.fault.afterHandling) {
			this.fault(exchange, plan.fault);
			return;
		}
		const answer = await handleApi(this.core, {
			method,
			path,
			query: exchange.query,
			headers: exchange.req.headers,
			body: exchange.body,
		});
		if (plan.delayAfterMs > 0 && !(await this.sleep(plan.delayAfterMs))) return;
		if (plan.fault) {
			this.fault(exchange, plan.fault, answer);
			return;
		}
		this.send(exchange, answer);
	}

	private serveVideo(exchange: Exchange): void {
		const { method, res } = exchange;
		const target = parseVideoPath(exchange.path);
		const video = target && this.core.videos.get(target.id);
		if (method !== 'GET' && method !== 'HEAD') {
			this.send(
				exchange,
				failure(new KlingError(1202, `invalid method: ${method} ${exchange.path}`)),
			);
			return;
		}
		if (!target || !video) {
			this.send(exchange, failure(new KlingError(1203, 'resource not found: no such video')));
			return;
		}
		const size = this.core.options.videoBytes;
		res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': size });
		if (method === 'HEAD') {
			res.end();
			return;
		}
		// pipeline tears the generator down when the client goes away mid-download.
		pipeline(createVideoStream(video.id, target.watermarked, size), res, () => undefined);
	}

	/**
	 * Files served without auth like the videos: TTS audios and the talking-video samples
	 * (talking.ts), the sample motion videos and voice clips (referenceMedia.ts).
	 */
	private serveMedia(exchange: Exchange): void {
		const { method, res, path } = exchange;
		if (method !== 'GET' && method !== 'HEAD') {
			this.send(exchange, failure(new KlingError(1202, `invalid method: ${method} ${path}`)));
			return;
		}
		const sample = findSample(path);
		const file =
			mediaFile(this.core, path) ??
			(sample ? { contentType: sample.contentType, bytes: sampleBytes(sample) } : undefined);
		if (!file) {
			this.send(exchange, failure(new KlingError(1203, 'resource not found: no such file')));
			return;
		}
		res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.bytes.length });
		res.end(method === 'HEAD' ? undefined : file.bytes);
	}

	private fault(exchange: Exchange, fault: Parameters<typeof writeFault>[1], handled?: JsonAnswer) {
		if (fault.kind === 'kling-error') exchange.code = fault.code ?? 5000;
		writeFault(exchange.res, fault, handled);
	}

	private send(exchange: Exchange, answer: JsonAnswer): void {
		exchange.code = codeOf(answer);
		writeJson(exchange.res, answer);
	}

	/** Resolves true after ms, or false at once when the server closes meanwhile. */
	private sleep(ms: number): Promise<boolean> {
		return new Promise((resolve) => {
			if (this.closing) {
				resolve(false);
				return;
			}
			const timer = setTimeout(() => {
				this.sleeps.delete(timer);
				resolve(true);
			}, ms);
			this.sleeps.set(timer, () => resolve(false));
		});
	}

	private logExchange({ method, path, res, code }: Exchange): void {
		const outcome = res.writableFinished ? String(res.statusCode) : 'reset';
		this.core.options.log(`${method} ${path} ${outcome}${code === undefined ? '' : ` ${code}`}`);
	}

	private crashed(res: http.ServerResponse, error: Error): void {
		// A client that hung up mid-request is not a simulator failure.
		if (res.destroyed) return;
		this.core.options.log(`internal error: ${error.stack ?? error.message}`);
		if (res.headersSent) {
			res.destroy();
		} else {
			writeJson(res, failure(new KlingError(5000)));
		}
	}
}

/** The whole body as text, or undefined when it is over the limit. */
function readBody(req: http.IncomingMessage): Promise<string | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= BODY_LIMIT) chunks.push(chunk);
		});
		req.on('end', () =>
			resolve(size > BODY_LIMIT ? undefined : Buffer.concat(chunks).toString('utf8')),
		);
		req.on('error', reject);
		req.on('close', () => {
			if (!req.complete) reject(new Error('the client went away before sending the body'));
		});
	});
}
