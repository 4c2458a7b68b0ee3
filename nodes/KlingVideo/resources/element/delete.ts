import type { NodeOperation } from '../../../shared/action/operations';
import { libraryDeleteField } from '../../../shared/fields/libraryFields';
import { LIBRARIES } from '../../../shared/kling/elementsAndVoices';
import { deleteBody, sendDeleteFromLibrary } from '../../../shared/tasks/library';

/** Delete: `POST /v1/general/delete-advanced-elements` with `{element_id}` (custom ones only). */
export const deleteElement: NodeOperation = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete an element',
	description: 'Delete a custom element (Kling’s presets cannot be deleted)',
	request: () => ({ method: 'POST', url: LIBRARIES.element.deletePath }),
	checks: [deleteBody('element', 'Element ID')],
	send: sendDeleteFromLibrary('element'),
	properties: [libraryDeleteField({ operation: ['delete'] }, 'element')],
};
