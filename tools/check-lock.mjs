#!/usr/bin/env node
// Fails when package-lock.json no longer matches package.json, or lacks a platform's optional
// build (a lock written by `npm install` on one machine can drop the others'), so that `npm ci`
// works on every contributor's platform and in the release workflow. `npm ci --dry-run` checks
// neither.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import semver from 'semver';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const problems = [];

const lockedRoot = lock.packages?.[''] ?? {};
for (const field of [
	'dependencies',
	'devDependencies',
	'peerDependencies',
	'optionalDependencies',
]) {
	const wanted = manifest[field] ?? {};
	const locked = lockedRoot[field] ?? {};
	for (const name of new Set([...Object.keys(wanted), ...Object.keys(locked)])) {
		if (wanted[name] !== locked[name]) {
			problems.push(
				`${field}.${name}: package.json has ${wanted[name] ?? 'nothing'}, the lock ${locked[name] ?? 'nothing'}`,
			);
		}
	}
	if (field === 'peerDependencies') continue;
	for (const [name, range] of Object.entries(wanted)) {
		const installed = lock.packages[`node_modules/${name}`];
		if (!installed) problems.push(`${name} is in package.json but not in the lock`);
		else if (!semver.satisfies(installed.version, range)) {
			problems.push(`${name}: the lock has ${installed.version}, package.json wants ${range}`);
		}
	}
}

/** Whether Node finds `name` from the package at `location`, looking up its node_modules folders. */
function resolvesFrom(location, name) {
	for (let dir = location; ; ) {
		if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
		if (!dir) return false;
		const parent = dir.lastIndexOf('/node_modules/');
		dir = parent === -1 ? '' : dir.slice(0, parent);
	}
}

for (const [location, entry] of Object.entries(lock.packages)) {
	for (const name of Object.keys(entry.optionalDependencies ?? {})) {
		if (!resolvesFrom(location, name)) {
			problems.push(`${location} lists the optional build ${name}, which the lock lacks`);
		}
	}
}

if (problems.length > 0) {
	console.error(`package-lock.json is out of sync (${problems.length}):`);
	for (const problem of problems.slice(0, 40)) console.error(`  ${problem}`);
	console.error('Write it anew: rm -rf node_modules package-lock.json && npm install');
	process.exitCode = 1;
} else {
	console.log(
		`package-lock.json matches package.json, with every platform's optional builds (${Object.keys(lock.packages).length} entries)`,
	);
}
