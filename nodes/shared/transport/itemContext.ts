import type {
	ICredentialDataDecryptedObject,
	IExecuteData,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
} from 'n8n-workflow';

import { ApplicationError } from 'n8n-workflow';

import { klingBaseUrl } from '../kling/regions';
import { unwrapKlingResponse } from './klingResponse';

/**
 * What the operations see of n8n while they work on one input item: that item's parameters,
 * the node, and a way to send a request to Kling that comes back as items.
 */
export interface KlingItemContext {
	getNode(): INode;
	getNodeParameter(name: string, fallback?: unknown): unknown;
	getItemIndex(): number;
	/** The same object for every item of one node run (keys run-wide state such as the limiter). */
	getExecuteData(): IExecuteData;
	getExecutionId(): string;
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequest' | 'prepareBinaryData'>;
	/** The bytes of the input item's binary field; undefined when the item has none by that name. */
	readInputBinary(propertyName: string): Promise<Buffer | undefined>;
	/** The names of the input item's binary fields. */
	inputBinaryNames(): string[];
	/** The Kling API credential, decrypted (read once per node run). */
	getCredentials(): Promise<ICredentialDataDecryptedObject>;
	/**
	 * Sends one request (its url relative to the credential's base URL) with the credential,
	 * once, and answers the `data` of Kling's answer as Kling sent it (or throws a NodeApiError
	 * that names Kling's code).
	 */
	sendKlingRequest(request: IHttpRequestOptions): Promise<unknown>;
	/** Retry and timeout settings a node without the Options fields (the trigger) uses. */
	transportDefaults?: Partial<Record<'maxRetries' | 'retryDelayMs' | 'timeoutMs', number>>;
}

const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json' };

/** An execution of the node, a callback to its waiting execution, or the editor's list of options. */
type Host = IExecuteFunctions | IWebhookFunctions | ILoadOptionsFunctions;

function isExecution(host: Host): host is IExecuteFunctions {
	return 'getInputData' in host;
}

type Helpers = KlingItemContext['helpers'];

/** The helpers of the host; loading options has no binary data to prepare. */
function helpersOf(host: Host): Helpers {
	if ('prepareBinaryData' in host.helpers) return host.helpers as Helpers;
	return {
		httpRequest: host.helpers.httpRequest,
		prepareBinaryData: async () => {
			throw new ApplicationError('Loading options keeps no binary data');
		},
	};
}

/**
 * Item contexts of one node run (an execution of the node, a callback to its waiting execution,
 * or a list of options the editor asks for): they share the credential's base URL and the
 * run-wide state keyed by the run.
 */
export function requestSender(
	host: Host,
	transportDefaults?: KlingItemContext['transportDefaults'],
): { forItem(itemIndex: number): KlingItemContext } {
	const runKey: IExecuteData = isExecution(host)
		? host.getExecuteData()
		: { node: host.getNode(), data: {}, source: null };
	let credentials: Promise<ICredentialDataDecryptedObject> | undefined;
	const getCredentials = async () => await (credentials ??= host.getCredentials('klingApi', 0));
	return {
		forItem(itemIndex) {
			const context: KlingItemContext = {
				getNode: () => host.getNode(),
				getNodeParameter: (name, fallback) =>
					isExecution(host)
						? host.getNodeParameter(name, itemIndex, fallback)
						: (host as IWebhookFunctions).getNodeParameter(name, fallback),
				getItemIndex: () => itemIndex,
				getExecuteData: () => runKey,
				getExecutionId: () => host.getExecutionId(),
				helpers: helpersOf(host),
				getCredentials,
				transportDefaults,
				async readInputBinary(propertyName) {
					if (!isExecution(host)) return undefined;
					if (!host.getInputData()[itemIndex]?.binary?.[propertyName]) return undefined;
					return await host.helpers.getBinaryDataBuffer(itemIndex, propertyName);
				},
				inputBinaryNames: () =>
					isExecution(host) ? Object.keys(host.getInputData()[itemIndex]?.binary ?? {}) : [],
				async sendKlingRequest(request) {
					const response = (await host.helpers.httpRequestWithAuthentication.call(
						host,
						'klingApi',
						{
							...request,
							baseURL: klingBaseUrl(await getCredentials()),
							headers: { ...JSON_HEADERS, ...request.headers },
							json: true,
							// Kling explains its errors in the body of 4xx/5xx answers; unwrapKlingResponse reads them.
							ignoreHttpStatusErrors: true,
							returnFullResponse: true,
						},
					)) as IN8nHttpFullResponse;
					return unwrapKlingResponse(host.getNode(), response, itemIndex);
				},
			};
			return context;
		},
	};
}
