import type { NodeOperation } from '../../../shared/action/operations';
import { getTaskFields } from '../../../shared/fields/commonFields';
import { PRODUCTS } from '../../../shared/kling/products';
import { buildGetTaskPath } from '../../../shared/tasks/getTasks';
import { sendGetLibraryTask } from '../../../shared/tasks/library';

/** Get: `GET /v1/general/custom-voices/<task id or external task id>`. */
export const getVoice: NodeOperation = {
	value: 'get',
	name: 'Get',
	action: 'Get a voice',
	description: 'Get a voice by the task that created it, with its voice ID once made',
	request: () => ({ method: 'GET', url: PRODUCTS.voice.endpoint.path }),
	checks: [buildGetTaskPath],
	send: sendGetLibraryTask,
	properties: getTaskFields({ operation: ['get'] }, 'voice’s creation task', false),
};
