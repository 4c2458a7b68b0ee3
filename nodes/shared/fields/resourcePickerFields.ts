import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { PICKER_METHODS } from '../loadOptions/resourcePickers';

/**
 * Element IDs and Voice IDs where a video takes them (Image to Video; Omni Video and Motion
 * Control take Element IDs): a list the editor fills with the account's elements or voices and
 * Kling's presets (loadOptions/resourcePickers.ts; the node adds `resourcePickerMethods` to its
 * `methods.loadOptions`). The value is a list of IDs, as the fields saved before the pickers
 * hold it; in Expression mode a list or comma-separated IDs.
 */

const EXPRESSION_HINT =
	'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.';

export function elementIdsField(
	displayOptions: IDisplayOptions,
	description: string,
): INodeProperties {
	return {
		displayName: 'Element Names or IDs',
		name: 'elementIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: PICKER_METHODS.elements },
		default: [],
		description: `${description} ${EXPRESSION_HINT}`,
		displayOptions,
	};
}

export function voiceIdsField(
	displayOptions: IDisplayOptions,
	description: string,
): INodeProperties {
	return {
		displayName: 'Voice Names or IDs',
		name: 'voiceIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: PICKER_METHODS.voices },
		default: [],
		description: `${description} ${EXPRESSION_HINT}`,
		displayOptions,
	};
}
