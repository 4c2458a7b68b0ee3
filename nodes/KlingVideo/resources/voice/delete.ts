import type { NodeOperation } from '../../../shared/action/operations';
import { libraryDeleteField } from '../../../shared/fields/libraryFields';
import { LIBRARIES } from '../../../shared/kling/elementsAndVoices';
import { deleteBody, sendDeleteFromLibrary } from '../../../shared/tasks/library';

/** Delete: `POST /v1/general/delete-voices` with `{voice_id}` (custom ones only). */
export const deleteVoice: NodeOperation = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a voice',
	description: 'Delete a custom voice (Kling’s presets cannot be deleted)',
	request: () => ({ method: 'POST', url: LIBRARIES.voice.deletePath }),
	checks: [deleteBody('voice', 'Voice ID')],
	send: sendDeleteFromLibrary('voice'),
	properties: [libraryDeleteField({ operation: ['delete'] }, 'voice')],
};
