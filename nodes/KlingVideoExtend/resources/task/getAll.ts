import type { INodeProperties } from 'n8n-workflow';

import { listFields } from '../../../shared/commonFields';

export const getAllDescription: INodeProperties[] = listFields({ operation: ['getAll'] });
