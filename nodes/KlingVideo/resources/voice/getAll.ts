import type { NodeOperation } from '../../../shared/action/operations';
import { libraryListFields } from '../../../shared/fields/libraryFields';
import { validateListInput } from '../../../shared/tasks/getTasks';
import { libraryListRequest, sendListLibrary } from '../../../shared/tasks/library';

/**
 * Get Many: `GET /v1/general/custom-voices` (the account's) or `/v1/general/presets-voices`
 * (Kling's), `?pageNum&pageSize`.
 */
export const getManyVoices: NodeOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many voices',
	description: 'List the account’s custom voices, or Kling’s preset voices',
	request: () => libraryListRequest('voice', 'custom'),
	checks: [validateListInput],
	send: sendListLibrary('voice'),
	properties: libraryListFields({ operation: ['getAll'] }, 'voice'),
};
