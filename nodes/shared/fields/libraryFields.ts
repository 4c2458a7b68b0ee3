import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { LibraryKind } from '../kling/elementsAndVoices';
import { PICKER_METHODS } from '../loadOptions/resourcePickers';
import { listFields } from './commonFields';

type Show = NonNullable<IDisplayOptions['show']>;

/** Source, Return All and Limit of Get Many of elements or voices. */
export function libraryListFields(show: Show, noun: LibraryKind): INodeProperties[] {
	return [
		{
			displayName: 'Source',
			name: 'source',
			type: 'options',
			options: [
				{ name: 'Custom', value: 'custom', description: `The account’s own ${noun}s` },
				{ name: 'Preset', value: 'preset', description: `Kling’s own ${noun}s, in every account` },
			],
			default: 'custom',
			description: `Which ${noun}s to list`,
			displayOptions: { show },
		},
		...listFields(show),
	];
}

/** The custom element or voice to delete, picked from the account's or given by ID. */
export function libraryDeleteField(show: Show, noun: LibraryKind): INodeProperties {
	const element = noun === 'element';
	return {
		displayName: element ? 'Element Name or ID' : 'Voice Name or ID',
		name: element ? 'elementId' : 'voiceId',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: element ? PICKER_METHODS.customElements : PICKER_METHODS.customVoices,
		},
		required: true,
		default: '',
		description: `The custom ${noun} to delete. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		displayOptions: { show },
	};
}
