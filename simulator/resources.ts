import { createHash, randomInt } from 'crypto';

import { sampleUrl } from './referenceMedia';
import type { OwnMedia } from './referenceMedia';
import type {
	SimulatedElement,
	SimulatedElementOutput,
	SimulatedVoice,
	SimulatedVoiceOutput,
} from './types';

/**
 * Custom elements and custom voices (Kling's docs, "Element Management" and "Voice Management"),
 * and Kling's own presets of both. Current-generation creates look them up: an `element` item
 * must name an element of the account or a preset, a `voice` item a voice.
 */

/** What a create request may look up: the account's elements and voices, and known media. */
export interface CreateLookups {
	element(id: string): ElementRecord | undefined;
	voice(id: string): VoiceRecord | undefined;
	readonly media: OwnMedia;
}

export type ReferenceType = 'image_refer' | 'video_refer';
/** pending until its creation task succeeds; failed when that task fails. */
export type ResourceStatus = 'pending' | 'succeed' | 'failed' | 'deleted';

export interface VoiceRecord {
	readonly id: string;
	/** undefined for presets. */
	readonly account: string | undefined;
	readonly name: string;
	/** The clip it was made from; undefined for presets (a sample is shown). */
	readonly url: string | undefined;
	readonly ownedBy: string;
	status: ResourceStatus;
}

export interface ElementRecord {
	readonly id: string;
	readonly account: string | undefined;
	readonly name: string;
	readonly description: string;
	readonly referenceType: ReferenceType;
	readonly frontalImage: string | undefined;
	readonly referImages: readonly string[];
	readonly videos: readonly string[];
	readonly voice: VoiceRecord | undefined;
	readonly tags: readonly string[];
	readonly ownedBy: string;
	status: ResourceStatus;
}

/** Kling's element tags (the tag_list ids). */
export const ELEMENT_TAGS: Readonly<Record<string, string>> = Object.freeze({
	o_101: 'Hottest',
	o_102: 'Character',
	o_103: 'Animal',
	o_104: 'Item',
	o_105: 'Costume',
	o_106: 'Scene',
	o_107: 'Effect',
	o_108: 'Others',
});

const PRESET_IMAGES = 'https://presets.kling-simulator.invalid';

export const PRESET_VOICES: readonly VoiceRecord[] = Object.freeze(
	[
		['100000000000000001', 'Warm Narrator'],
		['100000000000000002', 'Bright Girl'],
		['100000000000000003', 'Old Captain'],
	].map(([id, name]) => ({
		id,
		account: undefined,
		name,
		url: undefined,
		ownedBy: 'kling',
		status: 'succeed' as const,
	})),
);

function preset(
	id: string,
	name: string,
	description: string,
	referenceType: ReferenceType,
	tag: string,
	voice?: VoiceRecord,
): ElementRecord {
	const slug = name.toLowerCase().replace(/\s+/g, '-');
	const images = referenceType === 'image_refer';
	return {
		id,
		account: undefined,
		name,
		description,
		referenceType,
		frontalImage: images ? `${PRESET_IMAGES}/${slug}-front.png` : undefined,
		referImages: images ? [`${PRESET_IMAGES}/${slug}-side.png`] : [],
		videos: images ? [] : [`${PRESET_IMAGES}/${slug}.mp4`],
		voice,
		tags: [tag],
		ownedBy: 'kling',
		status: 'succeed',
	};
}

/** Ids 161-163 nod to the ids of Kling's own examples; 15 digits like every element id. */
export const PRESET_ELEMENTS: readonly ElementRecord[] = Object.freeze([
	preset('100000000000161', 'Astronaut', 'An astronaut in a white suit', 'image_refer', 'o_102'),
	preset('100000000000162', 'Red Fox', 'A red fox with a bushy tail', 'image_refer', 'o_103'),
	preset('100000000000163', 'Vintage Car', 'A green 1960s convertible', 'image_refer', 'o_104'),
	preset(
		'100000000000164',
		'Street Dancer',
		'A dancer in a yellow jacket',
		'video_refer',
		'o_102',
		PRESET_VOICES[0],
	),
]);

// Module-wide so that simulators in one process never hand out the same id. Element ids have 15
// digits (seen live: 321922438904313), voice ids 18 (930801338081615883).
let nextElementId = 300_000_000_000_000n + BigInt(Date.now() % 10_000_000_000) * 1000n;
let nextVoiceId = 900_000_000_000_000_000n + BigInt(Date.now()) * 10_000n + BigInt(randomInt(5000));

/** A creator id of digits, as owned_by shows it for custom resources. */
export function creatorId(account: string): string {
	const hash = createHash('sha256').update(account).digest();
	return String(1_000_000_000 + (hash.readUInt32BE(0) % 9_000_000_000));
}

export type NewElement = Omit<ElementRecord, 'id' | 'ownedBy' | 'status' | 'account'> & {
	account: string;
};

export class ResourceLibrary {
	private readonly elements = new Map<string, ElementRecord>();
	private readonly voices = new Map<string, VoiceRecord>();

	/** A new element, pending until its task succeeds. */
	addElement(input: NewElement): ElementRecord {
		nextElementId += 1n;
		const element: ElementRecord = {
			...input,
			id: nextElementId.toString(),
			ownedBy: creatorId(input.account),
			status: 'pending',
		};
		this.elements.set(element.id, element);
		return element;
	}

