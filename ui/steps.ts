import type { Page } from 'playwright-core';

import { DEFAULT_ACCOUNT, signWebhook } from '../simulator';
import {
	byTestId,
	chooseOption,
	closeNode,
	collectionAdd,
	createOwner,
	dropdownOptions,
	fieldHint,
	openNode,
	parameterInput,
	shownValue,
	visibleFields,
} from './lib/editor';
import type { DomElement, DomImage, DomInput, DomVideo, DomWindow } from './lib/dom';
import type { Step, StepContext } from './lib/step';
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
import { chatStep } from './chatStep';
import { resourceSteps } from './resourceSteps';
import { EXAMPLE_5, EXAMPLE_5_COPY, WEBHOOK_SECRET } from './lib/stack';
import {
	ADDITIONAL_FIELDS,
	ADDITIONAL_FIELDS_WITH_CALLBACK,
	EXTEND_FIELDS,
	EXTEND_UNTIL_FIELDS,
	GET_FIELDS,
	GET_MANY_FIELDS,
	IMAGE_TO_VIDEO_FIELDS,
	MULTI_SHOT_HEAD,
	OPERATIONS,
	OPTIONS,
	RESOLUTIONS,
	SHOT_FIELDS,
	TEXT_TO_VIDEO_FIELDS,
	VIDEO_MODELS,
	VIDEO_OPERATIONS,
	VIDEO_RESOURCES,
} from './expected';

const OWNER = {
	email: 'owner@example.com',
	firstName: 'Kim',
	lastName: 'Ling',
	password: 'Kling-demo-2026',
};

/** The credential made through the form (the examples keep theirs). */
const NEW_CREDENTIAL_NAME = 'Kling (made in the browser)';
const WRONG_API_KEY = 'not-the-api-key';

/** The items the nodes panel lists now: name, description, and the icon's image. */
async function panelItems(page: Page) {
	return await byTestId(page, 'node-creator')
		.locator('[data-test-id=node-creator-item-name]')
		.evaluateAll((nameNodes) =>
			(nameNodes as unknown as DomElement[]).map((name) => {
				const item = name.closest('[data-keyboard-nav-id]') ?? name.parentElement?.parentElement;
				const description = item?.querySelector('[data-test-id=node-creator-item-description]');
				const image = item?.querySelector('img') as DomImage | null;
				return {
					name: name.textContent?.trim() ?? '',
					description: (description ?? item)?.textContent?.trim() ?? '',
					icon: image?.getAttribute('src') ?? '',
				};
			}),
		);
}

/**
 * How much of an icon stands out from what is behind it: the share of its pixels whose colour,
 * laid over the panel's background, differs clearly from that background. An icon drawn in the
 * background's colour (a black glyph on a dark canvas) scores near 0.
 */
async function iconContrast(page: Page, name: string): Promise<{ src: string; visible: number }> {
	const item = byTestId(page, 'node-creator')
		.locator('[data-test-id=node-creator-item-name]', { hasText: name })
		.first();
	return await item.evaluate(async (labelNode) => {
		const label = labelNode as unknown as DomElement;
		const page = globalThis as unknown as DomWindow;
		const container = label.closest('[data-keyboard-nav-id]') ?? label.parentElement?.parentElement;
		const image = container?.querySelector('img') as DomImage | null;
		if (!image) return { src: '', visible: 0 };
		await image.decode().catch(() => undefined);
		let background = [255, 255, 255];
		for (let node: DomElement | null = image; node; node = node.parentElement) {
			const color = page.getComputedStyle(node).backgroundColor;
			const parts = color.match(/[\d.]+/g)?.map(Number) ?? [];
			if (parts.length >= 3 && (parts.length < 4 || parts[3] > 0.5)) {
				background = parts.slice(0, 3);
				break;
			}
		}
		const size = 48;
		const canvas = page.document.createElement('canvas');
		canvas.width = size;
		canvas.height = size;
		const context = canvas.getContext('2d');
		if (!context) return { src: image.src, visible: 0 };
		context.drawImage(image, 0, 0, size, size);
		const pixels = context.getImageData(0, 0, size, size).data;
		let differing = 0;
		for (let i = 0; i < pixels.length; i += 4) {
			const alpha = pixels[i + 3] / 255;
			const distance = [0, 1, 2].reduce((sum, channel) => {
				const shown = pixels[i + channel] * alpha + background[channel] * (1 - alpha);
				return sum + Math.abs(shown - background[channel]);
			}, 0);
			if (distance > 90) differing += 1;
		}
		return { src: image.getAttribute('src') ?? '', visible: differing / (size * size) };
	});
}

