import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import type { KlingItemContext, KlingRequest } from '../../shared/itemContext';
import { sendRouted } from '../../shared/transport';
import { requireText } from '../../shared/validation';
import { downloadResult } from '../../../shared/taskResult';

export async function sendGetTask(
	this: KlingItemContext,
	resultOptions: KlingRequest,
): Promise<INodeExecutionData[]> {
	const items = await sendRouted(this, resultOptions);
	if (!this.getNodeParameter('downloadVideo', false)) return items;
	const options = this.getNodeParameter('options', {}) as IDataObject;
	return await Promise.all(
		items.map(
			async (item) =>
				await downloadResult(this, item, Boolean(options.watermarked), this.getItemIndex()),
		),
	);
}

const showOnlyForGet = { operation: ['get'] };

const TASKS_PATH = '/v1/videos/video-extend';

/**
 * Builds the path from the id after checking it, so an id such as `../x` or `a?b` stays one
 * path segment and an empty id is refused by name instead of listing tasks by accident.
 */
export async function buildGetTaskPath(
	this: KlingItemContext,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const lookupBy = this.getNodeParameter('lookupBy', 'taskId') as string;
	const label = lookupBy === 'externalTaskId' ? 'External Task ID' : 'Task ID';
	const id = requireText(
		this,
		label,
		this.getNodeParameter(lookupBy, ''),
		lookupBy === 'externalTaskId'
			? 'Give the External Task ID that was sent when the task was created.'
			: 'Give the task_id that Extend Video returned.',
	);
	// `.` and `..` survive any encoding and are removed by URL normalisation (even as %2E),
	// so they would address another resource: no Kling id looks like that.
	if (id === '.' || id === '..') {
		throw new NodeOperationError(this.getNode(), `${label} cannot be "${id}"`, {
			itemIndex: this.getItemIndex(),
			description: 'Kling ids are made of letters, digits and the like.',
		});
	}
	requestOptions.url = `${TASKS_PATH}/${encodeURIComponent(id)}`;
	return requestOptions;
}

export const getDescription: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookupBy',
		type: 'options',
		options: [
			{ name: 'Task ID', value: 'taskId', description: 'The task_id Kling gave the task' },
			{
				name: 'External Task ID',
				value: 'externalTaskId',
				description: 'Your own ID, sent as External Task ID when the task was created',
			},
		],
		default: 'taskId',
		displayOptions: { show: showOnlyForGet },
	},
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '841275849627750468',
		description: 'The task_id of the extension task',
		displayOptions: { show: { ...showOnlyForGet, lookupBy: ['taskId'] } },
	},
	{
		displayName: 'External Task ID',
		name: 'externalTaskId',
		type: 'string',
		required: true,
		default: '',
		description: 'The External Task ID given when the task was created',
		displayOptions: { show: { ...showOnlyForGet, lookupBy: ['externalTaskId'] } },
	},
	{
		displayName: 'Download Video',
		name: 'downloadVideo',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the result video to the item as binary data "data" when the task has succeeded',
		displayOptions: { show: showOnlyForGet },
	},
];