	addVoice(account: string, name: string, url: string): VoiceRecord {
		nextVoiceId += 1n;
		const voice: VoiceRecord = {
			id: nextVoiceId.toString(),
			account,
			name,
			url,
			ownedBy: creatorId(account),
			status: 'pending',
		};
		this.voices.set(voice.id, voice);
		return voice;
	}

	/** An element a task of `account` may use: a preset, or its own element that was made. */
	usableElement(account: string, id: string): ElementRecord | undefined {
		const found = PRESET_ELEMENTS.find((e) => e.id === id) ?? this.elements.get(id);
		return found && usable(found, account) ? found : undefined;
	}

	usableVoice(account: string, id: string): VoiceRecord | undefined {
		const found = PRESET_VOICES.find((v) => v.id === id) ?? this.voices.get(id);
		return found && usable(found, account) ? found : undefined;
	}

	/** The account's own element (any status but pending or failed), for deletion. */
	customElement(account: string, id: string): ElementRecord | undefined {
		const found = this.elements.get(id);
		return found && found.account === account && made(found) ? found : undefined;
	}

	customVoice(account: string, id: string): VoiceRecord | undefined {
		const found = this.voices.get(id);
		return found && found.account === account && made(found) ? found : undefined;
	}

	clear(): void {
		this.elements.clear();
		this.voices.clear();
	}
}

function usable(
	resource: { account: string | undefined; status: ResourceStatus },
	account: string,
) {
	return (
		(resource.account === undefined || resource.account === account) &&
		resource.status === 'succeed'
	);
}

function made(resource: { status: ResourceStatus }): boolean {
	return resource.status === 'succeed' || resource.status === 'deleted';
}

export function isPresetElement(id: string): boolean {
	return PRESET_ELEMENTS.some((e) => e.id === id);
}

export function isPresetVoice(id: string): boolean {
	return PRESET_VOICES.some((v) => v.id === id);
}

function voiceUrl(voice: VoiceRecord, base: string): string {
	return voice.url ?? sampleUrl(base, 'voice-10s.mp3');
}

/** The voice as the legacy pages show it. */
export function legacyVoice(voice: VoiceRecord, base: string): SimulatedVoice {
	return {
		voice_id: voice.id,
		voice_name: voice.name,
		trial_url: voiceUrl(voice, base),
		owned_by: voice.ownedBy,
		...(voice.status === 'deleted' ? { status: 'deleted' as const } : {}),
	};
}

export function legacyElement(element: ElementRecord, base: string): SimulatedElement {
	const { voice } = element;
	return {
		element_id: element.id,
		element_name: element.name,
		element_description: element.description,
		reference_type: element.referenceType,
		element_image_list: {
			...(element.frontalImage === undefined ? {} : { frontal_image: element.frontalImage }),
			refer_images: element.referImages.map((image_url) => ({ image_url })),
		},
		element_video_list: { refer_videos: element.videos.map((video_url) => ({ video_url })) },
		...(voice
			? {
					element_voice_info: {
						voice_id: voice.id,
						voice_name: voice.name,
						trial_url: voiceUrl(voice, base),
						owned_by: voice.ownedBy,
					},
				}
			: {}),
		tag_list: element.tags.map((tag_id) => ({ tag_id, tag_name: ELEMENT_TAGS[tag_id] })),
		owned_by: element.ownedBy,
		status: element.status === 'deleted' ? 'deleted' : 'succeed',
	};
}

/** The element as /tasks shows it (Kling's docs, "Query Task": outputs of type element). */
export function elementOutput(element: ElementRecord, base: string): SimulatedElementOutput {
	const references: SimulatedElementOutput['references'] = [];
	if (element.frontalImage !== undefined) {
		references.push({ type: 'image', role: 'frontal', url: element.frontalImage });
	}
	for (const url of element.referImages) references.push({ type: 'image', role: 'refer', url });
	for (const url of element.videos) references.push({ type: 'video', role: 'refer', url });
	const { voice } = element;
	if (voice) {
		references.push({
			type: 'voice',
			role: 'refer',
			url: voiceUrl(voice, base),
			id: voice.id,
			name: voice.name,
			owned_by: voice.ownedBy,
		});
	}
	return {
		type: 'element',
		id: element.id,
		name: element.name,
		description: element.description,
		element_type:
			element.referenceType === 'video_refer' ? 'video_character_elements' : 'multi_image_elements',
		references,
		owned_by: element.ownedBy,
		status: element.status === 'deleted' ? 'deleted' : 'succeeded',
		tags: element.tags.map((tag) => ({
			id: Number(tag.slice(2)),
			name: ELEMENT_TAGS[tag],
			description: ELEMENT_TAGS[tag],
		})),
	};
}

export function voiceOutput(voice: VoiceRecord, base: string): SimulatedVoiceOutput {
	return {
		type: 'voice',
		id: voice.id,
		name: voice.name,
		url: voiceUrl(voice, base),
		owned_by: voice.ownedBy,
		status: voice.status === 'deleted' ? 'deleted' : 'succeeded',
	};
}
