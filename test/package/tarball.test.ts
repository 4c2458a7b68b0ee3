import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What `npm publish` would upload: the tarball `npm pack` makes from a fresh build. n8n installs
 * exactly this, so every node and credential listed in package.json must be in it with its codex
 * file and both icons, and nothing that only the repository needs.
 */
const root = path.resolve(__dirname, '../..');

interface PackedFile {
	path: string;
	size: number;
}
interface PackResult {
	size: number;
	unpackedSize: number;
	files: PackedFile[];
}
interface N8nSection {
	nodes: string[];
	credentials: string[];
}
type ThemedIcon = { light: string; dark: string };

let packed: PackResult;
let paths: Set<string>;
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	n8n: N8nSection;
};

beforeAll(() => {
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe' });
	const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
	});
	[packed] = JSON.parse(json) as PackResult[];
	paths = new Set(packed.files.map((file) => file.path));
	process.stdout.write(
		`tarball: ${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} KiB packed, ` +
			`${(packed.unpackedSize / 1024).toFixed(1)} KiB unpacked\n`,
	);
}, 120_000);

/** The icon files a node or credential names, as paths inside the tarball. */
function iconPaths(builtFile: string, icon: ThemedIcon): string[] {
	return [icon.light, icon.dark].map((file) =>
		path.posix.join(path.posix.dirname(builtFile), file.replace(/^file:/, '')),
	);
}

/** The built class, found as n8n finds it: named like its file (KlingApi.credentials.js: KlingApi). */
function loadBuilt(builtFile: string): Record<string, unknown> {
	const className = path.basename(builtFile).split('.')[0];
	const built = jest.requireActual<Record<string, new () => unknown>>(path.join(root, builtFile));
	return new built[className]() as Record<string, unknown>;
}

it('holds README, LICENSE and package.json', () => {
	for (const file of ['README.md', 'LICENSE.md', 'package.json']) expect(paths).toContain(file);
});

it.each(manifest.n8n.nodes)('holds node %s with its codex file and both icons', (node) => {
	expect(paths).toContain(node);
	expect(paths).toContain(node.replace(/\.js$/, '.json'));
	const { description } = loadBuilt(node) as { description: { icon: ThemedIcon } };
	for (const icon of iconPaths(node, description.icon)) expect(paths).toContain(icon);
});

it.each(manifest.n8n.credentials)('holds credential %s with both icons', (credential) => {
	expect(paths).toContain(credential);
	const { icon } = loadBuilt(credential) as { icon: ThemedIcon };
	for (const file of iconPaths(credential, icon)) expect(paths).toContain(file);
});

it('holds nothing but the built package: no tests, simulator, bench, e2e, tools or TypeScript sources', () => {
	const allowed = /^(dist\/(nodes|credentials|icons)\/.+|README\.md|LICENSE\.md|package\.json)$/;
	const strays = packed.files
		.map((file) => file.path)
		.filter(
			(file) =>
				!allowed.test(file) ||
				(file.endsWith('.ts') && !file.endsWith('.d.ts')) ||
				/(^|\/)(test|simulator|bench|e2e|tools|examples)\//.test(file) ||
				/\.test\.(js|ts|js\.map)$/.test(file),
		);
	expect(strays).toEqual([]);
});

it('holds no file left over from an earlier build: every built .js comes from a source file', () => {
	const sources = new Set(
		execFileSync('git', ['ls-files', 'nodes', 'credentials'], { cwd: root, encoding: 'utf8' })
			.split('\n')
			.filter((file) => file.endsWith('.ts'))
			.map((file) => file.replace(/\.ts$/, '')),
	);
	const orphans = packed.files
		.map((file) => file.path)
		.filter((file) => file.endsWith('.js'))
		.filter((file) => !sources.has(file.replace(/^dist\//, '').replace(/\.js$/, '')));
	expect(orphans).toEqual([]);
});
