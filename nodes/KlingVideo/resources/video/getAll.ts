import type { NodeOperation } from '../../../shared/action/operations';
import { listFields, statusFilterField } from '../../../shared/fields/commonFields';
import { CURRENT_TASKS_PATH } from '../../../shared/kling/products';
import { listCurrentTasks, requireApiKey, validateListInput } from '../../../shared/tasks/getTasks';

/** Get Many: `POST /tasks`, cursor pages of up to 500, optionally of some statuses only. */
export const getManyTasks: NodeOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many tasks',
	description: 'List the account’s tasks (Kling’s current API), newest first',
	request: () => ({ method: 'POST', url: CURRENT_TASKS_PATH }),
	checks: [requireApiKey, validateListInput],
	send: listCurrentTasks,
	properties: [
		...listFields({ operation: ['getAll'] }),
		statusFilterField({ operation: ['getAll'] }),
	],
};
