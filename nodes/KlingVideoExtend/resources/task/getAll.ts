import type { NodeOperation } from '../../../shared/action/operations';
import { listFields } from '../../../shared/fields/commonFields';
import { PRODUCTS } from '../../../shared/kling/products';
import { paginateTasks, validateListInput } from '../../../shared/tasks/getTasks';

/** Get Many: `GET /v1/videos/video-extend?pageNum&pageSize` (legacy generation). */
export const getManyTasks: NodeOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many tasks',
	description: 'List extension tasks, newest first',
	request: () => ({ method: 'GET', url: PRODUCTS.videoExtend.endpoint.path, qs: {} }),
	checks: [validateListInput],
	send: paginateTasks,
	properties: listFields({ operation: ['getAll'] }),
};
