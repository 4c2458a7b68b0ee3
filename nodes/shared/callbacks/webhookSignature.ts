import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks allows this much clock difference before a delivery counts as replayed. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export type SignatureVerdict = { valid: true } | { valid: false; reason: string };

export interface StandardWebhookInput {
	/** `whsec_<base64>` as Kling's console shows it. */
	secret: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer | string;
	nowSeconds?: number;
	toleranceSeconds?: number;
}

function header(headers: StandardWebhookInput['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

function secretKey(secret: string): Buffer {
	const encoded = secret.trim();
	return Buffer.from(
		encoded.startsWith('whsec_') ? encoded.slice('whsec_'.length) : encoded,
		'base64',
	);
}

/**
 * Checks Kling's signed callbacks (Kling's docs, "Callback Protocol": Standard Webhooks): HMAC-SHA256 over
 * `id.timestamp.body` with the base64-decoded secret, compared in constant time with each
 * space-separated `v1,` signature (several during a secret rotation), and a timestamp close
 * to now so that a captured delivery cannot be replayed later. Reasons never echo the secret.
 */
export function verifyStandardWebhook(input: StandardWebhookInput): SignatureVerdict {
	const key = secretKey(input.secret);
	// An empty key would make every HMAC computable by anyone: fail closed instead.
	if (key.length === 0) return { valid: false, reason: 'the webhook secret is not usable' };
	const id = header(input.headers, 'webhook-id');
	const timestamp = header(input.headers, 'webhook-timestamp');
	const signatures = header(input.headers, 'webhook-signature');
	if (!id || !timestamp || !signatures) {
		return { valid: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
	}
	if (!/^\d{1,15}$/.test(timestamp)) return { valid: false, reason: 'malformed webhook-timestamp' };
	const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
	const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
	if (Math.abs(now - Number(timestamp)) > tolerance) {
		return { valid: false, reason: 'webhook-timestamp is too old or in the future' };
	}
	const body = Buffer.isBuffer(input.rawBody) ? input.rawBody : Buffer.from(input.rawBody);
	const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
	for (const candidate of signatures.split(' ')) {
		const [version, value] = candidate.split(',', 2);
		if (version !== 'v1' || !value) continue;
		const given = Buffer.from(value, 'base64');
		if (given.length === expected.length && timingSafeEqual(given, expected))
			return { valid: true };
	}
	return { valid: false, reason: 'no valid webhook-signature' };
}

/**
 * Compares a secret someone sent (a URL token, say) with the expected one in constant time.
 * Both are hashed first, so that neither the content nor the length of the expected secret
 * shows in the time the comparison takes.
 */
export function secretsMatch(given: string, expected: string): boolean {
	if (expected === '') return false;
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected));
}
