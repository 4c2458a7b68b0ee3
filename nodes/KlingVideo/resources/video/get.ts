import type { INodeProperties } from 'n8n-workflow';

import { getTaskFields } from '../../../shared/fields/commonFields';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import type { TaskKind } from '../../../shared/kling/taskKinds';
import { TASK_KINDS } from '../../../shared/kling/taskKinds';
import { fail } from '../../../shared/checks/validation';

const GENERATION_KINDS: TaskKind[] = ['textToVideo', 'imageToVideo'];

/** The endpoint of the task kind Get Task and Get Many read. */
export function tasksPathOfKind(ctx: KlingItemContext): string {
	const kind = ctx.getNodeParameter('taskKind', 'textToVideo') as TaskKind;
	if (!GENERATION_KINDS.includes(kind)) {
		fail(
			ctx,
			`Task Kind must be one of "textToVideo", "imageToVideo", but it is ${JSON.stringify(kind)}`,
			'Kling keeps the tasks of each kind apart: read video extension tasks with Kling Video Extend.',
		);
	}
	return TASK_KINDS[kind].path;
}

export const taskKindField: INodeProperties = {
	displayName: 'Task Kind',
	name: 'taskKind',
	type: 'options',
	options: GENERATION_KINDS.map((kind) => ({
		name: TASK_KINDS[kind].displayName,
		value: kind,
		description: `Tasks made by ${TASK_KINDS[kind].displayName} (Kling keeps each kind apart)`,
	})),
	default: 'textToVideo',
	displayOptions: { show: { operation: ['get', 'getAll'] } },
};

export const getDescription: INodeProperties[] = getTaskFields(
	{ operation: ['get'] },
	'text to video or image to video task',
);
