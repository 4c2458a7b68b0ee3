import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { KLING_BASE_URL_EXPRESSION } from '../../credentials/KlingApi.credentials';
import { taskDescription } from './resources/task';

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
		requestDefaults: {
			baseURL: KLING_BASE_URL_EXPRESSION,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			json: true,
			// Kling explains its errors in the body of 4xx/5xx answers; let unwrapTasks read them.
			ignoreHttpStatusErrors: true,
		},
		properties: [...taskDescription],
	};
}
