#!/usr/bin/env node
// n8n's verification gate, run on this checkout: the two ESLint legs of
// @n8n/scan-community-package (the version n8n runs), with its own configuration, its own
// plugin versions and inline `eslint-disable` comments ignored, as it does on a published package:
//   1. the source: package.json and nodes/**, credentials/** (what the provenance commit holds);
//   2. the tarball `npm pack` makes: its compiled *.js and package.json.
// Its download, provenance and registry steps need a published version and are left out.
// Needs dist/ (npm run build). Exits 1 on any finding, listing each with file and line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import glob from 'fast-glob';
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr || result.stdout}`);
	}
	return result.stdout;
}

function unpackTarball(workDir) {
	// --ignore-scripts: the tarball is what `files` and dist/ hold now; packing builds nothing.
	run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', workDir], root);
	const tarball = readdirSync(workDir).find((name) => name.endsWith('.tgz'));
	if (!tarball) throw new Error('npm pack wrote no tarball');
	const packageDir = path.join(workDir, 'package');
	run('tar', ['-xzf', tarball], workDir);
	return packageDir;
}

async function leg(name, dir, patterns) {
	const files = glob.sync(patterns, {
		cwd: dir,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const result = await analyzePackage(dir, patterns);
	const verdict = result.passed ? 'passed' : `FAILED: ${result.message}`;
	console.log(`scan ${name}: ${files.length} files (${patterns.join(', ')}): ${verdict}`);
	if (!result.passed) console.log(result.details ?? result.error ?? '');
	return result.passed && files.length > 0;
}

const workDir = mkdtempSync(path.join(tmpdir(), 'kling-scan-'));
try {
	const sourcePassed = await leg('source', root, SOURCE_FILE_PATTERNS);
	const tarballPassed = await leg('tarball', unpackTarball(workDir), TARBALL_FILE_PATTERNS);
	process.exitCode = sourcePassed && tarballPassed ? 0 : 1;
} finally {
	rmSync(workDir, { recursive: true, force: true });
}
