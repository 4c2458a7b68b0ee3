import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * Where Kling's API lives for an account (Kling's docs, "Authentication": the Singapore host for
 * accounts outside China; the Beijing host for accounts in China). A custom base URL reaches a
 * proxy or the simulator.
 */
export const REGION_BASE_URLS = {
	global: 'https://api-singapore.klingai.com',
	china: 'https://api-beijing.klingai.com',
} as const;

export type Region = keyof typeof REGION_BASE_URLS | 'custom';

/** The base URL of the credential's region, for code that has the credential's data. */
export function klingBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.region === 'custom') return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	return credentials.region === 'china' ? REGION_BASE_URLS.china : REGION_BASE_URLS.global;
}

/**
 * The same choice as an n8n expression, for the credential's test, which n8n runs as a
 * declarative request.
 */
export const KLING_BASE_URL_EXPRESSION = `={{ $credentials.region === "custom" ? String($credentials.baseUrl).replace(/\\/+$/, "") : ($credentials.region === "china" ? "${REGION_BASE_URLS.china}" : "${REGION_BASE_URLS.global}") }}`;
