import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ImageSource } from '../checks/imageInput';

/**
 * The fields of an image input, the same wherever Kling takes an image (a frame, a character, a
 * face, an element's views): Image Source (a binary field of the input item, a URL, Base64), and
 * one field per source for each image, so that each says what it takes.
 */
type Show = NonNullable<IDisplayOptions['show']>;

export const IMAGE_SOURCES: ImageSource[] = ['binaryField', 'url', 'base64'];

const SOURCE_HINT: Record<ImageSource, string> = {
	binaryField: 'the name of a binary field of the input item',
	url: 'an http(s) URL',
	base64: 'raw Base64 (a data: prefix is removed)',
};

/** What Kling takes (Kling's docs: JPG or PNG, each side ≥ 300 px, 1:2.5 to 2.5:1). */
export function imageLimits(maxMegabytes: number): string {
	return `JPG or PNG, at most ${maxMegabytes} MB, at least 300 px a side, aspect ratio from 1:2.5 to 2.5:1`;
}

/** The choices of Image Source, said of one image or of several. */
export function imageSourceOptions(count: 'one' | 'several'): INodePropertyOptions[] {
	const one = count === 'one';
	return [
		{
			name: 'Binary Field',
			value: 'binaryField',
			description: one
				? 'An image the input item carries as a file (from HTTP Request, Google Drive, a form…)'
				: 'Images the input item carries as files (from HTTP Request, Google Drive, a form…)',
		},
		{
			name: 'URL',
			value: 'url',
			description: one
				? 'An image Kling downloads from a public URL'
				: 'Images Kling downloads from public URLs',
		},
		{
			name: 'Base64',
			value: 'base64',
			description: one ? 'An image encoded as Base64 text' : 'Images encoded as Base64 text',
		},
	];
}

/** Image Source: where the operation's images come from (`description` says which). */
export function imageSourceField(
	show: Show,
	description: string,
	count: 'one' | 'several',
): INodeProperties {
	return {
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: imageSourceOptions(count),
		default: 'binaryField',
		description,
		displayOptions: { show },
	};
}

export interface ImageFieldSpec {
	name: string;
	displayName: string;
	/** What the image is, said before what each source takes. */
	what: string;
	maxMegabytes: number;
	placeholder: string;
	/** Whether an empty binary field name defaults to n8n's "data" (the image is required). */
	defaultsToData?: boolean;
	required?: boolean;
	/** Models for which the field is hidden. */
	hideForModels?: string[];
}

/** One field per Image Source for an image, each saying what it takes. */
export function imageFields(show: Show, spec: ImageFieldSpec): INodeProperties[] {
	return IMAGE_SOURCES.map((source) => {
		const fallback = spec.defaultsToData && source === 'binaryField' ? 'data' : '';
		return {
			displayName: spec.displayName,
			name: spec.name,
			type: 'string',
			...(spec.required ? { required: true } : {}),
			default: fallback,
			placeholder: source === 'url' ? spec.placeholder : '',
			description: `${spec.what}: ${SOURCE_HINT[source]}. ${imageLimits(spec.maxMegabytes)}.`,
			displayOptions: {
				show: { ...show, imageSource: [source] },
				...(spec.hideForModels ? { hide: { model: spec.hideForModels } } : {}),
			},
		};
	});
}
