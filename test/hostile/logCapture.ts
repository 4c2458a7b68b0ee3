/**
 * Everything n8n-core and the node print while a case runs (console and raw stdout/stderr
 * writes, which n8n's logger uses), so the matrix can check that no secret reaches a log.
 */
export function captureLogs(): { text: () => string; restore: () => void } {
	const chunks: string[] = [];
	const originals = {
		stdout: process.stdout.write.bind(process.stdout),
		stderr: process.stderr.write.bind(process.stderr),
		log: console.log,
		warn: console.warn,
		error: console.error,
		info: console.info,
		debug: console.debug,
	};
	const record = (...args: unknown[]) => {
		chunks.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
	};
	process.stdout.write = ((chunk: string | Uint8Array) => {
		chunks.push(String(chunk));
		return true;
	}) as typeof process.stdout.write;
	process.stderr.write = ((chunk: string | Uint8Array) => {
		chunks.push(String(chunk));
		return true;
	}) as typeof process.stderr.write;
	console.log = console.warn = console.error = console.info = console.debug = record;
	return {
		text: () => chunks.join('\n'),
		restore: () => {
			process.stdout.write = originals.stdout;
			process.stderr.write = originals.stderr;
			console.log = originals.log;
			console.warn = originals.warn;
			console.error = originals.error;
			console.info = originals.info;
			console.debug = originals.debug;
		},
	};
}
