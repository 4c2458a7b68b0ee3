import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The project's root folder (this file is e2e/lib/runtime.ts). */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Where e2e/install-n8n.sh puts n8n and, when needed, Node.js 24 (git ignores it). */
export const RUNTIME_DIR = path.join(ROOT, '.n8n-runtime');

/** n8n's data of `npm start` and of the e2e suite live below this folder (git ignores it). */
export const DATA_DIR = path.join(ROOT, '.n8n-data');

export const N8N_VERSION = process.env.N8N_VERSION ?? '2.41.0';

export const N8N_BIN = path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

export function n8nInstalled(): boolean {
	return existsSync(path.join(RUNTIME_DIR, `.installed-${N8N_VERSION}`)) && existsSync(N8N_BIN);
}

/**
 * Runs e2e/install-n8n.sh, which returns at once when n8n is already installed. The first run
 * takes about 6 minutes and prints its progress.
 */
export function ensureN8nInstalled(): void {
	if (n8nInstalled() && existsSync(path.join(RUNTIME_DIR, 'node-bin'))) return;
	const result = spawnSync('bash', [path.join(ROOT, 'e2e', 'install-n8n.sh')], {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, N8N_VERSION },
	});
	if (result.status !== 0) {
		throw new Error(`e2e/install-n8n.sh failed (exit ${result.status ?? result.signal})`);
	}
}

/** The Node.js (24 or newer) that n8n's native modules were built for. */
export function n8nNodeBinary(): string {
	const recorded = path.join(RUNTIME_DIR, 'node-bin');
	if (!existsSync(recorded)) {
		throw new Error('n8n is not installed: run bash e2e/install-n8n.sh (or npm run e2e:install)');
	}
	const binary = path.resolve(RUNTIME_DIR, readFileSync(recorded, 'utf8').trim());
	if (!existsSync(binary)) {
		throw new Error(
			`${binary} (from .n8n-runtime/node-bin) is missing: delete .n8n-runtime/ and install again`,
		);
	}
	return binary;
}

/** `npm run build`: tsc and gulp into dist/. Throws with the compiler's output on failure. */
export function buildPackage(): void {
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`npm run build failed:\n${result.stdout}${result.stderr}`);
	}
}
