import { createHash, timingSafeEqual } from 'crypto';
import jwt from 'jsonwebtoken';

import { KlingError } from './errors';
import type { SimulatorAccount } from './types';

/**
 * Resolves the account behind an Authorization header the way Kling's legacy /v1 endpoints do:
 * a JWT signed with the account's secret key, or (since 2026-06-17) the bare API key.
 */
export function authenticate(
	header: string | undefined,
	accounts: readonly SimulatorAccount[],
): SimulatorAccount {
	const token = bearerToken(header);
	if (token === undefined) {
		throw new KlingError(1002, 'Authorization is invalid: expected "Bearer <token>"');
	}
	// API keys are opaque; only JWTs have the header.payload.signature shape.
	return token.includes('.') ? byJwt(token, accounts) : byApiKey(token, accounts);
}

/** The token of a `Bearer <token>` header; 1001 when there is no header, undefined when malformed. */
function bearerToken(header: string | undefined): string | undefined {
	if (header === undefined || header.trim() === '') {
		throw new KlingError(1001);
	}
	return /^Bearer +(\S+) *$/i.exec(header)?.[1];
}

function byApiKey(key: string, accounts: readonly SimulatorAccount[]): SimulatorAccount {
	const account = accounts.find((a) => a.apiKey !== undefined && sameSecret(a.apiKey, key));
	if (!account) {
		throw new KlingError(1000, 'authentication failed: unknown API key');
	}
	return account;
}

function byJwt(token: string, accounts: readonly SimulatorAccount[]): SimulatorAccount {
	const decoded = jwt.decode(token, { complete: true });
	if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) {
		throw new KlingError(1002, 'Authorization is invalid: malformed token');
	}
	if (decoded.header.alg !== 'HS256') {
		throw new KlingError(1002, 'Authorization is invalid: token algorithm must be HS256');
	}
	const payload = decoded.payload;
	if (typeof payload.exp !== 'number') {
		throw new KlingError(1002, 'Authorization is invalid: token has no exp claim');
	}
	// The issuer picks the secret, so it can only be read before verification.
	const account = accounts.find((a) => a.accessKey === payload.iss);
	if (!account) {
		throw new KlingError(1000, 'authentication failed: unknown access key');
	}
	try {
		jwt.verify(token, account.secretKey, { algorithms: ['HS256'] });
	} catch (error) {
		if (error instanceof jwt.TokenExpiredError) {
			throw new KlingError(1004);
		}
		if (error instanceof jwt.NotBeforeError) {
			throw new KlingError(1003);
		}
		throw new KlingError(1000, `authentication failed: ${(error as Error).message}`);
	}
	return account;
}

function sameSecret(expected: string, given: string): boolean {
	// Hashing first gives equal lengths, which timingSafeEqual requires.
	const digest = (s: string) => createHash('sha256').update(s).digest();
	return timingSafeEqual(digest(expected), digest(given));
}

/** What Kling answers (HTTP 401, code 1002) to an AK/SK JWT, or an unknown key, on the current API. */
export const AKSK_NOT_SUPPORTED_MESSAGE =
	'Authentication error. The current API does not support AK/SK; please go to the console (https://kling.ai/dev/api-key) to create API key.';

/**
 * The current API generation takes the API key only (Kling's docs, "Authentication": "The new API
 * supports authentication via API Key only"). A JWT, or a key nobody has, answers 401/1002.
 */
export function authenticateApiKey(
	header: string | undefined,
	accounts: readonly SimulatorAccount[],
): SimulatorAccount {
	const token = bearerToken(header);
	const account =
		token === undefined || token.includes('.')
			? undefined
			: accounts.find((a) => a.apiKey !== undefined && sameSecret(a.apiKey, token));
	if (!account) throw new KlingError(1002, AKSK_NOT_SUPPORTED_MESSAGE);
	return account;
}
