import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { isKlingTask, simplifyTask } from '../../shared/klingTask';
import { unwrapKlingResponse } from '../../shared/klingResponse';

/** Replaces the raw answer with Kling's `data`: one item per task, paired with its input. */
export async function unwrapTasks(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const data = unwrapKlingResponse(this.getNode(), response, this.getItemIndex());
	const tasks = Array.isArray(data) ? data : [data];
	const pairedItem = { item: this.getItemIndex() };
	return tasks.map((task) => ({ json: (task ?? {}) as IDataObject, pairedItem }));
}

export async function simplifyTasks(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	if (!this.getNodeParameter('simplify', false)) return items;
	return items.map((item) =>
		isKlingTask(item.json) ? { ...item, json: simplifyTask(item.json) } : item,
	);
}
