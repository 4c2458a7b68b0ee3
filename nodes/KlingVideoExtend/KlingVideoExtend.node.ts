import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	callbackWaitDescription,
	executeOperations,
	receiveOperationCallback,
} from '../shared/action/actionNode';
import { resumeWebhookLifecycle } from '../shared/action/resumeWebhook';
import { executeAsToolWhenCalledByAgent } from '../shared/agentTools/toolRun';
import { taskDescription, taskOperations, taskSubtitle } from './resources/task';

export class KlingVideoExtend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling Video Extend',
		name: 'klingVideoExtend',
		icon: { light: 'file:../../icons/kling.svg', dark: 'file:../../icons/kling.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: taskSubtitle,
		// What an AI agent's model reads about the tool, too: what it does, that it is paid, how long.
		description:
			'Extend Kling AI videos by about 4.5 seconds (each a paid generation that takes a few minutes) and read extension tasks. Kling extends only V1.x videos made through its API in the last 30 days, and no longer makes V1.x videos.',
		defaults: { name: 'Kling Video Extend' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'klingApi', required: true }],
		...callbackWaitDescription,
		properties: [...taskDescription],
	};

	webhookMethods = { default: resumeWebhookLifecycle };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeAsToolWhenCalledByAgent(
			this,
			async (run) => await executeOperations(run, taskOperations),
		);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveOperationCallback(this, taskOperations);
	}
}
