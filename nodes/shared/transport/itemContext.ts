import type {
	ICredentialDataDecryptedObject,
	IExecuteData,
	IExecuteFunctions,
	IWebhookFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { klingBaseUrl } from '../../../credentials/KlingApi.credentials';
import { simplifyTasks, unwrapTasks } from '../tasks/taskItems';

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
	/** The Kling API credential of this item (its authentication decides what Kling takes). */
	getCredentials(): Promise<ICredentialDataDecryptedObject>;
	/**
	 * Sends one request (its url relative to the credential's base URL) with the credential,
	 * once, and answers Kling's tasks as items (or throws).
	 */
	sendKlingRequest(request: IHttpRequestOptions): Promise<INodeExecutionData[]>;
}

const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json' };

type Host = IExecuteFunctions | IWebhookFunctions;

function isExecution(host: Host): host is IExecuteFunctions {
	return 'getInputData' in host;
}

/**
 * Item contexts of one node run (an execution of the node, or a callback to its waiting
 * execution): they share the credential's base URL and the run-wide state keyed by the run.
 */
export function requestSender(host: Host): { forItem(itemIndex: number): KlingItemContext } {
	const runKey: IExecuteData = isExecution(host)
		? host.getExecuteData()
		: { node: host.getNode(), data: {}, source: null };
	let baseUrl: Promise<string> | undefined;
	return {
		forItem(itemIndex) {
			const context: KlingItemContext = {
				getNode: () => host.getNode(),
				getNodeParameter: (name, fallback) =>
					isExecution(host)
						? host.getNodeParameter(name, itemIndex, fallback)
						: host.getNodeParameter(name, fallback),
				getItemIndex: () => itemIndex,
				getExecuteData: () => runKey,
				getExecutionId: () => host.getExecutionId(),
				helpers: host.helpers,
				async readInputBinary(propertyName) {
					if (!isExecution(host)) return undefined;
					if (!host.getInputData()[itemIndex]?.binary?.[propertyName]) return undefined;
					return await host.helpers.getBinaryDataBuffer(itemIndex, propertyName);
				},
				inputBinaryNames: () =>
					isExecution(host) ? Object.keys(host.getInputData()[itemIndex]?.binary ?? {}) : [],
				getCredentials: async () => await host.getCredentials('klingApi', itemIndex),
				async sendKlingRequest(request) {
					baseUrl ??= host.getCredentials('klingApi', itemIndex).then(klingBaseUrl);
					const response = (await host.helpers.httpRequestWithAuthentication.call(
						host,
						'klingApi',
						{
							...request,
							baseURL: await baseUrl,
							headers: { ...JSON_HEADERS, ...request.headers },
							json: true,
							// Kling explains its errors in the body of 4xx/5xx answers; unwrapTasks reads them.
							ignoreHttpStatusErrors: true,
							returnFullResponse: true,
						},
					)) as IN8nHttpFullResponse;
					return simplifyTasks(context, unwrapTasks(context, response));
				},
			};
			return context;
		},
	};
}
