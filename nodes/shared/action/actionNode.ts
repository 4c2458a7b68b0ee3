import type {
	IExecuteFunctions,
	INodeTypeDescription,
	IHttpRequestOptions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { callbackUrlFor, receiveCallback, waitForCallbacks } from '../waiting/callbackWait';
import type { KlingItemContext } from '../transport/itemContext';
import { requestSender } from '../transport/itemContext';
import { executionIdOf, externalTaskIdPrefix, runRefOf } from '../tasks/runRef';
import { placeCallbackUrl } from '../tasks/createTask';
import type { ProductId } from '../kling/products';
import { PRODUCTS } from '../kling/products';

/**
 * What an action node declares so that Wait for Completion = Callback can work: the resume
 * webhook Kling calls (n8n serves it while the execution waits) and the editor's tooltip.
 */
export const callbackWaitDescription: Pick<
	INodeTypeDescription,
	'webhooks' | 'waitingNodeTooltip'
> = {
	webhooks: [
		{
			name: 'default',
			httpMethod: 'POST',
			responseMode: 'onReceived',
			path: '',
			restartWebhook: true,
		},
	],
	waitingNodeTooltip:
		'={{ "Waiting for Kling to call back the resume URL of this execution (at most " + $parameter["maxWait"] + " minutes)" }}',
};

type Check = (this: KlingItemContext, request: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/** One operation of an action node (Kling Video, Kling Video Extend). */
export interface TaskOperation {
	/** The request as the fields give it, before the checks. */
	request(ctx: KlingItemContext): IHttpRequestOptions;
	/** Run in order before anything is sent: they refuse bad input by name and complete the request. */
	checks: Check[];
	/** Owns the request loop: retries, the no-duplicate create, waiting, pages and downloads. */
	send(this: KlingItemContext, request: IHttpRequestOptions): Promise<INodeExecutionData[]>;
	/**
	 * The product whose tasks the operation creates. Such an operation takes the create fields
	 * and, unless `waits` is false, the user's Wait for Completion (by callback where the product
	 * can call back).
	 */
	creates?: ProductId;
	/** False for a create that waits on its own terms (Extend to Duration). */
	waits?: false;
}

/**
 * A node's operations by resource and value (`operationKey`); a node without a Resource field
 * has the one resource ''.
 */
export type TaskOperations = Record<string, TaskOperation>;

export function operationKey(resource: string, operation: string): string {
	return `${resource}:${operation}`;
}

/** What reads one item's parameters: an execution's item, or a callback's node. */
type Parameters = (name: string, fallback: unknown) => unknown;

function chosenOperation(
	operations: TaskOperations,
	parameter: Parameters,
): TaskOperation | undefined {
	const resource = String(parameter('resource', ''));
	return operations[operationKey(resource, String(parameter('operation', '')))];
}

export function waitsForCompletion(operation: TaskOperation): boolean {
	return operation.creates !== undefined && operation.waits !== false;
}

/** The product an operation waits for by callback; undefined when it cannot. */
function callbackProduct(operation: TaskOperation | undefined): ProductId | undefined {
	if (!operation || !waitsForCompletion(operation)) return undefined;
	return PRODUCTS[operation.creates!].callbacks ? operation.creates : undefined;
}

/**
 * The execute() of an action node. Every item's request starts at once (the transport bounds
 * how many are in flight); results and errors come out in item order.
 */
export async function executeOperations(
	run: IExecuteFunctions,
	operations: TaskOperations,
): Promise<INodeExecutionData[][]> {
	const items = run.getInputData();
	const sender = requestSender(run);
	const callbackUrl = callbackUrlOfRun(run, operations, sender.forItem(0), items.length);
	const runs = items.map(async (_item, itemIndex) => {
		const ctx = sender.forItem(itemIndex);
		const operation = chosenOperation(operations, (name, fallback) =>
			run.getNodeParameter(name, itemIndex, fallback),
		)!;
		let request = operation.request(ctx);
		// With Callback, Callback URL and External Task ID are not shown (n8n passes no value of a
		// hidden field on), so the resume URL and the node's own ids are the only ones sent.
		if (callbackUrl !== undefined) placeCallbackUrl(request, callbackUrl);
		for (const check of operation.checks) request = await check.call(ctx, request);
		return await operation.send.call(ctx, request);
	});
	const settled = await Promise.allSettled(runs);
	const output: INodeExecutionData[] = [];
	settled.forEach((result, itemIndex) => {
		if (result.status === 'fulfilled') {
			output.push(...result.value);
			return;
		}
		const error =
			result.reason instanceof NodeApiError || result.reason instanceof NodeOperationError
				? result.reason
				: new NodeOperationError(run.getNode(), result.reason as Error, { itemIndex });
		if (!run.continueOnFail()) throw error;
		output.push({ json: { error: error.message }, error, pairedItem: { item: itemIndex } });
	});
	if (callbackUrl !== undefined && output.some((item) => !item.error)) {
		return await waitForCallbacks(run, output);
	}
	return [output];
}

/** The webhook() of an action node: Kling's callback to an execution that waits for it. */
export async function receiveOperationCallback(
	hook: IWebhookFunctions,
	operations: TaskOperations,
): Promise<IWebhookResponseData> {
	const product = callbackProduct(
		chosenOperation(operations, (name, fallback) => hook.getNodeParameter(name, fallback)),
	);
	if (product === undefined) {
		throw new NodeOperationError(hook.getNode(), 'This operation does not wait for callbacks');
	}
	return await receiveCallback(hook, PRODUCTS[product].legacyTasksPath);
}

/** With Wait for Completion = Callback on a creating operation, where Kling is to call back. */
function callbackUrlOfRun(
	run: IExecuteFunctions,
	operations: TaskOperations,
	firstItem: KlingItemContext,
	itemCount: number,
): string | undefined {
	if (
		callbackProduct(
			chosenOperation(operations, (name, fallback) => run.getNodeParameter(name, 0, fallback)),
		) === undefined
	) {
		return undefined;
	}
	if (run.getNodeParameter('waitForCompletion', 0, 'no') !== 'callback') return undefined;
	const resumeUrl = String(run.getWorkflowDataProxy(0).$execution.resumeUrl);
	const idPrefix = externalTaskIdPrefix(executionIdOf(firstItem), runRefOf(firstItem));
	return callbackUrlFor(resumeUrl, idPrefix, itemCount);
}
