import http from 'node:http';

/**
 * Test scaffolding, not product: a loopback HTTP proxy in front of n8n's webhook processes, as a
 * load balancer would be. Requests go to the targets in turn; `failover` sends a request whose
 * target refuses the connection to the next target (a balancer with health checks), without it
 * the caller gets 502 (a balancer that has not noticed yet). Every request is recorded.
 */
export interface ProxiedRequest {
	method: string;
	path: string;
	target: string;
	status: number;
}

export class RoundRobinProxy {
	readonly served: ProxiedRequest[] = [];
	private server: http.Server | undefined;
	private next = 0;
	private targets: string[];
	failover = false;

	constructor(targets: string[]) {
		this.targets = [...targets];
	}

	/** The base URLs requests go to from now on (http://127.0.0.1:<port>). */
	setTargets(targets: string[]): void {
		this.targets = [...targets];
		this.next = 0;
	}

	async start(port: number): Promise<string> {
		const server = http.createServer((req, res) => void this.forward(req, res));
		server.keepAliveTimeout = 5_000;
		this.server = server;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => resolve());
		});
		return `http://127.0.0.1:${port}`;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const order = this.targets.map(
			(_, offset) => this.targets[(this.next + offset) % this.targets.length],
		);
		this.next = (this.next + 1) % Math.max(1, this.targets.length);
		const attempts = this.failover ? order : order.slice(0, 1);
		for (const target of attempts) {
			try {
				const answer = await send(target, req, body);
				this.served.push({
					method: req.method ?? '',
					path: req.url ?? '',
					target,
					status: answer.status,
				});
				res.writeHead(answer.status, answer.headers);
				res.end(answer.body);
				return;
			} catch {
				// connection refused: the process is down; try the next one when failing over
			}
		}
		this.served.push({
			method: req.method ?? '',
			path: req.url ?? '',
			target: attempts[0] ?? '',
			status: 502,
		});
		res.writeHead(502, { 'content-type': 'text/plain' });
		res.end('no webhook process answered');
	}
}

/** No idle connections to the webhook processes: they would hold up a process's graceful stop. */
const agent = new http.Agent({ keepAlive: false });

function send(
	target: string,
	req: http.IncomingMessage,
	body: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const url = new URL(req.url ?? '/', target);
		const headers = { ...req.headers, host: url.host, connection: 'close' };
		const outgoing = http.request(url, { method: req.method, headers, agent }, (answer) => {
			const chunks: Buffer[] = [];
			answer.on('data', (chunk: Buffer) => chunks.push(chunk));
			answer.on('end', () => {
				const received = Buffer.concat(chunks);
				// The body goes on whole: its own length, not the upstream framing.
				const headers = { ...answer.headers, 'content-length': String(received.length) };
				delete headers['transfer-encoding'];
				delete headers.connection;
				resolve({ status: answer.statusCode ?? 502, headers, body: received });
			});
			answer.on('error', reject);
		});
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}
