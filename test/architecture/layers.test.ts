import { cycles, groupGraph, importGraph } from './importGraph';

/**
 * The folders of nodes/ and credentials/ are layers: none imports, directly or through others, a
 * folder that imports it back. The simulator and the browser suite have no file cycles. Type-only
 * imports count: they tie the files together for the reader as much as for the compiler.
 */
function folderOf(file: string): string {
	const parts = file.split('/');
	if (parts[0] === 'nodes' && parts[1] === 'shared') return parts.slice(0, 3).join('/');
	if (parts[0] === 'nodes') return parts.slice(0, 2).join('/');
	return parts[0];
}

describe('import layers', () => {
	it('has no cycle between the folders of nodes/ and credentials/', () => {
		const graph = groupGraph(importGraph(['nodes', 'credentials']), folderOf);
		expect(graph.size).toBeGreaterThan(8);
		expect(cycles(graph)).toEqual([]);
	});

	it.each(['simulator', 'ui'])('has no cycle between the files of %s/', (folder) => {
		const graph = importGraph([folder]);
		expect(graph.size).toBeGreaterThan(3);
		expect(cycles(graph)).toEqual([]);
	});

	it('finds a cycle where there is one (the check can fail)', () => {
		const graph = new Map([
			['a', ['b']],
			['b', ['c']],
			['c', ['a']],
			['d', ['a']],
		]);
		expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
	});
});
