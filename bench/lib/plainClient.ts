/**
 * The baseline: the same requests as the node makes, with axios directly and one at a time,
 * as a small script would send them. It signs a fresh JWT per request with node:crypto (a few
 * microseconds; jsonwebtoken's sign takes about 0.45 ms here and would flatter the node) and
 * checks Kling's `code`, nothing more.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';

import axios, { type AxiosInstance } from 'axios';

import { DEFAULT_ACCOUNT } from '../../simulator';

export const TASKS_PATH = '/v1/videos/video-extend';

const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

interface Envelope<T> {
	code: number;
	message?: string;
	data: T;
}

export interface PlainTask {
	task_id: string;
	task_status: string;
	[key: string]: unknown;
}

export class PlainClient {
	readonly http: AxiosInstance;

	/**
	 * With freshConnections, every request opens a connection of its own, as n8n's request
	 * helper does (a new http.Agent per request); by default axios keeps connections alive.
	 */
	constructor(
		baseURL: string,
		private readonly freshConnections = false,
	) {
		this.http = axios.create({ baseURL, headers: { Accept: 'application/json' } });
	}

	private token(): string {
		const now = Math.floor(Date.now() / 1000);
		const claims = { iss: DEFAULT_ACCOUNT.accessKey, exp: now + 1800, nbf: now - 5 };
		const unsigned = `${JWT_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
		const signature = createHmac('sha256', DEFAULT_ACCOUNT.secretKey)
			.update(unsigned)
			.digest('base64url');
		return `${unsigned}.${signature}`;
	}

	private async send<T>(method: 'GET' | 'POST', url: string, extra: object = {}): Promise<T> {
		const response = await this.http.request<Envelope<T>>({
			method,
			url,
			headers: { Authorization: `Bearer ${this.token()}` },
			...(this.freshConnections ? { httpAgent: new http.Agent({ keepAlive: false }) } : {}),
			...extra,
		});
		if (response.data.code !== 0) {
			throw new Error(`Kling error ${response.data.code}: ${response.data.message}`);
		}
		return response.data.data;
	}

	async create(videoId: string, externalTaskId: string): Promise<PlainTask> {
		return await this.send<PlainTask>('POST', TASKS_PATH, {
			data: { video_id: videoId, prompt: 'bench', external_task_id: externalTaskId },
		});
	}

	async get(taskId: string): Promise<PlainTask> {
		return await this.send<PlainTask>('GET', `${TASKS_PATH}/${encodeURIComponent(taskId)}`);
	}

	async page(pageNum: number, pageSize: number): Promise<PlainTask[]> {
		return await this.send<PlainTask[]>('GET', TASKS_PATH, { params: { pageNum, pageSize } });
	}

	/** Return All, one page after the other until a short page. */
	async listAll(pageSize = 500): Promise<PlainTask[]> {
		const tasks: PlainTask[] = [];
		for (let pageNum = 1; ; pageNum++) {
			const page = await this.page(pageNum, pageSize);
			tasks.push(...page);
			if (page.length < pageSize) return tasks;
		}
	}
}

/** Streams a URL into a writable and resolves the byte count. */
export async function streamTo(url: string, sink: NodeJS.WritableStream): Promise<number> {
	const response = await axios.get<http.IncomingMessage>(url, { responseType: 'stream' });
	let bytes = 0;
	response.data.on('data', (chunk: Buffer) => (bytes += chunk.length));
	await new Promise<void>((resolve, reject) => {
		response.data.once('error', reject);
		sink.once('error', reject);
		sink.once('finish', () => resolve());
		response.data.pipe(sink);
	});
	return bytes;
}
