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
	 * For an operation that creates tasks and can wait for Kling's callback (Wait for
	 * Completion = Callback): the legacy endpoint its tasks are read from when a legacy-shape
	 * callback arrives. Callbacks of the current generation are read at `/tasks`.
	 */
	callbackTasksPath?: string;
}

export type TaskOperations = Record<string, TaskOperation>;

function operationOf(operations: TaskOperations, value: unknown): TaskOperation {
	return operations[String(value)];
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
		const operation = operationOf(operations, run.getNodeParameter('operation', itemIndex));
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
	const tasksPath = operationOf(
		operations,
		hook.getNodeParameter('operation', ''),
	)?.callbackTasksPath;
	if (tasksPath === undefined) {
		throw new NodeOperationError(hook.getNode(), 'This operation does not wait for callbacks');
	}
	return await receiveCallback(hook, tasksPath);
}

/** With Wait for Completion = Callback on a creating operation, where Kling is to call back. */
function callbackUrlOfRun(
	run: IExecuteFunctions,
	operations: TaskOperations,
	firstItem: KlingItemContext,
	itemCount: number,
): string | undefined {
	const operation = operationOf(operations, run.getNodeParameter('operation', 0));
	if (operation?.callbackTasksPath === undefined) return undefined;
	if (run.getNodeParameter('waitForCompletion', 0, 'no') !== 'callback') return undefined;
	const resumeUrl = String(run.getWorkflowDataProxy(0).$execution.resumeUrl);
	const idPrefix = externalTaskIdPrefix(executionIdOf(firstItem), runRefOf(firstItem));
	return callbackUrlFor(resumeUrl, idPrefix, itemCount);
}
