import type { INodeProperties } from 'n8n-workflow';

import { listFields } from '../../../shared/fields/commonFields';

export const getAllDescription: INodeProperties[] = listFields({ operation: ['getAll'] });
