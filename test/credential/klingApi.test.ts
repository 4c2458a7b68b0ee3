import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

import { KlingApi, signKlingJwt } from '../../credentials/KlingApi.credentials';
import { KLING_BASE_URL_EXPRESSION, klingBaseUrl } from '../../nodes/shared/kling/regions';
import { DEFAULT_ACCOUNT } from '../../simulator';
import { testKlingCredential } from '../harness/credentialTest';
import { KlingTestbed, accessKeyCredentials, apiKeyCredentials } from '../harness/kling';

const bed = new KlingTestbed();
beforeAll(() => bed.start());
afterAll(() => bed.stop());

function lastAuthorization(): string {
	const request = bed.apiRequests().at(-1);
	return String(request?.headers.authorization ?? '');
}

describe('Kling API credential: access key + secret key', () => {
	it('signs the token Kling documents: HS256 header, iss, exp = now + 1800, nbf = now - 5', async () => {
		const before = Math.floor(Date.now() / 1000);
		const result = await bed.run({ parameters: { operation: 'getAll', limit: 1 } });
		const after = Math.floor(Date.now() / 1000);
		expect(result.error).toBeUndefined();

		const authorization = lastAuthorization();
		expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
		const token = authorization.slice('Bearer '.length);
		const decoded = jwt.verify(token, DEFAULT_ACCOUNT.secretKey, {
			algorithms: ['HS256'],
			complete: true,
		});
		expect(decoded.header).toEqual({ alg: 'HS256', typ: 'JWT' });
		const claims = decoded.payload as jwt.JwtPayload;
		expect(Object.keys(claims).sort()).toEqual(['exp', 'iss', 'nbf']);
		expect(claims.iss).toBe(DEFAULT_ACCOUNT.accessKey);
		expect(claims.exp! - claims.nbf!).toBe(1805);
		expect(claims.exp).toBeGreaterThanOrEqual(before + 1800);
		expect(claims.exp).toBeLessThanOrEqual(after + 1800);
	});

	it('is refused by jsonwebtoken when checked with another secret', () => {
		const token = signKlingJwt('ak', 'right-secret');
		expect(() => jwt.verify(token, 'wrong-secret', { algorithms: ['HS256'] })).toThrow(
			/invalid signature/,
		);
	});

	it('makes a fresh token for every request', async () => {
		const now = 1_800_000_000;
		expect(signKlingJwt('ak', 'sk', now)).not.toBe(signKlingJwt('ak', 'sk', now + 1));
	});
});

describe('Kling API credential: API key', () => {
	it('sends the key itself as the bearer token', async () => {
		const result = await bed.run({
			parameters: { operation: 'getAll', limit: 1 },
			credentials: apiKeyCredentials(bed.sim.url),
		});
		expect(result.error).toBeUndefined();
		expect(lastAuthorization()).toBe(`Bearer ${DEFAULT_ACCOUNT.apiKey}`);
	});
});

