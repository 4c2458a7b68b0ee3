/**
 * A node's error as an agent's model reads it: n8n hands the model only the message of a tool's
 * error, so the message carries everything the model needs to correct its call (the node's
 * description of the error names the field, the allowed values and Kling's code). Nothing secret
 * stays in it: the credential's keys, a JWT, an Authorization header.
 */

const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text with the secrets, any JWT and any Authorization value replaced by "[redacted]". */
export function redactSecrets(text: string, secrets: string[]): string {
	let redacted = text;
	for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
		redacted = redacted.replace(new RegExp(escapeRegExp(secret), 'g'), '[redacted]');
	}
	return redacted.replace(JWT, '[redacted]').replace(BEARER, '$1 [redacted]');
}

/** "<message> <description>", each once, ending in a full stop, without secrets. */
export function toolErrorMessage(
	error: Error & { description?: unknown },
	secrets: string[],
): string {
	const parts: string[] = [];
	const message = String(error.message ?? error).trim();
	if (message) parts.push(message);
	const description = typeof error.description === 'string' ? error.description.trim() : '';
	if (description && !message.includes(description)) parts.push(description);
	const text = parts
		.map((part) => (/[.!?]$/.test(part) ? part : `${part}.`))
		.join(' ')
		.trim();
	return redactSecrets(text || 'The tool failed without a message.', secrets);
}
