import type { Page } from 'playwright-core';

import { byTestId, visibleFields } from './editor';
import type { StepContext } from './step';

/**
 * What the steps assert with (the message names what the page showed instead), and the few
 * things they all do: open a workflow, compare a node's fields, run a node that must be refused.
 */

export function equal(actual: unknown, expected: unknown, what: string): void {
	const a = JSON.stringify(actual);
	const e = JSON.stringify(expected);
	if (a !== e) throw new Error(`${what}: expected ${e}, the page shows ${a}`);
}

export function check(condition: boolean, what: string): void {
	if (!condition) throw new Error(what);
}

export function includes(text: string, part: string, what: string): void {
	if (!text.includes(part)) {
		throw new Error(`${what}: expected "${part}" in ${JSON.stringify(text.slice(0, 600))}`);
	}
}

export async function until<T>(
	what: string,
	probe: () => Promise<T | undefined | false>,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe().catch(() => undefined);
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

export async function openWorkflow(t: StepContext, workflowId: string): Promise<void> {
	await t.page.goto(`${t.ui.n8n.url}/workflow/${workflowId}`);
	await byTestId(t.page, 'canvas-node').first().waitFor();
	await t.pause(800);
}

export async function fields(t: StepContext, what: string, expected: string[]): Promise<void> {
	equal(await visibleFields(t.page), expected, `fields of ${what}`);
	await t.pause(700);
}

/** Records made by the simulator's API (not its video downloads) since `since`. */
export function apiRequestsSince(t: StepContext, since: number): number {
	return t.ui.simulator.requests.filter((request) => request.at >= since).length;
}

/** The output panel's text once the node has run. */
export async function outputText(page: Page): Promise<string> {
	return (await byTestId(page, 'output-panel').innerText()).replace(/\s+/g, ' ');
}

/**
 * Runs the open node ("Execute step") and waits for a message that names the field, in its output
 * or a notification; the simulator must have received no request meanwhile.
 */
export async function refusedBeforeSending(
	t: StepContext,
	what: string,
	message: string,
): Promise<void> {
	// Leaving the field hands its value to the node (an expression a moment later).
	await byTestId(t.page, 'tab-params').click();
	await t.page.waitForTimeout(1500);
	const since = Date.now();
	await byTestId(t.page, 'node-execute-button').click();
	await until(`the message '${message}'`, async () => {
		const notices = await t.page.locator('.el-notification:visible').allInnerTexts();
		const text = `${await outputText(t.page)} ${notices.join(' ')}`.replace(/\s+/g, ' ');
		return text.includes(message);
	});
	equal(apiRequestsSince(t, since), 0, `requests the simulator received for ${what}`);
	await t.page.waitForTimeout(700);
	await t.screenshot(`${what} is refused`);
	await t.pause(2000);
}
