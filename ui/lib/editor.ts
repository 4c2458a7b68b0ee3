import type { Locator, Page } from 'playwright-core';

import type { DomElement } from './dom';

/**
 * n8n 2.41's editor as a person sees it, read through the `data-test-id` attributes n8n's own
 * end-to-end tests use (n8n-editor-ui's bundles). Labels, not parameter names, are what the
 * checks compare: a renamed label or a changed display rule must fail them.
 */

export const byTestId = (page: Page | Locator, id: string): Locator =>
	page.locator(`[data-test-id="${id}"]`);

/** First visit: the owner account form at /setup. */
export async function createOwner(
	page: Page,
	baseUrl: string,
	owner: { email: string; firstName: string; lastName: string; password: string },
): Promise<void> {
	await page.goto(baseUrl);
	await page.waitForURL(/\/setup/);
	await page.locator('input[name=email]').fill(owner.email);
	await page.locator('input[name=firstName]').fill(owner.firstName);
	await page.locator('input[name=lastName]').fill(owner.lastName);
	await page.locator('input[name=password]').fill(owner.password);
	await byTestId(page, 'form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
	await byTestId(page, 'main-sidebar-settings').waitFor();
}

/**
 * The fields the node's Parameters tab shows, top to bottom: a field's label, or
 * "<collection> › <label>" for a field added to a collection (Additional Fields, Options).
 */
export async function visibleFields(page: Page): Promise<string[]> {
	const parameters = byTestId(page, 'node-parameters');
	await parameters.waitFor();
	return await parameters.evaluate((rootNode) => {
		const root = rootNode as unknown as DomElement;
		const visible = (element: DomElement) => element.offsetParent !== null;
		const titleOf = (label: DomElement) =>
			(label.querySelector('.n8n-text') ?? label).textContent?.replace(/\s+/g, ' ').trim() ?? '';
		/** The collection a label's field was added to, if any. */
		const collectionOf = (label: DomElement): DomElement | undefined => {
			for (let node = label.parentElement; node && node !== root; node = node.parentElement) {
				if (node.getAttribute('data-test-id') !== 'parameter-item') continue;
				const first = node.querySelector('label');
				if (
					first &&
					first !== label &&
					node.querySelector('[data-test-id=collection-parameter-add]')
				) {
					return first;
				}
			}
			return undefined;
		};
		const fields: string[] = [];
		for (const label of root.querySelectorAll('label')) {
			if (!visible(label)) continue;
			const path: string[] = [titleOf(label)];
			for (let parent = collectionOf(label); parent; parent = collectionOf(parent)) {
				path.unshift(titleOf(parent));
			}
			fields.push(path.join(' › '));
		}
		// Notices (type "notice") have no label: their text stands for them.
		for (const notice of root.querySelectorAll('.notice, [data-test-id=parameter-notice]')) {
			if (visible(notice))
				fields.push(`notice: ${notice.textContent?.replace(/\s+/g, ' ').trim() ?? ''}`);
		}
		return fields;
	});
}

/** The input of a top-level parameter, by its name (n8n's `parameter-input-<name>`). */
export const parameterInput = (page: Page, name: string): Locator =>
	byTestId(byTestId(page, 'node-parameters'), `parameter-input-${name}`);

/** What an options/string/number input shows. */
export async function shownValue(page: Page, name: string): Promise<string> {
	const input = parameterInput(page, name).locator('input, textarea').first();
	return await input.inputValue();
}

/**
 * Picks an option of an "options" parameter, by the option's name exactly as shown (a match
 * anywhere in the text would also take an option whose description names it).
 */
export async function chooseOption(page: Page, name: string, optionName: string): Promise<void> {
	await parameterInput(page, name).click();
	const items = visibleDropdownItems(page);
	await items.first().waitFor();
	let names = await optionNames(items);
	// A list closed just before may still be fading out as this one opens: read it again.
	for (let tries = 0; !names.includes(optionName) && tries < 10; tries++) {
		await page.waitForTimeout(200);
		names = await optionNames(items);
	}
	const index = names.indexOf(optionName);
	if (index < 0) {
		throw new Error(`${name} has no option "${optionName}", only ${JSON.stringify(names)}`);
	}
	await items.nth(index).click();
	await page.waitForTimeout(300);
}

/** The names of a dropdown's items (the first line: a description may follow). */
async function optionNames(items: Locator): Promise<string[]> {
	return (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
}

/** The items of the dropdown that is open now. */
export const visibleDropdownItems = (page: Page): Locator =>
	page.locator('.el-select-dropdown__item:visible, .el-select-dropdown li:visible');

/** The "Add Field" / "Add Option" dropdown of a collection parameter. */
export const collectionAdd = (page: Page, collectionName: string): Locator =>
	byTestId(page, 'node-parameters')
		.locator('[data-test-id=parameter-item]')
		.filter({ has: page.locator(`label[for="${collectionName}"]`) })
		.last()
		.locator('[data-test-id=collection-parameter-add]');

/** The names of a dropdown's options as listed (closes it again). */
export async function dropdownOptions(page: Page, opener: Locator): Promise<string[]> {
	await opener.click();
	const items = visibleDropdownItems(page);
	await items.first().waitFor();
	const names = (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	await page.keyboard.press('Escape');
	await page.waitForTimeout(200);
	return names;
}

/** The help text behind a field's (?) icon, as its tooltip shows it on hover. */
export async function fieldHint(page: Page, parameterName: string): Promise<string> {
	const row = byTestId(page, 'node-parameters').locator(`label[for="${parameterName}"]`).first();
	await row.hover();
	await row.locator('[data-icon=circle-help]').hover();
	const tooltip = page.locator('.n8n-tooltip:visible').last();
	await tooltip.waitFor();
	const text = (await tooltip.innerText()).replace(/\s+/g, ' ').trim();
	await page.mouse.move(0, 0);
	await tooltip.waitFor({ state: 'hidden' }).catch(() => undefined);
	return text;
}

/** Opens a node of the open workflow by its name on the canvas (double click). */
export async function openNode(page: Page, nodeName: string): Promise<void> {
	await page.locator(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`).dblclick();
	await byTestId(page, 'ndv').waitFor();
	await byTestId(page, 'node-parameters').waitFor();
}

export async function closeNode(page: Page): Promise<void> {
	await byTestId(page, 'ndv-close-button').click();
	await byTestId(page, 'ndv').waitFor({ state: 'hidden' });
}
