import type { Page } from 'playwright-core';

import {
	byTestId,
	chooseOption,
	closeNode,
	collectionAdd,
	dropdownOptions,
	openNode,
	parameterInput,
	shownValue,
	visibleDropdownItems,
} from './lib/editor';
import {
	check,
	equal,
	fields,
	includes,
	openWorkflow,
	outputText,
	refusedBeforeSending,
	until,
} from './lib/checks';
import type { Step, StepContext } from './lib/step';
import {
	AUDIO_OPERATIONS,
	AVATAR_FIELDS,
	AVATAR_MODES,
	ELEMENT_FIELDS,
	ELEMENT_REFERENCE_TYPES,
	LIBRARY_ADDITIONAL_FIELDS,
	LIBRARY_OPERATIONS,
	LIP_SYNC_FIELDS,
	LIP_SYNC_OPTIONS,
	LIP_SYNC_VIDEO_SOURCES,
	MOTION_CONTROL_CHOICES,
	MOTION_CONTROL_FIELDS,
	MOTION_CONTROL_MODELS,
	OMNI_CHOICES,
	OMNI_FIELDS,
	OMNI_MODELS,
	PRESET_ELEMENTS,
	PRESET_VOICES,
	SPEECH_SOURCES,
	TEXT_TO_SPEECH_FIELDS,
	TTS_LANGUAGES,
	VIDEO_ADDITIONAL_FIELDS,
	VIDEO_RESOURCES,
	VIDEO_ROLES,
	VOICE_FIELDS,
	VOICE_SOURCES,
} from './expected';

/**
 * Kling Video's newer half in the editor: a node added from the nodes panel as "Generate a video
 * with Omni", its operations and resources field by field (Omni Video and Motion Control per
 * model, Avatar, Lip-Sync, Audio › Text to Speech, Element and Voice), the Element picker that
 * lists Kling's presets by name and hands Kling the picked one's ID, and an Omni input error
 * refused before Kling gets a request.
 */

/** The node as n8n names it after the action it was added as. */
const OMNI_NODE = 'Generate a video with Omni';

/** The workflow the first step makes (n8n saves it once the node is added). */
let workflowId: string | undefined;

