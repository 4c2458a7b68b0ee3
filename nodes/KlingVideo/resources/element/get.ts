import type { NodeOperation } from '../../../shared/action/operations';
import { getTaskFields } from '../../../shared/fields/commonFields';
import { PRODUCTS } from '../../../shared/kling/products';
import { buildGetTaskPath } from '../../../shared/tasks/getTasks';
import { sendGetLibraryTask } from '../../../shared/tasks/library';

/**
 * Get: `GET /v1/general/advanced-custom-elements/<task id or external task id>` (Kling reads an
 * element by the task that made it, not by its element id).
 */
export const getElement: NodeOperation = {
	value: 'get',
	name: 'Get',
	action: 'Get an element',
	description: 'Get an element by the task that created it, with its element ID once made',
	request: () => ({ method: 'GET', url: PRODUCTS.element.endpoint.path }),
	checks: [buildGetTaskPath],
	send: sendGetLibraryTask,
	properties: getTaskFields({ operation: ['get'] }, 'element’s creation task', false),
};
