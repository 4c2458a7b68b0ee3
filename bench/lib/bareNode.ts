/**
 * The engine's own cost, for P1: the smallest declarative node that makes the same requests
 * (requestDefaults and one routing.request per operation, no pagination function, no
 * postReceive, no checks), with the same credential so that both sign the same way.
 */
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeTypes } from '../../test/harness/runWorkflow';

export const BARE_NODE_TYPE = 'bench.bare';

const TASKS_PATH = '/v1/videos/video-extend';

export class BareDeclarative implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bare Declarative',
		name: 'bare',
		group: ['transform'],
		version: 1,
		description: 'A minimal declarative node for benchmarks',
		defaults: { name: 'Bare' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'klingApi', required: true }],
		requestDefaults: {
			baseURL: '={{ $credentials.baseUrl }}',
			headers: { Accept: 'application/json' },
			json: true,
		},
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Get',
						value: 'get',
						routing: {
							request: { method: 'GET', url: `=${TASKS_PATH}/{{ $parameter.taskId }}` },
						},
					},
					{
						name: 'Create',
						value: 'create',
						routing: { request: { method: 'POST', url: TASKS_PATH } },
					},
				],
				default: 'get',
			},
			{
				displayName: 'Task ID',
				name: 'taskId',
				type: 'string',
				default: '',
				displayOptions: { show: { operation: ['get'] } },
			},
			{
				displayName: 'Video ID',
				name: 'videoId',
				type: 'string',
				default: '',
				displayOptions: { show: { operation: ['create'] } },
				routing: { send: { type: 'body', property: 'video_id' } },
			},
			{
				displayName: 'Prompt',
				name: 'prompt',
				type: 'string',
				default: '',
				displayOptions: { show: { operation: ['create'] } },
				routing: { send: { type: 'body', property: 'prompt' } },
			},
			{
				displayName: 'External Task ID',
				name: 'externalTaskId',
				type: 'string',
				default: '',
				displayOptions: { show: { operation: ['create'] } },
				routing: { send: { type: 'body', property: 'external_task_id' } },
			},
		],
	};
}

let registered = false;

export function registerBareNode(): void {
	if (registered) return;
	nodeTypes.register(BARE_NODE_TYPE, new BareDeclarative());
	registered = true;
}
