import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { KlingItemContext } from '../transport/itemContext';
import { fail } from './validation';

/** Where Kling's console makes API keys (Kling's docs, "Authentication"). */
export const API_KEY_CONSOLE_URL = 'https://kling.ai/dev/api-key';

export const API_KEY_ADVICE = `Create an API key in Kling's console (${API_KEY_CONSOLE_URL}), then set Authentication to API Key in the Kling API credential and paste the key there.`;

/** A credential saved without a method is an API key, the credential's default. */
export function usesAccessKeys(credentials: ICredentialDataDecryptedObject): boolean {
	return credentials.authentication === 'accessKey';
}

/**
 * Kling's current API takes API keys only and answers a signed token with 401/1002 and a
 * message that does not say what to do: refused here, before anything is sent.
 */
export async function refuseAccessKeys(ctx: KlingItemContext, message: string): Promise<void> {
	if (usesAccessKeys(await ctx.getCredentials())) fail(ctx, message, API_KEY_ADVICE);
}
