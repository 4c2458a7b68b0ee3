import type { NodeOperation } from '../../../shared/action/operations';
import { getTaskFields } from '../../../shared/fields/commonFields';
import { PRODUCTS } from '../../../shared/kling/products';
import { buildGetTaskPath, sendGetTask } from '../../../shared/tasks/getTasks';

/** Get Task: `GET /v1/videos/video-extend/<task id or external task id>` (legacy generation). */
export const getTask: NodeOperation = {
	value: 'get',
	name: 'Get Task',
	action: 'Get a task',
	description: 'Get an extension task, with its result once it has finished',
	request: () => ({ method: 'GET', url: PRODUCTS.videoExtend.endpoint.path }),
	checks: [buildGetTaskPath],
	send: sendGetTask,
	properties: getTaskFields({ operation: ['get'] }, 'extension task'),
};
