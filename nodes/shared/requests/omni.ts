import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { fail } from '../checks/validation';
import { OMNI_VIDEO_MODELS } from '../kling/models';
import type { KlingItemContext } from '../transport/itemContext';

/**
 * Omni Video's own rules: how its inputs limit each other (Kling's docs, "Omni Video Generation"
 * of Kling 3.0 Omni and "Video Generation" of Kling O1), checked on the request the generic
 * checks made (`requests/generation.ts`: the model, the settings, each input on its own), so
 * nothing is sent that Kling would refuse.
 */
type OmniModel = keyof typeof OMNI_VIDEO_MODELS;

interface OmniRules {
	/** The Audio a reference video (`feature_video`) allows; undefined: any the model has. */
	audioWithReference?: string[];
	/** Whether a first + last frame may come with elements and reference images. */
	framesWithOthers: boolean;
	/** Whether a reference video may come with a last frame. */
	lastFrameWithReference: boolean;
	/** The durations of a first frame with nothing else (Kling's capability map); undefined: any. */
	firstFrameDurations?: number[];
}

const RULES: Record<OmniModel, OmniRules> = {
	'kling-3.0-omni': {
		audioWithReference: ['off'],
		framesWithOthers: true,
		lastFrameWithReference: true,
	},
	'kling-o1': {
		framesWithOthers: false,
		lastFrameWithReference: false,
		firstFrameDurations: [5, 10],
	},
};

/** Reference images and elements together, without a reference video and with one. */
export const MAX_OMNI_REFERENCES = 7;
export const MAX_OMNI_REFERENCES_WITH_VIDEO = 4;
/** Elements with a first frame (or a first and a last frame). */
export const MAX_OMNI_ELEMENTS_WITH_FRAMES = 3;

const EDIT = 'Video Role "edit"';
const REFERENCE = 'a reference video (Video Role "reference")';

/**
 * Refuses what Kling's Omni page rules out, naming the fields; on models with a multi-shot
 * setting, a video to edit is sent with `multi_shot: false` (Kling's example; its default is true).
 */
export function checkOmniRequest(
	ctx: KlingItemContext,
	request: IHttpRequestOptions,
): IHttpRequestOptions {
	const body = request.body as IDataObject;
	const contents = (body.contents ?? []) as IDataObject[];
	const settings = (body.settings ?? {}) as IDataObject;
	const model = String(request.url).split('/').pop() as OmniModel;
	const rules = RULES[model];
	const limits = OMNI_VIDEO_MODELS[model];
	if (!rules) return request;
	const count = (type: string) => contents.filter((item) => item.type === type).length;
	const first = count('first_frame') > 0;
	const last = count('last_frame') > 0;
	const images = count('refer_image');
	const elements = count('element');
	const reference = count('feature_video') > 0;
	const editing = count('base_video') > 0;
	const multiShot = settings.multi_shot === true;
	const audio = settings.audio;

	if (editing) {
		if (first) {
			fail(
				ctx,
				`First Frame cannot be used with ${EDIT}: Kling edits the video as it is, without a first or last frame`,
				'Leave First Frame and Last Frame empty, or set Video Role to reference.',
			);
		}
		if (multiShot) {
			fail(
				ctx,
				`Multi-Shot cannot be used with ${EDIT}: Kling edits a video as one shot`,
				'Turn Multi-Shot off and write one Prompt.',
			);
		}
		if (audio === 'native') {
			fail(
				ctx,
				`Audio "native" cannot be used with ${EDIT}: choose "original" to keep the video's sound, or "off"`,
			);
		}
	}
	if (reference && rules.audioWithReference && !rules.audioWithReference.includes(String(audio))) {
		fail(
			ctx,
			`Audio must be ${rules.audioWithReference.map((value) => `"${value}"`).join(' or ')} with ${REFERENCE} on ${model}, but it is ${JSON.stringify(audio)}`,
			'Set Audio to off, or leave Reference Video URL empty.',
		);
	}
	if (reference && last && !rules.lastFrameWithReference) {
		fail(
			ctx,
			`Last Frame cannot be used with ${REFERENCE} on ${model}: it takes a first frame only`,
			'Leave Last Frame empty, or choose kling-3.0-omni.',
		);
	}
	const max = reference || editing ? MAX_OMNI_REFERENCES_WITH_VIDEO : MAX_OMNI_REFERENCES;
	if (images + elements > max) {
		fail(
			ctx,
			`Reference Images and Element Names or IDs can be at most ${max} together${reference || editing ? ' with a Reference Video URL' : ''}, but there are ${images} + ${elements} = ${images + elements}`,
			'Remove some reference images or elements.',
		);
	}
	if (first && elements > MAX_OMNI_ELEMENTS_WITH_FRAMES) {
		fail(
			ctx,
			`Element Names or IDs can be at most ${MAX_OMNI_ELEMENTS_WITH_FRAMES} with a First Frame, but there are ${elements}`,
			'Remove some elements, or leave First Frame empty.',
		);
	}
	if (first && last && !rules.framesWithOthers) {
		const others: Array<[number, string]> = [
			[elements, 'Element Names or IDs'],
			[images, 'Reference Images'],
		];
		for (const [given, label] of others) {
			if (given > 0) {
				fail(
					ctx,
					`${label} cannot be used with a First Frame and a Last Frame on ${model}`,
					'Leave Last Frame empty, or choose kling-3.0-omni.',
				);
			}
		}
	}
	const durations = rules.firstFrameDurations;
	const firstFrameAlone = first && !last && images + elements === 0 && !reference && !editing;
	if (firstFrameAlone && durations && !durations.includes(Number(settings.duration))) {
		fail(
			ctx,
			`Duration (Seconds) must be ${durations.join(' or ')} on ${model} with a First Frame alone (no Last Frame, Reference Images, Element Names or IDs or Reference Video URL), but it is ${JSON.stringify(settings.duration)}`,
			`Set Duration (Seconds) to ${durations.join(' or ')}, or add a reference image.`,
		);
	}
	if (editing && 'multiShot' in limits && limits.multiShot === 'setting') {
		return { ...request, body: { ...body, settings: { ...settings, multi_shot: false } } };
	}
	return request;
}
