import http from 'http';
import type { AddressInfo } from 'net';

export const TTS = '/v1/audio/tts';
export const AVATAR = '/v1/videos/avatar/image2video';
export const IDENTIFY_FACE = '/v1/videos/identify-face';
export const LIP_SYNC = '/v1/videos/advanced-lip-sync';

export interface FileServer {
	url: string;
	/** Serves `bytes` at `path` from now on. */
	put(path: string, bytes: Buffer, contentType?: string): void;
	close(): Promise<void>;
}

/** A plain file server on loopback: the "somewhere else" a sound_file or video_url points at. */
export async function startFileServer(): Promise<FileServer> {
	const files = new Map<string, { bytes: Buffer; contentType: string }>();
	const server = http.createServer((req, res) => {
		const file = files.get(req.url ?? '');
		if (!file) {
			res.writeHead(404, { 'Content-Type': 'text/plain' });
			res.end('not found');
			return;
		}
		res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.bytes.length });
		res.end(file.bytes);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		put(path, bytes, contentType = 'application/octet-stream') {
			files.set(path, { bytes, contentType });
		},
		close() {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}
