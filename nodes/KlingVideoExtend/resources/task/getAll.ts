import type { INodeProperties } from 'n8n-workflow';

import type { TaskOperation } from '../../../shared/action/actionNode';
import { listFields } from '../../../shared/fields/commonFields';
import { TASK_KINDS } from '../../../shared/kling/taskKinds';
import { paginateTasks, validateListInput } from '../../../shared/tasks/getTasks';

/** Get Many: `GET /v1/videos/video-extend?pageNum&pageSize` (legacy generation). */
export const getAllOperation: TaskOperation = {
	request: () => ({ method: 'GET', url: TASK_KINDS.videoExtend.path, qs: {} }),
	checks: [validateListInput],
	send: paginateTasks,
};

export const getAllDescription: INodeProperties[] = listFields({ operation: ['getAll'] });
