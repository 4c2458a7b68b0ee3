import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Example, Workflow, WorkflowNode } from './examples';
import { loadExamples, prepareWorkflow, productionWebhookUrl } from './examples';
import { N8n } from './n8n';
import type { N8nOptions } from './n8n';
import type { InstalledPackage, PackageNode } from './package';
import { installPackage } from './package';

export interface KlingCredential {
	id: string;
	name: string;
	data: Record<string, string>;
}

export interface StackOptions extends N8nOptions {
	credential: KlingCredential;
	/** The Kling simulator's URL, for the examples' sample media (none with Kling's real API). */
	simulatorUrl?: string;
	/** Video the create example extends (real keys); the simulator's sim-video-5s otherwise. */
	videoId?: string;
	/** More workflows to import and publish, beside examples/*.json (e2e only). */
	extraWorkflows?: Workflow[];
	/**
	 * More credentials to import beside the Kling one, e.g. the OpenAI credential of a scripted
	 * chat model; one of type openAiApi goes into the examples' OpenAI Chat Model nodes.
	 */
	extraCredentials?: Array<KlingCredential & { type: string }>;
	/** Ids of more workflows to publish (those with a Kling Trigger always are). */
	publish?: string[];
	log?: (line: string) => void;
	/** Called as soon as the N8n object exists, so that the caller can stop it whatever happens. */
	onN8n?: (n8n: N8n) => void;
}

export interface ActiveTrigger {
	workflow: Workflow;
	node: WorkflowNode;
	packageNode: PackageNode;
	/** Production URL as n8n shows it (with N8N_WEBHOOK_URL when set). */
	url: string;
	/** The same webhook on n8n's own address (for local checks). */
	localUrl: string;
}

export interface Stack {
	n8n: N8n;
	pkg: InstalledPackage;
	/** Examples as imported (credential and callback URLs adapted). */
	imported: Workflow[];
	/** Examples left out, with the reason (a node type the build does not have yet). */
	skipped: Array<{ file: string; reason: string }>;
	triggers: ActiveTrigger[];
	/** Output of `n8n import:workflow` at debug level, JSON lines: n8n loading the package. */
	importLog: string;
}

/**
 * Prepares and starts a real n8n with the built package installed: the Kling credential and the
 * examples imported with n8n's CLI, the workflows with a Kling Trigger published (activated) while
 * n8n is stopped, then `n8n start`; resolves once n8n's REST API answers.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
	const log = options.log ?? (() => undefined);
	const pkg = installPackage(options.userFolder);
	for (const file of pkg.missing) log(`not built yet, left out of the installed package: ${file}`);
	const n8n = new N8n(options);
	options.onN8n?.(n8n);

	const importDir = path.join(options.userFolder, 'import');
	rmSync(importDir, { recursive: true, force: true });
	mkdirSync(path.join(importDir, 'workflows'), { recursive: true });

	// The credential file holds the keys in clear text: it lives only for the import (n8n encrypts
	// what it imports), inside the git-ignored data folder.
	const credentialFile = path.join(importDir, 'credentials.json');
	try {
		const credentials = [
			{ ...options.credential, type: 'klingApi' },
			...(options.extraCredentials ?? []),
		];
		writeFileSync(credentialFile, JSON.stringify(credentials), { mode: 0o600 });
		log(`importing ${credentials.map((credential) => credential.type).join(' and ')} credentials`);
		await n8n.cli(['import:credentials', `--input=${credentialFile}`]);
	} finally {
		rmSync(credentialFile, { force: true });
	}

	const chatModelCredential = options.extraCredentials?.find(
		(credential) => credential.type === 'openAiApi',
	);
	const knownTypes = new Set(pkg.nodes.map((node) => node.type));
	const packagePrefix = `${pkg.name}.`;
	const imported: Workflow[] = [];
	const skipped: Stack['skipped'] = [];
	const candidates: Example[] = [
		...loadExamples(),
		...(options.extraWorkflows ?? []).map((workflow) => ({
			file: `${workflow.id}.json`,
			workflow,
		})),
	];
	for (const { file, workflow } of candidates) {
		const unknown = workflow.nodes
			.map((node) => node.type)
			.filter((type) => type.startsWith(packagePrefix))
			// A node used as an agent's tool is typed <package>.<node>Tool.
			.filter((type) => !knownTypes.has(type) && !knownTypes.has(type.replace(/Tool$/, '')));
		if (unknown.length > 0) {
			skipped.push({ file, reason: `needs ${[...new Set(unknown)].join(', ')}, not built yet` });
			continue;
		}
		const prepared = prepareWorkflow(workflow, {
			credential: { id: options.credential.id, name: options.credential.name },
			webhookBase: n8n.webhookBase,
			simulatorUrl: options.simulatorUrl,
			videoId: options.videoId,
			chatModelCredential: chatModelCredential && {
				id: chatModelCredential.id,
				name: chatModelCredential.name,
			},
		});
		writeFileSync(path.join(importDir, 'workflows', file), JSON.stringify(prepared, null, 2));
		imported.push(prepared);
	}
	log(`importing ${imported.length} workflows`);
	// At debug level the CLI's own start shows how n8n loads the package (see `importLog`).
	const importLog = await n8n.cli(
		['import:workflow', '--separate', `--input=${path.join(importDir, 'workflows')}`],
		{ N8N_LOG_LEVEL: 'debug', N8N_LOG_FORMAT: 'json' },
	);

	const triggerNodes = pkg.nodes.filter(
		(node) => node.webhookPath !== undefined && /Trigger$/.test(node.name),
	);
	const triggers: ActiveTrigger[] = [];
	for (const workflow of imported) {
		for (const node of workflow.nodes) {
			const packageNode = triggerNodes.find((candidate) => candidate.type === node.type);
			if (!packageNode) continue;
			triggers.push({
				workflow,
				node,
				packageNode,
				url: productionWebhookUrl(n8n.webhookBase, node, packageNode.webhookPath ?? ''),
				localUrl: productionWebhookUrl(n8n.url, node, packageNode.webhookPath ?? ''),
			});
		}
	}
	const toPublish = new Set([
		...triggers.map((trigger) => trigger.workflow.id),
		...(options.publish ?? []),
	]);
	for (const workflowId of toPublish) {
		log(`publishing workflow ${workflowId}`);
		await n8n.cli(['publish:workflow', `--id=${workflowId}`]);
	}

	log('starting n8n');
	await n8n.start();
	// n8n registers the published workflows' webhooks a moment after its REST API answers (through
	// its publication outbox); the REST API tells when (N8nRest.waitForPublication).
	return { n8n, pkg, imported, skipped, triggers, importLog };
}
