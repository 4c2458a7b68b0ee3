import type { INodeProperties } from 'n8n-workflow';

import type { TaskOperation } from '../../../shared/action/actionNode';
import { getTaskFields } from '../../../shared/fields/commonFields';
import { CURRENT_TASKS_PATH } from '../../../shared/kling/taskKinds';
import { buildTaskQuery, requireApiKey, sendGetTask } from '../../../shared/tasks/getTasks';

/** Get Task: `GET /tasks?task_ids=` or `?external_task_ids=`, the items of a run 20 a request. */
export const getOperation: TaskOperation = {
	request: () => ({ method: 'GET', url: CURRENT_TASKS_PATH }),
	checks: [requireApiKey, buildTaskQuery],
	send: sendGetTask,
};

export const getDescription: INodeProperties[] = getTaskFields(
	{ operation: ['get'] },
	'text to video or image to video task',
);