/** Searches the nodes panel that is open now, until an item named `expected` is listed. */
async function searchNodes(t: StepContext, text: string, expected: RegExp): Promise<void> {
	const search = byTestId(t.page, 'node-creator-search-bar');
	await until(`"${text}" in the nodes panel`, async () => {
		await search.fill('');
		await search.pressSequentially(text, { delay: t.demo ? 90 : 0 });
		await t.page.waitForTimeout(400);
		return (await panelItems(t.page)).some((item) => expected.test(item.name));
	});
	await t.pause(600);
}

/** The action nodes the panel lists for "Kling", with their descriptions. */
const ACTION_NODES = new Map([
	[
		'Kling Video',
		'Generate Kling AI videos from a prompt or an image (each a paid generation that takes a few minutes) and read their tasks; create, list and delete custom elements and voices for them',
	],
	[
		'Kling Video Extend',
		'Extend Kling AI videos by about 4.5 seconds (each a paid generation that takes a few minutes) and read extension tasks. Kling extends only V1.x videos made through its API in the last 30 days, and no longer makes V1.x videos.',
	],
]);

/** Switches a field of the open node between Fixed and Expression (the toggle shows on hover). */
async function switchMode(page: Page, name: string, mode: 'fixed' | 'expression'): Promise<void> {
	const label = byTestId(page, 'node-parameters').locator(`label[for="${name}"]`);
	await label.hover();
	await label
		.locator('xpath=ancestor::*[@data-test-id="parameter-item"][1]')
		.locator(`[data-test-id=radio-button-${mode}]`)
		.click({ force: true });
}

/** Example 5's Kling Video node. */
const EXAMPLE_5_NODE = 'Text to Video';

/**
 * Runs an example from the page ("Execute workflow") and waits for its Kling node to finish
 * (waiting on the canvas first for Kling's callback, or polling), then shows its task (simplified,
 * `succeeded`) and plays the video of its Binary tab in the page's player.
 */
