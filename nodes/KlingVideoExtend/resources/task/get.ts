import type { INodeProperties } from 'n8n-workflow';

import { getTaskFields } from '../../../shared/commonFields';

export const getDescription: INodeProperties[] = getTaskFields(
	{ operation: ['get'] },
	'extension task',
);
