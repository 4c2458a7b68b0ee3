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
import { resourcePickerMethods } from '../shared/loadOptions/resourcePickers';
import { videoDescription, videoOperations, videoSubtitle } from './resources';

export class KlingVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling Video',
		name: 'klingVideo',
		icon: { light: 'file:../../icons/kling.svg', dark: 'file:../../icons/kling.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: videoSubtitle,
		// What an AI agent's model reads about the tool, too: what it does, that it is paid, how long.
		description:
			'Generate Kling AI videos from a prompt or an image (each a paid generation that takes a few minutes) and read their tasks; create, list and delete custom elements and voices for them',
		defaults: { name: 'Kling Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'klingApi', required: true }],
		...callbackWaitDescription,
		properties: [...videoDescription],
	};

	// The pickers of Element IDs and Voice IDs (and of the element or voice to bind or delete).
	methods = { loadOptions: resourcePickerMethods };

	webhookMethods = { default: resumeWebhookLifecycle };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeAsToolWhenCalledByAgent(
			this,
			async (run) => await executeOperations(run, videoOperations),
		);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveOperationCallback(this, videoOperations);
	}
}
