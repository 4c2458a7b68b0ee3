import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A release happens only from the GitHub Actions workflow, with npm provenance (n8n verifies only
 * such packages). `npm publish` from a developer's machine must fail before anything is uploaded.
 * It is pointed at a loopback registry that would accept the upload, so a publish that got through
 * would show up here rather than on npm.
 */
const root = path.resolve(__dirname, '../..');
let registry: http.Server;
let registryUrl: string;
const uploads: string[] = [];

beforeAll(async () => {
	registry = http.createServer((request, response) => {
		if (request.method === 'PUT') uploads.push(request.url ?? '');
		request.resume();
		response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
	});
	await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
	registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => registry.close(() => resolve())));

/** `npm publish` as on a developer's machine: logged in to the registry, not inside a CI. */
function publish(...extraArgs: string[]): Promise<{ code: number | null; output: string }> {
	const env = { ...process.env };
	for (const name of Object.keys(env)) {
		if (/^(CI|GITHUB_|ACTIONS_|GITLAB_|RELEASE_MODE|NPM_CONFIG_PROVENANCE)/i.test(name)) {
			delete env[name];
		}
	}
	const host = registryUrl.replace(/^http:/, '');
	const args = [
		'publish',
		`--registry=${registryUrl}`,
		`--${host}:_authToken=a-token`,
		...extraArgs,
	];
	return new Promise((resolve) => {
		const npm = spawn('npm', args, { cwd: root, env });
		let output = '';
		npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		npm.on('close', (code) => resolve({ code, output }));
	});
}

it('refuses a plain npm publish: provenance can only be made in CI, nothing is uploaded', async () => {
	const { code, output } = await publish();
	expect(code).not.toBe(0);
	expect(output).toMatch(/provenance generation not supported/i);
	expect(uploads).toEqual([]);
}, 60_000);

it('says how to release when lifecycle scripts are on (the prepublishOnly guard)', async () => {
	const { code, output } = await publish('--ignore-scripts=false');
	expect(code).not.toBe(0);
	expect(output).toContain('Run `npm run release` to publish the package');
	expect(uploads).toEqual([]);
}, 60_000);
