import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { KlingItemContext, KlingRequest } from '../../shared/itemContext';
import {
	MAX_LISTABLE_TASKS,
	PAGE_NUM_MAX,
	PAGE_SIZE_MAX,
	checkNumberInRange,
} from '../../shared/validation';
import { sendRouted, transportSettings } from '../../shared/transport';

const showOnlyForGetAll = { operation: ['getAll'] };

export async function validateListInput(
	this: KlingItemContext,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (!this.getNodeParameter('returnAll', false)) {
		checkNumberInRange(this, 'Limit', this.getNodeParameter('limit', 50), 1, MAX_LISTABLE_TASKS, {
			integer: true,
		});
	}
	return requestOptions;
}

function taskIdOf(item: INodeExecutionData): unknown {
	const json = item.json as IDataObject;
	return json.task_id ?? json.taskId;
}

/**
 * Kling pages by number (pageNum 1..1000, pageSize 1..500) and gives no total, so pages are
 * read until a short one. This function asks for the pages a few at a time (the transport
 * bounds how many), and keeps them in order. A task created while paging shifts the newest-first list by one, so
 * tasks already seen on an earlier page are not emitted twice.
 */
export async function paginateTasks(
	this: KlingItemContext,
	resultOptions: KlingRequest,
): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', false) as boolean;
	const wanted = returnAll ? MAX_LISTABLE_TASKS : (this.getNodeParameter('limit', 50) as number);
	const pageSize = Math.min(PAGE_SIZE_MAX, wanted);
	const lastPage = Math.min(PAGE_NUM_MAX, Math.ceil(wanted / pageSize));
	const { concurrency } = transportSettings(this);
	const seen = new Set<unknown>();
	const results: INodeExecutionData[] = [];

	let nextPage = 1;
	let finished = false;
	while (!finished && nextPage <= lastPage) {
		const wave: number[] = [];
		while (wave.length < Math.max(1, concurrency) && nextPage <= lastPage) wave.push(nextPage++);
		const pages = await Promise.all(
			wave.map(
				async (pageNum) =>
					await sendRouted(this, resultOptions, {
						qs: { ...resultOptions.options.qs, pageNum, pageSize },
					}),
			),
		);
		for (const page of pages) {
			for (const item of page) {
				const id = taskIdOf(item);
				if (id !== undefined && seen.has(id)) continue;
				seen.add(id);
				results.push(item);
			}
			if (page.length < pageSize) {
				finished = true;
				break;
			}
		}
	}
	return results.slice(0, wanted);
}

export const getAllDescription: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: showOnlyForGetAll },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_LISTABLE_TASKS },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...showOnlyForGetAll, returnAll: [false] } },
	},
];