/** The names of a picker's options once n8n has loaded them from Kling (closes it again). */
async function pickerOptions(page: Page, name: string, expected: string): Promise<string[]> {
	await parameterInput(page, name).click();
	const items = visibleDropdownItems(page);
	const names = await until(`"${expected}" in the list of ${name}`, async () => {
		const shown = (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
		return shown.includes(expected) && shown;
	});
	await page.keyboard.press('Escape');
	await page.waitForTimeout(200);
	return names;
}

/** The Omni Video node of the first step, open, on Kling 3.0 Omni. */
async function openOmniNode(t: StepContext): Promise<void> {
	const { page } = t;
	if (!(await byTestId(page, 'ndv').isVisible())) {
		check(workflowId !== undefined, 'the Omni Video node was not added');
		await openWorkflow(t, workflowId!);
		await openNode(page, OMNI_NODE);
	}
	await chooseOption(page, 'resource', 'Video');
	await chooseOption(page, 'operation', 'Omni Video');
	await chooseOption(page, 'model', 'Kling 3.0 Omni');
}

async function typeInto(page: Page, name: string, text: string): Promise<void> {
	await parameterInput(page, name).locator('input, textarea').first().fill(text);
	await page.waitForTimeout(200);
}

export const resourceSteps: Step[] = [
	{
		title:
			'Kling Video’s new operations: Omni Video and Motion Control per model, Avatar, Lip-Sync, Audio › Text to Speech, Element and Voice show their fields',
		async run(t) {
			const { page } = t;
			// A person adds the node by its action in the nodes panel.
			await page.goto(`${t.ui.n8n.url}/workflow/new`);
			await byTestId(page, 'canvas-plus-button').click();
			const search = byTestId(page, 'node-creator-search-bar');
			await search.pressSequentially('Kling Video', { delay: t.demo ? 90 : 0 });
			await byTestId(page, 'node-creator-item-name')
				.filter({ hasText: /^Kling Video$/ })
				.first()
				.click();
			await t.pause(1500);
			await byTestId(page, 'node-creator-item-name')
				.filter({ hasText: /^Generate a video with Omni$/ })
				.first()
				.click();
			await byTestId(page, 'ndv').waitFor();
			await byTestId(page, 'node-parameters').waitFor();
			workflowId = /\/workflow\/([^/?#]+)/.exec(page.url())?.[1];
			check(workflowId !== undefined && workflowId !== 'new', `not saved: ${page.url()}`);

			// Omni Video: Kling 3.0 Omni by default; Multi-Shot, 4K and native sound on it only.
			equal(await shownValue(page, 'resource'), 'Video', 'Resource of the Omni action');
			equal(await shownValue(page, 'operation'), 'Omni Video', 'Operation of the Omni action');
			equal(await shownValue(page, 'model'), 'Kling 3.0 Omni', 'default Model of Omni Video');
			equal(
				await dropdownOptions(page, parameterInput(page, 'model')),
				OMNI_MODELS,
				'the Model list of Omni Video',
			);
			for (const model of ['Kling 3.0 Omni', 'Kling O1']) {
				await chooseOption(page, 'model', model);
				await fields(t, `Omni Video on ${model}`, OMNI_FIELDS[model]);
				equal(
					await dropdownOptions(page, parameterInput(page, 'resolution')),
					OMNI_CHOICES[model].resolution,
					`Resolution of Omni Video on ${model}`,
				);
				equal(
					await dropdownOptions(page, parameterInput(page, 'audio')),
					OMNI_CHOICES[model].audio,
					`Audio of Omni Video on ${model}`,
				);
				equal(
					await dropdownOptions(page, parameterInput(page, 'videoRole')),
					VIDEO_ROLES,
					`Video Role on ${model}`,
				);
				await t.screenshot(`Omni Video on ${model}`);
			}
			equal(
				await dropdownOptions(page, collectionAdd(page, 'additionalFields')),
				VIDEO_ADDITIONAL_FIELDS,
				'Additional Fields of Omni Video',
			);

			// Motion Control: no Duration (the motion video decides it); an element on Kling 3.0 only.
			await chooseOption(page, 'operation', 'Motion Control');
			equal(
				await dropdownOptions(page, parameterInput(page, 'model')),
				MOTION_CONTROL_MODELS,
				'the Model list of Motion Control',
			);
			for (const model of ['Kling 3.0', 'Kling 2.6']) {
				await chooseOption(page, 'model', model);
				await fields(t, `Motion Control on ${model}`, MOTION_CONTROL_FIELDS[model]);
				for (const [name, choices] of Object.entries(MOTION_CONTROL_CHOICES)) {
					equal(
						await dropdownOptions(page, parameterInput(page, name)),
						choices,
						`${name} of Motion Control on ${model}`,
					);
				}
				await t.screenshot(`Motion Control on ${model}`);
			}

			await chooseOption(page, 'operation', 'Avatar');
			await fields(t, 'Avatar', AVATAR_FIELDS);
			equal(
				await dropdownOptions(page, parameterInput(page, 'speechSource')),
				SPEECH_SOURCES,
				'Speech Source of Avatar',
			);
			equal(
				await dropdownOptions(page, parameterInput(page, 'mode')),
				AVATAR_MODES,
				'Mode of Avatar',
			);
			await t.screenshot('Avatar');

			await chooseOption(page, 'operation', 'Lip-Sync');
			await fields(t, 'Lip-Sync', LIP_SYNC_FIELDS);
			equal(
				await dropdownOptions(page, parameterInput(page, 'videoSource')),
				LIP_SYNC_VIDEO_SOURCES,
				'Video Source of Lip-Sync',
			);
			const lipSyncOptions = await dropdownOptions(page, collectionAdd(page, 'options'));
			for (const option of LIP_SYNC_OPTIONS) {
				check(
					lipSyncOptions.includes(option),
					`Lip-Sync's Options lack "${option}": ${JSON.stringify(lipSyncOptions)}`,
				);
			}
			await t.screenshot('Lip-Sync');

			// Audio › Text to Speech: synchronous, no wait.
			await chooseOption(page, 'resource', 'Audio');
			equal(
				await dropdownOptions(page, parameterInput(page, 'operation')),
				AUDIO_OPERATIONS,
				'operations of Audio',
			);
			equal(await shownValue(page, 'operation'), 'Text to Speech', 'Operation of Audio');
			await fields(t, 'Audio › Text to Speech', TEXT_TO_SPEECH_FIELDS);
			equal(await shownValue(page, 'voiceId'), 'Oversea Male 1', 'default Voice');
			equal(
				await dropdownOptions(page, parameterInput(page, 'voiceLanguage')),
				TTS_LANGUAGES,
				'Voice Language',
			);
			await t.screenshot('Text to Speech');

			// Element: made from images (a voice from the picker) or a video, waited for without a
			// video to download; Get, Get Many, Delete.
			await chooseOption(page, 'resource', 'Element');
			equal(
				await dropdownOptions(page, parameterInput(page, 'operation')),
				LIBRARY_OPERATIONS,
				'operations of Element',
			);
			await chooseOption(page, 'operation', 'Create');
			await chooseOption(page, 'waitForCompletion', 'No');
			await fields(t, 'Element › Create from images', ELEMENT_FIELDS.createFromImages);
			equal(
				await dropdownOptions(page, parameterInput(page, 'referenceType')),
				ELEMENT_REFERENCE_TYPES,
				'Reference Type of Element › Create',
			);
			equal(
				await dropdownOptions(page, collectionAdd(page, 'additionalFields')),
				LIBRARY_ADDITIONAL_FIELDS,
				'Additional Fields of Element › Create',
			);
			const voices = await pickerOptions(page, 'voiceId', PRESET_VOICES[0]);
			equal(voices, PRESET_VOICES, 'the voices Element › Create offers (Kling’s presets)');
			await t.screenshot('Element › Create');
			await chooseOption(page, 'waitForCompletion', 'Poll');
			await fields(t, 'Element › Create, polling', ELEMENT_FIELDS.createPolling);
			await chooseOption(page, 'waitForCompletion', 'No');
			await chooseOption(page, 'referenceType', 'Video');
			await fields(t, 'Element › Create from a video', ELEMENT_FIELDS.createFromVideo);
			await chooseOption(page, 'referenceType', 'Images');
			await chooseOption(page, 'operation', 'Get');
			await fields(t, 'Element › Get', ELEMENT_FIELDS.get);
			await chooseOption(page, 'operation', 'Get Many');
			await fields(t, 'Element › Get Many', ELEMENT_FIELDS.getMany);
			await chooseOption(page, 'operation', 'Delete');
			await fields(t, 'Element › Delete', ELEMENT_FIELDS.delete);

			await chooseOption(page, 'resource', 'Voice');
			equal(
				await dropdownOptions(page, parameterInput(page, 'operation')),
				LIBRARY_OPERATIONS,
				'operations of Voice',
			);
			await chooseOption(page, 'operation', 'Create');
			await fields(t, 'Voice › Create from a URL', VOICE_FIELDS.createFromUrl);
			equal(
				await dropdownOptions(page, parameterInput(page, 'voiceSource')),
				VOICE_SOURCES,
				'Voice Source of Voice › Create',
			);
			equal(
				await dropdownOptions(page, collectionAdd(page, 'additionalFields')),
				LIBRARY_ADDITIONAL_FIELDS,
				'Additional Fields of Voice › Create',
			);
			await chooseOption(page, 'voiceSource', 'Kling Video');
			await fields(t, 'Voice › Create from a Kling video', VOICE_FIELDS.createFromVideo);
			await t.screenshot('Voice › Create');
			await chooseOption(page, 'voiceSource', 'Audio or Video URL');
			await chooseOption(page, 'operation', 'Get');
			await fields(t, 'Voice › Get', VOICE_FIELDS.get);
			await chooseOption(page, 'operation', 'Get Many');
			await fields(t, 'Voice › Get Many', VOICE_FIELDS.getMany);
			await chooseOption(page, 'operation', 'Delete');
			await fields(t, 'Voice › Delete', VOICE_FIELDS.delete);

			equal(
				await dropdownOptions(page, parameterInput(page, 'resource')),
				VIDEO_RESOURCES,
				'the Resource list',
			);
			await openOmniNode(t);
		},
	},
	{
		title:
			'the Element picker lists Kling’s presets by name; the one picked reaches Kling by its ID (Omni Video on Kling 3.0 Omni)',
		async run(t) {
			const { page } = t;
			await openOmniNode(t);
			await chooseOption(page, 'waitForCompletion', 'No');
			await typeInto(page, 'prompt', '@element_1 waves from the surface of the moon');
			const names = await pickerOptions(page, 'elementIds', PRESET_ELEMENTS[0]);
			equal(names, PRESET_ELEMENTS, 'the elements the picker lists (Kling’s presets)');
			await parameterInput(page, 'elementIds').click();
			// An item shows its name, then where it comes from and its ID.
			const astronaut = visibleDropdownItems(page)
				.filter({ hasText: new RegExp(`^${PRESET_ELEMENTS[0]}`) })
				.first();
			await astronaut.waitFor();
			const about = (await astronaut.innerText()).replace(/\s+/g, ' ');
			includes(about, 'Kling preset', `the option ${PRESET_ELEMENTS[0]}`);
			const id = /\(ID (\d+)\)/.exec(about)?.[1];
			check(id !== undefined, `the option ${PRESET_ELEMENTS[0]} shows no ID: ${about}`);
			await astronaut.click();
			await page.keyboard.press('Escape');
			await page.waitForTimeout(300);
			includes(
				await parameterInput(page, 'elementIds').innerText(),
				PRESET_ELEMENTS[0],
				'the picked element',
			);
			await t.screenshot(`${PRESET_ELEMENTS[0]} picked`);
			await t.pause(1500);

			await byTestId(page, 'tab-params').click();
			await page.waitForTimeout(1500);
			const since = Date.now();
			await byTestId(page, 'node-execute-button').click();
			await until('the submitted task', async () => (await outputText(page)).includes('submitted'));
			const creates = t.ui.simulator.requests.filter(
				(request) => request.at >= since && request.method === 'POST',
			);
			equal(
				creates.map((request) => request.path),
				['/omni-video/kling-3.0-omni'],
				'what Kling received',
			);
			const { contents } = JSON.parse(creates[0].body) as {
				contents: Array<{ type: string; element_id?: string; id?: string }>;
			};
			equal(
				contents.filter((content) => content.type === 'element'),
				[{ type: 'element', element_id: id, id: 'element_1' }],
				'the elements of the request',
			);
			await t.screenshot('the task with the picked element');
			await t.pause(1500);
		},
	},
	{
		title:
			'an Omni Video input error (Video Role edit with a First Frame) names the fields; Kling gets no request',
		async run(t) {
			const { page } = t;
			await openOmniNode(t);
			await chooseOption(page, 'imageSource', 'URL');
			await typeInto(page, 'image', 'https://example.com/frame.png');
			await typeInto(page, 'referenceVideoUrl', 'https://example.com/clip.mp4');
			await chooseOption(page, 'videoRole', 'Edit');
			await refusedBeforeSending(
				t,
				'a First Frame with Video Role edit',
				'First Frame cannot be used with Video Role "edit": Kling edits the video as it is, without a first or last frame',
			);
			await closeNode(page);
		},
	},
];
