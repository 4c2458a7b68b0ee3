import type { INodeProperties } from 'n8n-workflow';

import type { TaskOperation } from '../../../shared/action/actionNode';
import { listFields, statusFilterField } from '../../../shared/fields/commonFields';
import { CURRENT_TASKS_PATH } from '../../../shared/kling/taskKinds';
import { listCurrentTasks, requireApiKey, validateListInput } from '../../../shared/tasks/getTasks';

/** Get Many: `POST /tasks`, cursor pages of up to 500, optionally of some statuses only. */
export const getAllOperation: TaskOperation = {
	request: () => ({ method: 'POST', url: CURRENT_TASKS_PATH }),
	checks: [requireApiKey, validateListInput],
	send: listCurrentTasks,
};

export const getAllDescription: INodeProperties[] = [
	...listFields({ operation: ['getAll'] }),
	statusFilterField({ operation: ['getAll'] }),
];
