/**
 * Kling's error codes (Kling's docs, "Error Codes") with what they mean and what the user can
 * do, so every failure reads as a plain sentence instead of a bare number.
 */
export interface KlingErrorInfo {
	meaning: string;
	advice: string;
	retryable: boolean;
}

export const KLING_ERRORS: Record<number, KlingErrorInfo> = {
	1000: {
		meaning: 'authentication failed',
		advice:
			'Check the access key and secret key (or API key) in the Kling API credential, and that its region matches the account.',
		retryable: false,
	},
	1001: {
		meaning: 'the Authorization header is empty',
		advice: 'Fill in the Kling API credential.',
		retryable: false,
	},
	1002: {
		meaning: 'the Authorization header is invalid',
		advice:
			"Check the keys in the Kling API credential and the chosen authentication method. Kling's current models and its /tasks endpoints take only an API key: create one in Kling's console (https://kling.ai/dev/api-key).",
		retryable: false,
	},
	1003: {
		meaning: 'the token is not valid yet',
		advice: "Check the clock of the machine running n8n: it seems ahead of Kling's.",
		retryable: false,
	},
	1004: {
		meaning: 'the token has expired',
		advice: "Check the clock of the machine running n8n: it seems behind Kling's.",
		retryable: true,
	},
	1100: {
		meaning: 'the account has a problem',
		advice: 'Look at the account in the Kling console.',
		retryable: false,
	},
	1101: {
		meaning: 'the account is in arrears',
		advice: 'Top up the account in the Kling console.',
		retryable: false,
	},
	1102: {
		meaning: 'the resource pack is used up or expired',
		advice: 'Buy or renew a resource pack in the Kling console.',
		retryable: false,
	},
	1103: {
		meaning: 'the account may not use this API or model',
		advice: 'Check the account’s permissions in the Kling console.',
		retryable: false,
	},
	1200: {
		meaning: 'the request parameters are invalid',
		advice: 'Check the node’s fields.',
		retryable: false,
	},
	1201: {
		meaning: 'a parameter is invalid',
		advice: 'Correct the field Kling names in its message.',
		retryable: false,
	},
	1202: {
		meaning: 'the request method is invalid',
		advice: 'Check the base URL of the Kling API credential.',
		retryable: false,
	},
	1203: {
		meaning: 'the resource was not found',
		advice:
			'Check the id: videos and tasks are deleted 30 days after generation, and ids of one account or region are unknown to another.',
		retryable: false,
	},
	1300: {
		meaning: 'a platform policy was triggered',
		advice: 'Change the request.',
		retryable: false,
	},
	1301: {
		meaning: 'the content security policy was triggered',
		advice: 'Change the prompt or the video.',
		retryable: false,
	},
	1302: {
		meaning: 'too many requests: the rate limit was passed',
		advice: 'Wait a little and try again, or send fewer requests at once.',
		retryable: true,
	},
	1303: {
		meaning: 'too many tasks at once for the resource pack',
		advice: 'Wait until running tasks finish, or send fewer at once.',
		retryable: true,
	},
	1304: {
		meaning: 'the IP allow-list refused this machine',
		advice: 'Add the address of the machine running n8n to the allow-list in the Kling console.',
		retryable: false,
	},
	5000: {
		meaning: 'Kling had an internal error',
		advice: 'Try again later.',
		retryable: true,
	},
	5001: {
		meaning: 'Kling is unavailable (maintenance)',
		advice: 'Try again later.',
		retryable: true,
	},
	5002: {
		meaning: 'Kling timed out internally (backlog)',
		advice: 'Try again later.',
		retryable: true,
	},
};

export function describeKlingCode(code: number): KlingErrorInfo {
	return (
		KLING_ERRORS[code] ?? {
			meaning: 'an error this package does not know',
			advice: 'See Kling’s message and its error code documentation.',
			retryable: false,
		}
	);
}
