import { createHmac } from 'node:crypto';
import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { KLING_ERRORS } from '../nodes/shared/kling/errors';
import { KLING_BASE_URL_EXPRESSION, REGION_BASE_URLS } from '../nodes/shared/kling/regions';

/** Kling's documented token lifetime is 30 minutes; nbf is backdated to absorb clock skew. */
const TOKEN_LIFETIME_SECONDS = 1800;
const NOT_BEFORE_LEEWAY_SECONDS = 5;

function base64Url(input: Buffer | string): string {
	return Buffer.from(input).toString('base64url');
}

/** Signs the HS256 JWT Kling asks for (Kling's docs, "Authentication"). */
export function signKlingJwt(
	accessKey: string,
	secretKey: string,
	nowSeconds = Math.floor(Date.now() / 1000),
): string {
	const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const payload = base64Url(
		JSON.stringify({
			iss: accessKey,
			exp: nowSeconds + TOKEN_LIFETIME_SECONDS,
			nbf: nowSeconds - NOT_BEFORE_LEEWAY_SECONDS,
		}),
	);
	const signature = createHmac('sha256', secretKey).update(`${header}.${payload}`).digest();
	return `${header}.${payload}.${base64Url(signature)}`;
}

/** The credential test's read, by authentication method (see `KlingApi.test`). */
export const CREDENTIAL_TEST_URL_EXPRESSION =
	'={{ $credentials.authentication === "accessKey" ? "/v1/videos/video-extend?pageNum=1&pageSize=1" : "/tasks?task_ids=n8n-credential-test" }}';

export class KlingApi implements ICredentialType {
	name = 'klingApi';

	displayName = 'Kling API';

	icon: Icon = { light: 'file:../icons/kling.svg', dark: 'file:../icons/kling.dark.svg' };

	documentationUrl = 'https://app.klingai.com/global/dev/document-api/apiReference/commonInfo';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Access Key + Secret Key',
					value: 'accessKey',
					description:
						'Legacy API only (Kling Video Extend): sign a short-lived token with the key pair from the Kling developer console. Kling Video’s current models refuse it.',
				},
				{
					name: 'API Key',
					value: 'apiKey',
					description:
						'An API key from Kling’s console (https://kling.ai/dev/api-key): works with every node and model',
				},
			],
			default: 'apiKey',
		},
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['accessKey'] } },
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['accessKey'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['apiKey'] } },
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{
					name: 'Global (Singapore)',
					value: 'global',
					description: `${REGION_BASE_URLS.global}, for accounts outside China`,
				},
				{
					name: 'China (Beijing)',
					value: 'china',
					description: REGION_BASE_URLS.china,
				},
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'A proxy, or the Kling simulator that ships with this package',
				},
			],
			default: 'global',
			description: 'Where the account lives: keys of one region do not work in the other',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:4010',
			placeholder: 'http://127.0.0.1:4010',
			required: true,
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_...',
			description:
				"Optional. The secret from Kling's console that signs callbacks; the Kling Trigger refuses unsigned callbacks when it is set",
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// API Key is the default, so a credential that names no method sends its API key.
		const token =
			credentials.authentication === 'accessKey'
				? signKlingJwt(String(credentials.accessKey ?? ''), String(credentials.secretKey ?? ''))
				: String(credentials.apiKey ?? '');
		requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${token}` };
		return requestOptions;
	}

	/**
	 * A free read that needs valid keys: with an API key, a read of the current generation
	 * (`GET /tasks` for an id no task has, which answers an empty list); with an access key +
	 * secret key, which only the legacy API takes, a legacy list of one task. The request does
	 * not fail on HTTP errors, so that these rules can tell the user which Kling code came back
	 * and why.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: KLING_BASE_URL_EXPRESSION,
			url: CREDENTIAL_TEST_URL_EXPRESSION,
			method: 'GET',
			ignoreHttpStatusErrors: true,
			json: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: undefined,
					message:
						"The base URL did not answer like Kling's API: check the region, or the custom base URL",
				},
			},
			...Object.entries(KLING_ERRORS).map(
				([code, info]): IAuthenticateRuleResponseSuccessBody => ({
					type: 'responseSuccessBody',
					properties: {
						key: 'code',
						value: Number(code),
						message: `Kling error ${code}, ${info.meaning}. ${info.advice}`,
					},
				}),
			),
		],
	};
}
