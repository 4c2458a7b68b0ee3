import type { INodeProperties } from 'n8n-workflow';

import type { TaskOperation } from '../../../shared/action/actionNode';
import { getTaskFields } from '../../../shared/fields/commonFields';
import { TASK_KINDS } from '../../../shared/kling/taskKinds';
import { buildGetTaskPath, sendGetTask } from '../../../shared/tasks/getTasks';

/** Get Task: `GET /v1/videos/video-extend/<task id or external task id>` (legacy generation). */
export const getOperation: TaskOperation = {
	request: () => ({ method: 'GET', url: TASK_KINDS.videoExtend.path }),
	checks: [buildGetTaskPath],
	send: sendGetTask,
};

export const getDescription: INodeProperties[] = getTaskFields(
	{ operation: ['get'] },
	'extension task',
);
