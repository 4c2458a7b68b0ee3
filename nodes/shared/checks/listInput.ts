/**
 * Values as the fields give them: a list from the editor, or comma-separated text of an expression
 * (the comma of a `data:…;base64,` prefix separates nothing).
 */
export function idList(value: unknown): string[] {
	const values = Array.isArray(value)
		? (value as unknown[])
		: typeof value === 'string'
			? value.split(/(?<!;base64),/)
			: [];
	return values.map((id) => textOf(id)).filter((id) => id !== '');
}

export function textOf(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** The extension of a URL's path (lower case, with its dot), or '' when it has none. */
export function pathExtension(url: string): string {
	try {
		return /\.[A-Za-z0-9]+$/.exec(new URL(url).pathname)?.[0].toLowerCase() ?? '';
	} catch {
		return '';
	}
}