async function runAndPlay(
	t: StepContext,
	workflowId: string,
	nodeName: string,
	{ waitsOnCanvas }: { waitsOnCanvas: boolean },
): Promise<void> {
	const { page } = t;
	await openWorkflow(t, workflowId);
	await byTestId(page, 'execute-workflow-button').click();
	const node = page.locator(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`);
	if (waitsOnCanvas) {
		await until('the node waiting on the canvas', async () =>
			/\bwaiting\b/.test((await node.getAttribute('class')) ?? ''),
		);
		await t.screenshot(`${nodeName} is waiting for Kling`);
	}
	await until(
		'the node finished',
		async () => (await node.locator('[data-test-id=canvas-node-status-success]').count()) > 0,
		60_000,
	);
	await t.pause(1200);
	await openNode(page, nodeName);
	const output = byTestId(page, 'output-panel');
	await output.locator('[data-test-id=radio-button-json]').first().click();
	const json = await until('the finished task', async () => {
		const text = await outputText(page);
		return text.includes('succeeded') && text;
	});
	includes(json, '"status": "succeeded"', 'the finished task (Simplify)');
	await t.screenshot('the finished task');
	await t.pause(1500);
	await output.locator('[data-test-id=radio-button-binary]').first().click();
	const binary = await outputText(page);
	includes(binary, 'video/mp4', 'the Binary tab');
	await t.pause(1000);
	await byTestId(page, 'ndv-view-binary-data').first().click();
	const video = page.locator('video').first();
	const duration = await until('a playable video', async () => {
		const seconds = await video.evaluate((element) => (element as unknown as DomVideo).duration);
		return Number.isFinite(seconds) && seconds > 0 && seconds;
	});
	check(duration > 0, `video duration ${duration}`);
	await video.evaluate((element) => (element as unknown as DomVideo).play()).catch(() => undefined);
	await t.pause(3000);
	await t.screenshot(`the video plays (${duration.toFixed(1)} s)`);
	await page.keyboard.press('Escape');
}

export const STEPS: Step[] = [
	{
		title: 'first visit: the owner account is created through the page',
		required: true,
		async run(t) {
			await createOwner(t.page, t.ui.n8n.url, OWNER);
			check(!t.page.url().includes('/setup'), `still on ${t.page.url()}`);
		},
	},
	{
		title:
			'nodes panel: "Kling" finds Kling Trigger, Kling Video and Kling Video Extend, with icons and descriptions',
		async run(t) {
			const { page } = t;
			await page.goto(`${t.ui.n8n.url}/workflow/new`);
			await byTestId(page, 'canvas-plus-button').click();
			await searchNodes(t, 'Kling', /^Kling( Trigger)?$/);
			// n8n lists a trigger under its app's name ("Kling Trigger" shows as "Kling").
			const triggers = await panelItems(page);
			const trigger = triggers.find((item) => /^Kling( Trigger)?$/.test(item.name));
			check(trigger !== undefined, `no Kling Trigger among ${JSON.stringify(triggers)}`);
			equal(
				trigger?.description,
				'Starts the workflow when Kling calls back about a task: text to video, image to video or video extension',
				'Kling Trigger description',
			);
			await t.screenshot('trigger panel search Kling');
			// A manual trigger first, then the panel for the next node.
			await searchNodes(t, 'Manual', /^Trigger manually$|^Manual Trigger$/);
			await page.keyboard.press('Enter');
			await byTestId(page, 'canvas-handle-plus').first().click();
			await searchNodes(t, 'Kling', /^Kling Video Extend$/);
			const items = await panelItems(page);
			const names = items.map((item) => item.name);
			for (const [name, description] of ACTION_NODES) {
				check(names.includes(name), `"${name}" not listed, only ${JSON.stringify(names)}`);
				equal(
					items.find((item) => item.name === name)?.description,
					description,
					`${name} description`,
				);
			}
			for (const theme of ['light', 'dark'] as const) {
				await page.emulateMedia({ colorScheme: theme });
				await page.waitForTimeout(500);
				for (const name of [...ACTION_NODES.keys(), trigger?.name ?? 'Kling']) {
					const icon = await iconContrast(page, name);
					check(
						icon.visible > 0.05,
						`${name}'s icon (${icon.src}) is hardly visible in the ${theme} theme: ${(icon.visible * 100).toFixed(1)} % of it stands out`,
					);
					if (theme === 'dark') includes(icon.src, 'dark', `${name}'s icon in the dark theme`);
				}
				await t.screenshot(`nodes panel ${theme} theme`);
				await t.pause(1200);
			}
			await page.emulateMedia({ colorScheme: 'light' });
		},
	},
	{
		title:
			'credential form: API Key by default; a wrong API key shows Kling error 1002 and what to do; the right one passes; no key shown',
		async run(t) {
			const { page } = t;
			await byTestId(page, 'node-creator-item-name')
				.filter({ hasText: 'Kling Video Extend' })
				.click();
			await byTestId(page, 'node-creator-item-name')
				// Exactly this action: "Extend a video to a duration" is listed first.
				.filter({ hasText: /^Extend a video$/ })
				.first()
				.click();
			await byTestId(page, 'ndv').waitFor();
			await t.pause(800);
			await byTestId(page, 'node-credentials-select').click();
			await byTestId(page, 'node-credentials-select-item-new').click();
			const dialog = byTestId(page, 'credential-edit-dialog');
			await dialog.waitFor();
			await byTestId(page, 'credential-name').click();
			await page.keyboard.press('ControlOrMeta+a');
			await page.keyboard.type(NEW_CREDENTIAL_NAME);
			await page.keyboard.press('Enter');
			const input = (name: string) =>
				dialog.locator(`[data-test-id=parameter-input-${name}] input`).first();
			// Kling's current models take API keys only: the form starts there.
			equal(
				await dialog.locator('[data-test-id=parameter-input-authentication] input').inputValue(),
				'API Key',
				'default Authentication',
			);
			await input('apiKey').fill(WRONG_API_KEY);
			await dialog.locator('[data-test-id=parameter-input-region]').click();
			await page.locator('.el-select-dropdown__item:visible', { hasText: 'Custom URL' }).click();
			await input('baseUrl').fill(t.ui.simulator.url);
			await t.pause(800);
			await byTestId(page, 'credential-save-button').click();
			const failure = await until('the failed test', async () => {
				const text = (await dialog.innerText()).replace(/\s+/g, ' ');
				return text.includes('Couldn’t connect') && text;
			});
			await dialog
				.getByText('More details')
				.click()
				.catch(() => undefined);
			const shown = (await dialog.innerText()).replace(/\s+/g, ' ');
			includes(shown, 'Kling error 1002, the Authorization header is invalid.', 'the failed test');
			includes(
				shown,
				'Check the keys in the Kling API credential and the chosen authentication method.',
				'the advice of the failed test',
			);
			check(!failure.includes(WRONG_API_KEY), 'the wrong API key is shown back');
			await t.screenshot('credential test fails with a wrong API key');
			await t.pause(2500);

			await input('apiKey').fill(DEFAULT_ACCOUNT.apiKey);
			await byTestId(page, 'credential-save-button').click();
			await until('the successful test', async () => {
				const success = await page
					.getByText('Connection tested successfully')
					.first()
					.isVisible()
					.catch(() => false);
				return success || (await dialog.count()) === 0;
			});
			await t.screenshot('credential test passes');
			if ((await dialog.count()) > 0) await t.pause(1500);
			await dialog.waitFor({ state: 'hidden' });
			// Open it again: the test passed, and the page holds no secret.
			await byTestId(page, 'credential-edit-button').click();
			await dialog.waitFor();
			await until('"Connection tested successfully"', async () =>
				(await dialog.innerText()).includes('Connection tested successfully'),
			);
			const values = await dialog
				.locator('input')
				.evaluateAll((inputs) => (inputs as unknown as DomInput[]).map((element) => element.value));
			const html = await page.content();
			for (const secret of [DEFAULT_ACCOUNT.apiKey, WRONG_API_KEY]) {
				check(!values.includes(secret), `the credential form shows the API key back`);
				check(!html.includes(secret), `the page holds the API key`);
			}
			await t.pause(1500);
			await page.keyboard.press('Escape');
			await dialog.waitFor({ state: 'hidden' });
		},
	},
	{
		title: 'Kling Video Extend: each operation shows the fields, hints and defaults README lists',
		async run(t) {
			const { page } = t;
			if (!(await byTestId(page, 'ndv').isVisible())) await openNode(page, 'Kling Video Extend');
			equal(await shownValue(page, 'operation'), 'Extend Video', 'default Operation');
			equal(
				await dropdownOptions(page, parameterInput(page, 'operation')),
				OPERATIONS,
				'operations',
			);
			equal(await shownValue(page, 'waitForCompletion'), 'No', 'default Wait for Completion');
			await fields(t, 'Extend Video', EXTEND_FIELDS.noWait);
			// By default Video ID takes the video of the Kling task in the input item: simplified,
			// or Kling's own task of either API generation.
			const videoIdDefault = await parameterInput(page, 'videoId').innerText();
			for (const part of [
				'$json.videoId',
				'$json.task_result?.videos?.[0]?.id',
				"find(output => output.type === 'video')?.id",
			]) {
				includes(videoIdDefault, part, 'default Video ID');
			}
			includes(
				await fieldHint(page, 'videoId'),
				'ID of the Kling video to extend',
				'Video ID hint',
			);
			includes(await fieldHint(page, 'prompt'), 'at most 2,500 characters', 'Prompt hint');
			equal(
				await dropdownOptions(page, collectionAdd(page, 'additionalFields')),
				ADDITIONAL_FIELDS,
				'Additional Fields of Extend Video',
			);
			const waitOptions = await dropdownOptions(page, parameterInput(page, 'waitForCompletion'));
			equal(waitOptions, ['No', 'Poll', 'Callback'], 'Wait for Completion options');

			await chooseOption(page, 'waitForCompletion', 'Poll');
			await fields(t, 'Extend Video, Wait for Completion: Poll', EXTEND_FIELDS.waiting);
			equal(await shownValue(page, 'maxWait'), '15.00', 'default Max Wait (Minutes)');
			includes(await fieldHint(page, 'maxWait'), 'before giving up', 'Max Wait hint');

			await chooseOption(page, 'waitForCompletion', 'Callback');
			await fields(t, 'Extend Video, Wait for Completion: Callback', EXTEND_FIELDS.waiting);
			equal(
				await dropdownOptions(page, collectionAdd(page, 'additionalFields')),
				ADDITIONAL_FIELDS_WITH_CALLBACK,
				'Additional Fields with Wait for Completion: Callback',
			);
			await t.screenshot('Extend Video with Callback');

			await chooseOption(page, 'operation', 'Extend to Duration');
			await fields(t, 'Extend to Duration', EXTEND_UNTIL_FIELDS);
			equal(await shownValue(page, 'targetDuration'), '20', 'default Target Duration');
			includes(await fieldHint(page, 'targetDuration'), '180', 'Target Duration hint');
			equal(
				await dropdownOptions(page, collectionAdd(page, 'additionalFields')),
				ADDITIONAL_FIELDS,
				'Additional Fields of Extend to Duration',
			);
			await t.screenshot('Extend to Duration');

			await chooseOption(page, 'operation', 'Get Task');
			await fields(t, 'Get Task', GET_FIELDS.byTaskId);
			equal(await shownValue(page, 'lookupBy'), 'Task ID', 'default Look Up By');
			await chooseOption(page, 'lookupBy', 'External Task ID');
			await fields(t, 'Get Task by External Task ID', GET_FIELDS.byExternalId);
			await t.screenshot('Get Task');

			await chooseOption(page, 'operation', 'Get Many');
			await fields(t, 'Get Many', GET_MANY_FIELDS.limited);
			equal(await shownValue(page, 'limit'), '50', 'default Limit');
			includes(await fieldHint(page, 'limit'), 'Max number of results to return', 'Limit hint');
			await parameterInput(page, 'returnAll').click();
			await page.waitForTimeout(300);
			await fields(t, 'Get Many with Return All', GET_MANY_FIELDS.all);
			equal(
				await dropdownOptions(page, collectionAdd(page, 'options')),
				OPTIONS,
				'Options of Get Many',
			);
			await t.screenshot('Get Many with Return All');
			await parameterInput(page, 'returnAll').click();
			await chooseOption(page, 'operation', 'Extend Video');
		},
	},
	{
		title:
			'input errors in the form (CFG Scale 1.5, an empty Video ID) name the field; Kling gets no request',
		async run(t) {
			const { page } = t;
			if (!(await byTestId(page, 'ndv').isVisible())) await openNode(page, 'Kling Video Extend');
			await chooseOption(page, 'operation', 'Extend Video');
			await chooseOption(page, 'waitForCompletion', 'No');
			await switchMode(page, 'videoId', 'fixed');
			await parameterInput(page, 'videoId').locator('input').fill('sim-video-5s');
			await collectionAdd(page, 'additionalFields').click();
			await page.locator('.el-select-dropdown__item:visible', { hasText: 'CFG Scale' }).click();
			equal(await shownValue(page, 'cfgScale'), '0.50', 'default CFG Scale');
			// The number box itself clamps to 0–1; an expression is how 1.5 gets in.
			const cfg = byTestId(page, 'node-parameters').locator(
				'[data-test-id=parameter-input-cfgScale]',
			);
			await cfg.locator('input').fill('1.5');
			await page.keyboard.press('Tab');
			const clamped = await cfg.locator('input').inputValue();
			check(clamped !== '1.50', `the CFG Scale box took 1.5 (shows ${clamped})`);
			await switchMode(page, 'cfgScale', 'expression');
			const editor = page.locator('[data-test-id=parameter-input-cfgScale] .cm-content').first();
			await editor.click();
			await page.keyboard.press('ControlOrMeta+a');
			await page.keyboard.type('{{ 1.5 ');
			await refusedBeforeSending(
				t,
				'CFG Scale 1.5',
				'CFG Scale must be a number from 0 to 1, but it is 1.5',
			);

			await switchMode(page, 'cfgScale', 'fixed');
			await parameterInput(page, 'videoId').locator('input').fill('');
			// n8n itself refuses to start a node whose required field is empty.
			await refusedBeforeSending(t, 'an empty Video ID', 'Parameter "Video ID" is required');

			await closeNode(page);
		},
	},
	{
		title:
			'example 4 from the page: the node waits for Kling, then shows the task and a playable video',
		async run(t) {
			await runAndPlay(t, 'klingExtendAndWait', 'Extend and wait', { waitsOnCanvas: true });
		},
	},
	{
		title:
			'an input error on a new field (shots adding up to 15 s, Duration 12) names the field; Kling gets no request',
		async run(t) {
			const { page } = t;
			// On a copy of example 5 (n8n saves the changes by itself).
			await openWorkflow(t, EXAMPLE_5_COPY);
			await openNode(page, EXAMPLE_5_NODE);
			await parameterInput(page, 'durationSeconds').locator('input').fill('12');
			await page.keyboard.press('Tab');
			await refusedBeforeSending(
				t,
				'shots adding up to 15 s with Duration 12',
				'The shots add up to 15 s, but Duration (Seconds) is 12: they must add up to it',
			);
		},
	},
	{
		title:
			'Kling Video: each model shows its own fields (Audio on 3.0 and 2.6, 4K on 3.0, Multi-Shot on the 3.0 models, no Last Frame on 3.0 Turbo)',
		async run(t) {
			const { page } = t;
			if (!(await byTestId(page, 'ndv').isVisible())) {
				await openWorkflow(t, EXAMPLE_5_COPY);
				await openNode(page, EXAMPLE_5_NODE);
			}
			// Example 5's node: Video › Text to Video on Kling 3.0, three shots in place of the prompt.
			equal(await shownValue(page, 'resource'), 'Video', 'Resource of example 5');
			equal(
				await dropdownOptions(page, parameterInput(page, 'resource')),
				VIDEO_RESOURCES,
				'the Resource list',
			);
			equal(
				await dropdownOptions(page, parameterInput(page, 'operation')),
				VIDEO_OPERATIONS,
				'the Operation list of Video',
			);
			equal(await shownValue(page, 'model'), 'Kling 3.0', 'Model of example 5');
			equal(
				await dropdownOptions(page, parameterInput(page, 'model')),
				VIDEO_MODELS,
				'the Model list',
			);
			const multiShot = await visibleFields(page);
			equal(multiShot.slice(0, MULTI_SHOT_HEAD.length), MULTI_SHOT_HEAD, 'fields with Multi-Shot');
			equal(
				multiShot.slice(MULTI_SHOT_HEAD.length, MULTI_SHOT_HEAD.length + 3 * SHOT_FIELDS.length),
				[...SHOT_FIELDS, ...SHOT_FIELDS, ...SHOT_FIELDS],
				'the three shots of example 5',
			);
			includes(await fieldHint(page, 'shots'), 'adding up to Duration (Seconds)', 'Shots hint');
			await t.screenshot('Kling Video with three shots');
			await t.pause(1500);

			// One prompt: every model with exactly its fields.
			await parameterInput(page, 'multiShot').click();
			await page.waitForTimeout(300);
			for (const model of ['Kling 3.0', 'Kling 3.0 Turbo', 'Kling 2.6', 'Kling 2.5 Turbo']) {
				await chooseOption(page, 'model', model);
				await fields(t, `Text to Video on ${model}`, TEXT_TO_VIDEO_FIELDS[model]);
				equal(
					await dropdownOptions(page, parameterInput(page, 'resolution')),
					model === 'Kling 3.0' ? RESOLUTIONS.withFourK : RESOLUTIONS.others,
					`Resolution on ${model}`,
				);
				if (TEXT_TO_VIDEO_FIELDS[model].includes('Audio')) {
					equal(
						await dropdownOptions(page, parameterInput(page, 'audio')),
						['Native', 'Off'],
						`Audio on ${model}`,
					);
				}
				await t.screenshot(`Text to Video on ${model}`);
			}
			// Image to Video: a last frame on Kling 3.0, none on 3.0 Turbo.
			await chooseOption(page, 'operation', 'Image to Video');
			for (const model of ['Kling 3.0', 'Kling 3.0 Turbo']) {
				await chooseOption(page, 'model', model);
				await fields(t, `Image to Video on ${model}`, IMAGE_TO_VIDEO_FIELDS[model]);
				await t.screenshot(`Image to Video on ${model}`);
			}

			// Multi-Shot turned on with a 3.0 model does not hide the Prompt of a model without it.
			await chooseOption(page, 'operation', 'Text to Video');
			await chooseOption(page, 'model', 'Kling 3.0');
			await parameterInput(page, 'multiShot').click();
			await page.waitForTimeout(300);
			check((await visibleFields(page)).includes('Shots'), 'Multi-Shot on shows no Shots');
			await chooseOption(page, 'model', 'Kling 2.6');
			await fields(
				t,
				'Text to Video on Kling 2.6 after Multi-Shot on Kling 3.0',
				TEXT_TO_VIDEO_FIELDS['Kling 2.6'],
			);
			await closeNode(page);
		},
	},
	...resourceSteps,
	{
		title:
			'example 5 from the page: three shot prompts become a video (Kling 3.0, 15 s with sound asked for) that plays in the Binary tab',
		async run(t) {
			const since = Date.now();
			await runAndPlay(t, EXAMPLE_5, EXAMPLE_5_NODE, { waitsOnCanvas: false });
			const creates = t.ui.simulator.requests.filter(
				(request) => request.at >= since && request.method === 'POST',
			);
			equal(
				creates.map((request) => request.path),
				['/text-to-video/kling-3.0'],
				'what Kling received',
			);
			const { settings } = JSON.parse(creates[0].body) as { settings: Record<string, unknown> };
			equal(
				[settings.duration, settings.audio, settings.multi_shot],
				[15, 'native', true],
				'duration, audio and multi-shot of the request',
			);
		},
	},
	{
		title: 'Kling Trigger: its Production URL is shown, and a signed callback adds an execution',
		async run(t) {
			const { page } = t;
			const trigger = t.ui.stack.triggers.find((entry) => entry.workflow.id === 'klingVideoResult');
			check(trigger !== undefined, 'example 2 has no published trigger');
			await openWorkflow(t, 'klingVideoResult');
			await openNode(page, 'Kling Trigger');
			const production = page.getByText('Production URL', { exact: true }).first();
			if (!(await production.isVisible())) await page.getByText('Webhook URLs').first().click();
			await production.click();
			await until('the production URL', async () =>
				(await byTestId(page, 'ndv').innerText()).includes(trigger!.url),
			);
			await t.screenshot('the Production URL');
			await t.pause(1500);
			await closeNode(page);

			await byTestId(page, 'radio-button-executions').click();
			await byTestId(page, 'executions-sidebar').waitFor();
			// The list loads after the sidebar shows.
			await page.waitForTimeout(1500);
			const entries = page.locator('[data-test-id^=execution-details-]');
			const before = await entries.count();
			// Example 4's task, finished by now, as Kling posts it: signed with the credential's
			// webhook secret (the trigger then reads the task from Kling again).
			const task = t.ui.simulator.getTask(latestExternalTaskId(t));
			check(task?.task_status === 'succeed', `no finished task to report: ${task?.task_status}`);
			const body = JSON.stringify(task);
			const webhookId = `msg_ui_${Date.now()}`;
			const timestamp = Math.floor(Date.now() / 1000);
			const answer = await fetch(trigger!.localUrl, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'webhook-id': webhookId,
					'webhook-timestamp': String(timestamp),
					'webhook-signature': signWebhook(WEBHOOK_SECRET, webhookId, timestamp, body),
				},
				body,
			});
			equal(answer.status, 200, 'the trigger’s answer to the signed callback');
			await until(
				'a new execution in the list',
				async () => (await entries.count()) > before,
				60_000,
			);
			await t.pause(2000);
		},
	},
	chatStep,
];

/** The External Task ID of the newest task created through the simulator's API. */
function latestExternalTaskId(t: StepContext): string {
	const creates = t.ui.simulator.requests.filter(
		(request) => request.method === 'POST' && /\/v1\/videos\/video-extend$/.test(request.path),
	);
	check(creates.length > 0, 'no task was created');
	const { body } = creates[creates.length - 1];
	const externalId = (JSON.parse(body) as { external_task_id?: string }).external_task_id;
	check(externalId !== undefined, 'the create had no external_task_id');
	return externalId!;
}
