import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT } from './runtime';

export interface PackageNode {
	/** Path in package.json, e.g. dist/nodes/KlingTrigger/KlingTrigger.node.js */
	file: string;
	/** description.name, e.g. klingTrigger */
	name: string;
	/** The type n8n gives it in workflow JSON, e.g. n8n-nodes-kling.klingTrigger */
	type: string;
	/** Path of the first webhook of a trigger node (the part after the webhookId). */
	webhookPath?: string;
}

export interface InstalledPackage {
	name: string;
	version: string;
	/** Where the copy went: <userFolder>/.n8n/nodes/node_modules/<name> */
	dir: string;
	nodes: PackageNode[];
	credentials: string[];
	/** Files listed in package.json that the build did not make (left out of the copy). */
	missing: string[];
}

interface PackageJson {
	name: string;
	version: string;
	n8n: { nodes?: string[]; credentials?: string[] } & Record<string, unknown>;
	[key: string]: unknown;
}

interface NodeClass {
	new (): { description: { name: string; webhooks?: Array<{ path?: unknown }> } };
}

function describeNode(file: string, packageName: string): PackageNode {
	const absolute = path.join(ROOT, file);
	const className = path.basename(file).split('.')[0];
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(absolute) as Record<string, NodeClass | undefined>;
	const NodeType = exported[className];
	if (typeof NodeType !== 'function') throw new Error(`${file} does not export class ${className}`);
	const { description } = new NodeType();
	const webhookPath = description.webhooks?.[0]?.path;
	return {
		file,
		name: description.name,
		type: `${packageName}.${description.name}`,
		webhookPath: typeof webhookPath === 'string' ? webhookPath : undefined,
	};
}

/**
 * Installs the built package the way Settings → Community Nodes does: a copy of package.json and
 * dist/ in <userFolder>/.n8n/nodes/node_modules/<name>, where n8n 2.x scans for `n8n-nodes-*`
 * packages at start. Node types are then `<name>.<nodeName>`, as for users. Nodes listed in
 * package.json but not built yet are left out of the copied package.json (reported in `missing`),
 * so that n8n does not refuse the whole package.
 */
export function installPackage(userFolder: string): InstalledPackage {
	const packageJson = JSON.parse(
		readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
	) as PackageJson;
	const listedNodes = packageJson.n8n.nodes ?? [];
	const listedCredentials = packageJson.n8n.credentials ?? [];
	const missing = [...listedNodes, ...listedCredentials].filter(
		(file) => !existsSync(path.join(ROOT, file)),
	);
	const nodes = listedNodes.filter((file) => !missing.includes(file));
	const credentials = listedCredentials.filter((file) => !missing.includes(file));
	if (nodes.length === 0) throw new Error('dist/ has no node of the package: run npm run build');

	const dir = path.join(userFolder, '.n8n', 'nodes', 'node_modules', packageJson.name);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
	const copy = { ...packageJson, n8n: { ...packageJson.n8n, nodes, credentials } };
	writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(copy, null, 2)}\n`);

	return {
		name: packageJson.name,
		version: packageJson.version,
		dir,
		nodes: nodes.map((file) => describeNode(file, packageJson.name)),
		credentials,
		missing,
	};
}