describe('Kling API credential: regions', () => {
	/**
	 * n8n routes requests through HTTP(S)_PROXY. A proxy on loopback sees where each request
	 * is aimed (a CONNECT for https, an absolute URL for http) without reaching Kling's cloud.
	 */
	let proxy: http.Server;
	const seen: string[] = [];
	const savedEnv = { ...process.env };
	beforeAll(async () => {
		proxy = http.createServer((request, response) => {
			seen.push(String(request.url));
			response.setHeader('Content-Type', 'application/json');
			response.end(JSON.stringify({ code: 0, message: 'SUCCEED', request_id: 'proxy', data: [] }));
		});
		proxy.on('connect', (request, socket) => {
			seen.push(`CONNECT ${request.url}`);
			socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
		process.env.HTTP_PROXY = proxyUrl;
		process.env.HTTPS_PROXY = proxyUrl;
		delete process.env.NO_PROXY;
		delete process.env.no_proxy;
	});
	afterAll(async () => {
		process.env = savedEnv;
		await new Promise<void>((resolve) => proxy.close(() => resolve()));
	});

	it.each([
		['global', {}, 'CONNECT api-singapore.klingai.com:443'],
		['china', {}, 'CONNECT api-beijing.klingai.com:443'],
		[
			'custom',
			{ baseUrl: 'http://kling-proxy.internal:8080/' },
			'http://kling-proxy.internal:8080/v1/videos/video-extend?pageNum=1&pageSize=1',
		],
	])('%s region sends requests to its base URL', async (region, extra, expected) => {
		seen.length = 0;
		await bed.run({
			parameters: { operation: 'getAll', limit: 1, options: { maxRetries: 0 } },
			credentials: accessKeyCredentials('', { region, ...extra }),
		});
		expect(seen[0]).toBe(expected);
	});

	it('gives code that reads the credential (the trigger) the same base URL as the node', () => {
		expect(klingBaseUrl({ region: 'global' })).toBe('https://api-singapore.klingai.com');
		expect(klingBaseUrl({ region: 'china' })).toBe('https://api-beijing.klingai.com');
		expect(klingBaseUrl({ region: 'custom', baseUrl: 'http://kling-proxy.internal:8080/' })).toBe(
			'http://kling-proxy.internal:8080',
		);
		expect(klingBaseUrl({})).toBe('https://api-singapore.klingai.com');
	});

	it('defaults to the global region', () => {
		const region = new KlingApi().properties.find((property) => property.name === 'region');
		expect(region?.default).toBe('global');
		expect(KLING_BASE_URL_EXPRESSION).toContain('https://api-singapore.klingai.com');
	});
});

describe('Kling API credential: test', () => {
	it('defaults to API Key', () => {
		const authentication = new KlingApi().properties.find((p) => p.name === 'authentication');
		expect(authentication?.default).toBe('apiKey');
	});

	it('passes with good access keys, by a legacy list (the only API they work on)', async () => {
		bed.sim.clearRequests();
		await expect(testKlingCredential(bed.credentials)).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		const [request] = bed.sim.requests;
		expect(request.path).toBe('/v1/videos/video-extend');
		expect(request.query).toEqual({ pageNum: '1', pageSize: '1' });
	});

	it('passes with a good API key, by a read of the current generation', async () => {
		bed.sim.clearRequests();
		const result = await testKlingCredential(apiKeyCredentials(bed.sim.url));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [request] = bed.sim.requests;
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/tasks');
		expect(request.query).toEqual({ task_ids: 'n8n-credential-test' });
	});

	it('passes with a credential saved without a method (API Key, the default)', async () => {
		const data = apiKeyCredentials(bed.sim.url);
		delete data.authentication;
		bed.sim.clearRequests();
		expect((await testKlingCredential(data)).status).toBe('OK');
		expect(bed.sim.requests[0].path).toBe('/tasks');
	});

	it("fails with a wrong secret and says Kling's code and what to do", async () => {
		const result = await testKlingCredential(
			accessKeyCredentials(bed.sim.url, { secretKey: 'not-the-secret' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Kling error 1000, authentication failed');
		expect(result.message).toContain('Check the access key and secret key');
		expect(result.message).not.toContain('not-the-secret');
	});

	it('fails with a wrong API key', async () => {
		const result = await testKlingCredential({
			...apiKeyCredentials(bed.sim.url),
			apiKey: 'wrong-api-key',
		});
		expect(result).toMatchObject({ status: 'Error' });
		expect(result.message).toContain('Kling error 1002');
	});

	it('fails with a base URL that is not Kling', async () => {
		const other = http.createServer((_request, response) => {
			response.setHeader('Content-Type', 'text/html');
			response.end('<html><body>Welcome to nginx</body></html>');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
			const result = await testKlingCredential(accessKeyCredentials(url));
			expect(result.status).toBe('Error');
			expect(result.message).toContain("did not answer like Kling's API");
		} finally {
			await new Promise<void>((resolve) => other.close(() => resolve()));
		}
	});
});
