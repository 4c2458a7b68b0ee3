import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Serves one real MP4 at every /videos/<id>.mp4 on 127.0.0.1. The simulator's `publicUrl` points
 * its result videos here, so n8n downloads a video that the browser's player can play; the
 * simulator itself is unchanged.
 */
export class VideoServer {
	private readonly server: http.Server;
	private readonly video: Buffer;
	/** Paths downloaded so far (n8n's Download Video). */
	readonly downloads: string[] = [];

	constructor(file: string) {
		this.video = readFileSync(file);
		this.server = http.createServer((req, res) => {
			const target = (req.url ?? '').split('?')[0];
			if (!/^\/videos\/[^/]+\.mp4$/.test(target) || !['GET', 'HEAD'].includes(req.method ?? '')) {
				res.writeHead(404, { 'content-type': 'text/plain' }).end('no such video');
				return;
			}
			this.downloads.push(target);
			res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': this.video.length });
			res.end(req.method === 'HEAD' ? undefined : this.video);
		});
	}

	/** Listens on a free loopback port; resolves the base URL. */
	start(): Promise<string> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(0, '127.0.0.1', () => {
				const { port } = this.server.address() as AddressInfo;
				resolve(`http://127.0.0.1:${port}`);
			});
		});
	}

	stop(): Promise<void> {
		return new Promise((resolve) => {
			this.server.closeAllConnections();
			this.server.close(() => resolve());
		});
	}
}
