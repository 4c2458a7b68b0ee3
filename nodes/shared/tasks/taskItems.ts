import type { IDataObject, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import type { KlingItemContext } from '../transport/itemContext';
import { isKlingTask, simplifyTask } from '../kling/task';
import { unwrapKlingResponse } from '../transport/klingResponse';

/** Replaces the raw answer with Kling's `data`: one item per task, paired with its input. */
export function unwrapTasks(
	ctx: KlingItemContext,
	response: IN8nHttpFullResponse,
): INodeExecutionData[] {
	const data = unwrapKlingResponse(ctx.getNode(), response, ctx.getItemIndex());
	const tasks = Array.isArray(data) ? data : [data];
	const pairedItem = { item: ctx.getItemIndex() };
	return tasks.map((task) => ({ json: (task ?? {}) as IDataObject, pairedItem }));
}

export function simplifyTasks(
	ctx: KlingItemContext,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	if (!ctx.getNodeParameter('simplify', false)) return items;
	return items.map((item) =>
		isKlingTask(item.json) ? { ...item, json: simplifyTask(item.json) } : item,
	);
}
