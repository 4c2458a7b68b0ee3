import type { NodeOperation } from '../../../shared/action/operations';
import { libraryListFields } from '../../../shared/fields/libraryFields';
import { validateListInput } from '../../../shared/tasks/getTasks';
import { libraryListRequest, sendListLibrary } from '../../../shared/tasks/library';

/**
 * Get Many: `GET /v1/general/advanced-custom-elements` (the account's) or
 * `/v1/general/advanced-presets-elements` (Kling's), `?pageNum&pageSize`.
 */
export const getManyElements: NodeOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many elements',
	description: 'List the account’s custom elements, or Kling’s preset elements',
	request: () => libraryListRequest('element', 'custom'),
	checks: [validateListInput],
	send: sendListLibrary('element'),
	properties: libraryListFields({ operation: ['getAll'] }, 'element'),
};
