import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { TaskOperations } from '../../nodes/shared/action/actionNode';
import { operationKey } from '../../nodes/shared/action/actionNode';
import {
	callbackWaitDescription,
	executeOperations,
	receiveOperationCallback,
} from '../../nodes/shared/action/actionNode';
import { optionsField, simplifyField, waitFields } from '../../nodes/shared/fields/commonFields';
import { sendCreateTask } from '../../nodes/shared/waiting/createAndWait';

/**
 * An action node that creates text-to-video tasks of Kling's current generation through the
 * package's shared plumbing (execute, the no-duplicate create, waiting by poll and by callback),
 * with the smallest request Kling takes: `POST /text-to-video/<model>` with a prompt. It tests
 * that plumbing apart from Kling Video's own fields.
 */
export const CURRENT_CREATE_TYPE = 'test.klingCurrentCreate';

export const currentCreateOperations: TaskOperations = {
	[operationKey('', 'create')]: {
		request: (ctx) => ({
			method: 'POST',
			url: `/text-to-video/${String(ctx.getNodeParameter('model', 'kling-3.0-turbo'))}`,
			body: {
				prompt: String(ctx.getNodeParameter('prompt', 'A fox')),
				settings: { duration: 5 },
				options: ctx.getNodeParameter('externalTaskId', '')
					? { external_task_id: String(ctx.getNodeParameter('externalTaskId', '')) }
					: {},
			},
		}),
		checks: [],
		send: sendCreateTask('textToVideo'),
		creates: 'textToVideo',
	},
};

export class KlingCurrentCreate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling Current Create (test)',
		name: 'klingCurrentCreate',
		group: ['transform'],
		version: 1,
		description: 'Creates current-generation Kling tasks with the shared plumbing',
		defaults: { name: 'Kling Current Create' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'klingApi', required: true }],
		...callbackWaitDescription,
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				options: [{ name: 'Create', value: 'create' }],
				default: 'create',
			},
			{ displayName: 'Prompt', name: 'prompt', type: 'string', default: 'A fox' },
			{ displayName: 'Model', name: 'model', type: 'string', default: 'kling-3.0-turbo' },
			{ displayName: 'External Task ID', name: 'externalTaskId', type: 'string', default: '' },
			...waitFields(['create']),
			simplifyField,
			optionsField,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, currentCreateOperations);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveOperationCallback(this, currentCreateOperations);
	}
}
