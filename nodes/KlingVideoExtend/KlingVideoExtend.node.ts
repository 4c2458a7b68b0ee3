import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	callbackUrlFor,
	checkCallbackMode,
	receiveCallback,
	waitForCallbacks,
} from './shared/callbackWait';
import type { KlingItemContext } from './shared/itemContext';
import { requestSender } from './shared/itemContext';
import { resumeWebhookLifecycle } from '../shared/resumeWebhook';
import { executionIdOf, externalTaskIdPrefix, runRefOf } from './shared/runRef';
import { taskDescription, taskOperations } from './resources/task';

export class KlingVideoExtend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling Video Extend',
		name: 'klingVideoExtend',
		icon: { light: 'file:../../icons/kling.svg', dark: 'file:../../icons/kling.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"create": "Extend Video", "extendUntil": "Extend to Duration", "get": "Get Task", "getAll": "Get Many Tasks"}[$parameter["operation"]] }}',
		description: 'Extend Kling AI videos by a few seconds and read extension tasks',
		defaults: { name: 'Kling Video Extend' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'klingApi', required: true }],
		// Wait for Completion = Callback: Kling calls this execution's resume URL.
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
		properties: [...taskDescription],
	};

	webhookMethods = { default: resumeWebhookLifecycle };

	/**
	 * Every item's request starts at once (the transport bounds how many are in flight); results
	 * and errors come out in item order.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const sender = requestSender(this);
		const callbackUrl = callbackUrlOfRun(this, sender.forItem(0), items.length);
		const runs = items.map(async (_item, itemIndex) => {
			const ctx = sender.forItem(itemIndex);
			const operation = taskOperations[this.getNodeParameter('operation', itemIndex) as string];
			let request = operation.request(ctx);
			if (callbackUrl !== undefined) {
				checkCallbackMode(ctx);
				(request.body as IDataObject).callback_url = callbackUrl;
			}
			for (const check of operation.checks) request = await check.call(ctx, request);
			return await operation.send.call(ctx, { options: request });
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
					: new NodeOperationError(this.getNode(), result.reason as Error, { itemIndex });
			if (!this.continueOnFail()) throw error;
			output.push({ json: { error: error.message }, error, pairedItem: { item: itemIndex } });
		});
		if (callbackUrl !== undefined && output.some((item) => !item.error)) {
			return await waitForCallbacks(this, output);
		}
		return [output];
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveCallback(this);
	}
}

/** With Extend Video and Wait for Completion = Callback, where Kling is to call back. */
function callbackUrlOfRun(
	run: IExecuteFunctions,
	firstItem: KlingItemContext,
	itemCount: number,
): string | undefined {
	if (run.getNodeParameter('operation', 0) !== 'create') return undefined;
	if (run.getNodeParameter('waitForCompletion', 0, 'no') !== 'callback') return undefined;
	const resumeUrl = String(run.getWorkflowDataProxy(0).$execution.resumeUrl);
	const idPrefix = externalTaskIdPrefix(executionIdOf(firstItem), runRefOf(firstItem));
	return callbackUrlFor(resumeUrl, idPrefix, itemCount);
}
