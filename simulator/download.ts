import http from 'http';
import https from 'https';

/**
 * Downloading the files a request names by URL (images, sounds, videos). The simulator never
 * reaches the internet in tests: its callers fetch only URLs on this machine (tests serve their
 * files on loopback) or answer their own files without a download.
 */

/** 127.0.0.1, localhost or [::1]: a host on this machine. */
export function isLoopback(hostname: string): boolean {
	return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** A byte count in whole megabytes, for messages ("10 MB"). */
export function megabytes(bytes: number): string {
	return `${Math.round(bytes / (1024 * 1024))} MB`;
}

export interface DownloadLimits {
	/** More bytes than this are refused, and the download stopped. */
	maxBytes: number;
	/** Default 5 s. */
	timeoutMs?: number;
	/** The error class the caller reports its field's problems with (ImageProblem, MediaProblem). */
	problem: new (message: string) => Error;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * GETs the bytes at an http(s) URL. A status other than 200, a network error or the timeout fail
 * as "could not be downloaded: …", more than maxBytes as "must be at most … MB".
 */
export function download(url: URL, limits: DownloadLimits): Promise<Buffer> {
	const { maxBytes, problem } = limits;
	return new Promise((resolve, reject) => {
		const fail = (why: string) => reject(new problem(`could not be downloaded: ${why}`));
		const client = url.protocol === 'https:' ? https : http;
		const request = client.get(url, { agent: false }, (response) => {
			if (response.statusCode !== 200) {
				response.resume();
				fail(`HTTP ${response.statusCode}`);
				return;
			}
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > maxBytes) {
					request.destroy();
					reject(
						new problem(`must be at most ${megabytes(maxBytes)} (got more than ${maxBytes} bytes)`),
					);
					return;
				}
				chunks.push(chunk);
			});
			response.on('end', () => resolve(Buffer.concat(chunks)));
			response.on('error', (error) => fail(error.message));
		});
		request.setTimeout(limits.timeoutMs ?? DEFAULT_TIMEOUT_MS, () =>
			request.destroy(new Error('timed out')),
		);
		request.on('error', (error) => fail(error.message));
	});
}
