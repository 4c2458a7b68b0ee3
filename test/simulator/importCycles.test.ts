import { readFileSync, readdirSync } from 'fs';
import path from 'path';

const DIR = path.join(__dirname, '../../simulator');

/**
 * Local imports of each simulator file, type-only ones included: a cycle through types still ties
 * the files' load order together and makes the modules hard to move apart.
 */
export function importGraph(dir = DIR): Map<string, string[]> {
	const files = readdirSync(dir).filter((name) => name.endsWith('.ts'));
	const graph = new Map<string, string[]>();
	for (const file of files) {
		const source = readFileSync(path.join(dir, file), 'utf8');
		const targets = new Set<string>();
		// import … from './x', export … from './x', import('./x'), require('./x').
		const pattern = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)'(\.\/[^']+)'/g;
		for (const match of source.matchAll(pattern)) {
			const target = `${path.basename(match[1])}.ts`;
			if (files.includes(target)) targets.add(target);
		}
		graph.set(file, [...targets].sort());
	}
	return graph;
}

/** Every elementary cycle's smallest member first, found by depth-first search from each file. */
export function findCycles(graph: Map<string, string[]>): string[][] {
	const cycles = new Map<string, string[]>();
	const visit = (start: string, node: string, trail: string[]) => {
		for (const next of graph.get(node) ?? []) {
			if (next === start) {
				const cycle = [...trail];
				const first = cycle.indexOf([...cycle].sort()[0]);
				const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
				cycles.set(rotated.join(' -> '), rotated);
			} else if (!trail.includes(next) && next > start) {
				visit(start, next, [...trail, next]);
			}
		}
	};
	for (const file of graph.keys()) visit(file, file, [file]);
	return [...cycles.values()];
}

describe('simulator import graph', () => {
	it('has no cycles, type-only imports included', () => {
		const graph = importGraph();
		expect(graph.size).toBeGreaterThan(15);
		expect(findCycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
	});

	it('finds a cycle when there is one (the check itself can fail)', () => {
		const graph = new Map([
			['a.ts', ['b.ts']],
			['b.ts', ['c.ts']],
			['c.ts', ['a.ts']],
			['d.ts', ['a.ts']],
		]);
		expect(findCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
	});
});
