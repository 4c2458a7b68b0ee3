import type { INodeProperties } from 'n8n-workflow';

import { getTaskFields } from '../../../shared/fields/commonFields';

export const getDescription: INodeProperties[] = getTaskFields(
	{ operation: ['get'] },
	'extension task',
);
