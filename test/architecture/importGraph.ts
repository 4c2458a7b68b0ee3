import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The repository's import graph as the source says it, type-only imports and re-exports
 * included: what TypeScript would load or check, read without compiling.
 */
export const ROOT = resolve(__dirname, '../..');

const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(folder: string): string[] {
	return readdirSync(folder).flatMap((name) => {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return name.endsWith('.ts') ? [path] : [];
	});
}

function resolveImport(from: string, specifier: string): string | undefined {
	const base = resolve(dirname(from), specifier);
	for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
		try {
			if (statSync(candidate).isFile()) return candidate;
		} catch {
			// not this candidate
		}
	}
	return undefined;
}

/** Each file under the folders (relative to the repository) with the files it imports. */
export function importGraph(folders: string[]): Map<string, string[]> {
	const graph = new Map<string, string[]>();
	for (const folder of folders) {
		for (const file of sourceFiles(join(ROOT, folder))) {
			const text = readFileSync(file, 'utf8');
			const targets = [...text.matchAll(IMPORT)]
				.map((match) => resolveImport(file, match[1]))
				.filter((target): target is string => target !== undefined)
				.map((target) => relative(ROOT, target));
			graph.set(relative(ROOT, file), [...new Set(targets)]);
		}
	}
	return graph;
}

/** The graph with each file replaced by its group (self-edges dropped). */
export function groupGraph(
	graph: Map<string, string[]>,
	groupOf: (file: string) => string,
): Map<string, string[]> {
	const groups = new Map<string, Set<string>>();
	for (const [file, targets] of graph) {
		const from = groupOf(file);
		const edges = groups.get(from) ?? new Set<string>();
		groups.set(from, edges);
		for (const target of targets) {
			const to = groupOf(target);
			if (to !== from) edges.add(to);
		}
	}
	return new Map([...groups].map(([group, edges]) => [group, [...edges].sort()]));
}

/** Every cycle's members (strongly connected components of more than one node, or a self-loop). */
export function cycles(graph: Map<string, string[]>): string[][] {
	let counter = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (node: string): void => {
		index.set(node, counter);
		low.set(node, counter);
		counter++;
		stack.push(node);
		onStack.add(node);
		for (const next of graph.get(node) ?? []) {
			if (!index.has(next)) {
				visit(next);
				low.set(node, Math.min(low.get(node)!, low.get(next)!));
			} else if (onStack.has(next)) {
				low.set(node, Math.min(low.get(node)!, index.get(next)!));
			}
		}
		if (low.get(node) === index.get(node)) {
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				component.push(member);
			} while (member !== node);
			if (component.length > 1 || (graph.get(node) ?? []).includes(node)) {
				found.push(component.sort());
			}
		}
	};
	for (const node of graph.keys()) if (!index.has(node)) visit(node);
	return found;
}
