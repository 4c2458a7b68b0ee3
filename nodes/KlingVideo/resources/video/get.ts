import type { NodeOperation } from '../../../shared/action/operations';
import { getTaskFields } from '../../../shared/fields/commonFields';
import { CURRENT_TASKS_PATH } from '../../../shared/kling/products';
import { buildTaskQuery, requireApiKey, sendGetTask } from '../../../shared/tasks/getTasks';

/** Get Task: `GET /tasks?task_ids=` or `?external_task_ids=`, the items of a run 20 a request. */
export const getTask: NodeOperation = {
	value: 'get',
	name: 'Get Task',
	action: 'Get a task',
	description: 'Get a text or image to video task, with its video once it has finished',
	request: () => ({ method: 'GET', url: CURRENT_TASKS_PATH }),
	checks: [requireApiKey, buildTaskQuery],
	send: sendGetTask,
	properties: getTaskFields({ operation: ['get'] }, 'text to video or image to video task'),
};
